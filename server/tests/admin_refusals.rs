//! The admin API refuses every operation, changing nothing, to a caller
//! without admin rights (no token, a commenter, an expired admin token, a
//! deactivated or unknown personal access token), and answers malformed or
//! oversized requests with typed errors.

mod admin_common;

use admin_common::{code, now, operations, sso, start, BOB};
use serde_json::{json, Value};

#[tokio::test]
async fn every_operation_is_refused_without_admin_rights_and_changes_nothing() {
    let api = start("admin-refusals").await;
    let t = now();
    let bob = sso(BOB, "bob", "bob@example.com", "COMMENTER", t - 60, t + 3600);
    assert_eq!(api.session(&bob).await.0, 200);
    api.comment(&bob, "first").await;
    let expired_admin = sso("ada", "ada", "ada@example.com", "ADMIN", t - 7200, t - 60);
    let revoked = api.cli_token("to-revoke").await;
    let id = api.state.store.active_tokens().await.unwrap()[0]
        .0
        .id
        .clone();
    assert_eq!(api.cli(&["revoke", &id]).await.0, 0);
    let before = api.snapshot().await;
    let callers: [(&str, Option<&str>, u16, &str); 5] = [
        ("no token", None, 200, "USER_NOT_ENTITLED"),
        ("commenter", Some(&bob), 200, "USER_NOT_ENTITLED"),
        ("expired admin", Some(&expired_admin), 401, "TOKEN_EXPIRED"),
        ("revoked token", Some(&revoked), 401, "TOKEN_REVOKED"),
        (
            "unknown token",
            Some("stpat_0000000000000000000000000000000000000000000"),
            401,
            "TOKEN_INVALID",
        ),
    ];
    for (who, bearer, status, expected) in callers {
        for (op, doc, vars) in operations() {
            let (s, body) = api.gql(bearer, doc, vars).await;
            assert_eq!(
                (s, code(&body)),
                (status, expected),
                "{op} as {who}: {body}"
            );
            if status == 200 {
                assert_eq!(body["errors"][0]["path"][0], op, "{op} as {who}");
                assert!(
                    body["data"].is_null() || body["data"][op].is_null(),
                    "{op}: {body}"
                );
            }
        }
    }
    assert_eq!(
        api.snapshot().await,
        before,
        "a refused call changed something"
    );
    // A moderator reads (Coral's @auth on user/users) but cannot change.
    let moderator = sso("mo", "mo", "mo@example.com", "MODERATOR", t - 5, t + 3600);
    let (_, read) = api
        .gql(Some(&moderator), "{ users { nodes { id } } }", json!({}))
        .await;
    assert!(read["errors"].is_null(), "{read}");
    let (op, doc, vars) = operations().swap_remove(2);
    let (_, refused) = api.gql(Some(&moderator), doc, vars).await;
    assert_eq!(code(&refused), "USER_NOT_ENTITLED", "{op}");
}

#[tokio::test]
async fn malformed_and_oversized_requests_are_typed_errors() {
    let api = start("admin-malformed").await;
    let pat = api.cli_token("m").await;
    let post = |body: Vec<u8>| {
        api.http
            .post(format!("{}/api/graphql", api.base))
            .bearer_auth(&pat)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let r = post(b"{not json".to_vec()).await.unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["extensions"]["code"],
        "INVALID_JSON"
    );
    let big = format!(
        "{{\"query\": \"{{ viewer {{ id }} }}\", \"x\": \"{}\"}}",
        "a".repeat(70 * 1024)
    );
    assert_eq!(post(big.into_bytes()).await.unwrap().status().as_u16(), 413);
    let deep = format!(
        "{{\"query\": \"{{ __schema {} name {} }}\"}}",
        "{ types { fields { type ".to_string() + &"{ ofType ".repeat(10),
        "}".repeat(13)
    );
    let r: Value = post(deep.into_bytes()).await.unwrap().json().await.unwrap();
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("nested too deep"),
        "{r}"
    );
    for link in ["", "?token=stdl_nope", "?token=stpat_x"] {
        let r = api
            .http
            .get(format!("{}/api/user/download{link}", api.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 404, "{link}");
    }
}
