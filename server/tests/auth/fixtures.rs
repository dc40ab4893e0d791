//! Profiles, secrets, token signers and the seed documents' example claims.

use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{json, Value};
use stream_server::auth::{Profile, ProfileConfig, Verifier};

pub const CORAL_SECRET: &[u8] = b"coral-secret-0123456789abcdef0123456789";
pub const TALK_SECRET: &[u8] = b"talk-secret-0123456789abcdef0123456789";
pub const SPOKE_SECRET: &[u8] = b"spoke-secret-0123456789abcdef012345678";

pub fn coral_cfg() -> ProfileConfig {
    ProfileConfig {
        profile: Profile::Coral,
        secret: CORAL_SECRET.to_vec(),
        issuer: None,
        audience: None,
    }
}
pub fn talk_cfg() -> ProfileConfig {
    ProfileConfig {
        profile: Profile::TalkV4,
        secret: TALK_SECRET.to_vec(),
        issuer: Some("https://talk.example".into()),
        audience: Some("talk".into()),
    }
}
pub fn spoke_cfg() -> ProfileConfig {
    ProfileConfig {
        profile: Profile::Token,
        secret: SPOKE_SECRET.to_vec(),
        issuer: Some("thirdparty".into()),
        audience: Some("spoke".into()),
    }
}
pub fn all() -> Verifier {
    Verifier {
        profiles: vec![coral_cfg(), talk_cfg(), spoke_cfg()],
    }
}
pub fn only(c: ProfileConfig) -> Verifier {
    Verifier { profiles: vec![c] }
}

pub fn b64(v: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v)
}

/// A token with an arbitrary header, HMAC-SHA256-signed over the exact parts.
pub fn raw_hs256(header: &Value, payload: &Value, secret: &[u8]) -> String {
    let h = b64(header.to_string().as_bytes());
    let p = b64(payload.to_string().as_bytes());
    let input = format!("{h}.{p}");
    // Sign via jsonwebtoken's JWS primitive by re-encoding with HS256 and
    // swapping in our header/payload: the signature covers `input` only.
    let sig = jsonwebtoken::crypto::sign(
        input.as_bytes(),
        &EncodingKey::from_secret(secret),
        Algorithm::HS256,
    )
    .unwrap();
    format!("{input}.{sig}")
}

// Seed 002 (Coral v5+ SSO) example, exactly.
pub fn seed_002() -> Value {
    json!({
      "jti": "151c19fc-ad15-4f80-a49c-09f137789fbb",
      "exp": 1572172094,
      "iat": 1562172094,
      "user": {
        "id": "628bdc61-6616-4add-bfec-dd79156715d4",
        "email": "bob@example.com",
        "username": "bob"
      }
    })
}
pub const SEED_002_NOW: i64 = 1562172094 + 60;

// Seed 003 (Spoke token auth) example, exactly.
pub fn seed_003() -> Value {
    json!({
        "sub": "admin@spoke.test",
        "iat": 1655812965,
        "exp": 1655816565,
        "iss": "thirdparty",
        "aud": "spoke",
        "name": "Admin User",
        "user_organizations": [
            { "organization_id": 1, "role": "OWNER" }
        ]
    })
}
pub const SEED_003_NOW: i64 = 1655812965 + 60;

// Seed 000 (Talk v4): jti, exp, sub, iss = TALK_JWT_ISSUER, aud = TALK_JWT_AUDIENCE.
pub fn talk_claims(now: i64) -> Value {
    json!({
        "jti": "5f0c1a52-7c1e-4c6a-9a57-0b7c3a2f5e11",
        "exp": now + 3600,
        "sub": "user-42",
        "iss": "https://talk.example",
        "aud": "talk",
    })
}

pub const NOW: i64 = 1_800_000_000;

pub fn coral_ok(now: i64) -> Value {
    json!({
        "jti": "j-1", "exp": now + 600, "iat": now - 10,
        "user": {
            "id": "u-1", "email": "u1@example.com", "username": "u1",
            "badges": ["SUBSCRIBER"], "role": "STAFF", "url": "https://news.example/account"
        }
    })
}
