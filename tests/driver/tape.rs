//! The input tape, written as `js/tape.js` writes it.

use std::collections::HashMap;

use serde_json::Value;

use super::values::{unb64, V};

/// The tape the executor writes.
pub struct W {
    pub nums: Vec<f64>,
    pub text: String,
    pub x: Vec<V>,
}

impl W {
    pub fn str(&mut self, s: &str) {
        self.nums.push(s.encode_utf16().count() as f64);
        self.text.push_str(s);
    }

    pub fn val(&mut self, v: &V, kept: &HashMap<u32, V>) -> u8 {
        self.x.push(v.clone());
        let slot = |v: &V| {
            kept.iter()
                .find(|(_, k)| *k == v)
                .map(|(s, _)| *s as f64)
                .unwrap_or(0.0)
        };
        let tag = match v {
            V::Undef => 0,
            V::Null => 1,
            V::Bool(b) => 2 + *b as u8,
            V::Num(_) => 4,
            V::Str(_) => 5,
            V::Func(_) => 6,
            V::Accessor => 8,
            V::El(_) => 9,
            _ => 7,
        };
        self.nums.push(tag as f64);
        match v {
            V::Num(n) => self.nums.push(*n),
            V::Str(s) => self.str(s),
            V::Func(_) | V::Obj(_) | V::El(_) | V::Json(_) | V::Handle(_) | V::Next(..) => {
                self.nums.push(slot(v))
            }
            _ => {}
        }
        tag
    }

    /// An object with these own data properties (`None`: not an object).
    pub fn record(&mut self, o: Option<&[(&str, V)]>, kept: &HashMap<u32, V>) {
        match o {
            None => {
                self.val(&V::Undef, kept);
            }
            Some(props) => {
                self.val(&V::Obj("record"), kept);
                self.nums.push(props.len() as f64);
                for (k, v) in props {
                    self.str(k);
                    self.val(v, kept);
                }
            }
        }
    }

    pub(super) fn json_val(&mut self, v: Option<&Value>, kept: &HashMap<u32, V>) {
        let v = match v {
            None => V::Undef,
            Some(Value::Null) => V::Null,
            Some(Value::Bool(b)) => V::Bool(*b),
            Some(Value::Number(n)) => V::Num(n.as_f64().unwrap()),
            Some(Value::String(s)) => V::Str(s.clone()),
            Some(other) => V::Json(other.clone()),
        };
        self.val(&v, kept);
    }

    /// A token, decoded as the executor does.
    pub fn token(&mut self, t: &str, kept: &HashMap<u32, V>) {
        let p: Vec<&str> = t.split('.').collect();
        let seg = |s: Option<&&str>| -> Option<Value> {
            let s = s?;
            let ok = s
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=');
            let v: Value =
                serde_json::from_slice(&unb64(s.trim_end_matches('=')).filter(|_| ok)?).ok()?;
            v.is_object().then_some(v)
        };
        let (h, b) = (seg(p.first()), seg(p.get(1)));
        self.x.push(V::Str(t.to_owned()));
        self.nums
            .extend([10.0, t.encode_utf16().count() as f64, p.len() as f64]);
        let own = |o: Option<&Value>, k: &str| o.and_then(|o| o.get(k)).cloned();
        let u = own(b.as_ref(), "user");
        self.json_val(own(h.as_ref(), "alg").as_ref(), kept);
        self.json_val(b.as_ref(), kept);
        for k in ["sub", "exp", "nonce", "user"] {
            self.json_val(own(b.as_ref(), k).as_ref(), kept);
        }
        for k in ["id", "email", "username"] {
            self.json_val(own(u.as_ref(), k).as_ref(), kept);
        }
    }
}
