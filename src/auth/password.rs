//! Password hashing with argon2id. Staff passwords use the library's defaults
//! (m=19456 KiB, t=2, p=1, OWASP's minimum for a password a person chooses).

use argon2::password_hash::phc::PasswordHash;
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use std::sync::LazyLock;

pub fn hash(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password failed: {e}"))
}

/// Hashes a system-generated temporary password (16 characters, about 97 bits from a CSPRNG).
/// Guessing such a password is out of reach whatever the hash costs, so the expensive memory
/// hardness that protects passwords people choose buys nothing here; lighter parameters
/// (m=1024 KiB, t=1, p=1) let an import of 50,000 users hash in seconds on all cores.
/// The hash is still argon2id with a random salt, and the user must change it at first sign-in.
pub fn hash_temporary(password: &str) -> anyhow::Result<String> {
    let params = Params::new(1024, 1, 1, None).map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password failed: {e}"))
}

/// True when `password` matches the stored PHC string. Parameters are read from the hash, so
/// hashes made with other parameters keep working.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash of nothing anyone knows, verified against when an email is unknown so that the
/// answer takes as long as for a real account.
pub static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash("no account has this password 7c1f").expect("hashing works"));

/// True when the stored hash costs at least the default parameters to verify.
fn is_full_cost(parsed: &PasswordHash) -> bool {
    Params::try_from(parsed).is_ok_and(|p| p.m_cost() >= Params::DEFAULT_M_COST && p.t_cost() >= Params::DEFAULT_T_COST)
}

/// Checks `password` against the account's hash, or against none, always at the cost of one
/// full-parameter verification: an unknown account, or one whose hash is light (a temporary
/// password's) or broken, also verifies against [`DUMMY_HASH`]. So timing does not tell which
/// emails exist or which accounts still have a temporary password.
pub fn verify_at_full_cost(password: &str, stored: Option<&str>) -> bool {
    let parsed = stored.and_then(|s| PasswordHash::new(s).ok());
    match parsed {
        Some(parsed) if is_full_cost(&parsed) => {
            Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
        }
        other => {
            verify(password, &DUMMY_HASH);
            other.is_some_and(|p| Argon2::default().verify_password(password.as_bytes(), &p).is_ok())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_cost_verification_tells_right_from_wrong_for_every_kind_of_hash() {
        let full = hash("correct horse battery staple").unwrap();
        let light = hash_temporary("Ab3$Ab3$Ab3$Ab3$").unwrap();
        assert!(verify_at_full_cost("correct horse battery staple", Some(&full)));
        assert!(!verify_at_full_cost("wrong", Some(&full)));
        assert!(verify_at_full_cost("Ab3$Ab3$Ab3$Ab3$", Some(&light)));
        assert!(!verify_at_full_cost("wrong", Some(&light)));
        assert!(!verify_at_full_cost("anything", None));
        assert!(!verify_at_full_cost("anything", Some("not a hash")));
        assert!(is_full_cost(&PasswordHash::new(&full).unwrap()));
        assert!(!is_full_cost(&PasswordHash::new(&light).unwrap()));
    }

    #[test]
    fn hashes_with_argon2id_and_verifies() {
        let stored = hash("correct horse battery staple").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(stored.contains("m=19456,t=2,p=1"));
        assert!(verify("correct horse battery staple", &stored));
        assert!(!verify("Correct horse battery staple", &stored));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn temporary_hashes_are_lighter_argon2id_and_verify() {
        let stored = hash_temporary("Ab3$Ab3$Ab3$Ab3$").unwrap();
        assert!(
            stored.starts_with("$argon2id$") && stored.contains("m=1024,t=1,p=1"),
            "{stored}"
        );
        assert!(verify("Ab3$Ab3$Ab3$Ab3$", &stored));
    }
}
