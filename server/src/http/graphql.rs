//! `/api/graphql`: the admin API (Coral's schema, [`crate::admin::graphql`]).
//!
//! * `POST` with `{"query", "variables"?, "operationName"?}`: any operation.
//! * `GET` in development only: `?query=` for queries (introspection
//!   included, mutations refused), or GraphiQL for a browser.
//!
//! Who calls is settled before the operation runs: no `Authorization` is
//! an anonymous caller (every field then answers `USER_NOT_ENTITLED`); a
//! `Bearer stpat_…` is a personal access token; any other bearer is an SSO
//! token, verified as on every other route. A token that is presented but
//! refused (expired, signed out, deactivated, unknown, a deleted user's)
//! fails the whole request with `401` and its `TOKEN_*` code in
//! `errors[0].extensions.code`.

use super::extract::{authenticate, bearer};
use super::{ApiError, Shared};
use crate::admin::graphql::{self, Actor, Caller};
use crate::admin::pat;
use crate::admin::store::PatLookup;
use crate::auth::now;
use async_graphql::parser::types::OperationType;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;

/// Largest GraphQL request body (64 KiB).
pub const MAX_GRAPHQL_BYTES: usize = 64 * 1024;

/// `POST /api/graphql` (and `GET` in development).
pub fn router() -> Router<Shared> {
    Router::new()
        .route("/api/graphql", post(execute_post).get(execute_get))
        .layer(DefaultBodyLimit::max(MAX_GRAPHQL_BYTES))
}

/// A request-level failure, in GraphQL's error shape.
fn refusal(e: ApiError) -> Response {
    let mut ext = json!({ "code": e.code() });
    if let Some(c) = e.claim() {
        ext["claim"] = json!(c);
    }
    let body = json!({ "errors": [{ "message": e.message(), "extensions": ext }] });
    (
        e.status(),
        [(header::CACHE_CONTROL, "no-store")],
        Json(body),
    )
        .into_response()
}

/// Settles who calls (see the module docs).
async fn caller(st: &Shared, headers: &HeaderMap, route: &str) -> Result<Caller, ApiError> {
    let token = bearer(headers)?;
    let actor = match token {
        None => None,
        Some(t) if pat::looks_like(&t) => Some(pat_actor(st, &t).await?),
        Some(_) => {
            let user = authenticate(st, headers, route).await?.user;
            let found = st.store.admin_user(user.id).await?;
            let user = found.ok_or_else(|| ApiError::internal("user vanished after sign-in"))?;
            Some(Actor {
                user,
                token_id: None,
            })
        }
    };
    Ok(Caller {
        actor,
        now: now(),
        origin: st.cfg.public_stream_origin(),
    })
}

async fn pat_actor(st: &Shared, secret: &str) -> Result<Actor, ApiError> {
    let refused = |code, message| {
        eprintln!("auth: rejected token on /api/graphql: {code}");
        ApiError::new(StatusCode::UNAUTHORIZED, code, message)
    };
    if !pat::well_formed(secret) {
        return Err(refused(
            "TOKEN_INVALID",
            "not a personal access token of this server",
        ));
    }
    let found = st.store.find_pat(&pat::digest(secret)).await?;
    match found {
        PatLookup::Active(t, owner) => Ok(Actor {
            user: *owner,
            token_id: Some(t.id),
        }),
        PatLookup::Deactivated => Err(refused(
            "TOKEN_REVOKED",
            "this personal access token was deactivated",
        )),
        PatLookup::Unknown => Err(refused(
            "TOKEN_INVALID",
            "not a personal access token of this server",
        )),
    }
}

async fn run(caller: Caller, st: &Shared, req: async_graphql::Request) -> Response {
    let resp = graphql::shared()
        .execute(req.data(caller).data(st.clone()))
        .await;
    ([(header::CACHE_CONTROL, "no-store")], Json(resp)).into_response()
}

async fn execute_post(State(st): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let caller = match caller(&st, &headers, "POST /api/graphql").await {
        Ok(c) => c,
        Err(e) => return refusal(e),
    };
    let req: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(_) => return refusal(ApiError::new(
            StatusCode::BAD_REQUEST,
            "INVALID_JSON",
            "the body is not a GraphQL request: {\"query\", \"variables\"?, \"operationName\"?}",
        )),
    };
    run(caller, &st, req).await
}

async fn execute_get(
    State(st): State<Shared>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    if st.cfg.production {
        return ApiError::no_route(StatusCode::NOT_FOUND).into_response();
    }
    let Some(query) = query.filter(|q| !q.is_empty()) else {
        return Html(
            async_graphql::http::GraphiQLSource::build()
                .endpoint("/api/graphql")
                .finish(),
        )
        .into_response();
    };
    let req = match async_graphql::http::parse_query_string(&query) {
        Ok(r) => r,
        Err(_) => {
            return refusal(ApiError::new(
                StatusCode::BAD_REQUEST,
                "INVALID_QUERY",
                "?query= is not a GraphQL request",
            ))
        }
    };
    let mutation = async_graphql::parser::parse_query(&req.query)
        .map(|doc| {
            doc.operations
                .iter()
                .any(|(_, op)| op.node.ty != OperationType::Query)
        })
        .unwrap_or(false);
    if mutation {
        return refusal(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "mutations need POST",
        ));
    }
    let caller = match caller(&st, &headers, "GET /api/graphql").await {
        Ok(c) => c,
        Err(e) => return refusal(e),
    };
    run(caller, &st, req).await
}
