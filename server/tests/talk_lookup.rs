//! Talk v4's `tokenUserNotFound` through `TALK_TOKEN_USER_URL`, against a
//! fake publisher service this test serves on loopback: the unknown `sub`
//! is looked up once with the token as bearer and created; every failure
//! (404, timeout, oversize, wrong id, redirect, bad JSON, unreachable) is
//! `TOKEN_USER_NOT_FOUND` and creates nothing.

mod common;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use common::{cfg_with, send, state_env};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use stream_server::auth::now;
use stream_server::dev::sign;
use stream_server::http::stream_router;

const SECRET: &str = "talk-lookup-test-secret-0123456789abcdef";
const ISSUER: &str = "https://talk.example";

#[derive(Default)]
struct Issuer {
    calls: AtomicUsize,
    bearers: Mutex<Vec<String>>,
}

/// The fake publisher service: what it answers depends on the token's `sub`.
async fn who(State(issuer): State<Arc<Issuer>>, headers: HeaderMap) -> Response {
    issuer.calls.fetch_add(1, Ordering::SeqCst);
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("")
        .to_string();
    issuer.bearers.lock().unwrap().push(bearer.clone());
    let sub = common::jwt_payload(&bearer)["sub"]
        .as_str()
        .unwrap_or("")
        .to_string();
    match sub.as_str() {
        "uma" | "uma-again" => axum::Json(
            json!({"id": sub, "username": "Uma Publisher", "email": format!("{sub}@pub.test")}),
        )
        .into_response(),
        "missing" => StatusCode::NOT_FOUND.into_response(),
        "slow" => {
            tokio::time::sleep(std::time::Duration::from_secs(10)).await;
            axum::Json(json!({"id": "slow", "username": "Slow"})).into_response()
        }
        "huge" => axum::Json(json!({"id": "huge", "username": "x".repeat(20_000)})).into_response(),
        "other" => axum::Json(json!({"id": "someone-else", "username": "Eve"})).into_response(),
        "moved" => Redirect::temporary("/who?sub=uma").into_response(),
        "garbage" => "<html>not json</html>".into_response(),
        "taken" => axum::Json(json!({"id": "taken", "username": "T", "email": "uma@pub.test"}))
            .into_response(),
        _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn fake_issuer() -> (String, Arc<Issuer>) {
    let issuer = Arc::new(Issuer::default());
    let app = Router::new()
        .route("/who", get(who))
        .with_state(issuer.clone());
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/who", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, app).await });
    (url, issuer)
}

fn talk_token(sub: &str, extra: serde_json::Value) -> String {
    let mut claims = json!({"jti": format!("j-{sub}"), "exp": now() + 600, "iat": now(),
                            "sub": sub, "iss": ISSUER, "aud": "talk"});
    claims
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    sign(&claims, SECRET.as_bytes())
}

fn vars(url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("TALK_JWT_SECRET", SECRET.to_string()),
        ("TALK_JWT_ISSUER", ISSUER.to_string()),
        ("TALK_TOKEN_USER_URL", url.to_string()),
    ]
}

#[tokio::test]
async fn unknown_subs_are_looked_up_once_and_failures_create_nothing() {
    let (url, issuer) = fake_issuer().await;
    let v = vars(&url);
    let refs: Vec<(&str, &str)> = v.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let env = state_env(cfg_with(&refs, &[]).unwrap(), "talk_lookup_1").await;
    let session = |token: String| {
        let app = stream_router(env.state.clone());
        async move {
            let auth = format!("Bearer {token}");
            let (s, _, b) = send(
                app,
                "POST",
                "/api/session",
                &[("authorization", &auth)],
                Default::default(),
            )
            .await;
            (s.as_u16(), common::json_of(&b))
        }
    };

    let uma = talk_token("uma", json!({}));
    let (status, body) = session(uma.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"]["username"], "Uma Publisher");
    assert_eq!(issuer.calls.load(Ordering::SeqCst), 1);
    assert_eq!(
        issuer.bearers.lock().unwrap()[0],
        uma,
        "the token is the bearer"
    );
    let stored = env
        .state
        .store
        .find_user("talk-v4", "uma")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.email.as_deref(), Some("uma@pub.test"));
    // Known now: no second lookup. Profile claims: no lookup at all.
    assert_eq!(session(uma).await.0, 200);
    let named = talk_token("tina", json!({"username": "Tina"}));
    assert_eq!(session(named).await.1["user"]["username"], "Tina");
    assert_eq!(issuer.calls.load(Ordering::SeqCst), 1);

    for sub in [
        "missing", "slow", "huge", "other", "moved", "garbage", "taken", "error",
    ] {
        let before = issuer.calls.load(Ordering::SeqCst);
        let (status, body) = session(talk_token(sub, json!({}))).await;
        let expected = if sub == "taken" {
            "DUPLICATE_USER"
        } else {
            "TOKEN_USER_NOT_FOUND"
        };
        assert_eq!(
            (status, body["code"].as_str()),
            (if sub == "taken" { 409 } else { 401 }, Some(expected)),
            "{sub}: {body}"
        );
        assert_eq!(
            issuer.calls.load(Ordering::SeqCst),
            before + 1,
            "{sub}: one attempt"
        );
        assert!(
            env.state
                .store
                .find_user("talk-v4", sub)
                .await
                .unwrap()
                .is_none(),
            "{sub}: nothing created"
        );
    }
}

#[tokio::test]
async fn an_unreachable_lookup_is_token_user_not_found() {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/who", l.local_addr().unwrap());
    drop(l);
    let v = vars(&url);
    let refs: Vec<(&str, &str)> = v.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let env = state_env(cfg_with(&refs, &[]).unwrap(), "talk_lookup_2").await;
    let auth = format!("Bearer {}", talk_token("nobody-home", json!({})));
    let (s, _, b) = send(
        stream_router(env.state.clone()),
        "POST",
        "/api/session",
        &[("authorization", &auth)],
        Default::default(),
    )
    .await;
    assert_eq!(
        (s.as_u16(), common::json_of(&b)["code"].as_str()),
        (401, Some("TOKEN_USER_NOT_FOUND"))
    );
}

#[test]
fn the_lookup_url_is_checked_at_startup() {
    let v = vars("ftp://nope");
    let refs: Vec<(&str, &str)> = v.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert!(cfg_with(&refs, &[])
        .unwrap_err()
        .contains("TALK_TOKEN_USER_URL"));
    let err = cfg_with(&[("TALK_TOKEN_USER_URL", "http://127.0.0.1:9/x")], &[]).unwrap_err();
    assert!(err.contains("talk-v4"), "{err}");
}
