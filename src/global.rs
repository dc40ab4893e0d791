//! The page's `window` and `location`, bound once (no `globalThis`/`self`/
//! `global` probing, which `web_sys::window()` does on every call), and the
//! few DOM calls the SDK makes that cannot throw, bound without web-sys's
//! exception plumbing (which costs glue and a `Result` at every call site).

use alloc::string::String;

use wasm_bindgen::prelude::*;
use web_sys::Window;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_name = window)]
    static WINDOW: JsValue;

    /// The page's `location`.
    #[wasm_bindgen(js_name = Location)]
    #[derive(Clone)]
    pub type Loc;
    #[wasm_bindgen(thread_local_v2, js_name = location)]
    static LOCATION: Loc;
    /// `location.search` (`?…` or empty).
    #[wasm_bindgen(method, getter)]
    pub fn search(this: &Loc) -> String;
    /// `location.pathname`.
    #[wasm_bindgen(method, getter)]
    pub fn pathname(this: &Loc) -> String;
    /// `location.hash` (`#…` or empty).
    #[wasm_bindgen(method, getter)]
    pub fn hash(this: &Loc) -> String;
    /// `location.protocol` (`https:`).
    #[wasm_bindgen(method, getter)]
    pub fn protocol(this: &Loc) -> String;
    /// `location.origin`.
    #[wasm_bindgen(method, getter)]
    pub fn origin(this: &Loc) -> String;

    /// `setTimeout(f, ms)`.
    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(f: &JsValue, ms: i32) -> i32;
    /// `clearTimeout(handle)`.
    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(handle: i32);

    /// An `EventTarget`; adding or removing a function listener cannot throw.
    #[wasm_bindgen(js_name = EventTarget)]
    pub type Target;
    /// `addEventListener(kind, f)`.
    #[wasm_bindgen(method, js_class = EventTarget, js_name = addEventListener)]
    pub fn listen(this: &Target, kind: &str, f: &JsValue);
    /// `removeEventListener(kind, f)`.
    #[wasm_bindgen(method, js_class = EventTarget, js_name = removeEventListener)]
    pub fn unlisten(this: &Target, kind: &str, f: &JsValue);

    /// An element's `style` (a `CSSStyleDeclaration`).
    #[wasm_bindgen(js_name = CSSStyleDeclaration)]
    pub type Style;
    /// `el.style`.
    #[wasm_bindgen(method, getter, js_class = HTMLElement, js_name = style)]
    pub fn style_of(this: &Target) -> Style;
    /// `style.setProperty(name, value)`.
    #[wasm_bindgen(method, js_class = CSSStyleDeclaration, js_name = setProperty)]
    pub fn set(this: &Style, name: &str, value: &str);
    /// `style.cssText = text`.
    #[wasm_bindgen(method, setter, js_class = CSSStyleDeclaration, js_name = cssText)]
    pub fn set_css_text(this: &Style, text: &str);
    /// `style.removeProperty(name)`.
    #[wasm_bindgen(method, js_class = CSSStyleDeclaration, js_name = removeProperty)]
    pub fn remove(this: &Style, name: &str);

    /// `el.setAttribute(name, value)` with a valid name (cannot throw).
    #[wasm_bindgen(method, js_class = Element, js_name = setAttribute)]
    pub fn set_attr(this: &Target, name: &str, value: &str);
    /// `name in window`.
    #[wasm_bindgen(js_namespace = Reflect, js_name = has)]
    pub fn has(target: &JsValue, key: &JsValue) -> bool;
    /// `window.history`.
    #[wasm_bindgen(thread_local_v2, js_name = history)]
    static HISTORY: web_sys::History;

    /// An `IntersectionObserver` (constructing one with a valid root margin
    /// cannot throw).
    #[wasm_bindgen(js_name = IntersectionObserver)]
    pub type Observer;
    /// `new IntersectionObserver(f, init)`.
    #[wasm_bindgen(constructor, js_class = IntersectionObserver)]
    pub fn new(f: &JsValue, init: &JsValue) -> Observer;
    /// Starts observing `target`.
    #[wasm_bindgen(method)]
    pub fn observe(this: &Observer, target: &web_sys::Element);
    /// Stops observing everything.
    #[wasm_bindgen(method)]
    pub fn disconnect(this: &Observer);
    /// `entry.isIntersecting` of an `IntersectionObserverEntry`.
    #[wasm_bindgen(method, getter, js_class = IntersectionObserverEntry, js_name = isIntersecting)]
    pub fn is_intersecting(this: &Target) -> bool;

    /// A `MessageChannel` (constructing one cannot throw).
    #[wasm_bindgen(js_name = MessageChannel)]
    pub type Chan;
    /// `new MessageChannel()`.
    #[wasm_bindgen(constructor, js_class = MessageChannel)]
    pub fn new() -> Chan;
    /// The end the host keeps.
    #[wasm_bindgen(method, getter)]
    pub fn port1(this: &Chan) -> web_sys::MessagePort;
    /// The end transferred to the stream.
    #[wasm_bindgen(method, getter)]
    pub fn port2(this: &Chan) -> web_sys::MessagePort;

    /// `URLSearchParams`, which never throws for a string.
    #[wasm_bindgen(js_name = URLSearchParams)]
    pub type Params;
    /// `new URLSearchParams(init)` (a leading `?` is skipped).
    #[wasm_bindgen(constructor, js_class = URLSearchParams)]
    pub fn new(init: &str) -> Params;
    /// The first value of `key`, if any.
    #[wasm_bindgen(method, js_class = URLSearchParams)]
    pub fn get(this: &Params, key: &str) -> Option<String>;
    /// Appends `key=value`.
    #[wasm_bindgen(method, js_class = URLSearchParams)]
    pub fn append(this: &Params, key: &str, value: &str);
    /// Replaces every `key` with one `key=value`.
    #[wasm_bindgen(method, js_class = URLSearchParams)]
    pub fn set(this: &Params, key: &str, value: &str);
    /// Removes every `key`.
    #[wasm_bindgen(method, js_class = URLSearchParams)]
    pub fn delete(this: &Params, key: &str);
    /// The serialised query, without `?`.
    #[wasm_bindgen(method, js_class = URLSearchParams, js_name = toString)]
    pub fn to_query(this: &Params) -> String;
}

// DOM built-ins bound when embed.js runs (see js/builtins.js): page HTML
// cannot shadow them.
#[wasm_bindgen(module = "/js/builtins.js")]
extern "C" {
    /// `document.getElementById(id)`.
    #[wasm_bindgen(js_name = byId)]
    pub fn element_by_id(id: &str) -> Option<web_sys::Element>;
    /// `document.createElement(tag)` with a valid tag (cannot throw).
    #[wasm_bindgen(js_name = make)]
    pub fn create_element(tag: &str) -> web_sys::Element;
    /// `document.querySelector(selector)` with a valid selector.
    pub fn query(selector: &str) -> Option<web_sys::Element>;
    /// `parent.appendChild(child)`.
    #[wasm_bindgen(catch)]
    pub fn append(parent: &web_sys::Element, child: &web_sys::Element) -> Result<JsValue, JsValue>;
    /// `port.postMessage(msg)`: the port that carries the token.
    #[wasm_bindgen(catch)]
    pub fn post(port: &web_sys::MessagePort, msg: &JsValue) -> Result<(), JsValue>;
}

/// The page's `history`.
pub fn history() -> web_sys::History {
    HISTORY.with(|h| h.clone())
}

/// The page's `location`.
pub fn location() -> Loc {
    LOCATION.with(|l| l.clone())
}

/// The page's `window` (the SDK runs only on pages).
pub fn window() -> Window {
    WINDOW.with(|w| w.clone().unchecked_into())
}
