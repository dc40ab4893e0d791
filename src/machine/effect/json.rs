//! The JSON the effects are written in: strings, pairs, objects and the
//! host → stream messages.

use alloc::string::String;

use crate::machine::input::Ref;
use crate::protocol::{Msg, RecordMut};

/// Appends `[[name, value], …]`.
pub(super) fn push_pairs(out: &mut String, pairs: &[(&str, &str)]) {
    out.push('[');
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        push_json_str(out, k);
        out.push(',');
        push_json_str(out, v);
        out.push(']');
    }
    out.push(']');
}

/// Appends `s` as a JSON string literal. Works on bytes: only `"`, `\`
/// and control characters (all ASCII) are escaped, so every other byte,
/// UTF-8 included, is copied as it is.
pub fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    let mut from = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        out.push_str(s.get(from..i).unwrap_or_default());
        from = i + 1;
        out.push('\\');
        match b {
            b'"' | b'\\' => out.push(char::from(b)),
            _ => {
                out.push_str("u00");
                crate::machine::page::push_hex(out, b);
            }
        }
    }
    out.push_str(s.get(from..).unwrap_or_default());
    out.push('"');
}

/// A JSON object under construction (host → stream messages and event
/// data). Numbers must be integers.
pub struct JsonObject<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> JsonObject<'a> {
    /// Opens `{` on `out`.
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        JsonObject { out, first: true }
    }

    fn key(&mut self, key: &str) {
        if !core::mem::replace(&mut self.first, false) {
            self.out.push(',');
        }
        push_json_str(self.out, key);
        self.out.push(':');
    }

    /// Closes the object.
    pub fn close(self) {
        self.out.push('}');
    }
}

impl RecordMut for JsonObject<'_> {
    type Any = Ref;
    fn set_str(&mut self, key: &str, value: &str) {
        self.key(key);
        push_json_str(self.out, value);
    }
    fn set_num(&mut self, key: &str, value: f64) {
        self.key(key);
        crate::options::push_int(self.out, value as i64);
    }
    fn set_bool(&mut self, key: &str, value: bool) {
        self.key(key);
        self.out.push_str(if value { "true" } else { "false" });
    }
    fn set_any(&mut self, key: &str, _: &Ref) {
        // Host → stream messages carry no opaque values.
        self.key(key);
        self.out.push_str("null");
    }
}

/// Appends `msg` as a JSON object.
pub fn encode_msg(out: &mut String, msg: &Msg<Ref>) {
    let mut o = JsonObject::new(out);
    msg.encode_from_host(&mut o);
    o.close();
}

/// `{"key":"value"}` (event data the core makes).
pub fn object(key: &str, value: &str) -> String {
    let mut s = String::new();
    let mut o = JsonObject::new(&mut s);
    o.set_str(key, value);
    o.close();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_escape_quotes_backslashes_and_controls_only() {
        for s in [
            "",
            "plain",
            "a\"b\\c",
            "\u{0}\n\u{1f} ",
            "é✓𝄞\"",
            "\\\\",
            "\u{7f}\u{2028}",
        ] {
            let mut out = String::new();
            push_json_str(&mut out, s);
            assert_eq!(serde_json::from_str::<String>(&out).unwrap(), s, "{out}");
        }
        let mut out = String::new();
        push_json_str(&mut out, "\"\n");
        assert_eq!(out, "\"\\\"\\u000A\"");
    }
}
