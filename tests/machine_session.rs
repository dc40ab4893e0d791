//! Scenarios of the host state machine, natively: tokens (checks, queueing
//! as state, refresh and expiry, `next`), the login callback and its nonce.
//! `cargo test -p stream-embed --test machine_session`

mod driver;

use driver::*;
use serde_json::json;

fn embed(d: &mut Driver, extra: &[(&'static str, V)]) -> u32 {
    d.render_with_any(extra)
}

fn names(log: &[Fx]) -> Vec<String> {
    Driver::calls(log)
        .into_iter()
        .filter_map(|(f, a)| match (f, a.first()) {
            (V::Func("any"), Some(V::Str(n))) => Some(n.clone()),
            _ => None,
        })
        .collect()
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn calls_before_the_connection_are_kept_as_state() {
    let mut d = Driver::new();
    let id = embed(&mut d, &[]);
    let bob = coral_token("bob", d.secs() + 3600.0);
    d.login(id, &bob).unwrap();
    d.call(id, 3, V::Undef, V::Undef).unwrap();
    d.login(id, &bob).unwrap();
    assert!(Driver::posts(&d.take(), id).is_empty());
    d.hello(id);
    let posts = Driver::posts(&d.take(), id);
    assert_eq!(
        posts.len(),
        1,
        "the stream gets the final token once: {posts:?}"
    );
    assert_eq!(posts[0]["accessToken"], bob.as_str());
    // Connected: login and logout go at once.
    let alice = coral_token("alice", d.secs() + 3600.0);
    d.login(id, &alice).unwrap();
    d.call(id, 3, V::Undef, V::Undef).unwrap();
    assert_eq!(
        Driver::posts(&d.take(), id),
        [
            json!({"$streamEmbed": 1, "t": "login", "token": alice}),
            json!({"$streamEmbed": 1, "t": "logout"})
        ]
    );
    // The token slots are freed as tokens are replaced.
    assert!(
        !d.kept.values().any(|v| matches!(v, V::Str(_))),
        "{:?}",
        d.kept
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn refused_tokens_throw_typed_errors_and_keep_the_session() {
    let mut d = Driver::new();
    let id = embed(&mut d, &[]);
    let bob = coral_token("bob", d.secs() + 3600.0);
    d.login(id, &bob).unwrap();
    let cases = [
        (s(""), "INVALID_ARGUMENT", ""),
        (V::Num(5.0), "INVALID_ARGUMENT", ""),
        (V::Obj("proxy"), "INVALID_ARGUMENT", ""),
        (s("not-a-jwt"), "TOKEN_MALFORMED", ""),
        (
            s(&jwt_with(
                json!({"alg": "none"}),
                json!({"sub": "x", "exp": 1e12}),
            )),
            "TOKEN_MALFORMED",
            "",
        ),
        (
            s(&jwt(json!({"user": {"id": "u", "email": "e"}}))),
            "TOKEN_CLAIM_MISSING",
            "",
        ),
        (s(&jwt(json!({"sub": "u"}))), "TOKEN_CLAIM_MISSING", ""),
        (s(&coral_token("old", d.secs() - 60.0)), "TOKEN_EXPIRED", ""),
        (s(&"a".repeat(17_000)), "TOKEN_TOO_LARGE", ""),
    ];
    for (t, code, _) in cases {
        let r = d.call(id, 2, t.clone(), V::Undef);
        assert_eq!(r.map_err(|e| e.0), Err(code.to_owned()), "{t:?}");
    }
    d.hello(id);
    let posts = Driver::posts(&d.take(), id);
    assert_eq!(
        posts[0]["accessToken"],
        bob.as_str(),
        "the session stayed bob's"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_stale_access_token_starts_signed_out_and_tells_the_publisher() {
    let mut d = Driver::new();
    let stale = coral_token("bob", d.secs() - 3600.0);
    let id = embed(&mut d, &[("accessToken", s(&stale))]);
    let log = d.take();
    assert!(log.contains(&Fx::Warn("Coral: the token has expired.".into())));
    assert_eq!(names(&log), ["authError", "tokenExpired"]);
    d.hello(id);
    assert!(Driver::posts(&d.take(), id)[0].get("accessToken").is_none());
    // With refreshAccessToken, it is asked for a fresh one at once.
    let mut d = Driver::new();
    embed(
        &mut d,
        &[
            ("accessToken", s(&stale)),
            ("refreshAccessToken", V::Func("refresh")),
        ],
    );
    let calls = Driver::calls(&d.take());
    assert!(calls
        .iter()
        .any(|(f, a)| *f == V::Func("refresh") && matches!(a[0], V::Next(_, 1))));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn refresh_is_asked_once_per_token_before_exp_and_next_works_once() {
    let mut d = Driver::new();
    let exp = d.secs() + 3600.0;
    let id = embed(
        &mut d,
        &[
            ("refreshAccessToken", V::Func("refresh")),
            ("accessToken", s(&coral_token("bob", exp))),
        ],
    );
    // Asked 60 s before exp.
    assert!(d.take().contains(&Fx::Timer {
        embed: id,
        timer: 0,
        ms: 3_540_000
    }));
    d.hello(id);
    d.take();
    // A timer that fires early (clamped delays) waits again.
    d.now += 1_000_000.0;
    d.timer(id, 0);
    assert_eq!(
        d.take(),
        [Fx::Timer {
            embed: id,
            timer: 0,
            ms: 2_540_000
        }]
    );
    d.now += 2_540_000.0;
    d.timer(id, 0);
    let calls = Driver::calls(&d.take());
    assert_eq!(calls, [(V::Func("refresh"), vec![V::Next(id, 1)])]);
    // The stream asks too, for the same token: not asked again.
    d.port(id, &[&[("t", s("getRefreshAccessToken"))]]);
    assert_eq!(
        Driver::posts(&d.take(), id),
        [json!({"$streamEmbed": 1, "t": "refreshAccessToken"})]
    );
    let fresh = coral_token("bob", d.secs() + 7200.0);
    d.next(id, 1, s(&fresh));
    let log = d.take();
    assert_eq!(
        Driver::posts(&log, id),
        [json!({"$streamEmbed": 1, "t": "refreshAccessToken", "token": fresh})]
    );
    // Twice: ignored with a warning.
    d.next(id, 1, s(&fresh));
    assert_eq!(
        d.take(),
        [Fx::Warn(
            "Coral: refreshAccessToken's `next` was called more than once; ignored.".into()
        )]
    );
    // A newer request makes the older `next` do nothing.
    d.port(id, &[&[("t", s("getRefreshAccessToken"))]]);
    d.take();
    d.next(id, 1, s(&fresh));
    assert_eq!(d.take(), []);
    // A bad token from `next`: signed out, and told.
    d.next(id, 2, s("bad"));
    let log = d.take();
    assert_eq!(names(&log), ["authError"]);
    assert_eq!(
        Driver::posts(&log, id),
        [json!({"$streamEmbed": 1, "t": "refreshAccessToken"})]
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn without_refresh_the_stream_signs_out_at_exp_and_tokenexpired_is_said_once() {
    let mut d = Driver::new();
    let t = coral_token("bob", d.secs() + 100.0);
    let id = embed(&mut d, &[("accessToken", s(&t))]);
    assert!(d.take().contains(&Fx::Timer {
        embed: id,
        timer: 0,
        ms: 130_000
    }));
    d.hello(id);
    d.take();
    d.now += 130_000.0;
    d.timer(id, 0);
    d.port(id, &[&[("t", s("event")), ("name", s("tokenExpired"))]]);
    let log = d.take();
    assert_eq!(names(&log), ["tokenExpired"]);
    assert_eq!(
        Driver::posts(&log, id),
        [json!({"$streamEmbed": 1, "t": "logout"})]
    );
    // logout clears the token timer.
    d.login(id, &coral_token("bob", d.secs() + 100.0)).unwrap();
    d.call(id, 3, V::Undef, V::Undef).unwrap();
    assert!(d.take().contains(&Fx::Timer {
        embed: id,
        timer: 0,
        ms: -1
    }));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn login_callback_needs_this_tabs_nonce_and_leaves_the_address_bar() {
    let mut d = Driver::new();
    let id = embed(&mut d, &[]);
    // No jwt in the address: nothing found, nothing asked.
    assert_eq!(d.call(id, 9, V::Undef, V::Undef), Ok(json!(false)));
    // The reader starts a login: a nonce, kept in the tab's storage.
    assert_eq!(d.call(0, 99, V::Undef, V::Undef), Ok(json!(d.new_nonce)));
    let good =
        jwt(json!({"user": {"id": "a", "email": "a@x", "username": "a"}, "nonce": d.new_nonce}));
    d.search = url_pairs("a=1");
    d.hash = format!("#jwt={good}&x=2");
    d.take();
    assert_eq!(d.call(id, 9, V::Undef, V::Undef), Ok(json!(true)));
    assert_eq!(
        (d.hash.as_str(), d.search.len()),
        ("#x=2", 1),
        "the token left the address bar"
    );
    assert!(d
        .take()
        .iter()
        .any(|f| matches!(f, Fx::Ask(2, u) if u == "https://news.test/article?a=1#x=2")));
    // Replayed: the nonce is spent.
    d.hash = format!("#jwt={good}");
    assert_eq!(
        d.call(id, 9, V::Undef, V::Undef).unwrap_err().0,
        "LOGIN_CALLBACK_UNEXPECTED"
    );
    assert_eq!(d.hash, "");
    // The address bar cannot change: the token is not used.
    d.call(0, 99, V::Undef, V::Undef).unwrap();
    d.replace_works = false;
    d.hash = format!("#jwt={good}");
    let (code, _, msg) = d.call(id, 9, V::Undef, V::Undef).unwrap_err();
    assert_eq!(code, "LOGIN_CALLBACK_STUCK");
    assert!(!msg.contains(&good));
    assert_eq!(
        d.storage.as_deref(),
        Some(d.new_nonce.as_str()),
        "the nonce is not spent"
    );
    // No storage: no nonce.
    d.storage_works = false;
    assert_eq!(
        d.call(0, 99, V::Undef, V::Undef).unwrap_err().0,
        "LOGIN_NONCE_UNAVAILABLE"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_option_never_replaces_the_pages_session_with_a_crafted_link() {
    let mut d = Driver::new();
    let bob = coral_token("bob", d.secs() + 3600.0);
    let carol = jwt(
        json!({"user": {"id": "c", "email": "c@x", "username": "c"}, "nonce": "never-made-here-000000000"}),
    );
    d.hash = format!("#jwt={carol}");
    let id = embed(
        &mut d,
        &[
            ("accessToken", s(&bob)),
            ("handleLoginCallback", V::Bool(true)),
        ],
    );
    let log = d.take();
    assert_eq!(names(&log), ["authError"]);
    assert!(Driver::calls(&log)
        .iter()
        .any(|(_, a)| a.get(1) == Some(&V::Json(json!({"code": "LOGIN_CALLBACK_UNEXPECTED"})))));
    assert_eq!(d.hash, "");
    d.hello(id);
    assert_eq!(Driver::posts(&d.take(), id)[0]["accessToken"], bob.as_str());
}
