//! A `setTimeout` that owns its closure; dropping it cancels the timeout.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;

/// Longest delay `setTimeout` honours (about 24.8 days).
pub const MAX_DELAY_MS: f64 = 2_147_483_647.0;

/// A pending timeout. Dropping it clears the timeout and frees the closure.
#[must_use = "the timeout is cancelled as soon as this value is dropped"]
pub struct Timer {
    handle: i32,
    _callback: Closure<dyn FnMut(JsValue)>,
}

impl Timer {
    /// Runs `f` once after `ms` milliseconds (clamped to `0..=MAX_DELAY_MS`).
    pub fn new(ms: f64, mut f: impl FnMut() + 'static) -> Timer {
        let ms = if ms > MAX_DELAY_MS {
            MAX_DELAY_MS
        } else if ms > 0.0 {
            ms
        } else {
            0.0
        };
        // One closure signature for every callback in the SDK: one JS shim.
        let callback = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| f());
        let handle = crate::global::set_timeout(callback.as_ref(), ms as i32);
        Timer {
            handle,
            _callback: callback,
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        crate::global::clear_timeout(self.handle);
    }
}
