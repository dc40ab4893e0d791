//! Cacheable public answers, as JSON or JSONP.
//!
//! JSONP because count badges must work under the publisher CSP that README
//! documents: that policy already lets the page run scripts from the stream
//! origin, while a `fetch` would need a new `connect-src`. The callback is
//! checked against a strict grammar (dotted JavaScript identifiers, as
//! Coral's `CoralCount.setCount`), and the body starts with a comment, as
//! Express writes it, so it can never start with a byte sequence another
//! content type sniffs for.
//!
//! Every answer carries a strong `ETag` (a hash of its bytes) and a
//! `Cache-Control` that lets a CDN keep it briefly while browsers revalidate
//! each time (`304 Not Modified` when nothing changed).

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Browsers revalidate every time (with the `ETag`, so an unchanged count
/// costs a `304`); shared caches (a CDN) may answer for 30 s.
pub const CACHE_CONTROL: &str = "public, max-age=0, s-maxage=30";

/// Longest accepted callback name.
pub const MAX_CALLBACK: usize = 64;

/// A JSONP callback that is not a dotted identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidCallback;

/// A checked callback name, e.g. `CoralCount.setCount`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback(String);

impl Callback {
    /// `None` for an absent or empty callback (answer plain JSON, as Express
    /// does); an error for anything that is not `ident(.ident)*` of at most
    /// [`MAX_CALLBACK`] ASCII characters.
    pub fn parse(raw: Option<&str>) -> Result<Option<Callback>, InvalidCallback> {
        let Some(raw) = raw.filter(|r| !r.is_empty()) else {
            return Ok(None);
        };
        let ident = |s: &str| {
            let mut chars = s.chars();
            chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        };
        if raw.len() > MAX_CALLBACK || !raw.split('.').all(ident) {
            return Err(InvalidCallback);
        }
        Ok(Some(Callback(raw.to_string())))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// JSON text safe inside JavaScript source: U+2028 and U+2029 are line
/// terminators in scripts older engines parse.
fn js_json(data: &Value) -> String {
    data.to_string()
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// The body and content type: `cb(data)` guarded as Express writes it, or JSON.
pub fn body(data: &Value, callback: Option<&Callback>) -> (&'static str, String) {
    match callback {
        Some(cb) => (
            "text/javascript; charset=utf-8",
            format!(
                "/**/ typeof {cb} === 'function' && {cb}({json});",
                cb = cb.as_str(),
                json = js_json(data)
            ),
        ),
        None => ("application/json", data.to_string()),
    }
}

/// The strong entity tag of `bytes`.
pub fn etag(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    format!(
        "\"{}\"",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16])
    )
}

/// Whether `If-None-Match` lists `tag` (or `*`). Weak comparison, as RFC
/// 9110 asks for `If-None-Match`: `W/"x"` matches `"x"`.
pub fn none_match(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim())
        .any(|t| t == "*" || t.trim_start_matches("W/") == tag)
}

/// A cacheable `200` (or `304` when the client already has these bytes),
/// readable from any origin.
pub fn respond(req: &HeaderMap, data: &Value, callback: Option<&Callback>) -> Response {
    let (content_type, text) = body(data, callback);
    let tag = etag(text.as_bytes());
    let mut resp = if none_match(req, &tag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, content_type)], text).into_response()
    };
    let h = resp.headers_mut();
    for (name, value) in [
        (header::ETAG, tag.as_str()),
        (header::CACHE_CONTROL, CACHE_CONTROL),
        (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
    ] {
        if let Ok(v) = HeaderValue::from_str(value) {
            h.insert(name, v);
        }
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callbacks() {
        for ok in [
            "CoralCount.setCount",
            "cb",
            "$",
            "_a.b$.c1",
            "jQuery123_456",
        ] {
            assert_eq!(Callback::parse(Some(ok)).unwrap().unwrap().as_str(), ok);
        }
        assert_eq!(Callback::parse(None), Ok(None));
        assert_eq!(Callback::parse(Some("")), Ok(None));
        for bad in [
            "a;alert(1)",
            "a.",
            ".a",
            "a..b",
            "1a",
            "a b",
            "a[0]",
            "a(",
            "é",
            "a\u{2028}",
            &"a".repeat(MAX_CALLBACK + 1),
        ] {
            assert_eq!(Callback::parse(Some(bad)), Err(InvalidCallback), "{bad:?}");
        }
    }

    #[test]
    fn bodies() {
        let data = serde_json::json!({"t": "a\u{2028}b</script>"});
        let cb = Callback::parse(Some("C.s")).unwrap();
        let (ct, js) = body(&data, cb.as_ref());
        assert_eq!(ct, "text/javascript; charset=utf-8");
        assert_eq!(
            js,
            "/**/ typeof C.s === 'function' && C.s({\"t\":\"a\\u2028b</script>\"});"
        );
        let (ct, json) = body(&data, None);
        assert_eq!(ct, "application/json");
        assert_eq!(
            serde_json::from_str::<Value>(&json).unwrap(),
            data,
            "plain JSON is unchanged"
        );
    }

    #[test]
    fn etags_and_conditions() {
        let a = etag(b"one");
        assert_eq!(a, etag(b"one"));
        assert_ne!(a, etag(b"two"));
        assert!(a.starts_with('"') && a.ends_with('"') && a.len() == 24);
        let mut h = HeaderMap::new();
        assert!(!none_match(&h, &a));
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"x\", W/\"y\""),
        );
        assert!(!none_match(&h, &a));
        h.append(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&format!("W/{a}")).unwrap(),
        );
        assert!(none_match(&h, &a));
        let mut star = HeaderMap::new();
        star.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(none_match(&star, &a));
    }
}
