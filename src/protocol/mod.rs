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

use alloc::string::String;

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
    fn keys(&self) -> impl Iterator<Item = impl AsRef<str>>;
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

mod map;
mod msg;
#[cfg(test)]
mod tests;

pub use map::MapRecord;
pub use msg::{Config, Msg, FIELDS, TYPES};
