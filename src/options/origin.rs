//! `rootURL` and origins in pure Rust: what the browser's URL parser would
//! make of a URL, refusing every spelling it would rewrite.

use alloc::string::String;

/// Whether `url` is a usable `rootURL`: an absolute http(s) URL, or a
/// scheme-relative one (`//host[/path]`, Coral's docs use it; the host
/// resolves it against the page's protocol), with an optional path prefix,
/// and without query, fragment or userinfo.
pub fn root_url_ok(url: &str) -> bool {
    let mut abs = String::new();
    if url.starts_with("//") {
        abs.push_str("https:");
    }
    abs.push_str(url);
    // Userinfo: an `@` between the `//` and the path. (Byte search: a
    // `&str` pattern would link core's two-way searcher.)
    let b = abs.as_bytes();
    let host = find(b, b"//")
        .and_then(|i| b.get(i + 2..))
        .unwrap_or_default();
    let userinfo = host.iter().take_while(|&&c| c != b'/').any(|&c| c == b'@');
    origin_of(&abs).is_some() && !url.bytes().any(|b| b == b'?' || b == b'#') && !userinfo
}

/// Position of `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Appends `b` lower-cased to `out`.
fn push_lower(out: &mut String, b: &[u8]) {
    for &c in b {
        out.push(c.to_ascii_lowercase() as char);
    }
}

/// Whether `host` is no IPv4 address or one written as the browser
/// serializes it: a host whose last label is a number (`127.1`, `0x7f.1`,
/// `2130706433`) is an IPv4 address to the URL standard, which rewrites it
/// (`127.0.0.1`); only the dotted-quad spelling is accepted.
pub(super) fn ipv4_canonical(host: &[u8]) -> bool {
    let labels = || host.split(|&c| c == b'.');
    let last = labels().rfind(|l| !l.is_empty()).unwrap_or_default();
    let numeric = match last {
        [b'0', b'x' | b'X', hex @ ..] => hex.iter().all(u8::is_ascii_hexdigit),
        digits => digits.iter().all(u8::is_ascii_digit),
    };
    !numeric
        || labels().count() == 4
            && labels().all(|l| {
                matches!(l, [b'0'] | [b'1'..=b'9', ..])
                    && l.len() <= 3
                    && l.iter().all(u8::is_ascii_digit)
                    && l.iter().fold(0u32, |n, d| n * 10 + u32::from(d & 15)) <= 255
            })
}

/// Whether `url` is printable ASCII without a backslash, with a `://`: what
/// every accepted URL must be, whichever parser reads it.
fn plain_url(url: &str) -> bool {
    let b = url.as_bytes();
    !b.iter().any(|&c| c <= b' ' || c >= 0x7f || c == b'\\') && find(b, b"://").is_some()
}

/// The origin (`scheme://host[:port]`, lower-case, default port dropped) of
/// an absolute `http:`/`https:` URL, or `None` if `url` is not one. In the
/// browser this asks the browser's own URL parser, which also serializes
/// `MessageEvent.origin` (and costs no parser in the payload); elsewhere it
/// is [`parse_origin`].
pub fn origin_of(url: &str) -> Option<String> {
    if !plain_url(url) {
        return None;
    }
    #[cfg(all(target_arch = "wasm32", feature = "js"))]
    return crate::js::url_origin(url);
    #[cfg(not(all(target_arch = "wasm32", feature = "js")))]
    return parse_origin(url);
}

/// URLs and their origins, as both [`origin_of`] implementations give them
/// (the native and the browser tests share this table).
#[doc(hidden)]
pub const ORIGIN_CASES: [(&str, &str); 7] = [
    ("http://127.0.0.1:3001", "http://127.0.0.1:3001"),
    ("HTTPS://Example.COM/path?x#y", "https://example.com"),
    ("https://example.com:443", "https://example.com"),
    ("http://example.com:80/", "http://example.com"),
    ("http://user:pw@example.com:8080", "http://example.com:8080"),
    ("http://[::1]:3000/x", "http://[::1]:3000"),
    ("http://localhost:03000", "http://localhost:3000"),
];

/// What both [`origin_of`] implementations refuse.
#[doc(hidden)]
pub const NOT_ORIGINS: [&str; 15] = [
    "",
    "example.com",
    "//example.com",
    "http://",
    "file:///etc",
    "http://ex ample.com",
    "http://a:b:c",
    "http://a:99999999",
    "http://[::1",
    "http://a\\b.com",
    "http://[]",
    "data:text/html,x",
    "http://bücher.example",
    "javascript://x",
    "ftp://example.com",
];

/// [`origin_of`] in Rust: works on bytes with checked slicing only (no
/// panic paths).
pub fn parse_origin(url: &str) -> Option<String> {
    let b = url.as_bytes();
    if !plain_url(url) {
        return None;
    }
    let sep = find(b, b"://")?;
    let scheme = b.get(..sep)?;
    let default_port: &[u8] = if scheme.eq_ignore_ascii_case(b"http") {
        b"80"
    } else if scheme.eq_ignore_ascii_case(b"https") {
        b"443"
    } else {
        return None;
    };
    let rest = b.get(sep + 3..)?;
    let end = rest
        .iter()
        .position(|&c| c == b'/' || c == b'?' || c == b'#')
        .unwrap_or(rest.len());
    let authority = rest.get(..end)?;
    let host_port = match authority.iter().rposition(|&c| c == b'@') {
        Some(at) => authority.get(at + 1..)?,
        None => authority,
    };
    // The port starts at the last ':' that is not inside an IPv6 literal.
    // (Positions, not `contains`: a byte search links memchr, 0.19 kB gz.)
    let close = host_port.iter().rposition(|&c| c == b']');
    let colon = match host_port.iter().rposition(|&c| c == b':') {
        Some(i) if close.is_none_or(|c| c < i) => Some(i),
        _ => None,
    };
    let (host, port) = match colon {
        Some(i) => (host_port.get(..i)?, host_port.get(i + 1..)?),
        None => (host_port, &b""[..]),
    };
    let host_ok = match host {
        // Of IPv6 literals, only the loopback: any other can be spelled
        // in ways the browser rewrites (`[::FFFF:1.2.3.4]` is
        // `[::ffff:102:304]` in `MessageEvent.origin`), and rewriting them
        // as the URL standard does costs more bytes than publishers need.
        [b'[', ..] => host == b"[::1]",
        _ => {
            !host.is_empty()
                && host
                    .iter()
                    .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~'))
                && ipv4_canonical(host)
        }
    };
    // Leading zeros go (`:08080` is `:8080`), but not the last digit
    // (`:0` stays, as in the browser's origin).
    let mut digits = port;
    while let [b'0', tail @ ..] = digits {
        if tail.is_empty() {
            break;
        }
        digits = tail;
    }
    let value = digits.iter().fold(0u32, |n, d| {
        n.saturating_mul(10).saturating_add(u32::from(d & 15))
    });
    if !host_ok || value > 65535 || !port.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut origin = String::new();
    push_lower(&mut origin, scheme);
    origin.push_str("://");
    push_lower(&mut origin, host);
    if !digits.is_empty() && digits != default_port {
        origin.push(':');
        push_lower(&mut origin, digits);
    }
    Some(origin)
}
