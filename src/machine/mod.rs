//! The host SDK as a sans-IO state machine.
//!
//! # Layers
//!
//! 1. **proto** (pure, shared with the stream): [`crate::protocol`] (the
//!    wire messages and their validation), [`crate::options`],
//!    [`crate::token`], [`crate::events`] (the EventEmitter2 bus),
//!    [`crate::error`].
//! 2. **core** (this module, pure): every embed's lifecycle. It takes an
//!    [`Input`] (a publisher call, a DOM event, a message, a timer, as plain
//!    data) and writes [`Effects`] (create the iframe, set a style, post to
//!    the pinned origin, start a timer, call a listener, throw a typed
//!    error, …). It never touches the browser, so `cargo test` runs whole
//!    scenarios natively, hostile ones included (`tests/core.rs`).
//! 3. **boundary** ([`crate::wire`] and `js/executor.js`): the wasm exports
//!    decode the executor's input tape, run [`Core::step`] and return the
//!    effects as JSON text; the executor applies them and reports inputs.
//!    It decides nothing.
//!
//! Inside the core, modules call only downward: [`state`] (embeds, slots)
//! ← `emitter` ← `session` ← `login_callback`, `bridge` ← `lifecycle` ←
//! this module's [`Core::step`]; [`page`], [`input`], [`effect`] and
//! `talk` are leaves.
//!
//! # Values the core does not read
//!
//! Functions, elements, event payloads and tokens stay JS values in the
//! executor. An input numbers the values it carries (`x`); the core keeps
//! one by giving it a slot ([`Effects::keep`]) and lets go of it when no
//! embed holds it ([`Effects::free`]). The executor reports a function it
//! already holds with its slot, so `off(name, f)` compares slots.
//!
//! # Questions in the middle of an input
//!
//! Some inputs need facts only the page has, once the core knows what to
//! ask: the container element for the `id` option, the pending login nonce
//! (reading it spends it), whether `history.replaceState` worked, a token's
//! claims. The core then stops with [`Stop::Ask`]; the executor answers and
//! runs the same input again with the answers appended. Every input gathers
//! its answers before it changes any state, so running it again is
//! harmless.

pub mod effect;
pub mod input;
pub mod page;
pub mod state;

mod bridge;
mod emitter;
mod lifecycle;
mod login_callback;
mod session;
mod talk;

use alloc::vec::Vec;

use crate::error::{Code, Error};
use crate::protocol::Val;

pub use effect::{Effects, Query};
pub use input::{method, Answer, Create, Input, Page, Rec, Ref, Token, Value};

use method::*;
pub use session::MAX_DELAY_MS;
pub use state::{Core, TimerKind};

/// Why an input stopped early.
#[derive(Debug, Clone, PartialEq)]
pub enum Stop {
    /// The executor must answer this, then run the input again.
    Ask(Query),
    /// The call throws this error.
    Throw(Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Throw(e)
    }
}

/// The answers an input carries, consumed in the order they were asked.
#[derive(Debug)]
pub struct Answers {
    list: Vec<Answer>,
    next: usize,
}

impl Answers {
    /// The page's address, asked for.
    pub fn page(&mut self) -> Result<Page, Stop> {
        match self.ask(Query::Page)? {
            Answer::Page(p) => Ok(p),
            _ => Ok(Page::default()),
        }
    }

    /// The answers of one run of an input.
    pub fn new(list: Vec<Answer>) -> Self {
        Answers { list, next: 0 }
    }

    /// The answer to `q`, or [`Stop::Ask`] if it has not been answered
    /// yet.
    pub fn ask(&mut self, q: Query) -> Result<Answer, Stop> {
        match self.list.get_mut(self.next) {
            Some(a) => {
                self.next += 1;
                Ok(core::mem::replace(a, Answer::Val(Val::Missing)))
            }
            None => Err(Stop::Ask(q)),
        }
    }
}

impl Core {
    /// Runs one input at `now` (unix ms), writing its effects into `fx`.
    pub fn step(&mut self, input: Input, answers: Vec<Answer>, now: f64, fx: &mut Effects) {
        let mut answers = Answers::new(answers);
        match self.run(input, &mut answers, now, fx) {
            Ok(()) => {}
            Err(Stop::Ask(q)) => fx.ask(&q),
            Err(Stop::Throw(e)) => fx.throw(&e),
        }
    }

    fn run(
        &mut self,
        input: Input,
        answers: &mut Answers,
        now: f64,
        fx: &mut Effects,
    ) -> Result<(), Stop> {
        match input {
            Input::Create(c) => self.create(fx, *c, answers)?,
            Input::Call {
                embed,
                method,
                args,
                token,
            } => self.call(fx, embed, method, &args, token.as_ref(), answers, now)?,
            Input::WindowMessage {
                embed,
                origin,
                data,
            } => self.on_window_message(fx, embed, &origin, data.as_ref()),
            Input::PortMessage { embed, data } => {
                self.on_port_message(fx, embed, &data, answers)?
            }
            Input::FrameLoad { embed } => self.on_frame_load(fx, embed),
            Input::PopState { embed, page } => self.on_popstate(fx, embed, &page),
            Input::Intersect { embed, near } => self.on_intersect(fx, embed, near, now),
            Input::Timer { embed, timer } => match timer {
                TimerKind::Token => self.on_token_timer(fx, embed, now),
                TimerKind::Watchdog => self.on_watchdog(fx, embed),
                TimerKind::Permalink => self.on_permalink_timer(fx, embed),
            },
            Input::Next {
                embed, gen, token, ..
            } => self.on_next(fx, embed, gen, token.as_ref(), now),
            Input::Continue { embed } => self.finish(fx, embed, answers, now)?,
        }
        Ok(())
    }

    /// A method of an embed handle (or `Coral.createLoginNonce()`).
    #[allow(clippy::too_many_arguments)]
    fn call(
        &mut self,
        fx: &mut Effects,
        id: u32,
        m: u8,
        args: &[Value],
        token: Option<&Token>,
        answers: &mut Answers,
        now: f64,
    ) -> Result<(), Stop> {
        let exists = self.embed(id).is_some();
        match m {
            RENDER => self.render(fx, id, now)?,
            REMOVE => self.remove(fx, id)?,
            LOGIN | LOGOUT if !exists => return Err(emitter::removed().into()),
            LOGIN => {
                let exp = session::check_login(token, None, now)?;
                if let Some(t) = token {
                    self.login(fx, id, t, exp, now);
                }
            }
            LOGOUT => self.logout(fx, id, now),
            HANDLE_LOGIN_CALLBACK => {
                let found = self.handle_login_callback(fx, id, answers, now)?;
                fx.ret(if found { "true" } else { "false" });
            }
            RENDERED => {
                let rendered = self.embed(id).is_some_and(|e| e.mounted);
                fx.ret(if rendered { "true" } else { "false" });
            }
            FREE => self.free(fx, id),
            CREATE_LOGIN_NONCE => match answers.ask(Query::NewNonce)? {
                Answer::Val(Val::Str(n)) => {
                    let mut json = alloc::string::String::new();
                    effect::push_json_str(&mut json, &n);
                    fx.ret(&json);
                }
                _ => {
                    return Err(Error::new(
                        Code::LoginNonceUnavailable,
                        &["no login nonce: needs https and sessionStorage."],
                    )
                    .into())
                }
            },
            ON..=EMIT => self.emitter(fx, id, m, args)?,
            _ => {}
        }
        Ok(())
    }
}
