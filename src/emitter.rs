//! EventEmitter2's methods on an embed handle, which is also the emitter the
//! `events` option receives (Coral creates it with `{wildcard: true,
//! delimiter: "."}`). The matching rules live in [`crate::events`]; this
//! module reads the arguments, runs the method on the embed's [`Bus`], and
//! calls listeners with no registry borrow held.
//!
//! `emit` is the publisher's own: it reaches this page's listeners and is
//! never sent to the stream.
//!
//! [`Bus`]: crate::events::Bus

use alloc::string::String;

use js_sys::{Array, Function};
use wasm_bindgen::{JsCast, JsValue};

use crate::embed::with;
use crate::error::{Code, Error};
use crate::protocol::MAX_EVENT_NAME;

/// The emitter methods, by the number the loader gives them (its `METHODS`
/// order; 0–3 and 9 are the embed's own methods). The loader adds
/// EventEmitter2's aliases and views: `addListener` is `on`,
/// `removeListener` is `off`, `listenerCount`/`hasListeners` read
/// `listeners`, `setMaxListeners` keeps no limit.
pub mod method {
    /// `on(name, f)`.
    pub const ON: u32 = 4;
    /// `off(name, f)`.
    pub const OFF: u32 = 5;
    /// `once(name, f)`.
    pub const ONCE: u32 = 6;
    /// `onAny(f)`.
    pub const ON_ANY: u32 = 7;
    /// `offAny([f])`.
    pub const OFF_ANY: u32 = 8;
    /// `prependListener(name, f)`.
    pub const PREPEND: u32 = 10;
    /// `prependOnceListener(name, f)`.
    pub const PREPEND_ONCE: u32 = 11;
    /// `many(name, n, f)`.
    pub const MANY: u32 = 12;
    /// `prependMany(name, n, f)`.
    pub const PREPEND_MANY: u32 = 13;
    /// `prependAny(f)`.
    pub const PREPEND_ANY: u32 = 14;
    /// `removeAllListeners([name])`.
    pub const REMOVE_ALL: u32 = 15;
    /// `listeners(name)`.
    pub const LISTENERS: u32 = 16;
    /// `listenersAny()`.
    pub const LISTENERS_ANY: u32 = 17;
    /// `eventNames()`.
    pub const EVENT_NAMES: u32 = 18;
    /// `emit(name, ...args)`.
    pub const EMIT: u32 = 19;
}

fn invalid(what: &str) -> Error {
    Error::new(Code::InvalidArgument, &[what])
}

/// Argument `i` as an event name: a non-empty string of at most 128 bytes.
fn name_at(args: &Array, i: u32) -> Result<String, Error> {
    match crate::js::as_string(&args.get(i)) {
        Some(n) if !n.is_empty() && n.len() <= MAX_EVENT_NAME => Ok(n),
        _ => Err(invalid("event name must be a non-empty string.")),
    }
}

/// Runs emitter method `m` with `args` on embed `id`. `Ok(undefined)` means
/// "return the emitter" (chaining); `None` if `m` is not an emitter method.
pub fn call(id: u32, m: u32, args: &Array) -> Option<Result<JsValue, Error>> {
    use method::*;
    if !(ON..=EMIT).contains(&m) || m == 9 {
        return None;
    }
    let any = matches!(
        m,
        ON_ANY | OFF_ANY | PREPEND_ANY | LISTENERS_ANY | EVENT_NAMES
    ) || (m == REMOVE_ALL && args.get(0).is_undefined());
    let name = if any { None } else { Some(name_at(args, 0)) };
    Some(name.transpose().and_then(|name| {
        let name = name.as_deref();
        let done = JsValue::UNDEFINED;
        Ok(match m {
            OFF | OFF_ANY => {
                // A non-function removes nothing (`offAny()`: every one).
                let f = args.get(u32::from(m == OFF)).dyn_into::<Function>().ok();
                with(id, |e| match name {
                    Some(n) => f.is_some_and(|f| e.bus.off(n, &f)),
                    None => {
                        e.bus.off_any(f.as_ref());
                        true
                    }
                });
                done
            }
            REMOVE_ALL => {
                with(id, |e| e.bus.remove_all(name));
                done
            }
            LISTENERS | LISTENERS_ANY => with(id, |e| e.bus.listeners(name))
                .unwrap_or_default()
                .into_iter()
                .collect::<Array>()
                .into(),
            EVENT_NAMES => with(id, |e| e.bus.event_names())
                .unwrap_or_default()
                .iter()
                .map(|n| JsValue::from_str(n))
                .collect::<Array>()
                .into(),
            EMIT => emit_args(id, name.unwrap_or_default(), args, true).into(),
            _ => {
                // on, once, many, onAny and their prepend forms.
                let counted = matches!(m, MANY | PREPEND_MANY);
                let times = match m {
                    ONCE | PREPEND_ONCE => 1,
                    // `as` saturates (no `f64::fract` without std): 2.5 → 2.
                    _ if counted => match args.get(1).as_f64().filter(|n| *n >= 1.0) {
                        Some(n) => n as u32,
                        None => return Err(invalid("many(name, n, f) needs a number n ≥ 1.")),
                    },
                    _ => 0,
                };
                let f = args
                    .get(u32::from(!any) + u32::from(counted))
                    .dyn_into::<Function>()
                    .map_err(|_| invalid("event listener must be a function."))?;
                let prepend = matches!(m, PREPEND | PREPEND_ONCE | PREPEND_MANY | PREPEND_ANY);
                with(id, |e| e.bus.add(name, f, times, prepend));
                done
            }
        })
    }))
}

/// Calls embed `id`'s listeners for `name` with `args` (`[name, ...values]`):
/// `onAny` listeners get all of them, the others the values; `this.event`
/// is the name. A throwing
/// listener is reported to the console; the others still run. Returns
/// whether any listener ran. `both`: wildcards in `name` match too.
pub fn emit_args(id: u32, name: &str, args: &Array, both: bool) -> bool {
    let Some(targets) = with(id, |e| e.bus.targets(name, both)) else {
        return false;
    };
    let values = args.slice(1, args.length());
    // EventEmitter2 calls listeners with `this.event` set to the name.
    let this = crate::js::object(&[("event", &JsValue::from_str(name))]);
    for t in &targets {
        let r = t.f.apply(&this, if t.any { args } else { &values });
        if let Err(err) = r {
            let mut m = String::from("Coral: a listener for `");
            m.push_str(name);
            m.push_str("` threw:");
            web_sys::console::error_2(&JsValue::from_str(&m), &err);
        }
    }
    !targets.is_empty()
}
