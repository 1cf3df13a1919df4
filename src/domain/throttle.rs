//! The per-account budget of failed password checks (log-in, and the old password of a
//! self-service change), kept in the database so that every instance draws on one budget.
//!
//! An attempt takes its place in the budget *before* bcrypt runs, in its own small transaction
//! that locks the counter: of 100 wrong guesses sent at once, across any number of instances, only
//! as many as the budget allows are ever verified. A successful check gives its place back, so
//! only failures use the budget up. The key is the submitted name (not the account), so the
//! answers are the same whether the account exists or not; only its SHA-256 is stored, since people
//! sometimes type a password into the name field.
//!
//! Written here rather than with `governor` (used for the per-IP limits): the budget is shared
//! through the database and must be reserved and given back, which an in-process rate limiter
//! cannot do.

use sha2::{Digest as _, Sha256};

use crate::store::{AttemptWindow, Digest, Millis, StoreResult, Tx};

#[derive(Debug, Clone, Copy)]
pub struct FailureBudget {
    /// 0 turns the budget off.
    pub max_failures: u32,
    pub window_ms: Millis,
}

/// What a throttle key is made of: one namespace per kind of check, and the name (in its normal
/// form, [`crate::base::types::normalise`], when people type it).
pub fn key(scope: &str, name: &str) -> Digest {
    let mut hasher = Sha256::new();
    hasher.update(scope.as_bytes());
    hasher.update([0]);
    hasher.update(name.as_bytes());
    hasher.finalize().into()
}

/// How many budgets the names that match no account share.
pub const UNKNOWN_NAME_BUDGETS: u16 = 8_192;

/// The key of a name that matches no account: one of [`UNKNOWN_NAME_BUDGETS`] shared budgets,
/// picked by the name's own key (`key(scope, name)`, which the caller has already made). A name nobody has must meet the budget as a real one does (or
/// the 429 would tell which accounts exist), but a budget of its own each would let an attack
/// with random names from many addresses grow the database by a row a name; shared, the rows
/// are at most 8,192 (about 600 kB on SQLite), however many names are tried. A name shares its
/// budget with the other unknown names of its bucket; filling the buckets takes some 80,000
/// failed checks within one window (270 bcrypt checks a second for the default 5 minutes), and
/// touches no real account.
pub fn unknown_name_key(scope: &str, name_key: &Digest) -> Digest {
    let bucket = u16::from_be_bytes([name_key[0], name_key[1]]) % UNKNOWN_NAME_BUDGETS;
    key(&format!("{scope}:unknown"), &bucket.to_string())
}

impl FailureBudget {
    /// Takes a place for one attempt; `Err(wait_ms)` when the budget is used up for now.
    pub fn reserve(
        &self,
        tx: &mut dyn Tx,
        key: &Digest,
        now: Millis,
    ) -> StoreResult<Result<(), Millis>> {
        if self.max_failures == 0 {
            return Ok(Ok(()));
        }
        let mut window = tx.lock_attempts(key)?;
        if now - window.started_at >= self.window_ms {
            window = AttemptWindow {
                started_at: now,
                count: 0,
            };
        }
        if window.count >= i64::from(self.max_failures) {
            return Ok(Err(self.window_ms - (now - window.started_at)));
        }
        window.count += 1;
        tx.set_attempts(key, window)?;
        Ok(Ok(()))
    }

    /// Gives back the place of an attempt that succeeded.
    pub fn release(&self, tx: &mut dyn Tx, key: &Digest, now: Millis) -> StoreResult<()> {
        if self.max_failures == 0 {
            return Ok(());
        }
        let mut window = tx.lock_attempts(key)?;
        if now - window.started_at < self.window_ms && window.count > 0 {
            window.count -= 1;
            tx.set_attempts(key, window)?;
        }
        Ok(())
    }
}
