//! `createStreamEmbed` options: Coral's names and defaults, validated into a
//! typed struct. Pure Rust over the [`Record`] trait, so it is tested natively.

use alloc::{borrow::ToOwned, string::String, vec::Vec};

use crate::error::{Error, Result};
use crate::protocol::{Config, Record, Val, MAX_TOKEN};

/// Default container element id (Coral's).
pub const DEFAULT_ID: &str = "coral-embed-stream";

/// Story modes Coral knows.
pub const STORY_MODES: &[&str] = &["COMMENTS", "QA", "RATINGS_AND_REVIEWS"];

/// Validated options. `A` is the opaque type of JS functions.
#[derive(Debug, Clone, PartialEq)]
pub struct Options<A> {
    /// Container element id.
    pub id: String,
    /// Stream server root (no trailing slash); `None` means the origin of
    /// the embed script.
    pub root_url: Option<String>,
    /// Story identifier.
    pub story_id: Option<String>,
    /// Story URL; `None` means "work it out from the page".
    pub story_url: Option<String>,
    /// Story mode.
    pub story_mode: Option<String>,
    /// Permalinked comment; `None` means "look at `?commentID=`".
    pub comment_id: Option<String>,
    /// Render without an explicit `render()` call.
    pub auto_render: bool,
    /// `events(emitter)` callback.
    pub events: Option<A>,
    /// Initial SSO token.
    pub access_token: Option<String>,
    /// `refreshAccessToken(next)` callback.
    pub refresh_access_token: Option<A>,
    /// Class for the stream container (`bodyClassName` is its old name).
    pub container_class_name: Option<String>,
    /// Custom stylesheet URL.
    pub custom_css_url: Option<String>,
    /// Custom font stylesheet URL.
    pub custom_fonts_css_url: Option<String>,
    /// Skip the default fonts.
    pub disable_default_fonts: bool,
    /// Forward deprecated event names.
    pub enable_deprecated_events: bool,
    /// Sign in with a `#jwt=` / `?jwt=` token in the page URL (removed
    /// from the address bar), Spoke's login-callback flow.
    pub handle_login_callback: bool,
    /// The element that scrolls the page's content, if not the viewport
    /// (Coral's `customScrollContainer`): the lazy render's root.
    pub custom_scroll_container: Option<A>,
    /// Warnings to print once (unknown options, deprecated names).
    pub warnings: Vec<String>,
}

impl<A> Options<A> {
    /// The `config` message for the stream, without the token (the host
    /// adds it as the publisher's JS string).
    pub fn stream_config(&self) -> Config {
        Config {
            access_token: None,
            story_id: self.story_id.clone(),
            story_url: self.story_url.clone(),
            story_mode: self.story_mode.clone(),
            comment_id: self.comment_id.clone(),
            container_class_name: self.container_class_name.clone(),
            custom_css_url: self.custom_css_url.clone(),
            custom_fonts_css_url: self.custom_fonts_css_url.clone(),
            disable_default_fonts: self.disable_default_fonts,
            enable_deprecated_events: self.enable_deprecated_events,
            can_refresh: self.refresh_access_token.is_some(),
        }
    }
}

/// How an option is type-checked.
#[derive(Clone, Copy)]
enum Kind {
    /// A string.
    Str,
    /// A string, or an integer (ids often are numbers).
    Id,
    /// A boolean.
    Bool,
    /// A function.
    Func,
    /// A non-empty string.
    NonEmpty,
    /// An absolute http(s) URL without query or fragment (trailing
    /// slashes are dropped).
    Url,
    /// One of [`STORY_MODES`].
    Mode,
    /// A token: an empty string reads as absent.
    Token,
    /// A DOM element (checked by the host, which knows what one is).
    Elem,
}

use Kind::*;

/// Every option this SDK understands, in [`KNOWN`] order, with its kind.
const SPEC: [(&str, Kind); 19] = [
    ("id", NonEmpty),
    ("rootURL", Url),
    ("storyID", Id),
    ("storyURL", Str),
    ("storyMode", Mode),
    ("commentID", Id),
    ("autoRender", Bool),
    ("events", Func),
    ("accessToken", Token),
    ("refreshAccessToken", Func),
    ("containerClassName", Str),
    ("bodyClassName", Str),
    ("customCSSURL", Str),
    ("customFontsCSSURL", Str),
    ("disableDefaultFonts", Bool),
    ("enableDeprecatedEvents", Bool),
    ("amp", Bool),
    ("handleLoginCallback", Bool),
    ("customScrollContainer", Elem),
];

/// Every option name this SDK understands; anything else draws one warning.
pub const KNOWN: [&str; 19] = {
    let mut names = [""; 19];
    let mut i = 0;
    while i < SPEC.len() {
        names[i] = SPEC[i].0;
        i += 1;
    }
    names
};

/// Decimal digits of `n` without `core::fmt`.
pub fn integer_string(n: i64) -> String {
    let mut s = String::new();
    push_int(&mut s, n);
    s
}

/// Appends the decimal digits of `n` (no `core::fmt`).
pub fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    // Digits backwards into a buffer (u64 has at most 20), then in order:
    // no division by a variable, so no division-by-zero panic path.
    let mut m = n.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut len = 0;
    for d in digits.iter_mut() {
        *d = b'0' + (m % 10) as u8;
        len += 1;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    for &d in digits.iter().take(len).rev() {
        out.push(d as char);
    }
}

/// What an option of `kind` must be, for its error message.
fn expected(kind: Kind) -> &'static str {
    match kind {
        Str => "a string",
        Id => "a string or an integer",
        Bool => "a boolean",
        Func => "a function",
        NonEmpty => "a non-empty string",
        Url => "an absolute http(s) URL without query or fragment",
        Mode => "one of COMMENTS, QA, RATINGS_AND_REVIEWS",
        Token => "a string of at most 16 KiB",
        Elem => "a DOM element",
    }
}

/// Whether string `s` is acceptable for `kind`, normalising it in place.
fn accept(kind: Kind, s: &mut String) -> bool {
    match kind {
        Str | Id => true,
        NonEmpty => !s.is_empty(),
        Url => {
            while s.ends_with('/') {
                s.pop();
            }
            root_url_ok(s)
        }
        Mode => STORY_MODES.iter().any(|m| m == s),
        Token => s.len() <= MAX_TOKEN,
        Bool | Func | Elem => false,
    }
}

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

/// Reads and checks every known option: `null`/`undefined` (and an empty
/// token) read as absent, integers given for id-like options become
/// strings. All checks happen here, so nothing after this can fail.
fn read<R: Record>(rec: &R) -> Result<[Val<R::Any>; 19]> {
    let mut out: [Val<R::Any>; 19] = core::array::from_fn(|_| Val::Missing);
    for (slot, (name, kind)) in out.iter_mut().zip(SPEC) {
        let v = match (rec.get(name), kind) {
            (Val::Missing | Val::Null, _) => Val::Missing,
            (Val::Str(s), Token) if s.is_empty() => Val::Missing,
            (Val::Num(n), Id) if n.abs() < 9.0e15 && n == (n as i64) as f64 => {
                Val::Str(integer_string(n as i64))
            }
            (v @ Val::Bool(_), Bool) | (v @ Val::Func(_), Func) | (v @ Val::Other(_), Elem) => v,
            (Val::Str(mut s), _) => match accept(kind, &mut s) {
                true => Val::Str(s),
                false => return Err(Error::invalid_option(name, expected(kind))),
            },
            _ => return Err(Error::invalid_option(name, expected(kind))),
        };
        *slot = v;
    }
    Ok(out)
}

fn take_str<A>(v: &mut Val<A>) -> Option<String> {
    match core::mem::replace(v, Val::Missing) {
        Val::Str(s) => Some(s),
        _ => None,
    }
}

fn take_fn<A>(v: &mut Val<A>) -> Option<A> {
    match core::mem::replace(v, Val::Missing) {
        Val::Func(f) => Some(f),
        _ => None,
    }
}

fn is_true<A>(v: &Val<A>) -> bool {
    matches!(v, Val::Bool(true))
}

/// Validates `createStreamEmbed` options.
pub fn parse<R: Record>(rec: &R) -> Result<Options<R::Any>> {
    let [id, root, story_id, story_url, mode, comment_id, auto_render, events, token, refresh, container, body, css, fonts, no_fonts, deprecated, _amp, login_callback, scroll] =
        &mut read(rec)?;
    let mut warnings = Vec::new();
    for key in rec.keys() {
        if !KNOWN.iter().any(|k| *k == key) {
            let mut w = String::from("Coral: unknown option `");
            w.push_str(&key);
            w.push_str("` ignored.");
            warnings.push(w);
        }
    }
    let mut container_class_name = take_str(container);
    if let Some(body) = take_str(body) {
        warnings.push(
            "Coral: option `bodyClassName` is deprecated; use `containerClassName`.".to_owned(),
        );
        container_class_name.get_or_insert(body);
    }

    Ok(Options {
        id: take_str(id).unwrap_or_else(|| DEFAULT_ID.to_owned()),
        root_url: take_str(root),
        story_id: take_str(story_id),
        story_url: take_str(story_url),
        story_mode: take_str(mode),
        comment_id: take_str(comment_id),
        auto_render: is_true(auto_render),
        events: take_fn(events),
        access_token: take_str(token),
        refresh_access_token: take_fn(refresh),
        container_class_name,
        custom_css_url: take_str(css),
        custom_fonts_css_url: take_str(fonts),
        disable_default_fonts: is_true(no_fonts),
        enable_deprecated_events: is_true(deprecated),
        handle_login_callback: is_true(login_callback),
        custom_scroll_container: match core::mem::replace(scroll, Val::Missing) {
            Val::Other(a) => Some(a),
            _ => None,
        },
        warnings,
    })
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
fn ipv4_canonical(host: &[u8]) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_addresses_only_as_the_browser_writes_them() {
        for ok in [
            "127.0.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "example.com",
            "a1.b2",
            "x.0y",
            "example.com.",
        ] {
            assert!(ipv4_canonical(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "127.1",
            "0x7f.1",
            "2130706433",
            "010.0.0.1",
            "1.2.3.256",
            "1.2.3.4.",
            "a.1",
            "x.0x1f",
            "1.2.3.4.5",
        ] {
            assert!(!ipv4_canonical(bad.as_bytes()), "{bad}");
        }
    }

    use crate::error::Code;
    use crate::protocol::MapRecord;

    fn rec(pairs: &[(&str, Val<String>)]) -> MapRecord {
        MapRecord(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }
    fn s(v: &str) -> Val<String> {
        Val::Str(v.to_owned())
    }

    #[test]
    fn root_url_forms() {
        for ok in [
            "https://comments.example",
            "//comments.example",
            "//comments.example/coral/",
            "http://127.0.0.1:3001/",
            "https://comments.example/a/b",
        ] {
            let o = parse(&rec(&[("rootURL", s(ok))]));
            assert!(o.is_ok(), "{ok}");
            assert!(!o.unwrap().root_url.unwrap().ends_with('/'), "{ok}");
        }
        for bad in [
            "https://user:pw@comments.example",
            "//user@comments.example",
            "javascript:alert(1)//",
            "https://comments.example/?x=1",
            "https://comments.example/#x",
            "comments.example",
            "/relative/path",
            "ftp://comments.example",
        ] {
            let e = parse(&rec(&[("rootURL", s(bad))])).unwrap_err();
            assert_eq!(
                (e.code, e.option),
                (Code::InvalidOption, Some("rootURL")),
                "{bad}"
            );
        }
    }

    #[test]
    fn defaults_are_corals() {
        let o = parse(&rec(&[])).unwrap();
        assert_eq!(o.id, "coral-embed-stream");
        assert_eq!(o.root_url, None);
        assert!(!o.auto_render);
        assert_eq!(o.access_token, None);
        assert!(o.warnings.is_empty());
    }

    #[test]
    fn all_options_are_read() {
        let o = parse(&rec(&[
            ("id", s("coral_thread")),
            ("rootURL", s("https://Comments.Example.com:443/coral/")),
            ("storyID", Val::Num(42.0)),
            ("storyURL", s("https://news.test/a")),
            ("storyMode", s("QA")),
            ("commentID", s("c-1")),
            ("autoRender", Val::Bool(true)),
            ("events", Val::Func("ev".into())),
            ("accessToken", s("a.b.c")),
            ("refreshAccessToken", Val::Func("rf".into())),
            ("containerClassName", s("dark")),
            ("customCSSURL", s("/x.css")),
            ("customFontsCSSURL", s("/f.css")),
            ("disableDefaultFonts", Val::Bool(true)),
            ("enableDeprecatedEvents", Val::Bool(true)),
            ("amp", Val::Null),
        ]))
        .unwrap();
        assert_eq!(o.id, "coral_thread");
        assert_eq!(
            o.root_url.as_deref(),
            Some("https://Comments.Example.com:443/coral")
        );
        assert_eq!(o.story_id.as_deref(), Some("42"));
        assert_eq!(o.story_mode.as_deref(), Some("QA"));
        assert!(o.auto_render && o.disable_default_fonts && o.enable_deprecated_events);
        assert_eq!(o.events.as_deref(), Some("ev"));
        assert_eq!(o.refresh_access_token.as_deref(), Some("rf"));
        let c = o.stream_config();
        assert_eq!(c.access_token, None, "the host adds the token itself");
        assert_eq!(c.container_class_name.as_deref(), Some("dark"));
        assert!(c.can_refresh);
        assert!(o.warnings.is_empty());
    }

    #[test]
    fn wrong_types_name_the_option() {
        let cases: &[(&str, Val<String>)] = &[
            ("accessToken", Val::Num(42.0)),
            ("accessToken", Val::Bool(true)),
            ("rootURL", s("not a url")),
            ("rootURL", s("javascript:alert(1)")),
            ("rootURL", s("ftp://x.test")),
            ("rootURL", s("https://x.test/?a=1")),
            ("rootURL", Val::Num(1.0)),
            ("id", Val::Other("{}".into())),
            ("id", Val::Num(3.0)),
            ("id", s("")),
            ("storyID", Val::Bool(false)),
            ("storyID", Val::Num(1.5)),
            ("storyMode", s("CHAT")),
            ("autoRender", s("yes")),
            ("events", s("function")),
            ("refreshAccessToken", Val::Other("{}".into())),
            ("bodyClassName", Val::Num(3.0)),
            ("disableDefaultFonts", Val::Num(1.0)),
        ];
        for (k, v) in cases {
            let e = parse(&rec(&[(k, v.clone())])).unwrap_err();
            assert_eq!(e.code, Code::InvalidOption, "{k}");
            assert_eq!(e.option, Some(*k));
            assert!(e.message.contains(k), "{}", e.message);
        }
    }

    #[test]
    fn oversized_token_is_rejected_without_echoing_it() {
        let big = "x".repeat(MAX_TOKEN + 1);
        let e = parse(&rec(&[("accessToken", s(&big))])).unwrap_err();
        assert_eq!(e.code, Code::InvalidOption);
        assert!(!e.message.contains("xxxx"));
        assert_eq!(
            parse(&rec(&[("accessToken", s(""))])).unwrap().access_token,
            None
        );
    }

    #[test]
    fn unknown_and_deprecated_options_warn_once_each() {
        let o = parse(&rec(&[("storyId", s("oops")), ("bodyClassName", s("old"))])).unwrap();
        assert_eq!(o.warnings.len(), 2);
        assert!(o.warnings[0].contains("`storyId`"));
        assert!(o.warnings[1].contains("bodyClassName"));
        assert_eq!(o.container_class_name.as_deref(), Some("old"));
        let o = parse(&rec(&[
            ("bodyClassName", s("old")),
            ("containerClassName", s("new")),
        ]))
        .unwrap();
        assert_eq!(o.container_class_name.as_deref(), Some("new"));
    }

    #[test]
    fn origins() {
        for (u, o) in ORIGIN_CASES {
            assert_eq!(origin_of(u).as_deref(), Some(o), "{u}");
        }
        for bad in NOT_ORIGINS {
            assert_eq!(origin_of(bad), None, "{bad}");
        }
        // The URL standard (and so the browser build) reads this one as
        // `http://x`; the Rust parser refuses it.
        assert_eq!(origin_of("http:///x"), None);
    }

    #[test]
    fn integer_strings() {
        assert_eq!(integer_string(0), "0");
        assert_eq!(integer_string(-120), "-120");
        assert_eq!(integer_string(9_007_199_254_740_991), "9007199254740991");
    }
}
