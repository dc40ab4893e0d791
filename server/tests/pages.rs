//! Files, pages and configuration end to end in-process (no sockets).

mod common;

use axum::body::Body;
use axum::http::{header, StatusCode};
use common::{cfg_with, env, send, state_env, temp_dir};
use std::path::PathBuf;
use stream_server::config::Database;
use stream_server::http::publisher_router;

#[tokio::test]
async fn static_files_have_types_cors_and_no_cache() {
    let e = env("static", &[]).await;
    for (path, ct) in [
        ("/embed.js", "text/javascript; charset=utf-8"),
        ("/embed.mjs", "text/javascript; charset=utf-8"),
        ("/x.wasm", "application/wasm"),
        ("/stream/stream_client.js", "text/javascript; charset=utf-8"),
        ("/stream/snippets/a.js", "text/javascript; charset=utf-8"),
    ] {
        let (s, h, _) = send(e.stream(), "GET", path, &[], Body::empty()).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert_eq!(h[header::CONTENT_TYPE], ct, "{path}");
        assert_eq!(h[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*", "{path}");
        assert_eq!(h[header::CACHE_CONTROL], "no-cache", "{path}");
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
    }
    for path in [
        "/missing.js",
        "/stream/../embed/embed.js",
        "/.hidden",
        "/stream/%2e%2e/x",
    ] {
        let (s, _, _) = send(e.stream(), "GET", path, &[], Body::empty()).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
    }
    let (s, h, b) = send(e.stream(), "GET", "/static/stream.js", &[], Body::empty()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "text/javascript; charset=utf-8");
    assert!(String::from_utf8_lossy(&b).contains("/stream/stream_client.js"));
}

#[tokio::test]
async fn stream_page_headers() {
    let e = env(
        "page",
        &[(
            "ALLOWED_ORIGINS",
            "https://news.example, http://localhost:3000",
        )],
    )
    .await;
    let (s, h, b) = send(
        e.stream(),
        "GET",
        "/embed/stream?storyID=s1",
        &[],
        Body::empty(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.starts_with("frame-ancestors https://news.example http://localhost:3000;"),
        "{csp}"
    );
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"));
    assert!(csp.contains("connect-src 'self'"));
    assert_eq!(h[header::REFERRER_POLICY], "no-referrer");
    let html = String::from_utf8_lossy(&b);
    for id in [
        "sign-in",
        "auth-state",
        "username",
        "comment-body",
        "post-comment",
        "comments",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(!html.contains("<script>"), "no inline scripts");
    assert!(!html.contains("{{"), "all placeholders filled");
}

#[tokio::test]
async fn publisher_pages_substitute_origins_and_set_referrer_policy() {
    let e = env("publisher", &[]).await;
    let (s, h, b) = send(e.publisher(), "GET", "/", &[], Body::empty()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[header::REFERRER_POLICY], "no-referrer");
    assert_eq!(
        String::from_utf8_lossy(&b),
        "<script src=\"http://127.0.0.1:3001/embed.js\"></script>"
    );
    let (s, _, _) = send(e.publisher(), "GET", "/app.js", &[], Body::empty()).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, _) = send(e.publisher(), "GET", "/../etc/passwd", &[], Body::empty()).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn login_form_redirects_with_the_token_in_the_fragment() {
    let e = env("login", &[]).await;
    let (s, _, b) = send(
        e.publisher(),
        "GET",
        "/login?return=/options.html",
        &[("host", common::PUBLISHER_HOST)],
        Body::empty(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let html = String::from_utf8_lossy(&b);
    assert!(html.contains("value=\"bob\""));
    assert!(html.contains("value=\"/options.html\""));
    assert!(!html.contains("value=\"tess\""), "talk-v4 not enabled");
    let (s, h, _) = send(
        e.publisher(),
        "GET",
        "/login.html?return=/x",
        &[],
        Body::empty(),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h[header::LOCATION], "/login?return=/x");
    let (s, h, _) = e.login_post("user=alice&return=%2Foptions.html").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let loc = h[header::LOCATION].to_str().unwrap();
    assert!(loc.starts_with("/options.html#jwt=ey"), "{loc}");
    assert!(!loc.contains('?'), "never in a query string");
    // Open redirects are refused.
    for bad in [
        "https%3A%2F%2Fevil.example",
        "%2F%2Fevil.example",
        "%2Fa%23b",
    ] {
        let (_, h, _) = e.login_post(&format!("user=bob&return={bad}")).await;
        assert!(
            h[header::LOCATION].to_str().unwrap().starts_with("/#jwt="),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn production_mode_has_no_dev_routes() {
    let root = temp_dir("prod");
    let cfg = cfg_with(
        &[
            ("STREAM_ENV", "production"),
            ("CORAL_SSO_SECRET", "0123456789abcdef0123456789abcdef"),
            ("WWW_DIR", root.to_str().unwrap()),
        ],
        &[],
    )
    .unwrap();
    assert!(cfg.generated.is_empty());
    let state = state_env(cfg, "prod").await.state;
    let (s, _, _) = send(
        publisher_router(state.clone()),
        "POST",
        "/dev/token",
        &[("content-type", "application/json")],
        Body::from("{}"),
    )
    .await;
    assert_ne!(s, StatusCode::OK);
    let (s, _, _) = send(publisher_router(state), "GET", "/login", &[], Body::empty()).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[test]
fn config_defaults_and_refusals() {
    let c = cfg_with(&[], &[]).unwrap();
    assert!(!c.production);
    assert_eq!(c.publisher_port, 3000);
    assert_eq!(c.stream_port, 3001);
    assert_eq!(c.allowed_origins, vec!["http://localhost:3000"]);
    assert_eq!(
        c.database,
        Database::Sqlite(PathBuf::from("./data/stream.sqlite3"))
    );
    assert_eq!(c.generated.len(), 1);
    assert_eq!(c.generated[0].0, "CORAL_SSO_SECRET");
    assert_eq!(c.verifier.profiles.len(), 1);

    let err = |vars: &[(&str, &str)], args: &[&str]| cfg_with(vars, args).unwrap_err();
    assert!(err(&[], &["--production"]).starts_with("CORAL_SSO_SECRET"));
    assert!(err(&[("STREAM_ENV", "production")], &[]).starts_with("CORAL_SSO_SECRET"));
    assert!(err(&[("AUTH_PROFILES", "coral,facebook")], &[]).contains("facebook"));
    assert!(err(&[("PASSPORT_STRATEGY", "token")], &[]).starts_with("TOKEN_AUTH_SHARED_SECRET"));
    assert!(err(
        &[
            ("PASSPORT_STRATEGY", "token"),
            ("TOKEN_AUTH_SHARED_SECRET", "x")
        ],
        &[]
    )
    .starts_with("TOKEN_AUTH_ISSUER"));
    assert!(err(&[("PASSPORT_STRATEGY", "local")], &[]).contains("PASSPORT_STRATEGY"));
    assert!(err(&[("TALK_JWT_SECRET", "x")], &[]).starts_with("TALK_JWT_ISSUER"));
    assert!(err(&[("AUTH_PROFILES", "talk-v4")], &["--production"]).starts_with("TALK_JWT_SECRET"));
    assert!(err(&[("PUBLISHER_PORT", "http")], &[]).contains("PUBLISHER_PORT"));
    assert!(err(&[("ALLOWED_ORIGINS", "*")], &[]).contains("ALLOWED_ORIGINS"));
    assert!(err(&[("STREAM_ENV", "staging")], &[]).contains("STREAM_ENV"));
    assert!(err(&[], &["--bogus"]).contains("--bogus"));
    assert!(err(
        &[
            ("TALK_JWT_SECRET", "x"),
            ("TALK_JWT_ISSUER", "same"),
            ("PASSPORT_STRATEGY", "token"),
            ("TOKEN_AUTH_SHARED_SECRET", "y"),
            ("TOKEN_AUTH_ISSUER", "same"),
            ("TOKEN_AUTH_AUDIENCE", "z"),
        ],
        &[]
    )
    .contains("must differ"));
    // Every refusal is one line.
    assert!(!err(&[], &["--production"]).contains('\n'));

    // A configured secret is used as is; talk-v4 audience defaults to "talk".
    let c = cfg_with(
        &[
            ("TALK_JWT_SECRET", "t"),
            ("TALK_JWT_ISSUER", "i"),
            ("CORAL_SSO_SECRET", "c"),
        ],
        &[],
    )
    .unwrap();
    assert!(c.generated.is_empty());
    assert_eq!(c.verifier.profiles.len(), 2);
    assert_eq!(
        c.verifier
            .get(stream_server::auth::Profile::TalkV4)
            .unwrap()
            .audience
            .as_deref(),
        Some("talk")
    );
    // Debug output never shows a secret.
    assert!(!format!("{:?}", c.verifier).contains("\"t\""));
}

#[test]
fn database_url_picks_the_engine_and_never_prints_the_password() {
    let db = |vars: &[(&str, &str)]| cfg_with(vars, &[]).map(|c| c.database);
    let pg = "postgres://app:s3cret@db.internal:5432/stream";
    assert_eq!(
        db(&[("DATABASE_URL", pg)]).unwrap(),
        Database::Postgres(pg.into())
    );
    assert_eq!(
        db(&[("DATABASE_URL", "sqlite:/var/lib/s.db")]).unwrap(),
        Database::Sqlite(PathBuf::from("/var/lib/s.db"))
    );
    assert_eq!(
        db(&[("DATABASE_PATH", "x.db")]).unwrap(),
        Database::Sqlite(PathBuf::from("x.db"))
    );
    let shown = db(&[("DATABASE_URL", pg)]).unwrap().redacted();
    assert!(!shown.contains("s3cret"), "{shown}");
    assert!(shown.contains("db.internal:5432/stream"), "{shown}");
    assert!(!format!("{:?}", db(&[("DATABASE_URL", pg)]).unwrap()).contains("s3cret"));
    for (vars, want) in [
        (vec![("DATABASE_URL", "mysql://x/y")], "DATABASE_URL"),
        (vec![("DATABASE_URL", "postgres://")], "DATABASE_URL"),
        (vec![("DATABASE_URL", "sqlite:")], "DATABASE_URL"),
        (
            vec![("DATABASE_URL", pg), ("DATABASE_PATH", "x.db")],
            "not both",
        ),
    ] {
        let err = db(&vars).unwrap_err();
        assert!(err.contains(want), "{err}");
        assert!(!err.contains("s3cret"), "{err}");
    }
}
