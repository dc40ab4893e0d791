//! Personal access tokens: what an admin sync job sends as
//! `Authorization: Bearer stpat_…`.
//!
//! A token is 32 random bytes from the OS, base64url-encoded after the
//! `stpat_` prefix (so it is never mistaken for a JWT, which has two dots).
//! Only its SHA-256 digest is stored: the value is shown once, when it is
//! created, and cannot be recovered from the database. A 256-bit random
//! secret needs no slow password hash: the digest only has to be one-way.

use base64::Engine as _;
use sha2::{Digest, Sha256};

/// Every personal access token starts with this.
pub const PREFIX: &str = "stpat_";

/// Every download link secret starts with this (it opens one archive and
/// is no credential anywhere else).
pub const DOWNLOAD_PREFIX: &str = "stdl_";

/// Length of a well-formed token: the prefix and 43 base64url characters.
pub const LEN: usize = PREFIX.len() + 43;

/// A freshly generated token: the secret to show once and the digest to store.
pub struct NewToken {
    /// The bearer value (`stpat_…`); never stored, never logged.
    pub secret: String,
    /// Hex SHA-256 of `secret`, the only thing the database keeps.
    pub digest: String,
}

impl std::fmt::Debug for NewToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewToken")
            .field("secret", &"<redacted>")
            .field("digest", &self.digest)
            .finish()
    }
}

/// Generates a personal access token from the operating system's random
/// number generator.
pub fn generate() -> Result<NewToken, getrandom::Error> {
    generate_with(PREFIX)
}

/// Generates a secret with `prefix` (32 random bytes, base64url).
pub fn generate_with(prefix: &str) -> Result<NewToken, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    let secret = format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let digest = digest(&secret);
    Ok(NewToken { secret, digest })
}

/// Whether a bearer value has the shape of a personal access token (it may
/// still be unknown or deactivated).
pub fn looks_like(bearer: &str) -> bool {
    bearer.starts_with(PREFIX)
}

/// Whether a bearer value is a well-formed token: prefix, then exactly 43
/// base64url characters.
pub fn well_formed(bearer: &str) -> bool {
    bearer.len() == LEN
        && bearer[PREFIX.len()..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Hex SHA-256 of a token, as stored and looked up.
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_are_well_formed_distinct_and_hashed() {
        let a = generate().unwrap();
        let b = generate().unwrap();
        assert!(well_formed(&a.secret) && looks_like(&a.secret));
        assert_ne!(a.secret, b.secret);
        assert_eq!(a.digest, digest(&a.secret));
        assert_eq!(a.digest.len(), 64);
        assert!(!a.digest.contains(&a.secret[PREFIX.len()..]));
        assert!(!format!("{a:?}").contains(&a.secret));
    }

    #[test]
    fn shape_checks() {
        assert!(!well_formed("stpat_short"));
        assert!(!well_formed(&format!("{PREFIX}{}", "!".repeat(43))));
        assert!(!looks_like("eyJhbGciOiJIUzI1NiJ9.e30.x"));
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
