//! User model rules (create, iat update rule, absent claims, DUPLICATE_USER),
//! comments, revocation and migrations.

use stream_server::auth::{AuthError, Identity, Organization, Profile, Verified};
use stream_server::db::{Db, DbError, StoryKey};

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

fn dup(r: Result<stream_server::db::User, DbError>) -> bool {
    matches!(r, Err(DbError::Auth(AuthError::DuplicateUser)))
}

#[test]
fn first_token_creates_the_user() {
    let db = Db::open_in_memory().unwrap();
    let mut v = coral("u1", "u1@example.com", "first", Some(100));
    v.identity.badges = Some(vec!["SUBSCRIBER".into()]);
    v.identity.role = Some("MODERATOR".into());
    v.identity.url = Some("https://news.example/me".into());
    let u = db.upsert_user(&v, 1000).unwrap();
    assert_eq!(u.username, "first");
    assert_eq!(u.badges, vec!["SUBSCRIBER"]);
    assert_eq!(u.role.as_deref(), Some("MODERATOR"));
    assert_eq!(u.url.as_deref(), Some("https://news.example/me"));
    assert_eq!(u.last_iat, Some(100));
    assert_eq!(db.find_user("coral", "u1").unwrap().unwrap(), u);
}

#[test]
fn update_only_when_iat_is_newer() {
    let db = Db::open_in_memory().unwrap();
    db.upsert_user(&coral("u1", "u1@example.com", "v100", Some(100)), 1)
        .unwrap();
    // Older and equal iat: no update.
    let u = db
        .upsert_user(&coral("u1", "u1@example.com", "v50", Some(50)), 2)
        .unwrap();
    assert_eq!(u.username, "v100");
    let u = db
        .upsert_user(&coral("u1", "u1@example.com", "v100b", Some(100)), 3)
        .unwrap();
    assert_eq!(u.username, "v100");
    // No iat: never updates (Coral: iat is required for the update system).
    let u = db
        .upsert_user(&coral("u1", "u1@example.com", "noiat", None), 4)
        .unwrap();
    assert_eq!(u.username, "v100");
    // Newer: updates.
    let u = db
        .upsert_user(&coral("u1", "u1@example.com", "v200", Some(200)), 5)
        .unwrap();
    assert_eq!(u.username, "v200");
    assert_eq!(u.last_iat, Some(200));
    assert_eq!(
        db.find_user("coral", "u1").unwrap().unwrap().username,
        "v200"
    );
}

#[test]
fn user_created_without_iat_is_updated_by_first_iat() {
    let db = Db::open_in_memory().unwrap();
    db.upsert_user(&coral("u1", "u1@example.com", "a", None), 1)
        .unwrap();
    let u = db
        .upsert_user(&coral("u1", "u1@example.com", "b", Some(5)), 2)
        .unwrap();
    assert_eq!(u.username, "b");
}

#[test]
fn absent_claims_never_overwrite() {
    let db = Db::open_in_memory().unwrap();
    let mut v = coral("u1", "u1@example.com", "bob", Some(100));
    v.identity.badges = Some(vec!["VIP".into()]);
    v.identity.role = Some("STAFF".into());
    v.identity.url = Some("https://news.example/me".into());
    db.upsert_user(&v, 1).unwrap();
    // A newer token without badges/role/url keeps them.
    let u = db
        .upsert_user(&coral("u1", "u1@example.com", "bobby", Some(200)), 2)
        .unwrap();
    assert_eq!(u.username, "bobby");
    assert_eq!(u.badges, vec!["VIP"]);
    assert_eq!(u.role.as_deref(), Some("STAFF"));
    assert_eq!(u.url.as_deref(), Some("https://news.example/me"));
    // An explicit empty array is a value: it clears the badges.
    let mut v = coral("u1", "u1@example.com", "bobby", Some(300));
    v.identity.badges = Some(vec![]);
    let u = db.upsert_user(&v, 3).unwrap();
    assert!(u.badges.is_empty());
    assert_eq!(u.role.as_deref(), Some("STAFF"));
}

#[test]
fn spoke_organizations_and_name_follow_the_same_rules() {
    let db = Db::open_in_memory().unwrap();
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
    let u = db.upsert_user(&v, 1).unwrap();
    assert_eq!(u.username, "Admin User");
    let mut v2 = v.clone();
    v2.iat = Some(1655812999);
    v2.identity.username = None;
    v2.identity.organizations = None;
    let u = db.upsert_user(&v2, 2).unwrap();
    assert_eq!(u.username, "Admin User");
    assert_eq!(u.organizations.unwrap()[0].role, "OWNER");
}

#[test]
fn talk_user_without_name_is_named_after_sub() {
    let db = Db::open_in_memory().unwrap();
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
    assert_eq!(db.upsert_user(&v, 1).unwrap().username, "reader");
}

#[test]
fn duplicate_user_when_email_belongs_to_another_id() {
    let db = Db::open_in_memory().unwrap();
    db.upsert_user(&coral("u1", "bob@example.com", "bob", Some(1)), 1)
        .unwrap();
    assert!(dup(db.upsert_user(
        &coral("u2", "bob@example.com", "bob2", Some(1)),
        2
    )));
    // Case-insensitive.
    assert!(dup(db.upsert_user(
        &coral("u3", "BOB@example.com", "bob3", Some(1)),
        3
    )));
    // Nothing half-written: u2 does not exist.
    assert!(db.find_user("coral", "u2").unwrap().is_none());
    // Changing u1's email to another user's email is refused too.
    db.upsert_user(&coral("u4", "carol@example.com", "carol", Some(1)), 4)
        .unwrap();
    assert!(dup(db.upsert_user(
        &coral("u1", "carol@example.com", "bob", Some(9)),
        5
    )));
    assert_eq!(
        db.find_user("coral", "u1")
            .unwrap()
            .unwrap()
            .email
            .as_deref(),
        Some("bob@example.com")
    );
    // u1 can change to a free email.
    let u = db
        .upsert_user(&coral("u1", "robert@example.com", "bob", Some(10)), 6)
        .unwrap();
    assert_eq!(u.email.as_deref(), Some("robert@example.com"));
    // And the old one is free again.
    db.upsert_user(&coral("u5", "bob@example.com", "new bob", Some(1)), 7)
        .unwrap();
}

#[test]
fn duplicate_user_for_the_same_pair_across_profiles() {
    let db = Db::open_in_memory().unwrap();
    db.upsert_user(
        &coral("admin@spoke.test", "admin@spoke.test", "admin", Some(1)),
        1,
    )
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
    assert!(dup(db.upsert_user(&spoke, 2)));
    assert!(db.find_user("token", "admin@spoke.test").unwrap().is_none());
}

#[test]
fn comments_per_story_with_url_fallback() {
    let db = Db::open_in_memory().unwrap();
    let mut v = coral("u1", "u1@example.com", "bob", Some(1));
    v.identity.badges = Some(vec!["VIP".into()]);
    let u = db.upsert_user(&v, 1).unwrap();
    let s1 = StoryKey::new(Some("story-1"), Some("https://news.example/a")).unwrap();
    let s1_other_url = StoryKey::new(Some("story-1"), Some("https://news.example/b")).unwrap();
    let by_url = StoryKey::new(None, Some("https://news.example/a")).unwrap();
    let by_url_empty_id = StoryKey::new(Some(" "), Some("https://news.example/a")).unwrap();
    assert_eq!(by_url, by_url_empty_id);
    assert!(StoryKey::new(None, None).is_none());
    assert!(StoryKey::new(Some(""), Some("")).is_none());

    let c1 = db.add_comment(u.id, &s1, "first", 10).unwrap();
    db.add_comment(u.id, &s1, "second", 11).unwrap();
    db.add_comment(u.id, &by_url, "on the url", 12).unwrap();
    assert_eq!(c1.author.username, "bob");
    assert_eq!(c1.author.badges, vec!["VIP"]);

    let list = db.comments(&s1_other_url, 100).unwrap();
    let bodies: Vec<_> = list.iter().map(|c| c.body.as_str()).collect();
    assert_eq!(
        bodies,
        ["second", "first"],
        "newest first, keyed by storyID"
    );
    assert_eq!(db.comment_count(&s1).unwrap(), 2);
    assert_eq!(db.comments(&by_url, 100).unwrap().len(), 1);
    assert_eq!(db.comments(&s1, 1).unwrap().len(), 1);
}

#[test]
fn revocation_is_per_profile_and_jti() {
    let db = Db::open_in_memory().unwrap();
    assert!(!db.is_revoked("coral", "j1").unwrap());
    db.revoke("coral", "j1", 100, 50).unwrap();
    db.revoke("coral", "j1", 100, 50).unwrap();
    assert!(db.is_revoked("coral", "j1").unwrap());
    assert!(!db.is_revoked("talk-v4", "j1").unwrap());
    // Expired entries are pruned on the next revoke.
    db.revoke("coral", "j2", 300, 200).unwrap();
    assert!(!db.is_revoked("coral", "j1").unwrap());
}

#[test]
fn database_file_is_created_migrated_and_reopened() {
    let dir = std::env::temp_dir().join(format!("stream-server-test-{}", std::process::id()));
    let path = dir.join("nested").join("db.sqlite3");
    let _ = std::fs::remove_dir_all(&dir);
    {
        let db = Db::open(&path).unwrap();
        assert_eq!(db.schema_version(), 3);
        let u = db
            .upsert_user(&coral("u1", "u1@example.com", "bob", Some(1)), 1)
            .unwrap();
        db.add_comment(u.id, &StoryKey::new(Some("s"), None).unwrap(), "kept", 1)
            .unwrap();
    }
    let db = Db::open(&path).unwrap();
    assert_eq!(db.schema_version(), 3);
    assert_eq!(
        db.comments(&StoryKey::new(Some("s"), None).unwrap(), 10)
            .unwrap()[0]
            .body,
        "kept"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
