//! Values on the simulated page: JS values, JWT-shaped tokens and
//! `URLSearchParams`.

use serde_json::Value;

/// A JS value on the simulated page.
#[derive(Clone, Debug, PartialEq)]
pub enum V {
    Undef,
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    /// A function, by name.
    Func(&'static str),
    /// Any other object, by name.
    Obj(&'static str),
    /// A DOM element, by name.
    El(&'static str),
    /// An accessor property (its getter must never run).
    Accessor,
    /// Decoded JSON the core made (event data).
    Json(Value),
    /// An embed's handle.
    Handle(u32),
    /// `next` of a refresh request: (embed, request).
    Next(u32, u32),
}

pub fn s(v: &str) -> V {
    V::Str(v.to_owned())
}

/// A JWT-shaped string with these claims (header `alg: HS256`).
pub fn jwt(claims: Value) -> String {
    jwt_with(serde_json::json!({"alg": "HS256", "typ": "JWT"}), claims)
}

pub fn jwt_with(header: Value, claims: Value) -> String {
    let b = |v: &Value| b64(v.to_string().as_bytes());
    format!("{}.{}.c2ln", b(&header), b(&claims))
}

fn b64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..=c.len() {
            out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

pub(super) fn unb64(s: &str) -> Option<Vec<u8>> {
    stream_embed::token::base64url_decode(s)
}

/// A Coral SSO token for `user`, expiring at `exp` (unix s).
pub fn coral_token(user: &str, exp: f64) -> String {
    jwt(
        serde_json::json!({"user": {"id": user, "email": format!("{user}@x.test"), "username": user}, "exp": exp}),
    )
}

/// `URLSearchParams` in Rust, for the fake page (form_urlencoded).
pub fn url_pairs(s: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(s.strip_prefix('?').unwrap_or(s).as_bytes())
        .into_owned()
        .collect()
}
