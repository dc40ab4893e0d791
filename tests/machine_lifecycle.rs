//! Scenarios of the host state machine, natively: creation (options,
//! origin, container, `events`), lazy and eager rendering, `remove()`.
//! Coral's own options and the Talk v4 shim: `machine_coral`.
//! `cargo test -p stream-embed --test machine_lifecycle`

mod driver;

use driver::*;
use serde_json::json;

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn bad_options_throw_typed_errors_and_change_nothing() {
    let mut d = Driver::new();
    let err = |c: &str, o: &str| (c.to_owned(), o.to_owned());
    assert_eq!(
        code(d.create(&[("accessToken", V::Num(42.0))])),
        err("INVALID_OPTION", "accessToken")
    );
    assert_eq!(
        code(d.create(&[("rootURL", s("not a url"))])),
        err("INVALID_OPTION", "rootURL")
    );
    assert_eq!(
        code(d.create(&[("autoRender", s("yes"))])),
        err("INVALID_OPTION", "autoRender")
    );
    assert_eq!(
        code(d.create(&[("events", V::Num(3.0))])),
        err("INVALID_OPTION", "events")
    );
    // An option given as a getter is invalid; the getter never runs.
    assert_eq!(
        code(d.create(&opts(&[("rootURL", V::Accessor)]))),
        err("INVALID_OPTION", "rootURL")
    );
    assert_eq!(
        code(d.create(&[("id", s("nowhere"))])),
        err("CONTAINER_NOT_FOUND", "")
    );
    // A string is not an options object.
    let r = d.run(0, &|d, w| {
        let kept = d.kept.clone();
        w.record(None, &kept);
        let _ = d;
    });
    assert_eq!(code(r), err("INVALID_OPTION", "config"));
    // Without rootURL and without the script's URL there is no stream.
    d.base = None;
    assert_eq!(code(d.create(&opts(&[]))), err("INVALID_OPTION", "rootURL"));
    // A refused token is never echoed.
    let big = "x".repeat(20_000);
    let (_, _, msg) = d
        .create(&opts(&[("rootURL", s(STREAM)), ("accessToken", s(&big))]))
        .unwrap_err();
    assert!(!msg.contains("xxxx"));
    assert!(d.core.is_empty());
    assert!(d.kept.is_empty(), "nothing kept: {:?}", d.kept);
    assert!(!d
        .take()
        .iter()
        .any(|f| matches!(f, Fx::Bind(_) | Fx::Frame { .. })));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn creation_binds_calls_events_then_renders_lazily() {
    let mut d = Driver::new();
    d.canonical = "https://news.test/canonical".into();
    let id = d
        .create(&opts(&[
            ("autoRender", V::Bool(true)),
            ("events", V::Func("events")),
            ("storyId", s("typo")),
        ]))
        .unwrap();
    let log = d.take();
    // The container is asked for before anything happens.
    assert_eq!(log[0], Fx::Ask(0, json!("coral_thread")));
    assert_eq!(
        log[1],
        Fx::Warn("Coral: unknown option `storyId` ignored.".into())
    );
    assert_eq!(log[2], Fx::Bind(id));
    assert!(
        matches!(&log[3], Fx::Call { f: V::Func("events"), args, .. } if *args == [V::Handle(id)])
    );
    // Lazy: an observer on the container, no iframe yet.
    assert_eq!(
        log[4..],
        [Fx::Observe {
            embed: id,
            container: V::Obj("div#coral_thread"),
            margin: "100px".into(),
            root: V::Null,
        }]
    );
    assert_eq!(
        d.call(id, 20, V::Undef, V::Undef),
        Ok(json!(false)),
        "not rendered"
    );
    d.event(7, id, &[0.0]);
    assert_eq!(d.take(), [], "not near yet");
    d.event(7, id, &[1.0]);
    let log = d.take();
    assert_eq!(
        log[0],
        Fx::Observe {
            embed: id,
            container: V::Undef,
            margin: String::new(),
            root: V::Null,
        }
    );
    let Fx::Frame {
        container,
        attrs,
        css,
        ..
    } = &log[1]
    else {
        panic!("{log:?}")
    };
    assert_eq!(*container, V::Obj("div#coral_thread"));
    assert_eq!(
        *attrs,
        [
            ("src", "https://stream.test/embed/stream?storyID=story-1&storyURL=https%3A%2F%2Fnews.test%2Fcanonical"),
            ("title", "Comments"),
            ("referrerpolicy", "no-referrer"),
            ("scrolling", "no")
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert!(css.contains("visibility:hidden") && css.contains("height:0"));
    assert_eq!(
        log[2..],
        [0, 1, 2].map(|what| Fx::Listen {
            embed: id,
            what,
            on: true
        })
    );
    assert_eq!(d.call(id, 20, V::Undef, V::Undef), Ok(json!(true)));
    // render() again is a no-op.
    d.call(id, 0, V::Undef, V::Undef).unwrap();
    assert_eq!(d.take(), []);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn eager_render_without_intersection_observer_or_with_a_permalink() {
    for (observer, search) in [
        (false, vec![]),
        (true, vec![("commentID".to_owned(), "c-7".to_owned())]),
    ] {
        let mut d = Driver::new();
        d.observer = observer;
        d.search = search;
        let id = d.create(&opts(&[("autoRender", V::Bool(true))])).unwrap();
        let log = d.take();
        assert!(log.iter().any(|f| matches!(f, Fx::Frame { .. })), "{log:?}");
        assert!(!log.iter().any(|f| matches!(f, Fx::Observe { .. })));
        if observer {
            // The permalink is announced asynchronously, to listeners added
            // after construction too.
            assert!(log.contains(&Fx::Timer {
                embed: id,
                timer: 2,
                ms: 0
            }));
            d.call(id, 4, s("showPermalink"), V::Func("f")).unwrap();
            d.timer(id, 2);
            assert_eq!(
                Driver::calls(&d.take()),
                [(V::Func("f"), vec![V::Json(json!({"commentID": "c-7"}))])]
            );
        }
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn explicit_render_uses_the_options_and_the_script_origin() {
    let mut d = Driver::new();
    d.base = Some("http://127.0.0.1:9/embed.js".into());
    let id = d
        .create(&[
            ("id", s("coral_thread")),
            ("storyID", V::Num(42.0)),
            ("storyURL", s("https://x.test/a b")),
            ("storyMode", s("QA")),
            ("commentID", s("c1")),
        ])
        .unwrap();
    d.take();
    d.call(id, 0, V::Undef, V::Undef).unwrap();
    let log = d.take();
    let Fx::Frame { attrs, .. } = &log[0] else {
        panic!()
    };
    assert_eq!(
        attrs[0].1,
        "http://127.0.0.1:9/embed/stream?storyID=42&storyURL=https%3A%2F%2Fx.test%2Fa+b&storyMode=QA&commentID=c1"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn remove_unmounts_render_mounts_again_and_free_forgets_everything() {
    let mut d = Driver::new();
    let id = d
        .create(&opts(&[
            ("events", V::Func("events")),
            ("refreshAccessToken", V::Func("refresh")),
        ]))
        .unwrap();
    // Never rendered: Coral throws NOT_MOUNTED too.
    assert_eq!(
        code(d.call(id, 1, V::Undef, V::Undef)),
        ("NOT_MOUNTED".into(), "".into())
    );
    d.call(id, 4, s("ready"), V::Func("a")).unwrap();
    d.call(id, 7, V::Func("b"), V::Undef).unwrap();
    d.login(id, &coral_token("bob", d.secs() + 3600.0)).unwrap();
    d.call(id, 0, V::Undef, V::Undef).unwrap();
    d.hello(id);
    d.port(id, &[&[("t", s("ready"))]]);
    d.take();
    d.call(id, 1, V::Undef, V::Undef).unwrap();
    assert_eq!(d.take(), [Fx::Unmount(id)]);
    assert_eq!(d.call(id, 20, V::Undef, V::Undef), Ok(json!(false)));
    assert_eq!(code(d.call(id, 1, V::Undef, V::Undef)).0, "NOT_MOUNTED");
    // Options, listeners and token stay: render() mounts it again, the
    // token timer runs again, `ready` is said again.
    d.login(id, &coral_token("bob", d.secs() + 3600.0)).unwrap();
    d.call(id, 0, V::Undef, V::Undef).unwrap();
    let log = d.take();
    assert!(log.iter().any(|f| matches!(f, Fx::Frame { .. })));
    d.hello(id);
    let config = &Driver::posts(&d.take(), id)[0];
    assert!(config["accessToken"].is_string(), "{config}");
    assert_eq!(config["canRefresh"], true);
    d.port(id, &[&[("t", s("ready"))]]);
    assert_eq!(
        Driver::calls(&d.take()).len(),
        2,
        "ready once more, to both listeners"
    );
    // The page drops the handle: everything goes, later calls throw.
    d.call(id, 98, V::Undef, V::Undef).unwrap();
    assert_eq!(d.take()[0], Fx::Unmount(id));
    assert!(d.kept.is_empty(), "slots left: {:?}", d.kept);
    assert!(d.core.is_empty());
    for m in [0, 1, 2, 3, 4] {
        let (a, b) = match m {
            2 => (s("a.b.c"), V::Undef),
            4 => (s("ready"), V::Func("a")),
            _ => (V::Undef, V::Undef),
        };
        assert_eq!(code(d.call(id, m, a, b)).0, "NOT_MOUNTED", "method {m}");
    }
    assert_eq!(d.call(id, 20, V::Undef, V::Undef), Ok(json!(false)));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn remove_cancels_a_pending_lazy_render_and_cycles_leave_nothing() {
    let mut d = Driver::new();
    for _ in 0..200 {
        let id = d
            .create(&opts(&[
                ("autoRender", V::Bool(true)),
                ("events", V::Func("events")),
            ]))
            .unwrap();
        d.call(id, 4, s("ready"), V::Func("ready")).unwrap();
        d.call(id, 1, V::Undef, V::Undef).unwrap();
        d.event(7, id, &[1.0]);
        assert!(
            !d.take().iter().any(|f| matches!(f, Fx::Frame { .. })),
            "rendered after remove"
        );
        // Mounted again, removed, then the page drops the handle.
        d.call(id, 0, V::Undef, V::Undef).unwrap();
        d.call(id, 1, V::Undef, V::Undef).unwrap();
        d.call(id, 98, V::Undef, V::Undef).unwrap();
        d.take();
    }
    assert!(d.core.is_empty() && d.kept.is_empty() && d.live.is_empty());
}
