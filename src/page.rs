//! The publisher page's address bar: query parameters, the story URL
//! fallbacks, permalinks (`history.pushState`) and login-callback tokens
//! (`history.replaceState`).

use alloc::string::String;

use wasm_bindgen::{JsCast, JsValue};

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

/// `path`, then `?query` and `#fragment` where not empty.
fn url(mut path: String, query: &Params, hash: &str) -> String {
    let query = query.to_query();
    if !query.is_empty() {
        path.push('?');
        path.push_str(&query);
    }
    if !hash.is_empty() {
        if !hash.starts_with('#') {
            path.push('#');
        }
        path.push_str(hash);
    }
    path
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
    let url = url(loc.pathname(), &params, &loc.hash());
    let _ = crate::global::history().push_state_with_url(&JsValue::NULL, "", Some(&url));
}

/// Takes a login-callback token (`#jwt=…` or `?jwt=…`, Spoke style) out of
/// the address bar with `history.replaceState`, so it stays in neither the
/// history nor a Referer, and returns it.
pub fn take_callback_token() -> Option<String> {
    let loc = location();
    let hash = loc.hash();
    let hash = Params::new(hash.strip_prefix('#').unwrap_or(&hash));
    let query = Params::new(&loc.search());
    let token = hash.get("jwt").or_else(|| query.get("jwt"))?;
    hash.delete("jwt");
    query.delete("jwt");
    let url = url(loc.pathname(), &query, &hash.to_query());
    let history = crate::global::history();
    let state = history.state().unwrap_or(JsValue::NULL);
    let _ = history.replace_state_with_url(&state, "", Some(&url));
    Some(token).filter(|t| !t.is_empty())
}
