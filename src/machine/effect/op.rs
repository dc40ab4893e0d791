//! The effect table: each effect's number and fields, the arguments of a
//! listener call, the listeners, and the questions the core may ask.

use alloc::string::String;

use crate::machine::input::Value;

/// Effect kinds, by number (`js/executor.js` applies them by the same
/// numbers; a test compares the two tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Op {
    /// `[0, json]`: the call returns this JSON value.
    Return = 0,
    /// `[1, code, message, option, claim]`: the call throws a `CoralError`
    /// (`option` and `claim` are `""` when not concerned).
    Throw = 1,
    /// `[2, text]`: `console.warn(text)`.
    Warn = 2,
    /// `[3, text]`: `console.error(text)`.
    Error = 3,
    /// `[4, query, arg]`: answer the query and run the input again with the
    /// answer appended (see [`Query`]). Always the last effect.
    Ask = 4,
    /// `[5, embed]`: the loader's handle learns its embed id.
    Bind = 5,
    /// `[6, embed, why, event, tag, f, tag, v, …]`: call the function `f`
    /// with the arguments that follow (each a tag and a value, see
    /// [`ArgTag`]) and `this` = `{event}` (`undefined` when `event` is
    /// `""`); if it throws, `console.error(why, error)`.
    Call = 6,
    /// `[7, x, slot]`: keep the input's value `x` in `slot`.
    Keep = 7,
    /// `[8, slot]`: let go of the value in `slot`.
    Free = 8,
    /// `[9, embed, container slot, [[name, value], …], cssText]`: create
    /// the embed's iframe with these attributes and style and append it.
    Frame = 9,
    /// `[10, embed, property, value]`: set (or, for `""`, remove) a style
    /// property of the embed's iframe.
    Style = 10,
    /// `[11, embed, what, on]`: add (`on` = 1) or remove a listener (see
    /// [`Listen`]).
    Listen = 11,
    /// `[12, embed, welcome, origin]`: open a new `MessageChannel` (closing
    /// any earlier one), listen on one port, and post `welcome` with the
    /// other to the iframe's window with target origin `origin`.
    Connect = 12,
    /// `[13, embed, message, key, slot]`: post `message` on the embed's
    /// port, with the value in `slot` as its property `key` (`slot` 0:
    /// none).
    Post = 13,
    /// `[14, embed, timer, ms]`: (re)start a timer; `ms` < 0 clears it.
    Timer = 14,
    /// `[15, embed, container slot, rootMargin, root slot]`: observe the
    /// container (an `IntersectionObserver` whose root is the element in
    /// `root slot`, or the viewport for 0); `rootMargin` `""` disconnects.
    Observe = 15,
    /// `[16, url]`: `history.pushState(null, "", url)`.
    Push = 16,
    /// `[17, embed]`: tear down everything the executor holds for the
    /// embed (iframe, port, listeners, timers, observer).
    Unmount = 17,
    /// `[18, embed]`: once these effects are applied, run
    /// `Continue {embed}`.
    Continue = 18,
    /// `[19, slot, …]`: the call returns an array of these kept values.
    ReturnSlots = 19,
    /// `[20, [[name, value], …]]`: append a `<script>` with these
    /// attributes to the document's `<head>`.
    Script = 20,
    /// `[21, global, method, json]`: if `window`'s own data property
    /// `global` has an own data property `method` that is a function, call
    /// it on `global` with `json`.
    Global = 21,
}

/// The argument kinds of a [`Op::Call`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ArgTag {
    /// The JSON value itself.
    Json = 0,
    /// The value kept in a slot.
    Slot = 1,
    /// The current input's value `x`.
    Input = 2,
    /// The handle (emitter) of an embed.
    Handle = 3,
    /// A new `next` function for the embed's `refreshAccessToken` request
    /// number `v`.
    Next = 4,
}

/// A [`Op::Call`] argument.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arg<'a> {
    /// A JSON value, as text.
    Json(&'a str),
    /// A string.
    Str(&'a str),
    /// A kept value.
    Slot(u32),
    /// A value of the current input.
    Input(u32),
    /// Values of the current input, one argument each.
    Inputs(&'a [Value]),
    /// An embed's handle.
    Handle(u32),
    /// A fresh `next` for request `gen`.
    Next(u32),
}

/// The listeners of [`Op::Listen`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Listen {
    /// `message` on the page's window.
    WindowMessage = 0,
    /// `load` on the embed's iframe.
    FrameLoad = 1,
    /// `popstate` on the page's window.
    PopState = 2,
}

/// The executor's queries ([`Op::Ask`]): what the core needs to know in the
/// middle of an input, answered before the input runs again.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    /// The element with this id (`getElementById`), or `null`.
    Find(String),
    /// The pending login nonce, removed from `sessionStorage` (a string, or
    /// `null`).
    TakeNonce,
    /// `history.replaceState(state, "", url)`: whether it worked.
    Replace(String),
    /// This token string, decoded (an [`crate::machine::Answer::Token`]).
    Claims(String),
    /// The own data properties of the input's value `x` (an
    /// [`crate::machine::Answer::Rec`]).
    Record(u32),
    /// A fresh login nonce, stored in `sessionStorage` (a string, or
    /// `undefined` if that failed).
    NewNonce,
    /// The page's address (an [`crate::machine::Answer::Page`]).
    Page,
}

/// The query numbers of [`Op::Ask`].
impl Query {
    pub(super) fn number(&self) -> u8 {
        match self {
            Query::Find(_) => 0,
            Query::TakeNonce => 1,
            Query::Replace(_) => 2,
            Query::Claims(_) => 3,
            Query::NewNonce => 4,
            Query::Page => 5,
            Query::Record(_) => 6,
        }
    }
}
