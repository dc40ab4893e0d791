//! Static files of the stream origin: the built SDK (`dist/embed/*` at
//! `/<file>`, `dist/stream/*` at `/stream/<path>`).

use super::respond::{not_found, set_header};
use super::{ApiError, Shared};
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::path::{Path, PathBuf};

/// `/stream/{*path}` and the catch-all `/{*path}` (more specific routes of
/// other modules win over the catch-all).
pub fn router() -> Router<Shared> {
    Router::new()
        .route("/stream/{*path}", get(dist_stream))
        .route("/{*path}", get(dist_embed))
}

/// Content type by file extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" | "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A safe relative path (segments of `[A-Za-z0-9._-]`, none starting with `.`).
pub fn safe_rel_path(p: &str) -> Option<PathBuf> {
    let p = p.trim_start_matches('/');
    if p.is_empty() || p.len() > 512 {
        return None;
    }
    let mut out = PathBuf::new();
    for seg in p.split('/') {
        if seg.is_empty()
            || seg.starts_with('.')
            || !seg
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return None;
        }
        out.push(seg);
    }
    Some(out)
}

/// Serves `dir/rel` with its content type, `Access-Control-Allow-Origin: *`
/// and `Cache-Control: no-cache`; 404 naming `label/rel` if it is missing.
pub async fn serve_file(dir: &Path, rel: &str, label: &str) -> Response {
    let Some(rel_path) = safe_rel_path(rel) else {
        return not_found(rel);
    };
    match tokio::fs::read(dir.join(&rel_path)).await {
        Ok(bytes) => {
            let mut resp = ([(header::CONTENT_TYPE, content_type(rel))], bytes).into_response();
            set_header(&mut resp, header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            set_header(&mut resp, header::CACHE_CONTROL, "no-cache");
            resp
        }
        Err(_) => not_found(&format!(
            "{label}/{rel} (looked in {}; build the SDK first: npm run build)",
            dir.display()
        )),
    }
}

async fn dist_embed(State(st): State<Shared>, UrlPath(path): UrlPath<String>) -> Response {
    if path.starts_with("api/") {
        return ApiError::no_route(StatusCode::NOT_FOUND).into_response();
    }
    serve_file(&st.cfg.dist_dir.join("embed"), &path, "dist/embed").await
}

async fn dist_stream(State(st): State<Shared>, UrlPath(path): UrlPath<String>) -> Response {
    serve_file(&st.cfg.dist_dir.join("stream"), &path, "dist/stream").await
}
