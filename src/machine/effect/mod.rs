//! What the state machine returns: a buffer of effects for the executor.
//!
//! The buffer is JSON text, an array of effects, each an array that starts
//! with its [`Op`] number: `[[2,"Coral: …"],[13,7,{"$streamEmbed":1,…},…]]`.
//! The executor `JSON.parse`s it and applies the effects in order; it
//! decides nothing. Numbers in effects are integers, so nothing here formats
//! a float (no `core::fmt` on the publisher's page).

use alloc::string::String;

use crate::protocol::Msg;

use super::input::Ref;

mod json;
mod op;

use json::push_pairs;
pub use json::{encode_msg, object, push_json_str, JsonObject};
pub use op::{Arg, ArgTag, Listen, Op, Query};

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
    pub fn call(&mut self, embed: u32, f: Arg, why: &str, event: &str, named: bool, args: &[Arg]) {
        self.start(Op::Call);
        self.num(embed as i64);
        self.text(why);
        self.text(event);
        self.arg(f);
        // An `onAny` listener gets the event's name first.
        if named {
            self.arg(Arg::Str(event));
        }
        for a in args {
            self.arg(*a);
        }
        self.end();
    }

    /// One argument of a call: its tag, then its value.
    fn arg(&mut self, a: Arg) {
        let (tag, n) = match a {
            Arg::Json(j) => {
                self.num(ArgTag::Json as i64);
                return self.raw(j);
            }
            Arg::Str(s) => {
                self.num(ArgTag::Json as i64);
                return self.text(s);
            }
            Arg::Inputs(values) => {
                for v in values {
                    self.arg(Arg::Input(v.x));
                }
                return;
            }
            Arg::Slot(n) => (ArgTag::Slot, n),
            Arg::Input(n) => (ArgTag::Input, n),
            Arg::Handle(n) => (ArgTag::Handle, n),
            Arg::Next(n) => (ArgTag::Next, n),
        };
        self.num(tag as i64);
        self.num(n as i64);
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
    pub fn ret_slots<'a>(&mut self, slots: impl Iterator<Item = &'a u32>) {
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
