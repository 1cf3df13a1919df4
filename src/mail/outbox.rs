//! The outbox worker: delivers mail that request handlers queued in the database, so a request
//! never waits on the relay and no mail is lost to a crash or an outage.
//!
//! Each mail is claimed with a lease before it is sent, marked sent (bodies erased) after the
//! relay accepted it, retried with exponential backoff and jitter on timeouts, 429 and 5xx
//! (honouring `Retry-After`), and marked dead with its last error on other 4xx or when the
//! attempts run out. Pending mail resumes after a restart. The retry schedule is persisted in the
//! outbox row, so it is computed here (a few lines) rather than by an in-process retry crate,
//! which would lose it on restart.

use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use tokio::sync::{watch, Notify};

use super::relay::{Relay, SendError};
use crate::clock::Clock;
use crate::store::{Finish, QueuedMail, Store, StoreError};

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub base: Duration,
    pub max: Duration,
    pub max_attempts: i64,
}

impl RetryPolicy {
    /// The wait after the `attempt`-th failed attempt (1-based): exponential, capped, with
    /// "equal jitter" (half fixed, half random), and never sooner than the relay asked.
    pub fn delay(&self, attempt: i64, relay_asked: Option<Duration>) -> Duration {
        let exponent = u32::try_from(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX)
            .min(20);
        let full = self
            .base
            .saturating_mul(2u32.saturating_pow(exponent))
            .min(self.max);
        let half = full / 2;
        let jitter = rand::rng().random_range(0..=half.as_millis() as u64);
        let delay = half + Duration::from_millis(jitter);
        relay_asked.map_or(delay, |asked| delay.max(asked))
    }
}

const BATCH: usize = 16;
const POLL: Duration = Duration::from_millis(500);

pub struct OutboxWorker {
    pub store: Arc<dyn Store>,
    pub relay: Arc<Relay>,
    pub clock: Clock,
    pub wake: Arc<Notify>,
    pub policy: RetryPolicy,
    /// Longer than any one relay call may take, so a claimed mail is not claimed twice.
    pub lease: Duration,
}

impl OutboxWorker {
    /// Runs until `stop` turns true; a delivery under way is finished first.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        loop {
            if *stop.borrow() {
                return;
            }
            let delivered = match self.deliver_due().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::error!(error = %e, "outbox: cannot read due mail");
                    0
                }
            };
            if delivered == BATCH {
                continue;
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(POLL) => {}
                _ = stop.changed() => {}
            }
        }
    }

    /// Claims and attempts every due mail (up to one batch); answers how many were claimed.
    pub async fn deliver_due(&self) -> Result<usize, StoreError> {
        let lease = i64::try_from(self.lease.as_millis()).unwrap_or(i64::MAX / 2);
        let now = self.clock.now_ms();
        // Claimed in one transaction: on several instances, each due mail goes to one of them,
        // and is not due again until its lease runs out.
        let due = self
            .store
            .write(move |tx| {
                let due = tx.due_mail(now, BATCH)?;
                for mail in &due {
                    tx.lease_mail(mail.id, now + lease)?;
                }
                Ok(Finish::Commit(due))
            })
            .await?;
        for queued in &due {
            self.attempt(queued).await;
        }
        Ok(due.len())
    }

    async fn attempt(&self, queued: &QueuedMail) {
        // This claim is one more attempt.
        let attempt = queued.attempts + 1;
        let id = queued.id;
        let outcome = self.relay.send(&queued.mail).await;
        let now = self.clock.now_ms();
        let recorded = match outcome {
            Ok(()) => {
                tracing::info!(mail_id = id, template = %queued.mail.template, "mail delivered");
                self.store
                    .write(move |tx| tx.mark_mail_sent(id, now).map(Finish::Commit))
                    .await
            }
            Err(SendError::Transient {
                reason,
                retry_after,
            }) if attempt < self.policy.max_attempts => {
                let wait = self.policy.delay(attempt, retry_after);
                tracing::warn!(mail_id = id, attempt, %reason,
                    retry_in_ms = wait.as_millis() as u64, "mail not delivered; will retry");
                let next = now + i64::try_from(wait.as_millis()).unwrap_or(i64::MAX / 2);
                self.store
                    .write(move |tx| tx.schedule_mail(id, next, &reason).map(Finish::Commit))
                    .await
            }
            Err(SendError::Transient { reason, .. }) | Err(SendError::Permanent(reason)) => {
                tracing::error!(mail_id = id, attempt, %reason,
                    "mail is dead: it will not be retried");
                self.store
                    .write(move |tx| tx.mark_mail_dead(id, &reason).map(Finish::Commit))
                    .await
            }
        };
        if let Err(e) = recorded {
            // The lease runs out and the mail is tried again; the relay's Idempotency-Key keeps
            // a repeat from reaching the user twice where the provider supports it.
            tracing::error!(mail_id = id, error = %e, "outbox: cannot record the attempt");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_jittered_and_honours_retry_after() {
        let policy = RetryPolicy {
            base: Duration::from_secs(2),
            max: Duration::from_secs(60),
            max_attempts: 8,
        };
        for _ in 0..100 {
            let d1 = policy.delay(1, None);
            assert!(
                d1 >= Duration::from_secs(1) && d1 <= Duration::from_secs(2),
                "{d1:?}"
            );
            let d3 = policy.delay(3, None);
            assert!(
                d3 >= Duration::from_secs(4) && d3 <= Duration::from_secs(8),
                "{d3:?}"
            );
            let d30 = policy.delay(30, None);
            assert!(
                d30 >= Duration::from_secs(30) && d30 <= Duration::from_secs(60),
                "{d30:?}"
            );
            assert!(policy.delay(1, Some(Duration::from_secs(40))) >= Duration::from_secs(40));
        }
    }
}
