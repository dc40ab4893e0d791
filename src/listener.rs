//! A DOM event listener that owns its closure and removes itself on `Drop`.
//!
//! This is gloo-events' `EventListener` pattern. The host SDK cannot use the
//! gloo-events crate itself: it requires `std`, which links std's panic and
//! formatting machinery and roughly triples the payload (measured; see the
//! README's size notes). The stream client, where size matters less, uses
//! gloo-events directly.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;

use crate::global::Target;

/// A registered listener; dropping it removes the listener and frees the
/// closure.
#[must_use = "the listener is removed as soon as this value is dropped"]
pub struct Listener {
    target: Target,
    kind: &'static str,
    callback: Closure<dyn FnMut(JsValue)>,
}

impl Listener {
    /// Adds `f` as a `kind` listener on `target`.
    pub fn new(target: &JsValue, kind: &'static str, f: impl FnMut(JsValue) + 'static) -> Self {
        let callback = Closure::<dyn FnMut(JsValue)>::new(f);
        let target: Target = target.clone().unchecked_into();
        // Adding a function listener cannot throw.
        target.listen(kind, callback.as_ref());
        Listener {
            target,
            kind,
            callback,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.target.unlisten(self.kind, self.callback.as_ref());
    }
}
