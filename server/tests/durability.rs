//! Durability settings: strict by default on both engines, relaxed only when
//! the operator says so (`SQLITE_SYNCHRONOUS=normal`, PostgreSQL's
//! `synchronous_commit` in `DATABASE_URL`), and the setting in force is the
//! one the engine reports (`/api/health`, the startup line).

mod common;

use axum::body::Body;
use axum::http::StatusCode;
use common::{cfg_with, database, env, json_of, postgres_url, send};
use stream_server::config::Database;
use stream_server::store::{SqliteSync, Store};

#[test]
fn sqlite_synchronous_is_read_and_checked() {
    assert_eq!(cfg_with(&[], &[]).unwrap().sqlite_sync, SqliteSync::Full);
    let c = cfg_with(&[("SQLITE_SYNCHRONOUS", "NORMAL")], &[]).unwrap();
    assert_eq!(c.sqlite_sync, SqliteSync::Normal);
    let c = cfg_with(&[("SQLITE_SYNCHRONOUS", "full")], &[]).unwrap();
    assert_eq!(c.sqlite_sync, SqliteSync::Full);

    let err = cfg_with(&[("SQLITE_SYNCHRONOUS", "off")], &[]).unwrap_err();
    assert!(err.starts_with("SQLITE_SYNCHRONOUS=`off`"), "{err}");
    // On PostgreSQL the variable would do nothing: refused, not ignored.
    let err = cfg_with(
        &[
            ("SQLITE_SYNCHRONOUS", "normal"),
            ("DATABASE_URL", "postgres://u@db.example/stream"),
        ],
        &[],
    )
    .unwrap_err();
    assert!(err.contains("synchronous_commit"), "{err}");
}

#[tokio::test]
async fn the_default_is_strict_on_the_engine_under_test() {
    let store = Store::open(&database("durability_default").await)
        .await
        .unwrap();
    let want = match postgres_url() {
        Some(_) => "synchronous_commit=on",
        None => "synchronous=FULL",
    };
    assert_eq!(store.durability().await.unwrap(), want);
}

#[tokio::test]
async fn the_relaxed_setting_reaches_the_engine() {
    let db = database("durability_relaxed").await;
    let (store, want) = match &db {
        Database::Sqlite(_) => (
            Store::open_with(&db, SqliteSync::Normal).await.unwrap(),
            "synchronous=NORMAL",
        ),
        Database::Postgres(url) => {
            let relaxed = format!("{url}?options=-c%20synchronous_commit%3Doff");
            (
                Store::open(&Database::Postgres(relaxed)).await.unwrap(),
                "synchronous_commit=off",
            )
        }
    };
    // Every pooled connection, not just the first: hold several at once.
    let reads = futures_util::future::join_all((0..4).map(|_| store.durability())).await;
    for r in reads {
        assert_eq!(r.unwrap(), want);
    }
}

#[tokio::test]
async fn health_reports_the_setting_in_force() {
    let e = env("durability_health", &[]).await;
    let (s, _, b) = send(e.stream(), "GET", "/api/health", &[], Body::empty()).await;
    assert_eq!(s, StatusCode::OK);
    let want = match postgres_url() {
        Some(_) => "synchronous_commit=on",
        None => "synchronous=FULL",
    };
    assert_eq!(json_of(&b)["durability"], want);
}
