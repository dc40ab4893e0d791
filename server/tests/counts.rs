//! Comment counts (issue 15) and Coral's asset paths (issue 14), through the
//! stream router in-process: the batch endpoint count.js uses, Coral's two
//! per-story endpoints, caching, refusals, the indexes, and `/assets/js/*`.

mod common;

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::Arc;
use stream_server::auth::{Identity, Profile, Verified};
use stream_server::config::Config;
use stream_server::http::story_count::{MAX_QUERY, MAX_STORIES, MAX_STORY_LEN};
use stream_server::http::{stream_router, AppState};
use stream_server::store::{StoryKey, StoryRef};
use tower::ServiceExt;

const A: &str = "https://pub.example/a";
const B: &str = "https://pub.example/b";

/// A server whose dist/ holds marked copies of embed.js and count.js, with
/// comments: story-1 (at URL A) ×3, the URL-only story B ×1.
async fn server(tag: &str) -> (axum::Router, Arc<AppState>) {
    let dist = std::env::temp_dir().join(format!("stream-counts-{}-{tag}", std::process::id()));
    for (dir, file, text) in [
        ("embed", "embed.js", "/*embed*/"),
        ("count", "count.js", "/*count*/"),
    ] {
        std::fs::create_dir_all(dist.join(dir)).unwrap();
        std::fs::write(dist.join(dir).join(file), text).unwrap();
    }
    let vars = [("DIST_DIR", dist.to_string_lossy().into_owned())];
    let cfg = Config::from_lookup(
        &|k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone()),
        &[],
    )
    .unwrap();
    let db = common::store(&format!("counts_{tag}")).await;
    let who = Verified {
        profile: Profile::Coral,
        identity: Identity {
            external_id: "u1".into(),
            username: Some("u1".into()),
            ..Identity::default()
        },
        jti: None,
        iat: None,
        exp: None,
    };
    let user = db.upsert_user(&who, 1).await.unwrap();
    let story1 = StoryKey::new(Some("story-1"), Some(A)).unwrap();
    let story_b = StoryKey::new(None, Some(B)).unwrap();
    for (story, n) in [(&story1, 3), (&story_b, 1)] {
        for i in 0..n {
            db.add_comment(&user, story, &format!("c{i}"), 2)
                .await
                .unwrap();
        }
    }
    let state = Arc::new(AppState { cfg, store: db });
    (stream_router(state.clone()), state)
}

async fn get(
    app: &axum::Router,
    uri: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, String) {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, h) = (resp.status(), resp.headers().clone());
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, h, String::from_utf8(bytes.to_vec()).unwrap())
}

/// The data passed to `cb` in a JSONP body, checking the Express-style guard.
fn jsonp_data(body: &str, cb: &str) -> Value {
    let head = format!("/**/ typeof {cb} === 'function' && {cb}(");
    let inner = body
        .strip_prefix(&head)
        .and_then(|b| b.strip_suffix(");"))
        .unwrap_or_else(|| panic!("not JSONP for {cb}: {body}"));
    serde_json::from_str(inner).unwrap()
}

fn enc(s: &str) -> String {
    s.replace(':', "%3A").replace('/', "%2F")
}

#[tokio::test]
async fn one_batch_answers_every_story_in_order() {
    let (app, _) = server("batch").await;
    let uri = format!(
        "/api/story/counts.js?callback=CoralCount.setCount&id=story-1&url={}&url={}&id=unknown&url=%2Frelative&id=%20&d=123",
        enc(A),
        enc(B)
    );
    let (status, h, body) = get(&app, &uri, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "text/javascript; charset=utf-8");
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(
        jsonp_data(&body, "CoralCount.setCount"),
        json!({"counts": [
            {"id": "story-1", "count": 3, "text": "Comments"},
            // A URL names the story its comments were posted from (story-1).
            {"url": A, "count": 3, "text": "Comments"},
            {"url": B, "count": 1, "text": "Comment"},
            // Unknown: 0, not an error.
            {"id": "unknown", "count": 0, "text": "Comments"},
            {"url": "/relative", "error": "INVALID_STORY_URL"},
            {"id": " ", "error": "INVALID_STORY_ID"},
        ]})
    );
    // No callback: plain JSON, as Express answers.
    let (_, h, body) = get(&app, "/api/story/counts.js?id=story-1", &[]).await;
    assert_eq!(h[header::CONTENT_TYPE], "application/json");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["counts"][0]["count"],
        3
    );
}

#[tokio::test]
async fn answers_are_cacheable_and_revalidate_with_the_etag() {
    let (app, state) = server("etag").await;
    let uri = "/api/story/counts.js?callback=CoralCount.setCount&id=story-1";
    let (_, h, body) = get(&app, uri, &[]).await;
    assert_eq!(h[header::CACHE_CONTROL], "public, max-age=0, s-maxage=30");
    assert_eq!(h[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let tag = h[header::ETAG].to_str().unwrap().to_string();
    let (status, h304, empty) = get(&app, uri, &[("if-none-match", &tag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert_eq!(
        (h304[header::ETAG].to_str().unwrap(), empty.as_str()),
        (tag.as_str(), "")
    );
    // A new comment changes the answer: the old tag no longer matches.
    let user = state.store.find_user("coral", "u1").await.unwrap().unwrap();
    let story = StoryKey::new(Some("story-1"), None).unwrap();
    state
        .store
        .add_comment(&user, &story, "new", 3)
        .await
        .unwrap();
    let (status, h2, body2) = get(&app, uri, &[("if-none-match", &tag)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(h2[header::ETAG].to_str().unwrap(), tag);
    assert_ne!(body2, body);
    assert_eq!(
        jsonp_data(&body2, "CoralCount.setCount")["counts"][0]["count"],
        4
    );
}

#[tokio::test]
async fn corals_per_story_endpoints_keep_their_shape() {
    let (app, _) = server("coral").await;
    let (status, _, body) = get(
        &app,
        &format!(
            "/api/story/count.js?callback=CoralCount.setCount&url={}&ref=cmVm",
            enc(A)
        ),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        jsonp_data(&body, "CoralCount.setCount"),
        json!({
            "ref": "cmVm",
            "countHtml": "<span class=\"coral-count-number\">COMMENT_COUNT</span>",
            "textHtml": "<span class=\"coral-count-text\">Comments</span>",
            "count": 3,
            "id": "story-1",
            "text": "Comments",
        })
    );
    let (_, _, one) = get(
        &app,
        &format!("/api/story/count.js?callback=cb&url={}&ref=x", enc(B)),
        &[],
    )
    .await;
    let one = jsonp_data(&one, "cb");
    assert_eq!(
        (&one["count"], &one["id"], &one["textHtml"]),
        (
            &json!(1),
            &Value::Null,
            &json!("<span class=\"coral-count-text\">Comment</span>")
        )
    );
    let (status, h, body) = get(&app, "/api/story/count?id=story-1", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"count": 3})
    );
    let (_, _, body) = get(&app, "/api/story/count?id=nobody", &[]).await;
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"count": 0})
    );
}

#[tokio::test]
async fn refusals_carry_codes() {
    let (app, _) = server("refuse").await;
    let many: String = (0..=MAX_STORIES).map(|i| format!("&id=s{i}")).collect();
    for (uri, code) in [
        ("/api/story/count".to_string(), "STORY_MISSING"),
        (
            "/api/story/count?url=news.example%2Fa".to_string(),
            "INVALID_STORY_URL",
        ),
        (
            "/api/story/count.js?callback=cb&id=a".to_string(),
            "REF_MISSING",
        ),
        (
            "/api/story/count.js?callback=alert(1)&id=a&ref=x".to_string(),
            "INVALID_CALLBACK",
        ),
        (
            format!("/api/story/counts.js?callback=cb{many}"),
            "TOO_MANY_STORIES",
        ),
    ] {
        let (status, h, body) = get(&app, &uri, &[]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        // JSON, never script: a page's <script> gets an error event.
        assert_eq!(h[header::CONTENT_TYPE], "application/json", "{uri}");
        assert_eq!(
            serde_json::from_str::<Value>(&body).unwrap()["code"],
            code,
            "{uri}"
        );
    }
}

#[tokio::test]
async fn count_lookups_are_index_searches() {
    let db = common::store("counts_plans").await;
    let plans = db.story_count_plans().await.unwrap();
    if common::postgres_url().is_none() {
        assert!(
            plans[0].contains("USING INDEX comments_story_url"),
            "{plans:?}"
        );
        assert!(
            plans[1].contains("USING COVERING INDEX comments_story"),
            "{plans:?}"
        );
    } else {
        // PostgreSQL may scan a tiny table; the plans must name the
        // columns the indexes cover.
        assert!(plans[0].contains("story_url"), "{plans:?}");
        assert!(plans[1].contains("story_key"), "{plans:?}");
    }
    let nowhere = StoryRef::Url("https://nowhere/".into());
    assert_eq!(db.story_counts(&[nowhere]).await.unwrap()[0].count, 0);
}

#[test]
fn count_js_uses_the_servers_limits() {
    let src =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../js/count.js"))
            .unwrap();
    for (name, value) in [
        ("MAX_STORIES", MAX_STORIES),
        ("MAX_QUERY", MAX_QUERY),
        ("MAX_STORY_LEN", MAX_STORY_LEN),
    ] {
        assert!(
            src.contains(&format!("var {name} = {value};")),
            "js/count.js: {name} is not {value}"
        );
    }
}

#[tokio::test]
async fn coral_asset_paths_serve_the_sdk_and_the_count_script() {
    let (app, _) = server("assets").await;
    let (_, plain, embed) = get(&app, "/embed.js", &[]).await;
    let (status, h, same) = get(&app, "/assets/js/embed.js", &[]).await;
    assert_eq!((status, same.as_str()), (StatusCode::OK, embed.as_str()));
    for name in [
        header::CONTENT_TYPE,
        header::CACHE_CONTROL,
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        header::X_CONTENT_TYPE_OPTIONS,
    ] {
        assert_eq!(h.get(&name), plain.get(&name), "{name}");
    }
    let (status, h, count) = get(&app, "/assets/js/count.js", &[]).await;
    assert_eq!((status, count.as_str()), (StatusCode::OK, "/*count*/"));
    assert_eq!(h[header::CONTENT_TYPE], "text/javascript; charset=utf-8");
    for missing in [
        "/assets/js/commentEmbed.js",
        "/assets/js/..%2Fembed%2Fembed.js",
        "/assets/js/stream.js",
    ] {
        assert_eq!(
            get(&app, missing, &[]).await.0,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}
