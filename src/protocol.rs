//! The host ⇄ stream wire protocol, defined once and shared by both ends.
//!
//! Every message is a plain object tagged with [`NS`] (whose value is the
//! protocol [`VERSION`]) and a type string under `"t"`. The flow is:
//!
//! 1. stream → host, on `window.parent`: [`Msg::Hello`]. It carries no secret
//!    and is the only message ever posted with a wildcard target origin.
//! 2. host → stream, on the iframe window, to the pinned stream origin:
//!    [`Msg::Welcome`], transferring one end of a `MessageChannel`.
//! 3. Everything else travels over that private port: `config`, `login`,
//!    `logout`, `refreshAccessToken` host → stream; `ready`, `event`,
//!    `height`, `getRefreshAccessToken`, `authState` stream → host.
//!    The stream posts the first message of a task at once and the rest of
//!    that task's messages together at its end, as an array (a batch,
//!    delivered in order).
//!
//! The module is pure Rust: it reads and writes messages through the
//! [`Record`] / [`RecordMut`] traits, implemented for `JsValue` by each end
//! and for a small map in the native tests. Nothing here formats numbers, so
//! it adds no `core::fmt` to the host payload.

use alloc::{borrow::ToOwned, string::String, vec::Vec};

/// Property that marks a stream-embed message; its value is [`VERSION`].
pub const NS: &str = "$streamEmbed";
/// Protocol version. Messages of any other version are ignored.
pub const VERSION: f64 = 1.0;
/// Property holding the message type.
pub const TYPE: &str = "t";
/// Largest height (CSS px) the host accepts from a stream.
pub const MAX_HEIGHT: f64 = 1_000_000.0;
/// Longest event name the host forwards.
pub const MAX_EVENT_NAME: usize = 128;
/// Longest token either end accepts (16 KiB, as the server).
pub const MAX_TOKEN: usize = 16 * 1024;

/// One property of a message as the decoder sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Val<A> {
    /// The property is absent (or `undefined`).
    Missing,
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Num(f64),
    /// A string.
    Str(String),
    /// A function, kept opaque.
    Func(A),
    /// Anything else (object, array, symbol, bigint), kept opaque.
    Other(A),
}

/// Read access to a message object.
pub trait Record {
    /// Opaque value type for properties the protocol passes through.
    type Any;
    /// The property `key`, classified. Own or inherited; implementations
    /// must not run user code they can avoid (no getters on our own objects).
    fn get(&self, key: &str) -> Val<Self::Any>;
    /// The object's own enumerable keys (used to warn about unknown options).
    fn keys(&self) -> Vec<String>;
    /// The property `key` if it is a number: `get`, narrowed (an adapter
    /// can answer it with one question instead of a classification).
    fn get_num(&self, key: &str) -> Option<f64> {
        match self.get(key) {
            Val::Num(n) => Some(n),
            _ => None,
        }
    }
    /// The property `key` if it is a string.
    fn get_str(&self, key: &str) -> Option<String> {
        match self.get(key) {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }
    /// The property `key` if it is a boolean.
    fn get_bool(&self, key: &str) -> Option<bool> {
        match self.get(key) {
            Val::Bool(b) => Some(b),
            _ => None,
        }
    }
}

/// Write access to a message object under construction.
pub trait RecordMut {
    /// Opaque value type for properties the protocol passes through.
    type Any;
    /// Sets a string property.
    fn set_str(&mut self, key: &str, value: &str);
    /// Sets a number property.
    fn set_num(&mut self, key: &str, value: f64);
    /// Sets a boolean property.
    fn set_bool(&mut self, key: &str, value: bool);
    /// Sets an opaque property.
    fn set_any(&mut self, key: &str, value: &Self::Any);
}

/// Who sent a message; each end decodes only what the other may send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum From {
    /// Messages from the publisher page.
    Host,
    /// Messages from the stream iframe.
    Stream,
}

/// Stream settings the host sends after the handshake.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// The SSO token, if the reader is signed in.
    pub access_token: Option<String>,
    /// Story identifier.
    pub story_id: Option<String>,
    /// Canonical story URL.
    pub story_url: Option<String>,
    /// `COMMENTS`, `QA` or `RATINGS_AND_REVIEWS`.
    pub story_mode: Option<String>,
    /// Comment to show as a permalink.
    pub comment_id: Option<String>,
    /// Class added to the stream's container.
    pub container_class_name: Option<String>,
    /// Extra stylesheet for the stream.
    pub custom_css_url: Option<String>,
    /// Extra font stylesheet for the stream.
    pub custom_fonts_css_url: Option<String>,
    /// Do not load the default fonts.
    pub disable_default_fonts: bool,
    /// Forward deprecated event names too.
    pub enable_deprecated_events: bool,
    /// Whether the publisher supplied `refreshAccessToken`.
    pub can_refresh: bool,
}

/// A protocol message. `A` is the opaque type of event payloads.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg<A> {
    /// stream → host, window level: "I am loaded, connect me".
    Hello,
    /// host → stream, window level: carries the channel port.
    Welcome,
    /// host → stream: settings and the current token.
    Config(Config),
    /// host → stream: sign in with this token.
    Login {
        /// The SSO token.
        token: String,
    },
    /// host → stream: sign out.
    Logout,
    /// host → stream: answer to [`Msg::GetRefreshAccessToken`]; `None` when
    /// the publisher has no fresh token.
    RefreshAccessToken {
        /// The new token, if any.
        token: Option<String>,
    },
    /// stream → host: the stream has rendered.
    Ready,
    /// stream → host: a stream event to forward to the publisher.
    Event {
        /// Event name, e.g. `loginPrompt`.
        name: String,
        /// Event payload, passed through untouched.
        data: Option<A>,
    },
    /// stream → host: the stream's content height in CSS px.
    Height {
        /// Height in CSS pixels, finite and within `0..=MAX_HEIGHT`.
        px: f64,
    },
    /// stream → host: the token expired or was rejected; ask for a new one.
    GetRefreshAccessToken,
    /// stream → host: the stream's sign-in state changed (also acknowledges
    /// `config`, `login` and `logout`).
    AuthState {
        /// Whether a reader is signed in.
        logged_in: bool,
    },
    /// stream → host: the reader opened (or closed, with `None`) a comment
    /// permalink; the host puts it in the page URL with `history.pushState`.
    Permalink {
        /// The comment shown, if any.
        comment_id: Option<String>,
    },
    /// host → stream: the page URL's `commentID` changed (back/forward).
    CommentId {
        /// The comment to show, if any.
        comment_id: Option<String>,
    },
}

/// Wire names of the message types.
mod t {
    pub const HELLO: &str = "hello";
    pub const WELCOME: &str = "welcome";
    pub const CONFIG: &str = "config";
    pub const LOGIN: &str = "login";
    pub const LOGOUT: &str = "logout";
    pub const REFRESH: &str = "refreshAccessToken";
    pub const READY: &str = "ready";
    pub const EVENT: &str = "event";
    pub const HEIGHT: &str = "height";
    pub const GET_REFRESH: &str = "getRefreshAccessToken";
    pub const AUTH_STATE: &str = "authState";
    pub const PERMALINK: &str = "permalink";
    pub const COMMENT_ID: &str = "commentID";
}

/// A comment id: absent means none; a present id must be a short string.
fn id<A>(v: Val<A>) -> Option<Option<String>> {
    match v {
        Val::Missing | Val::Null => Some(None),
        Val::Str(s) if !s.is_empty() && s.len() <= MAX_EVENT_NAME => Some(Some(s)),
        _ => None,
    }
}

/// A token acceptable on the wire: a non-empty string of bounded length.
fn token(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty() && s.len() <= MAX_TOKEN)
}

impl<A> Msg<A> {
    /// Decodes a message sent by `from`. Returns `None` for anything that is
    /// not a well-formed message of this protocol version from that side:
    /// foreign messages, wrong types, unknown kinds. Never panics.
    pub fn decode<R: Record<Any = A>>(rec: &R, from: From) -> Option<Self> {
        match from {
            From::Stream => Self::from_stream(rec),
            From::Host => Self::from_host(rec),
        }
    }

    /// The kind of a message of this protocol version.
    fn kind<R: Record<Any = A>>(rec: &R) -> Option<String> {
        if rec.get_num(NS) != Some(VERSION) {
            return None;
        }
        rec.get_str(TYPE)
    }

    /// [`Msg::decode`] of what the stream sends (the host links only this
    /// half: 0.08 kB gz).
    pub fn from_stream<R: Record<Any = A>>(rec: &R) -> Option<Self> {
        let msg = match Self::kind(rec)?.as_str() {
            t::HELLO => Msg::Hello,
            t::READY => Msg::Ready,
            t::EVENT => {
                let name = rec
                    .get_str("name")
                    .filter(|s| !s.is_empty() && s.len() <= MAX_EVENT_NAME)?;
                let data = match rec.get("data") {
                    Val::Other(a) => Some(a),
                    _ => None,
                };
                Msg::Event { name, data }
            }
            t::HEIGHT => Msg::Height {
                px: rec
                    .get_num("height")
                    .filter(|px| (0.0..=MAX_HEIGHT).contains(px))?,
            },
            t::GET_REFRESH => Msg::GetRefreshAccessToken,
            t::PERMALINK => Msg::Permalink {
                comment_id: id(rec.get("commentID"))?,
            },
            t::AUTH_STATE => Msg::AuthState {
                logged_in: rec.get_bool("loggedIn")?,
            },
            _ => return None,
        };
        Some(msg)
    }

    /// [`Msg::decode`] of what the host sends.
    pub fn from_host<R: Record<Any = A>>(rec: &R) -> Option<Self> {
        let msg = match Self::kind(rec)?.as_str() {
            t::WELCOME => Msg::Welcome,
            t::CONFIG => Msg::Config(Config {
                access_token: token(rec.get_str("accessToken")),
                story_id: rec.get_str("storyID"),
                story_url: rec.get_str("storyURL"),
                story_mode: rec.get_str("storyMode"),
                comment_id: rec.get_str("commentID"),
                container_class_name: rec.get_str("containerClassName"),
                custom_css_url: rec.get_str("customCSSURL"),
                custom_fonts_css_url: rec.get_str("customFontsCSSURL"),
                disable_default_fonts: rec.get_bool("disableDefaultFonts") == Some(true),
                enable_deprecated_events: rec.get_bool("enableDeprecatedEvents") == Some(true),
                can_refresh: rec.get_bool("canRefresh") == Some(true),
            }),
            t::LOGIN => Msg::Login {
                token: token(rec.get_str("token"))?,
            },
            t::LOGOUT => Msg::Logout,
            t::REFRESH => Msg::RefreshAccessToken {
                token: token(rec.get_str("token")),
            },
            t::COMMENT_ID => Msg::CommentId {
                comment_id: id(rec.get("commentID"))?,
            },
            _ => return None,
        };
        Some(msg)
    }

    /// Writes this message into `rec` (which should start empty).
    pub fn encode<W: RecordMut<Any = A>>(&self, rec: &mut W) {
        rec.set_num(NS, VERSION);
        let kind = match self {
            Msg::Hello => t::HELLO,
            Msg::Welcome => t::WELCOME,
            Msg::Config(c) => {
                let strs = [
                    ("accessToken", &c.access_token),
                    ("storyID", &c.story_id),
                    ("storyURL", &c.story_url),
                    ("storyMode", &c.story_mode),
                    ("commentID", &c.comment_id),
                    ("containerClassName", &c.container_class_name),
                    ("customCSSURL", &c.custom_css_url),
                    ("customFontsCSSURL", &c.custom_fonts_css_url),
                ];
                for (k, v) in strs {
                    if let Some(v) = v {
                        rec.set_str(k, v);
                    }
                }
                rec.set_bool("disableDefaultFonts", c.disable_default_fonts);
                rec.set_bool("enableDeprecatedEvents", c.enable_deprecated_events);
                rec.set_bool("canRefresh", c.can_refresh);
                t::CONFIG
            }
            Msg::Login { token } => {
                rec.set_str("token", token);
                t::LOGIN
            }
            Msg::Logout => t::LOGOUT,
            Msg::RefreshAccessToken { token } => {
                if let Some(token) = token {
                    rec.set_str("token", token);
                }
                t::REFRESH
            }
            Msg::Ready => t::READY,
            Msg::Event { name, data } => {
                rec.set_str("name", name);
                if let Some(data) = data {
                    rec.set_any("data", data);
                }
                t::EVENT
            }
            Msg::Height { px } => {
                rec.set_num("height", *px);
                t::HEIGHT
            }
            Msg::GetRefreshAccessToken => t::GET_REFRESH,
            Msg::AuthState { logged_in } => {
                rec.set_bool("loggedIn", *logged_in);
                t::AUTH_STATE
            }
            Msg::Permalink { comment_id } | Msg::CommentId { comment_id } => {
                if let Some(c) = comment_id {
                    rec.set_str("commentID", c);
                }
                if matches!(self, Msg::Permalink { .. }) {
                    t::PERMALINK
                } else {
                    t::COMMENT_ID
                }
            }
        };
        rec.set_str(TYPE, kind);
    }

    /// The side that sends this kind of message.
    pub fn sender(&self) -> From {
        match self {
            Msg::Welcome
            | Msg::Config(_)
            | Msg::Login { .. }
            | Msg::Logout
            | Msg::RefreshAccessToken { .. }
            | Msg::CommentId { .. } => From::Host,
            _ => From::Stream,
        }
    }
}

/// A plain map implementing [`Record`] and [`RecordMut`], for native tests and
/// tools. Opaque values are strings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MapRecord(pub Vec<(String, Val<String>)>);

impl MapRecord {
    /// Sets `key` to `v`, replacing any earlier value.
    pub fn set(&mut self, key: &str, v: Val<String>) {
        self.0.retain(|(k, _)| k != key);
        self.0.push((key.to_owned(), v));
    }
}

impl Record for MapRecord {
    type Any = String;
    fn get(&self, key: &str) -> Val<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or(Val::Missing)
    }
    fn keys(&self) -> Vec<String> {
        self.0.iter().map(|(k, _)| k.clone()).collect()
    }
}

impl RecordMut for MapRecord {
    type Any = String;
    fn set_str(&mut self, key: &str, value: &str) {
        self.set(key, Val::Str(value.to_owned()));
    }
    fn set_num(&mut self, key: &str, value: f64) {
        self.set(key, Val::Num(value));
    }
    fn set_bool(&mut self, key: &str, value: bool) {
        self.set(key, Val::Bool(value));
    }
    fn set_any(&mut self, key: &str, value: &String) {
        self.set(key, Val::Other(value.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(m: Msg<String>) {
        let mut rec = MapRecord::default();
        m.encode(&mut rec);
        assert_eq!(Msg::decode(&rec, m.sender()), Some(m.clone()), "{rec:?}");
        let other = match m.sender() {
            From::Host => From::Stream,
            From::Stream => From::Host,
        };
        assert_eq!(Msg::decode(&rec, other), None, "wrong direction accepted");
    }

    #[test]
    fn every_message_round_trips_and_only_in_its_direction() {
        let full = Config {
            access_token: Some("a.b.c".into()),
            story_id: Some("story-1".into()),
            story_url: Some("https://x.test/a".into()),
            story_mode: Some("QA".into()),
            comment_id: Some("c1".into()),
            container_class_name: Some("dark".into()),
            custom_css_url: Some("https://x.test/c.css".into()),
            custom_fonts_css_url: Some("https://x.test/f.css".into()),
            disable_default_fonts: true,
            enable_deprecated_events: true,
            can_refresh: true,
        };
        for m in [
            Msg::Hello,
            Msg::Welcome,
            Msg::Config(Config::default()),
            Msg::Config(full),
            Msg::Login {
                token: "t.o.k".into(),
            },
            Msg::Logout,
            Msg::RefreshAccessToken { token: None },
            Msg::RefreshAccessToken {
                token: Some("n.e.w".into()),
            },
            Msg::Ready,
            Msg::Event {
                name: "loginPrompt".into(),
                data: None,
            },
            Msg::Event {
                name: "showAuthPopup".into(),
                data: Some("{view}".into()),
            },
            Msg::Height { px: 420.5 },
            Msg::GetRefreshAccessToken,
            Msg::AuthState { logged_in: true },
            Msg::AuthState { logged_in: false },
            Msg::Permalink { comment_id: None },
            Msg::Permalink {
                comment_id: Some("c-9".into()),
            },
            Msg::CommentId { comment_id: None },
            Msg::CommentId {
                comment_id: Some("c-9".into()),
            },
        ] {
            round_trip(m);
        }
    }

    fn rec(pairs: &[(&str, Val<String>)]) -> MapRecord {
        MapRecord(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn foreign_and_malformed_messages_are_ignored() {
        let ns = (NS, Val::Num(VERSION));
        let cases = [
            rec(&[]),
            rec(&[
                (TYPE, Val::Str("login".into())),
                ("token", Val::Str("x".into())),
            ]),
            rec(&[(NS, Val::Num(2.0)), (TYPE, Val::Str("logout".into()))]),
            rec(&[
                (NS, Val::Str("1".into())),
                (TYPE, Val::Str("logout".into())),
            ]),
            rec(&[ns.clone(), (TYPE, Val::Num(1.0))]),
            rec(&[ns.clone(), (TYPE, Val::Str("nope".into()))]),
            rec(&[ns.clone(), (TYPE, Val::Str("login".into()))]),
            rec(&[
                ns.clone(),
                (TYPE, Val::Str("login".into())),
                ("token", Val::Num(42.0)),
            ]),
            rec(&[
                ns.clone(),
                (TYPE, Val::Str("login".into())),
                ("token", Val::Str(String::new())),
            ]),
            rec(&[
                ns.clone(),
                (TYPE, Val::Str("login".into())),
                ("token", Val::Str("x".repeat(MAX_TOKEN + 1))),
            ]),
        ];
        for c in &cases {
            assert_eq!(Msg::decode(c, From::Host), None, "{c:?}");
            assert_eq!(Msg::decode(c, From::Stream), None, "{c:?}");
        }
        let stream_bad = [
            rec(&[
                ns.clone(),
                (TYPE, Val::Str("height".into())),
                ("height", Val::Num(-1.0)),
            ]),
            rec(&[
                ns.clone(),
                (TYPE, Val::Str("height".into())),
                ("height", Val::Num(f64::NAN)),
            ]),
            rec(&[
                ns.clone(),
                (TYPE, Val::Str("height".into())),
                ("height", Val::Num(f64::INFINITY)),
            ]),
            rec(&[
                ns.clone(),
                (TYPE, Val::Str("height".into())),
                ("height", Val::Str("10".into())),
            ]),
            rec(&[ns.clone(), (TYPE, Val::Str("event".into()))]),
            rec(&[
                ns.clone(),
                (TYPE, Val::Str("event".into())),
                ("name", Val::Str(String::new())),
            ]),
            rec(&[
                ns.clone(),
                (TYPE, Val::Str("event".into())),
                ("name", Val::Str("x".repeat(MAX_EVENT_NAME + 1))),
            ]),
            rec(&[
                ns.clone(),
                (TYPE, Val::Str("authState".into())),
                ("loggedIn", Val::Num(1.0)),
            ]),
        ];
        for c in &stream_bad {
            assert_eq!(Msg::decode(c, From::Stream), None, "{c:?}");
        }
    }

    #[test]
    fn config_ignores_wrongly_typed_fields() {
        let c = rec(&[
            (NS, Val::Num(VERSION)),
            (TYPE, Val::Str("config".into())),
            ("accessToken", Val::Num(42.0)),
            ("storyID", Val::Bool(true)),
            ("disableDefaultFonts", Val::Str("true".into())),
        ]);
        assert_eq!(
            Msg::<String>::decode(&c, From::Host),
            Some(Msg::Config(Config::default()))
        );
    }
}
