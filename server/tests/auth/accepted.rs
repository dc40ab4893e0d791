//! Tokens every profile accepts, and how a token finds its profile.

use serde_json::json;
use stream_server::auth::{AuthError, Profile, Verifier};
use stream_server::dev::sign;

use super::fixtures::*;

#[test]
fn seed_002_example_verifies_at_its_issue_time() {
    let t = sign(&seed_002(), CORAL_SECRET);
    let v = all().verify(&t, SEED_002_NOW).expect("seed token verifies");
    assert_eq!(v.profile, Profile::Coral);
    assert_eq!(
        v.identity.external_id,
        "628bdc61-6616-4add-bfec-dd79156715d4"
    );
    assert_eq!(v.identity.email.as_deref(), Some("bob@example.com"));
    assert_eq!(v.identity.username.as_deref(), Some("bob"));
    assert_eq!(v.identity.badges, None, "absent badges stay absent");
    assert_eq!(v.identity.role, None);
    assert_eq!(
        v.jti.as_deref(),
        Some("151c19fc-ad15-4f80-a49c-09f137789fbb")
    );
    assert_eq!(v.iat, Some(1562172094));
    assert_eq!(v.exp, Some(1572172094));
    assert!(v.can_sign_out());
}

#[test]
fn seed_002_example_is_expired_today() {
    let t = sign(&seed_002(), CORAL_SECRET);
    assert_eq!(
        all().verify(&t, stream_server::auth::now()),
        Err(AuthError::Expired)
    );
}

#[test]
fn coral_minimal_token_without_jti_exp_iat() {
    let claims = json!({"user": {"id": "x", "email": "x@example.com", "username": "x"}});
    let v = only(coral_cfg())
        .verify(&sign(&claims, CORAL_SECRET), NOW)
        .unwrap();
    assert!(!v.can_sign_out(), "no jti → no Sign Out link");
    assert_eq!(v.iat, None);
    // jti without exp: still no Sign Out link.
    let claims =
        json!({"jti": "a", "user": {"id": "x", "email": "x@example.com", "username": "x"}});
    let v = all().verify(&sign(&claims, CORAL_SECRET), NOW).unwrap();
    assert!(!v.can_sign_out());
}

#[test]
fn coral_optional_claims_are_read() {
    let v = all()
        .verify(&sign(&coral_ok(NOW), CORAL_SECRET), NOW)
        .unwrap();
    assert_eq!(v.identity.badges, Some(vec!["SUBSCRIBER".to_string()]));
    assert_eq!(v.identity.role.as_deref(), Some("STAFF"));
    assert_eq!(
        v.identity.url.as_deref(),
        Some("https://news.example/account")
    );
    for role in ["COMMENTER", "STAFF", "MODERATOR", "ADMIN"] {
        let mut c = coral_ok(NOW);
        c["user"]["role"] = json!(role);
        assert!(all().verify(&sign(&c, CORAL_SECRET), NOW).is_ok(), "{role}");
    }
    let mut c = coral_ok(NOW);
    c["user"]["badges"] = json!([]);
    let v = all().verify(&sign(&c, CORAL_SECRET), NOW).unwrap();
    assert_eq!(v.identity.badges, Some(vec![]));
}

#[test]
fn seed_003_spoke_example_verifies() {
    let t = sign(&seed_003(), SPOKE_SECRET);
    for verifier in [all(), only(spoke_cfg())] {
        let v = verifier
            .verify(&t, SEED_003_NOW)
            .expect("spoke seed verifies");
        assert_eq!(v.profile, Profile::Token);
        assert_eq!(v.identity.external_id, "admin@spoke.test");
        assert_eq!(v.identity.email.as_deref(), Some("admin@spoke.test"));
        assert_eq!(v.identity.username.as_deref(), Some("Admin User"));
        let orgs = v.identity.organizations.unwrap();
        assert_eq!(orgs.len(), 1);
        assert_eq!(orgs[0].organization_id, "1");
        assert_eq!(orgs[0].role, "OWNER");
    }
    assert_eq!(
        all().verify(&t, SEED_003_NOW + 3600),
        Err(AuthError::Expired)
    );
}

#[test]
fn talk_v4_token_verifies() {
    let t = sign(&talk_claims(NOW), TALK_SECRET);
    for verifier in [all(), only(talk_cfg())] {
        let v = verifier.verify(&t, NOW).unwrap();
        assert_eq!(v.profile, Profile::TalkV4);
        assert_eq!(v.identity.external_id, "user-42");
        assert_eq!(v.identity.username, None);
        assert!(v.can_sign_out());
    }
    // aud may be an array containing the audience.
    let mut c = talk_claims(NOW);
    c["aud"] = json!(["other", "talk"]);
    assert!(all().verify(&sign(&c, TALK_SECRET), NOW).is_ok());
}

#[test]
fn profiles_are_matched_by_shape_and_issuer() {
    let v = all();
    // A coral-shaped token signed with the talk secret: coral's secret is tried.
    let t = sign(&coral_ok(NOW), TALK_SECRET);
    assert_eq!(v.verify(&t, NOW), Err(AuthError::SignatureInvalid));
    // Talk claims signed with the spoke secret: the issuer picks talk-v4.
    let t = sign(&talk_claims(NOW), SPOKE_SECRET);
    assert_eq!(v.verify(&t, NOW), Err(AuthError::SignatureInvalid));
    // Unknown issuer with both talk-v4 and token enabled.
    let mut c = talk_claims(NOW);
    c["iss"] = json!("someone-else");
    assert_eq!(
        v.verify(&sign(&c, TALK_SECRET), NOW),
        Err(AuthError::IssuerMismatch)
    );
    c.as_object_mut().unwrap().remove("iss");
    assert_eq!(
        v.verify(&sign(&c, TALK_SECRET), NOW),
        Err(AuthError::ClaimMissing("iss"))
    );
    // Coral + talk only: an issuer-less non-coral token goes to talk-v4.
    let ct = Verifier {
        profiles: vec![coral_cfg(), talk_cfg()],
    };
    assert_eq!(
        ct.verify(&sign(&c, TALK_SECRET), NOW),
        Err(AuthError::ClaimMissing("iss"))
    );
    // Only talk + token enabled: a coral-shaped token has no profile.
    let tt = Verifier {
        profiles: vec![talk_cfg(), spoke_cfg()],
    };
    assert_eq!(
        tt.verify(&sign(&coral_ok(NOW), CORAL_SECRET), NOW),
        Err(AuthError::ProfileUnknown)
    );
    // Nothing enabled at all.
    assert_eq!(
        Verifier::default().verify(&sign(&coral_ok(NOW), CORAL_SECRET), NOW),
        Err(AuthError::ProfileUnknown)
    );
}
