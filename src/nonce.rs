//! One-time login nonces, which bind a login-callback token to a login the
//! reader started (OAuth's `state`, OIDC's `nonce`).
//!
//! `Coral.createLoginNonce()` makes a random UUID (122 random bits), keeps
//! it in this tab's `sessionStorage` (which survives the trip to the login
//! page and back; a nonce is no secret once used, and never the token), and
//! returns it for the publisher's login URL. The token issuer puts it in
//! the token's `nonce` claim; `handleLoginCallback` takes the pending value
//! out (each answers one callback) and accepts only a token that carries
//! it ([`crate::token::check_nonce`]). Every value stays a JS string.

use alloc::string::String;

use wasm_bindgen::prelude::*;

use crate::error::{Code, Error};

/// The `sessionStorage` key of the pending nonce.
const KEY: &str = "stream-embed.loginNonce";

#[wasm_bindgen(module = "/js/builtins.js")]
extern "C" {
    /// `crypto.randomUUID()` (secure contexts only: https or localhost),
    /// stored under `key` in `sessionStorage`; `undefined` if either fails.
    #[wasm_bindgen(js_name = newNonce)]
    fn new_nonce(key: &str) -> JsValue;
    /// The string stored under `key`, removed; `null`/`undefined` if none.
    #[wasm_bindgen(js_name = takeNonce)]
    fn take_nonce(key: &str) -> JsValue;
}

/// `Coral.createLoginNonce()`: a fresh nonce, kept as the pending one
/// (replacing any earlier one), for the publisher's login URL. Reached
/// through the `call` export (cheaper than an export of its own).
pub fn create() -> Result<JsValue, Error> {
    let nonce = new_nonce(KEY);
    if nonce.is_undefined() {
        return Err(Error::new(
            Code::LoginNonceUnavailable,
            &["no login nonce: needs https and sessionStorage."],
        ));
    }
    Ok(nonce)
}

/// The pending nonce, if any, removed: a nonce answers one callback.
pub fn take() -> Option<String> {
    crate::js::as_string(&take_nonce(KEY))
}

/// `createLoginNonce()` as an export of its own, for the browser tests of
/// the class build (the shipped build reaches [`create`] through `call`).
#[cfg(not(feature = "tiny"))]
#[wasm_bindgen(js_name = createLoginNonce)]
pub fn create_login_nonce() -> Result<JsValue, JsValue> {
    create().map_err(crate::js::to_js_error)
}
