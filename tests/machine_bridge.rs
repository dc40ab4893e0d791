//! Scenarios of the host state machine, natively: the handshake (origin
//! and source both checked, welcome to the pinned origin only), what the
//! stream may send on the port, reconnection, the watchdog, permalinks and
//! back/forward. `cargo test -p stream-embed --test machine_bridge`

mod driver;

use driver::*;
use serde_json::json;

/// A rendered embed with an `onAny` listener, its effects taken.
fn rendered(d: &mut Driver, extra: &[(&'static str, V)]) -> u32 {
    let id = d.render_with_any(extra);
    d.take();
    id
}

const HELLO: [(&str, V); 0] = [];

fn hello_rec() -> Vec<(&'static str, V)> {
    vec![("$streamEmbed", V::Num(1.0)), ("t", s("hello"))]
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn hello_needs_the_iframe_window_and_the_pinned_origin() {
    let mut d = Driver::new();
    let id = rendered(&mut d, &[("rootURL", s("https://Stream.test:443/"))]);
    let _ = HELLO;
    // Wrong origin, wrong source, wrong data, wrong version: nothing.
    d.window_message(id, true, "https://evil.test", Some(&hello_rec()));
    d.window_message(id, false, STREAM, Some(&hello_rec()));
    d.window_message(
        id,
        true,
        STREAM,
        Some(&[("$streamEmbed", V::Num(2.0)), ("t", s("hello"))]),
    );
    d.window_message(
        id,
        true,
        STREAM,
        Some(&[("$streamEmbed", V::Num(1.0)), ("t", s("ready"))]),
    );
    d.window_message(id, true, STREAM, None);
    d.window_message(
        id,
        true,
        "https://stream.test.evil.test",
        Some(&hello_rec()),
    );
    assert_eq!(d.take(), []);
    // The real one: a port, welcome to exactly the stream origin, config.
    d.hello(id);
    let log = d.take();
    assert_eq!(
        log[0],
        Fx::Connect {
            embed: id,
            welcome: json!({"$streamEmbed": 1, "t": "welcome"}),
            origin: STREAM.into()
        }
    );
    let config = &Driver::posts(&log, id)[0];
    assert_eq!(config["t"], "config");
    assert_eq!(config["storyID"], "s");
    assert_eq!(config["canRefresh"], false);
    assert!(config.get("accessToken").is_none(), "{config}");
    // The stream reloads: it says hello again and gets a new port.
    d.hello(id);
    assert!(matches!(d.take()[0], Fx::Connect { .. }));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn stream_messages_drive_visibility_height_and_events() {
    let mut d = Driver::new();
    let id = rendered(&mut d, &[]);
    d.hello(id);
    d.take();
    d.port(
        id,
        &[
            &[("t", s("ready"))],
            &[("t", s("height")), ("height", V::Num(420.2))],
        ],
    );
    d.port(id, &[&[("t", s("ready"))]]);
    d.stream_event(id, "createComment.success", V::Obj("payload"));
    d.port(id, &[&[("t", s("event")), ("name", s("loginPrompt"))]]);
    d.port(id, &[&[("t", s("authState")), ("loggedIn", V::Bool(true))]]);
    let log = d.take();
    assert_eq!(
        log[0],
        Fx::Style {
            embed: id,
            prop: "visibility".into(),
            value: "".into()
        }
    );
    assert_eq!(
        log[2],
        Fx::Style {
            embed: id,
            prop: "height".into(),
            value: "421px".into()
        }
    );
    assert_eq!(
        Driver::calls(&log),
        [
            (V::Func("any"), vec![s("ready")]),
            (
                V::Func("any"),
                vec![s("createComment.success"), V::Obj("payload")]
            ),
            (V::Func("any"), vec![s("loginPrompt")]),
            (
                V::Func("any"),
                vec![s("authState"), V::Json(json!({"loggedIn": true}))]
            ),
        ],
        "ready once; the stream's own payload object passed through"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn invalid_or_host_bound_messages_on_the_port_are_ignored() {
    let mut d = Driver::new();
    let id = rendered(&mut d, &[]);
    d.hello(id);
    d.take();
    let bad: Vec<Vec<(&str, V)>> = vec![
        vec![("t", s("login")), ("token", s("a.b.c"))],
        vec![("t", s("config")), ("accessToken", s("a.b.c"))],
        vec![("t", s("height")), ("height", V::Num(-1.0))],
        vec![("t", s("height")), ("height", V::Num(f64::NAN))],
        vec![("t", s("height")), ("height", V::Num(2e6))],
        vec![("t", s("height")), ("height", s("10"))],
        vec![("t", s("event")), ("name", s(""))],
        vec![("t", s("event")), ("name", s(&"x".repeat(129)))],
        vec![("t", s("event")), ("name", V::Accessor)],
        vec![("t", s("authState")), ("loggedIn", s("true"))],
        vec![("t", s("hello"))],
        vec![("t", V::Num(1.0))],
        vec![],
    ];
    for m in &bad {
        d.port(id, &[m.as_slice()]);
    }
    assert_eq!(d.take(), []);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_silent_stream_is_reported_once_and_a_connected_one_never() {
    let mut d = Driver::new();
    let id = rendered(&mut d, &[]);
    d.event(5, id, &[]);
    assert_eq!(
        d.take(),
        [Fx::Timer {
            embed: id,
            timer: 1,
            ms: 10_000
        }]
    );
    d.timer(id, 1);
    let log = d.take();
    assert!(matches!(&log[0], Fx::Error(m) if m.contains("https://stream.test did not answer")));
    let calls = Driver::calls(&log);
    assert_eq!(calls[0].1[0], s("error"));
    let V::Json(data) = &calls[0].1[1] else {
        panic!()
    };
    assert_eq!(data["code"], "STREAM_UNREACHABLE");
    // Loads again: reported already.
    d.event(5, id, &[]);
    d.timer(id, 1);
    assert_eq!(d.take(), []);
    // A stream that says hello clears its watchdog.
    let mut d = Driver::new();
    let id = rendered(&mut d, &[]);
    d.event(5, id, &[]);
    d.hello(id);
    assert!(d.take().contains(&Fx::Timer {
        embed: id,
        timer: 1,
        ms: -1
    }));
    d.timer(id, 1);
    assert_eq!(d.take(), []);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn permalinks_go_into_the_page_url_and_back_tells_the_stream() {
    let mut d = Driver::new();
    d.search = url_pairs("a=1");
    d.hash = "#top".into();
    let id = rendered(&mut d, &[]);
    d.hello(id);
    d.take();
    d.port(id, &[&[("t", s("permalink")), ("commentID", s("c 9"))]]);
    let log = d.take();
    assert_eq!(
        log.last(),
        Some(&Fx::Push(
            "https://news.test/article?a=1&commentID=c+9#top".into()
        ))
    );
    d.port(id, &[&[("t", s("permalink"))]]);
    assert_eq!(
        d.take().last(),
        Some(&Fx::Push("https://news.test/article?a=1#top".into()))
    );
    // Back to ?commentID=c-1: the stream is told; the same value again is not.
    d.search = url_pairs("commentID=c-1");
    d.popstate(id);
    d.popstate(id);
    assert_eq!(
        Driver::posts(&d.take(), id),
        [json!({"$streamEmbed": 1, "t": "commentID", "commentID": "c-1"})]
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn two_embeds_keep_their_channels_apart() {
    let mut d = Driver::new();
    d.elements.insert("second".into(), V::Obj("div#second"));
    let a = rendered(&mut d, &[]);
    let b = d.create(&[("id", s("second"))]).unwrap();
    d.call(b, 0, V::Undef, V::Undef).unwrap();
    d.take();
    // a's iframe cannot connect b.
    d.window_message(b, false, STREAM, Some(&hello_rec()));
    assert_eq!(d.take(), []);
    d.hello(a);
    d.login(b, &coral_token("bob", d.secs() + 3600.0)).unwrap();
    let log = d.take();
    assert!(Driver::posts(&log, b).is_empty(), "b is not connected");
    assert_eq!(Driver::posts(&log, a).len(), 1);
}
