//! The publisher page's address bar: query parameters, the story URL
//! fallbacks, permalinks (`history.pushState`) and login-callback tokens
//! (`history.replaceState`). New URLs are absolute, on the page's origin.

use alloc::string::String;

use wasm_bindgen::{JsCast, JsValue};

use crate::error::{Code, Error};
use crate::global::{location, Params};

/// A non-empty query parameter of `search` (`?a=b&…`).
pub fn query_param(search: &str, key: &str) -> Option<String> {
    Params::new(search).get(key).filter(|v| !v.is_empty())
}

/// Coral's storyURL fallbacks: `?storyURL=`, `<link rel=canonical>`,
/// origin + path.
pub fn story_url(search: &str) -> Option<String> {
    if let Some(u) = query_param(search, "storyURL") {
        return Some(u);
    }
    if let Some(link) = crate::global::query("link[rel=canonical][href]") {
        return Some(link.unchecked_ref::<web_sys::HtmlLinkElement>().href());
    }
    let loc = location();
    let mut u = loc.origin();
    u.push_str(&loc.pathname());
    Some(u)
}

/// The page's origin and `path`, then `?query` and `#fragment` where not
/// empty: an absolute URL on the page's origin, whatever the path looks
/// like (a path `//x` alone would name another host).
fn url(path: &str, query: &Params, hash: &str) -> String {
    let mut url = location().origin();
    url.push_str(path);
    let query = query.to_query();
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query);
    }
    if !hash.is_empty() {
        if !hash.starts_with('#') {
            url.push('#');
        }
        url.push_str(hash);
    }
    url
}

/// Puts `?commentID=` (or removes it, for `None`) in the page URL with
/// `history.pushState`, keeping the other parameters and the fragment.
pub fn push_comment_id(comment_id: Option<&str>) {
    let loc = location();
    let params = Params::new(&loc.search());
    match comment_id {
        Some(c) => params.set("commentID", c),
        None => params.delete("commentID"),
    }
    let url = url(&loc.pathname(), &params, &loc.hash());
    let _ = crate::global::history().push_state_with_url(&JsValue::NULL, "", Some(&url));
}

/// Takes a login-callback token (`#jwt=…` or `?jwt=…`, Spoke style) out of
/// the address bar with `history.replaceState`, so it stays in neither the
/// history nor a Referer, and returns it. Fails closed: a token that cannot
/// be removed is not returned.
pub fn take_callback_token() -> Result<Option<String>, Error> {
    let loc = location();
    let hash = loc.hash();
    let hash = Params::new(hash.strip_prefix('#').unwrap_or(&hash));
    let query = Params::new(&loc.search());
    let Some(token) = hash.get("jwt").or_else(|| query.get("jwt")) else {
        return Ok(None);
    };
    hash.delete("jwt");
    query.delete("jwt");
    let url = url(&loc.pathname(), &query, &hash.to_query());
    let history = crate::global::history();
    let state = history.state().unwrap_or(JsValue::NULL);
    if history
        .replace_state_with_url(&state, "", Some(&url))
        .is_err()
    {
        return Err(Error::new(
            Code::LoginCallbackStuck,
            &["login callback token unused: it stayed in the URL."],
        ));
    }
    Ok(Some(token).filter(|t| !t.is_empty()))
}
