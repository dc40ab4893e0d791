//! The origin parser.

use super::strategies::*;
use super::*;

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
