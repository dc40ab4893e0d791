//! The publisher demo site: files of `WWW_DIR`, HTML filled in with both
//! origins and served under the strict policy a publisher needs.

use super::files::{content_type, safe_rel_path};
use super::respond::{html, not_found, set_header};
use super::Shared;
use crate::config::Config;
use axum::extract::State;
use axum::http::{header, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

/// `/favicon.ico`; every other path is a file of `WWW_DIR` (the fallback).
pub fn router() -> Router<Shared> {
    Router::new()
        .route("/favicon.ico", get(favicon))
        .fallback(www_file)
}

/// Substitutes `{{STREAM_ORIGIN}}` and `{{PUBLISHER_ORIGIN}}` in a www page.
pub fn template(html: &str, cfg: &Config) -> String {
    html.replace("{{STREAM_ORIGIN}}", &cfg.stream_origin())
        .replace("{{PUBLISHER_ORIGIN}}", &cfg.publisher_origin())
}

/// The strict policy the demo publisher pages are served under: exactly
/// what a publisher needs for the embed (README, "Content Security
/// Policy"), no inline scripts or styles.
pub fn publisher_csp(stream_origin: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' {s} 'wasm-unsafe-eval'; connect-src 'self'; \
         frame-src {s}; style-src 'self'; img-src 'self' data:; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        s = stream_origin
    )
}

/// A publisher page: its policy, and no referrer (article pages carry
/// tokens in their fragment: never leak the URL).
pub fn publisher_html(body: String, cfg: &Config) -> Response {
    let mut resp = html(body);
    set_header(&mut resp, header::REFERRER_POLICY, "no-referrer");
    set_header(
        &mut resp,
        header::CONTENT_SECURITY_POLICY,
        &publisher_csp(&cfg.stream_origin()),
    );
    resp
}

async fn www_file(State(st): State<Shared>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "405 method not allowed\n").into_response();
    }
    let mut path = uri.path().to_string();
    if path.ends_with('/') {
        path.push_str("index.html");
    }
    if path.trim_start_matches('/') == "login.html" {
        // The template is only served filled in, by `/login`.
        if st.cfg.production {
            return not_found("the demo login page is development-only");
        }
        let q = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
        return Redirect::to(&format!("/login{q}")).into_response();
    }
    let Some(rel) = safe_rel_path(&path) else {
        return not_found(&path);
    };
    let file = st.cfg.www_dir.join(&rel);
    let bytes = match tokio::fs::read(&file).await {
        Ok(b) => b,
        // `/article` → `/article.html`
        Err(_) => match tokio::fs::read(file.with_extension("html")).await {
            Ok(b) if rel.extension().is_none() => {
                return publisher_html(template(&String::from_utf8_lossy(&b), &st.cfg), &st.cfg)
            }
            _ => return not_found(&path),
        },
    };
    let ct = content_type(&path);
    if ct.starts_with("text/html") {
        return publisher_html(template(&String::from_utf8_lossy(&bytes), &st.cfg), &st.cfg);
    }
    let mut resp = ([(header::CONTENT_TYPE, ct)], bytes).into_response();
    set_header(&mut resp, header::REFERRER_POLICY, "no-referrer");
    resp
}

async fn favicon() -> impl IntoResponse {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\"><rect width=\"16\" height=\"16\" rx=\"3\" fill=\"#b3261e\"/></svg>";
    ([(header::CONTENT_TYPE, "image/svg+xml")], svg)
}
