//! Field-level errors of the admin GraphQL API, with Coral's codes.
//!
//! Each error becomes a GraphQL error whose `extensions` carry `code` (the
//! stable API), `param` (the input field at fault, as Coral's
//! `mapFieldsetToErrorCodes` sets it) and `type`. Codes are Coral's
//! `ERROR_CODES` where Coral has one; `CANNOT_DELETE_SELF`, `USER_DELETED`
//! and `USER_ID_AMBIGUOUS` name cases Coral answers with an untyped error.
//!
//! | code | param | when |
//! | --- | --- | --- |
//! | `USER_NOT_ENTITLED` | | no admin rights: no token, or its user is not `ADMIN` |
//! | `USER_NOT_FOUND` | `input.userID` / `id` | no user has that id |
//! | `USER_ID_AMBIGUOUS` | `input.userID` / `id` | the id exists under several token profiles: write `<profile>:<id>` |
//! | `USER_DELETED` | `input.userID` | the account was deleted |
//! | `CANNOT_DELETE_SELF` | `input.userID` | an admin deleting their own account |
//! | `DUPLICATE_EMAIL` | `input.email` | the address belongs to another user |
//! | `EMAIL_INVALID_FORMAT` | `input.email` | not an address (same rule as the SSO `user.email` claim) |
//! | `EMAIL_EXCEEDS_MAX_LENGTH` | `input.email` | over 1024 bytes |
//! | `USERNAME_NOT_PROVIDED` | `input.username` | empty or blank |
//! | `USERNAME_EXCEEDS_MAX_LENGTH` | `input.username` | over 1024 bytes |
//! | `USERNAME_CONTAINS_INVALID_CHARACTERS` | `input.username` | control characters |
//! | `TOKEN_NOT_FOUND` | `input.id` | no active token of the caller with that id |
//! | `VALIDATION` | the argument | `first` outside 0–50, a malformed `after`, an empty token `name` |
//! | `INTERNAL_ERROR` | | the database failed (details in the server log only) |

/// A field-level failure of an admin query or mutation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminError {
    /// The caller has no admin rights (the reason is the message).
    NotEntitled(&'static str),
    /// No such user (the parameter holding the id).
    UserNotFound(&'static str),
    /// The id exists under several profiles.
    UserIdAmbiguous(&'static str),
    /// The account was deleted.
    UserDeleted,
    /// An admin tried to delete their own account.
    CannotDeleteSelf,
    /// The email belongs to another user.
    DuplicateEmail,
    /// The email is not an address.
    EmailInvalid,
    /// The email is too long.
    EmailTooLong,
    /// The username is empty.
    UsernameMissing,
    /// The username is too long.
    UsernameTooLong,
    /// The username holds control characters.
    UsernameInvalid,
    /// No such active token of the caller.
    TokenNotFound,
    /// An argument is out of range (the argument's name, the rule).
    Validation(&'static str, &'static str),
    /// The store failed.
    Internal,
}

impl AdminError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            AdminError::NotEntitled(_) => "USER_NOT_ENTITLED",
            AdminError::UserNotFound(_) => "USER_NOT_FOUND",
            AdminError::UserIdAmbiguous(_) => "USER_ID_AMBIGUOUS",
            AdminError::UserDeleted => "USER_DELETED",
            AdminError::CannotDeleteSelf => "CANNOT_DELETE_SELF",
            AdminError::DuplicateEmail => "DUPLICATE_EMAIL",
            AdminError::EmailInvalid => "EMAIL_INVALID_FORMAT",
            AdminError::EmailTooLong => "EMAIL_EXCEEDS_MAX_LENGTH",
            AdminError::UsernameMissing => "USERNAME_NOT_PROVIDED",
            AdminError::UsernameTooLong => "USERNAME_EXCEEDS_MAX_LENGTH",
            AdminError::UsernameInvalid => "USERNAME_CONTAINS_INVALID_CHARACTERS",
            AdminError::TokenNotFound => "TOKEN_NOT_FOUND",
            AdminError::Validation(..) => "VALIDATION",
            AdminError::Internal => "INTERNAL_ERROR",
        }
    }

    /// The input field at fault, if any.
    pub fn param(&self) -> Option<&'static str> {
        match self {
            AdminError::UserNotFound(p) | AdminError::UserIdAmbiguous(p) => Some(p),
            AdminError::UserDeleted | AdminError::CannotDeleteSelf => Some("input.userID"),
            AdminError::DuplicateEmail | AdminError::EmailInvalid | AdminError::EmailTooLong => {
                Some("input.email")
            }
            AdminError::UsernameMissing
            | AdminError::UsernameTooLong
            | AdminError::UsernameInvalid => Some("input.username"),
            AdminError::TokenNotFound => Some("input.id"),
            AdminError::Validation(p, _) => Some(p),
            AdminError::NotEntitled(_) | AdminError::Internal => None,
        }
    }

    /// A human-readable message (never holds a token or an email).
    pub fn message(&self) -> String {
        match self {
            AdminError::NotEntitled(why) => (*why).to_string(),
            AdminError::UserNotFound(_) => "no user has this id".into(),
            AdminError::UserIdAmbiguous(_) => {
                "this id exists under several token profiles: write <profile>:<id>".into()
            }
            AdminError::UserDeleted => "this account was deleted".into(),
            AdminError::CannotDeleteSelf => "an admin cannot delete their own account".into(),
            AdminError::DuplicateEmail => "this email address belongs to another user".into(),
            AdminError::EmailInvalid => "not an email address".into(),
            AdminError::EmailTooLong => format!("email longer than {MAX_FIELD_BYTES} bytes"),
            AdminError::UsernameMissing => "the username is empty".into(),
            AdminError::UsernameTooLong => format!("username longer than {MAX_FIELD_BYTES} bytes"),
            AdminError::UsernameInvalid => "the username contains control characters".into(),
            AdminError::TokenNotFound => "you have no active token with this id".into(),
            AdminError::Validation(_, rule) => (*rule).to_string(),
            AdminError::Internal => "internal error".into(),
        }
    }
}

/// Longest accepted username or email, in bytes (as for SSO claims).
pub const MAX_FIELD_BYTES: usize = 1024;

// No `Display`: async-graphql converts any `Display` error into a bare
// message, and these must keep their extensions (this `From` is the only way).
impl From<AdminError> for async_graphql::Error {
    fn from(e: AdminError) -> Self {
        use async_graphql::ErrorExtensions as _;
        let code = e.code();
        let param = e.param();
        async_graphql::Error::new(e.message()).extend_with(|_, ext| {
            ext.set("code", code);
            ext.set("type", "INVALID_REQUEST_ERROR");
            if let Some(p) = param {
                ext.set("param", p);
            }
        })
    }
}

/// Checks an admin-given username: the SSO rules (non-blank, at most
/// [`MAX_FIELD_BYTES`]) and no control characters. Returns it trimmed.
pub fn check_username(s: &str) -> Result<String, AdminError> {
    let s = s.trim();
    if s.is_empty() {
        Err(AdminError::UsernameMissing)
    } else if s.len() > MAX_FIELD_BYTES {
        Err(AdminError::UsernameTooLong)
    } else if s.chars().any(char::is_control) {
        Err(AdminError::UsernameInvalid)
    } else {
        Ok(s.to_string())
    }
}

/// Checks an admin-given email with the SSO `user.email` rule. Returns it trimmed.
pub fn check_email(s: &str) -> Result<String, AdminError> {
    let s = s.trim();
    if s.len() > MAX_FIELD_BYTES {
        Err(AdminError::EmailTooLong)
    } else if !crate::auth::valid_email(s) {
        Err(AdminError::EmailInvalid)
    } else {
        Ok(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_checked_like_sso_claims() {
        assert_eq!(check_username("  Rob "), Ok("Rob".into()));
        assert_eq!(check_username(" "), Err(AdminError::UsernameMissing));
        assert_eq!(check_username("a\u{7}b"), Err(AdminError::UsernameInvalid));
        assert_eq!(
            check_username(&"x".repeat(1025)),
            Err(AdminError::UsernameTooLong)
        );
        assert_eq!(check_email("a@b.test"), Ok("a@b.test".into()));
        assert_eq!(check_email("nope"), Err(AdminError::EmailInvalid));
        assert_eq!(check_email("a b@c"), Err(AdminError::EmailInvalid));
        let e: async_graphql::Error = AdminError::DuplicateEmail.into();
        let ext = e.extensions.unwrap();
        assert_eq!(
            ext.get("code"),
            Some(&async_graphql::Value::from("DUPLICATE_EMAIL"))
        );
        assert_eq!(
            ext.get("param"),
            Some(&async_graphql::Value::from("input.email"))
        );
    }
}
