//! User model rules (create, iat update rule, absent claims, DUPLICATE_USER),
//! comments, revocation and migrations.

mod common;

use common::{database, store};
use stream_server::auth::{AuthError, Identity, Organization, Profile, Verified};
use stream_server::store::{Store, StoreError, StoryKey, User};

fn coral(id: &str, email: &str, name: &str, iat: Option<i64>) -> Verified {
    Verified {
        profile: Profile::Coral,
        identity: Identity {
            external_id: id.into(),
            email: Some(email.into()),
            username: Some(name.into()),
            ..Identity::default()
        },
        jti: None,
        iat,
        exp: None,
    }
}

fn dup(r: Result<User, StoreError>) -> bool {
    matches!(r, Err(StoreError::Auth(AuthError::DuplicateUser)))
}

#[tokio::test]
async fn first_token_creates_the_user() {
    let db = store("first_token_creates_the_user").await;
    let mut v = coral("u1", "u1@example.com", "first", Some(100));
    v.identity.badges = Some(vec!["SUBSCRIBER".into()]);
    v.identity.role = Some("MODERATOR".into());
    v.identity.url = Some("https://news.example/me".into());
    let u = db.upsert_user(&v, 1000).await.unwrap();
    assert_eq!(u.username, "first");
    assert_eq!(u.badges, vec!["SUBSCRIBER"]);
    assert_eq!(u.role.as_deref(), Some("MODERATOR"));
    assert_eq!(u.url.as_deref(), Some("https://news.example/me"));
    assert_eq!(u.last_iat, Some(100));
    assert_eq!(db.find_user("coral", "u1").await.unwrap().unwrap(), u);
}

#[tokio::test]
async fn update_only_when_iat_is_newer() {
    let db = store("update_only_when_iat_is_newer").await;
    db.upsert_user(&coral("u1", "u1@example.com", "v100", Some(100)), 1)
        .await
        .unwrap();
    // Older and equal iat: no update.
    let u = db
        .upsert_user(&coral("u1", "u1@example.com", "v50", Some(50)), 2)
        .await
        .unwrap();
    assert_eq!(u.username, "v100");
    let u = db
        .upsert_user(&coral("u1", "u1@example.com", "v100b", Some(100)), 3)
        .await
        .unwrap();
    assert_eq!(u.username, "v100");
    // No iat: never updates (Coral: iat is required for the update system).
    let u = db
        .upsert_user(&coral("u1", "u1@example.com", "noiat", None), 4)
        .await
        .unwrap();
    assert_eq!(u.username, "v100");
    // Newer: updates.
    let u = db
        .upsert_user(&coral("u1", "u1@example.com", "v200", Some(200)), 5)
        .await
        .unwrap();
    assert_eq!(u.username, "v200");
    assert_eq!(u.last_iat, Some(200));
    assert_eq!(
        db.find_user("coral", "u1").await.unwrap().unwrap().username,
        "v200"
    );
}

#[tokio::test]
async fn user_created_without_iat_is_updated_by_first_iat() {
    let db = store("user_created_without_iat_is_updated_by_first_iat").await;
    db.upsert_user(&coral("u1", "u1@example.com", "a", None), 1)
        .await
        .unwrap();
    let u = db
        .upsert_user(&coral("u1", "u1@example.com", "b", Some(5)), 2)
        .await
        .unwrap();
    assert_eq!(u.username, "b");
}

#[tokio::test]
async fn absent_claims_never_overwrite() {
    let db = store("absent_claims_never_overwrite").await;
    let mut v = coral("u1", "u1@example.com", "bob", Some(100));
    v.identity.badges = Some(vec!["VIP".into()]);
    v.identity.role = Some("STAFF".into());
    v.identity.url = Some("https://news.example/me".into());
    db.upsert_user(&v, 1).await.unwrap();
    // A newer token without badges/role/url keeps them.
    let u = db
        .upsert_user(&coral("u1", "u1@example.com", "bobby", Some(200)), 2)
        .await
        .unwrap();
    assert_eq!(u.username, "bobby");
    assert_eq!(u.badges, vec!["VIP"]);
    assert_eq!(u.role.as_deref(), Some("STAFF"));
    assert_eq!(u.url.as_deref(), Some("https://news.example/me"));
    // An explicit empty array is a value: it clears the badges.
    let mut v = coral("u1", "u1@example.com", "bobby", Some(300));
    v.identity.badges = Some(vec![]);
    let u = db.upsert_user(&v, 3).await.unwrap();
    assert!(u.badges.is_empty());
    assert_eq!(u.role.as_deref(), Some("STAFF"));
}

#[tokio::test]
async fn spoke_organizations_and_name_follow_the_same_rules() {
    let db = store("spoke_organizations_and_name_follow_the_same_rules").await;
    let v = Verified {
        profile: Profile::Token,
        identity: Identity {
            external_id: "admin@spoke.test".into(),
            email: Some("admin@spoke.test".into()),
            username: Some("Admin User".into()),
            organizations: Some(vec![Organization {
                organization_id: "1".into(),
                role: "OWNER".into(),
            }]),
            ..Identity::default()
        },
        jti: None,
        iat: Some(1655812965),
        exp: Some(1655816565),
    };
    let u = db.upsert_user(&v, 1).await.unwrap();
    assert_eq!(u.username, "Admin User");
    let mut v2 = v.clone();
    v2.iat = Some(1655812999);
    v2.identity.username = None;
    v2.identity.organizations = None;
    let u = db.upsert_user(&v2, 2).await.unwrap();
    assert_eq!(u.username, "Admin User");
    assert_eq!(u.organizations.unwrap()[0].role, "OWNER");
}

#[tokio::test]
async fn talk_user_without_name_is_named_after_sub() {
    let db = store("talk_user_without_name_is_named_after_sub").await;
    let v = Verified {
        profile: Profile::TalkV4,
        identity: Identity {
            external_id: "reader@news.example".into(),
            ..Identity::default()
        },
        jti: Some("j".into()),
        iat: None,
        exp: Some(10),
    };
    assert_eq!(db.upsert_user(&v, 1).await.unwrap().username, "reader");
}

#[tokio::test]
async fn duplicate_user_when_email_belongs_to_another_id() {
    let db = store("duplicate_user_when_email_belongs_to_another_id").await;
    db.upsert_user(&coral("u1", "bob@example.com", "bob", Some(1)), 1)
        .await
        .unwrap();
    assert!(dup(db
        .upsert_user(&coral("u2", "bob@example.com", "bob2", Some(1)), 2)
        .await));
    // Case-insensitive.
    assert!(dup(db
        .upsert_user(&coral("u3", "BOB@example.com", "bob3", Some(1)), 3)
        .await));
    // Nothing half-written: u2 does not exist.
    assert!(db.find_user("coral", "u2").await.unwrap().is_none());
    // Changing u1's email to another user's email is refused too.
    db.upsert_user(&coral("u4", "carol@example.com", "carol", Some(1)), 4)
        .await
        .unwrap();
    assert!(dup(db
        .upsert_user(&coral("u1", "carol@example.com", "bob", Some(9)), 5)
        .await));
    assert_eq!(
        db.find_user("coral", "u1")
            .await
            .unwrap()
            .unwrap()
            .email
            .as_deref(),
        Some("bob@example.com")
    );
    // u1 can change to a free email.
    let u = db
        .upsert_user(&coral("u1", "robert@example.com", "bob", Some(10)), 6)
        .await
        .unwrap();
    assert_eq!(u.email.as_deref(), Some("robert@example.com"));
    // And the old one is free again.
    db.upsert_user(&coral("u5", "bob@example.com", "new bob", Some(1)), 7)
        .await
        .unwrap();
}

#[tokio::test]
async fn duplicate_user_for_the_same_pair_across_profiles() {
    let db = store("duplicate_user_for_the_same_pair_across_profiles").await;
    db.upsert_user(
        &coral("admin@spoke.test", "admin@spoke.test", "admin", Some(1)),
        1,
    )
    .await
    .unwrap();
    let spoke = Verified {
        profile: Profile::Token,
        identity: Identity {
            external_id: "admin@spoke.test".into(),
            email: Some("admin@spoke.test".into()),
            username: Some("Admin User".into()),
            ..Identity::default()
        },
        jti: None,
        iat: Some(2),
        exp: Some(3),
    };
    assert!(dup(db.upsert_user(&spoke, 2).await));
    assert!(db
        .find_user("token", "admin@spoke.test")
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn comments_per_story_with_url_fallback() {
    let db = store("comments_per_story_with_url_fallback").await;
    let mut v = coral("u1", "u1@example.com", "bob", Some(1));
    v.identity.badges = Some(vec!["VIP".into()]);
    let u = db.upsert_user(&v, 1).await.unwrap();
    let s1 = StoryKey::new(Some("story-1"), Some("https://news.example/a")).unwrap();
    let s1_other_url = StoryKey::new(Some("story-1"), Some("https://news.example/b")).unwrap();
    let by_url = StoryKey::new(None, Some("https://news.example/a")).unwrap();
    let by_url_empty_id = StoryKey::new(Some(" "), Some("https://news.example/a")).unwrap();
    assert_eq!(by_url, by_url_empty_id);
    assert!(StoryKey::new(None, None).is_none());
    assert!(StoryKey::new(Some(""), Some("")).is_none());

    let c1 = db.add_comment(&u, &s1, "first", 10).await.unwrap();
    db.add_comment(&u, &s1, "second", 11).await.unwrap();
    db.add_comment(&u, &by_url, "on the url", 12).await.unwrap();
    assert_eq!(c1.author.username, "bob");
    assert_eq!(c1.author.badges, vec!["VIP"]);

    let list = db.comments(&s1_other_url, 100).await.unwrap();
    let bodies: Vec<_> = list.iter().map(|c| c.body.as_str()).collect();
    assert_eq!(
        bodies,
        ["second", "first"],
        "newest first, keyed by storyID"
    );
    assert_eq!(db.comment_count(&s1).await.unwrap(), 2);
    assert_eq!(db.comments(&by_url, 100).await.unwrap().len(), 1);
    assert_eq!(db.comments(&s1, 1).await.unwrap().len(), 1);
}

#[tokio::test]
async fn revocation_is_per_profile_and_jti() {
    let db = store("revocation_is_per_profile_and_jti").await;
    assert!(!db.is_revoked("coral", "j1").await.unwrap());
    db.revoke("coral", "j1", 100, 50).await.unwrap();
    db.revoke("coral", "j1", 100, 50).await.unwrap();
    assert!(db.is_revoked("coral", "j1").await.unwrap());
    assert!(!db.is_revoked("talk-v4", "j1").await.unwrap());
    // Expired entries are pruned on the next revoke.
    db.revoke("coral", "j2", 300, 200).await.unwrap();
    assert!(!db.is_revoked("coral", "j1").await.unwrap());
}

#[tokio::test]
async fn database_is_migrated_once_and_reopened() {
    let db = database("reopen").await;
    {
        let store = Store::open(&db).await.unwrap();
        assert_eq!(store.schema_version().await.unwrap(), 2);
        let u = store
            .upsert_user(&coral("u1", "u1@example.com", "bob", Some(1)), 1)
            .await
            .unwrap();
        let story = StoryKey::new(Some("s"), None).unwrap();
        store.add_comment(&u, &story, "kept", 1).await.unwrap();
        store.close().await;
    }
    let store = Store::open(&db).await.unwrap();
    assert_eq!(store.schema_version().await.unwrap(), 2);
    let story = StoryKey::new(Some("s"), None).unwrap();
    assert_eq!(store.comments(&story, 10).await.unwrap()[0].body, "kept");
}

/// The schema the server before versioned migrations wrote (rusqlite,
/// `PRAGMA user_version` 1; version 2 added an index, 3 the admin API).
const LEGACY_V1: &str = "CREATE TABLE users (
        id INTEGER PRIMARY KEY, profile TEXT NOT NULL, external_id TEXT NOT NULL,
        email TEXT, username TEXT NOT NULL, badges TEXT NOT NULL DEFAULT '[]',
        role TEXT, url TEXT, organizations TEXT, last_iat INTEGER,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
        UNIQUE (profile, external_id));
    CREATE UNIQUE INDEX users_email ON users (lower(email)) WHERE email IS NOT NULL;
    CREATE TABLE comments (
        id INTEGER PRIMARY KEY, story_key TEXT NOT NULL, story_id TEXT, story_url TEXT,
        user_id INTEGER NOT NULL REFERENCES users (id), body TEXT NOT NULL,
        created_at INTEGER NOT NULL);
    CREATE INDEX comments_story ON comments (story_key, id);
    CREATE TABLE revoked_tokens (
        profile TEXT NOT NULL, jti TEXT NOT NULL, expires_at INTEGER NOT NULL,
        PRIMARY KEY (profile, jti));
    INSERT INTO users (profile, external_id, email, username, last_iat, created_at, updated_at)
        VALUES ('coral', 'u1', 'u1@example.com', 'bob', 1, 1, 1);
    INSERT INTO comments (story_key, story_id, user_id, body, created_at)
        VALUES ('id:s', 's', 1, 'old', 1);
    PRAGMA user_version = 1;";

#[tokio::test]
async fn a_file_of_the_previous_server_is_adopted() {
    use sqlx::Connection as _;
    let path = common::temp_dir("legacy").join("db.sqlite3");
    {
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let mut old = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::raw_sql(LEGACY_V1).execute(&mut old).await.unwrap();
        old.close().await.unwrap();
    }
    let store = Store::open_sqlite(&path).await.unwrap();
    assert_eq!(store.schema_version().await.unwrap(), 2);
    let story = StoryKey::new(Some("s"), None).unwrap();
    assert_eq!(store.comments(&story, 10).await.unwrap()[0].body, "old");
    let u = store.find_user("coral", "u1").await.unwrap().unwrap();
    store.add_comment(&u, &story, "new", 2).await.unwrap();
    assert_eq!(store.comment_count(&story).await.unwrap(), 2);
    // What version 3 added works: deleting an account, access tokens.
    assert!(store.delete_user(u.id, 3).await.unwrap());
    assert_eq!(store.comment_count(&story).await.unwrap(), 0);
    let op = store.ensure_operator(4).await.unwrap();
    store
        .create_token(op.row_id, "t", "digest", 4)
        .await
        .unwrap();
    store.close().await;
    // Reopening changes nothing further.
    let again = Store::open_sqlite(&path).await.unwrap();
    assert_eq!(again.active_tokens().await.unwrap().len(), 1);
}
