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
use web_sys::EventTarget;

/// A registered listener; dropping it removes the listener and frees the
/// closure.
#[must_use = "the listener is removed as soon as this value is dropped"]
pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    callback: Closure<dyn FnMut(JsValue)>,
}

impl Listener {
    /// Adds `f` as a `kind` listener on `target`.
    pub fn new(target: &EventTarget, kind: &'static str, f: impl FnMut(JsValue) + 'static) -> Self {
        let callback = Closure::<dyn FnMut(JsValue)>::new(f);
        // Adding a listener only fails for non-callable callbacks.
        let _ = target.add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref());
        Listener {
            target: target.clone(),
            kind,
            callback,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.callback.as_ref().unchecked_ref());
    }
}
