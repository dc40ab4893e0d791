//! `createStreamEmbed` options: Coral's names and defaults, validated into a
//! typed struct. Pure Rust over the [`Record`] trait, so it is tested natively.

use alloc::{string::String, vec::Vec, borrow::ToOwned};

use crate::error::{Error, Result};
use crate::protocol::{Config, Record, Val, MAX_TOKEN};

/// Default container element id (Coral's).
pub const DEFAULT_ID: &str = "coral-embed-stream";

/// Every option name this SDK understands; anything else draws one warning.
pub const KNOWN: &[&str] = &[
    "id",
    "rootURL",
    "storyID",
    "storyURL",
    "storyMode",
    "commentID",
    "autoRender",
    "events",
    "accessToken",
    "refreshAccessToken",
    "containerClassName",
    "bodyClassName",
    "customCSSURL",
    "customFontsCSSURL",
    "disableDefaultFonts",
    "enableDeprecatedEvents",
    "amp",
];

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
    /// Warnings to print once (unknown options, deprecated names).
    pub warnings: Vec<String>,
}

impl<A> Options<A> {
    /// The `config` message for the stream, carrying `token`.
    pub fn stream_config(&self, token: Option<String>) -> Config {
        Config {
            access_token: token,
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

/// A string option: absent/null/undefined → `None`, string → `Some`,
/// anything else → `INVALID_OPTION`.
fn string<R: Record>(rec: &R, name: &'static str) -> Result<Option<String>> {
    match rec.get(name) {
        Val::Missing | Val::Null => Ok(None),
        Val::Str(s) => Ok(Some(s)),
        _ => Err(Error::invalid_option(name, "a string")),
    }
}

/// A string option that may also be given as a number (ids often are).
fn id_like<R: Record>(rec: &R, name: &'static str) -> Result<Option<String>> {
    match rec.get(name) {
        Val::Num(n) if n.abs() < 9.0e15 && n == (n as i64) as f64 => {
            Ok(Some(integer_string(n as i64)))
        }
        _ => string(rec, name),
    }
}

fn boolean<R: Record>(rec: &R, name: &'static str) -> Result<bool> {
    match rec.get(name) {
        Val::Missing | Val::Null => Ok(false),
        Val::Bool(b) => Ok(b),
        _ => Err(Error::invalid_option(name, "a boolean")),
    }
}

fn function<R: Record>(rec: &R, name: &'static str) -> Result<Option<R::Any>> {
    match rec.get(name) {
        Val::Missing | Val::Null => Ok(None),
        Val::Func(f) => Ok(Some(f)),
        _ => Err(Error::invalid_option(name, "a function")),
    }
}

/// Decimal digits of `n` without `core::fmt`.
fn integer_string(n: i64) -> String {
    let mut digits = Vec::new();
    let mut m = n.unsigned_abs();
    loop {
        digits.push(b'0' + (m % 10) as u8);
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if n < 0 {
        digits.push(b'-');
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

/// Validates `createStreamEmbed` options.
pub fn parse<R: Record>(rec: &R) -> Result<Options<R::Any>> {
    let mut warnings = Vec::new();
    for key in rec.keys() {
        if !KNOWN.contains(&key.as_str()) {
            let mut w = String::from("Coral: unknown option `");
            w.push_str(&key);
            w.push_str("` ignored.");
            warnings.push(w);
        }
    }

    let id = match string(rec, "id")? {
        None => DEFAULT_ID.to_owned(),
        Some(s) if s.is_empty() => return Err(Error::invalid_option("id", "a non-empty string")),
        Some(s) => s,
    };

    let root_url = match string(rec, "rootURL")? {
        None => None,
        Some(s) => {
            let trimmed = s.trim_end_matches('/');
            if origin_of(trimmed).is_none() || trimmed.contains(['?', '#']) {
                return Err(Error::invalid_option(
                    "rootURL",
                    "an absolute http(s) URL without query or fragment",
                ));
            }
            Some(trimmed.to_owned())
        }
    };

    let story_mode = string(rec, "storyMode")?;
    if let Some(m) = &story_mode {
        if !STORY_MODES.contains(&m.as_str()) {
            return Err(Error::invalid_option(
                "storyMode",
                "one of COMMENTS, QA, RATINGS_AND_REVIEWS",
            ));
        }
    }

    let access_token = match string(rec, "accessToken")? {
        Some(t) if t.len() > MAX_TOKEN => {
            return Err(Error::invalid_option("accessToken", "at most 16 KiB"))
        }
        Some(t) if t.is_empty() => None,
        t => t,
    };

    let mut container_class_name = string(rec, "containerClassName")?;
    if let Some(body) = string(rec, "bodyClassName")? {
        warnings.push(
            "Coral: option `bodyClassName` is deprecated; use `containerClassName`.".to_owned(),
        );
        container_class_name.get_or_insert(body);
    }

    // `amp` is accepted for compatibility; AMP pages are not supported.
    boolean(rec, "amp")?;

    Ok(Options {
        id,
        root_url,
        story_id: id_like(rec, "storyID")?,
        story_url: string(rec, "storyURL")?,
        story_mode,
        comment_id: id_like(rec, "commentID")?,
        auto_render: boolean(rec, "autoRender")?,
        events: function(rec, "events")?,
        access_token,
        refresh_access_token: function(rec, "refreshAccessToken")?,
        container_class_name,
        custom_css_url: string(rec, "customCSSURL")?,
        custom_fonts_css_url: string(rec, "customFontsCSSURL")?,
        disable_default_fonts: boolean(rec, "disableDefaultFonts")?,
        enable_deprecated_events: boolean(rec, "enableDeprecatedEvents")?,
        warnings,
    })
}

/// The origin (`scheme://host[:port]`, lower-case, default port dropped) of
/// an absolute `http:`/`https:` URL, or `None` if `url` is not one.
pub fn origin_of(url: &str) -> Option<String> {
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return None;
    }
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
        let (h, after) = v6.split_once(']')?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        let mut host = String::from("[");
        host.push_str(h);
        host.push(']');
        (host, port)
    } else {
        match host_port.split_once(':') {
            Some((h, p)) => (h.to_owned(), Some(p)),
            None => (host_port.to_owned(), None),
        }
    };
    let host_ok = host.len() > 2 || (!host.is_empty() && !host.starts_with('['));
    if !host_ok
        || host
            .chars()
            .any(|c| !(c.is_ascii_alphanumeric() || "-._~[]:%".contains(c)))
    {
        return None;
    }
    let mut origin = scheme;
    origin.push_str("://");
    origin.push_str(&host.to_ascii_lowercase());
    match port {
        Some("") | None => {}
        Some(p) if p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) => return None,
        Some(p) if p.trim_start_matches('0') == default_port => {}
        Some(p) => {
            origin.push(':');
            origin.push_str(p.trim_start_matches('0'));
        }
    }
    Some(origin)
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let c = o.stream_config(Some("t".into()));
        assert_eq!(c.access_token.as_deref(), Some("t"));
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
        let ok = [
            ("http://127.0.0.1:3001", "http://127.0.0.1:3001"),
            ("HTTPS://Example.COM/path?x#y", "https://example.com"),
            ("https://example.com:443", "https://example.com"),
            ("http://example.com:80/", "http://example.com"),
            ("http://user:pw@example.com:8080", "http://example.com:8080"),
            ("http://[::1]:3000/x", "http://[::1]:3000"),
            ("http://localhost:03000", "http://localhost:3000"),
        ];
        for (u, o) in ok {
            assert_eq!(origin_of(u).as_deref(), Some(o), "{u}");
        }
        for bad in [
            "",
            "example.com",
            "//example.com",
            "http://",
            "http:///x",
            "file:///etc",
            "http://ex ample.com",
            "http://a:b:c",
            "http://a:99999999",
            "http://[::1",
            "http://a\\b.com",
            "http://[]",
            "data:text/html,x",
        ] {
            assert_eq!(origin_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn integer_strings() {
        assert_eq!(integer_string(0), "0");
        assert_eq!(integer_string(-120), "-120");
        assert_eq!(integer_string(9_007_199_254_740_991), "9007199254740991");
    }
}
