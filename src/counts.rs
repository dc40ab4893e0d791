//! Comment-count badges on the article page (Coral's
//! `injectCountScriptIfNeeded` and `withLiveCommentCount`).
//!
//! When the page has `.coral-count` elements and no count script, the SDK
//! adds `ROOT/assets/js/count.js` (once per page), which fills them. When
//! the stream reports a new count (`count.comments`), the SDK hands it to
//! that script's `CoralCount.setCount` in the script's own batch format, so
//! the badges of this story change at once with the script's markup. The
//! script's global is read as `window`'s own data property: a page element
//! named `CoralCount` (DOM clobbering) is not it.

use alloc::string::String;
use core::cell::Cell;

use js_sys::{Array, Function};
use wasm_bindgen::{JsCast, JsValue};

use crate::embed::Global;
use crate::global::{append, create_element, query, window};
use crate::js::{object, JsRecord};
use crate::protocol::Record;

static INJECTED: Global<Cell<bool>> = Global(Cell::new(false));

/// Adds the count script from the stream root `root` if the page shows
/// counts and has none yet.
pub fn inject(root: &str) {
    if INJECTED.0.get() || query(".coral-count").is_none() {
        return;
    }
    INJECTED.0.set(true);
    let (Some(head), None) = (query("head"), query("script.coral-script")) else {
        return;
    };
    let script = create_element("script");
    let el = script.unchecked_ref::<crate::global::Target>();
    let mut src = String::from(root);
    src.push_str("/assets/js/count.js");
    el.set_attr("class", "coral-script");
    el.set_attr("src", &src);
    let _ = append(&head, &script);
}

/// A `count.comments` event's `{number, text, storyID, storyURL}`, applied
/// to the page's badges for that story by id and by URL.
pub fn live(data: &JsValue) {
    let d = JsRecord(data);
    let Some(count) = d.get_num("number") else {
        return;
    };
    let items = Array::new();
    for (key, field) in [("id", "storyID"), ("url", "storyURL")] {
        let story = d.raw(field);
        if crate::js::as_string(&story).is_some_and(|s| !s.is_empty()) {
            items.push(&object(&[
                (key, &story),
                ("count", &count.into()),
                ("text", &d.raw("text")),
            ]));
        }
    }
    let counts = JsRecord(&window()).raw("CoralCount");
    if let Some(set) = JsRecord(&counts).raw("setCount").dyn_ref::<Function>() {
        let _ = set.call1(&counts, &object(&[("counts", &items)]));
    }
}
