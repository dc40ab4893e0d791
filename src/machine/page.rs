//! The publisher page's address, in pure Rust: query parameters (the
//! executor reports them parsed by the browser's `URLSearchParams`; they are
//! serialized here as `URLSearchParams` does), the
//! story URL fallbacks, the permalink URL and the login-callback token.
//! New URLs are absolute, on the page's origin, whatever the path looks
//! like (a path `//x` alone would name another host).

use alloc::{string::String, vec::Vec};

use super::input::Page;

/// Query pairs, in order.
pub type Params = Vec<(String, String)>;

/// `URLSearchParams.toString()`.
pub fn serialize(params: &Params) -> String {
    serialize_with(params, None, None)
}

/// Appends `k=v`, `&`-separated, percent-encoded as `URLSearchParams`.
pub fn push_pair(out: &mut String, k: &str, v: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    push_encoded(out, k);
    out.push('=');
    push_encoded(out, v);
}

/// `params` serialized after `URLSearchParams.set(key, set)` (the first
/// `key` gets the value, the others go; appended if there was none), or,
/// for `set` = `None`, after `delete(key)`. No copy of the pairs is made.
fn serialize_with(params: &Params, key: Option<&str>, set: Option<&str>) -> String {
    let mut out = String::new();
    let mut put = set;
    for (k, v) in params {
        if Some(k.as_str()) != key {
            push_pair(&mut out, k, v);
        } else if let Some(c) = put.take() {
            push_pair(&mut out, k, c);
        }
    }
    if let (Some(k), Some(c)) = (key, put) {
        push_pair(&mut out, k, c);
    }
    out
}

/// Appends `b` as two upper-case hex digits (percent-encoding; JSON's
/// `\u00XX` escapes too).
pub fn push_hex(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push(char::from(HEX[usize::from(b >> 4)]));
    out.push(char::from(HEX[usize::from(b & 15)]));
}

/// `application/x-www-form-urlencoded` bytes, as `URLSearchParams` writes
/// them: ASCII letters, digits and `*-._` as they are, a space as `+`,
/// every other byte of the UTF-8 as `%XX`. (The `form_urlencoded` crate
/// does the same with a 768-byte table: 0.3 kB gz more.)
fn push_encoded(out: &mut String, s: &str) {
    for &b in s.as_bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                push_hex(out, b);
            }
        }
    }
}

/// The first value of `key`, if not empty.
pub fn get(params: &Params, key: &str) -> Option<String> {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty())
}

/// A non-empty query parameter of the page's address.
pub fn query_param(page: &Page, key: &str) -> Option<String> {
    get(&page.search, key)
}

/// Coral's story URL fallbacks: `?storyURL=`, `<link rel=canonical>`,
/// origin + path.
pub fn story_url(page: &Page) -> String {
    query_param(page, "storyURL")
        .or_else(|| page.canonical.clone())
        .unwrap_or_else(|| {
            let mut u = page.origin.clone();
            u.push_str(&page.path);
            u
        })
}

/// The page's origin and path, then `?query` and `#fragment` where not
/// empty.
fn url(page: &Page, query: &str, hash: &str) -> String {
    let mut url = page.origin.clone();
    url.push_str(&page.path);
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    if !hash.is_empty() {
        if !hash.starts_with('#') {
            url.push('#');
        }
        url.push_str(hash);
    }
    url
}

/// The page's URL with `?commentID=` set to `comment_id` (or removed),
/// keeping the other parameters and the fragment (`URLSearchParams.set`:
/// the first one replaced, the others dropped).
pub fn with_comment_id(page: &Page, comment_id: Option<&str>) -> String {
    let query = serialize_with(&page.search, Some("commentID"), comment_id);
    url(page, &query, &page.hash)
}

/// A login-callback token in the page's address (`#jwt=…`, else
/// `?jwt=…`, Spoke style), with the URL to put in the address bar instead:
/// both without `jwt`. `None` when there is no `jwt` parameter.
pub fn callback_token(page: &Page) -> Option<(String, String)> {
    let token = first(&page.hash_params, "jwt").or_else(|| first(&page.search, "jwt"))?;
    let query = serialize_with(&page.search, Some("jwt"), None);
    let hash = serialize_with(&page.hash_params, Some("jwt"), None);
    Some((token, url(page, &query, &hash)))
}

/// The first value of `key`, even empty.
fn first(params: &Params, key: &str) -> Option<String> {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Params {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn page(search: &[(&str, &str)], hash: &str, hash_params: &[(&str, &str)]) -> Page {
        Page {
            origin: "https://news.test".into(),
            path: "//index.html".into(),
            search: pairs(search),
            hash: hash.into(),
            hash_params: pairs(hash_params),
            canonical: None,
            observer: true,
            counts: false,
            count_script: false,
        }
    }

    #[test]
    fn params_serialize_as_url_search_params() {
        let p = pairs(&[
            ("a", "1"),
            ("b", "x y z"),
            ("c", ""),
            ("", "e"),
            ("✓", "~*-._!"),
        ]);
        assert_eq!(serialize(&p), "a=1&b=x+y+z&c=&=e&%E2%9C%93=%7E*-._%21");
        assert_eq!(get(&p, "a").as_deref(), Some("1"));
        assert_eq!(get(&p, "c"), None);
    }

    #[test]
    fn story_url_falls_back_to_canonical_then_origin_and_path() {
        let mut p = page(&[("storyURL", "https://x.test/a")], "", &[]);
        assert_eq!(story_url(&p), "https://x.test/a");
        p.search.clear();
        p.canonical = Some("https://news.test/canon".into());
        assert_eq!(story_url(&p), "https://news.test/canon");
        p.canonical = None;
        assert_eq!(story_url(&p), "https://news.test//index.html");
    }

    #[test]
    fn comment_id_replaces_the_first_and_keeps_the_rest() {
        let p = page(
            &[
                ("a", "1"),
                ("commentID", "old"),
                ("b", "2"),
                ("commentID", "older"),
            ],
            "#frag",
            &[],
        );
        assert_eq!(
            with_comment_id(&p, Some("c 1")),
            "https://news.test//index.html?a=1&commentID=c+1&b=2#frag"
        );
        assert_eq!(
            with_comment_id(&p, None),
            "https://news.test//index.html?a=1&b=2#frag"
        );
        assert_eq!(
            with_comment_id(&page(&[], "", &[]), Some("c")),
            "https://news.test//index.html?commentID=c"
        );
    }

    #[test]
    fn callback_token_prefers_the_fragment_and_leaves_no_jwt() {
        let p = page(
            &[("a", "1"), ("jwt", "q.q.q")],
            "#jwt=h.h.h&x=2",
            &[("jwt", "h.h.h"), ("x", "2")],
        );
        let (t, url) = callback_token(&p).unwrap();
        assert_eq!(t, "h.h.h");
        assert_eq!(url, "https://news.test//index.html?a=1#x=2");
        let (t, url) = callback_token(&page(&[("jwt", "q.q.q")], "", &[])).unwrap();
        assert_eq!(
            (t.as_str(), url.as_str()),
            ("q.q.q", "https://news.test//index.html")
        );
        assert_eq!(
            callback_token(&page(&[("a", "1")], "#b", &[("b", "")])),
            None
        );
        let (t, _) = callback_token(&page(&[], "#jwt=", &[("jwt", "")])).unwrap();
        assert_eq!(t, "");
    }
}
