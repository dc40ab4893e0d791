//! The page's `window`, bound once (no `globalThis`/`self`/`global` probing,
//! which `web_sys::window()` does on every call).

use wasm_bindgen::prelude::*;
use web_sys::Window;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_name = window)]
    static WINDOW: JsValue;
}

/// The page's `window`, if there is one.
pub fn window() -> Option<Window> {
    WINDOW.with(|w| w.dyn_ref::<Window>().cloned())
}
