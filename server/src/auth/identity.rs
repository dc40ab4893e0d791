//! What a verified token asserts.

use super::Profile;

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
