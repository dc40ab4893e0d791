//! The bad-token corpus: a token for every way a token can be wrong, with
//! the error it must get.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use stream_server::auth::AuthError;
use stream_server::dev::sign;

use super::fixtures::*;

pub fn with(mut base: Value, path: &[&str], value: Option<Value>) -> Value {
    let mut cur = &mut base;
    for p in &path[..path.len() - 1] {
        cur = cur.get_mut(*p).unwrap();
    }
    let obj = cur.as_object_mut().unwrap();
    match value {
        Some(v) => {
            obj.insert(path[path.len() - 1].to_string(), v);
        }
        None => {
            obj.remove(path[path.len() - 1]);
        }
    }
    base
}

/// The bad-token corpus: (description, token, expected error).
pub fn corpus() -> Vec<(&'static str, String, AuthError)> {
    use AuthError::*;
    let c = |v: Value| sign(&v, CORAL_SECRET);
    let t = |v: Value| sign(&v, TALK_SECRET);
    let s = |v: Value| sign(&v, SPOKE_SECRET);
    let ok = coral_ok(NOW);
    let good = c(ok.clone());
    let parts: Vec<&str> = good.split('.').collect();
    let (h, p, sig) = (
        parts[0].to_string(),
        parts[1].to_string(),
        parts[2].to_string(),
    );
    let spoke_now = json!({
        "sub": "a@spoke.test", "iat": NOW - 5, "exp": NOW + 600, "iss": "thirdparty",
        "aud": "spoke", "name": "A", "user_organizations": [{"organization_id": 1, "role": "OWNER"}]
    });
    let hs512 = jsonwebtoken::encode(
        &Header::new(Algorithm::HS512),
        &ok,
        &EncodingKey::from_secret(CORAL_SECRET),
    )
    .unwrap();
    let hs384 = jsonwebtoken::encode(
        &Header::new(Algorithm::HS384),
        &ok,
        &EncodingKey::from_secret(CORAL_SECRET),
    )
    .unwrap();
    vec![
        // --- structure
        ("empty", String::new(), Missing),
        ("one part", "abc".into(), Malformed),
        ("two parts", format!("{h}.{p}"), Malformed),
        ("four parts", format!("{h}.{p}.{sig}.x"), Malformed),
        ("empty signature", format!("{h}.{p}."), Malformed),
        ("header not base64", format!("!!!.{p}.{sig}"), Malformed),
        ("payload not base64", format!("{h}.$$$.{sig}"), Malformed),
        (
            "payload not JSON",
            format!("{h}.{}.{sig}", b64(b"not json")),
            Malformed,
        ),
        (
            "payload JSON array",
            format!("{h}.{}.{sig}", b64(b"[1,2]")),
            Malformed,
        ),
        (
            "header JSON string",
            format!("{}.{p}.{sig}", b64(b"\"HS256\"")),
            Malformed,
        ),
        ("signature not base64", format!("{h}.{p}.%%%"), Malformed),
        ("padded base64", format!("{h}==.{p}.{sig}"), Malformed),
        (
            "too large",
            format!("{h}.{}.{sig}", "A".repeat(17 * 1024)),
            TooLarge,
        ),
        // --- algorithm
        (
            "alg none, no signature",
            format!("{}.{p}.", b64(br#"{"alg":"none","typ":"JWT"}"#)),
            Malformed,
        ),
        (
            "alg none with junk signature",
            format!("{}.{p}.{sig}", b64(br#"{"alg":"none","typ":"JWT"}"#)),
            AlgorithmInvalid,
        ),
        (
            "alg None (case)",
            format!("{}.{p}.{sig}", b64(br#"{"alg":"None"}"#)),
            AlgorithmInvalid,
        ),
        ("alg HS512", hs512, AlgorithmInvalid),
        ("alg HS384", hs384, AlgorithmInvalid),
        (
            "alg RS256 header over an HMAC signature",
            format!("{}.{p}.{sig}", b64(br#"{"alg":"RS256","typ":"JWT"}"#)),
            AlgorithmInvalid,
        ),
        (
            "alg missing",
            format!("{}.{p}.{sig}", b64(br#"{"typ":"JWT"}"#)),
            AlgorithmInvalid,
        ),
        (
            "crit header",
            raw_hs256(&json!({"alg": "HS256", "crit": ["exp"]}), &ok, CORAL_SECRET),
            Malformed,
        ),
        // --- signature
        ("wrong secret", sign(&ok, b"wrong"), SignatureInvalid),
        (
            "tampered payload",
            {
                let p2 = b64(with(ok.clone(), &["user", "role"], Some(json!("ADMIN")))
                    .to_string()
                    .as_bytes());
                format!("{h}.{p2}.{sig}")
            },
            SignatureInvalid,
        ),
        (
            "truncated signature",
            format!("{h}.{p}.{}", &sig[..sig.len() - 3]),
            SignatureInvalid,
        ),
        (
            "spoke claims, coral secret",
            sign(&spoke_now, CORAL_SECRET),
            SignatureInvalid,
        ),
        // --- coral claims
        (
            "coral: user missing",
            c(with(ok.clone(), &["user"], None)),
            ClaimMissing("user"),
        ),
        (
            "coral: user is a string",
            c(with(ok.clone(), &["user"], Some(json!("bob")))),
            ClaimInvalid("user"),
        ),
        (
            "coral: user.id missing",
            c(with(ok.clone(), &["user", "id"], None)),
            ClaimMissing("user.id"),
        ),
        (
            "coral: user.id empty",
            c(with(ok.clone(), &["user", "id"], Some(json!("")))),
            ClaimMissing("user.id"),
        ),
        (
            "coral: user.id object",
            c(with(ok.clone(), &["user", "id"], Some(json!({})))),
            ClaimInvalid("user.id"),
        ),
        (
            "coral: user.email missing",
            c(with(ok.clone(), &["user", "email"], None)),
            ClaimMissing("user.email"),
        ),
        (
            "coral: user.email invalid",
            c(with(ok.clone(), &["user", "email"], Some(json!("bob")))),
            ClaimInvalid("user.email"),
        ),
        (
            "coral: user.username missing",
            c(with(ok.clone(), &["user", "username"], None)),
            ClaimMissing("user.username"),
        ),
        (
            "coral: user.username number",
            c(with(ok.clone(), &["user", "username"], Some(json!(7)))),
            ClaimInvalid("user.username"),
        ),
        (
            "coral: badges null",
            c(with(ok.clone(), &["user", "badges"], Some(Value::Null))),
            ClaimInvalid("user.badges"),
        ),
        (
            "coral: badges not strings",
            c(with(ok.clone(), &["user", "badges"], Some(json!([1])))),
            ClaimInvalid("user.badges"),
        ),
        (
            "coral: badges a string",
            c(with(ok.clone(), &["user", "badges"], Some(json!("VIP")))),
            ClaimInvalid("user.badges"),
        ),
        (
            "coral: role unknown",
            c(with(ok.clone(), &["user", "role"], Some(json!("OWNER")))),
            ClaimInvalid("user.role"),
        ),
        (
            "coral: role lowercase",
            c(with(ok.clone(), &["user", "role"], Some(json!("admin")))),
            ClaimInvalid("user.role"),
        ),
        (
            "coral: url javascript:",
            c(with(
                ok.clone(),
                &["user", "url"],
                Some(json!("javascript:alert(1)")),
            )),
            ClaimInvalid("user.url"),
        ),
        (
            "coral: jti number",
            c(with(ok.clone(), &["jti"], Some(json!(5)))),
            ClaimInvalid("jti"),
        ),
        (
            "coral: exp string",
            c(with(ok.clone(), &["exp"], Some(json!("tomorrow")))),
            ClaimInvalid("exp"),
        ),
        (
            "coral: expired",
            c(with(ok.clone(), &["exp"], Some(json!(NOW - 1)))),
            Expired,
        ),
        (
            "coral: exp == now",
            c(with(ok.clone(), &["exp"], Some(json!(NOW)))),
            Expired,
        ),
        (
            "coral: nbf in the future",
            c(with(ok.clone(), &["nbf"], Some(json!(NOW + 60)))),
            NotYetValid,
        ),
        (
            "coral: iat far in the future",
            c(with(ok.clone(), &["iat"], Some(json!(NOW + 3600)))),
            ClaimInvalid("iat"),
        ),
        // --- talk-v4 claims
        (
            "talk: jti missing",
            t(with(talk_claims(NOW), &["jti"], None)),
            ClaimMissing("jti"),
        ),
        (
            "talk: exp missing",
            t(with(talk_claims(NOW), &["exp"], None)),
            ClaimMissing("exp"),
        ),
        (
            "talk: sub missing",
            t(with(talk_claims(NOW), &["sub"], None)),
            ClaimMissing("sub"),
        ),
        (
            "talk: expired",
            t(with(talk_claims(NOW), &["exp"], Some(json!(NOW - 10)))),
            Expired,
        ),
        (
            "talk: aud missing",
            t(with(talk_claims(NOW), &["aud"], None)),
            ClaimMissing("aud"),
        ),
        (
            "talk: aud wrong",
            t(with(talk_claims(NOW), &["aud"], Some(json!("spoke")))),
            AudienceMismatch,
        ),
        (
            "talk: aud array without it",
            t(with(talk_claims(NOW), &["aud"], Some(json!(["a", "b"])))),
            AudienceMismatch,
        ),
        (
            "talk: aud number",
            t(with(talk_claims(NOW), &["aud"], Some(json!(1)))),
            ClaimInvalid("aud"),
        ),
        // --- token (Spoke) claims
        (
            "spoke: sub missing",
            s(with(spoke_now.clone(), &["sub"], None)),
            ClaimMissing("sub"),
        ),
        (
            "spoke: iat missing",
            s(with(spoke_now.clone(), &["iat"], None)),
            ClaimMissing("iat"),
        ),
        (
            "spoke: exp missing",
            s(with(spoke_now.clone(), &["exp"], None)),
            ClaimMissing("exp"),
        ),
        (
            "spoke: expired",
            s(with(spoke_now.clone(), &["exp"], Some(json!(NOW - 1)))),
            Expired,
        ),
        (
            "spoke: aud wrong",
            s(with(spoke_now.clone(), &["aud"], Some(json!("talk")))),
            AudienceMismatch,
        ),
        (
            "spoke: aud missing",
            s(with(spoke_now.clone(), &["aud"], None)),
            ClaimMissing("aud"),
        ),
        (
            "spoke: orgs not array",
            s(with(
                spoke_now.clone(),
                &["user_organizations"],
                Some(json!({"organization_id": 1})),
            )),
            ClaimInvalid("user_organizations"),
        ),
        (
            "spoke: org without id",
            s(with(
                spoke_now.clone(),
                &["user_organizations"],
                Some(json!([{"role": "OWNER"}])),
            )),
            ClaimMissing("user_organizations.organization_id"),
        ),
        (
            "spoke: org without role",
            s(with(
                spoke_now.clone(),
                &["user_organizations"],
                Some(json!([{"organization_id": 1}])),
            )),
            ClaimMissing("user_organizations.role"),
        ),
        (
            "spoke: name number",
            s(with(spoke_now.clone(), &["name"], Some(json!(1)))),
            ClaimInvalid("name"),
        ),
        (
            "unknown issuer",
            s(with(spoke_now.clone(), &["iss"], Some(json!("evil")))),
            IssuerMismatch,
        ),
    ]
}
