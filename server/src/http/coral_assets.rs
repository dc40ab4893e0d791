//! Coral's script paths on the stream origin, so Coral's own embed code and
//! docs work with the host replaced: `/assets/js/embed.js` is the SDK (the
//! same bytes and headers as `/embed.js`, so the same SRI hash) and
//! `/assets/js/count.js` the comment-count script.

use super::files::serve_file;
use super::{ApiError, Shared};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// `(file under /assets/js/, dist/ directory)`.
const ASSETS: [(&str, &str); 2] = [("embed.js", "embed"), ("count.js", "count")];

async fn asset(State(st): State<Shared>, Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _)| *name == file) {
        Some((name, dir)) => {
            serve_file(&st.cfg.dist_dir.join(dir), name, &format!("dist/{dir}")).await
        }
        None => ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "no such asset").into_response(),
    }
}

/// The `/assets/js/*` route, merged into the stream origin's router.
pub fn router() -> Router<Shared> {
    Router::new().route("/assets/js/{file}", get(asset))
}
