//! Generators shared by the property tests: message types and keys (the
//! protocol's own lists plus near misses and prototype-pollution keys),
//! arbitrary values and records, URL-like strings.

use super::*;

/// Every message type name, plus near misses.
pub fn types() -> Vec<&'static str> {
    stream_embed::protocol::TYPES
        .into_iter()
        .chain(["Hello", "LOGIN", "", "login ", "__proto__"])
        .collect()
}

/// Keys the decoder reads (the protocol's own list), plus
/// prototype-pollution keys and near misses.
pub fn keys() -> Vec<&'static str> {
    [NS, TYPE]
        .into_iter()
        .chain(stream_embed::protocol::FIELDS)
        .chain(["__proto__", "constructor", "prototype", "$streamembed", "T"])
        .collect()
}

/// Arbitrary Unicode text (cheaper in debug builds than `any::<String>()`).
pub fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..24).prop_map(String::from_iter)
}

pub fn any_f64() -> impl Strategy<Value = f64> {
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

pub fn any_string() -> impl Strategy<Value = String> {
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

pub fn any_val() -> impl Strategy<Value = Val<String>> {
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

pub fn any_key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(keys()).prop_map(str::to_owned),
        1 => text(),
    ]
}

/// Arbitrary records, biased towards ones that pass the version and type
/// checks so the per-kind decoding is exercised.
pub fn any_record() -> impl Strategy<Value = MapRecord> {
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

pub fn url_like() -> impl Strategy<Value = String> {
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
