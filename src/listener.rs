//! A DOM event listener that owns its callback and removes itself on `Drop`.
//!
//! This is gloo-events' `EventListener` pattern. The host SDK cannot use the
//! gloo-events crate itself: it requires `std`, which links std's panic and
//! formatting machinery and roughly triples the payload (measured; see the
//! README's size notes). The stream client, where size matters less, uses
//! gloo-events directly.

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;

use crate::callback::{Callback, Handler};
use crate::global::Target;

/// A registered listener; dropping it removes the listener and frees the
/// callback.
#[must_use = "the listener is removed as soon as this value is dropped"]
pub struct Listener {
    target: Target,
    kind: &'static str,
    callback: Callback,
}

impl Listener {
    /// Adds `handler(data, event)` as a `kind` listener on `target`.
    pub fn new(target: &JsValue, kind: &'static str, handler: Handler, data: u32) -> Self {
        let callback = Callback::new(handler, data);
        let target: Target = target.clone().unchecked_into();
        // Adding a function listener cannot throw.
        target.listen(kind, callback.function());
        Listener {
            target,
            kind,
            callback,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.target.unlisten(self.kind, self.callback.function());
    }
}
