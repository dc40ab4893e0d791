//! Talk v4's `Coral.Talk.render(element, opts)` (coralproject/talk v4.12.1,
//! `client/coral-embed/src/`), mapped onto `createStreamEmbed`.
//!
//! Kept: `talk` (the root URL), `asset_id`, `asset_url`, `auth_token`,
//! `events`, `lazy` (render when the container nears the viewport instead
//! of at once) and the `?commentId=` permalink parameter of Talk v4 pages.
//! Every other option (`onAuthChanged`, plugin settings, `talkStaticUrl`,
//! …) is named in one console warning and ignored: use `events` and the
//! `authState` event instead.

use alloc::string::String;

use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::embed::{create, handle, warn, Handle};
use crate::error::Error;
use crate::js::{to_js_error, JsRecord};
use crate::protocol::Record;

/// Talk v4 option → `createStreamEmbed` option.
const MAPPED: [(&str, &str); 6] = [
    ("talk", "rootURL"),
    ("asset_id", "storyID"),
    ("asset_url", "storyURL"),
    ("auth_token", "accessToken"),
    ("events", "events"),
    ("lazy", "autoRender"),
];

/// `Coral.Talk.render(element, opts)`: renders at once, as Talk v4 did, or
/// lazily with `lazy: true`. `bind` as for `createStreamEmbed`.
#[wasm_bindgen(js_name = talkRender)]
#[allow(clippy::unit_arg)] // `Handle` is `()` in the shipped build
pub fn talk_render(
    element: JsValue,
    opts: JsValue,
    script_url: Option<String>,
    bind: Option<Function>,
) -> Result<Handle, JsValue> {
    let element = element
        .dyn_into::<Element>()
        .map_err(|_| to_js_error(Error::invalid_option("element", "a DOM element")))?;
    let opts = JsRecord(&opts);
    let config = js_sys::Object::new();
    for (from, to) in MAPPED {
        // Own data properties only, as for `createStreamEmbed`'s options.
        let v = opts.raw(from);
        if !v.is_undefined() {
            crate::js::put(&config, &to.into(), &v);
        }
    }
    for key in opts.keys() {
        if !MAPPED.iter().any(|(from, _)| *from == key) {
            let mut w = String::from("Coral.Talk.render: option `");
            w.push_str(&key);
            w.push_str("` is not supported; ignored.");
            warn(&w);
        }
    }
    // Talk v4 permalinks: `?commentId=` (Coral's is `?commentID=`).
    let search = crate::global::location().search();
    if let Some(c) = crate::page::query_param(&search, "commentId") {
        crate::js::put(&config, &"commentID".into(), &c.into());
    }
    let lazy = opts.get_bool("lazy") == Some(true);
    let embed = create(config.into(), script_url, Some(element), bind).map_err(to_js_error)?;
    if !lazy {
        embed.render()?;
    }
    Ok(handle(embed))
}
