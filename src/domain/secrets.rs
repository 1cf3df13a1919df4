//! Session ids and reset/invite tokens: 32 bytes from the OS CSPRNG, handed out base64url
//! (43 characters), stored only as their SHA-256.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest as _, Sha256};

use crate::base::types::Secret;
use crate::store::Digest;

/// The OS random source failed: no secret can be made.
#[derive(Debug, thiserror::Error)]
#[error("the OS random source failed")]
pub struct RandomError(#[from] getrandom::Error);

/// A freshly generated secret. `Debug` is redacted: the value goes to the client, never a log.
pub struct NewSecret {
    pub value: String,
    pub digest: Digest,
}

impl std::fmt::Debug for NewSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewSecret(..)")
    }
}

pub fn generate() -> Result<NewSecret, RandomError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    let value = URL_SAFE_NO_PAD.encode(bytes);
    let digest = digest(&value);
    Ok(NewSecret { value, digest })
}

/// The stored form of a secret handed out by [`generate`]. Any string hashes; one that was never
/// handed out simply matches nothing.
pub fn digest(value: &str) -> Digest {
    Sha256::digest(value.as_bytes()).into()
}

/// A strong random password for the initial admin: 24 random URL-safe characters plus a suffix
/// that supplies every character class of the policy, drawn again in the rare case the random
/// part repeats a character three times.
pub fn generate_password() -> Result<Secret, RandomError> {
    loop {
        let mut bytes = [0u8; 18];
        getrandom::fill(&mut bytes)?;
        let candidate = format!("{}-aZ9", URL_SAFE_NO_PAD.encode(bytes));
        if crate::domain::password_policy::check(&candidate).is_ok() {
            return Ok(Secret::new(candidate));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_43_url_safe_characters_and_unique() {
        let a = generate().unwrap();
        let b = generate().unwrap();
        assert_eq!(a.value.len(), 43);
        assert!(a
            .value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(a.value, b.value);
        assert_eq!(digest(&a.value), a.digest);
        assert!(!format!("{a:?}").contains(&a.value));
    }

    #[test]
    fn generated_passwords_pass_the_policy() {
        for _ in 0..50 {
            let p = generate_password().unwrap();
            let p = p.expose();
            assert_eq!(crate::domain::password_policy::check(p), Ok(()), "{p}");
        }
    }
}
