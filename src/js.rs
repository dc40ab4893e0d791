//! `JsValue` adapters for the pure modules, shared by the host SDK and the
//! stream client: [`Record`]/[`RecordMut`] over JS objects and the one place
//! where Rust errors become JS `Error`s.

use alloc::{string::String, vec::Vec};

use core::cell::OnceCell;

use js_sys::{JsString, Object, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::error::Error;
use crate::protocol::{Msg, Record, RecordMut, Val, TYPE};

/// Property names and message types as JS strings, made once. Making a JS
/// string from wasm memory costs a `TextDecoder` call and a typed-array view
/// (garbage) each time; a login or an `authState` would otherwise make ten.
#[cfg(target_arch = "wasm32")]
struct Names(core::cell::RefCell<Vec<(String, JsValue)>>);
// SAFETY: wasm32-unknown-unknown without atomics has exactly one thread.
#[cfg(target_arch = "wasm32")]
unsafe impl Sync for Names {}
#[cfg(target_arch = "wasm32")]
static NAMES: Names = Names(core::cell::RefCell::new(Vec::new()));

/// `s` (a property name or message type) as a JS string, cached.
pub fn name(s: &str) -> JsValue {
    #[cfg(target_arch = "wasm32")]
    if let Ok(mut c) = NAMES.0.try_borrow_mut() {
        if let Some((_, v)) = c.iter().find(|(k, _)| k == s) {
            return v.clone();
        }
        let v = JsValue::from_str(s);
        // Bounded: only the protocol's and the options' names come here.
        if c.len() < 64 {
            c.push((s.into(), v.clone()));
        }
        return v;
    }
    JsValue::from_str(s)
}

/// Classifies a JS value for the pure decoders.
pub fn classify(v: JsValue) -> Val<JsValue> {
    if v.is_undefined() {
        Val::Missing
    } else if v.is_null() {
        Val::Null
    } else if let Some(b) = v.as_bool() {
        Val::Bool(b)
    } else if let Some(n) = v.as_f64() {
        Val::Num(n)
    } else if let Some(s) = as_string(&v) {
        Val::Str(s)
    } else if v.is_function() {
        Val::Func(v)
    } else {
        Val::Other(v)
    }
}

/// Read-only view of a JS object (anything else reads as empty).
pub struct JsRecord<'a>(pub &'a JsValue);

impl JsRecord<'_> {
    /// The own data property `key`, unclassified: `undefined` when absent
    /// or inherited (a polluted `Object.prototype` is never read), and the
    /// property's descriptor (an object, which no decoder accepts) when it
    /// is an accessor, whose getter is never called. A throwing proxy trap
    /// reads as absent: nothing propagates through the wasm. (Not inlined:
    /// one copy serves every reader.)
    #[inline(never)]
    pub fn raw(&self, key: &str) -> JsValue {
        if !self.0.is_object() {
            return JsValue::UNDEFINED;
        }
        let Ok(desc) = own_descriptor(self.0, &name(key)) else {
            return JsValue::UNDEFINED;
        };
        if desc.is_undefined() {
            return desc;
        }
        // `desc` is a fresh ordinary object: its own `value` exists exactly
        // for a data property (an accessor's would be inherited).
        match own_descriptor(&desc, &name("value")) {
            Ok(v) if !v.is_undefined() => Reflect::get(&desc, &name("value")).unwrap_or(desc),
            _ => desc,
        }
    }
}

impl Record for JsRecord<'_> {
    type Any = JsValue;

    fn get(&self, key: &str) -> Val<JsValue> {
        if !self.0.is_object() {
            return Val::Missing;
        }
        classify(self.raw(key))
    }

    fn get_num(&self, key: &str) -> Option<f64> {
        self.raw(key).as_f64()
    }

    fn get_str(&self, key: &str) -> Option<String> {
        as_string(&self.raw(key))
    }

    fn get_bool(&self, key: &str) -> Option<bool> {
        self.raw(key).as_bool()
    }

    fn keys(&self) -> impl Iterator<Item = impl AsRef<str>> {
        let keys: Vec<String> = match self.0.is_object().then(|| own_keys(self.0)) {
            Some(Ok(keys)) => keys.iter().filter_map(|k| as_string(&k)).collect(),
            _ => Vec::new(),
        };
        keys.into_iter()
    }
}

/// Builder for a fresh JS object.
pub struct JsRecordMut(pub Object);

impl RecordMut for JsRecordMut {
    type Any = JsValue;
    fn set_str(&mut self, key: &str, value: &str) {
        // The message type is one of a few names: cached.
        let v = if key == TYPE {
            name(value)
        } else {
            JsValue::from_str(value)
        };
        self.set_any(key, &v);
    }
    fn set_num(&mut self, key: &str, value: f64) {
        self.set_any(key, &JsValue::from_f64(value));
    }
    fn set_bool(&mut self, key: &str, value: bool) {
        self.set_any(key, &JsValue::from_bool(value));
    }
    fn set_any(&mut self, key: &str, value: &JsValue) {
        // Setting a data property on a plain fresh object cannot fail.
        put(&self.0, &name(key), value);
    }
}

/// A fresh object with the properties `pairs` (event data, say).
pub fn object(pairs: &[(&str, &JsValue)]) -> JsValue {
    let mut rec = JsRecordMut(Object::new());
    for (k, v) in pairs {
        rec.set_any(k, v);
    }
    rec.0.into()
}

/// Encodes a protocol message as a plain JS object.
pub fn encode(msg: &Msg<JsValue>) -> JsValue {
    let mut rec = JsRecordMut(Object::new());
    msg.encode(&mut rec);
    rec.0.into()
}

/// `msg` encoded, with `token` (a JS string) as its property `key`: the
/// token is posted as the publisher's own string, not copied through wasm
/// memory.
pub fn with_token(msg: &Msg<JsValue>, key: &str, token: &JsValue) -> JsValue {
    let mut rec = JsRecordMut(encode(msg).unchecked_into());
    rec.set_any(key, token);
    rec.0.into()
}

/// Converts an SDK error into a JS `Error` with `code` (and `option`).
pub fn to_js_error(e: Error) -> JsValue {
    let err = js_sys::Error::new(&e.message);
    err.set_name("CoralError");
    let mut rec = JsRecordMut(err.clone().into());
    rec.set_str("code", e.code.as_str());
    if let Some(option) = e.option {
        rec.set_str("option", option);
    }
    if let Some(claim) = e.claim {
        rec.set_str("claim", claim);
    }
    err.into()
}

/// `v` copied into wasm memory if it is a string (as `JsValue::as_string`,
/// whose generic boxed-slice return path costs 0.4 kB more code).
pub fn as_string(v: &JsValue) -> Option<String> {
    v.dyn_ref::<JsString>().map(string_of)
}

#[wasm_bindgen]
extern "C" {
    /// `String(s)`: the string itself, copied into wasm memory.
    #[wasm_bindgen(js_name = String)]
    fn string_of(s: &JsString) -> String;
    /// `atob`: (forgiving) base64 to a binary string; throws on bad input.
    #[wasm_bindgen(catch, js_name = atob)]
    fn atob(s: &JsString) -> Result<JsString, JsValue>;
    /// `Object.getOwnPropertyDescriptor(o, key)`: runs no getter, and a
    /// throwing proxy trap comes back as an error.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = getOwnPropertyDescriptor)]
    fn own_descriptor(o: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;
    /// `Object.keys(o)` (a proxy's `ownKeys` trap may throw).
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn own_keys(o: &JsValue) -> Result<js_sys::Array, JsValue>;
    /// `JSON.parse` of a JS string.
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    fn json_parse(s: &JsString) -> Result<JsValue, JsValue>;
    /// `Reflect.set` on an object the SDK made itself (cannot throw).
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    pub fn put(target: &JsValue, key: &JsValue, value: &JsValue) -> bool;
    /// A `RegExp`, tested against JS strings.
    #[wasm_bindgen(js_name = RegExp)]
    type Pattern;
    #[wasm_bindgen(constructor, js_class = RegExp)]
    fn new(source: &str) -> Pattern;
    #[wasm_bindgen(method, js_class = RegExp)]
    fn test(this: &Pattern, s: &JsString) -> bool;
}

#[wasm_bindgen]
extern "C" {
    /// A parsed `URL`.
    #[wasm_bindgen(js_name = URL)]
    type Url;
    #[wasm_bindgen(catch, constructor, js_class = URL)]
    fn new(url: &str) -> Result<Url, JsValue>;
    #[wasm_bindgen(method, getter, js_class = URL)]
    fn protocol(this: &Url) -> String;
    #[wasm_bindgen(method, getter, js_class = URL)]
    fn origin(this: &Url) -> String;
}

/// The origin of an absolute `http:`/`https:` URL by the browser's URL
/// parser (see [`crate::options::origin_of`]).
pub fn url_origin(url: &str) -> Option<String> {
    let u = Url::new(url).ok()?;
    matches!(u.protocol().as_str(), "http:" | "https:").then(|| u.origin())
}

/// The base64url alphabet, optionally padded (`atob` alone would also take
/// `+`, `/` and spaces), compiled once.
struct Base64Url(OnceCell<Pattern>);
// SAFETY: wasm32-unknown-unknown without atomics has exactly one thread.
unsafe impl Sync for Base64Url {}
static BASE64URL: Base64Url = Base64Url(OnceCell::new());

/// Decodes one base64url JSON segment into a JS object, if it is one. The
/// segment stays a JS string throughout (no copy through wasm memory);
/// `atob` yields bytes as characters, which is enough for the presence
/// checks `check` makes.
fn json_object(segment: JsValue) -> Option<JsValue> {
    let seg = segment.dyn_into::<JsString>().ok()?;
    let alphabet = BASE64URL
        .0
        .get_or_init(|| Pattern::new("^[A-Za-z0-9_-]*={0,2}$"));
    if !alphabet.test(&seg) {
        return None;
    }
    let text = atob(&seg.replace_all("-", "+").replace_all("_", "/")).ok()?;
    let v = json_parse(&text).ok()?;
    (v.is_object() && !js_sys::Array::is_array(&v)).then_some(v)
}

/// A non-empty string or a number (read in place: no copy into wasm).
fn present(v: JsValue) -> bool {
    v.as_f64().is_some()
        || v.dyn_ref::<js_sys::JsString>()
            .is_some_and(|s| s.length() > 0)
}

/// Decodes a token's header and claims (no signature check) for
/// [`crate::token::check`].
pub fn claims_of(token: &JsString) -> crate::token::Claims {
    use crate::token::{Claims, UserClaims};
    let parts = token.split(".");
    if parts.length() != 3 {
        return Claims::default();
    }
    let header = json_object(parts.get(0));
    let header_ok = header
        .as_ref()
        .is_some_and(|h| match JsRecord(h).get_str("alg") {
            Some(alg) => !alg.eq_ignore_ascii_case("none"),
            None => false,
        });
    let Some(p) = json_object(parts.get(1)) else {
        return Claims {
            header_ok,
            ..Claims::default()
        };
    };
    // JSON values: no functions, getters or proxies.
    let rec = JsRecord(&p);
    let u = rec.raw("user");
    let user = u.is_object().then(|| {
        let u = JsRecord(&u);
        UserClaims {
            id: present(u.raw("id")),
            email: present(u.raw("email")),
            username: present(u.raw("username")),
        }
    });
    let exp = rec.raw("exp");
    let exp = if exp.is_undefined() || exp.is_null() {
        None
    } else {
        Some(exp.as_f64().filter(|n| n.is_finite()).ok_or(()))
    };
    Claims {
        header_ok,
        payload_ok: true,
        user,
        sub: present(rec.raw("sub")),
        exp,
        nonce: rec.get_str("nonce"),
    }
}
