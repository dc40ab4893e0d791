//! The stream origin's JSON API end to end in-process (no sockets):
//! session, comments, rejections, Sign Out, the three profiles.

mod common;

use axum::http::StatusCode;
use common::env;
use serde_json::json;

#[tokio::test]
async fn session_and_comments_flow() {
    let e = env("flow", &[]).await;
    let bob = e.token(json!({"user": "bob"})).await;
    let (s, v) = e.session(&bob).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["user"]["username"], "bob");
    assert_eq!(v["user"]["badges"], json!(["SUBSCRIBER", "Early Bird"]));
    assert_eq!(v["canSignOut"], true);
    assert!(
        v["user"].get("email").is_none(),
        "email is never sent to the page"
    );

    let (s, v) = e
        .post_comment(
            Some(&bob),
            json!({"storyID": "story-1", "body": "  Hello  "}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["comment"]["body"], "Hello");

    let (s, v) = e
        .api("GET", "/api/comments?storyID=story-1", None, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["count"], 1);
    assert_eq!(v["comments"][0]["author"]["username"], "bob");

    // Without a token: TOKEN_MISSING.
    let (s, v) = e
        .post_comment(None, json!({"storyID": "story-1", "body": "x"}))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(v["code"], "TOKEN_MISSING");
    // Empty comment, missing story.
    for (body, code) in [
        (json!({"storyID": "s", "body": "   "}), "COMMENT_EMPTY"),
        (json!({"body": "x"}), "STORY_MISSING"),
        (
            json!({"storyID": "s", "body": "x".repeat(5001)}),
            "COMMENT_TOO_LONG",
        ),
    ] {
        let (s, v) = e.post_comment(Some(&bob), body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_eq!(v["code"], code);
    }
    let (s, v) = e.api("GET", "/api/comments", None, None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["code"], "STORY_MISSING");
}

#[tokio::test]
async fn rejections_carry_codes() {
    let e = env("reject", &[]).await;
    let expired = e.token(json!({"user": "bob", "expired": true})).await;
    let (s, v) = e.session(&expired).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(v["code"], "TOKEN_EXPIRED");

    let forged = e.token(json!({"user": "bob", "badSignature": true})).await;
    assert_eq!(
        e.session(&forged).await.1["code"],
        "TOKEN_SIGNATURE_INVALID"
    );

    let no_email = e
        .token(json!({"claims": {"user": {"id": "z", "username": "z"}}}))
        .await;
    let (_, v) = e.session(&no_email).await;
    assert_eq!(v["code"], "TOKEN_CLAIM_MISSING");
    assert_eq!(v["claim"], "user.email");

    let (s, v) = e.session(&"a".repeat(17 * 1024)).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(v["code"], "TOKEN_TOO_LARGE");

    let bob = e.token(json!({"user": "bob"})).await;
    let big = format!(
        "{{\"storyID\":\"s\",\"body\":\"{}\"}}",
        "x".repeat(17 * 1024)
    );
    let (s, v) = e
        .api("POST", "/api/comments", Some(&bob), Some(big.clone()))
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(v["code"], "BODY_TOO_LARGE");
    // Declared too large: refused before the token is even looked at.
    let (s, _, b) = common::send(
        e.stream(),
        "POST",
        "/api/comments",
        &[("content-length", &big.len().to_string())],
        axum::body::Body::from(big),
    )
    .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(common::json_of(&b)["code"], "BODY_TOO_LARGE");

    let bad = Some("{not json".to_string());
    let (s, v) = e.api("POST", "/api/comments", Some(&bob), bad).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["code"], "INVALID_JSON");

    // DUPLICATE_USER: someone else with bob's email.
    assert_eq!(e.session(&bob).await.0, StatusCode::OK);
    let impostor = e
        .token(json!({"claims": {"user": {"id": "other", "email": "bob@example.com", "username": "bob2"}}}))
        .await;
    let (s, v) = e.session(&impostor).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(v["code"], "DUPLICATE_USER");
}

#[tokio::test]
async fn sign_out_revokes_the_jti() {
    let e = env("signout", &[]).await;
    let bob = e.token(json!({"user": "bob"})).await;
    let (s, _) = e.api("DELETE", "/api/session", Some(&bob), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, v) = e.session(&bob).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(v["code"], "TOKEN_REVOKED");
    // Without jti there is nothing to revoke: the publisher's logout() is the way out.
    let carol = e.token(json!({"user": "carol"})).await;
    let (s, v) = e.api("DELETE", "/api/session", Some(&carol), None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["code"], "SIGN_OUT_UNAVAILABLE");
    let (s, v) = e.session(&carol).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["canSignOut"], false);
}

#[tokio::test]
async fn other_profiles_through_http() {
    let e = env("profiles", common::ALL_PROFILES).await;
    for (user, name, profile) in [
        ("tess", "tess", "talk-v4"),
        ("spoke-admin", "Admin User", "token"),
        ("bob", "bob", "coral"),
    ] {
        let t = e.token(json!({ "user": user })).await;
        let (s, v) = e.session(&t).await;
        assert_eq!(s, StatusCode::OK, "{user}: {v}");
        assert_eq!(v["user"]["username"], name);
        assert_eq!(v["profile"], profile);
    }
}

#[tokio::test]
async fn json_bodies_need_their_content_type() {
    let e = env("ctype", &[]).await;
    let bob = e.token(json!({"user": "bob"})).await;
    let (s, _, b) = common::send(
        e.stream(),
        "POST",
        "/api/comments",
        &[
            ("authorization", &format!("Bearer {bob}")),
            ("content-type", "text/plain"),
        ],
        axum::body::Body::from(r#"{"storyID":"s","body":"x"}"#),
    )
    .await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(common::json_of(&b)["code"], "CONTENT_TYPE_INVALID");
}
