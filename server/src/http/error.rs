//! The API's error type: an HTTP status and a stable code, answered as
//! `{"code", "message", "claim"?}`. Every domain error converts into it
//! here, so the HTTP status of a domain error is decided in this file only.

use crate::auth::AuthError;
use crate::dev::guard::Refusal;
use crate::dev::DevError;
use crate::store::StoreError;
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An API error: status + stable code (+ the claim concerned, for tokens).
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    claim: Option<&'static str>,
}

impl ApiError {
    /// An error with a status, a stable code and a message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            claim: None,
        }
    }

    /// `404 NOT_FOUND` for a route that does not exist.
    pub fn no_route(status: StatusCode) -> ApiError {
        ApiError::new(status, "NOT_FOUND", "no such route")
    }

    /// `500 INTERNAL_ERROR`; the cause goes to the log, never to the client.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        eprintln!("server: error: {cause}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "internal error",
        )
    }

    /// `413 BODY_TOO_LARGE`: a body over [`super::MAX_BODY_BYTES`].
    pub fn body_too_large() -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "BODY_TOO_LARGE",
            format!("request body larger than {} bytes", super::MAX_BODY_BYTES),
        )
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The claim concerned, if any.
    pub fn claim(&self) -> Option<&'static str> {
        self.claim
    }
}

/// The HTTP status of a token rejection.
fn auth_status(e: &AuthError) -> StatusCode {
    match e {
        AuthError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        AuthError::DuplicateUser => StatusCode::CONFLICT,
        _ => StatusCode::UNAUTHORIZED,
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        ApiError {
            status: auth_status(&e),
            code: e.code(),
            message: e.message(),
            claim: e.claim(),
        }
    }
}

impl From<DevError> for ApiError {
    fn from(e: DevError) -> Self {
        let status = match &e {
            DevError::Refused(Refusal::HostMismatch) => StatusCode::MISDIRECTED_REQUEST,
            DevError::Refused(Refusal::ContentType(_)) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            DevError::Refused(_) => StatusCode::FORBIDDEN,
            _ => StatusCode::BAD_REQUEST,
        };
        ApiError::new(status, e.code(), e.to_string())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Auth(a) => a.into(),
            other => ApiError::internal(other),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::MissingJsonContentType(_) => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "CONTENT_TYPE_INVALID",
                "the body must be sent as application/json",
            ),
            r if r.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::body_too_large(),
            _ => ApiError::new(
                StatusCode::BAD_REQUEST,
                "INVALID_JSON",
                "request body is not the expected JSON",
            ),
        }
    }
}

impl From<FormRejection> for ApiError {
    fn from(r: FormRejection) -> Self {
        match r {
            FormRejection::InvalidFormContentType(_) => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "CONTENT_TYPE_INVALID",
                "the body must be sent as application/x-www-form-urlencoded",
            ),
            r if r.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::body_too_large(),
            _ => ApiError::new(
                StatusCode::BAD_REQUEST,
                "INVALID_FORM",
                "request body is not the expected form",
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({ "code": self.code, "message": self.message });
        if let Some(c) = self.claim {
            body["claim"] = json!(c);
        }
        (self.status, axum::Json(body)).into_response()
    }
}
