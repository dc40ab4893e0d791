//! What the state machine takes: inputs as plain data.
//!
//! An [`Input`] is a publisher call, a DOM event, a message, a timer firing
//! or a callback the page called, with the facts the executor read for it
//! (own data properties, `event.origin`, whether `event.source` is the
//! iframe's window, the page's address). Values the core never looks inside
//! (functions, elements, event payloads, tokens) stay in the executor and
//! travel as a [`Ref`].

use alloc::{boxed::Box, string::String, vec::Vec};

use crate::protocol::{Record, Val};
use crate::token::{Claims, UserClaims};

/// A JS value the core does not look inside. `x` numbers it among the
/// values of the current input (1, 2, …, in the order the executor read
/// them); `slot` is the persistent slot the executor already holds it in
/// (0 when none). The core keeps a value by giving it a slot
/// ([`crate::machine::Effects::keep`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ref {
    /// Position among the current input's values (0: no value).
    pub x: u32,
    /// Persistent slot, or 0.
    pub slot: u32,
    /// The value is a DOM `Element`.
    pub element: bool,
}

/// One own data property of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Property name.
    pub key: String,
    /// Its value (an accessor reads as an opaque value with no `x`).
    pub val: Val<Ref>,
    /// The value's position among the input's values.
    pub x: u32,
}

/// A value of the current input, with its position among the input's
/// values (a method's argument).
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// The value.
    pub val: Val<Ref>,
    /// Its position among the input's values.
    pub x: u32,
}

/// A JS object as the executor read it: its own enumerable data
/// properties, in `Object.keys` order. Inherited properties are not there;
/// an accessor is there as an opaque value whose getter never ran.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rec(pub Vec<Entry>);

impl Rec {
    /// The entry for `key`.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.0.iter().find(|e| e.key == key)
    }
}

impl Record for Rec {
    type Any = Ref;
    fn get(&self, key: &str) -> Val<Ref> {
        match self.entry(key) {
            Some(e) => e.val.clone(),
            None => Val::Missing,
        }
    }
    fn keys(&self) -> impl Iterator<Item = impl AsRef<str>> {
        self.0.iter().map(|e| e.key.as_str())
    }
}

/// A token the page handed over, as the executor decoded it (split, base64,
/// `JSON.parse`, own data properties): the facts [`crate::token::check`]
/// needs. The token itself stays a JS string in the executor (`at`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Token {
    /// The string's position among the input's values.
    pub at: u32,
    /// Length in UTF-16 code units (bytes, for an ASCII JWT).
    pub len: u32,
    /// What the checks read.
    pub claims: Claims,
}

/// The facts the executor reads from a token, in this order (each a
/// value, missing when its object is not there): the header's `alg`, the
/// payload (opaque if it is a JSON object), and the claims `sub`, `exp`,
/// `nonce`, `user`, `user.id`, `user.email`, `user.username`.
pub const TOKEN_FACTS: usize = 9;

/// A non-empty string or a number: a claim that counts as present.
fn present(v: &Val<Ref>) -> bool {
    match v {
        Val::Num(_) => true,
        Val::Str(s) => !s.is_empty(),
        _ => false,
    }
}

impl Token {
    /// The core's reading of the executor's facts: what makes a header,
    /// a payload, a present claim, a valid `exp`.
    /// `parts` is the number of `.`-separated segments, `f` the facts in
    /// [`TOKEN_FACTS`] order.
    pub fn from_facts(at: u32, len: u32, parts: f64, f: [Val<Ref>; TOKEN_FACTS]) -> Token {
        let [alg, payload, sub, exp, nonce, user, id, email, username] = f;
        let three = parts == 3.0;
        let header_ok = three && matches!(&alg, Val::Str(a) if !a.eq_ignore_ascii_case("none"));
        let user = matches!(user, Val::Other(_)).then(|| UserClaims {
            id: present(&id),
            email: present(&email),
            username: present(&username),
        });
        let exp = match exp {
            Val::Missing | Val::Null => None,
            Val::Num(n) if n.is_finite() => Some(Ok(n)),
            _ => Some(Err(())),
        };
        let claims = Claims {
            header_ok,
            payload_ok: three && matches!(payload, Val::Other(_)),
            user,
            sub: present(&sub),
            exp,
            nonce: match nonce {
                Val::Str(s) => Some(s),
                _ => None,
            },
        };
        Token { at, len, claims }
    }
}

/// The page's address and canonical link, read when an input needs them.
/// Query strings come parsed by the browser's `URLSearchParams` (pairs in
/// order, percent-decoded).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// `location.origin`.
    pub origin: String,
    /// `location.pathname`.
    pub path: String,
    /// `new URLSearchParams(location.search)`.
    pub search: Vec<(String, String)>,
    /// `location.hash` (`#…` or empty).
    pub hash: String,
    /// `new URLSearchParams(location.hash without '#')`.
    pub hash_params: Vec<(String, String)>,
    /// The resolved `href` of `<link rel=canonical href>`, if any.
    pub canonical: Option<String>,
    /// Whether the browser has `IntersectionObserver`.
    pub observer: bool,
    /// Whether the page has `.coral-count` elements.
    pub counts: bool,
    /// Whether the page has a `script.coral-script` (a count script).
    pub count_script: bool,
}

/// An embed handle's methods, by the number the loader uses (its
/// `METHODS` order; 0–3, 9 and 20 are the embed's own, the rest
/// EventEmitter2's).
pub mod method {
    /// `render()`.
    pub const RENDER: u8 = 0;
    /// `remove()`.
    pub const REMOVE: u8 = 1;
    /// `login(token)`.
    pub const LOGIN: u8 = 2;
    /// `logout()`.
    pub const LOGOUT: u8 = 3;
    /// `on(name, f)` (and `addListener`).
    pub const ON: u8 = 4;
    /// `off(name, f)` (and `removeListener`).
    pub const OFF: u8 = 5;
    /// `once(name, f)`.
    pub const ONCE: u8 = 6;
    /// `onAny(f)`.
    pub const ON_ANY: u8 = 7;
    /// `offAny([f])`.
    pub const OFF_ANY: u8 = 8;
    /// `handleLoginCallback()`.
    pub const HANDLE_LOGIN_CALLBACK: u8 = 9;
    /// `prependListener(name, f)`.
    pub const PREPEND: u8 = 10;
    /// `prependOnceListener(name, f)`.
    pub const PREPEND_ONCE: u8 = 11;
    /// `many(name, n, f)`.
    pub const MANY: u8 = 12;
    /// `prependMany(name, n, f)`.
    pub const PREPEND_MANY: u8 = 13;
    /// `prependAny(f)`.
    pub const PREPEND_ANY: u8 = 14;
    /// `removeAllListeners([name])`.
    pub const REMOVE_ALL: u8 = 15;
    /// `listeners(name)`.
    pub const LISTENERS: u8 = 16;
    /// `listenersAny()`.
    pub const LISTENERS_ANY: u8 = 17;
    /// `eventNames()`.
    pub const EVENT_NAMES: u8 = 18;
    /// `emit(name, ...args)`.
    pub const EMIT: u8 = 19;
    /// The getter `rendered`.
    pub const RENDERED: u8 = 20;
    /// The page dropped the handle (the loader's `FinalizationRegistry`).
    pub const FREE: u8 = 98;
    /// `Coral.createLoginNonce()` (no embed).
    pub const CREATE_LOGIN_NONCE: u8 = 99;
}

/// The loader's method names, by number (`js/loader.js`'s `METHODS` must
/// list the same names: a test compares them).
pub const METHODS: [&str; 20] = [
    "render",
    "remove",
    "login",
    "logout",
    "on",
    "off",
    "once",
    "onAny",
    "offAny",
    "handleLoginCallback",
    "prependListener",
    "prependOnceListener",
    "many",
    "prependMany",
    "prependAny",
    "removeAllListeners",
    "listeners",
    "listenersAny",
    "eventNames",
    "emit",
];

/// What happened, as plain data.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// `Coral.createStreamEmbed(config)`, or `Coral.Talk.render(element,
    /// opts)` when `element` is given.
    Create(Box<Create>),
    /// A method of embed `embed`'s handle (`embed` 0 for
    /// `createLoginNonce`).
    Call {
        /// The embed.
        embed: u32,
        /// Which method (see [`method`]).
        method: u8,
        /// The arguments.
        args: Vec<Value>,
        /// `login`'s token, decoded, if its argument is a string.
        token: Option<Token>,
    },
    /// A `message` on the page's window.
    WindowMessage {
        /// The embed whose iframe's window is `event.source` (0: none).
        embed: u32,
        /// `event.origin`.
        origin: String,
        /// `event.data`, if it is an object.
        data: Option<Rec>,
    },
    /// A message on embed `embed`'s port (each message of a batch is an
    /// input of its own).
    PortMessage {
        /// The embed.
        embed: u32,
        /// The message's object (a non-object reads as empty).
        data: Rec,
    },
    /// Embed `embed`'s iframe fired `load`.
    FrameLoad {
        /// The embed.
        embed: u32,
    },
    /// The page's history moved (back/forward).
    PopState {
        /// The embed whose listener fired.
        embed: u32,
        /// The page's address now.
        page: Page,
    },
    /// Embed `embed`'s lazy-render observer fired.
    Intersect {
        /// The embed.
        embed: u32,
        /// Whether any entry is intersecting.
        near: bool,
    },
    /// Embed `embed`'s timer `timer` fired.
    Timer {
        /// The embed.
        embed: u32,
        /// Which timer.
        timer: crate::machine::TimerKind,
    },
    /// `next(token)` of embed `embed`'s `refreshAccessToken` request
    /// number `gen`.
    Next {
        /// The embed.
        embed: u32,
        /// The request it answers.
        gen: u32,
        /// The argument.
        a: Val<Ref>,
        /// `a` decoded, if it is a string.
        token: Option<Token>,
    },
    /// The effects of embed `embed`'s creation were applied (its `events`
    /// callback has run): finish creating it.
    Continue {
        /// The embed.
        embed: u32,
    },
}

/// `Coral.createStreamEmbed(config)` or `Coral.Talk.render(element, opts)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Create {
    /// The options (for Talk, its v4 options); `None` if not an object.
    pub options: Option<Rec>,
    /// The URL `embed.js` (or `embed.mjs`) came from, if known.
    pub base: Option<String>,
    /// Talk v4: the element.
    pub element: Option<Val<Ref>>,
    /// The page's address.
    pub page: Page,
}

/// The executor's answer to a [`Query`].
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// A value.
    Val(Val<Ref>),
    /// A decoded token.
    Token(Token),
    /// The page's address.
    Page(Page),
    /// An object's own data properties.
    Rec(Rec),
}
