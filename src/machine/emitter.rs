//! EventEmitter2's methods on an embed (whose handle is also the emitter
//! the `events` option receives; Coral creates it with `{wildcard: true,
//! delimiter: "."}`), and emitting. The matching rules live in
//! [`crate::events`]; here the arguments are checked, the embed's bus is
//! changed, and each listener to call becomes one [`Op::Call`] effect, made
//! from a snapshot of the bus as EventEmitter2 does. Listener slots are
//! let go of once no embed holds them.
//!
//! `emit` is the publisher's own: it reaches this page's listeners and is
//! never sent to the stream.
//!
//! [`Op::Call`]: super::effect::Op::Call

use alloc::{string::String, vec::Vec};

use crate::error::{Code, Error, Result};
use crate::protocol::{Val, MAX_EVENT_NAME};

use super::effect::{push_json_str, Arg, Effects};
use super::input::{method::*, Value};
use super::state::Core;

/// `NOT_MOUNTED` for a method of an embed that is gone.
pub fn removed() -> Error {
    Error::new(Code::NotMounted, &["this stream embed was removed."])
}

fn invalid(what: &str) -> Error {
    Error::new(Code::InvalidArgument, &[what])
}

/// Argument `i`.
fn arg(args: &[Value], i: usize) -> &Val<crate::machine::Ref> {
    match args.get(i) {
        Some(v) => &v.val,
        None => &Val::Missing,
    }
}

/// The slot of a function argument that the page already holds (0: not a
/// function, or one no embed holds).
fn slot_of(v: &Val<crate::machine::Ref>) -> Option<u32> {
    match v {
        Val::Func(r) => Some(r.slot),
        _ => None,
    }
}

impl Core {
    /// Calls embed `id`'s listeners for `name` with `values` (`onAny`
    /// listeners get the name first; `this.event` is the name). A
    /// listener that throws is reported on the console; the others still
    /// run. `both`: the wildcards of `name` match too (the publisher's own
    /// `emit`; names from the stream are literal). Returns whether any
    /// listener was called.
    pub fn emit(
        &mut self,
        fx: &mut Effects,
        id: u32,
        name: &str,
        values: &[Arg],
        both: bool,
    ) -> bool {
        let Some(e) = self.embed_mut(id) else {
            return false;
        };
        let targets = e.bus.targets(name, both);
        let mut why = String::from("Coral: a listener for `");
        why.push_str(name);
        why.push_str("` threw:");
        for t in &targets {
            fx.call(id, Arg::Slot(t.f), &why, name, t.any, values);
        }
        // `once` and `many` listeners may be gone from the bus now.
        for t in &targets {
            self.release(fx, t.f);
        }
        !targets.is_empty()
    }

    /// Runs EventEmitter2 method `m` with `args` on embed `id`.
    pub fn emitter(&mut self, fx: &mut Effects, id: u32, m: u8, args: &[Value]) -> Result<()> {
        self.embed(id).ok_or_else(removed)?;
        let any = matches!(
            m,
            ON_ANY | OFF_ANY | PREPEND_ANY | LISTENERS_ANY | EVENT_NAMES
        ) || (m == REMOVE_ALL && matches!(arg(args, 0), Val::Missing));
        let name = match (any, arg(args, 0)) {
            (true, _) => None,
            (false, Val::Str(n)) if !n.is_empty() && n.len() <= MAX_EVENT_NAME => Some(n.as_str()),
            _ => return Err(invalid("event name must be a non-empty string.")),
        };
        match m {
            OFF | OFF_ANY | REMOVE_ALL => {
                let Some(e) = self.embed_mut(id) else {
                    return Ok(());
                };
                let before: Vec<u32> = e.bus.each().map(|(_, f)| *f).collect();
                // A non-function removes nothing (`offAny()`: every one).
                let f = slot_of(arg(args, (m == OFF) as usize));
                match (m, name) {
                    (REMOVE_ALL, _) => e.bus.remove_all(name),
                    (_, Some(n)) => {
                        if let Some(f) = f.filter(|f| *f != 0) {
                            e.bus.off(n, &f);
                        }
                    }
                    _ => e.bus.off_any(f.as_ref()),
                }
                for slot in before {
                    self.release(fx, slot);
                }
            }
            LISTENERS | LISTENERS_ANY => {
                if let Some(e) = self.embed(id) {
                    fx.ret_slots(e.bus.each_listener(name));
                }
            }
            EVENT_NAMES => {
                let mut json = String::from("[");
                if let Some(e) = self.embed(id) {
                    for (i, n) in e.bus.event_names().enumerate() {
                        if i > 0 {
                            json.push(',');
                        }
                        push_json_str(&mut json, n);
                    }
                }
                json.push(']');
                fx.ret(&json);
            }
            EMIT => {
                let values = [Arg::Inputs(args.get(1..).unwrap_or_default())];
                let ran = self.emit(fx, id, name.unwrap_or_default(), &values, true);
                fx.ret(if ran { "true" } else { "false" });
            }
            _ => {
                // on, once, many, onAny and their prepend forms.
                let counted = matches!(m, MANY | PREPEND_MANY);
                let times = match m {
                    ONCE | PREPEND_ONCE => 1,
                    // `as` saturates: 2.5 → 2.
                    _ if counted => match arg(args, 1) {
                        Val::Num(n) if *n >= 1.0 => *n as u32,
                        _ => return Err(invalid("many(name, n, f) needs a number n ≥ 1.")),
                    },
                    _ => 0,
                };
                let Val::Func(f) = *arg(args, !any as usize + counted as usize) else {
                    return Err(invalid("event listener must be a function."));
                };
                let prepend = matches!(m, PREPEND | PREPEND_ONCE | PREPEND_MANY | PREPEND_ANY);
                let slot = self.keep(fx, f);
                if let Some(e) = self.embed_mut(id) {
                    e.bus.add(name, slot, times, prepend);
                }
                // A pattern the bus ignores (`a.**.**`) keeps nothing.
                self.release(fx, slot);
            }
        }
        Ok(())
    }
}
