//! The admin API's queries against the suite's engine (SQLite, or
//! PostgreSQL with `STREAM_TEST_DATABASE_URL`): the admin-change/SSO rule,
//! duplicate emails, deletion, tokens, download links, listing and id
//! resolution.

mod common;

use stream_server::admin::error::AdminError;
use stream_server::admin::pat;
use stream_server::admin::store::{self, AdminUser, LinkError, PatLookup, DOWNLOAD_TTL};
use stream_server::auth::{AuthError, Identity, Profile, Verified};
use stream_server::store::{Store, StoreError, StoryKey};

fn token(
    profile: Profile,
    id: &str,
    name: &str,
    email: Option<&str>,
    iat: Option<i64>,
) -> Verified {
    Verified {
        profile,
        identity: Identity {
            external_id: id.into(),
            email: email.map(str::to_string),
            username: Some(name.into()),
            role: Some("COMMENTER".into()),
            ..Identity::default()
        },
        jti: None,
        iat,
        exp: None,
    }
}

async fn user(db: &Store, id: &str) -> AdminUser {
    store::resolve(db, id, "id").await.unwrap()
}

fn dup(r: Result<bool, StoreError>) -> bool {
    matches!(r, Err(StoreError::Auth(AuthError::DuplicateUser)))
}

/// Upserts a user from a token (which must succeed).
async fn upsert(db: &Store, v: &Verified, now: i64) -> stream_server::store::User {
    db.upsert_user(v, now).await.unwrap()
}

#[tokio::test]
async fn an_admin_change_is_not_undone_by_a_token_issued_before_it() {
    let db = common::store("admin-rule").await;
    let bob = token(Profile::Coral, "b1", "bob", Some("bob@x.test"), Some(1_000));
    upsert(&db, &bob, 1_000).await;
    let row = user(&db, "b1").await.row_id;
    assert!(db.set_username(row, "Robert", 2_000).await.unwrap());
    assert!(db.set_email(row, "robert@x.test", 2_000).await.unwrap());
    // The reader's session token (iat 1000) and one issued before the change.
    for iat in [1_000, 1_999, 2_000] {
        let stale = token(Profile::Coral, "b1", "bob", Some("bob@x.test"), Some(iat));
        let u = upsert(&db, &stale, 2_100).await;
        assert_eq!(u.username, "Robert", "iat {iat}");
        assert_eq!(u.email.as_deref(), Some("robert@x.test"));
    }
    // A token issued after the change carries the publisher's current data.
    let fresh = token(
        Profile::Coral,
        "b1",
        "Bobby",
        Some("bobby@x.test"),
        Some(2_001),
    );
    let u = upsert(&db, &fresh, 2_100).await;
    assert_eq!(
        (u.username.as_str(), u.email.as_deref()),
        ("Bobby", Some("bobby@x.test"))
    );
}

#[tokio::test]
async fn emails_stay_unique_across_profiles_case_insensitively() {
    let db = common::store("admin-emails").await;
    let ann = token(Profile::Coral, "a", "ann", Some("Ann@X.test"), Some(1));
    upsert(&db, &ann, 1).await;
    let tim = token(Profile::TalkV4, "t", "tim", Some("tim@x.test"), Some(1));
    upsert(&db, &tim, 1).await;
    let tim = user(&db, "t").await.row_id;
    assert!(dup(db.set_email(tim, "ann@x.TEST", 5).await));
    assert_eq!(
        user(&db, "t").await.email.as_deref(),
        Some("tim@x.test"),
        "nothing changed"
    );
    assert!(db.set_email(tim, "TIM@x.test", 5).await.unwrap());
    assert_eq!(user(&db, "t").await.email.as_deref(), Some("TIM@x.test"));
}

#[tokio::test]
async fn deleting_hides_comments_refuses_tokens_and_deactivates_credentials() {
    let db = common::store("admin-delete").await;
    let v = token(Profile::Coral, "d1", "dora", Some("dora@x.test"), Some(10));
    let dora = upsert(&db, &v, 10).await;
    let other = upsert(
        &db,
        &token(Profile::Coral, "o1", "otto", None, Some(10)),
        10,
    )
    .await;
    let story = StoryKey::new(Some("s1"), Some("https://news.test/a")).unwrap();
    db.add_comment(&dora, &story, "mine", 11).await.unwrap();
    db.add_comment(&other, &story, "theirs", 12).await.unwrap();
    let pat = pat::generate().unwrap();
    db.create_token(dora.id, "job", &pat.digest, 13)
        .await
        .unwrap();
    let link = pat::generate_with(pat::DOWNLOAD_PREFIX).unwrap();
    db.create_download(dora.id, &link.digest, 13).await.unwrap();

    assert!(db.delete_user(dora.id, 20).await.unwrap());
    assert!(!db.delete_user(dora.id, 21).await.unwrap(), "once");

    let listed = db.comments(&story, 200).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].body, "theirs");
    assert_eq!(db.comment_count(&story).await.unwrap(), 1);
    assert!(
        db.export_page(dora.id, i64::MAX, 0, 10)
            .await
            .unwrap()
            .is_empty(),
        "the comments are gone"
    );
    let tomb = user(&db, "d1").await;
    assert_eq!((tomb.deleted_at, tomb.email), (Some(20), None));
    for iat in [Some(10), Some(30), None] {
        let again = token(Profile::Coral, "d1", "dora", Some("dora@x.test"), iat);
        assert!(matches!(
            db.upsert_user(&again, 40).await,
            Err(StoreError::Auth(AuthError::UserDeleted))
        ));
    }
    assert!(!db.set_username(dora.id, "zombie", 41).await.unwrap());
    assert!(!db.set_email(dora.id, "z@x.test", 41).await.unwrap());
    assert_eq!(user(&db, "d1").await.username, "dora", "a tombstone stays");
    assert_eq!(
        db.find_pat(&pat.digest).await.unwrap(),
        PatLookup::Deactivated
    );
    assert_eq!(
        db.redeem_download(&link.digest, 21).await.unwrap(),
        Err(LinkError::Unknown)
    );
}

#[tokio::test]
async fn personal_access_tokens_are_stored_as_digests_and_deactivate() {
    let db = common::store("admin-pats").await;
    let op = db.ensure_operator(1).await.unwrap();
    assert_eq!(db.ensure_operator(2).await.unwrap(), op, "created once");
    assert!(op.is_admin());
    let t = pat::generate().unwrap();
    let row = db
        .create_token(op.row_id, "sync", &t.digest, 3)
        .await
        .unwrap();
    assert_eq!(
        db.active_tokens().await.unwrap(),
        vec![(row.clone(), "local:stream-admin".to_string())]
    );
    assert_ne!(t.digest, t.secret);
    assert!(!t.digest.contains(&t.secret[pat::PREFIX.len()..]));
    match db.find_pat(&pat::digest(&t.secret)).await.unwrap() {
        PatLookup::Active(found, owner) => {
            assert_eq!((found, owner.row_id), (row.clone(), op.row_id))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        db.find_pat(&t.secret).await.unwrap(),
        PatLookup::Unknown,
        "the secret itself is not stored"
    );
    let someone = upsert(&db, &token(Profile::Coral, "s", "sam", None, Some(1)), 1).await;
    assert_eq!(
        db.deactivate_token(someone.id, &row.id, 4).await.unwrap(),
        None
    );
    assert_eq!(db.tokens_of(op.row_id).await.unwrap(), vec![row.clone()]);
    assert_eq!(
        db.deactivate_token(op.row_id, &row.id, 4).await.unwrap(),
        Some(row.clone())
    );
    assert_eq!(
        db.find_pat(&t.digest).await.unwrap(),
        PatLookup::Deactivated
    );
    assert!(db.tokens_of(op.row_id).await.unwrap().is_empty());
    assert!(
        !db.revoke_token(&row.id, 5).await.unwrap(),
        "already inactive"
    );
}

#[tokio::test]
async fn download_links_open_once_and_expire() {
    let db = common::store("admin-links").await;
    let u = upsert(&db, &token(Profile::Coral, "u", "uma", None, Some(1)), 1).await;
    let a = pat::generate_with(pat::DOWNLOAD_PREFIX).unwrap();
    let b = pat::generate_with(pat::DOWNLOAD_PREFIX).unwrap();
    db.create_download(u.id, &a.digest, 100).await.unwrap();
    db.create_download(u.id, &b.digest, 100).await.unwrap();
    let (who, at) = db.redeem_download(&a.digest, 101).await.unwrap().unwrap();
    assert_eq!((who.row_id, at), (u.id, 100));
    assert_eq!(
        db.redeem_download(&a.digest, 102).await.unwrap(),
        Err(LinkError::Used)
    );
    assert_eq!(
        db.redeem_download(&b.digest, 100 + DOWNLOAD_TTL)
            .await
            .unwrap(),
        Err(LinkError::Expired)
    );
    assert_eq!(
        db.redeem_download(&pat::digest("stdl_nope"), 101)
            .await
            .unwrap(),
        Err(LinkError::Unknown)
    );
}

#[tokio::test]
async fn users_page_newest_first_and_filter() {
    let db = common::store("admin-page").await;
    for (i, name) in ["amy", "ben", "cat_1", "dan", "eve%"].iter().enumerate() {
        let email = format!("{name}@mail{i}.test");
        let v = token(
            Profile::Coral,
            &format!("id{i}"),
            name,
            Some(&email),
            Some(1),
        );
        upsert(&db, &v, 1).await;
    }
    let names = |v: &[AdminUser]| v.iter().map(|u| u.username.clone()).collect::<Vec<_>>();
    let (p1, more) = db.admin_users_page(2, None, None).await.unwrap();
    assert_eq!(
        (names(&p1), more),
        (vec!["eve%".to_string(), "dan".into()], true)
    );
    let after = store::parse_cursor(&store::cursor_of(p1[1].row_id));
    let (p2, _) = db.admin_users_page(2, after, None).await.unwrap();
    assert_eq!(names(&p2), vec!["cat_1", "ben"]);
    let after = store::parse_cursor(&store::cursor_of(p2[1].row_id));
    let (p3, more) = db.admin_users_page(2, after, None).await.unwrap();
    assert_eq!((names(&p3), more), (vec!["amy".to_string()], false));
    for (query, expected) in [
        ("BEN", "ben"),
        ("mail3", "dan"),
        ("id0", "amy"),
        ("%", "eve%"),
        ("t_", "cat_1"),
    ] {
        let (found, _) = db.admin_users_page(10, None, Some(query)).await.unwrap();
        assert_eq!(names(&found), vec![expected], "query {query}");
    }
    assert_eq!(store::parse_cursor("garbage"), None);
}

#[tokio::test]
async fn ids_resolve_across_profiles_and_ambiguity_is_named() {
    let db = common::store("admin-resolve").await;
    upsert(&db, &token(Profile::Coral, "same", "c", None, Some(1)), 1).await;
    assert_eq!(user(&db, "same").await.profile, "coral");
    upsert(&db, &token(Profile::TalkV4, "same", "t", None, Some(1)), 1).await;
    assert_eq!(
        store::resolve(&db, "same", "input.userID").await,
        Err(AdminError::UserIdAmbiguous("input.userID"))
    );
    assert_eq!(user(&db, "talk-v4:same").await.username, "t");
    assert_eq!(user(&db, "coral:same").await.username, "c");
    assert_eq!(
        store::resolve(&db, "nobody", "id").await,
        Err(AdminError::UserNotFound("id"))
    );
}

#[tokio::test]
async fn export_pages_stop_at_the_request_time() {
    let db = common::store("admin-export").await;
    let u = upsert(&db, &token(Profile::Coral, "x", "xi", None, Some(1)), 1).await;
    let story = StoryKey::new(None, Some("https://news.test/b")).unwrap();
    for t in 0..5 {
        db.add_comment(&u, &story, &format!("c{t}"), 100 + t)
            .await
            .unwrap();
    }
    let first = db.export_page(u.id, 103, 0, 2).await.unwrap();
    assert_eq!(
        first.iter().map(|r| r.body.as_str()).collect::<Vec<_>>(),
        ["c0", "c1"]
    );
    let rest = db.export_page(u.id, 103, first[1].id, 10).await.unwrap();
    assert_eq!(
        rest.iter().map(|r| r.body.as_str()).collect::<Vec<_>>(),
        ["c2", "c3"]
    );
    assert_eq!(rest[0].story_url.as_deref(), Some("https://news.test/b"));
}
