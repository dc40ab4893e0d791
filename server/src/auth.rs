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

use base64::Engine as _;
use jsonwebtoken::{errors::ErrorKind, Algorithm, DecodingKey, EncodingKey, Header, Validation};
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

/// Why a token (or request) was rejected. `code()` is the stable API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// No `Authorization: Bearer` token where one is required.
    Missing,
    /// Longer than [`MAX_TOKEN_BYTES`].
    TooLarge,
    /// Not three base64url parts of JSON objects, or not a JWT at all.
    Malformed,
    /// Header `alg` is not `HS256` (e.g. `none`, `HS512`, `RS256`).
    AlgorithmInvalid,
    /// HMAC does not verify with the profile's secret.
    SignatureInvalid,
    /// `exp` is in the past.
    Expired,
    /// `nbf` is in the future.
    NotYetValid,
    /// A required claim is absent (the claim's path).
    ClaimMissing(&'static str),
    /// A claim has the wrong type or value (the claim's path).
    ClaimInvalid(&'static str),
    /// `iss` does not match the configured issuer.
    IssuerMismatch,
    /// `aud` does not contain the configured audience.
    AudienceMismatch,
    /// No enabled profile accepts tokens of this shape.
    ProfileUnknown,
    /// The token's `jti` was signed out.
    Revoked,
    /// The email belongs to another user (or the id/email pair to another profile).
    DuplicateUser,
    /// The token names an account an admin deleted.
    UserDeleted,
    /// A talk-v4 token's unknown `sub` could not be looked up
    /// at `TALK_TOKEN_USER_URL`.
    UserNotFound,
}

impl AuthError {
    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            AuthError::Missing => "TOKEN_MISSING",
            AuthError::TooLarge => "TOKEN_TOO_LARGE",
            AuthError::Malformed => "TOKEN_MALFORMED",
            AuthError::AlgorithmInvalid => "TOKEN_ALGORITHM_INVALID",
            AuthError::SignatureInvalid => "TOKEN_SIGNATURE_INVALID",
            AuthError::Expired => "TOKEN_EXPIRED",
            AuthError::NotYetValid => "TOKEN_NOT_YET_VALID",
            AuthError::ClaimMissing(_) => "TOKEN_CLAIM_MISSING",
            AuthError::ClaimInvalid(_) => "TOKEN_CLAIM_INVALID",
            AuthError::IssuerMismatch => "TOKEN_ISSUER_MISMATCH",
            AuthError::AudienceMismatch => "TOKEN_AUDIENCE_MISMATCH",
            AuthError::ProfileUnknown => "TOKEN_PROFILE_UNKNOWN",
            AuthError::Revoked => "TOKEN_REVOKED",
            AuthError::DuplicateUser => "DUPLICATE_USER",
            AuthError::UserDeleted => "TOKEN_USER_DELETED",
            AuthError::UserNotFound => "TOKEN_USER_NOT_FOUND",
        }
    }

    /// The claim concerned, if any.
    pub fn claim(&self) -> Option<&'static str> {
        match self {
            AuthError::ClaimMissing(c) | AuthError::ClaimInvalid(c) => Some(c),
            _ => None,
        }
    }

    /// HTTP status for this error.
    pub fn status(&self) -> u16 {
        match self {
            AuthError::TooLarge => 413,
            AuthError::DuplicateUser => 409,
            _ => 401,
        }
    }

    /// A human-readable message (never contains the token).
    pub fn message(&self) -> String {
        match self {
            AuthError::Missing => "an Authorization: Bearer token is required".into(),
            AuthError::TooLarge => format!("token longer than {MAX_TOKEN_BYTES} bytes"),
            AuthError::Malformed => "token is not a well-formed JWT".into(),
            AuthError::AlgorithmInvalid => "token algorithm must be HS256".into(),
            AuthError::SignatureInvalid => "token signature does not verify".into(),
            AuthError::Expired => "token has expired".into(),
            AuthError::NotYetValid => "token is not valid yet (nbf)".into(),
            AuthError::ClaimMissing(c) => format!("required claim `{c}` is missing"),
            AuthError::ClaimInvalid(c) => format!("claim `{c}` has an invalid value"),
            AuthError::IssuerMismatch => "token issuer (iss) does not match".into(),
            AuthError::AudienceMismatch => "token audience (aud) does not match".into(),
            AuthError::ProfileUnknown => "no enabled token profile accepts this token".into(),
            AuthError::Revoked => "token was signed out".into(),
            AuthError::DuplicateUser => "this email already belongs to a different user".into(),
            AuthError::UserDeleted => "this account was deleted".into(),
            AuthError::UserNotFound => "the publisher's user lookup did not find this user".into(),
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.claim() {
            Some(c) => write!(f, "{} ({c})", self.code()),
            None => f.write_str(self.code()),
        }
    }
}

impl std::error::Error for AuthError {}

/// Coral user roles.
pub const ROLES: [&str; 4] = ["COMMENTER", "STAFF", "MODERATOR", "ADMIN"];

/// One Spoke organization membership.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Organization {
    /// `organization_id` (numbers are kept as their decimal string).
    pub organization_id: String,
    /// `role` in that organization (e.g. `OWNER`).
    pub role: String,
}

/// The identity a verified token asserts. `None` means "claim absent".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Identity {
    /// The external user id (`user.id` or `sub`).
    pub external_id: String,
    /// Email (`user.email`; for `token`, `sub` when it looks like an email).
    pub email: Option<String>,
    /// Display name (`user.username`, `name`, …).
    pub username: Option<String>,
    /// `user.badges`.
    pub badges: Option<Vec<String>>,
    /// `user.role`.
    pub role: Option<String>,
    /// `user.url`.
    pub url: Option<String>,
    /// `user_organizations`.
    pub organizations: Option<Vec<Organization>>,
}

/// A token that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The profile that verified it.
    pub profile: Profile,
    /// Who it identifies.
    pub identity: Identity,
    /// `jti`, if any.
    pub jti: Option<String>,
    /// `iat`, if any.
    pub iat: Option<i64>,
    /// `exp`, if any.
    pub exp: Option<i64>,
}

impl Verified {
    /// Coral shows its own Sign Out link only for tokens with `jti` and `exp`.
    pub fn can_sign_out(&self) -> bool {
        self.jti.is_some() && self.exp.is_some()
    }
}

/// Current unix time in seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn b64_json_object(part: &str) -> Result<Map<String, Value>, AuthError> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| AuthError::Malformed)?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(AuthError::Malformed),
    }
}

/// A decoded JSON object (a JWT header or payload).
pub type JsonObject = Map<String, Value>;

/// Splits and decodes a token without verifying it: `(header, payload)`.
pub fn decode_unverified(token: &str) -> Result<(JsonObject, JsonObject), AuthError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(AuthError::TooLarge);
    }
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(AuthError::Malformed);
    }
    let header = b64_json_object(parts[0])?;
    let payload = b64_json_object(parts[1])?;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(parts[2])
        .map_err(|_| AuthError::Malformed)?;
    Ok((header, payload))
}

/// Reads a numeric date claim (integer or integral float seconds).
fn num_date(payload: &Map<String, Value>, name: &'static str) -> Result<Option<i64>, AuthError> {
    match payload.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            if let Some(i) = n.as_i64() {
                Ok(Some(i))
            } else if let Some(f) = n.as_f64() {
                if f.is_finite() && f.abs() < 1e15 {
                    Ok(Some(f.floor() as i64))
                } else {
                    Err(AuthError::ClaimInvalid(name))
                }
            } else {
                Err(AuthError::ClaimInvalid(name))
            }
        }
        Some(_) => Err(AuthError::ClaimInvalid(name)),
    }
}

/// A required non-empty string claim.
fn req_str(obj: &Map<String, Value>, key: &str, name: &'static str) -> Result<String, AuthError> {
    match obj.get(key) {
        None | Some(Value::Null) => Err(AuthError::ClaimMissing(name)),
        Some(Value::String(s)) if s.trim().is_empty() => Err(AuthError::ClaimMissing(name)),
        Some(Value::String(s)) if s.len() > 1024 => Err(AuthError::ClaimInvalid(name)),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(AuthError::ClaimInvalid(name)),
    }
}

/// An optional string claim (absent or null → `None`).
fn opt_str(
    obj: &Map<String, Value>,
    key: &str,
    name: &'static str,
) -> Result<Option<String>, AuthError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.len() > 2048 => Err(AuthError::ClaimInvalid(name)),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(AuthError::ClaimInvalid(name)),
    }
}

/// The `user.email` rule: `local@domain`, no whitespace or control characters.
pub fn valid_email(s: &str) -> bool {
    let mut parts = s.splitn(2, '@');
    let local = parts.next().unwrap_or("");
    let domain = parts.next().unwrap_or("");
    !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn valid_http_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() > "http://".len() + 1
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `aud` is a string or an array of strings containing `expected`.
fn check_aud(payload: &Map<String, Value>, expected: &str) -> Result<(), AuthError> {
    match payload.get("aud") {
        None | Some(Value::Null) => Err(AuthError::ClaimMissing("aud")),
        Some(Value::String(s)) => {
            if s == expected {
                Ok(())
            } else {
                Err(AuthError::AudienceMismatch)
            }
        }
        Some(Value::Array(a)) => {
            if a.iter().any(|v| !v.is_string()) {
                Err(AuthError::ClaimInvalid("aud"))
            } else if a.iter().any(|v| v.as_str() == Some(expected)) {
                Ok(())
            } else {
                Err(AuthError::AudienceMismatch)
            }
        }
        Some(_) => Err(AuthError::ClaimInvalid("aud")),
    }
}

fn check_iss(payload: &Map<String, Value>, expected: &str) -> Result<(), AuthError> {
    match payload.get("iss") {
        None | Some(Value::Null) => Err(AuthError::ClaimMissing("iss")),
        Some(Value::String(s)) if s == expected => Ok(()),
        Some(Value::String(_)) => Err(AuthError::IssuerMismatch),
        Some(_) => Err(AuthError::ClaimInvalid("iss")),
    }
}

/// Time claims shared by all profiles: returns `(iat, exp)`.
fn check_times(
    payload: &Map<String, Value>,
    exp_required: bool,
    iat_required: bool,
    now: i64,
) -> Result<(Option<i64>, Option<i64>), AuthError> {
    let exp = num_date(payload, "exp")?;
    let iat = num_date(payload, "iat")?;
    let nbf = num_date(payload, "nbf")?;
    if exp_required && exp.is_none() {
        return Err(AuthError::ClaimMissing("exp"));
    }
    if iat_required && iat.is_none() {
        return Err(AuthError::ClaimMissing("iat"));
    }
    if let Some(exp) = exp {
        if now >= exp {
            return Err(AuthError::Expired);
        }
    }
    if let Some(nbf) = nbf {
        if now < nbf {
            return Err(AuthError::NotYetValid);
        }
    }
    if let Some(iat) = iat {
        if iat > now + IAT_SKEW {
            return Err(AuthError::ClaimInvalid("iat"));
        }
    }
    Ok((iat, exp))
}

fn opt_jti(payload: &Map<String, Value>, required: bool) -> Result<Option<String>, AuthError> {
    if required {
        req_str(payload, "jti", "jti").map(Some)
    } else {
        opt_str(payload, "jti", "jti")
    }
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
            Profile::Coral => coral_claims(&payload, now)?,
            Profile::TalkV4 => talk_claims(cfg, &payload, now)?,
            Profile::Token => spoke_claims(cfg, &payload, now)?,
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

type Checked = (Identity, Option<String>, Option<i64>, Option<i64>);

fn coral_claims(payload: &Map<String, Value>, now: i64) -> Result<Checked, AuthError> {
    let user = match payload.get("user") {
        None | Some(Value::Null) => return Err(AuthError::ClaimMissing("user")),
        Some(Value::Object(u)) => u,
        Some(_) => return Err(AuthError::ClaimInvalid("user")),
    };
    let id = match user.get("id") {
        // Coral requires a string; a number is accepted as its decimal form.
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        _ => req_str(user, "id", "user.id")?,
    };
    let email = req_str(user, "email", "user.email")?;
    if !valid_email(&email) {
        return Err(AuthError::ClaimInvalid("user.email"));
    }
    let username = req_str(user, "username", "user.username")?;
    let badges = match user.get("badges") {
        None => None,
        Some(Value::Array(a)) => {
            if a.len() > 50 {
                return Err(AuthError::ClaimInvalid("user.badges"));
            }
            let mut out = Vec::with_capacity(a.len());
            for b in a {
                match b {
                    Value::String(s) if !s.is_empty() && s.len() <= 100 => out.push(s.clone()),
                    _ => return Err(AuthError::ClaimInvalid("user.badges")),
                }
            }
            Some(out)
        }
        // The doc: "use an empty array instead of null".
        Some(_) => return Err(AuthError::ClaimInvalid("user.badges")),
    };
    let role = match opt_str(user, "role", "user.role")? {
        None => None,
        Some(r) if ROLES.contains(&r.as_str()) => Some(r),
        Some(_) => return Err(AuthError::ClaimInvalid("user.role")),
    };
    let url = match opt_str(user, "url", "user.url")? {
        None => None,
        Some(u) if valid_http_url(&u) => Some(u),
        Some(_) => return Err(AuthError::ClaimInvalid("user.url")),
    };
    let jti = opt_jti(payload, false)?;
    let (iat, exp) = check_times(payload, false, false, now)?;
    Ok((
        Identity {
            external_id: id,
            email: Some(email),
            username: Some(username),
            badges,
            role,
            url,
            organizations: None,
        },
        jti,
        iat,
        exp,
    ))
}

fn talk_claims(
    cfg: &ProfileConfig,
    payload: &Map<String, Value>,
    now: i64,
) -> Result<Checked, AuthError> {
    let jti = opt_jti(payload, true)?;
    if payload.get("exp").is_none() {
        return Err(AuthError::ClaimMissing("exp"));
    }
    let sub = req_str(payload, "sub", "sub")?;
    let (iat, exp) = check_times(payload, true, false, now)?;
    check_iss(payload, cfg.issuer.as_deref().unwrap_or_default())?;
    check_aud(payload, cfg.audience.as_deref().unwrap_or_default())?;
    // Talk v4 looked the user up with a plugin hook; we take optional
    // display claims instead and fall back to `sub` on creation.
    let username = match opt_str(payload, "username", "username")? {
        Some(u) if !u.trim().is_empty() => Some(u),
        _ => opt_str(payload, "name", "name")?.filter(|n| !n.trim().is_empty()),
    };
    let email = match opt_str(payload, "email", "email")? {
        Some(e) if valid_email(&e) => Some(e),
        Some(_) => return Err(AuthError::ClaimInvalid("email")),
        None => None,
    };
    Ok((
        Identity {
            external_id: sub,
            email,
            username,
            ..Identity::default()
        },
        jti,
        iat,
        exp,
    ))
}

fn spoke_claims(
    cfg: &ProfileConfig,
    payload: &Map<String, Value>,
    now: i64,
) -> Result<Checked, AuthError> {
    let sub = req_str(payload, "sub", "sub")?;
    if payload.get("iat").is_none() {
        return Err(AuthError::ClaimMissing("iat"));
    }
    if payload.get("exp").is_none() {
        return Err(AuthError::ClaimMissing("exp"));
    }
    let (iat, exp) = check_times(payload, true, true, now)?;
    check_iss(payload, cfg.issuer.as_deref().unwrap_or_default())?;
    check_aud(payload, cfg.audience.as_deref().unwrap_or_default())?;
    let name = opt_str(payload, "name", "name")?.filter(|n| !n.trim().is_empty());
    let organizations = match payload.get("user_organizations") {
        None => None,
        Some(Value::Array(a)) => {
            if a.len() > 100 {
                return Err(AuthError::ClaimInvalid("user_organizations"));
            }
            let mut out = Vec::with_capacity(a.len());
            for o in a {
                let Value::Object(o) = o else {
                    return Err(AuthError::ClaimInvalid("user_organizations"));
                };
                let organization_id = match o.get("organization_id") {
                    Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
                    Some(Value::String(s)) if !s.is_empty() && s.len() <= 100 => s.clone(),
                    None | Some(Value::Null) => {
                        return Err(AuthError::ClaimMissing(
                            "user_organizations.organization_id",
                        ))
                    }
                    _ => {
                        return Err(AuthError::ClaimInvalid(
                            "user_organizations.organization_id",
                        ))
                    }
                };
                let role = req_str(o, "role", "user_organizations.role")?;
                out.push(Organization {
                    organization_id,
                    role,
                });
            }
            Some(out)
        }
        Some(_) => return Err(AuthError::ClaimInvalid("user_organizations")),
    };
    let email = valid_email(&sub).then(|| sub.clone());
    let jti = opt_jti(payload, false)?;
    Ok((
        Identity {
            external_id: sub,
            email,
            username: name,
            organizations,
            ..Identity::default()
        },
        jti,
        iat,
        exp,
    ))
}

/// Signs `claims` with HS256 (used by the development token issuer and tests).
pub fn sign(claims: &Value, secret: &[u8]) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )
    .expect("HS256 signing of a JSON value cannot fail")
}

/// A random hex string of `bytes` random bytes (dev secrets, jti).
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the OS random number generator is available");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random UUID v4 string (for `jti`).
pub fn random_uuid() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("the OS random number generator is available");
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}
