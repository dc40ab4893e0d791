//! Extractors: the verified user of a request, and JSON / form bodies whose
//! rejections are [`ApiError`]s (the body limit is the router's
//! `DefaultBodyLimit`, [`super::MAX_BODY_BYTES`]).

use super::{ApiError, Shared};
use crate::admin::lookup;
use crate::auth::{now, AuthError, Verified, MAX_TOKEN_BYTES};
use crate::store::User;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::{Form, Json};
use serde::de::DeserializeOwned;

/// The user a request's bearer token names: the token verified, not signed
/// out, and its user created or updated. Rejections are logged by code,
/// never with the token.
#[derive(Debug)]
pub struct AuthUser {
    /// The verified token.
    pub token: Verified,
    /// The stored user.
    pub user: User,
}

impl FromRequestParts<Shared> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &Shared) -> Result<Self, ApiError> {
        let route = format!("{} {}", parts.method, parts.uri.path());
        authenticate(st, &parts.headers, &route).await
    }
}

/// What the [`AuthUser`] extractor does, for handlers whose token is
/// optional (`/api/graphql`): rejections are logged by code with `route`.
pub(crate) async fn authenticate(
    st: &Shared,
    headers: &HeaderMap,
    route: &str,
) -> Result<AuthUser, ApiError> {
    verify_and_upsert(st, headers)
        .await
        .inspect_err(|e| match e.claim() {
            Some(c) => eprintln!("auth: rejected token on {route}: {} (claim {c})", e.code()),
            None => eprintln!("auth: rejected token on {route}: {}", e.code()),
        })
}

async fn verify_and_upsert(st: &Shared, headers: &HeaderMap) -> Result<AuthUser, ApiError> {
    let token = bearer(headers)?.ok_or(AuthError::Missing)?;
    let mut v = st.cfg.verifier.verify(&token, now())?;
    if let Some(jti) = &v.jti {
        if st.store.is_revoked(v.profile.name(), jti).await? {
            return Err(AuthError::Revoked.into());
        }
    }
    // Talk v4's tokenUserNotFound: an unknown talk-v4 `sub` without profile
    // claims is looked up at TALK_TOKEN_USER_URL (crate::admin::lookup).
    if let Some(lookup) = &st.cfg.token_user_lookup {
        if lookup::wants(&v) {
            let known = st
                .store
                .find_user(v.profile.name(), &v.identity.external_id)
                .await?
                .is_some();
            if !known {
                lookup.complete(&token, &mut v).await?;
            }
        }
    }
    let user = st.store.upsert_user(&v, now()).await?;
    Ok(AuthUser { token: v, user })
}

/// The bearer token of a request, if any (size-checked).
pub(crate) fn bearer(headers: &HeaderMap) -> Result<Option<String>, AuthError> {
    let Some(v) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    if v.len() > MAX_TOKEN_BYTES + 7 {
        return Err(AuthError::TooLarge);
    }
    let v = v.to_str().map_err(|_| AuthError::Malformed)?.trim();
    let (scheme, rest) = v.split_once(' ').ok_or(AuthError::Malformed)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(AuthError::Malformed);
    }
    let t = rest.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.len() > MAX_TOKEN_BYTES {
        return Err(AuthError::TooLarge);
    }
    Ok(Some(t.to_string()))
}

/// axum's [`Json`] with [`ApiError`] rejections (`INVALID_JSON`,
/// `BODY_TOO_LARGE`, `CONTENT_TYPE_INVALID`).
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let Json(v) = Json::<T>::from_request(req, state).await?;
        Ok(ApiJson(v))
    }
}

/// axum's [`Form`] with [`ApiError`] rejections (`INVALID_FORM`,
/// `BODY_TOO_LARGE`, `CONTENT_TYPE_INVALID`).
#[derive(Debug)]
pub struct ApiForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiForm<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let Form(v) = Form::<T>::from_request(req, state).await?;
        Ok(ApiForm(v))
    }
}
