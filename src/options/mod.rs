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
        let key = key.as_ref();
        if !KNOWN.contains(&key) {
            let mut w = String::from("Coral: unknown option `");
            w.push_str(key);
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

mod origin;
#[cfg(test)]
mod tests;

pub use origin::{origin_of, parse_origin, root_url_ok, NOT_ORIGINS, ORIGIN_CASES};
