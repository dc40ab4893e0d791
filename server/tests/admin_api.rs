//! The admin API over real HTTP, driven as a publisher's sync job would
//! with a valid admin token (an SSO token of an `ADMIN`, and a personal
//! access token from `stream-server token create`): every query and
//! mutation, the archive downloaded and unzipped, a deleted user's token
//! refused. Refusals are in `admin_refusals.rs`.

mod admin_common;

use admin_common::{code, now, sso, start, BOB};
use serde_json::{json, Value};

#[tokio::test]
async fn a_sync_job_with_an_admin_token_keeps_accounts_in_sync() {
    let api = start("admin-sync").await;
    let t = now();
    let bob = sso(BOB, "bob", "bob@example.com", "COMMENTER", t - 60, t + 3600);
    assert_eq!(api.session(&bob).await.0, 200);
    for body in ["one, with a comma", "two \"quoted\"", "three"] {
        api.comment(&bob, body).await;
    }
    let ada = sso("ada", "ada", "ada@example.com", "ADMIN", t - 5, t + 3600);
    let pat = api.cli_token("sync-job").await;

    // Look accounts up: by id, by query, and page by page.
    let (_, found) = api
        .gql(
            Some(&pat),
            "query($id: ID!) { user(id: $id) { id username email role createdAt deletedAt } }",
            json!({"id": BOB}),
        )
        .await;
    assert_eq!(found["data"]["user"]["email"], "bob@example.com", "{found}");
    assert_eq!(found["data"]["user"]["role"], "COMMENTER");
    let (_, none) = api
        .gql(Some(&pat), "{ user(id: \"nobody\") { id } }", json!({}))
        .await;
    assert!(
        none["data"]["user"].is_null() && none["errors"].is_null(),
        "{none}"
    );
    let page = "query($after: Cursor) { users(first: 1, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }";
    let (mut ids, mut after) = (Vec::new(), Value::Null);
    loop {
        let (_, p) = api.gql(Some(&ada), page, json!({"after": after})).await;
        let conn = &p["data"]["users"];
        ids.push(conn["nodes"][0]["id"].as_str().unwrap().to_string());
        if conn["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = conn["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(
        ids,
        ["ada", "stream-admin", BOB],
        "newest first, every user once"
    );
    let (_, q) = api
        .gql(
            Some(&pat),
            "{ users(query: \"BOB@EXAMPLE\") { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(q["data"]["users"]["nodes"], json!([{"id": BOB}]));
    let (_, bad) = api
        .gql(
            Some(&pat),
            "{ users(first: 51) { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        (code(&bad), bad["errors"][0]["extensions"]["param"].as_str()),
        ("VALIDATION", Some("first"))
    );

    // Rename: the stream shows it at once, and bob's older token does not undo it.
    let (_, r) = api.gql(Some(&pat), "mutation { updateUserUsername(input: {userID: \"628bdc61-6616-4add-bfec-dd79156715d4\", username: \"Robert\", clientMutationId: \"r1\"}) { user { username } clientMutationId } }", json!({})).await;
    assert_eq!(
        r["data"]["updateUserUsername"],
        json!({"user": {"username": "Robert"}, "clientMutationId": "r1"})
    );
    assert_eq!(
        api.comments().await["comments"][0]["author"]["username"],
        "Robert"
    );
    assert_eq!(api.session(&bob).await.1["user"]["username"], "Robert");
    // A token issued after the change carries the publisher's data again.
    let later = sso(
        BOB,
        "Bobby",
        "bob@example.com",
        "COMMENTER",
        t + 2,
        t + 3600,
    );
    assert_eq!(api.session(&later).await.1["user"]["username"], "Bobby");
    let rename = "mutation { updateUserUsername(input: {userID: \"628bdc61-6616-4add-bfec-dd79156715d4\", username: \"Robert\", clientMutationId: \"r2\"}) { user { username } } }";
    assert_eq!(
        api.gql(Some(&pat), rename, json!({})).await.1["data"]["updateUserUsername"]["user"]
            ["username"],
        "Robert"
    );
    assert_eq!(api.session(&bob).await.1["user"]["username"], "Robert");

    // Email: Coral's DUPLICATE_EMAIL, the SSO rules, then the change.
    let email = "mutation($e: String!) { updateUserEmail(input: {userID: \"628bdc61-6616-4add-bfec-dd79156715d4\", email: $e, clientMutationId: \"e\"}) { user { email } } }";
    let (_, dup) = api
        .gql(Some(&pat), email, json!({"e": "ADA@example.com"}))
        .await;
    assert_eq!(
        (code(&dup), dup["errors"][0]["extensions"]["param"].as_str()),
        ("DUPLICATE_EMAIL", Some("input.email"))
    );
    let (_, invalid) = api
        .gql(Some(&pat), email, json!({"e": "not an address"}))
        .await;
    assert_eq!(code(&invalid), "EMAIL_INVALID_FORMAT");
    let (_, ok) = api
        .gql(Some(&pat), email, json!({"e": "robert@example.com"}))
        .await;
    assert_eq!(
        ok["data"]["updateUserEmail"]["user"]["email"],
        "robert@example.com"
    );

    // Download: a single-use link to Coral's archive.
    let dl = "mutation { requestUserCommentsDownload(input: {userID: \"628bdc61-6616-4add-bfec-dd79156715d4\", clientMutationId: \"d\"}) { archiveURL clientMutationId } }";
    let (_, link) = api.gql(Some(&pat), dl, json!({})).await;
    let url = link["data"]["requestUserCommentsDownload"]["archiveURL"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        url.starts_with(&format!("{}/api/user/download?token=stdl_", api.base)),
        "{url}"
    );
    let resp = api.http.get(&url).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "application/zip");
    let disposition = resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"coral-robert-"),
        "{disposition}"
    );
    assert!(
        resp.headers().get("content-length").is_none(),
        "streamed, not buffered"
    );
    let bytes = resp.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let csv_file = zip.by_name("comments-export/my_comments.csv").unwrap();
    let mut rows = csv::Reader::from_reader(csv_file);
    let header: Vec<String> = rows.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        header,
        [
            "Comment ID",
            "Published Timestamp",
            "Article URL",
            "Comment URL",
            "Comment Text",
            "Media"
        ]
    );
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    let texts: Vec<&str> = rows.iter().map(|r| &r[4]).collect();
    assert_eq!(texts, ["one, with a comma", "two \"quoted\"", "three"]);
    assert_eq!(&rows[0][2], "https://news.test/sync?x=1");
    assert_eq!(
        rows[0][3].to_string(),
        format!("https://news.test/sync?x=1&commentID={}", &rows[0][0])
    );
    let again = api.http.get(&url).send().await.unwrap();
    assert_eq!(again.status().as_u16(), 410, "single use");

    // Tokens: created by an SSO admin, usable, then deactivated.
    let (_, created) = api.gql(Some(&ada), "mutation { createToken(input: {name: \"rotation\", clientMutationId: \"t\"}) { user { id } token { id name } signedToken } }", json!({})).await;
    let made = &created["data"]["createToken"];
    assert_eq!(
        (made["user"]["id"].as_str(), made["token"]["name"].as_str()),
        (Some("ada"), Some("rotation"))
    );
    let fresh = made["signedToken"].as_str().unwrap().to_string();
    let (_, me) = api
        .gql(Some(&fresh), "{ viewer { id tokens { name } } }", json!({}))
        .await;
    assert_eq!(
        me["data"]["viewer"],
        json!({"id": "ada", "tokens": [{"name": "rotation"}]})
    );
    let (_, gone) = api.gql(Some(&pat), "mutation($id: ID!) { deactivateToken(input: {id: $id, clientMutationId: \"x\"}) { token { id } } }", json!({"id": made["token"]["id"]})).await;
    assert_eq!(
        code(&gone),
        "TOKEN_NOT_FOUND",
        "only the owner deactivates a token"
    );
    let (_, off) = api.gql(Some(&fresh), "mutation($id: ID!) { deactivateToken(input: {id: $id, clientMutationId: \"x\"}) { token { name } } }", json!({"id": made["token"]["id"]})).await;
    assert_eq!(off["data"]["deactivateToken"]["token"]["name"], "rotation");
    assert_eq!(
        code(
            &api.gql(Some(&fresh), "{ viewer { id } }", json!({}))
                .await
                .1
        ),
        "TOKEN_REVOKED"
    );

    // Delete: not oneself; then bob, whose token stops working at once.
    let del = "mutation($id: ID!) { deleteUserAccount(input: {userID: $id, clientMutationId: \"x\"}) { user { id username email deletedAt } } }";
    assert_eq!(
        code(&api.gql(Some(&ada), del, json!({"id": "ada"})).await.1),
        "CANNOT_DELETE_SELF"
    );
    let (_, deleted) = api.gql(Some(&ada), "mutation { deleteUser(input: {userID: \"628bdc61-6616-4add-bfec-dd79156715d4\", clientMutationId: \"x\"}) { user { email deletedAt } } }", json!({})).await;
    assert!(
        deleted["data"]["deleteUser"]["user"]["deletedAt"].is_string(),
        "{deleted}"
    );
    assert!(deleted["data"]["deleteUser"]["user"]["email"].is_null());
    let (status, refused) = api.session(&bob).await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (401, Some("TOKEN_USER_DELETED"))
    );
    assert_eq!(
        api.comments().await["count"],
        0,
        "bob's comments left the stream"
    );
    assert_eq!(
        code(&api.gql(Some(&ada), del, json!({"id": BOB})).await.1),
        "USER_DELETED"
    );
    let (_, unknown) = api.gql(Some(&ada), del, json!({"id": "nobody"})).await;
    assert_eq!(
        (
            code(&unknown),
            unknown["errors"][0]["extensions"]["param"].as_str()
        ),
        ("USER_NOT_FOUND", Some("input.userID"))
    );
}
