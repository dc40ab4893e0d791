//! Decoding a JWT and the claim checks shared by the profiles.

use super::{AuthError, IAT_SKEW, MAX_TOKEN_BYTES};
use base64::Engine as _;
use serde_json::{Map, Value};

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
pub(super) fn num_date(
    payload: &Map<String, Value>,
    name: &'static str,
) -> Result<Option<i64>, AuthError> {
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
pub(super) fn req_str(
    obj: &Map<String, Value>,
    key: &str,
    name: &'static str,
) -> Result<String, AuthError> {
    match obj.get(key) {
        None | Some(Value::Null) => Err(AuthError::ClaimMissing(name)),
        Some(Value::String(s)) if s.trim().is_empty() => Err(AuthError::ClaimMissing(name)),
        Some(Value::String(s)) if s.len() > 1024 => Err(AuthError::ClaimInvalid(name)),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(AuthError::ClaimInvalid(name)),
    }
}

/// An optional string claim (absent or null → `None`).
pub(super) fn opt_str(
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

pub(super) fn valid_http_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() > "http://".len() + 1
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `aud` is a string or an array of strings containing `expected`.
pub(super) fn check_aud(payload: &Map<String, Value>, expected: &str) -> Result<(), AuthError> {
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

pub(super) fn check_iss(payload: &Map<String, Value>, expected: &str) -> Result<(), AuthError> {
    match payload.get("iss") {
        None | Some(Value::Null) => Err(AuthError::ClaimMissing("iss")),
        Some(Value::String(s)) if s == expected => Ok(()),
        Some(Value::String(_)) => Err(AuthError::IssuerMismatch),
        Some(_) => Err(AuthError::ClaimInvalid("iss")),
    }
}

/// Time claims shared by all profiles: returns `(iat, exp)`.
pub(super) fn check_times(
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

pub(super) fn opt_jti(
    payload: &Map<String, Value>,
    required: bool,
) -> Result<Option<String>, AuthError> {
    if required {
        req_str(payload, "jti", "jti").map(Some)
    } else {
        opt_str(payload, "jti", "jti")
    }
}
