//! Scenarios of the host state machine, natively: Coral's embed options
//! (scheme-relative `rootURL`, `?storyID=`, `customScrollContainer`, count
//! badges) and the Talk v4 shim (`Coral.Talk.render`).
//! `cargo test -p stream-embed --test machine_coral`

mod driver;

use driver::*;

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn coral_options_scheme_relative_root_story_id_fallback_scroll_container_and_counts() {
    let mut d = Driver::new();
    d.search = url_pairs("storyID=from-url");
    d.counts = true;
    d.elements.insert("second".into(), V::Obj("div#second"));
    let id = d
        .create(&[
            ("id", s("coral_thread")),
            ("rootURL", s("//Stream.test/coral/")),
            ("autoRender", V::Bool(true)),
            ("customScrollContainer", V::El("div#scroller")),
        ])
        .unwrap();
    let log = d.take();
    // The count script, once per page.
    assert!(log.contains(&Fx::Script(vec![
        ("class".into(), "coral-script".into()),
        (
            "src".into(),
            "https://Stream.test/coral/assets/js/count.js".into()
        ),
    ])));
    assert!(log.contains(&Fx::Observe {
        embed: id,
        container: V::Obj("div#coral_thread"),
        margin: "100px".into(),
        root: V::El("div#scroller"),
    }));
    d.event(7, id, &[1.0]);
    let log = d.take();
    let Some(Fx::Frame { attrs, .. }) = log.iter().find(|f| matches!(f, Fx::Frame { .. })) else {
        panic!("{log:?}")
    };
    assert!(attrs[0]
        .1
        .starts_with("https://Stream.test/coral/embed/stream?storyID=from-url&"));
    d.hello(id);
    assert!(matches!(&d.take()[0], Fx::Connect { origin, .. } if origin == "https://stream.test"));
    let b = d.create(&[("id", s("second"))]).unwrap();
    assert!(
        !d.take().iter().any(|f| matches!(f, Fx::Script(_))),
        "added once"
    );
    d.call(b, 1, V::Undef, V::Undef).unwrap_err();
    // Not an element, userinfo: refused.
    assert_eq!(
        code(d.create(&opts(&[("customScrollContainer", V::Obj("{}"))]))),
        ("INVALID_OPTION".into(), "customScrollContainer".into())
    );
    assert_eq!(
        code(d.create(&opts(&[("rootURL", s("//user@stream.test"))]))),
        ("INVALID_OPTION".into(), "rootURL".into())
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn talk_v4_render_maps_its_options_and_renders_at_once_or_lazily() {
    let talk = |d: &mut Driver, el: V, o: Option<&[(&str, V)]>| {
        d.run(1, &|d, w| {
            let kept = d.kept.clone();
            w.val(&V::Undef, &kept);
            d.page(w);
            w.val(&el, &kept);
            w.record(o, &kept);
        })
    };
    let mut d = Driver::new();
    assert_eq!(
        code(talk(&mut d, V::Obj("proxy"), None)),
        ("INVALID_OPTION".into(), "element".into())
    );
    d.search = url_pairs("commentId=c-4");
    let token = coral_token("bob", d.secs() + 3600.0);
    talk(
        &mut d,
        V::El("div#talk"),
        Some(&[
            ("talk", s(STREAM)),
            ("asset_id", s("a-1")),
            ("auth_token", s(&token)),
            ("onAuthChanged", V::Func("cb")),
        ]),
    )
    .unwrap();
    let id = d.live[0];
    d.hello(id);
    let log = d.take();
    assert!(log.contains(&Fx::Warn(
        "Coral.Talk.render: option `onAuthChanged` is not supported; ignored.".into()
    )));
    let Some(Fx::Frame {
        container, attrs, ..
    }) = log.iter().find(|f| matches!(f, Fx::Frame { .. }))
    else {
        panic!("{log:?}")
    };
    assert_eq!(*container, V::El("div#talk"));
    assert!(attrs[0]
        .1
        .starts_with("https://stream.test/embed/stream?storyID=a-1&"));
    assert!(attrs[0].1.ends_with("&commentID=c-4"), "{}", attrs[0].1);
    let config = &Driver::posts(&log, id)[0];
    assert_eq!(
        (config["t"].as_str(), config["accessToken"].as_str()),
        (Some("config"), Some(token.as_str()))
    );
    // `lazy: true`: when the element nears the viewport.
    let mut d = Driver::new();
    talk(
        &mut d,
        V::El("div#talk"),
        Some(&[("talk", s(STREAM)), ("lazy", V::Bool(true))]),
    )
    .unwrap();
    let log = d.take();
    assert!(log.iter().any(|f| matches!(f, Fx::Observe { .. })));
    assert!(!log.iter().any(|f| matches!(f, Fx::Frame { .. })));
}
