//! `GET /api/comments`: the engine builds the comments' JSON; it must be
//! exactly what the typed `Comment`s serialize to, on either engine, for
//! any text, newest first, capped at a page with the story's full count.

mod common;

use axum::http::StatusCode;
use common::env;
use serde_json::{json, Value};
use stream_server::auth::{Identity, Profile, Verified};
use stream_server::http::comments::PAGE_SIZE;
use stream_server::store::StoryKey;

fn author(id: &str, badges: &[&str], role: Option<&str>) -> Verified {
    Verified {
        profile: Profile::Coral,
        identity: Identity {
            external_id: id.into(),
            username: Some(format!("{id} \"the\" <b>name</b> ✓")),
            badges: Some(badges.iter().map(|b| b.to_string()).collect()),
            role: role.map(str::to_string),
            ..Identity::default()
        },
        jti: None,
        iat: Some(1),
        exp: None,
    }
}

#[tokio::test]
async fn the_listing_is_the_typed_comments_newest_first() {
    let e = env("listing", &[]).await;
    let store = &e.state.store;
    let ann = store
        .upsert_user(&author("ann", &["subscriber", "verified"], None), 1)
        .await
        .unwrap();
    let mod_ = store
        .upsert_user(&author("mo", &[], Some("MODERATOR")), 1)
        .await
        .unwrap();
    let story = StoryKey::new(Some("listing"), Some("https://news.test/l")).unwrap();
    let bodies = [
        "plain",
        "quotes \" and \\ backslash",
        "line\nbreak\ttab and \u{1} control",
        "</script><script>alert(1)</script>",
        "émoji 🎉 and 中文 and \u{2028} separator",
    ];
    let total = PAGE_SIZE as usize + 5;
    for i in 0..total {
        let who = if i % 2 == 0 { &ann } else { &mod_ };
        let body = format!("{} #{i}", bodies[i % bodies.len()]);
        store
            .add_comment(who, &story, &body, 1_000 + i as i64)
            .await
            .unwrap();
    }
    let (s, v) = e
        .api("GET", "/api/comments?storyID=listing", None, None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let typed = store.comments(&story, PAGE_SIZE).await.unwrap();
    assert_eq!(typed.len(), PAGE_SIZE as usize);
    assert_eq!(v["comments"], serde_json::to_value(&typed).unwrap());
    assert_eq!(v["count"], json!(total));
    assert_eq!(v["storyID"], "listing");
    assert_eq!(v["storyURL"], Value::Null);
    let first = &v["comments"][0];
    assert_eq!(
        first["body"],
        format!("{} #{}", bodies[(total - 1) % 5], total - 1)
    );
    assert_eq!(first["author"]["role"], Value::Null);
    assert_eq!(first["author"]["badges"], json!(["subscriber", "verified"]));
    assert_eq!(v["comments"][1]["author"]["role"], "MODERATOR");
    assert_eq!(v["comments"][1]["author"]["badges"], json!([]));

    // A story nobody commented on: an empty page, count 0.
    let (s, v) = e
        .api(
            "GET",
            "/api/comments?storyURL=https://news.test/none",
            None,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        v,
        json!({"storyID": null, "storyURL": "https://news.test/none", "count": 0, "comments": []})
    );
}
