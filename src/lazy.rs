//! Lazy rendering: an `IntersectionObserver` that fires once the container
//! comes within 100px of the viewport.

use js_sys::Array;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

use crate::global::Observer;

/// A pending lazy render; dropping it disconnects the observer and frees
/// the closure.
#[must_use = "the lazy render is cancelled as soon as this value is dropped"]
pub struct Lazy {
    observer: Observer,
    _callback: Closure<dyn FnMut(JsValue)>,
}

impl Drop for Lazy {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Whether the browser has `IntersectionObserver`.
pub fn supported() -> bool {
    crate::global::has(&crate::global::window(), &"IntersectionObserver".into())
}

/// Calls `near(id)` when `container` comes within 100px of the viewport.
/// Dropping the returned [`Lazy`] from inside `near` is safe: wasm-bindgen
/// frees the closure once the call returns.
pub fn observe(id: u32, container: &Element, near: fn(u32)) -> Option<Lazy> {
    let callback = Closure::<dyn FnMut(JsValue)>::new(move |entries: JsValue| {
        let entries: Array = entries.unchecked_into();
        let close = entries
            .iter()
            .any(|e| e.unchecked_ref::<crate::global::Target>().is_intersecting());
        if close {
            near(id);
        }
    });
    let init = crate::js::object(&[("rootMargin", &"100px".into())]);
    let observer = Observer::new(callback.as_ref(), &init);
    observer.observe(container);
    Some(Lazy {
        observer,
        _callback: callback,
    })
}
