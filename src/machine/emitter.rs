//! The publisher's event bus of each embed: adding and removing listeners,
//! and emitting (each listener becomes one [`Op::Call`] effect, made from a
//! snapshot of the bus, as EventEmitter2 does).
//!
//! [`Op::Call`]: super::effect::Op::Call

use alloc::{string::String, vec::Vec};

use crate::error::{Code, Error, Result};
use crate::protocol::{Val, MAX_EVENT_NAME};

use super::effect::{Arg, Effects};
use super::input::Ref;
use super::state::Core;

/// `NOT_MOUNTED` for a method of an embed that is gone.
pub fn removed() -> Error {
    Error::new(Code::NotMounted, &["this stream embed was removed."])
}

/// An event name argument: a non-empty string of bounded length.
fn event_name(v: &Val<Ref>) -> Result<&str> {
    match v {
        Val::Str(n) if !n.is_empty() && n.len() <= MAX_EVENT_NAME => Ok(n),
        _ => Err(Error::new(
            Code::InvalidArgument,
            &["event name must be a non-empty string."],
        )),
    }
}

/// A listener argument: a function.
fn listener(v: &Val<Ref>) -> Result<Ref> {
    match v {
        Val::Func(r) => Ok(*r),
        _ => Err(Error::new(
            Code::InvalidArgument,
            &["event listener must be a function."],
        )),
    }
}

impl Core {
    /// Calls embed `id`'s listeners for `name` with `data` (`onAny`
    /// listeners get the name first). A listener that throws is reported on
    /// the console; the others still run.
    pub fn emit(&mut self, fx: &mut Effects, id: u32, name: &str, data: Arg) {
        let Some(e) = self.embed_mut(id) else { return };
        let targets = e.bus.targets(name);
        let mut why = String::from("Coral: a listener for `");
        why.push_str(name);
        why.push_str("` threw:");
        for t in &targets {
            let args = if t.any {
                [Arg::Str(name), data]
            } else {
                [data, Arg::None]
            };
            fx.call(id, Arg::Slot(t.f), &why, args);
        }
        // `once` listeners are gone from the bus now.
        for t in targets {
            self.release(fx, t.f);
        }
    }

    /// `on(name, f)` (`once`: removed after its first call).
    pub fn on(
        &mut self,
        fx: &mut Effects,
        id: u32,
        name: &Val<Ref>,
        f: &Val<Ref>,
        once: bool,
    ) -> Result<()> {
        let name = event_name(name)?;
        let f = listener(f)?;
        self.embed(id).ok_or_else(removed)?;
        let slot = self.keep(fx, f);
        if let Some(e) = self.embed_mut(id) {
            if once {
                e.bus.once(name, slot);
            } else {
                e.bus.on(name, slot);
            }
        }
        Ok(())
    }

    /// `off(name, f)`.
    pub fn off(&mut self, fx: &mut Effects, id: u32, name: &Val<Ref>, f: &Val<Ref>) -> Result<()> {
        let name = event_name(name)?;
        let e = self.embed_mut(id).ok_or_else(removed)?;
        if let Val::Func(r) = f {
            if r.slot != 0 && e.bus.off(name, &r.slot) {
                self.release(fx, r.slot);
            }
        }
        Ok(())
    }

    /// `onAny(f)`.
    pub fn on_any(&mut self, fx: &mut Effects, id: u32, f: &Val<Ref>) -> Result<()> {
        let f = listener(f)?;
        self.embed(id).ok_or_else(removed)?;
        let slot = self.keep(fx, f);
        if let Some(e) = self.embed_mut(id) {
            e.bus.on_any(slot);
        }
        Ok(())
    }

    /// `offAny(f)`, or every `onAny` listener when `f` is not a function.
    pub fn off_any(&mut self, fx: &mut Effects, id: u32, f: &Val<Ref>) -> Result<()> {
        let e = self.embed_mut(id).ok_or_else(removed)?;
        let before: Vec<u32> = e
            .bus
            .each()
            .filter(|(any, _)| *any)
            .map(|(_, f)| *f)
            .collect();
        match f {
            Val::Func(r) => e.bus.off_any(Some(&r.slot)),
            _ => e.bus.off_any(None),
        }
        for slot in before {
            self.release(fx, slot);
        }
        Ok(())
    }
}
