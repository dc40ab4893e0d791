//! The admin API tests' server: a real loopback listener with a file
//! database (which `stream-server token` opens too), an HTTP client, SSO
//! tokens, and the list of every operation.
#![allow(dead_code)]

#[path = "../common/mod.rs"]
mod common;

use common::cfg_with;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use stream_server::db::Db;
use stream_server::dev::sign;
use stream_server::http::{stream_router, AppState};

pub use stream_server::auth::now;

pub const SECRET: &str = "admin-api-test-secret-0123456789abcdef";
pub const BOB: &str = "628bdc61-6616-4add-bfec-dd79156715d4";

pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
    pub state: Arc<AppState>,
    pub db_path: std::path::PathBuf,
}

/// A server on a loopback port with a file database (the CLI opens it too).
pub async fn start(name: &str) -> Api {
    // reqwest's rustls backend needs a crypto provider (the server installs
    // one only when TALK_TOKEN_USER_URL is set).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let dir = common::temp_dir(name);
    let db_path = dir.join("db.sqlite3");
    let cfg = cfg_with(
        &[
            ("CORAL_SSO_SECRET", SECRET),
            ("STREAM_PUBLIC_ORIGIN", &base),
        ],
        &[],
    )
    .unwrap();
    // The admin API's SQLite handle first (its migrations), then the store
    // on the same file (see stream_server::db).
    let admin_db = Db::open(&db_path).unwrap();
    let state = Arc::new(AppState {
        cfg,
        store: stream_server::store::Store::open_sqlite(&db_path)
            .await
            .unwrap(),
        admin_db: Some(Mutex::new(admin_db)),
    });
    let app = stream_router(state.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Api {
        base,
        http: reqwest::Client::new(),
        state,
        db_path,
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

    /// Everything a refused call must leave untouched.
    pub fn snapshot(&self) -> Vec<String> {
        let db = self.state.admin_db().unwrap();
        let mut out = Vec::new();
        for sql in [
            "SELECT group_concat(username || '|' || coalesce(email, '') || '|' || coalesce(deleted_at, ''), ';') FROM users",
            "SELECT group_concat(body, ';') FROM comments",
            "SELECT count(*) || '/' || count(deactivated_at) FROM access_tokens",
            "SELECT CAST(count(*) AS TEXT) FROM download_links",
        ] {
            out.push(db.conn().query_row(sql, [], |r| r.get::<_, Option<String>>(0)).unwrap().unwrap_or_default());
        }
        out
    }

    /// `stream-server token create --name NAME` against this database.
    pub fn cli_token(&self, name: &str) -> String {
        let path = self.db_path.to_str().unwrap().to_string();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let args = ["create".to_string(), "--name".into(), name.into()];
        let code = stream_server::admin::cli::run(
            &args,
            &|k| (k == "DATABASE_PATH").then(|| path.clone()),
            &mut out,
            &mut err,
        );
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
        let out = String::from_utf8(out).unwrap();
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
