//! The publisher's event bus through the state machine, natively: listener
//! order, `once`, `off`, `onAny`/`offAny`, re-entrant listeners, throwing
//! listeners, typed argument errors, and listener slots freed.
//! `cargo test -p stream-embed --test machine_events`

mod driver;

use driver::*;
use serde_json::json;

fn connected(d: &mut Driver) -> u32 {
    let id = d.create(&[("id", s("coral_thread"))]).unwrap();
    d.call(id, 0, V::Undef, V::Undef).unwrap();
    d.hello(id);
    d.take();
    id
}

fn auth(d: &mut Driver, id: u32) {
    d.port(
        id,
        &[&[("t", s("authState")), ("loggedIn", V::Bool(false))]],
    );
}

const ON: u8 = 4;
const OFF: u8 = 5;
const ONCE: u8 = 6;
const ON_ANY: u8 = 7;
const OFF_ANY: u8 = 8;

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn listeners_run_in_order_once_runs_once_and_off_removes_the_latest() {
    let mut d = Driver::new();
    let id = connected(&mut d);
    d.call(id, ON, s("authState"), V::Func("a")).unwrap();
    d.call(id, ON_ANY, V::Func("star"), V::Undef).unwrap();
    d.call(id, ONCE, s("authState"), V::Func("o")).unwrap();
    d.call(id, ON, s("authState"), V::Func("a")).unwrap();
    auth(&mut d, id);
    let data = V::Json(json!({"loggedIn": false}));
    let calls: Vec<V> = Driver::calls(&d.take()).into_iter().map(|c| c.0).collect();
    assert_eq!(
        calls,
        [V::Func("star"), V::Func("a"), V::Func("o"), V::Func("a")]
    );
    d.call(id, OFF, s("authState"), V::Func("a")).unwrap();
    d.call(id, OFF, s("authState"), V::Func("never-added"))
        .unwrap();
    auth(&mut d, id);
    assert_eq!(
        Driver::calls(&d.take()),
        [
            (V::Func("star"), vec![s("authState"), data.clone()]),
            (V::Func("a"), vec![data.clone()])
        ]
    );
    d.call(id, OFF_ANY, V::Undef, V::Undef).unwrap();
    d.call(id, OFF, s("authState"), V::Func("a")).unwrap();
    auth(&mut d, id);
    assert_eq!(d.take(), []);
    // Every listener slot is freed once nothing holds it.
    assert!(
        !d.kept.values().any(|v| matches!(v, V::Func(_))),
        "{:?}",
        d.kept
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn one_function_on_two_events_is_kept_once_until_both_are_off() {
    let mut d = Driver::new();
    let id = connected(&mut d);
    d.call(id, ON, s("ready"), V::Func("f")).unwrap();
    d.call(id, ON, s("authState"), V::Func("f")).unwrap();
    d.call(id, ON_ANY, V::Func("f"), V::Undef).unwrap();
    assert_eq!(d.kept.values().filter(|v| **v == V::Func("f")).count(), 1);
    d.call(id, OFF, s("ready"), V::Func("f")).unwrap();
    d.call(id, OFF_ANY, V::Func("f"), V::Undef).unwrap();
    assert!(d.kept.values().any(|v| *v == V::Func("f")));
    d.call(id, OFF, s("authState"), V::Func("f")).unwrap();
    assert!(!d.kept.values().any(|v| *v == V::Func("f")));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn listeners_may_call_back_in_and_a_throw_is_reported_by_the_executor() {
    let mut d = Driver::new();
    let id = connected(&mut d);
    // A listener that removes (unmounts) the embed: the other listeners of
    // that emit still run (EventEmitter2 calls a snapshot), and the
    // listeners stay for a later render().
    d.scripts.insert(
        "remover",
        Box::new(|d: &mut Driver, _: &[V]| {
            let id = d.live[0];
            d.call(id, 1, V::Undef, V::Undef).unwrap();
        }),
    );
    d.call(id, ON, s("authState"), V::Func("remover")).unwrap();
    d.call(id, ON, s("authState"), V::Func("after")).unwrap();
    auth(&mut d, id);
    let log = d.take();
    let calls: Vec<V> = Driver::calls(&log).into_iter().map(|c| c.0).collect();
    assert_eq!(calls, [V::Func("remover"), V::Func("after")]);
    assert!(log.contains(&Fx::Unmount(id)));
    assert!(d.kept.values().any(|v| *v == V::Func("after")));
    // The page drops the handle: everything goes.
    d.call(id, 98, V::Undef, V::Undef).unwrap();
    assert!(d.kept.is_empty(), "{:?}", d.kept);
    assert_eq!(
        d.call(id, 4, s("x"), V::Func("f")).unwrap_err().0,
        "NOT_MOUNTED"
    );
    // The effect says what to log if a listener throws.
    let mut d = Driver::new();
    let id = connected(&mut d);
    d.call(id, ON, s("authState"), V::Func("f")).unwrap();
    auth(&mut d, id);
    let log = d.take();
    assert!(
        matches!(&log[0], Fx::Call { why, .. } if why == "Coral: a listener for `authState` threw:")
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn bad_arguments_are_typed_errors() {
    let mut d = Driver::new();
    let id = connected(&mut d);
    let code = |r: Outcome| r.unwrap_err().0;
    assert_eq!(
        code(d.call(id, ON, V::Num(1.0), V::Func("f"))),
        "INVALID_ARGUMENT"
    );
    assert_eq!(
        code(d.call(id, ON, s(""), V::Func("f"))),
        "INVALID_ARGUMENT"
    );
    assert_eq!(
        code(d.call(id, ON, s(&"x".repeat(129)), V::Func("f"))),
        "INVALID_ARGUMENT"
    );
    assert_eq!(
        code(d.call(id, ON, s("ready"), V::Obj("proxy"))),
        "INVALID_ARGUMENT"
    );
    assert_eq!(
        code(d.call(id, ONCE, V::Obj("proxy"), V::Func("f"))),
        "INVALID_ARGUMENT"
    );
    assert_eq!(
        code(d.call(id, ON_ANY, s("f"), V::Undef)),
        "INVALID_ARGUMENT"
    );
    assert_eq!(
        code(d.call(id, OFF, V::Undef, V::Func("f"))),
        "INVALID_ARGUMENT"
    );
    assert_eq!(
        code(d.call(99, ON, s("ready"), V::Func("f"))),
        "NOT_MOUNTED"
    );
    assert!(d.kept.values().all(|v| !matches!(v, V::Func(_))));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn eventemitter2_methods_wildcards_counts_and_the_publishers_own_emit() {
    let mut d = Driver::new();
    let id = connected(&mut d);
    d.call(id, ON, s("createComment.*"), V::Func("star"))
        .unwrap();
    d.call(id, 12, s("**"), V::Num(2.0))
        .map(|_| ())
        .unwrap_err();
    d.call_args(id, 12, &[s("**"), V::Num(2.0), V::Func("twice")])
        .unwrap();
    d.call(id, 10, s("createComment.success"), V::Func("first"))
        .unwrap();
    d.stream_event(id, "createComment.success", V::Obj("payload"));
    let log = d.take();
    let called: Vec<(V, String)> = log
        .iter()
        .filter_map(|f| match f {
            Fx::Call { f, event, .. } => Some((f.clone(), event.clone())),
            _ => None,
        })
        .collect();
    let ev = || "createComment.success".to_owned();
    assert_eq!(
        called,
        [
            (V::Func("first"), ev()),
            (V::Func("star"), ev()),
            (V::Func("twice"), ev())
        ],
        "`this.event` is the name"
    );
    // Views of the bus.
    let names = d.call(id, 18, V::Undef, V::Undef).unwrap();
    assert_eq!(
        names,
        json!(["createComment.success", "createComment.*", "**"])
    );
    assert_eq!(
        d.call(id, 16, s("createComment.error"), V::Undef).unwrap(),
        json!(["Func(\"star\")", "Func(\"twice\")"])
    );
    // The publisher's own emit: local, with its own arguments.
    let r = d
        .call_args(id, 19, &[s("custom.thing"), s("a"), V::Num(2.0)])
        .unwrap();
    assert_eq!(r, json!(true), "`**` heard it");
    let calls = Driver::calls(&d.take());
    assert_eq!(calls, [(V::Func("twice"), vec![s("a"), V::Num(2.0)])]);
    assert!(
        Driver::posts(&d.log, id).is_empty(),
        "never sent to the stream"
    );
    // `many(**, 2)` is spent; removeAllListeners("createComment.*") also
    // reaches `createComment.success` (EventEmitter2's listener tree).
    d.call(id, 15, s("createComment.*"), V::Undef).unwrap();
    assert_eq!(d.call(id, 18, V::Undef, V::Undef).unwrap(), json!([]));
    d.call(id, 15, V::Undef, V::Undef).unwrap();
    assert!(!d.kept.values().any(|v| matches!(v, V::Func(_))));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn deprecated_events_need_the_option_and_counts_reach_the_count_script() {
    for deprecated in [false, true] {
        let mut d = Driver::new();
        let id = d
            .create(&[
                ("id", s("coral_thread")),
                ("enableDeprecatedEvents", V::Bool(deprecated)),
            ])
            .unwrap();
        d.call(id, 0, V::Undef, V::Undef).unwrap();
        d.hello(id);
        d.call(id, ON_ANY, V::Func("any"), V::Undef).unwrap();
        d.take();
        for name in ["mutation.createComment", "fetch.x", "subscription.y"] {
            d.port(id, &[&[("t", s("event")), ("name", s(name))]]);
        }
        assert_eq!(
            Driver::calls(&d.take()).len(),
            if deprecated { 3 } else { 0 }
        );
    }
    let mut d = Driver::new();
    let id = connected(&mut d);
    let data =
        json!({"number": 5, "text": "Comments", "storyID": "s-1", "storyURL": "https://n.test/a"});
    d.stream_event(id, "count.comments", V::Json(data.clone()));
    let log = d.take();
    assert!(log.contains(&Fx::Global(
        "CoralCount".into(),
        "setCount".into(),
        json!({"counts": [
            {"id": "s-1", "count": 5, "text": "Comments"},
            {"url": "https://n.test/a", "count": 5, "text": "Comments"}
        ]})
    )));
}
