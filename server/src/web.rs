//! HTTP: the publisher demo origin and the stream origin.

use crate::auth::{now, AuthError, Profile, Verified, MAX_TOKEN_BYTES};
use crate::config::Config;
use crate::db::{Db, DbError, StoryKey, User};
use crate::dev::guard::{self, Refusal, Route};
use crate::dev::login_return::login_return;
use crate::dev::nonce::Nonce;
use crate::dev::{self, DevError, TokenRequest, PRESETS};
use axum::body::{to_bytes, Body};
use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use url::Url;

/// Largest accepted request body (16 KiB).
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// Longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 5000;

const STREAM_HTML: &str = include_str!("../static/stream.html");

/// Shared state of both origins.
pub struct AppState {
    /// Configuration (with the actual bound ports).
    pub cfg: Config,
    /// The database.
    pub db: Mutex<Db>,
}

/// Shared state handle.
pub type Shared = Arc<AppState>;

// ---------------------------------------------------------------- errors

/// An API error: status + stable code.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    claim: Option<&'static str>,
}

impl ApiError {
    /// An error with `status`, stable `code` and `message`.
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            code,
            message: message.into(),
            claim: None,
        }
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        ApiError {
            status: StatusCode::from_u16(e.status()).unwrap_or(StatusCode::UNAUTHORIZED),
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
        ApiError {
            status,
            code: e.code(),
            message: e.to_string(),
            claim: None,
        }
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Auth(a) => a.into(),
            DbError::Sql(s) => {
                eprintln!("db: error: {s}");
                ApiError::new(500, "INTERNAL_ERROR", "database error")
            }
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

// ---------------------------------------------------------------- helpers

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

fn html_escape(s: &str) -> String {
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

fn not_found(msg: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("404 not found: {msg}\n"),
    )
        .into_response()
}

fn set(resp: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        resp.headers_mut().insert(name, v);
    }
}

/// Headers on every response of both origins.
async fn common_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    set(&mut resp, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    if !resp.headers().contains_key(header::CACHE_CONTROL) {
        set(&mut resp, header::CACHE_CONTROL, "no-cache");
    }
    resp
}

/// Reads a request body of at most [`MAX_BODY_BYTES`] as JSON.
async fn read_json<T: serde::de::DeserializeOwned>(body: Body) -> Result<T, ApiError> {
    let bytes = to_bytes(body, MAX_BODY_BYTES).await.map_err(|_| {
        ApiError::new(
            413,
            "BODY_TOO_LARGE",
            format!("request body larger than {MAX_BODY_BYTES} bytes"),
        )
    })?;
    serde_json::from_slice(&bytes)
        .map_err(|_| ApiError::new(400, "INVALID_JSON", "request body is not the expected JSON"))
}

/// The bearer token of a request, if any (size-checked).
fn bearer(headers: &HeaderMap) -> Result<Option<String>, AuthError> {
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

/// Verifies the request's token, checks revocation and upserts its user.
/// Rejections are logged by code, never with the token.
fn authenticate(
    st: &AppState,
    headers: &HeaderMap,
    route: &str,
) -> Result<(Verified, User), ApiError> {
    let result = (|| -> Result<(Verified, User), ApiError> {
        let token = bearer(headers)?.ok_or(AuthError::Missing)?;
        let v = st.cfg.verifier.verify(&token, now())?;
        let db = st.db.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(jti) = &v.jti {
            if db.is_revoked(v.profile.name(), jti)? {
                return Err(AuthError::Revoked.into());
            }
        }
        let user = db.upsert_user(&v, now())?;
        Ok((v, user))
    })();
    if let Err(e) = &result {
        match e.claim {
            Some(c) => eprintln!("auth: rejected token on {route}: {} (claim {c})", e.code),
            None => eprintln!("auth: rejected token on {route}: {}", e.code),
        }
    }
    result
}

// ---------------------------------------------------------------- stream origin

/// The stream origin's router.
pub fn stream_router(state: Shared) -> Router {
    Router::new()
        .route("/", get(stream_index))
        .route("/embed/stream", get(stream_page))
        .route("/static/{file}", get(stream_static))
        .route("/stream/{*path}", get(dist_stream))
        .route("/api/health", get(health))
        .route("/api/session", post(session_create).delete(session_delete))
        .route("/api/comments", get(comments_list).post(comments_create))
        .merge(crate::story_count::routes())
        .merge(crate::coral_assets::routes())
        .route("/{*path}", get(dist_embed))
        .fallback(api_fallback)
        .layer(middleware::from_fn(common_headers))
        .with_state(state)
}

async fn stream_index(State(st): State<Shared>) -> Response {
    let body = format!(
        "stream-server: this is the stream origin.\n\nembed script: {0}/embed.js\nstream page:  {0}/embed/stream (framed by {1})\nAPI:          {0}/api/...\n",
        st.cfg.stream_origin(),
        st.cfg.allowed_origins.join(" ")
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

async fn api_fallback(method: Method) -> Response {
    ApiError::new(
        if method == Method::GET { 404 } else { 405 },
        "NOT_FOUND",
        "no such route",
    )
    .into_response()
}

async fn health(State(st): State<Shared>) -> Response {
    let v = st.db.lock().map(|d| d.schema_version()).unwrap_or(0);
    axum::Json(json!({
        "ok": true,
        "schemaVersion": v,
        "profiles": st.cfg.verifier.profiles.iter().map(|p| p.profile.name()).collect::<Vec<_>>(),
        "production": st.cfg.production,
    }))
    .into_response()
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

async fn stream_page(State(st): State<Shared>) -> Response {
    let html = STREAM_HTML
        .replace(
            "{{ALLOWED_ORIGINS}}",
            &html_escape(&st.cfg.allowed_origins.join(" ")),
        )
        .replace("{{STREAM_ORIGIN}}", &html_escape(&st.cfg.stream_origin()))
        .replace(
            "{{TOKEN_AUTH_URL}}",
            &html_escape(st.cfg.token_auth_url.as_deref().unwrap_or("")),
        );
    let mut resp = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    set(
        &mut resp,
        header::CONTENT_SECURITY_POLICY,
        &stream_csp(&st.cfg),
    );
    set(&mut resp, header::REFERRER_POLICY, "no-referrer");
    resp
}

async fn stream_static(UrlPath(file): UrlPath<String>) -> Response {
    let Some(body) = crate::stream_assets::file(&file) else {
        return not_found(&file);
    };
    ([(header::CONTENT_TYPE, content_type(&file))], body).into_response()
}

/// Serves `dir/rel` with its content type, `Access-Control-Allow-Origin: *`
/// and `Cache-Control: no-cache`; 404 naming `label/rel` if it is missing.
pub async fn serve_file(dir: &Path, rel: &str, label: &str) -> Response {
    let Some(rel_path) = safe_rel_path(rel) else {
        return not_found(rel);
    };
    let path = dir.join(&rel_path);
    match tokio::fs::read(&path).await {
        Ok(bytes) => {
            let mut resp = ([(header::CONTENT_TYPE, content_type(rel))], bytes).into_response();
            set(&mut resp, header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            set(&mut resp, header::CACHE_CONTROL, "no-cache");
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
        return ApiError::new(404, "NOT_FOUND", "no such route").into_response();
    }
    serve_file(&st.cfg.dist_dir.join("embed"), &path, "dist/embed").await
}

async fn dist_stream(State(st): State<Shared>, UrlPath(path): UrlPath<String>) -> Response {
    serve_file(&st.cfg.dist_dir.join("stream"), &path, "dist/stream").await
}

fn session_json(v: &Verified, user: &User) -> Value {
    json!({
        "profile": v.profile.name(),
        "user": user,
        "canSignOut": v.can_sign_out(),
        "expiresAt": v.exp,
    })
}

async fn session_create(State(st): State<Shared>, headers: HeaderMap) -> Response {
    match authenticate(&st, &headers, "POST /api/session") {
        Ok((v, user)) => axum::Json(session_json(&v, &user)).into_response(),
        Err(e) => e.into_response(),
    }
}

/// Sign Out inside the stream: the token's `jti` is refused from now on.
async fn session_delete(State(st): State<Shared>, headers: HeaderMap) -> Response {
    let (v, _user) = match authenticate(&st, &headers, "DELETE /api/session") {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let (Some(jti), Some(exp)) = (&v.jti, v.exp) else {
        return ApiError::new(
            400,
            "SIGN_OUT_UNAVAILABLE",
            "tokens without jti and exp cannot be signed out in the stream; the publisher calls logout()",
        )
        .into_response();
    };
    let db = st.db.lock().unwrap_or_else(|e| e.into_inner());
    match db.revoke(v.profile.name(), jti, exp, now()) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

#[derive(Deserialize)]
struct StoryQuery {
    #[serde(rename = "storyID")]
    story_id: Option<String>,
    #[serde(rename = "storyURL")]
    story_url: Option<String>,
}

async fn comments_list(State(st): State<Shared>, Query(q): Query<StoryQuery>) -> Response {
    let Some(story) = StoryKey::new(q.story_id.as_deref(), q.story_url.as_deref()) else {
        return ApiError::new(400, "STORY_MISSING", "storyID or storyURL is required")
            .into_response();
    };
    let db = st.db.lock().unwrap_or_else(|e| e.into_inner());
    let result = db
        .comments(&story, 200)
        .and_then(|c| Ok((c, db.comment_count(&story)?)));
    match result {
        Ok((comments, count)) => axum::Json(json!({
            "storyID": story.story_id,
            "storyURL": story.story_url,
            "count": count,
            "comments": comments,
        }))
        .into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

#[derive(Deserialize)]
struct NewComment {
    #[serde(rename = "storyID")]
    story_id: Option<String>,
    #[serde(rename = "storyURL")]
    story_url: Option<String>,
    body: Option<String>,
}

async fn comments_create(State(st): State<Shared>, headers: HeaderMap, body: Body) -> Response {
    let input: NewComment = match read_json(body).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let (_v, user) = match authenticate(&st, &headers, "POST /api/comments") {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let Some(story) = StoryKey::new(input.story_id.as_deref(), input.story_url.as_deref()) else {
        return ApiError::new(400, "STORY_MISSING", "storyID or storyURL is required")
            .into_response();
    };
    let text = input.body.as_deref().unwrap_or("").trim();
    if text.is_empty() {
        return ApiError::new(400, "COMMENT_EMPTY", "the comment is empty").into_response();
    }
    if text.chars().count() > MAX_COMMENT_CHARS {
        return ApiError::new(
            400,
            "COMMENT_TOO_LONG",
            format!("comments are limited to {MAX_COMMENT_CHARS} characters"),
        )
        .into_response();
    }
    let db = st.db.lock().unwrap_or_else(|e| e.into_inner());
    match db.add_comment(user.id, &story, text, now()) {
        Ok(c) => (StatusCode::CREATED, axum::Json(json!({ "comment": c }))).into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

// ---------------------------------------------------------------- publisher origin

/// The publisher demo origin's router.
pub fn publisher_router(state: Shared) -> Router {
    let mut r = Router::new();
    if !state.cfg.production {
        r = r
            .route("/login", get(login_page).post(login_submit))
            .route("/dev/token", post(dev_token))
            .route("/dev/users", get(dev_users));
    }
    r.route("/favicon.ico", get(favicon))
        .fallback(www_file)
        .layer(middleware::from_fn(common_headers))
        .with_state(state)
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

fn publisher_html(html: String, stream_origin: &str) -> Response {
    let mut resp = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    // The article pages carry tokens in their fragment: never leak the URL.
    set(&mut resp, header::REFERRER_POLICY, "no-referrer");
    if let Ok(v) = header::HeaderValue::from_str(&publisher_csp(stream_origin)) {
        resp.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, v);
    }
    resp
}

async fn www_file(State(st): State<Shared>, method: Method, uri: axum::http::Uri) -> Response {
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
        Err(_) => {
            // `/article` → `/article.html`
            match tokio::fs::read(file.with_extension("html")).await {
                Ok(b) if rel.extension().is_none() => {
                    return publisher_html(
                        template(&String::from_utf8_lossy(&b), &st.cfg),
                        &st.cfg.stream_origin(),
                    )
                }
                _ => return not_found(&path),
            }
        }
    };
    let ct = content_type(&path);
    if ct.starts_with("text/html") {
        return publisher_html(
            template(&String::from_utf8_lossy(&bytes), &st.cfg),
            &st.cfg.stream_origin(),
        );
    }
    let mut resp = ([(header::CONTENT_TYPE, ct)], bytes).into_response();
    set(&mut resp, header::REFERRER_POLICY, "no-referrer");
    resp
}

async fn favicon() -> Response {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\"><rect width=\"16\" height=\"16\" rx=\"3\" fill=\"#b3261e\"/></svg>";
    ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response()
}

/// Checks a development request (see [`guard`]); returns the publisher URL.
fn dev_guard(st: &AppState, route: Route, uri: &Uri, headers: &HeaderMap) -> Result<Url, ApiError> {
    let publisher = Url::parse(&st.cfg.publisher_origin())
        .map_err(|_| ApiError::new(500, "INTERNAL_ERROR", "publisher origin is not a URL"))?;
    guard::check(route, &publisher, uri, headers).map_err(|r| {
        eprintln!("dev: refused {route:?}: {}", r.code());
        ApiError::from(DevError::from(r))
    })?;
    Ok(publisher)
}

#[derive(Deserialize)]
struct LoginQuery {
    #[serde(rename = "return")]
    ret: Option<String>,
    nonce: Option<String>,
}

async fn login_page(
    State(st): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Response {
    let publisher = match dev_guard(&st, Route::LoginPage, &uri, &headers) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let nonce = match Nonce::parse_optional(q.nonce.as_deref()) {
        Ok(n) => n,
        Err(e) => return ApiError::from(DevError::from(e)).into_response(),
    };
    let ret = login_return(&publisher, q.ret.as_deref());
    let tpl = match tokio::fs::read_to_string(st.cfg.www_dir.join("login.html")).await {
        Ok(t) => t,
        Err(_) => return not_found("www/login.html"),
    };
    let mut options = String::new();
    let mut first = true;
    for p in PRESETS {
        if st.cfg.verifier.get(p.profile).is_none() {
            continue;
        }
        options.push_str(&format!(
            "<label class=\"user-option\"><input type=\"radio\" name=\"user\" value=\"{key}\"{checked}> <span>{label}</span> <code>{profile}</code></label>\n",
            key = html_escape(p.key),
            checked = if first { " checked" } else { "" },
            label = html_escape(p.label),
            profile = p.profile.name(),
        ));
        first = false;
    }
    let html = template(&tpl, &st.cfg)
        .replace("{{USER_OPTIONS}}", &options)
        .replace("{{RETURN}}", &html_escape(&ret))
        .replace("{{NONCE}}", nonce.as_ref().map_or("", Nonce::as_str));
    let mut resp = publisher_html(html, &st.cfg.stream_origin());
    // The form post must carry `Origin` (checked by `POST /login`); under
    // `no-referrer` browsers send `Origin: null`. `same-origin` still sends
    // nothing to other origins.
    set(&mut resp, header::REFERRER_POLICY, "same-origin");
    resp
}

#[derive(Deserialize)]
struct LoginForm {
    user: Option<String>,
    #[serde(rename = "return")]
    ret: Option<String>,
    nonce: Option<String>,
}

async fn login_submit(
    State(st): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let publisher = match dev_guard(&st, Route::LoginForm, &uri, &headers) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let bytes = match to_bytes(body, MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "413 BODY_TOO_LARGE\n").into_response(),
    };
    let form: LoginForm = match serde_urlencoded_parse(&bytes) {
        Some(f) => f,
        None => return (StatusCode::BAD_REQUEST, "400 INVALID_FORM\n").into_response(),
    };
    let req = TokenRequest {
        user: Some(form.user.unwrap_or_else(|| "bob".into())),
        nonce: form.nonce.filter(|n| !n.is_empty()),
        ..TokenRequest::default()
    };
    match dev::issue(&st.cfg.verifier, &st.cfg.publisher_origin(), &req) {
        Ok((_, token, _)) => {
            let ret = login_return(&publisher, form.ret.as_deref());
            // The token travels in the fragment: never sent to a server, never in a Referer.
            let mut resp = Redirect::to(&format!("{ret}#jwt={token}")).into_response();
            set(&mut resp, header::REFERRER_POLICY, "no-referrer");
            set(&mut resp, header::CACHE_CONTROL, "no-store");
            resp
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

fn serde_urlencoded_parse<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    serde_urlencoded::from_bytes(bytes).ok()
}

async fn dev_token(State(st): State<Shared>, uri: Uri, headers: HeaderMap, body: Body) -> Response {
    if let Err(e) = dev_guard(&st, Route::Token, &uri, &headers) {
        return e.into_response();
    }
    let req: TokenRequest = match read_json(body).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    match dev::issue(&st.cfg.verifier, &st.cfg.publisher_origin(), &req) {
        Ok((profile, token, claims)) => {
            let mut resp = axum::Json(json!({
                "token": token,
                "profile": profile.name(),
                "claims": claims,
            }))
            .into_response();
            set(&mut resp, header::CACHE_CONTROL, "no-store");
            resp
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

async fn dev_users(State(st): State<Shared>, uri: Uri, headers: HeaderMap) -> Response {
    if let Err(e) = dev_guard(&st, Route::Users, &uri, &headers) {
        return e.into_response();
    }
    let users: Vec<Value> = PRESETS
        .iter()
        .filter(|p| st.cfg.verifier.get(p.profile).is_some())
        .map(|p| json!({"user": p.key, "profile": p.profile.name(), "label": p.label}))
        .collect();
    axum::Json(json!({ "users": users })).into_response()
}

/// Which profiles are enabled, as names (for logs).
pub fn profile_names(cfg: &Config) -> Vec<&'static str> {
    cfg.verifier
        .profiles
        .iter()
        .map(|p| p.profile.name())
        .collect::<Vec<_>>()
}

/// Whether `p` is enabled.
pub fn has_profile(cfg: &Config, p: Profile) -> bool {
    cfg.verifier.get(p).is_some()
}
