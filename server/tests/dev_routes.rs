//! Development routes refuse DNS rebinding and cross-site requests, keep
//! the login redirect on the publisher origin, and carry the SDK's login
//! nonce into every token they issue.

mod common;

use axum::body::Body;
use axum::http::{header, StatusCode};
use common::{env, json_of, jwt_payload, send, Env, PUBLISHER_HOST, PUBLISHER_ORIGIN};
use serde_json::{json, Value};
use stream_server::dev::login_return::login_return;
use url::Url;

const NONCE: &str = "abcdefghijklmnopqrstuv_-0123456789";
const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

/// `POST /dev/token` with exactly these headers: (status, code).
async fn dev_token(e: &Env, uri: &str, headers: &[(&str, &str)]) -> (StatusCode, Value) {
    let (s, _, b) = send(
        e.publisher(),
        "POST",
        uri,
        headers,
        Body::from(r#"{"user":"bob"}"#),
    )
    .await;
    (s, json_of(&b)["code"].clone())
}

#[tokio::test]
async fn dns_rebinding_host_is_refused_on_every_dev_route() {
    let e = env("rebind", &[]).await;
    // The page of a rebinding attack is same-origin in the browser: only
    // its Host names it.
    for host in [
        "attacker.example:3000",
        "attacker.example",
        "localhost:3001",
        "localhost",
        "127.0.0.1:3000",
        "localhost:3000@attacker.example",
        "localhost:3000/x",
        "",
    ] {
        let (s, code) =
            dev_token(&e, "/dev/token", &[("host", host), ("content-type", JSON)]).await;
        assert_eq!(s, StatusCode::MISDIRECTED_REQUEST, "{host}");
        assert_eq!(code, "DEV_HOST_MISMATCH", "{host}");
        for (method, uri) in [("GET", "/dev/users"), ("GET", "/login"), ("POST", "/login")] {
            let (s, _, b) = send(
                e.publisher(),
                method,
                uri,
                &[
                    ("host", host),
                    ("origin", PUBLISHER_ORIGIN),
                    ("content-type", FORM),
                ],
                Body::from("user=bob"),
            )
            .await;
            assert_eq!(s, StatusCode::MISDIRECTED_REQUEST, "{method} {uri} {host}");
            assert_eq!(json_of(&b)["code"], "DEV_HOST_MISMATCH");
        }
    }
    // No Host at all, or an absolute request URI naming another host.
    let (_, code) = dev_token(&e, "/dev/token", &[("content-type", JSON)]).await;
    assert_eq!(code, "DEV_HOST_MISMATCH");
    let (_, code) = dev_token(
        &e,
        "http://attacker.example:3000/dev/token",
        &[("host", PUBLISHER_HOST), ("content-type", JSON)],
    )
    .await;
    assert_eq!(code, "DEV_HOST_MISMATCH");
    // The publisher's own host, in any case, is served.
    for host in [PUBLISHER_HOST, "LocalHost:3000"] {
        let (s, _) = dev_token(&e, "/dev/token", &[("host", host), ("content-type", JSON)]).await;
        assert_eq!(s, StatusCode::OK, "{host}");
    }
}

#[tokio::test]
async fn cross_site_token_requests_are_refused() {
    let e = env("crosssite", &[]).await;
    let host = ("host", PUBLISHER_HOST);
    // A cross-site page can send text/plain (and forms) without a preflight.
    for ct in [
        "text/plain",
        FORM,
        "multipart/form-data; boundary=x",
        "application/jsonx",
    ] {
        let (s, code) = dev_token(&e, "/dev/token", &[host, ("content-type", ct)]).await;
        assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{ct}");
        assert_eq!(code, "DEV_CONTENT_TYPE", "{ct}");
    }
    let (_, code) = dev_token(&e, "/dev/token", &[host]).await;
    assert_eq!(code, "DEV_CONTENT_TYPE");
    for site in ["cross-site", "same-site", "none"] {
        let (s, code) = dev_token(
            &e,
            "/dev/token",
            &[host, ("content-type", JSON), ("sec-fetch-site", site)],
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{site}");
        assert_eq!(code, "DEV_CROSS_SITE", "{site}");
    }
    for origin in [
        "http://attacker.example",
        "null",
        "http://localhost:3001",
        "http://127.0.0.1:3000",
    ] {
        let (s, code) = dev_token(
            &e,
            "/dev/token",
            &[host, ("content-type", JSON), ("origin", origin)],
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{origin}");
        assert_eq!(code, "DEV_ORIGIN_MISMATCH", "{origin}");
    }
    let (s, _, b) = send(
        e.publisher(),
        "GET",
        "/dev/users",
        &[host, ("sec-fetch-site", "cross-site")],
        Body::empty(),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(json_of(&b)["code"], "DEV_CROSS_SITE");
    // What a same-origin page (or a non-browser client) sends is served.
    let (s, _) = dev_token(
        &e,
        "/dev/token",
        &[
            host,
            ("content-type", "application/json; charset=utf-8"),
            ("origin", PUBLISHER_ORIGIN),
            ("sec-fetch-site", "same-origin"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, _) = send(e.publisher(), "GET", "/dev/users", &[host], Body::empty()).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn login_post_must_be_a_same_origin_form_post() {
    let e = env("loginpost", &[]).await;
    let post = |headers: Vec<(&'static str, &'static str)>| {
        let app = e.publisher();
        async move {
            let (s, h, b) = send(app, "POST", "/login", &headers, Body::from("user=bob")).await;
            (s, h, json_of(&b)["code"].clone())
        }
    };
    let host = ("host", PUBLISHER_HOST);
    let origin = ("origin", PUBLISHER_ORIGIN);
    let form = ("content-type", FORM);
    let (s, _, code) = post(vec![host, form]).await;
    assert_eq!(
        (s, code),
        (StatusCode::FORBIDDEN, json!("DEV_ORIGIN_MISMATCH"))
    );
    let (s, _, code) = post(vec![host, form, ("origin", "http://attacker.example")]).await;
    assert_eq!(
        (s, code),
        (StatusCode::FORBIDDEN, json!("DEV_ORIGIN_MISMATCH"))
    );
    let (s, _, code) = post(vec![host, form, ("origin", "null")]).await;
    assert_eq!(
        (s, code),
        (StatusCode::FORBIDDEN, json!("DEV_ORIGIN_MISMATCH"))
    );
    let (s, _, code) = post(vec![host, origin, ("content-type", "text/plain")]).await;
    assert_eq!(
        (s, code),
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            json!("DEV_CONTENT_TYPE")
        )
    );
    let (s, _, code) = post(vec![host, origin, form, ("sec-fetch-site", "cross-site")]).await;
    assert_eq!((s, code), (StatusCode::FORBIDDEN, json!("DEV_CROSS_SITE")));
    let (s, h, _) = post(vec![host, origin, form, ("sec-fetch-site", "same-origin")]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(h[header::LOCATION]
        .to_str()
        .unwrap()
        .starts_with("/#jwt=ey"));
}

#[test]
fn login_return_resolves_on_the_publisher_origin() {
    let publisher = Url::parse(PUBLISHER_ORIGIN).unwrap();
    for (given, want) in [
        ("/options.html", "/options.html"),
        ("/a/b?x=1&y=2", "/a/b?x=1&y=2"),
        ("options.html", "/options.html"),
        ("http://localhost:3000/article?id=7", "/article?id=7"),
        ("/a b", "/a%20b"),
        ("/x/../options.html", "/options.html"),
        // Each of these would leave the origin (or lose the fragment).
        ("/.//index.html", "/"),
        ("/%2e%2e//attacker.example", "/"),
        ("//attacker.example/x", "/"),
        ("/\\attacker.example", "/"),
        ("\\\\attacker.example", "/"),
        ("/\t/attacker.example", "/"),
        ("https://attacker.example/", "/"),
        ("http://localhost:3001/", "/"),
        ("http://user@localhost:3000/", "/"),
        ("javascript:alert(1)", "/"),
        ("/a#b", "/"),
        ("", "/"),
    ] {
        assert_eq!(login_return(&publisher, Some(given)), want, "{given:?}");
    }
    assert_eq!(login_return(&publisher, None), "/");
    assert_eq!(
        login_return(&publisher, Some(&format!("/{}", "a".repeat(600)))),
        "/"
    );
}

#[tokio::test]
async fn login_redirect_never_starts_with_two_slashes() {
    let e = env("return", &[]).await;
    for bad in [
        "%2F.%2F%2Findex.html",
        "%2F%5Cattacker.example",
        "%2F%09%2Fattacker.example",
    ] {
        let (s, h, _) = e.login_post(&format!("user=bob&return={bad}")).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let loc = h[header::LOCATION].to_str().unwrap();
        assert!(loc.starts_with("/#jwt="), "{bad}: {loc}");
    }
    let (_, _, b) = send(
        e.publisher(),
        "GET",
        "/login?return=%2F.%2F%2Findex.html",
        &[("host", PUBLISHER_HOST)],
        Body::empty(),
    )
    .await;
    let html = String::from_utf8_lossy(&b);
    assert!(html.contains("name=return value=\"/\""), "{html}");
}

#[tokio::test]
async fn login_carries_the_nonce_into_every_profile_token() {
    let e = env("nonce", common::ALL_PROFILES).await;
    let (s, h, b) = send(
        e.publisher(),
        "GET",
        &format!("/login?return=/options.html&nonce={NONCE}"),
        &[("host", PUBLISHER_HOST)],
        Body::empty(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(String::from_utf8_lossy(&b).contains(&format!("name=nonce value=\"{NONCE}\"")));
    assert_eq!(
        h[header::REFERRER_POLICY],
        "same-origin",
        "the form post carries Origin"
    );
    for user in ["bob", "carol", "tess", "spoke-admin"] {
        let (s, h, _) = e
            .login_post(&format!("user={user}&return=%2Foptions.html&nonce={NONCE}"))
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{user}");
        let loc = h[header::LOCATION].to_str().unwrap();
        let token = loc.strip_prefix("/options.html#jwt=").unwrap();
        assert_eq!(jwt_payload(token)["nonce"], NONCE, "{user}");
        // The verifier ignores the claim: the token still signs in.
        let (s, v) = e.session(token).await;
        assert_eq!(s, StatusCode::OK, "{user}: {v}");
    }
    // Without a nonce (an empty hidden field) the token has none.
    let (_, h, _) = e.login_post("user=bob&nonce=").await;
    let loc = h[header::LOCATION].to_str().unwrap();
    assert!(jwt_payload(loc.trim_start_matches("/#jwt="))
        .get("nonce")
        .is_none());
}

#[tokio::test]
async fn dev_token_takes_a_nonce_and_refuses_bad_ones() {
    let e = env("devnonce", &[]).await;
    let (s, v) = e.mint(json!({"user": "alice", "nonce": NONCE})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["claims"]["nonce"], NONCE);
    assert_eq!(jwt_payload(v["token"].as_str().unwrap())["nonce"], NONCE);
    let (_, v) = e
        .mint(json!({"claims": {"user": {"id": "x"}}, "nonce": NONCE}))
        .await;
    assert_eq!(v["claims"]["nonce"], NONCE, "verbatim claims get it too");
    let (_, v) = e.mint(json!({"user": "bob"})).await;
    assert!(v["claims"].get("nonce").is_none());
    let short = "a".repeat(21);
    let long = "a".repeat(65);
    for bad in [
        json!(short),
        json!(long),
        json!("abcdefghijklmnopqrstuv+/"),
        json!("abcdefghijklmnopqrstuv=="),
        json!("abcdefghijk<script>nopqrstuv"),
        json!("abcdefghijklmnopqrstuvé"),
        json!(12345),
    ] {
        let (s, v) = e.mint(json!({"user": "bob", "nonce": bad})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}");
        let want = if bad.is_string() {
            "NONCE_INVALID"
        } else {
            "INVALID_JSON"
        };
        assert_eq!(v["code"], want, "{bad}");
    }
    // The login page and its form refuse them too.
    let (s, _, b) = send(
        e.publisher(),
        "GET",
        "/login?nonce=short",
        &[("host", PUBLISHER_HOST)],
        Body::empty(),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(json_of(&b)["code"], "NONCE_INVALID");
    let (s, _, b) = e.login_post("user=bob&nonce=%22%3E%3Cscript%3E").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(json_of(&b)["code"], "NONCE_INVALID");
}
