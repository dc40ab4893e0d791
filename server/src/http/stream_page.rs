//! The stream page (`/embed/stream`), its script and style, and the stream
//! origin's index.

use super::respond::{html, html_escape, not_found, set_header};
use super::Shared;
use crate::config::Config;
use axum::extract::{Path as UrlPath, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

const STREAM_HTML: &str = include_str!("../../static/stream.html");

/// `/`, `/embed/stream`, `/static/{file}`.
pub fn router() -> Router<Shared> {
    Router::new()
        .route("/", get(index))
        .route("/embed/stream", get(page))
        .route("/static/{file}", get(static_file))
}

async fn index(State(st): State<Shared>) -> impl IntoResponse {
    let body = format!(
        "stream-server: this is the stream origin.\n\nembed script: {0}/embed.js\nstream page:  {0}/embed/stream (framed by {1})\nAPI:          {0}/api/...\n",
        st.cfg.stream_origin(),
        st.cfg.allowed_origins.join(" ")
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body)
}

/// The `Content-Security-Policy` of the stream page.
pub fn stream_csp(cfg: &Config) -> String {
    let ancestors = if cfg.allowed_origins.is_empty() {
        "'none'".to_string()
    } else {
        cfg.allowed_origins.join(" ")
    };
    let extra = cfg.allowed_origins.join(" ");
    format!(
        "frame-ancestors {ancestors}; default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
         style-src 'self' {extra} https:; font-src 'self' {extra} https: data:; \
         img-src 'self' data: https:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'none'"
    )
}

/// The stream page, filled in; `mode` is `embed` (framed by a publisher
/// page running the SDK) or `amp` (the read-only AMP page, [`super::amp`]).
pub fn stream_html(cfg: &Config, mode: &str) -> String {
    STREAM_HTML
        .replace(
            "{{ALLOWED_ORIGINS}}",
            &html_escape(&cfg.allowed_origins.join(" ")),
        )
        .replace("{{STREAM_ORIGIN}}", &html_escape(&cfg.stream_origin()))
        .replace(
            "{{TOKEN_AUTH_URL}}",
            &html_escape(cfg.token_auth_url.as_deref().unwrap_or("")),
        )
        .replace("{{STREAM_MODE}}", mode)
}

/// A stream-origin HTML page under `csp`, never sending a Referer.
pub fn stream_html_page(body: String, csp: &str) -> Response {
    let mut resp = html(body);
    set_header(&mut resp, header::CONTENT_SECURITY_POLICY, csp);
    set_header(&mut resp, header::REFERRER_POLICY, "no-referrer");
    resp
}

async fn page(State(st): State<Shared>) -> Response {
    stream_html_page(stream_html(&st.cfg, "embed"), &stream_csp(&st.cfg))
}

async fn static_file(UrlPath(file): UrlPath<String>) -> Response {
    let Some(body) = super::stream_assets::file(&file) else {
        return not_found(&file);
    };
    (
        [(header::CONTENT_TYPE, super::files::content_type(&file))],
        body,
    )
        .into_response()
}
