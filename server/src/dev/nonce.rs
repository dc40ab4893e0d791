//! The login nonce (OIDC's `nonce`, OAuth's `state`).
//!
//! The SDK's `Coral.createLoginNonce()` makes a one-time value before the
//! reader is sent to log in (`/login?return=…&nonce=…`); the issuer copies it
//! into the signed token as the claim `"nonce"`, and the SDK's
//! `handleLoginCallback` accepts a callback token only when the claim matches
//! the value it made. A token an attacker obtained for their own login
//! carries their nonce, not the reader's, so a crafted `#jwt=` link cannot
//! sign the reader in. The stream server's verifier ignores the claim.

use serde_json::{json, Value};

/// Shortest accepted nonce (22 base64url characters: 128 bits).
pub const MIN_NONCE_CHARS: usize = 22;
/// Longest accepted nonce.
pub const MAX_NONCE_CHARS: usize = 64;

/// A nonce of 22–64 characters of `[A-Za-z0-9_-]` (base64url, no padding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nonce(String);

/// The value given is not a nonce the SDK can have made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NonceInvalid;

impl Nonce {
    /// Parses a nonce.
    pub fn parse(s: &str) -> Result<Nonce, NonceInvalid> {
        let ok = (MIN_NONCE_CHARS..=MAX_NONCE_CHARS).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if ok {
            Ok(Nonce(s.to_string()))
        } else {
            Err(NonceInvalid)
        }
    }

    /// An optional nonce: absent (or, from a form, empty) is `None`.
    pub fn parse_optional(s: Option<&str>) -> Result<Option<Nonce>, NonceInvalid> {
        match s {
            None | Some("") => Ok(None),
            Some(s) => Nonce::parse(s).map(Some),
        }
    }

    /// The nonce text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Puts the nonce into a claims object as `"nonce"`.
    pub fn add_to(&self, claims: &mut Value) {
        if let Some(obj) = claims.as_object_mut() {
            obj.insert("nonce".into(), json!(self.0));
        }
    }
}
