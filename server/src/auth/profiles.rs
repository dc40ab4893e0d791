//! The claims of each profile: `coral`, `talk-v4`, `token`.

use super::claims::{
    check_aud, check_iss, check_times, opt_jti, opt_str, req_str, valid_email, valid_http_url,
};
use super::{AuthError, Identity, Organization, ProfileConfig, ROLES};
use serde_json::{Map, Value};

pub(super) type Checked = (Identity, Option<String>, Option<i64>, Option<i64>);

pub(super) fn coral_claims(payload: &Map<String, Value>, now: i64) -> Result<Checked, AuthError> {
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

pub(super) fn talk_claims(
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

pub(super) fn spoke_claims(
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
