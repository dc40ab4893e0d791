//! Development routes (never mounted in production): the demo login page,
//! `POST /dev/token`, `GET /dev/users`. Each handler takes a [`Guarded`]
//! extractor, so none can run before [`guard::check`] passed.

use super::extract::{ApiForm, ApiJson};
use super::publisher::{publisher_html, template};
use super::respond::{html_escape, not_found, set_header};
use super::{ApiError, Shared};
use crate::dev::guard::{self, Route};
use crate::dev::login_return::login_return;
use crate::dev::nonce::Nonce;
use crate::dev::{self, DevError, TokenRequest, PRESETS};
use axum::extract::{FromRequestParts, Query, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::marker::PhantomData;
use url::Url;

/// `/login`, `/dev/token`, `/dev/users`.
pub fn router() -> Router<Shared> {
    Router::new()
        .route("/login", get(login_page).post(login_submit))
        .route("/dev/token", post(token))
        .route("/dev/users", get(users))
}

/// Which [`Route`] a [`Guarded`] extractor checks.
pub trait DevRoute {
    /// The route's rules.
    const ROUTE: Route;
}

macro_rules! dev_route {
    ($name:ident, $route:expr) => {
        /// Marker for [`Guarded`].
        #[derive(Debug)]
        pub struct $name;
        impl DevRoute for $name {
            const ROUTE: Route = $route;
        }
    };
}
dev_route!(LoginPage, Route::LoginPage);
dev_route!(LoginForm, Route::LoginForm);
dev_route!(TokenRoute, Route::Token);
dev_route!(UsersRoute, Route::Users);

/// A request that passed [`guard::check`] for `R`; holds the publisher URL.
#[derive(Debug)]
pub struct Guarded<R>(pub Url, PhantomData<R>);

impl<R: DevRoute> FromRequestParts<Shared> for Guarded<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &Shared) -> Result<Self, ApiError> {
        let publisher = Url::parse(&st.cfg.publisher_origin()).map_err(ApiError::internal)?;
        guard::check(R::ROUTE, &publisher, &parts.uri, &parts.headers).map_err(|r| {
            eprintln!("dev: refused {:?}: {}", R::ROUTE, r.code());
            ApiError::from(DevError::from(r))
        })?;
        Ok(Guarded(publisher, PhantomData))
    }
}

/// The login page's query and its form's fields.
#[derive(Deserialize)]
struct LoginParams {
    /// The demo user picked (form only; default `bob`).
    user: Option<String>,
    #[serde(rename = "return")]
    ret: Option<String>,
    nonce: Option<String>,
}

async fn login_page(
    Guarded(publisher, _): Guarded<LoginPage>,
    State(st): State<Shared>,
    Query(q): Query<LoginParams>,
) -> Result<Response, ApiError> {
    let nonce = Nonce::parse_optional(q.nonce.as_deref()).map_err(DevError::from)?;
    let ret = login_return(&publisher, q.ret.as_deref());
    let Ok(tpl) = tokio::fs::read_to_string(st.cfg.www_dir.join("login.html")).await else {
        return Ok(not_found("www/login.html"));
    };
    let mut options = String::new();
    let enabled = PRESETS
        .iter()
        .filter(|p| st.cfg.verifier.get(p.profile).is_some());
    for (i, p) in enabled.enumerate() {
        options.push_str(&format!(
            "<label class=\"user-option\"><input type=\"radio\" name=\"user\" value=\"{key}\"{checked}> <span>{label}</span> <code>{profile}</code></label>\n",
            key = html_escape(p.key),
            checked = if i == 0 { " checked" } else { "" },
            label = html_escape(p.label),
            profile = p.profile.name(),
        ));
    }
    let body = template(&tpl, &st.cfg)
        .replace("{{USER_OPTIONS}}", &options)
        .replace("{{RETURN}}", &html_escape(&ret))
        .replace("{{NONCE}}", nonce.as_ref().map_or("", Nonce::as_str));
    let mut resp = publisher_html(body, &st.cfg);
    // The form post must carry `Origin` (checked by `POST /login`); under
    // `no-referrer` browsers send `Origin: null`. `same-origin` still sends
    // nothing to other origins.
    set_header(&mut resp, header::REFERRER_POLICY, "same-origin");
    Ok(resp)
}

async fn login_submit(
    Guarded(publisher, _): Guarded<LoginForm>,
    State(st): State<Shared>,
    ApiForm(form): ApiForm<LoginParams>,
) -> Result<Response, ApiError> {
    let req = TokenRequest {
        user: Some(form.user.unwrap_or_else(|| "bob".into())),
        nonce: form.nonce.filter(|n| !n.is_empty()),
        ..TokenRequest::default()
    };
    let (_, token, _) = dev::issue(&st.cfg.verifier, &st.cfg.publisher_origin(), &req)?;
    let ret = login_return(&publisher, form.ret.as_deref());
    // The token travels in the fragment: never sent to a server, never in a Referer.
    let mut resp = Redirect::to(&format!("{ret}#jwt={token}")).into_response();
    set_header(&mut resp, header::REFERRER_POLICY, "no-referrer");
    set_header(&mut resp, header::CACHE_CONTROL, "no-store");
    Ok(resp)
}

async fn token(
    _: Guarded<TokenRoute>,
    State(st): State<Shared>,
    ApiJson(req): ApiJson<TokenRequest>,
) -> Result<Response, ApiError> {
    let (profile, token, claims) = dev::issue(&st.cfg.verifier, &st.cfg.publisher_origin(), &req)?;
    let mut resp = Json(json!({
        "token": token,
        "profile": profile.name(),
        "claims": claims,
    }))
    .into_response();
    set_header(&mut resp, header::CACHE_CONTROL, "no-store");
    Ok(resp)
}

async fn users(_: Guarded<UsersRoute>, State(st): State<Shared>) -> Json<Value> {
    let users: Vec<Value> = PRESETS
        .iter()
        .filter(|p| st.cfg.verifier.get(p.profile).is_some())
        .map(|p| json!({"user": p.key, "profile": p.profile.name(), "label": p.label}))
        .collect();
    Json(json!({ "users": users }))
}
