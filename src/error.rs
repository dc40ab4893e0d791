//! Typed SDK errors. Converted to a JS `Error` with a stable `code` only at
//! the export boundary (see `js::to_js_error`).

use alloc::string::String;

/// Stable error codes a publisher can switch on (`err.code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// An option has the wrong type or value.
    InvalidOption,
    /// No element with the configured `id` exists.
    ContainerNotFound,
    /// The embed was removed (or never rendered, for `remove()`).
    NotMounted,
    /// A method argument has the wrong type or value.
    InvalidArgument,
    /// The token is not a structurally valid JWT.
    TokenMalformed,
    /// The token is larger than the protocol allows.
    TokenTooLarge,
    /// The token's `exp` has passed.
    TokenExpired,
    /// The token lacks a claim its profile requires (see `claim`).
    TokenClaimMissing,
    /// A login-callback token does not carry the nonce of a login this
    /// reader started (a crafted link): ignored.
    LoginCallbackUnexpected,
    /// A login-callback token could not be removed from the address bar:
    /// not used.
    LoginCallbackStuck,
    /// `createLoginNonce()` cannot keep the nonce (no `sessionStorage`).
    LoginNonceUnavailable,
}

impl Code {
    /// The code as exposed to JavaScript.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidOption => "INVALID_OPTION",
            Code::ContainerNotFound => "CONTAINER_NOT_FOUND",
            Code::NotMounted => "NOT_MOUNTED",
            Code::InvalidArgument => "INVALID_ARGUMENT",
            Code::TokenMalformed => "TOKEN_MALFORMED",
            Code::TokenTooLarge => "TOKEN_TOO_LARGE",
            Code::TokenExpired => "TOKEN_EXPIRED",
            Code::TokenClaimMissing => "TOKEN_CLAIM_MISSING",
            Code::LoginCallbackUnexpected => "LOGIN_CALLBACK_UNEXPECTED",
            Code::LoginCallbackStuck => "LOGIN_CALLBACK_STUCK",
            Code::LoginNonceUnavailable => "LOGIN_NONCE_UNAVAILABLE",
        }
    }
}

/// An SDK error: a code plus a human-readable message that never contains a
/// token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Stable code.
    pub code: Code,
    /// Message for people; starts with `Coral: `.
    pub message: String,
    /// The option or argument concerned, if any.
    pub option: Option<&'static str>,
    /// The missing claim, for `TOKEN_CLAIM_MISSING`.
    pub claim: Option<&'static str>,
}

impl Error {
    /// Builds an error from message parts (concatenated; no `format!`, which
    /// would pull `core::fmt` into the host payload).
    pub fn new(code: Code, parts: &[&str]) -> Self {
        let mut message = String::from("Coral: ");
        for p in parts {
            message.push_str(p);
        }
        Error {
            code,
            message,
            option: None,
            claim: None,
        }
    }

    /// An `INVALID_OPTION` error naming `option`.
    pub fn invalid_option(option: &'static str, expected: &str) -> Self {
        let mut e = Error::new(
            Code::InvalidOption,
            &["option `", option, "` must be ", expected, "."],
        );
        e.option = Some(option);
        e
    }
}

/// Result alias used throughout the SDK.
pub type Result<T> = core::result::Result<T, Error>;
