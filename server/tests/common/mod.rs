//! Helpers shared by the HTTP test files: a configured app with temporary
//! `www/` and `dist/` directories, and one way to send a request.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use sqlx::Connection as _;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use stream_server::config::{Config, Database};
use stream_server::http::{publisher_router, stream_router, AppState};
use stream_server::store::Store;
use tower::ServiceExt;

/// The `Host` a browser sends to the default publisher origin.
pub const PUBLISHER_HOST: &str = "localhost:3000";
/// The default publisher origin (an `Origin` header value).
pub const PUBLISHER_ORIGIN: &str = "http://localhost:3000";

/// Variables enabling all three token profiles.
pub const ALL_PROFILES: &[(&str, &str)] = &[
    ("CORAL_SSO_SECRET", "c-secret"),
    ("TALK_JWT_SECRET", "t-secret"),
    ("TALK_JWT_ISSUER", "https://talk.example"),
    ("PASSPORT_STRATEGY", "token"),
    ("TOKEN_AUTH_SHARED_SECRET", "s-secret"),
    ("TOKEN_AUTH_ISSUER", "thirdparty"),
    ("TOKEN_AUTH_AUDIENCE", "spoke"),
];

/// A configuration from variables and arguments.
pub fn cfg_with(vars: &[(&str, &str)], args: &[&str]) -> Result<Config, String> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    Config::from_lookup(&|k| map.get(k).cloned(), &args)
}

/// A fresh temporary directory named after the test.
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("stream-server-http-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A configured app with its state.
pub struct Env {
    /// Shared state of both routers.
    pub state: Arc<AppState>,
}

/// An app with demo `www/` and `dist/` files and a fresh database.
pub async fn env(name: &str, vars: &[(&str, &str)]) -> Env {
    let root = temp_dir(name);
    let www = root.join("www");
    let dist = root.join("dist");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::create_dir_all(dist.join("embed")).unwrap();
    std::fs::create_dir_all(dist.join("stream").join("snippets")).unwrap();
    std::fs::write(
        www.join("index.html"),
        "<script src=\"{{STREAM_ORIGIN}}/embed.js\"></script>",
    )
    .unwrap();
    std::fs::write(
        www.join("login.html"),
        "<form>{{USER_OPTIONS}}<input name=return value=\"{{RETURN}}\">\
         <input name=nonce value=\"{{NONCE}}\"></form>",
    )
    .unwrap();
    std::fs::write(www.join("app.js"), "1").unwrap();
    std::fs::write(dist.join("embed").join("embed.js"), "var Coral;").unwrap();
    std::fs::write(dist.join("embed").join("embed.mjs"), "export {}").unwrap();
    std::fs::write(dist.join("embed").join("x.wasm"), b"\0asm").unwrap();
    std::fs::write(dist.join("stream").join("stream_client.js"), "export {}").unwrap();
    std::fs::write(dist.join("stream").join("snippets").join("a.js"), "1").unwrap();
    let mut all = vec![
        ("WWW_DIR", www.to_str().unwrap().to_string()),
        ("DIST_DIR", dist.to_str().unwrap().to_string()),
    ];
    for (k, v) in vars {
        all.push((k, v.to_string()));
    }
    let refs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
    state_env(cfg_with(&refs, &[]).unwrap(), name).await
}

/// An app for a given configuration, with a fresh database.
pub async fn state_env(cfg: Config, name: &str) -> Env {
    Env {
        state: Arc::new(AppState {
            cfg,
            store: store(name).await,
        }),
    }
}

/// The engine the server suite runs against: PostgreSQL when
/// `STREAM_TEST_DATABASE_URL` names a server (scripts/test.sh starts a
/// throwaway cluster), else SQLite.
pub fn postgres_url() -> Option<String> {
    std::env::var("STREAM_TEST_DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres://") || u.starts_with("postgresql://"))
}

/// A fresh, empty database for one test: a new PostgreSQL database named
/// after the test (dropped first if a previous run left it), or a new
/// SQLite file in a temporary directory.
pub async fn database(name: &str) -> Database {
    match postgres_url() {
        Some(admin) => {
            let db = format!(
                "t_{}",
                name.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
            );
            let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {db} WITH (FORCE)"
            )))
            .execute(&mut conn)
            .await
            .unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
                .execute(&mut conn)
                .await
                .unwrap();
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            Database::Postgres(format!("{base}/{db}"))
        }
        None => Database::Sqlite(temp_dir(&format!("db-{name}")).join("stream.sqlite3")),
    }
}

/// The rows of a one-column text query, read on a connection of its own
/// (either engine): what a test checks behind the server's back.
pub async fn raw_rows(db: &Database, sql: &'static str) -> Vec<String> {
    match db {
        Database::Sqlite(path) => {
            let url = format!("sqlite://{}", path.display());
            let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
            sqlx::query_scalar::<_, String>(sql)
                .fetch_all(&mut conn)
                .await
                .unwrap()
        }
        Database::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query_scalar::<_, String>(sql)
                .fetch_all(&mut conn)
                .await
                .unwrap()
        }
    }
}

/// Runs `sql` (one or more statements) on a connection of its own, behind
/// the server's back (either engine).
pub async fn raw_execute(db: &Database, sql: &'static str) {
    match db {
        Database::Sqlite(path) => {
            let url = format!("sqlite://{}", path.display());
            let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
        }
        Database::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
        }
    }
}

/// A fresh store (see [`database`]).
pub async fn store(name: &str) -> Store {
    Store::open(&database(name).await).await.unwrap()
}

/// Sends one request through `app`: (status, headers, body).
pub async fn send(
    app: axum::Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: Body,
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = app.oneshot(req.body(body).unwrap()).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, bytes)
}

/// The body as JSON (`Null` if it is not JSON).
pub fn json_of(b: &[u8]) -> Value {
    serde_json::from_slice(b).unwrap_or(Value::Null)
}

/// The payload of a compact JWT, decoded without verification.
pub fn jwt_payload(token: &str) -> Value {
    use base64::Engine as _;
    let part = token.split('.').nth(1).unwrap_or("");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap_or_default();
    json_of(&bytes)
}

impl Env {
    /// The stream origin's router.
    pub fn stream(&self) -> axum::Router {
        stream_router(self.state.clone())
    }

    /// The publisher origin's router.
    pub fn publisher(&self) -> axum::Router {
        publisher_router(self.state.clone())
    }

    /// `POST /dev/token` as a same-origin client; the response JSON.
    pub async fn mint(&self, req: Value) -> (StatusCode, Value) {
        let (s, _, b) = send(
            self.publisher(),
            "POST",
            "/dev/token",
            &[
                ("host", PUBLISHER_HOST),
                ("content-type", "application/json"),
            ],
            Body::from(req.to_string()),
        )
        .await;
        (s, json_of(&b))
    }

    /// A token from `POST /dev/token` (which must succeed).
    pub async fn token(&self, req: Value) -> String {
        let (s, v) = self.mint(req).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        v["token"].as_str().unwrap().to_string()
    }

    /// A stream API call: `token` as the bearer token, `body` as JSON.
    pub async fn api(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: Option<String>,
    ) -> (StatusCode, Value) {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![];
        if let Some(a) = &auth {
            headers.push(("authorization", a.as_str()));
        }
        if body.is_some() {
            headers.push(("content-type", "application/json"));
        }
        let body = body.map_or_else(Body::empty, Body::from);
        let (s, _, b) = send(self.stream(), method, uri, &headers, body).await;
        (s, json_of(&b))
    }

    /// `POST /api/session` with `token`: (status, response JSON).
    pub async fn session(&self, token: &str) -> (StatusCode, Value) {
        self.api("POST", "/api/session", Some(token), None).await
    }

    /// `POST /api/comments` of `body` (JSON) with `token`.
    pub async fn post_comment(&self, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.api("POST", "/api/comments", token, Some(body.to_string()))
            .await
    }

    /// `POST /login` as the login page's same-origin form post.
    pub async fn login_post(&self, form: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
        send(
            self.publisher(),
            "POST",
            "/login",
            &[
                ("host", PUBLISHER_HOST),
                ("origin", PUBLISHER_ORIGIN),
                ("sec-fetch-site", "same-origin"),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            Body::from(form.to_string()),
        )
        .await
    }
}
