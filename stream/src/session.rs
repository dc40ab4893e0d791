//! The reader's session as the stream server verifies it.
//! `client.verifySession()` posts the current token to `/api/session` as
//! `Authorization: Bearer` (no cookies, nothing cached) and resolves to the
//! typed session, or rejects with an `Error` whose `code` says why. The
//! page never handles the token for it.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestCache, RequestCredentials, RequestInit, Response};

#[wasm_bindgen(typescript_custom_section)]
const SESSION_TS: &str = r#"
/** A Spoke organization membership. */
export interface SessionOrganization { organization_id: string; role: string; }

/** The signed-in reader, as the stream server stores them. */
export interface SessionUser {
    id: string;
    profile: string;
    username: string;
    badges: string[];
    role: string | null;
    url: string | null;
    organizations: SessionOrganization[] | null;
}

/** `POST /api/session`'s answer. */
export interface Session {
    profile: string;
    user: SessionUser;
    /** The token has `jti` and `exp`: the stream may offer Sign Out. */
    canSignOut: boolean;
    expiresAt: number | null;
}

/** Why `verifySession()` rejected: `NOT_SIGNED_IN`, `NETWORK_ERROR`,
 * `INVALID_RESPONSE`, or the server's code (`TOKEN_EXPIRED`, …). */
export interface SessionError extends Error { code: string; status?: number; }
"#;

/// A Spoke organization membership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    organization_id: String,
    role: String,
}

/// The signed-in reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    id: String,
    profile: String,
    username: String,
    #[serde(default)]
    badges: Vec<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    organizations: Option<Vec<Organization>>,
}

/// `POST /api/session`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    profile: String,
    user: User,
    can_sign_out: bool,
    #[serde(default)]
    expires_at: Option<i64>,
}

/// The server's error body.
#[derive(Debug, Deserialize)]
struct ServerError {
    code: String,
    #[serde(default)]
    message: String,
}

/// Why a session could not be verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionError {
    /// The stream has no token.
    NotSignedIn,
    /// The request did not reach the server.
    Network,
    /// The server answered, but not with a session.
    InvalidResponse,
    /// The server refused the token.
    Rejected {
        /// HTTP status.
        status: u16,
        /// The server's stable code (e.g. `TOKEN_EXPIRED`).
        code: String,
        /// The server's message.
        message: String,
    },
}

impl SessionError {
    /// The stable code.
    pub fn code(&self) -> &str {
        match self {
            SessionError::NotSignedIn => "NOT_SIGNED_IN",
            SessionError::Network => "NETWORK_ERROR",
            SessionError::InvalidResponse => "INVALID_RESPONSE",
            SessionError::Rejected { code, .. } => code,
        }
    }

    fn message(&self) -> &str {
        match self {
            SessionError::NotSignedIn => "the stream has no token",
            SessionError::Network => "the stream server could not be reached",
            SessionError::InvalidResponse => "the stream server did not answer with a session",
            SessionError::Rejected { message, .. } => message,
        }
    }
}

impl From<SessionError> for JsValue {
    fn from(e: SessionError) -> JsValue {
        let err = js_sys::Error::new(e.message());
        let _ = js_sys::Reflect::set(&err, &"code".into(), &e.code().into());
        if let SessionError::Rejected { status, .. } = &e {
            let _ = js_sys::Reflect::set(&err, &"status".into(), &(*status).into());
        }
        err.into()
    }
}

fn request(token: &str) -> Result<Request, SessionError> {
    let headers = Headers::new().map_err(|_| SessionError::Network)?;
    let bearer = ["Bearer ", token].concat();
    headers
        .set("Authorization", &bearer)
        .and_then(|()| headers.set("Accept", "application/json"))
        .map_err(|_| SessionError::Network)?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_credentials(RequestCredentials::Omit);
    init.set_cache(RequestCache::NoStore);
    Request::new_with_str_and_init("/api/session", &init).map_err(|_| SessionError::Network)
}

/// Verifies `token` with the stream server.
pub(crate) async fn verify(token: Option<String>) -> Result<Session, SessionError> {
    let token = token.ok_or(SessionError::NotSignedIn)?;
    let window = web_sys::window().ok_or(SessionError::Network)?;
    let answer = JsFuture::from(window.fetch_with_request(&request(&token)?))
        .await
        .map_err(|_| SessionError::Network)?;
    let resp: Response = answer
        .dyn_into()
        .map_err(|_| SessionError::InvalidResponse)?;
    let body = match resp.json() {
        Ok(p) => JsFuture::from(p).await.ok(),
        Err(_) => None,
    };
    if !resp.ok() {
        let e: Option<ServerError> = body.and_then(|b| serde_wasm_bindgen::from_value(b).ok());
        return Err(SessionError::Rejected {
            status: resp.status(),
            code: e
                .as_ref()
                .map_or_else(|| format!("HTTP_{}", resp.status()), |e| e.code.clone()),
            message: e.map(|e| e.message).unwrap_or_default(),
        });
    }
    body.and_then(|b| serde_wasm_bindgen::from_value(b).ok())
        .ok_or(SessionError::InvalidResponse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_servers_session_decodes_with_absent_optional_claims() {
        let s: Session = serde_json::from_value(serde_json::json!({
            "profile": "token",
            "user": {"id": "u1", "profile": "token", "username": "bob", "badges": [], "role": null,
                     "url": null, "organizations": [{"organization_id": "7", "role": "OWNER"}]},
            "canSignOut": true,
            "expiresAt": null,
        }))
        .unwrap();
        assert_eq!(s.user.username, "bob");
        assert_eq!(s.user.organizations.as_ref().map(Vec::len), Some(1));
        let minimal: Session = serde_json::from_value(serde_json::json!({
            "profile": "coral", "user": {"id": "u2", "profile": "coral", "username": "al"}, "canSignOut": false,
        }))
        .unwrap();
        assert_eq!((minimal.user.badges.len(), minimal.expires_at), (0, None));
        assert!(
            serde_json::from_value::<Session>(serde_json::json!({"code": "TOKEN_EXPIRED"}))
                .is_err()
        );
    }

    #[test]
    fn errors_have_stable_codes() {
        assert_eq!(SessionError::NotSignedIn.code(), "NOT_SIGNED_IN");
        assert_eq!(SessionError::Network.code(), "NETWORK_ERROR");
        assert_eq!(SessionError::InvalidResponse.code(), "INVALID_RESPONSE");
        let r = SessionError::Rejected {
            status: 401,
            code: "TOKEN_EXPIRED".into(),
            message: "m".into(),
        };
        assert_eq!((r.code(), r.message()), ("TOKEN_EXPIRED", "m"));
    }
}
