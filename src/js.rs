//! `JsValue` adapters for the pure modules, shared by the host SDK and the
//! stream client: [`Record`]/[`RecordMut`] over JS objects and the one place
//! where Rust errors become JS `Error`s.

use alloc::{string::String, vec::Vec};

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::Error;
use crate::protocol::{Msg, Record, RecordMut, Val};

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
    } else if let Some(s) = v.as_string() {
        Val::Str(s)
    } else if v.is_function() {
        Val::Func(v)
    } else {
        Val::Other(v)
    }
}

/// Read-only view of a JS object (anything else reads as empty).
pub struct JsRecord<'a>(pub &'a JsValue);

impl Record for JsRecord<'_> {
    type Any = JsValue;

    fn get(&self, key: &str) -> Val<JsValue> {
        if !self.0.is_object() {
            return Val::Missing;
        }
        // A throwing getter or proxy trap reads as absent: never propagate.
        match Reflect::get(self.0, &JsValue::from_str(key)) {
            Ok(v) => classify(v),
            Err(_) => Val::Missing,
        }
    }

    fn keys(&self) -> Vec<String> {
        match self.0.dyn_ref::<Object>() {
            Some(o) => Object::keys(o)
                .iter()
                .filter_map(|k| k.as_string())
                .collect(),
            None => Vec::new(),
        }
    }
}

/// Builder for a fresh JS object.
pub struct JsRecordMut(pub Object);

impl RecordMut for JsRecordMut {
    type Any = JsValue;
    fn set_str(&mut self, key: &str, value: &str) {
        self.set_any(key, &JsValue::from_str(value));
    }
    fn set_num(&mut self, key: &str, value: f64) {
        self.set_any(key, &JsValue::from_f64(value));
    }
    fn set_bool(&mut self, key: &str, value: bool) {
        self.set_any(key, &JsValue::from_bool(value));
    }
    fn set_any(&mut self, key: &str, value: &JsValue) {
        // Setting a data property on a plain fresh object cannot fail.
        let _ = Reflect::set(&self.0, &JsValue::from_str(key), value);
    }
}

/// Encodes a protocol message as a plain JS object.
pub fn encode(msg: &Msg<JsValue>) -> JsValue {
    let mut rec = JsRecordMut(Object::new());
    msg.encode(&mut rec);
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
    err.into()
}
