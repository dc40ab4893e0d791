//! The protocol's round trips and what each end refuses.

use super::*;

/// Encodes and decodes `m`; returns the keys it was written with.
fn round_trip(m: Msg<String>) -> Vec<String> {
    let mut rec = MapRecord::default();
    m.encode(&mut rec);
    assert_eq!(Msg::decode(&rec, m.sender()), Some(m.clone()), "{rec:?}");
    let other = match m.sender() {
        From::Host => From::Stream,
        From::Stream => From::Host,
    };
    assert_eq!(Msg::decode(&rec, other), None, "wrong direction accepted");
    // Each direction's encoder writes its own kinds only.
    let (mut host, mut stream) = (MapRecord::default(), MapRecord::default());
    m.encode_from_host(&mut host);
    m.encode_from_stream(&mut stream);
    let (own, foreign) = match m.sender() {
        From::Host => (host, stream),
        From::Stream => (stream, host),
    };
    assert_eq!((own, foreign), (rec.clone(), MapRecord::default()));
    rec.0.into_iter().map(|(k, _)| k).collect()
}

#[test]
fn every_message_round_trips_and_only_in_its_direction() {
    let mut written = Vec::new();
    let full = Config {
        access_token: Some("a.b.c".into()),
        story_id: Some("story-1".into()),
        story_url: Some("https://x.test/a".into()),
        story_mode: Some("QA".into()),
        comment_id: Some("c1".into()),
        container_class_name: Some("dark".into()),
        custom_css_url: Some("https://x.test/c.css".into()),
        custom_fonts_css_url: Some("https://x.test/f.css".into()),
        disable_default_fonts: true,
        enable_deprecated_events: true,
        can_refresh: true,
    };
    for m in [
        Msg::Hello,
        Msg::Welcome,
        Msg::Config(Config::default()),
        Msg::Config(full),
        Msg::Login {
            token: "t.o.k".into(),
        },
        Msg::Logout,
        Msg::RefreshAccessToken { token: None },
        Msg::RefreshAccessToken {
            token: Some("n.e.w".into()),
        },
        Msg::Ready,
        Msg::Event {
            name: "loginPrompt".into(),
            data: None,
        },
        Msg::Event {
            name: "showAuthPopup".into(),
            data: Some("{view}".into()),
        },
        Msg::Height { px: 420.5 },
        Msg::GetRefreshAccessToken,
        Msg::AuthState { logged_in: true },
        Msg::AuthState { logged_in: false },
        Msg::Permalink { comment_id: None },
        Msg::Permalink {
            comment_id: Some("c-9".into()),
        },
        Msg::CommentId { comment_id: None },
        Msg::CommentId {
            comment_id: Some("c-9".into()),
        },
    ] {
        written.extend(round_trip(m));
    }
    // FIELDS (what the hostile-input suites feed the decoders) is exactly
    // what the messages carry besides the namespace and the type.
    written.sort();
    written.dedup();
    let mut fields: Vec<String> = FIELDS.iter().map(|f| f.to_string()).collect();
    fields.extend([NS.to_string(), TYPE.to_string()]);
    fields.sort();
    assert_eq!(written, fields);
}

fn rec(pairs: &[(&str, Val<String>)]) -> MapRecord {
    MapRecord::of(pairs)
}

#[test]
fn foreign_and_malformed_messages_are_ignored() {
    let ns = (NS, Val::Num(VERSION));
    let cases = [
        rec(&[]),
        rec(&[
            (TYPE, Val::Str("login".into())),
            ("token", Val::Str("x".into())),
        ]),
        rec(&[(NS, Val::Num(2.0)), (TYPE, Val::Str("logout".into()))]),
        rec(&[
            (NS, Val::Str("1".into())),
            (TYPE, Val::Str("logout".into())),
        ]),
        rec(&[ns.clone(), (TYPE, Val::Num(1.0))]),
        rec(&[ns.clone(), (TYPE, Val::Str("nope".into()))]),
        rec(&[ns.clone(), (TYPE, Val::Str("login".into()))]),
        rec(&[
            ns.clone(),
            (TYPE, Val::Str("login".into())),
            ("token", Val::Num(42.0)),
        ]),
        rec(&[
            ns.clone(),
            (TYPE, Val::Str("login".into())),
            ("token", Val::Str(String::new())),
        ]),
        rec(&[
            ns.clone(),
            (TYPE, Val::Str("login".into())),
            ("token", Val::Str("x".repeat(MAX_TOKEN + 1))),
        ]),
    ];
    for c in &cases {
        assert_eq!(Msg::decode(c, From::Host), None, "{c:?}");
        assert_eq!(Msg::decode(c, From::Stream), None, "{c:?}");
    }
    let stream_bad = [
        rec(&[
            ns.clone(),
            (TYPE, Val::Str("height".into())),
            ("height", Val::Num(-1.0)),
        ]),
        rec(&[
            ns.clone(),
            (TYPE, Val::Str("height".into())),
            ("height", Val::Num(f64::NAN)),
        ]),
        rec(&[
            ns.clone(),
            (TYPE, Val::Str("height".into())),
            ("height", Val::Num(f64::INFINITY)),
        ]),
        rec(&[
            ns.clone(),
            (TYPE, Val::Str("height".into())),
            ("height", Val::Str("10".into())),
        ]),
        rec(&[ns.clone(), (TYPE, Val::Str("event".into()))]),
        rec(&[
            ns.clone(),
            (TYPE, Val::Str("event".into())),
            ("name", Val::Str(String::new())),
        ]),
        rec(&[
            ns.clone(),
            (TYPE, Val::Str("event".into())),
            ("name", Val::Str("x".repeat(MAX_EVENT_NAME + 1))),
        ]),
        rec(&[
            ns.clone(),
            (TYPE, Val::Str("authState".into())),
            ("loggedIn", Val::Num(1.0)),
        ]),
    ];
    for c in &stream_bad {
        assert_eq!(Msg::decode(c, From::Stream), None, "{c:?}");
    }
}

#[test]
fn config_ignores_wrongly_typed_fields() {
    let c = rec(&[
        (NS, Val::Num(VERSION)),
        (TYPE, Val::Str("config".into())),
        ("accessToken", Val::Num(42.0)),
        ("storyID", Val::Bool(true)),
        ("disableDefaultFonts", Val::Str("true".into())),
    ]);
    assert_eq!(
        Msg::<String>::decode(&c, From::Host),
        Some(Msg::Config(Config::default()))
    );
}
