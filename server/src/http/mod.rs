//! HTTP: the stream origin and the publisher demo origin.
//!
//! One module per resource, each with a `router()` that this module merges:
//!
//! | module | routes |
//! | --- | --- |
//! | [`stream_page`] | `/`, `/embed/stream`, `/static/{file}` (files of [`stream_assets`]) |
//! | [`amp`] | `/embed/stream/amp` (Coral's AMP page, read only) |
//! | [`session`] | `/api/session` |
//! | [`comments`] | `/api/comments` |
//! | [`story_count`] | `/api/story/count`, `/api/story/count.js`, `/api/story/counts.js` (Coral's count contract, JSONP via [`jsonp`]) |
//! | [`coral_assets`] | `/assets/js/{file}` (Coral's script paths) |
//! | [`health`] | `/api/health` |
//! | [`graphql`] | `/api/graphql` (the admin API: Coral's schema, [`crate::admin`]) |
//! | [`user_download`] | `/api/user/download` (the comments archive behind an `archiveURL`) |
//! | [`files`] | `/stream/{*path}`, `/{*path}` (the SDK files; the catch-all loses to every other route) |
//! | [`publisher`] | the demo site (`WWW_DIR`) |
//! | [`dev`] | `/login`, `/dev/token`, `/dev/users` (development only) |
//!
//! To add a resource: a module with `pub fn router() -> Router<Shared>`
//! whose handlers return `Result<impl IntoResponse, ApiError>`, taking
//! [`AuthUser`] where a signed-in reader is needed and [`ApiJson`] for a
//! body; then one `.merge(module::router())` line in [`stream_router`] or
//! [`publisher_router`].

pub mod amp;
pub mod comments;
pub mod coral_assets;
pub mod dev;
pub mod error;
pub mod extract;
pub mod files;
pub mod graphql;
pub mod health;
pub mod jsonp;
pub mod publisher;
pub mod respond;
pub mod session;
pub mod story_count;
pub mod stream_assets;
pub mod stream_page;
pub mod user_download;

pub use error::ApiError;
pub use extract::{ApiForm, ApiJson, AuthUser};

use crate::config::Config;
use crate::store::Store;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, StatusCode};
use axum::middleware;
use axum::Router;
use std::sync::Arc;

/// Largest accepted request body (16 KiB).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Shared state of both origins. Nothing else is state: every instance
/// sharing the database answers the same.
#[derive(Debug)]
pub struct AppState {
    /// Configuration (with the actual bound ports).
    pub cfg: Config,
    /// Users, comments, signed-out token ids, the admin API's credentials.
    pub store: Store,
}

/// Shared state handle.
pub type Shared = Arc<AppState>;

/// The stream origin's router.
pub fn stream_router(state: Shared) -> Router {
    Router::new()
        .merge(stream_page::router())
        .merge(amp::router())
        .merge(session::router())
        .merge(comments::router())
        .merge(story_count::router())
        .merge(coral_assets::router())
        .merge(health::router())
        .merge(graphql::router())
        .merge(user_download::router())
        .merge(files::router())
        .fallback(api_fallback)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(respond::declared_body_limit))
        .layer(middleware::from_fn(respond::common_headers))
        .with_state(state)
}

/// The publisher demo origin's router (the development routes only
/// outside production mode).
pub fn publisher_router(state: Shared) -> Router {
    let mut r = Router::new();
    if !state.cfg.production {
        r = r.merge(dev::router());
    }
    r.merge(publisher::router())
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(respond::declared_body_limit))
        .layer(middleware::from_fn(respond::common_headers))
        .with_state(state)
}

async fn api_fallback(method: Method) -> ApiError {
    ApiError::no_route(if method == Method::GET {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::METHOD_NOT_ALLOWED
    })
}
