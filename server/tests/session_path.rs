//! `POST /api/session`'s store path: a known user whose token changes
//! nothing is answered from one read, without a write transaction; a token
//! that changes something still writes.

mod common;

use sqlx::Connection as _;
use stream_server::auth::{AuthError, Identity, Profile, Verified};
use stream_server::store::{Store, StoreError};

fn token(id: &str, name: &str, iat: i64) -> Verified {
    Verified {
        profile: Profile::Coral,
        identity: Identity {
            external_id: id.into(),
            email: Some(format!("{id}@example.com")),
            username: Some(name.into()),
            ..Identity::default()
        },
        jti: None,
        iat: Some(iat),
        exp: None,
    }
}

/// SQLite (the engine with one writer at a time): while another process
/// holds the write lock, an unchanged user still signs in at once (the old
/// path waited for the lock, then failed with "database is locked"), and a
/// token that would change the user waits for it instead.
#[tokio::test]
async fn an_unchanged_user_signs_in_while_another_process_holds_the_write_lock() {
    let path = common::temp_dir("session-lock").join("stream.sqlite3");
    let store = Store::open_sqlite(&path).await.unwrap();
    let first = store
        .upsert_user(&token("ann", "ann", 10), 10)
        .await
        .unwrap();

    let url = format!("sqlite://{}", path.display());
    let mut other = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::raw_sql("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap();
    let again = store
        .upsert_user(&token("ann", "ann", 10), 11)
        .await
        .unwrap();
    assert_eq!(again, first);
    // An older token changes nothing either.
    let older = store
        .upsert_user(&token("ann", "old", 5), 12)
        .await
        .unwrap();
    assert_eq!(older.username, "ann");
    // A newer token writes: it waits for the lock, then lands.
    let newer = {
        let store = store.clone();
        tokio::spawn(async move { store.upsert_user(&token("ann", "annie", 20), 20).await })
    };
    tokio::task::yield_now().await;
    sqlx::raw_sql("COMMIT").execute(&mut other).await.unwrap();
    assert_eq!(newer.await.unwrap().unwrap().username, "annie");
    let stored = store.find_user("coral", "ann").await.unwrap().unwrap();
    assert_eq!(
        (stored.username.as_str(), stored.last_iat),
        ("annie", Some(20))
    );
}

/// Either engine: the read-only path refuses what the write path refuses.
#[tokio::test]
async fn the_read_path_keeps_the_refusals() {
    let store = common::store("session_path_refusals").await;
    let ann = store
        .upsert_user(&token("ann", "ann", 10), 10)
        .await
        .unwrap();
    store
        .upsert_user(&token("bob", "bob", 10), 10)
        .await
        .unwrap();

    // Bob's unchanged token naming Ann's email: DUPLICATE_USER, not Bob.
    let mut stolen = token("bob", "bob", 10);
    stolen.identity.email = Some("ANN@example.com".into());
    let e = store.upsert_user(&stolen, 11).await.unwrap_err();
    assert!(
        matches!(e, StoreError::Auth(AuthError::DuplicateUser)),
        "{e}"
    );

    // A deleted account: TOKEN_USER_DELETED for its unchanged token.
    assert!(store.delete_user(ann.id, 12).await.unwrap());
    let e = store
        .upsert_user(&token("ann", "ann", 10), 13)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Auth(AuthError::UserDeleted)), "{e}");
}
