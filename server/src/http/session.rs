//! `/api/session`: sign in (verify + upsert) and the stream's Sign Out.

use super::extract::AuthUser;
use super::{ApiError, Shared};
use crate::auth::now;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;

/// `POST /api/session`, `DELETE /api/session`.
pub fn router() -> Router<Shared> {
    Router::new().route("/api/session", post(create).delete(delete))
}

async fn create(AuthUser { token, user }: AuthUser) -> Json<serde_json::Value> {
    Json(json!({
        "profile": token.profile.name(),
        "user": user,
        "canSignOut": token.can_sign_out(),
        "expiresAt": token.exp,
    }))
}

/// Sign Out inside the stream: the token's `jti` is refused from now on.
async fn delete(
    State(st): State<Shared>,
    AuthUser { token, .. }: AuthUser,
) -> Result<impl IntoResponse, ApiError> {
    let (Some(jti), Some(exp)) = (&token.jti, token.exp) else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "SIGN_OUT_UNAVAILABLE",
            "tokens without jti and exp cannot be signed out in the stream; the publisher calls logout()",
        ));
    };
    st.store
        .revoke(token.profile.name(), jti, exp, now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
