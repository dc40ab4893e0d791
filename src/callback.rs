//! Callbacks from the browser into the SDK, without a closure each.
//!
//! Every callback the SDK hands to the page (DOM listeners, timers, the
//! IntersectionObserver, `refreshAccessToken`'s `next`) is the SDK's one
//! exported [`dispatch`] function bound to a never-reused key:
//! `dispatch.bind(null, key)`. The key names a plain handler `fn` and its
//! `u32` argument (an embed id) in a registry. A [`Callback`] owns its key
//! and frees it on `Drop`; a call with a freed key does nothing, so a
//! publisher calling a stale `next` after `remove()` is harmless.
//!
//! This replaces wasm-bindgen's `Closure`: no boxed closure, vtable or drop
//! glue per callback, and no closure glue in embed.js.

use alloc::vec::Vec;
use core::cell::{Cell, OnceCell, RefCell};

use js_sys::Function;
use wasm_bindgen::prelude::*;
#[cfg(not(feature = "tiny"))]
use wasm_bindgen::JsCast;

use crate::embed::Global;

/// What a callback runs: `handler(data, arg)`, where `arg` is what the
/// browser passed (an event, the observer's entries, a token).
pub type Handler = fn(u32, JsValue);

/// Live callbacks: key, handler, data.
static SLOTS: Global<RefCell<Vec<(u32, Handler, u32)>>> = Global(RefCell::new(Vec::new()));
static NEXT_KEY: Global<Cell<u32>> = Global(Cell::new(1));
/// The JS function of [`dispatch`] (the loader passes it; test builds find
/// it among the wasm exports).
static DISPATCH: Global<OnceCell<Function>> = Global(OnceCell::new());

/// Runs the handler registered under `key`, if it is still registered.
/// Called by the browser through a bound [`Callback`] function.
#[wasm_bindgen]
pub fn dispatch(key: u32, arg: JsValue) {
    let found = SLOTS
        .0
        .try_borrow()
        .ok()
        .and_then(|s| s.iter().find(|s| s.0 == key).map(|s| (s.1, s.2)));
    // No borrow is held while the handler runs: it may add or drop
    // callbacks (its own included).
    if let Some((handler, data)) = found {
        handler(data, arg);
    }
}

/// Records the JS function of [`dispatch`] (once; later calls are ignored).
/// The loader calls it right after instantiating the wasm.
#[wasm_bindgen(js_name = setDispatch)]
pub fn set_dispatch(f: Option<Function>) {
    if let Some(f) = f {
        let _ = DISPATCH.0.set(f);
    }
}

/// The JS function of [`dispatch`], if known.
fn dispatcher() -> Option<Function> {
    #[cfg(not(feature = "tiny"))]
    set_dispatch(
        js_sys::Reflect::get(&wasm_bindgen::exports(), &"dispatch".into())
            .ok()
            .and_then(|f| f.dyn_into().ok()),
    );
    DISPATCH.0.get().cloned()
}

/// A JS function that runs `handler(data, arg)` until this is dropped.
#[must_use = "the callback stops working as soon as this value is dropped"]
pub struct Callback {
    key: u32,
    f: JsValue,
}

impl Callback {
    /// Registers `handler(data, …)` under a fresh key.
    pub fn new(handler: Handler, data: u32) -> Callback {
        let key = NEXT_KEY.0.get();
        NEXT_KEY.0.set(key.wrapping_add(1));
        // Never borrowed here: `dispatch` lets go before calling a handler.
        if let Ok(mut s) = SLOTS.0.try_borrow_mut() {
            s.push((key, handler, data));
        }
        // The loader always passes `dispatch`; without it the callback is
        // `undefined` (never called) rather than a panic.
        let f = dispatcher()
            .map(|d| d.bind1(&JsValue::NULL, &key.into()).into())
            .unwrap_or(JsValue::UNDEFINED);
        Callback { key, f }
    }

    /// The function to hand to the browser.
    pub fn function(&self) -> &JsValue {
        &self.f
    }
}

impl Drop for Callback {
    fn drop(&mut self) {
        if let Ok(mut s) = SLOTS.0.try_borrow_mut() {
            s.retain(|s| s.0 != self.key);
        }
    }
}

/// Number of live callbacks of embed `id` (test builds only: `remove()`
/// frees them all). Every callback's data is its embed's id.
#[cfg(not(feature = "tiny"))]
#[doc(hidden)]
pub fn live_callbacks(id: u32) -> usize {
    SLOTS.0.borrow().iter().filter(|s| s.2 == id).count()
}
