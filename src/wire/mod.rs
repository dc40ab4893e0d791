//! The boundary: the executor's input tape in, the core's effects out.
//!
//! The executor (`js/executor.js`) writes an input as a tape of numbers and
//! one string: `nums` holds tags, numbers and string lengths (UTF-16 code
//! units), `text` the strings one after another. Every *value* it writes
//! (tags 0–8 and 10) is also pushed on its list of the input's values, so
//! value number `x` is the same on both sides. After the input come the
//! answers to the core's questions, if any. The tape is read with checked
//! access only: a short or malformed tape reads as missing values, never a
//! panic.
//!
//! | tag | value | then |
//! |---|---|---|
//! | 0 | `undefined` | |
//! | 1 | `null` | |
//! | 2, 3 | `false`, `true` | |
//! | 4 | number | the number |
//! | 5 | string | its length; the text |
//! | 6, 7 | function, other object | the slot it is kept in (0: none) |
//! | 8 | accessor property (its getter never ran) | |
//! | 9 | a DOM `Element` | the slot it is kept in (0: none) |
//! | 10 | token (a string, decoded) | length, segments, 9 facts |
//! | 11 | the page's address | origin, path, search pairs, hash, hash pairs, canonical; `IntersectionObserver`, `.coral-count`, `script.coral-script` present |
//! | 12 | an object's own data properties (an answer) | a value, then its record |
//!
//! An object that is a record (options, message data) is followed by its
//! own enumerable data properties: a count, then key (a string) and value
//! for each.

use alloc::{boxed::Box, string::String, vec::Vec};

use crate::machine::input::Entry;
use crate::machine::input::Value;
use crate::machine::input::TOKEN_FACTS;
use crate::machine::{Answer, Core, Create, Effects, Input, Page, Rec, Ref, TimerKind, Token};
use crate::protocol::Val;

/// Input kinds, by number.
pub mod kind {
    /// `createStreamEmbed`.
    pub const CREATE: u8 = 0;
    /// `Coral.Talk.render`.
    pub const TALK: u8 = 1;
    /// A handle method.
    pub const CALL: u8 = 2;
    /// A window `message`.
    pub const WINDOW_MESSAGE: u8 = 3;
    /// A port `message`.
    pub const PORT_MESSAGE: u8 = 4;
    /// The iframe's `load`.
    pub const FRAME_LOAD: u8 = 5;
    /// The window's `popstate`.
    pub const POP_STATE: u8 = 6;
    /// The lazy-render observer.
    pub const INTERSECT: u8 = 7;
    /// A timer.
    pub const TIMER: u8 = 8;
    /// `refreshAccessToken`'s `next`.
    pub const NEXT: u8 = 9;
    /// Creation continues.
    pub const CONTINUE: u8 = 10;
}

/// Reads a tape.
#[derive(Debug)]
pub struct Tape<'a> {
    nums: &'a [f64],
    i: usize,
    text: &'a str,
    x: u32,
}

impl<'a> Tape<'a> {
    /// A tape over `nums` and `text`.
    pub fn new(nums: &'a [f64], text: &'a str) -> Self {
        Tape {
            nums,
            i: 0,
            text,
            x: 0,
        }
    }

    fn done(&self) -> bool {
        self.i >= self.nums.len()
    }

    fn num(&mut self) -> f64 {
        let n = self.nums.get(self.i).copied().unwrap_or(0.0);
        self.i += 1;
        n
    }

    fn int(&mut self) -> u32 {
        let n = self.num();
        if n >= 0.0 && n <= u32::MAX as f64 {
            n as u32
        } else {
            0
        }
    }

    fn flag(&mut self) -> bool {
        self.num() != 0.0
    }

    /// A string of the given UTF-16 length, from the text. A UTF-8 lead
    /// byte of a 4-byte sequence is two UTF-16 units, any other lead byte
    /// one.
    fn str(&mut self) -> String {
        let mut units = self.int() as usize;
        let b = self.text.as_bytes();
        let mut end = 0;
        while let Some(&lead) = b.get(end).filter(|_| units > 0) {
            end += 1;
            units = units.saturating_sub(if lead >= 0xf0 { 2 } else { 1 });
            while b.get(end).is_some_and(|c| c & 0xc0 == 0x80) {
                end += 1;
            }
        }
        let s = self.text.get(..end).unwrap_or_default();
        self.text = self.text.get(end..).unwrap_or_default();
        s.into()
    }

    fn r#ref(&mut self) -> Ref {
        Ref {
            x: self.x,
            slot: self.int(),
            element: false,
        }
    }

    /// A value (its tag already read).
    fn val_of(&mut self, tag: u32) -> Val<Ref> {
        self.x += 1;
        match tag {
            1 => Val::Null,
            2 => Val::Bool(false),
            3 => Val::Bool(true),
            4 => Val::Num(self.num()),
            5 => Val::Str(self.str()),
            6 => Val::Func(self.r#ref()),
            7 => Val::Other(self.r#ref()),
            8 => Val::Other(Ref {
                x: self.x,
                slot: 0,
                element: false,
            }),
            9 => Val::Other(Ref {
                element: true,
                ..self.r#ref()
            }),
            _ => Val::Missing,
        }
    }

    /// A value.
    pub fn val(&mut self) -> Val<Ref> {
        let tag = self.int();
        self.val_of(tag)
    }

    /// A value, and its record if it is an object (not an element).
    fn rec_val(&mut self) -> Option<Rec> {
        match self.val() {
            Val::Other(r) if !r.element => Some(self.rec()),
            _ => None,
        }
    }

    /// A record's entries.
    fn rec(&mut self) -> Rec {
        let n = self.int();
        let mut out = Vec::new();
        for _ in 0..n {
            if self.done() {
                break;
            }
            let key = self.str();
            let val = self.val();
            out.push(Entry {
                key,
                val,
                x: self.x,
            });
        }
        Rec(out)
    }

    /// A token (its tag already read).
    fn token(&mut self) -> Token {
        self.x += 1;
        let at = self.x;
        let len = self.int();
        let parts = self.num();
        let facts: [Val<Ref>; TOKEN_FACTS] = core::array::from_fn(|_| self.val());
        Token::from_facts(at, len, parts, facts)
    }

    /// A value that may be a token (`login`'s and `next`'s argument).
    fn arg(&mut self) -> (Val<Ref>, Option<Token>) {
        match self.int() {
            10 => {
                let t = self.token();
                let r = Ref {
                    x: t.at,
                    ..Ref::default()
                };
                (Val::Other(r), Some(t))
            }
            tag => (self.val_of(tag), None),
        }
    }

    /// Query pairs: a count, then name and value for each.
    fn pairs(&mut self) -> Vec<(String, String)> {
        let n = self.int();
        let mut out = Vec::new();
        for _ in 0..n {
            if self.done() {
                break;
            }
            let k = self.str();
            out.push((k, self.str()));
        }
        out
    }

    /// The page's address.
    fn page(&mut self) -> Page {
        let origin = self.str();
        let path = self.str();
        let search = self.pairs();
        let hash = self.str();
        let hash_params = self.pairs();
        let canonical = Some(self.str()).filter(|c| !c.is_empty());
        Page {
            origin,
            path,
            search,
            hash,
            hash_params,
            canonical,
            observer: self.flag(),
            counts: self.flag(),
            count_script: self.flag(),
        }
    }

    fn base(&mut self) -> Option<String> {
        match self.val() {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The input, its time (unix ms) and its answers.
    pub fn input(&mut self) -> Option<(Input, f64, Vec<Answer>)> {
        let kind = self.int() as u8;
        let now = self.num();
        let input = match kind {
            kind::CREATE | kind::TALK => {
                let base = self.base();
                let page = self.page();
                // `Coral.Talk.render(element, opts)`: the element first,
                // and options that are not an object read as empty.
                let element = (kind == kind::TALK).then(|| self.val());
                let options = self.rec_val();
                Input::Create(Box::new(Create {
                    options: match element {
                        Some(_) => Some(options.unwrap_or_default()),
                        None => options,
                    },
                    base,
                    element,
                    page,
                }))
            }
            kind::CALL => {
                let embed = self.int();
                let method = self.int() as u8;
                let n = self.int();
                let mut args = Vec::new();
                let mut token = None;
                for i in 0..n {
                    if self.done() {
                        break;
                    }
                    let (val, t) = self.arg();
                    // Only `login`'s argument is a token.
                    if i == 0 && method == crate::machine::method::LOGIN {
                        token = t;
                    }
                    args.push(Value { val, x: self.x });
                }
                Input::Call {
                    embed,
                    method,
                    args,
                    token,
                }
            }
            kind::WINDOW_MESSAGE => Input::WindowMessage {
                embed: self.int(),
                origin: self.str(),
                data: self.rec_val(),
            },
            kind::PORT_MESSAGE => Input::PortMessage {
                embed: self.int(),
                data: self.rec_val().unwrap_or_default(),
            },
            kind::FRAME_LOAD => Input::FrameLoad { embed: self.int() },
            kind::POP_STATE => Input::PopState {
                embed: self.int(),
                page: self.page(),
            },
            kind::INTERSECT => Input::Intersect {
                embed: self.int(),
                near: self.flag(),
            },
            kind::TIMER => Input::Timer {
                embed: self.int(),
                timer: TimerKind::from_number(self.num())?,
            },
            kind::NEXT => {
                let embed = self.int();
                let gen = self.int();
                let (a, token) = self.arg();
                Input::Next {
                    embed,
                    gen,
                    a,
                    token,
                }
            }
            kind::CONTINUE => Input::Continue { embed: self.int() },
            _ => return None,
        };
        let mut answers = Vec::new();
        while !self.done() {
            answers.push(match self.int() {
                10 => Answer::Token(self.token()),
                11 => Answer::Page(self.page()),
                12 => Answer::Rec(self.rec_val().unwrap_or_default()),
                tag => Answer::Val(self.val_of(tag)),
            });
        }
        Some((input, now, answers))
    }
}

/// Runs the input on `tape` (`nums`, `text`) on `core`: its effects as
/// JSON text (`[]` when the tape holds no input). The wasm's `s` export
/// runs this on the page's one core; the native and browser scenario tests
/// (`tests/machine_*.rs`) call it on theirs.
pub fn run(core: &mut Core, nums: &[f64], text: &str) -> String {
    let mut fx = Effects::new();
    if let Some((input, now, answers)) = Tape::new(nums, text).input() {
        core.step(input, answers, now, &mut fx);
    }
    fx.json()
}

/// The shipped build's wasm exports, which `js/glue.js` calls.
#[cfg(all(feature = "host", not(feature = "std"), target_arch = "wasm32"))]
mod export;
