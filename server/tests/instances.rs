//! Real server processes on one database (the engine the suite runs on):
//! two instances answer as one, and a SIGKILL loses no acknowledged comment.

mod common;

use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use stream_server::config::Database;
use stream_server::dev::sign;
use stream_server::store::{Store, StoryKey};

const SECRET: &str = "instances-test-secret";

/// One running `stream-server` process.
struct Instance {
    child: Child,
    stream: String,
}

impl Instance {
    /// Starts the binary on free ports with `db`; waits for its URL lines.
    fn start(db: &Database, dir: &Path) -> Instance {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_stream-server"));
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("PUBLISHER_PORT", "0")
            .env("STREAM_PORT", "0")
            .env("CORAL_SSO_SECRET", SECRET)
            .env("WWW_DIR", dir)
            .env("DIST_DIR", dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        match db {
            Database::Sqlite(p) => cmd.env("DATABASE_PATH", p),
            Database::Postgres(u) => cmd.env("DATABASE_URL", u),
        };
        let mut child = cmd.spawn().unwrap();
        let out = child.stdout.take().unwrap();
        let mut stream = None;
        for line in BufReader::new(out).lines() {
            let line = line.unwrap();
            if let Some(u) = line.strip_prefix("stream: ") {
                stream = Some(u.trim_end_matches('/').to_string());
                break;
            }
        }
        Instance {
            child,
            stream: stream.expect("the server printed its stream URL"),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.stream)
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A Coral token for user `id` named `name`, issued at `iat`.
fn token(id: &str, name: &str, iat: i64) -> String {
    let claims = json!({
        "jti": format!("{id}-{iat}"), "iat": iat, "exp": iat + 3600,
        "user": {"id": id, "email": format!("{id}@example.com"), "username": name}
    });
    sign(&claims, SECRET.as_bytes())
}

/// An HTTP client (reqwest's rustls backend needs a crypto provider).
fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = http.request(method, url).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn two_instances_on_one_database_answer_as_one() {
    let dir = common::temp_dir("two-instances");
    let db = common::database("two_instances").await;
    let (a, b) = (Instance::start(&db, &dir), Instance::start(&db, &dir));
    let http = client();
    let now = stream_server::auth::now();
    let bob = token("bob-1", "bob", now - 10);

    // A comment posted through one is listed by the other.
    let (s, _) = call(
        &http,
        reqwest::Method::POST,
        a.url("/api/comments"),
        &bob,
        Some(json!({"storyID": "shared", "body": "through A"})),
    )
    .await;
    assert_eq!(s, 201);
    let listed = listing(&http, &b, "shared").await;
    assert_eq!(listed["count"], 1);
    assert_eq!(listed["comments"][0]["body"], "through A");

    // A username change through one is seen by the other.
    let renamed = token("bob-1", "robert", now);
    let (s, v) = sign_in(&http, &a, &renamed).await;
    assert_eq!((s, v["user"]["username"].clone()), (200, json!("robert")));
    let listed = listing(&http, &b, "shared").await;
    assert_eq!(listed["comments"][0]["author"]["username"], "robert");
    // (An older token through B does not undo it: iat rule, shared state.)
    let (_, v) = sign_in(&http, &b, &bob).await;
    assert_eq!(v["user"]["username"], "robert");

    // A Sign Out through one makes the token refused by the other.
    let (s, _) = call(
        &http,
        reqwest::Method::DELETE,
        a.url("/api/session"),
        &renamed,
        None,
    )
    .await;
    assert_eq!(s, 204);
    let (s, v) = sign_in(&http, &b, &renamed).await;
    assert_eq!((s, v["code"].clone()), (401, json!("TOKEN_REVOKED")));
}

/// `POST /api/session` with `token` on `inst`.
async fn sign_in(http: &reqwest::Client, inst: &Instance, token: &str) -> (u16, Value) {
    call(
        http,
        reqwest::Method::POST,
        inst.url("/api/session"),
        token,
        None,
    )
    .await
}

/// `GET /api/comments` of `story` through `inst`.
async fn listing(http: &reqwest::Client, inst: &Instance, story: &str) -> Value {
    let url = inst.url(&format!("/api/comments?storyID={story}"));
    http.get(url).send().await.unwrap().json().await.unwrap()
}

/// Each process caches listings (store::listing): B has the page in memory
/// before each write through A, and must answer with the write at once.
#[tokio::test]
async fn a_listing_cached_by_one_instance_shows_writes_through_the_other_at_once() {
    let dir = common::temp_dir("cached-listing");
    let db = common::database("cached_listing").await;
    let (a, b) = (Instance::start(&db, &dir), Instance::start(&db, &dir));
    let http = client();
    let now = stream_server::auth::now();
    let cat = token("cat-1", "cat", now - 10);
    let post = |body: &str| {
        call(
            &http,
            reqwest::Method::POST,
            a.url("/api/comments"),
            &cat,
            Some(json!({"storyID": "cached", "body": body})),
        )
    };
    assert_eq!(post("first").await.0, 201);
    let cached = listing(&http, &b, "cached").await;
    assert_eq!(listing(&http, &b, "cached").await, cached);
    assert_eq!(cached["count"], 1);

    assert_eq!(post("second").await.0, 201);
    let seen = listing(&http, &b, "cached").await;
    assert_eq!(
        (seen["count"].clone(), seen["comments"][0]["body"].clone()),
        (json!(2), json!("second"))
    );

    let renamed = token("cat-1", "catherine", now);
    let (s, _) = sign_in(&http, &a, &renamed).await;
    assert_eq!(s, 200);
    let seen = listing(&http, &b, "cached").await;
    assert_eq!(seen["comments"][1]["author"]["username"], "catherine");
}

/// How many comments the crash test posts, and after how many `201`s the
/// server is killed.
const POSTS: usize = 1000;
const KILL_AFTER: usize = 300;
const CLIENTS: usize = 16;

#[tokio::test]
async fn a_sigkill_loses_no_acknowledged_comment() {
    let dir = common::temp_dir("crash");
    let db = common::database("crash").await;
    let mut server = Instance::start(&db, &dir);
    let url = server.url("/api/comments");
    let http = client();
    let tok = Arc::new(token(
        "crash-user",
        "crash",
        stream_server::auth::now() - 10,
    ));
    let next = Arc::new(AtomicUsize::new(0));
    let acked = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let (http, url, tok, next, acked) = (
            http.clone(),
            url.clone(),
            tok.clone(),
            next.clone(),
            acked.clone(),
        );
        clients.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= POSTS {
                    return mine;
                }
                let body = json!({"storyID": "crash", "body": format!("crash-{i}")});
                let sent = http
                    .post(&url)
                    .bearer_auth(tok.as_str())
                    .json(&body)
                    .send()
                    .await;
                if let Ok(resp) = sent {
                    if resp.status().as_u16() == 201 {
                        // Acknowledged only once the whole answer arrived.
                        if let Ok(v) = resp.json::<Value>().await {
                            mine.push(v["comment"]["body"].as_str().unwrap_or("").to_string());
                            acked.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                }
            }
        }));
    }
    while acked.load(Ordering::SeqCst) < KILL_AFTER {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    // SIGKILL: no shutdown code runs.
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let mut acknowledged = Vec::new();
    for c in clients {
        acknowledged.extend(c.await.unwrap());
    }
    assert!(acknowledged.len() >= KILL_AFTER);
    assert!(
        acknowledged.len() < POSTS,
        "the kill came mid-way ({} acknowledged)",
        acknowledged.len()
    );

    // The database opens clean (migrations, health), and holds every
    // acknowledged comment exactly once.
    let restarted = Instance::start(&db, &dir);
    let health: Value = http
        .get(restarted.url("/api/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["ok"], true);
    drop(restarted);
    let store = Store::open(&db).await.unwrap();
    let story = StoryKey::new(Some("crash"), None).unwrap();
    let stored = store.comments(&story, (POSTS * 2) as u32).await.unwrap();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for c in &stored {
        *seen.entry(c.body.clone()).or_default() += 1;
    }
    assert!(seen.values().all(|&n| n == 1), "no comment stored twice");
    for body in &acknowledged {
        assert_eq!(
            seen.get(body),
            Some(&1),
            "acknowledged {body} is stored once"
        );
    }
    if let Database::Sqlite(path) = &db {
        assert_eq!(integrity_check(path).await, "ok");
    }
}

/// SQLite's own check of the file after the crash.
async fn integrity_check(path: &Path) -> String {
    use sqlx::Connection as _;
    let url = format!("sqlite://{}", path.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap()
}
