//! The per-process cache of `GET /api/comments` pages (store::listing):
//! several stores (as several server processes) on one database, on the
//! engine the suite runs on. Every write that changes a listing, through
//! any of them or in plain SQL, is seen by the next read of every other;
//! and while nothing changed, a page comes from memory.

mod common;

use common::{database, raw_execute};
use stream_server::auth::{Identity, Profile, Verified};
use stream_server::store::{Store, StoryKey, StoryPage, User};

const PAGE: u32 = 200;

fn token(id: &str, name: &str, badges: &[&str], iat: i64) -> Verified {
    Verified {
        profile: Profile::Coral,
        identity: Identity {
            external_id: id.into(),
            username: Some(name.into()),
            badges: Some(badges.iter().map(|b| b.to_string()).collect()),
            ..Identity::default()
        },
        jti: None,
        iat: Some(iat),
        exp: None,
    }
}

fn comments(page: &StoryPage) -> serde_json::Value {
    serde_json::from_str(&page.comments).unwrap()
}

async fn two_stores(name: &str) -> (stream_server::config::Database, Store, Store) {
    let db = database(name).await;
    let a = Store::open(&db).await.unwrap();
    let b = Store::open(&db).await.unwrap();
    (db, a, b)
}

async fn post(store: &Store, user: &User, story: &StoryKey, body: &str) {
    store.add_comment(user, story, body, 1_000).await.unwrap();
}

#[tokio::test]
async fn every_write_through_one_store_is_in_the_next_listing_of_another() {
    let (_db, a, b) = two_stores("listing_cache_writes").await;
    let story = StoryKey::new(Some("cached"), None).unwrap();
    let other = StoryKey::new(Some("other"), None).unwrap();
    let ann = a
        .upsert_user(&token("ann", "ann", &[], 10), 10)
        .await
        .unwrap();
    post(&a, &ann, &story, "one").await;

    // B reads (and caches) the page; the same page again while nothing changed.
    let first = b.story_page_json(&story, PAGE).await.unwrap();
    assert_eq!((first.count, b.cached_pages()), (1, 1));
    assert_eq!(b.story_page_json(&story, PAGE).await.unwrap(), first);

    // A new comment through A.
    post(&a, &ann, &story, "two").await;
    let p = b.story_page_json(&story, PAGE).await.unwrap();
    assert_eq!(p.count, 2);
    assert_eq!(comments(&p)[0]["body"], "two");

    // A comment on another story leaves this page as it is (and cached).
    post(&a, &ann, &other, "elsewhere").await;
    assert_eq!(b.story_page_json(&story, PAGE).await.unwrap(), p);

    // A username and badges change by a newer token through A.
    a.upsert_user(&token("ann", "annie", &["staff"], 20), 20)
        .await
        .unwrap();
    let p = b.story_page_json(&story, PAGE).await.unwrap();
    assert_eq!(comments(&p)[1]["author"]["username"], "annie");
    assert_eq!(comments(&p)[1]["author"]["badges"][0], "staff");

    // An admin rename (the admin API's store call) through A.
    assert!(a.set_username(ann.id, "Ann Admin", 30).await.unwrap());
    let p = b.story_page_json(&story, PAGE).await.unwrap();
    assert_eq!(comments(&p)[0]["author"]["username"], "Ann Admin");

    // The account deleted through A: its comments leave the listing.
    assert!(a.delete_user(ann.id, 40).await.unwrap());
    let p = b.story_page_json(&story, PAGE).await.unwrap();
    assert_eq!((p.count, comments(&p)), (0, serde_json::json!([])));
}

#[tokio::test]
async fn plain_sql_writes_are_seen_too_and_unchanged_pages_come_from_memory() {
    let (db, a, b) = two_stores("listing_cache_sql").await;
    let story = StoryKey::new(Some("sql"), None).unwrap();
    let bob = a
        .upsert_user(&token("bob", "bob", &[], 10), 10)
        .await
        .unwrap();
    post(&a, &bob, &story, "original").await;
    let cached = b.story_page_json(&story, PAGE).await.unwrap();

    // An edit in plain SQL, behind both servers' backs: the trigger bumps
    // the story's version in the same transaction.
    raw_execute(&db, "UPDATE comments SET body = 'edited'").await;
    let p = b.story_page_json(&story, PAGE).await.unwrap();
    assert_eq!(comments(&p)[0]["body"], "edited");
    assert_ne!(p, cached);

    // With the version left alone (the triggers disabled for one write), B
    // keeps serving the page it holds: the page comes from memory, and
    // the versions alone decide whether it is still the database's.
    let (off, on) = match &db {
        stream_server::config::Database::Sqlite(_) => (
            "DROP TRIGGER comments_listing_update",
            "UPDATE listing_versions SET version = version + 1 WHERE scope = 'id:sql'",
        ),
        stream_server::config::Database::Postgres(_) => (
            "ALTER TABLE comments DISABLE TRIGGER comments_listing",
            "UPDATE listing_versions SET version = version + 1 WHERE scope = 'id:sql'",
        ),
    };
    raw_execute(&db, off).await;
    raw_execute(&db, "UPDATE comments SET body = 'unseen'").await;
    assert_eq!(b.story_page_json(&story, PAGE).await.unwrap(), p);
    raw_execute(&db, on).await;
    let p = b.story_page_json(&story, PAGE).await.unwrap();
    assert_eq!(comments(&p)[0]["body"], "unseen");
}
