//! A `setTimeout` that owns its callback; dropping it cancels the timeout.

use crate::callback::{Callback, Handler};

/// Longest delay `setTimeout` honours (about 24.8 days).
pub const MAX_DELAY_MS: f64 = 2_147_483_647.0;

/// A pending timeout. Dropping it clears the timeout and frees the callback.
#[must_use = "the timeout is cancelled as soon as this value is dropped"]
pub struct Timer {
    handle: i32,
    _callback: Callback,
}

impl Timer {
    /// Runs `f(id)` once after `ms` milliseconds (clamped to
    /// `0..=MAX_DELAY_MS`).
    pub fn new(ms: f64, f: Handler, id: u32) -> Timer {
        let ms = if ms > MAX_DELAY_MS {
            MAX_DELAY_MS
        } else if ms > 0.0 {
            ms
        } else {
            0.0
        };
        let callback = Callback::new(f, id);
        let handle = crate::global::set_timeout(callback.function(), ms as i32);
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
