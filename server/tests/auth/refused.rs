//! How bad tokens are refused: stable codes and statuses, and messages that
//! never contain the token.

use serde_json::json;
use stream_server::auth::AuthError;
use stream_server::dev::sign;
use stream_server::http::ApiError;

use super::corpus::corpus;
use super::fixtures::*;

#[test]
fn bad_token_corpus_gives_stable_codes() {
    let v = all();
    let corpus = corpus();
    assert!(corpus.len() >= 30, "corpus has {} entries", corpus.len());
    let mut failures = Vec::new();
    for (name, token, expected) in &corpus {
        let got = v.verify(token, NOW);
        if got.as_ref().err() != Some(expected) {
            failures.push(format!("{name}: expected {expected}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn issuer_mismatch_with_single_profiles() {
    let mut c = talk_claims(NOW);
    c["iss"] = json!("https://elsewhere.example");
    assert_eq!(
        only(talk_cfg()).verify(&sign(&c, TALK_SECRET), NOW),
        Err(AuthError::IssuerMismatch)
    );
    let mut s = seed_003();
    s["iss"] = json!("other");
    assert_eq!(
        only(spoke_cfg()).verify(&sign(&s, SPOKE_SECRET), SEED_003_NOW),
        Err(AuthError::IssuerMismatch)
    );
}

#[test]
fn error_codes_and_statuses_are_stable() {
    use AuthError::*;
    let table = [
        (Missing, "TOKEN_MISSING", 401),
        (TooLarge, "TOKEN_TOO_LARGE", 413),
        (Malformed, "TOKEN_MALFORMED", 401),
        (AlgorithmInvalid, "TOKEN_ALGORITHM_INVALID", 401),
        (SignatureInvalid, "TOKEN_SIGNATURE_INVALID", 401),
        (Expired, "TOKEN_EXPIRED", 401),
        (NotYetValid, "TOKEN_NOT_YET_VALID", 401),
        (ClaimMissing("sub"), "TOKEN_CLAIM_MISSING", 401),
        (ClaimInvalid("sub"), "TOKEN_CLAIM_INVALID", 401),
        (IssuerMismatch, "TOKEN_ISSUER_MISMATCH", 401),
        (AudienceMismatch, "TOKEN_AUDIENCE_MISMATCH", 401),
        (ProfileUnknown, "TOKEN_PROFILE_UNKNOWN", 401),
        (Revoked, "TOKEN_REVOKED", 401),
        (DuplicateUser, "DUPLICATE_USER", 409),
    ];
    for (e, code, status) in table {
        assert_eq!(e.code(), code);
        assert_eq!(e.code(), ApiError::from(e.clone()).code());
        assert_eq!(ApiError::from(e.clone()).status().as_u16(), status);
        assert!(!e.message().is_empty());
    }
    assert_eq!(ClaimMissing("user.id").claim(), Some("user.id"));
    assert_eq!(
        ClaimMissing("user.id").to_string(),
        "TOKEN_CLAIM_MISSING (user.id)"
    );
}

#[test]
fn messages_never_contain_the_token() {
    for (_, token, _) in corpus() {
        if let Err(e) = all().verify(&token, NOW) {
            if token.len() > 8 {
                assert!(!e.message().contains(&token));
                assert!(!e.to_string().contains(&token));
            }
        }
    }
}
