//! Lazy rendering: an `IntersectionObserver` that fires once the container
//! comes within 100px of the viewport.

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

use crate::callback::{Callback, Handler};
use crate::global::Observer;

/// A pending lazy render; dropping it disconnects the observer and frees
/// the callback.
#[must_use = "the lazy render is cancelled as soon as this value is dropped"]
pub struct Lazy {
    observer: Observer,
    _callback: Callback,
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

/// Whether any of the observer's `entries` is intersecting (near the
/// viewport, given the 100px margin).
pub fn near(entries: &JsValue) -> bool {
    entries
        .unchecked_ref::<Array>()
        .iter()
        .any(|e| e.unchecked_ref::<crate::global::Target>().is_intersecting())
}

/// Calls `on_entries(id, entries)` as `container` moves relative to the
/// viewport (or to `root`, a scrolling element) (use [`near`] on the entries). Dropping the returned [`Lazy`]
/// from inside `on_entries` is safe.
pub fn observe(id: u32, container: &Element, root: Option<&JsValue>, on_entries: Handler) -> Lazy {
    let callback = Callback::new(on_entries, id);
    let init = crate::js::object(&[
        ("rootMargin", &"100px".into()),
        // Coral's `customScrollContainer`; `null` is the viewport.
        ("root", root.unwrap_or(&JsValue::NULL)),
    ]);
    let observer = Observer::new(callback.function(), &init);
    observer.observe(container);
    Lazy {
        observer,
        _callback: callback,
    }
}
