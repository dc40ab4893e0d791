//! `JsValue` adapters for the pure modules, shared by the host SDK and the
//! stream client: [`Record`]/[`RecordMut`] over JS objects and the one place
//! where Rust errors become JS `Error`s.

use alloc::{string::String, vec::Vec};

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::Error;
use crate::protocol::{Msg, Record, RecordMut, Val};
use crate::token::{base64url_decode, Claims, UserClaims};

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
    if let Some(claim) = e.claim {
        rec.set_str("claim", claim);
    }
    err.into()
}

/// Decodes one base64url JSON segment into a JS object, if it is one.
fn json_object(segment: Option<&str>) -> Option<JsValue> {
    let bytes = base64url_decode(segment?)?;
    let text = core::str::from_utf8(&bytes).ok()?;
    let v = js_sys::JSON::parse(text).ok()?;
    (v.is_object() && !js_sys::Array::is_array(&v)).then_some(v)
}

fn present(v: Val<JsValue>) -> bool {
    match v {
        Val::Str(s) => !s.is_empty(),
        Val::Num(_) => true,
        _ => false,
    }
}

/// Decodes a token's header and claims (no signature check) for
/// [`crate::token::check`].
pub fn claims_of(token: &str) -> Claims {
    // Split at the dots by hand: `str::split` pulls in `memchr`.
    let mut dots = [0usize; 2];
    let mut n = 0;
    for (i, &c) in token.as_bytes().iter().enumerate() {
        if c == b'.' {
            if let Some(d) = dots.get_mut(n) {
                *d = i;
            }
            n += 1;
        }
    }
    let shape_ok = n == 2;
    let [d1, d2] = dots;
    let header = token.get(..d1);
    let payload = token.get(d1 + 1..d2);
    let header = json_object(header).filter(|_| shape_ok);
    let header_ok = header
        .as_ref()
        .is_some_and(|h| match JsRecord(h).get("alg") {
            Val::Str(alg) => !alg.eq_ignore_ascii_case("none"),
            _ => false,
        });
    let Some(p) = json_object(payload) else {
        return Claims {
            header_ok,
            ..Claims::default()
        };
    };
    let rec = JsRecord(&p);
    let user = match rec.get("user") {
        Val::Other(u) if u.is_object() => {
            let u = JsRecord(&u);
            Some(UserClaims {
                id: present(u.get("id")),
                email: present(u.get("email")),
                username: present(u.get("username")),
            })
        }
        _ => None,
    };
    let exp = match rec.get("exp") {
        Val::Missing | Val::Null => None,
        Val::Num(n) if n.is_finite() => Some(Ok(n)),
        _ => Some(Err(())),
    };
    Claims {
        header_ok,
        payload_ok: true,
        user,
        sub: present(rec.get("sub")),
        exp,
    }
}
