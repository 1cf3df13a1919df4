//! Retention: which rows are old enough to go, and purging them without getting in the way.
//!
//! The rules, all here (the store only deletes what it is told, see `Tx::delete_*`):
//! - a reset or invite token goes `TOKEN_RETENTION_HOURS` after it expired, and so does a "this
//!   wasn't me" token (spent or not, it keeps its expiry, `NOT_ME_LINK_TTL_HOURS` after it was
//!   made). A spent token keeps
//!   its expiry (24 h after it was made), so it goes at most that much later than "spent + grace".
//!   Nothing reads a token that old: redemption and validation need a live one, and the per-user
//!   reset throttle looks at the newest token of the last 60 s;
//! - a session goes `SESSION_RETENTION_HOURS` after it expired (an expired one is never honoured);
//! - a delivered mail's row (recipient and template; its bodies were erased on delivery) goes
//!   `SENT_MAIL_RETENTION_DAYS` after delivery;
//! - a dead mail stays until an operator has listed it (`unlatch outbox` marks what it shows as
//!   seen), then `DEAD_MAIL_RETENTION_DAYS` more; pending mail is never purged;
//! - an audit event goes after `AUDIT_RETENTION_DAYS` (0 keeps them forever);
//! - a failure counter goes once its window started `ATTEMPTS_RETENTION_HOURS` ago, and never
//!   before its window is over (an old window counts as an empty one, so removing it changes no
//!   answer).
//!
//! How: each kind is deleted in batches, each batch its own short transaction, with
//! `PURGE_PAUSE_MS` between batches, so a request waits for one small batch at most. Each batch
//! starts where the previous batch of its kind stopped (the store answers a cursor with each
//! batch, [`PurgeCursor`]), not at the start of the index: on PostgreSQL the entries of deleted
//! rows stay in the index until vacuum, and every batch from the start would step over all that
//! the earlier ones deleted. The cutoff is fixed for the run and a batch takes the first old rows
//! after the cursor in its index's order, so every old row behind the cursor is deleted, except
//! one a request held locked at that moment, which the next run deletes. A batch is sized by time, not rows: a row's cost
//! differs by kind, backend and machine (on SQLite with `secure_delete`, 500 tokens took
//! 40–200 ms), so the size starts small and is halved after a batch that took longer than
//! `PURGE_BATCH_MS`, doubled after one that took under half of it, never above
//! `PURGE_BATCH_SIZE` rows. Between batches the store settles what the batch wrote
//! ([`Store::settle`]: on SQLite, the write-ahead log is checkpointed), so a purge of millions of
//! rows goes at the pace the database absorbs it rather than piling work up for requests. On several instances one purges at a time: every batch first claims (or renews) the
//! `purge` lease row in the same transaction; while another instance's lease is live, this one
//! skips its run. A purger that dies leaves a lease that runs out after `LEASE_MS`.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::base::clock::Clock;
use crate::process::config::Config;
use crate::store::{
    Finish, Lease, MailState, Millis, OutboxEntry, PurgeCursor, Purged, Store, StoreResult, Tx,
};

/// The name of the lease row that makes one instance the purger.
pub const LEASE_NAME: &str = "purge";

/// How long a claim on the lease lasts without being renewed (each batch renews it).
const LEASE_MS: Millis = 60_000;

/// The first run after start-up comes this soon (or after the interval, if shorter), so that an
/// instance restarted more often than the interval still purges.
const FIRST_RUN: Duration = Duration::from_secs(60);

const HOUR_MS: Millis = 3_600_000;
const DAY_MS: Millis = 24 * HOUR_MS;

#[derive(Debug, Clone, Copy)]
pub struct RetentionPolicy {
    pub token_grace_ms: Millis,
    pub session_grace_ms: Millis,
    pub sent_mail_ms: Millis,
    pub dead_mail_ms: Millis,
    /// `None`: audit events are kept forever.
    pub audit_ms: Option<Millis>,
    pub attempts_ms: Millis,
    /// The failure counters' window: a counter is never purged within it.
    pub failure_window_ms: Millis,
    /// The most rows one batch deletes.
    pub batch_size: usize,
    /// How long one batch should take at most.
    pub batch_time: Duration,
    pub pause: Duration,
    /// `None`: no background purge.
    pub interval: Option<Duration>,
}

fn times(count: u64, unit: Millis) -> Millis {
    i64::try_from(count)
        .unwrap_or(i64::MAX)
        .saturating_mul(unit)
}

impl RetentionPolicy {
    pub fn from_config(config: &Config) -> Self {
        RetentionPolicy {
            token_grace_ms: times(config.token_retention_hours, HOUR_MS),
            session_grace_ms: times(config.session_retention_hours, HOUR_MS),
            sent_mail_ms: times(config.sent_mail_retention_days, DAY_MS),
            dead_mail_ms: times(config.dead_mail_retention_days, DAY_MS),
            audit_ms: (config.audit_retention_days > 0)
                .then(|| times(config.audit_retention_days, DAY_MS)),
            attempts_ms: times(config.attempts_retention_hours, HOUR_MS),
            failure_window_ms: times(config.account_failure_window_seconds, 1000),
            batch_size: config.purge_batch_size as usize,
            batch_time: Duration::from_millis(config.purge_batch_ms),
            pause: Duration::from_millis(config.purge_pause_ms),
            interval: (config.purge_interval_seconds > 0)
                .then(|| Duration::from_secs(config.purge_interval_seconds)),
        }
    }
}

/// The kinds of rows that are purged, in the order a run takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Tokens,
    NotMeTokens,
    Sessions,
    SentMail,
    DeadMail,
    Events,
    Attempts,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Tokens,
        Kind::NotMeTokens,
        Kind::Sessions,
        Kind::SentMail,
        Kind::DeadMail,
        Kind::Events,
        Kind::Attempts,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Tokens => "tokens",
            Kind::NotMeTokens => "\"this wasn't me\" tokens",
            Kind::Sessions => "sessions",
            Kind::SentMail => "sent mail",
            Kind::DeadMail => "dead mail",
            Kind::Events => "audit events",
            Kind::Attempts => "failure counters",
        }
    }

    fn delete(
        self,
        tx: &mut dyn Tx,
        before: Millis,
        after: Option<&PurgeCursor>,
        limit: usize,
    ) -> StoreResult<Purged> {
        match self {
            Kind::Tokens => tx.delete_tokens_expired_before(before, after, limit),
            Kind::NotMeTokens => tx.delete_not_me_tokens_expired_before(before, after, limit),
            Kind::Sessions => tx.delete_sessions_expired_before(before, after, limit),
            Kind::SentMail => tx.delete_sent_mail_before(before, after, limit),
            Kind::DeadMail => tx.delete_dead_mail_seen_before(before, after, limit),
            Kind::Events => tx.delete_events_before(before, after, limit),
            Kind::Attempts => tx.delete_attempts_before(before, after, limit),
        }
    }
}

/// The first batch of each kind deletes at most this many rows.
const FIRST_BATCH: usize = 32;

/// A batch's row count, steered by how long the last batch took (see the module's "How").
#[derive(Debug, Clone, Copy)]
struct BatchSize {
    rows: usize,
    max: usize,
    budget: Duration,
}

impl BatchSize {
    fn new(max: usize, budget: Duration) -> Self {
        let max = max.max(1);
        BatchSize {
            rows: FIRST_BATCH.min(max),
            max,
            budget,
        }
    }

    /// A batch of `self.rows` rows took `took`.
    fn took(&mut self, took: Duration) {
        if took > self.budget {
            self.rows = (self.rows / 2).max(1);
        } else if took < self.budget / 2 {
            self.rows = self.rows.saturating_mul(2).min(self.max);
        }
    }
}

/// What one run deleted, per kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PurgeReport {
    pub tokens: u64,
    pub not_me_tokens: u64,
    pub sessions: u64,
    pub sent_mail: u64,
    pub dead_mail: u64,
    pub events: u64,
    pub attempts: u64,
    /// Transactions it took.
    pub batches: u64,
    /// Another instance held the lease: this run (or its rest) was left to it.
    pub skipped: bool,
}

impl PurgeReport {
    fn count(&mut self, kind: Kind) -> &mut u64 {
        match kind {
            Kind::Tokens => &mut self.tokens,
            Kind::NotMeTokens => &mut self.not_me_tokens,
            Kind::Sessions => &mut self.sessions,
            Kind::SentMail => &mut self.sent_mail,
            Kind::DeadMail => &mut self.dead_mail,
            Kind::Events => &mut self.events,
            Kind::Attempts => &mut self.attempts,
        }
    }

    pub fn total(&self) -> u64 {
        self.tokens
            + self.not_me_tokens
            + self.sessions
            + self.sent_mail
            + self.dead_mail
            + self.events
            + self.attempts
    }
}

/// Claims or renews the purge lease for `holder`; false while another holder's lease is live.
fn claim(tx: &mut dyn Tx, holder: &str, now: Millis) -> StoreResult<bool> {
    let lease = tx.lock_lease(LEASE_NAME)?;
    if !lease.holder.is_empty() && lease.holder != holder && lease.expires_at > now {
        return Ok(false);
    }
    tx.set_lease(
        LEASE_NAME,
        &Lease {
            holder: holder.to_string(),
            expires_at: now.saturating_add(LEASE_MS),
        },
    )?;
    Ok(true)
}

pub struct Retention {
    store: Arc<dyn Store>,
    clock: Clock,
    policy: RetentionPolicy,
    /// This instance's name on the lease.
    holder: String,
}

impl Retention {
    pub fn new(store: Arc<dyn Store>, clock: Clock, policy: RetentionPolicy) -> Self {
        Retention {
            store,
            clock,
            policy,
            holder: uuid::Uuid::new_v4().to_string(),
        }
    }

    pub fn policy(&self) -> &RetentionPolicy {
        &self.policy
    }

    /// Rows of `kind` from before this instant go; `None`: this kind is kept.
    pub fn cutoff(&self, kind: Kind, now: Millis) -> Option<Millis> {
        let p = &self.policy;
        let age = match kind {
            Kind::Tokens | Kind::NotMeTokens => p.token_grace_ms,
            Kind::Sessions => p.session_grace_ms,
            Kind::SentMail => p.sent_mail_ms,
            Kind::DeadMail => p.dead_mail_ms,
            Kind::Events => p.audit_ms?,
            Kind::Attempts => p.attempts_ms.max(p.failure_window_ms),
        };
        Some(now.saturating_sub(age))
    }

    /// One full run now (what `unlatch purge` does).
    pub async fn purge_once(&self) -> StoreResult<PurgeReport> {
        let (_keep, stop) = watch::channel(false);
        self.purge(&stop).await
    }

    /// One run, batch by batch, until nothing old is left, the lease is another's, or `stop`.
    pub async fn purge(&self, stop: &watch::Receiver<bool>) -> StoreResult<PurgeReport> {
        let started = self.clock.now_ms();
        let mut report = PurgeReport::default();
        'kinds: for kind in Kind::ALL {
            let Some(before) = self.cutoff(kind, started) else {
                continue;
            };
            let mut size = BatchSize::new(self.policy.batch_size, self.policy.batch_time);
            // Where the last batch of this kind stopped: the next one starts after it.
            let mut after: Option<PurgeCursor> = None;
            loop {
                let limit = size.rows;
                // Wall time, not the service's clock: this paces real work on the database.
                let began = std::time::Instant::now();
                if *stop.borrow() {
                    break 'kinds;
                }
                let holder = self.holder.clone();
                let now = self.clock.now_ms();
                let from = after.clone();
                let purged = self
                    .store
                    .write(move |tx| {
                        if !claim(tx, &holder, now)? {
                            return Ok(Finish::Rollback(None));
                        }
                        Ok(Finish::Commit(Some(kind.delete(
                            tx,
                            before,
                            from.as_ref(),
                            limit,
                        )?)))
                    })
                    .await?;
                let took = began.elapsed();
                tracing::debug!(
                    kind = kind.name(),
                    rows = limit,
                    took_us = took.as_micros() as u64,
                    "purge batch"
                );
                size.took(took);
                let Some(purged) = purged else {
                    report.skipped = true;
                    break 'kinds;
                };
                report.batches += 1;
                *report.count(kind) += purged.count;
                // A short batch found nothing more after the cursor: this kind is done.
                if (purged.count as usize) < limit {
                    break;
                }
                after = purged.last.or(after);
                self.store.settle().await?;
                tokio::time::sleep(self.policy.pause).await;
            }
        }
        if !report.skipped {
            self.release().await?;
        }
        Ok(report)
    }

    /// Lets another instance take the lease at once.
    async fn release(&self) -> StoreResult<()> {
        let holder = self.holder.clone();
        let now = self.clock.now_ms();
        self.store
            .write(move |tx| {
                let lease = tx.lock_lease(LEASE_NAME)?;
                if lease.holder != holder {
                    return Ok(Finish::Rollback(()));
                }
                tx.set_lease(
                    LEASE_NAME,
                    &Lease {
                        holder,
                        expires_at: now,
                    },
                )?;
                Ok(Finish::Commit(()))
            })
            .await
    }

    /// The background purge: a first run soon after start-up, then one every interval, until
    /// `stop`. A failed run is logged and tried again at the next interval.
    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let Some(interval) = self.policy.interval else {
            return;
        };
        let mut wait = FIRST_RUN.min(interval);
        loop {
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                _ = stop.changed() => return,
            }
            if *stop.borrow() {
                return;
            }
            match self.purge(&stop).await {
                Ok(report) if report.skipped => {
                    tracing::debug!("purge: another instance is purging")
                }
                Ok(report) => tracing::info!(
                    tokens = report.tokens,
                    not_me_tokens = report.not_me_tokens,
                    sessions = report.sessions,
                    sent_mail = report.sent_mail,
                    dead_mail = report.dead_mail,
                    events = report.events,
                    attempts = report.attempts,
                    batches = report.batches,
                    "purge: done"
                ),
                Err(error) => tracing::warn!(%error, "purge: failed; trying again later"),
            }
            wait = interval;
        }
    }

    /// The outbox as an operator sees it (newest first, without bodies). The dead mail shown is
    /// marked seen: its own retention period starts now.
    pub async fn operator_outbox(&self, limit: usize) -> StoreResult<Vec<OutboxEntry>> {
        let now = self.clock.now_ms();
        self.store
            .write(move |tx| {
                let entries = tx.outbox(limit)?;
                let dead: Vec<i64> = entries
                    .iter()
                    .filter(|e| e.state == MailState::Dead)
                    .map(|e| e.id)
                    .collect();
                if !dead.is_empty() {
                    tx.mark_mail_seen(&dead, now)?;
                }
                Ok(Finish::Commit(entries))
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUDGET: Duration = Duration::from_millis(4);

    #[test]
    fn a_batch_starts_small_and_never_exceeds_the_configured_rows() {
        assert_eq!(BatchSize::new(500, BUDGET).rows, FIRST_BATCH);
        assert_eq!(BatchSize::new(2, BUDGET).rows, 2);
        let mut size = BatchSize::new(100, BUDGET);
        for _ in 0..10 {
            size.took(Duration::from_micros(100));
        }
        assert_eq!(size.rows, 100);
    }

    #[test]
    fn a_slow_batch_halves_the_next_and_a_fast_one_doubles_it() {
        let mut size = BatchSize::new(500, BUDGET);
        size.took(Duration::from_millis(1));
        assert_eq!(size.rows, 2 * FIRST_BATCH);
        size.took(Duration::from_millis(3));
        assert_eq!(size.rows, 2 * FIRST_BATCH, "within the budget: kept");
        size.took(Duration::from_millis(9));
        assert_eq!(size.rows, FIRST_BATCH);
        for _ in 0..20 {
            size.took(Duration::from_millis(50));
        }
        assert_eq!(size.rows, 1, "never below one row");
    }
}
