//! Devices a user logged in from before (OWASP's "device cookies"), so that an attacker who
//! spends an account's budget of failed log-ins does not lock its owner out.
//!
//! A successful log-in hands the browser a device proof: the user's id, when it was issued and a
//! random nonce, signed with a key the store keeps (one for every instance, made on first start).
//! A later log-in that presents a valid, unexpired proof for the account it names draws on a
//! budget of its own, keyed by that proof, instead of the account's: the owner's browser keeps
//! logging in with the right password while others exhaust the account's budget, and a stolen
//! proof still meets a budget (one device's). Clients without a proof meet the account's budget as
//! before. Nothing is stored per device: the proof carries what it needs and the signature makes
//! it unforgeable.
//!
//! Written with `hmac` rather than a cookie-signing crate: the proof is not only an HTTP cookie's
//! value (the domain knows nothing of cookies) and is a fixed binary layout of a few fields.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac as _};
use sha2::Sha256;

use crate::base::types::UserId;
use crate::domain::secrets::RandomError;
use crate::store::{Digest, Finish, Millis, Store, StoreError};

/// The name the store keeps the signing key under.
pub const KEY_NAME: &str = "device-proof";
/// How long a proof is honoured after the log-in that issued it.
pub const PROOF_TTL_MS: Millis = 90 * 24 * 3600 * 1000;

const VERSION: u8 = 1;
const NONCE: usize = 16;
const MAC: usize = 16;
/// version, user id, issued at, nonce, MAC.
const LEN: usize = 1 + 8 + 8 + NONCE + MAC;

/// Why no proof could be issued.
#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    #[error(transparent)]
    Random(#[from] RandomError),
    #[error("the device key cannot key HMAC")]
    Key,
}

/// The key that signs device proofs. `Debug` shows nothing of it.
#[derive(Clone)]
pub struct DeviceKey([u8; 32]);

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceKey(..)")
    }
}

/// A proof that checked out: whose device it is, and the budget it draws on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedDevice {
    pub user: UserId,
    /// The failure budget's key of this device (the proof's nonce, never the proof itself).
    pub budget_key: Digest,
}

impl DeviceKey {
    /// The key every instance on this database signs with: the stored one, or a new one stored
    /// now by whichever instance starts first.
    pub async fn load(store: &dyn Store) -> Result<Self, StoreError> {
        let candidate = Self::generate().map_err(StoreError::backend)?.to_stored();
        let stored = store
            .write(move |tx| Ok(Finish::Commit(tx.keep_key(KEY_NAME, &candidate)?)))
            .await?;
        Self::from_stored(&stored).ok_or_else(|| {
            StoreError::backend(format!("the stored {KEY_NAME} key is not 32 bytes"))
        })
    }

    pub fn generate() -> Result<Self, RandomError> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key)?;
        Ok(DeviceKey(key))
    }

    /// The key as stored; `None` for stored bytes that are not a key.
    pub fn from_stored(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(DeviceKey)
    }

    pub fn to_stored(&self) -> Vec<u8> {
        self.0.to_vec()
    }

    /// HMAC takes a key of any length, so this is always `Some`.
    fn mac(&self, signed: &[u8]) -> Option<Hmac<Sha256>> {
        let mut mac = <Hmac<Sha256>>::new_from_slice(&self.0).ok()?;
        mac.update(signed);
        Some(mac)
    }

    /// A new proof for `user`'s device, issued `now`.
    pub fn issue(&self, user: UserId, now: Millis) -> Result<String, DeviceError> {
        let mut proof = Vec::with_capacity(LEN);
        proof.push(VERSION);
        proof.extend_from_slice(&user.0.to_be_bytes());
        proof.extend_from_slice(&now.to_be_bytes());
        let mut nonce = [0u8; NONCE];
        getrandom::fill(&mut nonce).map_err(RandomError::from)?;
        proof.extend_from_slice(&nonce);
        let tag = self
            .mac(&proof)
            .ok_or(DeviceError::Key)?
            .finalize()
            .into_bytes();
        proof.extend_from_slice(&tag[..MAC]);
        Ok(URL_SAFE_NO_PAD.encode(proof))
    }

    /// The device behind a proof, if the proof is one of ours, unexpired at `now`; anything else
    /// (garbage, a forged or altered proof, an old one) is no device at all.
    pub fn verify(&self, proof: &str, now: Millis) -> Option<TrustedDevice> {
        let bytes = URL_SAFE_NO_PAD.decode(proof).ok()?;
        if bytes.len() != LEN || bytes[0] != VERSION {
            return None;
        }
        let (signed, tag) = bytes.split_at(LEN - MAC);
        // Constant-time comparison of the truncated tag.
        self.mac(signed)?.verify_truncated_left(tag).ok()?;
        let user = i64::from_be_bytes(signed[1..9].try_into().ok()?);
        let issued = i64::from_be_bytes(signed[9..17].try_into().ok()?);
        if now < issued || now - issued > PROOF_TTL_MS {
            return None;
        }
        let nonce = &signed[17..17 + NONCE];
        let budget_key =
            crate::domain::throttle::key("login-device", &URL_SAFE_NO_PAD.encode(nonce));
        Some(TrustedDevice {
            user: UserId(user),
            budget_key,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proof_checks_out_only_unaltered_unexpired_and_under_its_key() {
        let key = DeviceKey::generate().expect("random");
        let now = 1_800_000_000_000;
        let proof = key.issue(UserId(42), now).expect("random");
        let device = key.verify(&proof, now + 1000).expect("valid");
        assert_eq!(device.user, UserId(42));
        assert_eq!(
            key.verify(&proof, now + PROOF_TTL_MS).map(|d| d.budget_key),
            Some(device.budget_key),
            "the budget is the device's, whenever it is used"
        );
        assert!(
            key.verify(&proof, now + PROOF_TTL_MS + 1).is_none(),
            "expired"
        );
        assert!(
            key.verify(&proof, now - 1).is_none(),
            "issued in the future"
        );
        let other = DeviceKey::generate().expect("random");
        assert!(other.verify(&proof, now).is_none(), "another key");
        let mut bytes = URL_SAFE_NO_PAD.decode(&proof).expect("base64");
        bytes[8] ^= 1; // another user id
        assert!(key.verify(&URL_SAFE_NO_PAD.encode(&bytes), now).is_none());
        for garbage in ["", "x", "!!!!", &proof[1..]] {
            assert!(key.verify(garbage, now).is_none(), "{garbage:?}");
        }
        let second = key.issue(UserId(42), now).expect("random");
        assert_ne!(
            key.verify(&second, now).map(|d| d.budget_key),
            Some(device.budget_key),
            "each log-in's device has its own budget"
        );
        assert_eq!(format!("{key:?}"), "DeviceKey(..)");
    }
}
