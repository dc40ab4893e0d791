//! What the state machine returns: a buffer of effects for the executor.
//!
//! The buffer is JSON text, an array of effects, each an array that starts
//! with its [`Op`] number: `[[2,"Coral: …"],[13,7,{"$streamEmbed":1,…},…]]`.
//! The executor `JSON.parse`s it and applies the effects in order; it
//! decides nothing. Numbers in effects are integers, so nothing here formats
//! a float (no `core::fmt` on the publisher's page).

use alloc::string::String;

use crate::protocol::{Msg, RecordMut};

use super::input::Ref;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg<'a> {
    /// No argument.
    None,
    /// A JSON value, as text.
    Json(&'a str),
    /// A string.
    Str(&'a str),
    /// A kept value.
    Slot(u32),
    /// A value of the current input.
    Input(u32),
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
    fn number(&self) -> u8 {
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

/// The effect buffer of one step.
#[derive(Debug, Default)]
pub struct Effects {
    out: String,
}

impl Effects {
    /// An empty buffer.
    pub fn new() -> Self {
        Effects::default()
    }

    /// The JSON text.
    pub fn json(&self) -> String {
        let mut s = String::from("[");
        s.push_str(&self.out);
        s.push(']');
        s
    }

    /// Forgets every effect written (an input that must ask first).
    pub fn clear(&mut self) {
        self.out.clear();
    }

    fn start(&mut self, op: Op) {
        if !self.out.is_empty() {
            self.out.push(',');
        }
        self.out.push('[');
        self.push_num(op as u8 as i64);
    }

    fn end(&mut self) {
        self.out.push(']');
    }

    fn push_num(&mut self, n: i64) {
        crate::options::push_int(&mut self.out, n);
    }

    fn num(&mut self, n: i64) {
        self.out.push(',');
        self.push_num(n);
    }

    fn text(&mut self, s: &str) {
        self.out.push(',');
        push_json_str(&mut self.out, s);
    }

    fn raw(&mut self, json: &str) {
        self.out.push(',');
        self.out.push_str(json);
    }

    /// The call returns `json` (a JSON value, as text).
    pub fn ret(&mut self, json: &str) {
        self.start(Op::Return);
        self.raw(json);
        self.end();
    }

    /// The call throws `e`.
    pub fn throw(&mut self, e: &crate::error::Error) {
        self.start(Op::Throw);
        self.text(e.code.as_str());
        self.text(&e.message);
        self.text(e.option.unwrap_or(""));
        self.text(e.claim.unwrap_or(""));
        self.end();
    }

    /// `console.warn(text)` (`error`: `console.error`).
    pub fn log(&mut self, error: bool, text: &str) {
        self.start(if error { Op::Error } else { Op::Warn });
        self.text(text);
        self.end();
    }

    /// Asks the executor (always the last effect of a step).
    pub fn ask(&mut self, q: &Query) {
        self.clear();
        self.start(Op::Ask);
        self.num(q.number() as i64);
        match q {
            Query::Find(s) | Query::Replace(s) | Query::Claims(s) => self.text(s),
            Query::Record(x) => self.num(*x as i64),
            Query::TakeNonce | Query::NewNonce | Query::Page => {}
        }
        self.end();
    }

    /// Tells the loader's handle its embed id.
    pub fn bind(&mut self, embed: u32) {
        self.embed_op(Op::Bind, embed);
    }

    /// Calls the function `f` (a kept or an input value) for embed `embed`
    /// with `this.event` = `event`; `why` is logged with the error if it
    /// throws.
    pub fn call(&mut self, embed: u32, f: Arg, why: &str, event: &str, args: &[Arg]) {
        self.start(Op::Call);
        self.num(embed as i64);
        self.text(why);
        self.text(event);
        for a in core::iter::once(&f).chain(args) {
            let a = *a;
            let (tag, n) = match a {
                Arg::None => break,
                Arg::Json(j) => {
                    self.num(ArgTag::Json as i64);
                    self.raw(j);
                    continue;
                }
                Arg::Str(s) => {
                    self.num(ArgTag::Json as i64);
                    self.text(s);
                    continue;
                }
                Arg::Slot(n) => (ArgTag::Slot, n),
                Arg::Input(n) => (ArgTag::Input, n),
                Arg::Handle(n) => (ArgTag::Handle, n),
                Arg::Next(n) => (ArgTag::Next, n),
            };
            self.num(tag as i64);
            self.num(n as i64);
        }
        self.end();
    }

    /// Keeps the input's value `x` in `slot`.
    pub fn keep(&mut self, x: u32, slot: u32) {
        self.start(Op::Keep);
        self.num(x as i64);
        self.num(slot as i64);
        self.end();
    }

    /// Lets go of `slot`.
    pub fn free(&mut self, slot: u32) {
        self.embed_op(Op::Free, slot);
    }

    /// Creates embed `embed`'s iframe in the container `container`.
    pub fn frame(&mut self, embed: u32, container: u32, attrs: &[(&str, &str)], css: &str) {
        self.start(Op::Frame);
        self.num(embed as i64);
        self.num(container as i64);
        self.out.push(',');
        push_pairs(&mut self.out, attrs);
        self.text(css);
        self.end();
    }

    /// Sets (or with `""` removes) a style property of the iframe.
    pub fn style(&mut self, embed: u32, property: &str, value: &str) {
        self.start(Op::Style);
        self.num(embed as i64);
        self.text(property);
        self.text(value);
        self.end();
    }

    /// Adds or removes one of the embed's listeners.
    pub fn listen(&mut self, embed: u32, what: Listen, on: bool) {
        self.start(Op::Listen);
        self.num(embed as i64);
        self.num(what as i64);
        self.num(on as i64);
        self.end();
    }

    /// Opens a fresh channel to the iframe's window at `origin`.
    pub fn connect(&mut self, embed: u32, origin: &str) {
        self.start(Op::Connect);
        self.num(embed as i64);
        self.out.push(',');
        encode_msg(&mut self.out, &Msg::Welcome);
        self.text(origin);
        self.end();
    }

    /// Posts `msg` on the embed's port, with the value in `token` (a slot;
    /// 0: none) as its property `key`.
    pub fn post(&mut self, embed: u32, msg: &Msg<Ref>, key: &str, token: u32) {
        self.start(Op::Post);
        self.num(embed as i64);
        self.out.push(',');
        encode_msg(&mut self.out, msg);
        self.text(key);
        self.num(token as i64);
        self.end();
    }

    /// (Re)starts timer `timer` of the embed; negative `ms` clears it.
    pub fn timer(&mut self, embed: u32, timer: u8, ms: i64) {
        self.start(Op::Timer);
        self.num(embed as i64);
        self.num(timer as i64);
        self.num(ms);
        self.end();
    }

    /// Observes the container within `root` (a slot; 0: the viewport);
    /// `margin` empty stops observing.
    pub fn observe(&mut self, embed: u32, container: u32, margin: &str, root: u32) {
        self.start(Op::Observe);
        self.num(embed as i64);
        self.num(container as i64);
        self.text(margin);
        self.num(root as i64);
        self.end();
    }

    /// The call returns the kept values in `slots`, as an array.
    pub fn ret_slots(&mut self, slots: &[u32]) {
        self.start(Op::ReturnSlots);
        for s in slots {
            self.num(*s as i64);
        }
        self.end();
    }

    /// Appends a `<script>` with these attributes to `<head>`.
    pub fn script(&mut self, attrs: &[(&str, &str)]) {
        self.start(Op::Script);
        self.out.push(',');
        push_pairs(&mut self.out, attrs);
        self.end();
    }

    /// Calls `window[global][method](json)`, own data properties only.
    pub fn global(&mut self, global: &str, method: &str, json: &str) {
        self.start(Op::Global);
        self.text(global);
        self.text(method);
        self.raw(json);
        self.end();
    }

    /// `history.pushState(null, "", url)`.
    pub fn push_url(&mut self, url: &str) {
        self.start(Op::Push);
        self.text(url);
        self.end();
    }

    /// Tears down what the executor holds for the embed.
    pub fn unmount(&mut self, embed: u32) {
        self.embed_op(Op::Unmount, embed);
    }

    /// Asks for `Continue {embed}` after these effects.
    pub fn cont(&mut self, embed: u32) {
        self.embed_op(Op::Continue, embed);
    }

    fn embed_op(&mut self, op: Op, n: u32) {
        self.start(op);
        self.num(n as i64);
        self.end();
    }
}

/// Appends `[[name, value], …]`.
fn push_pairs(out: &mut String, pairs: &[(&str, &str)]) {
    out.push('[');
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        push_json_str(out, k);
        out.push(',');
        push_json_str(out, v);
        out.push(']');
    }
    out.push(']');
}

/// Appends `s` as a JSON string literal. Works on bytes: only `"`, `\`
/// and control characters (all ASCII) are escaped, so every other byte,
/// UTF-8 included, is copied as it is.
pub fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    let mut from = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        out.push_str(s.get(from..i).unwrap_or_default());
        from = i + 1;
        out.push('\\');
        match b {
            b'"' | b'\\' => out.push(char::from(b)),
            _ => {
                out.push_str("u00");
                super::page::push_hex(out, b);
            }
        }
    }
    out.push_str(s.get(from..).unwrap_or_default());
    out.push('"');
}

/// A JSON object under construction (host → stream messages and event
/// data). Numbers must be integers.
pub struct JsonObject<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> JsonObject<'a> {
    /// Opens `{` on `out`.
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        JsonObject { out, first: true }
    }

    fn key(&mut self, key: &str) {
        if !core::mem::replace(&mut self.first, false) {
            self.out.push(',');
        }
        push_json_str(self.out, key);
        self.out.push(':');
    }

    /// Closes the object.
    pub fn close(self) {
        self.out.push('}');
    }
}

impl RecordMut for JsonObject<'_> {
    type Any = Ref;
    fn set_str(&mut self, key: &str, value: &str) {
        self.key(key);
        push_json_str(self.out, value);
    }
    fn set_num(&mut self, key: &str, value: f64) {
        self.key(key);
        crate::options::push_int(self.out, value as i64);
    }
    fn set_bool(&mut self, key: &str, value: bool) {
        self.key(key);
        self.out.push_str(if value { "true" } else { "false" });
    }
    fn set_any(&mut self, key: &str, _: &Ref) {
        // Host → stream messages carry no opaque values.
        self.key(key);
        self.out.push_str("null");
    }
}

/// Appends `msg` as a JSON object.
pub fn encode_msg(out: &mut String, msg: &Msg<Ref>) {
    let mut o = JsonObject::new(out);
    msg.encode(&mut o);
    o.close();
}

/// `{"key":"value"}` (event data the core makes).
pub fn object(key: &str, value: &str) -> String {
    let mut s = String::new();
    let mut o = JsonObject::new(&mut s);
    o.set_str(key, value);
    o.close();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_escape_quotes_backslashes_and_controls_only() {
        for s in [
            "",
            "plain",
            "a\"b\\c",
            "\u{0}\n\u{1f} ",
            "é✓𝄞\"",
            "\\\\",
            "\u{7f}\u{2028}",
        ] {
            let mut out = String::new();
            push_json_str(&mut out, s);
            assert_eq!(serde_json::from_str::<String>(&out).unwrap(), s, "{out}");
        }
        let mut out = String::new();
        push_json_str(&mut out, "\"\n");
        assert_eq!(out, "\"\\\"\\u000A\"");
    }
}
