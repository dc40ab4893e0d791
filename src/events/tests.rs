//! Cases ported from EventEmitter2 6.4.9's own tests (facts, not code):
//! `test/wildcardEvents/addListener.js` 7, 8 and 11,
//! `removeListener.js` 1–3 and 8–11, `removeAllListeners.js`, and
//! `test/simple/` for once, many, prepend and onAny.

use super::*;

fn fs(t: Vec<Target<&'static str>>) -> Vec<(&'static str, bool)> {
    t.into_iter().map(|t| (t.f, t.any)).collect()
}

fn hits(b: &mut Bus<&'static str>, name: &str) -> Vec<&'static str> {
    b.targets(name, true).into_iter().map(|t| t.f).collect()
}

#[test]
fn names_up_to_the_event_name_limit_match_longer_ones_do_not() {
    // 128 bytes (the longest name the bus is given) is 129 segments.
    let longest = ".".repeat(crate::protocol::MAX_EVENT_NAME);
    assert!(matches("**", &longest, false));
    assert!(matches(&longest, &longest, false));
    assert!(!matches("**", &".".repeat(MAX_SEGMENTS), false));
    assert!(matches("a.**", "a", false) && matches("**", "", false));
}

#[test]
fn single_level_wildcards() {
    // addListener.js 7: `*.test`, `*.*`, `*` against `other.emit`, `foo.test`.
    let mut b = Bus::default();
    b.add(Some("*.test"), "a", 0, false);
    b.add(Some("*.*"), "b", 0, false);
    b.add(Some("*"), "c", 0, false);
    assert_eq!(hits(&mut b, "other.emit"), ["b"]);
    assert_eq!(hits(&mut b, "foo.test"), ["a", "b"]);
    // addListener.js 8: emitting wildcards matches too (5 calls).
    let mut b = Bus::default();
    b.add(Some("foo.test"), "t", 0, false);
    b.add(Some("*.*"), "s", 0, false);
    b.add(Some("*"), "o", 0, false);
    assert_eq!(hits(&mut b, "*.*"), ["t", "s"]);
    assert_eq!(hits(&mut b, "foo.test"), ["t", "s"]);
    assert_eq!(hits(&mut b, "*"), ["o"]);
}

#[test]
fn multi_level_wildcards() {
    // addListener.js 11: which listener each emission reaches (58 calls).
    let patterns = [
        "**.test",
        "**.bar.**",
        "**.*",
        "*.**",
        "**",
        "other.**",
        "foo.**.test",
        "test.**",
    ];
    let emits: [(&str, [u8; 8]); 10] = [
        ("other.emit", [0, 0, 1, 1, 1, 1, 0, 0]),
        ("foo.bar.test", [1, 1, 1, 1, 1, 0, 1, 0]),
        ("foo.bar.test.bar.foo.test.foo", [0, 1, 1, 1, 1, 0, 0, 0]),
        ("bar.bar.bar.bar.bar.bar", [0, 1, 1, 1, 1, 0, 0, 0]),
        ("**.*", [1, 1, 1, 1, 1, 1, 1, 1]),
        ("test", [1, 0, 1, 1, 1, 0, 0, 1]),
        ("foo.test", [1, 0, 1, 1, 1, 0, 1, 0]),
        ("foo.**.*", [1, 1, 1, 1, 1, 0, 1, 0]),
        ("**.test", [1, 1, 1, 1, 1, 1, 1, 1]),
        ("**.test.**", [1, 1, 1, 1, 1, 1, 1, 1]),
    ];
    let mut b = Bus::default();
    for p in patterns {
        b.add(Some(p), p, 0, false);
    }
    // Two `**` in a row: ignored, as EventEmitter2 ignores them.
    for p in ["**.**", "a.b.**.**", "**.**.a.b", "a.b.**.**.a.b"] {
        b.add(Some(p), "never", 0, false);
    }
    assert_eq!(b.len(), 8);
    let mut total = 0;
    for (name, want) in emits {
        let got = hits(&mut b, name);
        let want: Vec<&str> = patterns
            .iter()
            .zip(want)
            .filter(|(_, w)| *w == 1)
            .map(|(p, _)| *p)
            .collect();
        assert_eq!(got, want, "emit {name}");
        total += got.len();
    }
    assert_eq!(total, 58);
    // Names from the stream are literal: a `*` in them matches only `*`.
    assert_eq!(b.targets("test", false).len(), 5);
    assert!(matches("a.*", "a.b", false) && !matches("a.b", "a.*", false));
}

#[test]
fn remove_listener() {
    // removeListener.js 1–3: one of several identical listeners.
    let mut b = Bus::default();
    for _ in 0..3 {
        b.add(Some("test1"), "f", 0, false);
    }
    assert!(b.off("test1", &"f"));
    assert_eq!(b.listeners(Some("test1")).len(), 2);
    assert!(!b.off("test1", &"g"));
    assert!(!b.off("test1test1", &"f"));
    // 8–10: removing by a wildcard name removes from every covered
    // pattern that has only that listener.
    let mut b = Bus::default();
    b.add(Some("*.wild.card"), "f", 0, false);
    b.add(Some("exact.wild.card"), "f", 0, false);
    b.add(Some("just.another.event"), "f", 0, false);
    assert_eq!(b.listeners(Some("*.wild.card")).len(), 2);
    assert!(b.off("*.wild.card", &"f"));
    assert_eq!(b.listeners(Some("*.wild.card")).len(), 0);
    assert_eq!(b.listeners(Some("just.another.event")), ["f"]);
    // 11: removing the wildcard listener leaves the concrete ones.
    let mut b = Bus::default();
    b.add(Some("foo.bar.baz"), "good", 0, false);
    b.add(Some("foo.bar.baz"), "good", 0, false);
    b.add(Some("foo.*.*"), "bad", 0, false);
    assert!(b.off("foo.*.*", &"bad"));
    assert_eq!(hits(&mut b, "foo.bar.baz"), ["good", "good"]);
    // A concrete name does not reach a wildcard pattern's listener.
    b.add(Some("foo.*.*"), "bad", 0, false);
    assert!(!b.off("foo.bar.baz", &"bad"));
}

#[test]
fn remove_all_listeners() {
    let mut b = Bus::default();
    b.add(Some("test1.a"), "f", 0, false);
    b.add(Some("test1.b"), "g", 0, false);
    b.add(Some("test2"), "h", 0, false);
    b.add(None, "any", 0, false);
    b.remove_all(Some("test1test1"));
    assert_eq!(b.len(), 4);
    b.remove_all(Some("test1.*"));
    assert_eq!(b.event_names().collect::<Vec<_>>(), ["test2"]);
    b.remove_all(None);
    assert!(b.event_names().next().is_none());
    assert_eq!(b.listeners(None), ["any"], "onAny listeners stay");
}

#[test]
fn once_many_prepend_and_any() {
    let mut b = Bus::default();
    b.add(Some("e"), "once", 1, false);
    b.add(Some("e"), "twice", 2, false);
    b.add(Some("e"), "first", 0, true);
    b.add(None, "any", 0, false);
    assert_eq!(
        fs(b.targets("e", false)),
        [
            ("any", true),
            ("first", false),
            ("once", false),
            ("twice", false)
        ]
    );
    assert_eq!(hits(&mut b, "e"), ["any", "first", "twice"]);
    assert_eq!(hits(&mut b, "e"), ["any", "first"]);
    b.add(None, "any2", 0, true);
    assert_eq!(b.listeners(None), ["any2", "any"]);
    b.off_any(Some(&"any"));
    assert_eq!(b.listeners(None), ["any2"]);
    b.off_any(None);
    assert!(b.listeners(None).is_empty());
    assert_eq!(b.listeners(Some("e")), ["first"]);
    assert_eq!(b.event_names().collect::<Vec<_>>(), ["e"]);
}

#[test]
fn pathological_patterns_stay_linear() {
    let name = "a.".repeat(63) + "b";
    let pattern = "**.a.".repeat(25) + "c";
    assert!(!matches(&pattern, &name, true));
    assert!(matches(&("**.a.".repeat(25) + "**"), &name, true));
}
