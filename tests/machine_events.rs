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

#[test]
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

#[test]
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

#[test]
fn listeners_may_call_back_in_and_a_throw_is_reported_by_the_executor() {
    let mut d = Driver::new();
    let id = connected(&mut d);
    // A listener that removes the embed: later listeners of that embed are
    // skipped (the executor drops calls for an embed that is gone).
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
    assert_eq!(calls, [V::Func("remover")]);
    assert!(log.contains(&Fx::Unmount(id)));
    assert!(d.kept.is_empty());
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

#[test]
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
