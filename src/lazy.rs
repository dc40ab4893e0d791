//! Lazy rendering: an `IntersectionObserver` that fires once the container
//! comes within 100px of the viewport.

use js_sys::Array;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

/// A pending lazy render; dropping it disconnects the observer and frees
/// the closure.
#[must_use = "the lazy render is cancelled as soon as this value is dropped"]
pub struct Lazy {
    observer: IntersectionObserver,
    _callback: Closure<dyn FnMut(JsValue)>,
}

impl Drop for Lazy {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Whether the browser has `IntersectionObserver`.
pub fn supported() -> bool {
    crate::global::window().is_some_and(|w| crate::global::has(&w, &"IntersectionObserver".into()))
}

/// Calls `near(id)` when `container` comes within 100px of the viewport.
/// Dropping the returned [`Lazy`] from inside `near` is safe: wasm-bindgen
/// frees the closure once the call returns.
pub fn observe(id: u32, container: &Element, near: fn(u32)) -> Option<Lazy> {
    let callback = Closure::<dyn FnMut(JsValue)>::new(move |entries: JsValue| {
        let entries: Array = entries.unchecked_into();
        let close = entries.iter().any(|e| {
            e.dyn_ref::<IntersectionObserverEntry>()
                .is_some_and(IntersectionObserverEntry::is_intersecting)
        });
        if close {
            near(id);
        }
    });
    let init = IntersectionObserverInit::new();
    init.set_root_margin("100px");
    let observer =
        IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &init).ok()?;
    observer.observe(container);
    Some(Lazy {
        observer,
        _callback: callback,
    })
}
