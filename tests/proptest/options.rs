//! Option parsing, and the host's query serializer.

use super::strategies::*;
use super::*;

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
