//! The admin API tests' server: a real loopback listener on the suite's
//! engine (SQLite file, or PostgreSQL with `STREAM_TEST_DATABASE_URL`),
//! which `stream-server token` opens too, an HTTP client, SSO tokens, and
//! the list of every operation.
#![allow(dead_code)]

#[path = "../common/mod.rs"]
mod common;

use common::cfg_with;
use serde_json::{json, Value};
use std::sync::Arc;
use stream_server::config::Database;
use stream_server::dev::sign;
use stream_server::http::{stream_router, AppState};

pub use stream_server::auth::now;

pub const SECRET: &str = "admin-api-test-secret-0123456789abcdef";
pub const BOB: &str = "628bdc61-6616-4add-bfec-dd79156715d4";

pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
    pub state: Arc<AppState>,
    pub database: Database,
}

/// A server on a loopback port with a fresh database (the CLI opens it too).
pub async fn start(name: &str) -> Api {
    // reqwest's rustls backend needs a crypto provider (the server installs
    // one only when TALK_TOKEN_USER_URL is set).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let database = common::database(name).await;
    let cfg = cfg_with(
        &[
            ("CORAL_SSO_SECRET", SECRET),
            ("STREAM_PUBLIC_ORIGIN", &base),
        ],
        &[],
    )
    .unwrap();
    let state = Arc::new(AppState {
        cfg,
        store: stream_server::store::Store::open(&database).await.unwrap(),
    });
    let app = stream_router(state.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Api {
        base,
        http: reqwest::Client::new(),
        state,
        database,
    }
}

pub fn sso(id: &str, name: &str, email: &str, role: &str, iat: i64, exp: i64) -> String {
    sign(
        &json!({"iat": iat, "exp": exp, "jti": format!("{id}-{iat}"),
                "user": {"id": id, "username": name, "email": email, "role": role}}),
        SECRET.as_bytes(),
    )
}

impl Api {
    pub async fn gql(&self, bearer: Option<&str>, query: &str, variables: Value) -> (u16, Value) {
        let mut req = self
            .http
            .post(format!("{}/api/graphql", self.base))
            .json(&json!({"query": query, "variables": variables}));
        if let Some(b) = bearer {
            req = req.bearer_auth(b);
        }
        let resp = req.send().await.unwrap();
        (
            resp.status().as_u16(),
            resp.json().await.unwrap_or(Value::Null),
        )
    }

    pub async fn session(&self, token: &str) -> (u16, Value) {
        let resp = self
            .http
            .post(format!("{}/api/session", self.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        (
            resp.status().as_u16(),
            resp.json().await.unwrap_or(Value::Null),
        )
    }

    pub async fn comment(&self, token: &str, body: &str) {
        let resp = self
            .http
            .post(format!("{}/api/comments", self.base))
            .bearer_auth(token)
            .json(
                &json!({"storyID": "sync", "storyURL": "https://news.test/sync?x=1", "body": body}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 201);
    }

    pub async fn comments(&self) -> Value {
        let url = format!("{}/api/comments?storyID=sync", self.base);
        self.http
            .get(url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Everything a refused call must leave untouched, read behind the
    /// server's back.
    pub async fn snapshot(&self) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        for sql in [
            "SELECT username || '|' || coalesce(email, '') || '|' || coalesce(CAST(deleted_at AS TEXT), '') FROM users ORDER BY id",
            "SELECT body FROM comments ORDER BY id",
            "SELECT id || '|' || coalesce(CAST(deactivated_at AS TEXT), '') FROM access_tokens ORDER BY id",
            "SELECT digest FROM download_links ORDER BY digest",
        ] {
            out.push(common::raw_rows(&self.database, sql).await);
        }
        out
    }

    /// `stream-server token ARGS…` against this database, as an operator
    /// runs it (`DATABASE_URL` or `DATABASE_PATH`): (exit code, stdout).
    pub async fn cli(&self, args: &[&str]) -> (i32, String) {
        let (var, value) = match &self.database {
            Database::Sqlite(p) => ("DATABASE_PATH", p.to_str().unwrap().to_string()),
            Database::Postgres(u) => ("DATABASE_URL", u.clone()),
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let code = stream_server::admin::cli::run(
            &args,
            &|k| (k == var).then(|| value.clone()),
            &mut out,
            &mut err,
        )
        .await;
        assert!(code != 2, "{}", String::from_utf8_lossy(&err));
        (code, String::from_utf8(out).unwrap())
    }

    /// `stream-server token create --name NAME`: the token it prints once.
    pub async fn cli_token(&self, name: &str) -> String {
        let (code, out) = self.cli(&["create", "--name", name]).await;
        assert_eq!(code, 0, "{out}");
        out.lines()
            .find_map(|l| l.strip_prefix("token: "))
            .unwrap()
            .to_string()
    }
}

pub fn code(v: &Value) -> &str {
    v["errors"][0]["extensions"]["code"].as_str().unwrap_or("")
}

/// Every operation, as (name, document, variables).
pub fn operations() -> Vec<(&'static str, &'static str, Value)> {
    let input = |extra: Value| {
        let mut i = json!({"userID": BOB, "clientMutationId": "m1"});
        i.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        json!({"input": i})
    };
    vec![
        ("user", "query($id: ID!) { user(id: $id) { id email } }", json!({"id": BOB})),
        ("users", "{ users(first: 5) { nodes { id email } } }", json!({})),
        ("updateUserUsername", "mutation($input: UpdateUserUsernameInput!) { updateUserUsername(input: $input) { user { username } } }", input(json!({"username": "Mallory"}))),
        ("updateUserEmail", "mutation($input: UpdateUserEmailInput!) { updateUserEmail(input: $input) { user { email } } }", input(json!({"email": "mallory@evil.test"}))),
        ("deleteUserAccount", "mutation($input: DeleteUserAccountInput!) { deleteUserAccount(input: $input) { clientMutationId } }", input(json!({}))),
        ("deleteUser", "mutation($input: DeleteUserAccountInput!) { deleteUser(input: $input) { clientMutationId } }", input(json!({}))),
        ("requestUserCommentsDownload", "mutation($input: RequestUserCommentsDownloadInput!) { requestUserCommentsDownload(input: $input) { archiveURL } }", input(json!({}))),
        ("createToken", "mutation { createToken(input: {name: \"x\", clientMutationId: \"c\"}) { signedToken } }", json!({})),
        ("deactivateToken", "mutation($id: ID!) { deactivateToken(input: {id: $id, clientMutationId: \"c\"}) { clientMutationId } }", json!({"id": "00000000-0000-4000-8000-000000000000"})),
    ]
}
