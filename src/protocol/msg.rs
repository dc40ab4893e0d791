//! The messages: [`Config`] and [`Msg`], their wire names, and decoding
//! and encoding through [`Record`] / [`RecordMut`].

use alloc::string::String;

use super::{
    From, Record, RecordMut, Val, MAX_EVENT_NAME, MAX_HEIGHT, MAX_TOKEN, NS, TYPE, VERSION,
};

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

/// Every message type's wire name (tests feed them, and near misses, to
/// both decoders).
pub const TYPES: [&str; 13] = [
    t::HELLO,
    t::WELCOME,
    t::CONFIG,
    t::LOGIN,
    t::LOGOUT,
    t::REFRESH,
    t::READY,
    t::EVENT,
    t::HEIGHT,
    t::GET_REFRESH,
    t::AUTH_STATE,
    t::PERMALINK,
    t::COMMENT_ID,
];

/// Every field a message can carry besides [`NS`] and [`TYPE`] (tests
/// feed them, with junk values, to both decoders; the round-trip test
/// checks that encoding writes exactly these).
pub const FIELDS: [&str; 16] = [
    "token",
    "accessToken",
    "name",
    "data",
    "height",
    "loggedIn",
    "storyID",
    "storyURL",
    "storyMode",
    "commentID",
    "containerClassName",
    "customCSSURL",
    "customFontsCSSURL",
    "disableDefaultFonts",
    "enableDeprecatedEvents",
    "canRefresh",
];

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
        match self.sender() {
            From::Host => self.encode_from_host(rec),
            From::Stream => self.encode_from_stream(rec),
        }
    }

    /// [`Msg::encode`] of a host → stream kind (a stream → host kind
    /// writes nothing). The host's wasm links only this half.
    pub fn encode_from_host<W: RecordMut<Any = A>>(&self, rec: &mut W) {
        let kind = match self {
            Msg::Welcome => t::WELCOME,
            Msg::Config(_) => t::CONFIG,
            Msg::Login { .. } => t::LOGIN,
            Msg::Logout => t::LOGOUT,
            Msg::RefreshAccessToken { .. } => t::REFRESH,
            Msg::CommentId { .. } => t::COMMENT_ID,
            _ => return,
        };
        rec.set_num(NS, VERSION);
        match self {
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
            }
            Msg::Login { token } | Msg::RefreshAccessToken { token: Some(token) } => {
                rec.set_str("token", token)
            }
            Msg::CommentId {
                comment_id: Some(c),
            } => rec.set_str("commentID", c),
            _ => {}
        }
        rec.set_str(TYPE, kind);
    }

    /// [`Msg::encode`] of a stream → host kind (a host → stream kind
    /// writes nothing).
    pub fn encode_from_stream<W: RecordMut<Any = A>>(&self, rec: &mut W) {
        let kind = match self {
            Msg::Hello => t::HELLO,
            Msg::Ready => t::READY,
            Msg::Event { .. } => t::EVENT,
            Msg::Height { .. } => t::HEIGHT,
            Msg::GetRefreshAccessToken => t::GET_REFRESH,
            Msg::AuthState { .. } => t::AUTH_STATE,
            Msg::Permalink { .. } => t::PERMALINK,
            _ => return,
        };
        rec.set_num(NS, VERSION);
        match self {
            Msg::Event { name, data } => {
                rec.set_str("name", name);
                if let Some(data) = data {
                    rec.set_any("data", data);
                }
            }
            Msg::Height { px } => rec.set_num("height", *px),
            Msg::AuthState { logged_in } => rec.set_bool("loggedIn", *logged_in),
            Msg::Permalink {
                comment_id: Some(c),
            } => rec.set_str("commentID", c),
            _ => {}
        }
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
