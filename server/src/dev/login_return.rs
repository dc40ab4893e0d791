//! Where the demo login page may send the reader back to.
//!
//! The `return` value is resolved against the publisher origin with a real
//! URL parser (the `url` crate, WHATWG rules, as a browser resolves it), and
//! only a result on that origin is used. The redirect is that URL's path and
//! query, which never starts with `//`: `/.//index.html` resolves to the path
//! `//index.html`, which a browser would read as the host `index.html`, so it
//! is refused like any other value that leaves the origin.

use url::Url;

/// Longest accepted `return` value, in bytes.
pub const MAX_RETURN_BYTES: usize = 512;

/// The path (and query) to redirect to after login: `return` resolved
/// against `publisher`, or `/` when it is absent or would leave the origin,
/// carries a fragment (the token goes there), or is too long.
pub fn login_return(publisher: &Url, given: Option<&str>) -> String {
    given
        .and_then(|r| resolve(publisher, r))
        .unwrap_or_else(|| "/".to_string())
}

fn resolve(publisher: &Url, given: &str) -> Option<String> {
    if given.is_empty() || given.len() > MAX_RETURN_BYTES {
        return None;
    }
    let url = publisher.join(given).ok()?;
    if url.origin() != publisher.origin()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return None;
    }
    let path = url.path();
    // A path-absolute reference: one `/`, then not a second `/` or `\`.
    if !path.starts_with('/') || path.starts_with("//") || path.starts_with("/\\") {
        return None;
    }
    Some(match url.query() {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    })
}
