//! Development-only token issuer: the demo login page and `POST /dev/token`.
//!
//! It plays the part of Coral's talk-token-example and of Spoke's
//! `TOKEN_AUTH_URL`: pick a user, get an HS256 token signed with the
//! configured (or generated) secret. Never mounted in production mode.
//! [`guard`] decides who may call it, [`login_return`] where the login page
//! may send the reader back to, [`nonce`] binds a token to the login the
//! reader's SDK started.

pub mod guard;
pub mod login_return;
pub mod nonce;
mod sign;

pub use sign::sign;

use crate::auth::{now, Profile, Verifier};
use crate::random::random_uuid;
use nonce::Nonce;
use serde_json::{json, Value};
use std::fmt;

/// Why a token could not be issued. `code()` is the stable API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DevError {
    /// `user` names no demo user.
    UnknownUser(String),
    /// `profile` names no profile.
    UnknownProfile(String),
    /// The profile (asked for, or the demo user's) is not enabled.
    ProfileDisabled(Profile),
    /// Neither `user` nor `claims` given in a way that names claims.
    NoClaims,
    /// `nonce` is not 22–64 characters of `[A-Za-z0-9_-]`.
    NonceInvalid,
    /// The request was refused by [`guard`].
    Refused(guard::Refusal),
}

impl DevError {
    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            DevError::NonceInvalid => "NONCE_INVALID",
            DevError::Refused(r) => r.code(),
            _ => "DEV_TOKEN_INVALID",
        }
    }
}

impl fmt::Display for DevError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DevError::UnknownUser(u) => write!(f, "unknown user `{u}`"),
            DevError::UnknownProfile(p) => write!(f, "unknown profile `{p}`"),
            DevError::ProfileDisabled(p) => write!(f, "profile `{p}` is not enabled"),
            DevError::NoClaims => f.write_str("give `user` or `claims`"),
            DevError::NonceInvalid => write!(
                f,
                "nonce must be {}–{} characters of A-Z a-z 0-9 _ -",
                nonce::MIN_NONCE_CHARS,
                nonce::MAX_NONCE_CHARS
            ),
            DevError::Refused(r) => f.write_str(&r.message()),
        }
    }
}

impl From<nonce::NonceInvalid> for DevError {
    fn from(_: nonce::NonceInvalid) -> Self {
        DevError::NonceInvalid
    }
}

impl From<guard::Refusal> for DevError {
    fn from(r: guard::Refusal) -> Self {
        DevError::Refused(r)
    }
}

/// A demo user on the login page.
pub struct Preset {
    /// Key used in forms and `POST /dev/token {"user": …}`.
    pub key: &'static str,
    /// Profile whose secret signs it.
    pub profile: Profile,
    /// Label on the login page.
    pub label: &'static str,
}

/// All demo users (the login page shows those whose profile is enabled).
pub const PRESETS: &[Preset] = &[
    Preset {
        key: "bob",
        profile: Profile::Coral,
        label: "bob — badges SUBSCRIBER and Early Bird, Account link, Sign Out (jti + exp)",
    },
    Preset {
        key: "alice",
        profile: Profile::Coral,
        label: "alice — role MODERATOR, Sign Out (jti + exp)",
    },
    Preset {
        key: "carol",
        profile: Profile::Coral,
        label: "carol — no jti and no exp: no Sign Out link in the stream, use the page's Log out",
    },
    Preset {
        key: "dave-expired",
        profile: Profile::Coral,
        label: "dave — an already expired token (the publisher gets authError TOKEN_EXPIRED)",
    },
    Preset {
        key: "tess",
        profile: Profile::TalkV4,
        label: "tess — Coral Talk v4 custom token (jti, exp, sub, iss, aud)",
    },
    Preset {
        key: "spoke-admin",
        profile: Profile::Token,
        label: "Admin User — Spoke token auth (admin@spoke.test, organization 1 OWNER)",
    },
];

/// The claims of a preset user, issued at `now`.
pub fn preset_claims(key: &str, verifier: &Verifier, origin: &str, now: i64) -> Option<Value> {
    let hour = now + 3600;
    let v = match key {
        "bob" => json!({
            "jti": random_uuid(), "iat": now, "exp": hour,
            "user": {
                "id": "628bdc61-6616-4add-bfec-dd79156715d4",
                "email": "bob@example.com",
                "username": "bob",
                "badges": ["SUBSCRIBER", "Early Bird"],
                "role": "COMMENTER",
                "url": format!("{origin}/account.html"),
            }
        }),
        "alice" => json!({
            "jti": random_uuid(), "iat": now, "exp": hour,
            "user": {
                "id": "a11ce000-0000-4000-8000-000000000001",
                "email": "alice@example.com",
                "username": "alice",
                "badges": [],
                "role": "MODERATOR",
            }
        }),
        "carol" => json!({
            "iat": now,
            "user": {
                "id": "ca201000-0000-4000-8000-000000000002",
                "email": "carol@example.com",
                "username": "carol",
                "badges": ["Member"],
            }
        }),
        "dave-expired" => json!({
            "jti": random_uuid(), "iat": now - 7200, "exp": now - 3600,
            "user": {
                "id": "da7e0000-0000-4000-8000-000000000003",
                "email": "dave@example.com",
                "username": "dave",
            }
        }),
        "tess" => {
            let cfg = verifier.get(Profile::TalkV4)?;
            json!({
                "jti": random_uuid(), "iat": now, "exp": hour, "sub": "tess-4",
                "iss": cfg.issuer, "aud": cfg.audience, "username": "tess",
            })
        }
        "spoke-admin" => {
            let cfg = verifier.get(Profile::Token)?;
            json!({
                "sub": "admin@spoke.test", "iat": now, "exp": hour,
                "iss": cfg.issuer, "aud": cfg.audience,
                "name": "Admin User",
                "user_organizations": [{"organization_id": 1, "role": "OWNER"}],
            })
        }
        _ => return None,
    };
    Some(v)
}

/// `POST /dev/token` request.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct TokenRequest {
    /// Profile whose secret signs (default: the preset's, else `coral`).
    pub profile: Option<String>,
    /// A preset user key (default `bob` when `claims` is absent).
    pub user: Option<String>,
    /// Claims used verbatim instead of a preset.
    pub claims: Option<Value>,
    /// Make the token expired: `exp` one minute ago (and `iat` an hour ago).
    pub expired: bool,
    /// Set `exp` to now + this many seconds.
    pub expires_in: Option<i64>,
    /// Sign with a wrong secret (for signature tests).
    pub bad_signature: bool,
    /// The SDK's login nonce, copied into the token as the claim `"nonce"`.
    pub nonce: Option<String>,
}

/// Issues a token for a `/dev/token` request or the login form.
pub fn issue(
    verifier: &Verifier,
    origin: &str,
    req: &TokenRequest,
) -> Result<(Profile, String, Value), DevError> {
    let nonce = Nonce::parse_optional(req.nonce.as_deref())?;
    let t = now();
    let preset = match (&req.claims, &req.user) {
        (Some(_), None) => None,
        (_, user) => {
            let key = user.as_deref().unwrap_or("bob");
            Some(
                PRESETS
                    .iter()
                    .find(|p| p.key == key)
                    .ok_or_else(|| DevError::UnknownUser(key.to_string()))?,
            )
        }
    };
    let profile = match (&req.profile, preset) {
        (Some(p), _) => Profile::parse(p).ok_or_else(|| DevError::UnknownProfile(p.clone()))?,
        (None, Some(p)) => p.profile,
        (None, None) => Profile::Coral,
    };
    let cfg = verifier
        .get(profile)
        .ok_or(DevError::ProfileDisabled(profile))?;
    let mut claims = match (&req.claims, preset) {
        (Some(c), _) if req.user.is_none() => c.clone(),
        (_, Some(p)) => {
            preset_claims(p.key, verifier, origin, t).ok_or(DevError::ProfileDisabled(p.profile))?
        }
        _ => return Err(DevError::NoClaims),
    };
    if let (Some(extra), true) = (&req.claims, req.user.is_some()) {
        // `user` + `claims`: merge the given top-level claims over the preset.
        if let (Some(obj), Some(extra)) = (claims.as_object_mut(), extra.as_object()) {
            for (k, v) in extra {
                if v.is_null() {
                    obj.remove(k);
                } else {
                    obj.insert(k.clone(), v.clone());
                }
            }
        }
    }
    if let Some(obj) = claims.as_object_mut() {
        if req.expired {
            obj.insert("exp".into(), json!(t - 60));
            obj.insert("iat".into(), json!(t - 3600));
        } else if let Some(secs) = req.expires_in {
            obj.insert("exp".into(), json!(t + secs));
        }
    }
    if let Some(n) = &nonce {
        n.add_to(&mut claims);
    }
    let token = if req.bad_signature {
        sign(&claims, b"definitely-not-the-configured-secret")
    } else {
        sign(&claims, &cfg.secret)
    };
    Ok((profile, token, claims))
}
