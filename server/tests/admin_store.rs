//! The admin API's queries against a real (in-memory) SQLite database:
//! the admin-change/SSO rule, duplicate emails, deletion, tokens, download
//! links, listing and id resolution.

use stream_server::admin::error::AdminError;
use stream_server::admin::pat;
use stream_server::admin::store::{self, AdminUser};
use stream_server::admin::tokens::{self, LinkError, PatLookup, DOWNLOAD_TTL};
use stream_server::auth::{AuthError, Identity, Profile, Verified};
use stream_server::db::{Db, DbError, StoryKey};

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

fn user(db: &Db, id: &str) -> AdminUser {
    store::resolve(db.conn(), id, "id").unwrap()
}

#[test]
fn an_admin_change_is_not_undone_by_a_token_issued_before_it() {
    let db = Db::open_in_memory().unwrap();
    let bob = token(Profile::Coral, "b1", "bob", Some("bob@x.test"), Some(1_000));
    db.upsert_user(&bob, 1_000).unwrap();
    let row = user(&db, "b1").row_id;
    store::set_username(db.conn(), row, "Robert", 2_000).unwrap();
    store::set_email(db.conn(), row, "robert@x.test", 2_000).unwrap();
    // The reader's session token (iat 1000) and one issued before the change.
    for iat in [1_000, 1_999, 2_000] {
        let stale = token(Profile::Coral, "b1", "bob", Some("bob@x.test"), Some(iat));
        let u = db.upsert_user(&stale, 2_100).unwrap();
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
    let u = db.upsert_user(&fresh, 2_100).unwrap();
    assert_eq!(
        (u.username.as_str(), u.email.as_deref()),
        ("Bobby", Some("bobby@x.test"))
    );
}

#[test]
fn emails_stay_unique_across_profiles_case_insensitively() {
    let db = Db::open_in_memory().unwrap();
    db.upsert_user(
        &token(Profile::Coral, "a", "ann", Some("Ann@X.test"), Some(1)),
        1,
    )
    .unwrap();
    db.upsert_user(
        &token(Profile::TalkV4, "t", "tim", Some("tim@x.test"), Some(1)),
        1,
    )
    .unwrap();
    let tim = user(&db, "t").row_id;
    assert_eq!(
        store::set_email(db.conn(), tim, "ann@x.TEST", 5),
        Err(AdminError::DuplicateEmail)
    );
    assert_eq!(
        user(&db, "t").email.as_deref(),
        Some("tim@x.test"),
        "nothing changed"
    );
    store::set_email(db.conn(), tim, "TIM@x.test", 5).unwrap();
    assert_eq!(user(&db, "t").email.as_deref(), Some("TIM@x.test"));
}

#[test]
fn deleting_hides_comments_refuses_tokens_and_deactivates_credentials() {
    let db = Db::open_in_memory().unwrap();
    let v = token(Profile::Coral, "d1", "dora", Some("dora@x.test"), Some(10));
    let dora = db.upsert_user(&v, 10).unwrap();
    let other = db
        .upsert_user(&token(Profile::Coral, "o1", "otto", None, Some(10)), 10)
        .unwrap();
    let story = StoryKey::new(Some("s1"), Some("https://news.test/a")).unwrap();
    db.add_comment(dora.id, &story, "mine", 11).unwrap();
    db.add_comment(other.id, &story, "theirs", 12).unwrap();
    let pat = pat::generate().unwrap();
    tokens::create_token(db.conn(), dora.id, "job", &pat, 13).unwrap();
    let link = pat::generate_with(pat::DOWNLOAD_PREFIX).unwrap();
    tokens::create_download(db.conn(), dora.id, &link.digest, 13).unwrap();

    store::delete_user(db.conn(), dora.id, 20).unwrap();

    let listed = db.comments(&story, 200).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].body, "theirs");
    assert_eq!(db.comment_count(&story).unwrap(), 1);
    let left: i64 = db
        .conn()
        .query_row(
            "SELECT count(*) FROM comments WHERE user_id = ?1",
            [dora.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "the comments are gone");
    let tomb = user(&db, "d1");
    assert_eq!((tomb.deleted_at, tomb.email), (Some(20), None));
    for iat in [Some(10), Some(30), None] {
        let again = token(Profile::Coral, "d1", "dora", Some("dora@x.test"), iat);
        assert!(matches!(
            db.upsert_user(&again, 40),
            Err(DbError::Auth(AuthError::UserDeleted))
        ));
    }
    assert_eq!(
        tokens::find_pat(db.conn(), &pat.secret).unwrap(),
        PatLookup::Deactivated
    );
    assert_eq!(
        tokens::redeem_download(db.conn(), &link.secret, 21).unwrap(),
        Err(LinkError::Unknown)
    );
}

#[test]
fn personal_access_tokens_are_stored_as_digests_and_deactivate() {
    let db = Db::open_in_memory().unwrap();
    let op = tokens::ensure_operator(db.conn(), 1).unwrap();
    assert_eq!(
        tokens::ensure_operator(db.conn(), 2).unwrap(),
        op,
        "created once"
    );
    assert!(op.is_admin());
    let t = pat::generate().unwrap();
    let row = tokens::create_token(db.conn(), op.row_id, "sync", &t, 3).unwrap();
    let stored: String = db
        .conn()
        .query_row("SELECT group_concat(digest) FROM access_tokens", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(!stored.contains(&t.secret[pat::PREFIX.len()..]));
    match tokens::find_pat(db.conn(), &t.secret).unwrap() {
        PatLookup::Active(found, owner) => {
            assert_eq!((found, owner.row_id), (row.clone(), op.row_id))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        tokens::find_pat(db.conn(), "stpat_unknown").unwrap(),
        PatLookup::Unknown
    );
    let someone = db
        .upsert_user(&token(Profile::Coral, "s", "sam", None, Some(1)), 1)
        .unwrap();
    assert_eq!(
        tokens::deactivate_token(db.conn(), someone.id, &row.id, 4).unwrap(),
        None
    );
    assert_eq!(
        tokens::tokens_of(db.conn(), op.row_id).unwrap(),
        vec![row.clone()]
    );
    assert_eq!(
        tokens::deactivate_token(db.conn(), op.row_id, &row.id, 4).unwrap(),
        Some(row.clone())
    );
    assert_eq!(
        tokens::find_pat(db.conn(), &t.secret).unwrap(),
        PatLookup::Deactivated
    );
    assert!(tokens::tokens_of(db.conn(), op.row_id).unwrap().is_empty());
    assert!(
        !tokens::revoke_any(db.conn(), &row.id, 5).unwrap(),
        "already inactive"
    );
}

#[test]
fn download_links_open_once_and_expire() {
    let db = Db::open_in_memory().unwrap();
    let u = db
        .upsert_user(&token(Profile::Coral, "u", "uma", None, Some(1)), 1)
        .unwrap();
    let a = pat::generate_with(pat::DOWNLOAD_PREFIX).unwrap();
    let b = pat::generate_with(pat::DOWNLOAD_PREFIX).unwrap();
    tokens::create_download(db.conn(), u.id, &a.digest, 100).unwrap();
    tokens::create_download(db.conn(), u.id, &b.digest, 100).unwrap();
    let (who, at) = tokens::redeem_download(db.conn(), &a.secret, 101)
        .unwrap()
        .unwrap();
    assert_eq!((who.row_id, at), (u.id, 100));
    assert_eq!(
        tokens::redeem_download(db.conn(), &a.secret, 102).unwrap(),
        Err(LinkError::Used)
    );
    assert_eq!(
        tokens::redeem_download(db.conn(), &b.secret, 100 + DOWNLOAD_TTL).unwrap(),
        Err(LinkError::Expired)
    );
    assert_eq!(
        tokens::redeem_download(db.conn(), "stdl_nope", 101).unwrap(),
        Err(LinkError::Unknown)
    );
}

#[test]
fn users_page_newest_first_and_filter() {
    let db = Db::open_in_memory().unwrap();
    for (i, name) in ["amy", "ben", "cat_1", "dan", "eve%"].iter().enumerate() {
        let email = format!("{name}@mail{i}.test");
        db.upsert_user(
            &token(
                Profile::Coral,
                &format!("id{i}"),
                name,
                Some(&email),
                Some(1),
            ),
            1,
        )
        .unwrap();
    }
    let names = |v: &[AdminUser]| v.iter().map(|u| u.username.clone()).collect::<Vec<_>>();
    let (p1, more) = store::list(db.conn(), 2, None, None).unwrap();
    assert_eq!(
        (names(&p1), more),
        (vec!["eve%".to_string(), "dan".into()], true)
    );
    let cursor = store::cursor_of(p1[1].row_id);
    let after = store::parse_cursor(&cursor);
    let (p2, _) = store::list(db.conn(), 2, after, None).unwrap();
    assert_eq!(names(&p2), vec!["cat_1", "ben"]);
    let (p3, more) = store::list(
        db.conn(),
        2,
        store::parse_cursor(&store::cursor_of(p2[1].row_id)),
        None,
    )
    .unwrap();
    assert_eq!((names(&p3), more), (vec!["amy".to_string()], false));
    assert_eq!(
        names(&store::list(db.conn(), 10, None, Some("BEN")).unwrap().0),
        vec!["ben"]
    );
    assert_eq!(
        names(&store::list(db.conn(), 10, None, Some("mail3")).unwrap().0),
        vec!["dan"]
    );
    assert_eq!(
        names(&store::list(db.conn(), 10, None, Some("id0")).unwrap().0),
        vec!["amy"]
    );
    assert_eq!(
        names(&store::list(db.conn(), 10, None, Some("%")).unwrap().0),
        vec!["eve%"]
    );
    assert_eq!(
        names(&store::list(db.conn(), 10, None, Some("t_")).unwrap().0),
        vec!["cat_1"]
    );
    assert_eq!(store::parse_cursor("garbage"), None);
}

#[test]
fn ids_resolve_across_profiles_and_ambiguity_is_named() {
    let db = Db::open_in_memory().unwrap();
    db.upsert_user(&token(Profile::Coral, "same", "c", None, Some(1)), 1)
        .unwrap();
    assert_eq!(user(&db, "same").profile, "coral");
    db.upsert_user(&token(Profile::TalkV4, "same", "t", None, Some(1)), 1)
        .unwrap();
    assert_eq!(
        store::resolve(db.conn(), "same", "input.userID"),
        Err(AdminError::UserIdAmbiguous("input.userID"))
    );
    assert_eq!(user(&db, "talk-v4:same").username, "t");
    assert_eq!(user(&db, "coral:same").username, "c");
    assert_eq!(
        store::resolve(db.conn(), "nobody", "id"),
        Err(AdminError::UserNotFound("id"))
    );
}

#[test]
fn export_pages_stop_at_the_request_time() {
    let db = Db::open_in_memory().unwrap();
    let u = db
        .upsert_user(&token(Profile::Coral, "x", "xi", None, Some(1)), 1)
        .unwrap();
    let story = StoryKey::new(None, Some("https://news.test/b")).unwrap();
    for t in 0..5 {
        db.add_comment(u.id, &story, &format!("c{t}"), 100 + t)
            .unwrap();
    }
    let first = store::export_page(db.conn(), u.id, 103, 0, 2).unwrap();
    assert_eq!(
        first.iter().map(|r| r.body.as_str()).collect::<Vec<_>>(),
        ["c0", "c1"]
    );
    let rest = store::export_page(db.conn(), u.id, 103, first[1].id, 10).unwrap();
    assert_eq!(
        rest.iter().map(|r| r.body.as_str()).collect::<Vec<_>>(),
        ["c2", "c3"]
    );
    assert_eq!(rest[0].story_url.as_deref(), Some("https://news.test/b"));
}
