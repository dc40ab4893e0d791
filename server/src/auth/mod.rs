//! SSO token verification for the three supported profiles.
//!
//! * `coral`   — Coral v5+ Single Sign On (`user.{id,email,username}` …),
//!   secret `CORAL_SSO_SECRET`.
//! * `talk-v4` — Coral Talk v4 custom tokens (`jti`, `exp`, `sub`, `iss`,
//!   `aud`), secret `TALK_JWT_SECRET`.
//! * `token`   — Spoke token auth (`sub`, `iat`, `exp`, `iss`, `aud`, `name`,
//!   `user_organizations`), secret `TOKEN_AUTH_SHARED_SECRET`.
//!
//! Every token is HS256: the header must say `"alg":"HS256"`, anything else
//! (including `none`) is rejected before any key is touched. The signature is
//! checked by `jsonwebtoken` before any claim is looked at, so an attacker
//! without the secret only ever learns `TOKEN_SIGNATURE_INVALID` (or a
//! structural error).
//!
//! # Matching a token to its profile
//!
//! The (not yet verified) payload only picks *which secret* to try:
//!
//! 1. exactly one profile enabled → that profile;
//! 2. the payload has a `user` member → `coral`;
//! 3. `iss` equals `TOKEN_AUTH_ISSUER` → `token`;
//! 4. `iss` equals `TALK_JWT_ISSUER` → `talk-v4`;
//! 5. neither `iss` nor `sub` and `coral` enabled → `coral` (so the error
//!    names the missing `user` claims);
//! 6. exactly one of `talk-v4`/`token` enabled → that profile (its checks
//!    then report the precise error, e.g. `TOKEN_ISSUER_MISMATCH`);
//! 7. otherwise `TOKEN_ISSUER_MISMATCH` (no `iss`: `TOKEN_CLAIM_MISSING iss`),
//!    or `TOKEN_PROFILE_UNKNOWN` when no enabled profile fits.
//!
//! Configurations where `TOKEN_AUTH_ISSUER == TALK_JWT_ISSUER` are refused at
//! startup, so the rule is never ambiguous.

mod claims;
mod error;
mod identity;
mod profiles;

pub use claims::{decode_unverified, valid_email, JsonObject};
pub use error::AuthError;
pub use identity::{now, Identity, Organization, Verified, ROLES};

use jsonwebtoken::{errors::ErrorKind, Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};
use std::fmt;

/// Largest accepted token, in bytes (16 KiB).
pub const MAX_TOKEN_BYTES: usize = 16 * 1024;
/// How far in the future `iat` may lie (clock skew), in seconds.
pub const IAT_SKEW: i64 = 300;

/// A token profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Profile {
    /// Coral v5+ SSO.
    Coral,
    /// Coral Talk v4 custom token integration.
    TalkV4,
    /// Spoke token authentication.
    Token,
}

impl Profile {
    /// All profiles, in matching order.
    pub const ALL: [Profile; 3] = [Profile::Coral, Profile::TalkV4, Profile::Token];

    /// The profile's name as used in configuration and the API.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Coral => "coral",
            Profile::TalkV4 => "talk-v4",
            Profile::Token => "token",
        }
    }

    /// Parses a profile name.
    pub fn parse(s: &str) -> Option<Profile> {
        match s.trim() {
            "coral" => Some(Profile::Coral),
            "talk-v4" | "talk" => Some(Profile::TalkV4),
            "token" | "spoke" => Some(Profile::Token),
            _ => None,
        }
    }

    /// The env var holding this profile's secret.
    pub fn secret_var(self) -> &'static str {
        match self {
            Profile::Coral => "CORAL_SSO_SECRET",
            Profile::TalkV4 => "TALK_JWT_SECRET",
            Profile::Token => "TOKEN_AUTH_SHARED_SECRET",
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Settings of one enabled profile.
#[derive(Clone)]
pub struct ProfileConfig {
    /// Which profile.
    pub profile: Profile,
    /// The HS256 shared secret.
    pub secret: Vec<u8>,
    /// Required `iss` (talk-v4, token).
    pub issuer: Option<String>,
    /// Required `aud` (talk-v4, token).
    pub audience: Option<String>,
}

impl fmt::Debug for ProfileConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileConfig")
            .field("profile", &self.profile)
            .field("secret", &"<redacted>")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish()
    }
}

/// The set of enabled profiles.
#[derive(Debug, Clone, Default)]
pub struct Verifier {
    /// Enabled profiles, at most one per kind.
    pub profiles: Vec<ProfileConfig>,
}

impl Verifier {
    /// The configuration of `profile`, if enabled.
    pub fn get(&self, profile: Profile) -> Option<&ProfileConfig> {
        self.profiles.iter().find(|p| p.profile == profile)
    }

    /// Whether no profile is enabled.
    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }

    /// Picks the profile whose secret verifies `payload` (see module docs).
    pub fn select(&self, payload: &Map<String, Value>) -> Result<&ProfileConfig, AuthError> {
        if self.profiles.len() == 1 {
            return Ok(&self.profiles[0]);
        }
        if payload.contains_key("user") {
            return self.get(Profile::Coral).ok_or(AuthError::ProfileUnknown);
        }
        let iss = payload.get("iss").and_then(Value::as_str);
        for p in [Profile::Token, Profile::TalkV4] {
            if let Some(cfg) = self.get(p) {
                if iss.is_some() && cfg.issuer.as_deref() == iss {
                    return Ok(cfg);
                }
            }
        }
        if !payload.contains_key("iss") && !payload.contains_key("sub") {
            if let Some(cfg) = self.get(Profile::Coral) {
                return Ok(cfg);
            }
        }
        let others: Vec<&ProfileConfig> = self
            .profiles
            .iter()
            .filter(|p| p.profile != Profile::Coral)
            .collect();
        match others.len() {
            0 => Err(AuthError::ProfileUnknown),
            1 => Ok(others[0]),
            _ => match payload.get("iss") {
                None | Some(Value::Null) => Err(AuthError::ClaimMissing("iss")),
                _ => Err(AuthError::IssuerMismatch),
            },
        }
    }

    /// Verifies `token` at time `now` (unix seconds).
    pub fn verify(&self, token: &str, now: i64) -> Result<Verified, AuthError> {
        let token = token.trim();
        if token.is_empty() {
            return Err(AuthError::Missing);
        }
        let (header, payload) = decode_unverified(token)?;
        match header.get("alg") {
            Some(Value::String(a)) if a == "HS256" => {}
            _ => return Err(AuthError::AlgorithmInvalid),
        }
        if header.contains_key("crit") {
            // No extension is understood, so a critical one must fail (RFC 7515 §4.1.11).
            return Err(AuthError::Malformed);
        }
        if self.is_empty() {
            return Err(AuthError::ProfileUnknown);
        }
        let cfg = self.select(&payload)?;
        verify_signature(token, &cfg.secret)?;
        let (identity, jti, iat, exp) = match cfg.profile {
            Profile::Coral => profiles::coral_claims(&payload, now)?,
            Profile::TalkV4 => profiles::talk_claims(cfg, &payload, now)?,
            Profile::Token => profiles::spoke_claims(cfg, &payload, now)?,
        };
        Ok(Verified {
            profile: cfg.profile,
            identity,
            jti,
            iat,
            exp,
        })
    }
}

/// Checks the HS256 signature with `jsonwebtoken` (claims are checked by us).
fn verify_signature(token: &str, secret: &[u8]) -> Result<(), AuthError> {
    let mut v = Validation::new(Algorithm::HS256);
    v.required_spec_claims.clear();
    v.validate_exp = false;
    v.validate_nbf = false;
    v.validate_aud = false;
    v.leeway = 0;
    match jsonwebtoken::decode::<Value>(token, &DecodingKey::from_secret(secret), &v) {
        Ok(_) => Ok(()),
        Err(e) => Err(match e.kind() {
            ErrorKind::InvalidSignature => AuthError::SignatureInvalid,
            ErrorKind::InvalidAlgorithm
            | ErrorKind::MissingAlgorithm
            | ErrorKind::InvalidAlgorithmName
            | ErrorKind::UnsupportedAlgorithm => AuthError::AlgorithmInvalid,
            _ => AuthError::Malformed,
        }),
    }
}
