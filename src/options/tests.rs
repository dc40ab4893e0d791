//! Options: Coral's names and defaults, types, warnings, and origins.

use super::origin::ipv4_canonical;
use super::*;

#[test]
fn ipv4_addresses_only_as_the_browser_writes_them() {
    for ok in [
        "127.0.0.1",
        "0.0.0.0",
        "255.255.255.255",
        "example.com",
        "a1.b2",
        "x.0y",
        "example.com.",
    ] {
        assert!(ipv4_canonical(ok.as_bytes()), "{ok}");
    }
    for bad in [
        "127.1",
        "0x7f.1",
        "2130706433",
        "010.0.0.1",
        "1.2.3.256",
        "1.2.3.4.",
        "a.1",
        "x.0x1f",
        "1.2.3.4.5",
    ] {
        assert!(!ipv4_canonical(bad.as_bytes()), "{bad}");
    }
}

use crate::error::Code;
use crate::protocol::MapRecord;

fn rec(pairs: &[(&str, Val<String>)]) -> MapRecord {
    MapRecord::of(pairs)
}
fn s(v: &str) -> Val<String> {
    Val::Str(v.to_owned())
}

#[test]
fn root_url_forms() {
    for ok in [
        "https://comments.example",
        "//comments.example",
        "//comments.example/coral/",
        "http://127.0.0.1:3001/",
        "https://comments.example/a/b",
    ] {
        let o = parse(&rec(&[("rootURL", s(ok))]));
        assert!(o.is_ok(), "{ok}");
        assert!(!o.unwrap().root_url.unwrap().ends_with('/'), "{ok}");
    }
    for bad in [
        "https://user:pw@comments.example",
        "//user@comments.example",
        "javascript:alert(1)//",
        "https://comments.example/?x=1",
        "https://comments.example/#x",
        "comments.example",
        "/relative/path",
        "ftp://comments.example",
    ] {
        let e = parse(&rec(&[("rootURL", s(bad))])).unwrap_err();
        assert_eq!(
            (e.code, e.option),
            (Code::InvalidOption, Some("rootURL")),
            "{bad}"
        );
    }
}

#[test]
fn defaults_are_corals() {
    let o = parse(&rec(&[])).unwrap();
    assert_eq!(o.id, "coral-embed-stream");
    assert_eq!(o.root_url, None);
    assert!(!o.auto_render);
    assert_eq!(o.access_token, None);
    assert!(o.warnings.is_empty());
}

#[test]
fn all_options_are_read() {
    let o = parse(&rec(&[
        ("id", s("coral_thread")),
        ("rootURL", s("https://Comments.Example.com:443/coral/")),
        ("storyID", Val::Num(42.0)),
        ("storyURL", s("https://news.test/a")),
        ("storyMode", s("QA")),
        ("commentID", s("c-1")),
        ("autoRender", Val::Bool(true)),
        ("events", Val::Func("ev".into())),
        ("accessToken", s("a.b.c")),
        ("refreshAccessToken", Val::Func("rf".into())),
        ("containerClassName", s("dark")),
        ("customCSSURL", s("/x.css")),
        ("customFontsCSSURL", s("/f.css")),
        ("disableDefaultFonts", Val::Bool(true)),
        ("enableDeprecatedEvents", Val::Bool(true)),
        ("amp", Val::Null),
    ]))
    .unwrap();
    assert_eq!(o.id, "coral_thread");
    assert_eq!(
        o.root_url.as_deref(),
        Some("https://Comments.Example.com:443/coral")
    );
    assert_eq!(o.story_id.as_deref(), Some("42"));
    assert_eq!(o.story_mode.as_deref(), Some("QA"));
    assert!(o.auto_render && o.disable_default_fonts && o.enable_deprecated_events);
    assert_eq!(o.events.as_deref(), Some("ev"));
    assert_eq!(o.refresh_access_token.as_deref(), Some("rf"));
    let c = o.stream_config();
    assert_eq!(c.access_token, None, "the host adds the token itself");
    assert_eq!(c.container_class_name.as_deref(), Some("dark"));
    assert!(c.can_refresh);
    assert!(o.warnings.is_empty());
}

#[test]
fn wrong_types_name_the_option() {
    let cases: &[(&str, Val<String>)] = &[
        ("accessToken", Val::Num(42.0)),
        ("accessToken", Val::Bool(true)),
        ("rootURL", s("not a url")),
        ("rootURL", s("javascript:alert(1)")),
        ("rootURL", s("ftp://x.test")),
        ("rootURL", s("https://x.test/?a=1")),
        ("rootURL", Val::Num(1.0)),
        ("id", Val::Other("{}".into())),
        ("id", Val::Num(3.0)),
        ("id", s("")),
        ("storyID", Val::Bool(false)),
        ("storyID", Val::Num(1.5)),
        ("storyMode", s("CHAT")),
        ("autoRender", s("yes")),
        ("events", s("function")),
        ("refreshAccessToken", Val::Other("{}".into())),
        ("bodyClassName", Val::Num(3.0)),
        ("disableDefaultFonts", Val::Num(1.0)),
    ];
    for (k, v) in cases {
        let e = parse(&rec(&[(k, v.clone())])).unwrap_err();
        assert_eq!(e.code, Code::InvalidOption, "{k}");
        assert_eq!(e.option, Some(*k));
        assert!(e.message.contains(k), "{}", e.message);
    }
}

#[test]
fn oversized_token_is_rejected_without_echoing_it() {
    let big = "x".repeat(MAX_TOKEN + 1);
    let e = parse(&rec(&[("accessToken", s(&big))])).unwrap_err();
    assert_eq!(e.code, Code::InvalidOption);
    assert!(!e.message.contains("xxxx"));
    assert_eq!(
        parse(&rec(&[("accessToken", s(""))])).unwrap().access_token,
        None
    );
}

#[test]
fn unknown_and_deprecated_options_warn_once_each() {
    let o = parse(&rec(&[("storyId", s("oops")), ("bodyClassName", s("old"))])).unwrap();
    assert_eq!(o.warnings.len(), 2);
    assert!(o.warnings[0].contains("`storyId`"));
    assert!(o.warnings[1].contains("bodyClassName"));
    assert_eq!(o.container_class_name.as_deref(), Some("old"));
    let o = parse(&rec(&[
        ("bodyClassName", s("old")),
        ("containerClassName", s("new")),
    ]))
    .unwrap();
    assert_eq!(o.container_class_name.as_deref(), Some("new"));
}

#[test]
fn origins() {
    for (u, o) in ORIGIN_CASES {
        assert_eq!(origin_of(u).as_deref(), Some(o), "{u}");
    }
    for bad in NOT_ORIGINS {
        assert_eq!(origin_of(bad), None, "{bad}");
    }
    // The URL standard (and so the browser build) reads this one as
    // `http://x`; the Rust parser refuses it.
    assert_eq!(origin_of("http:///x"), None);
}

#[test]
fn integer_strings() {
    assert_eq!(integer_string(0), "0");
    assert_eq!(integer_string(-120), "-120");
    assert_eq!(integer_string(9_007_199_254_740_991), "9007199254740991");
}
