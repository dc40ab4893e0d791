//! Structural token checks (no signature check: that is the server's job).
//!
//! Before a token is sent to the stream the host decodes its header and
//! claims and rejects it early with a code a publisher can switch on:
//! `TOKEN_MALFORMED`, `TOKEN_CLAIM_MISSING` (naming the claim) or
//! `TOKEN_EXPIRED`. Which claims are required follows the server's profile
//! matching (server/README.md): a `user` object means Coral SSO
//! (`user.id`, `user.email`, `user.username`); otherwise a `sub`-based token
//! (Talk v4 or Spoke style) needs `sub` and `exp`.

use alloc::{string::String, vec::Vec};

use crate::error::{Code, Error, Result};
use crate::protocol::MAX_TOKEN;

/// Seconds of clock skew tolerated before a token counts as expired.
pub const CLOCK_SKEW_SECS: f64 = 30.0;

/// Seconds before `exp` at which the SDK asks `refreshAccessToken` for a
/// new token, so the reader never meets an expired one.
pub const REFRESH_LEAD_SECS: f64 = 60.0;

/// What the checks need to know about a decoded token.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Claims {
    /// The header is a JSON object with an `alg` other than `none`.
    pub header_ok: bool,
    /// The payload is a JSON object.
    pub payload_ok: bool,
    /// Present `user.*` claims, if the payload has a `user` object.
    pub user: Option<UserClaims>,
    /// `sub` is a non-empty string.
    pub sub: bool,
    /// `exp`, if present: `Ok(seconds)` or `Err(())` when not a number.
    pub exp: Option<core::result::Result<f64, ()>>,
    /// `nonce`, if it is a string: ties a login-callback token to the
    /// login the reader started (see [`check_nonce`]).
    pub nonce: Option<String>,
}

/// Which of Coral's required `user` claims are present.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct UserClaims {
    /// `user.id`.
    pub id: bool,
    /// `user.email`.
    pub email: bool,
    /// `user.username`.
    pub username: bool,
}

fn missing(claim: &'static str) -> Error {
    let mut e = Error::new(
        Code::TokenClaimMissing,
        &["the token has no `", claim, "` claim."],
    );
    e.claim = Some(claim);
    e
}

/// The token's error, if any, at `now` (unix seconds).
pub fn check(c: &Claims, now: f64) -> Result<()> {
    if !c.header_ok || !c.payload_ok || matches!(c.exp, Some(Err(()))) {
        return Err(Error::new(
            Code::TokenMalformed,
            &["the token is not a JWT (three base64url segments of JSON)."],
        ));
    }
    match c.user {
        Some(u) => {
            for (ok, claim) in [
                (u.id, "user.id"),
                (u.email, "user.email"),
                (u.username, "user.username"),
            ] {
                if !ok {
                    return Err(missing(claim));
                }
            }
        }
        None if !c.sub => return Err(missing("user.id")),
        None if c.exp.is_none() => return Err(missing("exp")),
        None => {}
    }
    if let Some(Ok(exp)) = c.exp {
        if exp + CLOCK_SKEW_SECS < now {
            return Err(Error::new(Code::TokenExpired, &["the token has expired."]));
        }
    }
    Ok(())
}

/// Whether a login-callback token answers the login this reader started
/// from this tab: its `nonce` claim must equal `pending`, the one-time value
/// `Coral.createLoginNonce()` made (OAuth's `state`, OIDC's `nonce`). A link
/// crafted elsewhere, carrying someone's genuine token, fails here.
pub fn check_nonce(c: &Claims, pending: Option<&str>) -> Result<()> {
    match (pending, &c.nonce) {
        (Some(p), Some(n)) if !p.is_empty() && p == n => Ok(()),
        _ => Err(Error::new(
            Code::LoginCallbackUnexpected,
            &["login callback token ignored: its nonce is not this tab's."],
        )),
    }
}

/// Decodes unpadded (or padded) base64url. `None` on any invalid input.
pub fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for b in s.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// The decoded JSON text of a JWT's payload (second segment), or `None` if
/// `token` is not three base64url segments of bounded size.
pub fn payload_json(token: &str) -> Option<String> {
    if token.len() > MAX_TOKEN {
        return None;
    }
    let mut parts = crate::events::segments(token);
    let (_header, payload, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    String::from_utf8(base64url_decode(payload)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_base64url() {
        assert_eq!(base64url_decode("").unwrap(), b"");
        assert_eq!(base64url_decode("Zg").unwrap(), b"f");
        assert_eq!(base64url_decode("Zm8").unwrap(), b"fo");
        assert_eq!(base64url_decode("Zm9v").unwrap(), b"foo");
        assert_eq!(base64url_decode("Zm9vYg==").unwrap(), b"foob");
        assert_eq!(base64url_decode("-_8").unwrap(), [0xfb, 0xff]);
        assert_eq!(base64url_decode("Z"), None);
        assert_eq!(base64url_decode("Zm9v+"), None);
        assert_eq!(base64url_decode("a b"), None);
    }

    fn coral(id: bool, email: bool, username: bool, exp: Option<f64>) -> Claims {
        Claims {
            header_ok: true,
            payload_ok: true,
            user: Some(UserClaims {
                id,
                email,
                username,
            }),
            sub: false,
            exp: exp.map(Ok),
            nonce: None,
        }
    }

    #[test]
    fn callback_tokens_need_the_pending_nonce() {
        let mut c = coral(true, true, true, None);
        let unexpected = Some((Code::LoginCallbackUnexpected, None));
        // No login started, or a token without a nonce: refused.
        assert_eq!(
            check_nonce(&c, None).err().map(|e| (e.code, e.claim)),
            unexpected
        );
        assert_eq!(
            check_nonce(&c, Some("n1")).err().map(|e| (e.code, e.claim)),
            unexpected
        );
        c.nonce = Some("n1".into());
        assert_eq!(
            check_nonce(&c, None).err().map(|e| (e.code, e.claim)),
            unexpected
        );
        assert_eq!(
            check_nonce(&c, Some("n2")).err().map(|e| (e.code, e.claim)),
            unexpected
        );
        assert_eq!(check_nonce(&c, Some("n1")), Ok(()));
        c.nonce = Some(String::new());
        assert_eq!(
            check_nonce(&c, Some("")).err().map(|e| (e.code, e.claim)),
            unexpected
        );
    }

    fn code(c: &Claims, now: f64) -> Option<(Code, Option<&'static str>)> {
        check(c, now).err().map(|e| (e.code, e.claim))
    }

    #[test]
    fn coral_tokens_need_the_user_claims() {
        assert_eq!(code(&coral(true, true, true, None), 1e9), None);
        assert_eq!(
            code(&coral(false, true, true, None), 0.0),
            Some((Code::TokenClaimMissing, Some("user.id")))
        );
        assert_eq!(
            code(&coral(true, false, true, None), 0.0),
            Some((Code::TokenClaimMissing, Some("user.email")))
        );
        assert_eq!(
            code(&coral(true, true, false, None), 0.0),
            Some((Code::TokenClaimMissing, Some("user.username")))
        );
    }

    #[test]
    fn expiry_allows_a_little_skew() {
        let c = coral(true, true, true, Some(1000.0));
        assert_eq!(code(&c, 1000.0 + CLOCK_SKEW_SECS), None);
        assert_eq!(
            code(&c, 1000.0 + CLOCK_SKEW_SECS + 1.0),
            Some((Code::TokenExpired, None))
        );
        let mut bad = c.clone();
        bad.exp = Some(Err(()));
        assert_eq!(code(&bad, 0.0), Some((Code::TokenMalformed, None)));
    }

    #[test]
    fn sub_tokens_need_sub_and_exp_and_shape_comes_first() {
        let mut c = Claims {
            header_ok: true,
            payload_ok: true,
            sub: true,
            exp: Some(Ok(50.0)),
            ..Claims::default()
        };
        assert_eq!(code(&c, 0.0), None);
        c.exp = None;
        assert_eq!(code(&c, 0.0), Some((Code::TokenClaimMissing, Some("exp"))));
        c.sub = false;
        assert_eq!(
            code(&c, 0.0),
            Some((Code::TokenClaimMissing, Some("user.id")))
        );
        c.header_ok = false;
        assert_eq!(code(&c, 0.0), Some((Code::TokenMalformed, None)));
        assert_eq!(
            code(&Claims::default(), 0.0),
            Some((Code::TokenMalformed, None))
        );
    }

    #[test]
    fn extracts_payload() {
        // {"sub":"1"} = eyJzdWIiOiIxIn0
        assert_eq!(
            payload_json("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig").unwrap(),
            r#"{"sub":"1"}"#
        );
        assert_eq!(payload_json("a.b"), None);
        assert_eq!(payload_json("a.b.c.d"), None);
        assert_eq!(payload_json("a.!!.c"), None);
    }
}
