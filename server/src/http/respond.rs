//! Small response helpers shared by the resource modules.

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Sets a header when `value` is a valid header value.
pub fn set_header(resp: &mut Response, name: HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        resp.headers_mut().insert(name, v);
    }
}

/// Headers on every response of both origins.
pub async fn common_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    set_header(&mut resp, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    if !resp.headers().contains_key(header::CACHE_CONTROL) {
        set_header(&mut resp, header::CACHE_CONTROL, "no-cache");
    }
    resp
}

/// Refuses a declared body over [`super::MAX_BODY_BYTES`] before any
/// extractor runs, so it is `413 BODY_TOO_LARGE` whatever else is wrong
/// with the request; an undeclared (chunked) body is cut at the same size
/// by `DefaultBodyLimit` when it is read.
pub async fn declared_body_limit(req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(n) if n > super::MAX_BODY_BYTES as u64 => {
            super::ApiError::body_too_large().into_response()
        }
        _ => next.run(req).await,
    }
}

/// A plain-text 404 for files and pages.
pub fn not_found(what: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("404 not found: {what}\n"),
    )
        .into_response()
}

/// An HTML page.
pub fn html(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// Escapes text for HTML content and double- or single-quoted attributes.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
