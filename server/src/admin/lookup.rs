//! Talk v4's `tokenUserNotFound`: ask the publisher who an unknown `sub` is.
//!
//! Talk v4 let a plugin turn a verified token whose user it did not know
//! into a user. Here that plugin is configuration: with
//! `TALK_TOKEN_USER_URL` set, a verified `talk-v4` token whose `sub` is not
//! in the database and which carries no profile claims (`username`, `name`,
//! `email`) makes the server send one `GET` to that URL with the token as
//! `Authorization: Bearer`, and expect `{"id", "username", "email"?}` back.
//!
//! One attempt, [`TIMEOUT`] for the whole exchange, no redirects followed
//! (the token must not travel further), at most [`MAX_BYTES`] of response.
//! Anything else — refused connection, timeout, non-200, oversize, not that
//! JSON, an `id` other than the token's `sub` — is [`LookupError`], which
//! the caller answers as `TOKEN_USER_NOT_FOUND` without creating anything.

use crate::auth::{AuthError, Profile, Verified};
use serde_json::Value;
use std::time::Duration;

/// Deadline for connecting, sending and reading the whole answer.
pub const TIMEOUT: Duration = Duration::from_secs(3);
/// Largest accepted answer body.
pub const MAX_BYTES: usize = 16 * 1024;

/// Who the publisher says a token's `sub` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundUser {
    /// Equal to the token's `sub`.
    pub id: String,
    /// Display name.
    pub username: String,
    /// Email, if the publisher gave one.
    pub email: Option<String>,
}

/// Why the lookup gave no user (logged by name; never holds the token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// Connecting or sending failed, or the deadline passed.
    Unreachable,
    /// The answer's status was not 200 (404 included).
    Status(u16),
    /// The answer was larger than [`MAX_BYTES`].
    TooLarge,
    /// The answer was not `{"id", "username", "email"?}` with valid values.
    Invalid(&'static str),
    /// The answer's `id` is not the token's `sub`.
    IdMismatch,
}

impl std::fmt::Display for LookupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LookupError::Unreachable => f.write_str("user lookup unreachable or timed out"),
            LookupError::Status(s) => write!(f, "user lookup answered HTTP {s}"),
            LookupError::TooLarge => write!(f, "user lookup answer over {MAX_BYTES} bytes"),
            LookupError::Invalid(why) => write!(f, "user lookup answer invalid: {why}"),
            LookupError::IdMismatch => f.write_str("user lookup answered another id"),
        }
    }
}

/// The configured lookup endpoint with its HTTP client.
#[derive(Clone)]
pub struct UserLookup {
    url: reqwest::Url,
    client: reqwest::Client,
}

impl std::fmt::Debug for UserLookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserLookup")
            .field("url", &self.url.as_str())
            .finish()
    }
}

impl UserLookup {
    /// A lookup against `url` (`http://` or `https://`, no credentials in it).
    pub fn new(url: &str) -> Result<UserLookup, String> {
        let parsed = reqwest::Url::parse(url)
            .map_err(|_| format!("TALK_TOKEN_USER_URL=`{url}` is not a URL"))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(format!("TALK_TOKEN_USER_URL=`{url}` is not an http(s) URL"));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err("TALK_TOKEN_USER_URL must not carry credentials".into());
        }
        // reqwest's rustls backend needs a process-wide crypto provider; a
        // second install (another lookup, a test) is refused harmlessly.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .no_proxy()
            .build()
            .map_err(|e| format!("TALK_TOKEN_USER_URL: cannot build an HTTP client: {e}"))?;
        Ok(UserLookup {
            url: parsed,
            client,
        })
    }

    /// The endpoint, for logs.
    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    /// Asks who `sub` is, sending `token` as the bearer.
    pub async fn find(&self, token: &str, sub: &str) -> Result<FoundUser, LookupError> {
        let mut resp = self
            .client
            .get(self.url.clone())
            .bearer_auth(token)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|_| LookupError::Unreachable)?;
        if resp.status() != reqwest::StatusCode::OK {
            return Err(LookupError::Status(resp.status().as_u16()));
        }
        if resp.content_length().is_some_and(|n| n > MAX_BYTES as u64) {
            return Err(LookupError::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|_| LookupError::Unreachable)? {
            if body.len() + chunk.len() > MAX_BYTES {
                return Err(LookupError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        parse_answer(&body, sub)
    }
}

/// Whether a verified token is one the lookup is for: `talk-v4`, carrying
/// no profile claims (the caller also checks that its `sub` is unknown).
pub fn wants(v: &Verified) -> bool {
    v.profile == Profile::TalkV4 && v.identity.username.is_none() && v.identity.email.is_none()
}

impl UserLookup {
    /// Fills the token's identity with what the publisher answers; any
    /// failure is `TOKEN_USER_NOT_FOUND` (logged by reason, never the token).
    pub async fn complete(&self, token: &str, v: &mut Verified) -> Result<(), AuthError> {
        match self.find(token, &v.identity.external_id).await {
            Ok(found) => {
                v.identity.username = Some(found.username);
                v.identity.email = found.email;
                Ok(())
            }
            Err(e) => {
                eprintln!("auth: user lookup for an unknown talk-v4 sub failed: {e}");
                Err(AuthError::UserNotFound)
            }
        }
    }
}

fn text(v: Option<&Value>, max: usize) -> Result<Option<String>, ()> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) if s.len() <= max && !s.chars().any(char::is_control) => {
            Ok(Some(s.clone()))
        }
        Some(_) => Err(()),
    }
}

/// Checks an answer body against the token's `sub`.
pub fn parse_answer(body: &[u8], sub: &str) -> Result<FoundUser, LookupError> {
    let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(body) else {
        return Err(LookupError::Invalid("not a JSON object"));
    };
    let id = match obj.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        _ => return Err(LookupError::Invalid("id")),
    };
    if id != sub {
        return Err(LookupError::IdMismatch);
    }
    let username = text(obj.get("username"), 1024)
        .map_err(|_| LookupError::Invalid("username"))?
        .ok_or(LookupError::Invalid("username"))?;
    let email = text(obj.get("email"), 1024).map_err(|_| LookupError::Invalid("email"))?;
    if let Some(e) = &email {
        if !crate::auth::valid_email(e) {
            return Err(LookupError::Invalid("email"));
        }
    }
    Ok(FoundUser {
        id,
        username,
        email,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_checked() {
        let ok = parse_answer(br#"{"id":"u1","username":"Uma","email":"u@x.test"}"#, "u1");
        assert_eq!(
            ok,
            Ok(FoundUser {
                id: "u1".into(),
                username: "Uma".into(),
                email: Some("u@x.test".into())
            })
        );
        assert_eq!(
            parse_answer(br#"{"id":"u2","username":"Uma"}"#, "u1"),
            Err(LookupError::IdMismatch)
        );
        assert_eq!(
            parse_answer(br#"{"id":"u1"}"#, "u1"),
            Err(LookupError::Invalid("username"))
        );
        assert_eq!(
            parse_answer(br#"{"id":"u1","username":"U","email":"nope"}"#, "u1"),
            Err(LookupError::Invalid("email"))
        );
        assert_eq!(
            parse_answer(b"[]", "u1"),
            Err(LookupError::Invalid("not a JSON object"))
        );
        assert!(UserLookup::new("ftp://x").is_err());
        assert!(UserLookup::new("http://u:p@127.0.0.1/").is_err());
    }
}
