//! The publisher page's address bar: query parameters, the story URL
//! fallbacks, permalinks (`history.pushState`) and login-callback tokens
//! (`history.replaceState`).

use alloc::string::String;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::UrlSearchParams;

/// A non-empty query parameter of `search` (`?a=b&…`).
pub fn query_param(search: &str, key: &str) -> Option<String> {
    UrlSearchParams::new_with_str(search)
        .ok()?
        .get(key)
        .filter(|v| !v.is_empty())
}

/// Coral's storyURL fallbacks: `?storyURL=`, `<link rel=canonical>`,
/// origin + path.
pub fn story_url(doc: &web_sys::Document, search: &str) -> Option<String> {
    if let Some(u) = query_param(search, "storyURL") {
        return Some(u);
    }
    if let Ok(Some(link)) = doc.query_selector("link[rel=canonical][href]") {
        if let Some(link) = link.dyn_ref::<web_sys::HtmlLinkElement>() {
            return Some(link.href());
        }
    }
    let loc = doc.location()?;
    let mut u = loc.origin().ok()?;
    u.push_str(&loc.pathname().ok()?);
    Some(u)
}

/// Puts `?commentID=` (or removes it, for `None`) in the page URL with
/// `history.pushState`, keeping the other parameters and the fragment.
pub fn push_comment_id(comment_id: Option<&str>) {
    let Some(w) = crate::global::window() else {
        return;
    };
    let loc = w.location();
    let (Ok(search), Ok(mut url), Ok(hash)) = (loc.search(), loc.pathname(), loc.hash()) else {
        return;
    };
    let Ok(params) = UrlSearchParams::new_with_str(&search) else {
        return;
    };
    match comment_id {
        Some(c) => params.set("commentID", c),
        None => params.delete("commentID"),
    }
    let query = String::from(params.to_string());
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query);
    }
    url.push_str(&hash);
    if let Ok(h) = w.history() {
        let _ = h.push_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// Takes a login-callback token (`#jwt=…` or `?jwt=…`, Spoke style) out of
/// the address bar with `history.replaceState`, so it stays in neither the
/// history nor a Referer, and returns it.
pub fn take_callback_token() -> Option<String> {
    let w = crate::global::window()?;
    let loc = w.location();
    let hash = loc.hash().ok()?;
    let hash = UrlSearchParams::new_with_str(hash.strip_prefix('#').unwrap_or(&hash)).ok()?;
    let query = UrlSearchParams::new_with_str(&loc.search().ok()?).ok()?;
    let token = hash.get("jwt").or_else(|| query.get("jwt"))?;
    hash.delete("jwt");
    query.delete("jwt");
    let mut url = loc.pathname().ok()?;
    for (sep, part) in [('?', query.to_string()), ('#', hash.to_string())] {
        let part = String::from(part);
        if !part.is_empty() {
            url.push(sep);
            url.push_str(&part);
        }
    }
    let history = w.history().ok()?;
    let state = history.state().unwrap_or(JsValue::NULL);
    let _ = history.replace_state_with_url(&state, "", Some(&url));
    Some(token).filter(|t| !t.is_empty())
}
