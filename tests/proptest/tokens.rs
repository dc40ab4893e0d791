//! The structural token helpers (base64url, the payload's JSON).

use super::strategies::text;
use super::*;

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
