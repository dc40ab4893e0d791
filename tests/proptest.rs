//! Property tests (native, ≥ 10,000 cases each) for the pure decoders that
//! face untrusted input: the wire protocol, the structural token helpers and
//! the origin parser. Only the crate's public API is used.
//!
//! `cargo test -p stream-embed --test proptest`

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use stream_embed::options::origin_of;
use stream_embed::protocol::{
    Config, From, MapRecord, Msg, Record, Val, MAX_EVENT_NAME, MAX_HEIGHT, MAX_TOKEN, NS, TYPE,
    VERSION,
};
use stream_embed::token::{base64url_decode, payload_json};

const CASES: u32 = 10_000;

/// Every message type name, plus near misses.
fn types() -> Vec<&'static str> {
    stream_embed::protocol::TYPES
        .into_iter()
        .chain(["Hello", "LOGIN", "", "login ", "__proto__"])
        .collect()
}

/// Keys the decoder reads (the protocol's own list), plus
/// prototype-pollution keys and near misses.
fn keys() -> Vec<&'static str> {
    [NS, TYPE]
        .into_iter()
        .chain(stream_embed::protocol::FIELDS)
        .chain(["__proto__", "constructor", "prototype", "$streamembed", "T"])
        .collect()
}

/// Arbitrary Unicode text (cheaper in debug builds than `any::<String>()`).
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..24).prop_map(String::from_iter)
}

fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(VERSION),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-0.0),
        Just(0.0),
        Just(MAX_HEIGHT),
        Just(MAX_HEIGHT + 1.0),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE),
        Just(1.0000000000000002),
        -10.0..MAX_HEIGHT * 2.0,
        any::<f64>(),
    ]
}

fn any_string() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(types()).prop_map(str::to_owned),
        6 => text(),
        3 => "[a-zA-Z0-9._-]{0,40}",
        // Around the length limits.
        1 => (0usize..4).prop_map(|d| "e".repeat(MAX_EVENT_NAME - 1 + d)),
        1 => (0usize..4).prop_map(|d| "t".repeat(MAX_TOKEN - 1 + d)),
        // Huge (1 MiB).
        1 => Just("x".repeat(1 << 20)),
    ]
}

fn any_val() -> impl Strategy<Value = Val<String>> {
    prop_oneof![
        Just(Val::Missing),
        Just(Val::Null),
        any::<bool>().prop_map(Val::Bool),
        any_f64().prop_map(Val::Num),
        any_string().prop_map(Val::Str),
        // Opaque values: their content never matters to the decoder.
        "[a-z{}]{0,6}".prop_map(Val::Func),
        "[a-z{}]{0,6}".prop_map(Val::Other),
    ]
}

fn any_key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(keys()).prop_map(str::to_owned),
        1 => text(),
    ]
}

/// Arbitrary records, biased towards ones that pass the version and type
/// checks so the per-kind decoding is exercised.
fn any_record() -> impl Strategy<Value = MapRecord> {
    let header = (
        prop_oneof![3 => Just(Val::Num(VERSION)), 1 => any_val()],
        prop_oneof![
            4 => prop::sample::select(types()).prop_map(|t| Val::Str(t.to_owned())),
            1 => any_val()
        ],
    );
    (
        header,
        prop::collection::vec((any_key(), any_val()), 0..8),
        any::<bool>(),
    )
        .prop_map(|((ns, t), rest, header_first)| {
            let mut pairs = Vec::with_capacity(rest.len() + 2);
            if header_first {
                pairs.push((NS.to_owned(), ns));
                pairs.push((TYPE.to_owned(), t));
                pairs.extend(rest);
            } else {
                pairs.extend(rest);
                pairs.push((NS.to_owned(), ns));
                pairs.push((TYPE.to_owned(), t));
            }
            MapRecord(pairs)
        })
}

fn valid_token(t: &Option<String>) -> bool {
    t.as_ref()
        .is_none_or(|t| !t.is_empty() && t.len() <= MAX_TOKEN)
}

/// The invariants every decoded message must satisfy, whatever the input.
fn check_invariants(m: &Msg<String>, from: From, rec: &MapRecord) -> Result<(), TestCaseError> {
    prop_assert_eq!(m.sender(), from, "decoded a message the other side sends");
    prop_assert!(matches!(rec.get(NS), Val::Num(v) if v == VERSION));
    match m {
        Msg::Height { px } => {
            prop_assert!(
                px.is_finite() && (0.0..=MAX_HEIGHT).contains(px),
                "height {}",
                px
            )
        }
        Msg::Event { name, .. } => {
            prop_assert!(!name.is_empty() && name.len() <= MAX_EVENT_NAME)
        }
        Msg::Login { token } => prop_assert!(!token.is_empty() && token.len() <= MAX_TOKEN),
        Msg::RefreshAccessToken { token } => prop_assert!(valid_token(token)),
        Msg::Config(c) => prop_assert!(valid_token(&c.access_token)),
        Msg::Permalink { comment_id } | Msg::CommentId { comment_id } => prop_assert!(comment_id
            .as_ref()
            .is_none_or(|c| !c.is_empty() && c.len() <= MAX_EVENT_NAME)),
        _ => {}
    }
    Ok(())
}

// ---------------------------------------------------------------- messages

fn opt_token() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        "[A-Za-z0-9_-]{1,60}\\.[A-Za-z0-9_-]{1,60}\\.[A-Za-z0-9_-]{0,40}",
        (1usize..=MAX_TOKEN).prop_map(|n| "a".repeat(n)),
        text().prop_filter("non-empty, bounded", |s| !s.is_empty()
            && s.len() <= MAX_TOKEN),
    ])
}

fn token() -> impl Strategy<Value = String> {
    opt_token().prop_filter_map("some", |t| t)
}

fn any_config() -> impl Strategy<Value = Config> {
    let s = || prop::option::of(text());
    (
        opt_token(),
        (s(), s(), s(), s()),
        (s(), s(), s()),
        (any::<bool>(), any::<bool>(), any::<bool>()),
    )
        .prop_map(
            |(access_token, (a, b, c, d), (e, f, g), (x, y, z))| Config {
                access_token,
                story_id: a,
                story_url: b,
                story_mode: c,
                comment_id: d,
                container_class_name: e,
                custom_css_url: f,
                custom_fonts_css_url: g,
                disable_default_fonts: x,
                enable_deprecated_events: y,
                can_refresh: z,
            },
        )
}

fn comment_id() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        "[a-zA-Z0-9-]{1,40}",
        text().prop_filter("non-empty, bounded", |s| {
            !s.is_empty() && s.len() <= MAX_EVENT_NAME
        }),
    ])
}

/// Any message that satisfies the protocol's invariants.
fn valid_msg() -> impl Strategy<Value = Msg<String>> {
    let name = prop_oneof![
        "[a-zA-Z.]{1,40}",
        text().prop_filter("non-empty, bounded", |s| {
            !s.is_empty() && s.len() <= MAX_EVENT_NAME
        }),
        Just("e".repeat(MAX_EVENT_NAME)),
    ];
    prop_oneof![
        Just(Msg::Hello),
        Just(Msg::Welcome),
        any_config().prop_map(Msg::Config),
        token().prop_map(|token| Msg::Login { token }),
        Just(Msg::Logout),
        opt_token().prop_map(|token| Msg::RefreshAccessToken { token }),
        Just(Msg::Ready),
        (name, prop::option::of(text())).prop_map(|(name, data)| Msg::Event { name, data }),
        prop_oneof![0.0..=MAX_HEIGHT, Just(0.0), Just(-0.0), Just(MAX_HEIGHT)]
            .prop_map(|px| Msg::Height { px }),
        Just(Msg::GetRefreshAccessToken),
        any::<bool>().prop_map(|logged_in| Msg::AuthState { logged_in }),
        comment_id().prop_map(|comment_id| Msg::Permalink { comment_id }),
        comment_id().prop_map(|comment_id| Msg::CommentId { comment_id }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn decode_never_panics_and_yields_only_valid_messages(rec in any_record()) {
        for from in [From::Host, From::Stream] {
            if let Some(m) = Msg::<String>::decode(&rec, from) {
                check_invariants(&m, from, &rec)?;
            }
        }
    }

    #[test]
    fn encode_decode_round_trips_in_the_messages_direction(m in valid_msg()) {
        let mut rec = MapRecord::default();
        m.encode(&mut rec);
        let from = m.sender();
        prop_assert_eq!(Msg::decode(&rec, from), Some(m.clone()));
        let other = if from == From::Host { From::Stream } else { From::Host };
        prop_assert_eq!(Msg::<String>::decode(&rec, other), None, "accepted from the wrong side");
    }

    #[test]
    fn extra_hostile_keys_do_not_change_a_valid_message(
        m in valid_msg(),
        extra in prop::collection::vec(
            (prop::sample::select(&["__proto__", "constructor", "prototype", "toString", "x"][..]), any_val()),
            0..6,
        ),
    ) {
        let mut rec = MapRecord::default();
        m.encode(&mut rec);
        for (k, v) in extra {
            rec.set(k, v);
        }
        prop_assert_eq!(Msg::decode(&rec, m.sender()), Some(m));
    }
}

// ------------------------------------------------------------------ tokens

/// Unpadded base64url, independent of the crate.
fn b64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn b64ish() -> impl Strategy<Value = String> {
    prop_oneof![
        text(),
        "[A-Za-z0-9_=+/. -]{0,80}",
        "[A-Za-z0-9_-]{0,40}\\.[A-Za-z0-9_-]{0,40}\\.[A-Za-z0-9_-]{0,40}",
        "[.=]{0,10}",
        (0usize..4).prop_map(|d| format!("a.{}.c", "A".repeat(MAX_TOKEN - 4 + d))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn token_helpers_never_panic(s in b64ish()) {
        if let Some(bytes) = base64url_decode(&s) {
            // Valid input is only the base64url alphabet (plus trailing '=').
            let body = s.trim_end_matches('=');
            prop_assert!(body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            prop_assert_eq!(bytes.len(), body.len() * 3 / 4);
        }
        if let Some(json) = payload_json(&s) {
            prop_assert!(s.len() <= MAX_TOKEN);
            prop_assert_eq!(s.split('.').count(), 3);
            let payload = s.split('.').nth(1).unwrap_or_default();
            prop_assert_eq!(base64url_decode(payload), Some(json.into_bytes()));
        }
    }

    #[test]
    fn base64url_round_trips(bytes in prop::collection::vec(any::<u8>(), 0..300), pad in any::<bool>()) {
        let mut enc = b64url(&bytes);
        if pad {
            while !enc.len().is_multiple_of(4) {
                enc.push('=');
            }
        }
        prop_assert_eq!(base64url_decode(&enc), Some(bytes));
    }

    #[test]
    fn payload_json_round_trips(
        header in text(),
        payload in text(),
        sig in prop::collection::vec(any::<u8>(), 0..48),
    ) {
        let token = format!("{}.{}.{}", b64url(header.as_bytes()), b64url(payload.as_bytes()), b64url(&sig));
        let got = payload_json(&token);
        if token.len() <= MAX_TOKEN {
            prop_assert_eq!(got, Some(payload));
        } else {
            prop_assert_eq!(got, None);
        }
    }
}

// ----------------------------------------------------------------- origins

fn url_like() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![
        Just("http"),
        Just("https"),
        Just("HTTP"),
        Just("hTtPs"),
        Just("ftp"),
        Just("javascript"),
        Just(""),
    ];
    let userinfo = prop_oneof![
        Just(""),
        Just("user@"),
        Just("u:p@"),
        Just("@"),
        Just("a@b@")
    ];
    let host = prop_oneof![
        "[a-zA-Z0-9.-]{0,20}",
        "[a-z0-9.%~_-]{1,12}",
        Just("[::1]".to_owned()),
        "\\[[0-9a-fA-F:.]{0,12}\\]",
        "\\[[0-9a-f:\\]\\[]{0,8}",
        text(),
    ];
    let port = prop_oneof![
        Just(String::new()),
        "(:[0-9]{0,7})",
        Just(":80".to_owned()),
        Just(":443".to_owned()),
        Just(":0".to_owned()),
        Just(":000443".to_owned()),
        "(:[^/?#]{0,5})",
    ];
    let tail = prop_oneof![Just(String::new()), "[/?#][ -~]{0,20}", text()];
    let sep = prop_oneof![8 => Just("://"), 1 => Just(":/"), 1 => Just(":")];
    (scheme, sep, userinfo, host, port, tail)
        .prop_map(|(s, sep, u, h, p, t)| format!("{s}{sep}{u}{h}{p}{t}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn origin_of_never_panics_and_is_idempotent(url in prop_oneof![3 => url_like(), 1 => text()]) {
        if let Some(o) = origin_of(&url) {
            prop_assert_eq!(origin_of(&o), Some(o.clone()), "not a fixed point: {:?} -> {:?}", url, o);
            prop_assert!(o.starts_with("http://") || o.starts_with("https://"));
            let rest = o.split_once("://").map(|(_, r)| r).unwrap_or_default();
            prop_assert!(!rest.is_empty());
            prop_assert!(!rest.contains(['/', '?', '#', '@']), "{:?}", o);
            prop_assert_eq!(o.to_ascii_lowercase(), o.clone());
            prop_assert!(!o.ends_with(":80") || o.starts_with("https://"));
            prop_assert!(!o.ends_with(":443") || o.starts_with("http://"));
        }
    }
}

// ----------------------------------------------------------------- options

fn option_record() -> impl Strategy<Value = MapRecord> {
    let key = prop_oneof![
        6 => prop::sample::select(&stream_embed::options::KNOWN[..]).prop_map(str::to_owned),
        1 => prop::sample::select(keys()).prop_map(str::to_owned),
        1 => "[a-zA-Z]{1,12}",
    ];
    let val = prop_oneof![
        4 => any_val(),
        2 => url_like().prop_map(Val::Str),
        1 => prop::sample::select(stream_embed::options::STORY_MODES)
            .prop_map(|m| Val::Str(m.to_owned())),
        1 => (0usize..3).prop_map(|d| Val::Str("t".repeat(MAX_TOKEN - 1 + d))),
    ];
    prop::collection::vec((key, val), 0..8).prop_map(|pairs| {
        let mut rec = MapRecord::default();
        for (k, v) in pairs {
            rec.set(&k, v);
        }
        rec
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn options_parse_never_panics_and_accepts_only_valid_options(rec in option_record()) {
        match stream_embed::options::parse(&rec) {
            Ok(o) => {
                prop_assert!(!o.id.is_empty());
                if let Some(root) = &o.root_url {
                    prop_assert!(origin_of(root).is_some(), "{:?}", root);
                    prop_assert!(!root.ends_with('/') && !root.contains(['?', '#']), "{:?}", root);
                }
                if let Some(t) = &o.access_token {
                    prop_assert!(!t.is_empty() && t.len() <= MAX_TOKEN);
                }
                if let Some(m) = &o.story_mode {
                    prop_assert!(stream_embed::options::STORY_MODES.contains(&m.as_str()));
                }
                let c = o.stream_config();
                prop_assert_eq!(c.access_token, None);
                prop_assert_eq!(c.story_id, o.story_id);
            }
            Err(e) => {
                let name = e.option.unwrap_or_default();
                prop_assert!(stream_embed::options::KNOWN.contains(&name), "{:?}", e.option);
                // An error never echoes a long value it refused (a token, say).
                if let Val::Str(v) = rec.get(name) {
                    prop_assert!(v.len() <= 64 || !e.message.contains(v.as_str()), "{}", e.message);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// The host's own query serializer (it saves the `form_urlencoded`
    /// crate's table on the page) writes exactly what that crate writes,
    /// which is what `URLSearchParams.toString()` writes.
    #[test]
    fn query_serializer_matches_form_urlencoded(
        pairs in proptest::collection::vec((any::<String>(), any::<String>()), 0..6)
    ) {
        let ours = stream_embed::machine::page::serialize(&pairs);
        let theirs = form_urlencoded::Serializer::new(String::new()).extend_pairs(&pairs).finish();
        prop_assert_eq!(ours, theirs);
    }
}
