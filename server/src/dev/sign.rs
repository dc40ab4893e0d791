//! Signing for the development issuer (and tests).

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::Value;

/// Signs `claims` with HS256 (used by the development token issuer and tests).
pub fn sign(claims: &Value, secret: &[u8]) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )
    .expect("HS256 signing of a JSON value cannot fail")
}
