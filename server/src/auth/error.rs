//! Why a token was rejected: the stable codes of the API.

use super::MAX_TOKEN_BYTES;
use std::fmt;

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
