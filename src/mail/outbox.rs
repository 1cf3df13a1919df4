//! The outbox worker: delivers mail that request handlers queued in the database, so a request
//! never waits on the relay and no mail is lost to a crash or an outage.
//!
//! Each mail is claimed with a lease before it is sent, marked sent (bodies erased) after the
//! relay accepted it, retried with exponential backoff and jitter on timeouts, 429 and 5xx
//! (honouring `Retry-After`), and marked dead with its last error on other 4xx or when the
//! attempts run out. Pending mail resumes after a restart. The retry schedule is persisted in the
//! outbox row, so it is computed here (a few lines) rather than by an in-process retry crate,
//! which would lose it on restart.
//!
//! Up to `MAIL_CONCURRENCY` calls run at once. Mails are claimed in batches as calls finish, and
//! only the oldest pending mail of each recipient is ever claimed (on every instance), so a
//! person's mails arrive in the order they were queued, one call at a time: a newer reset link
//! never overtakes an older one. The relay's pace is the relay's, not one mail's ([`Pace`]): a 429
//! or a `Retry-After` halves how many calls this instance makes at once (growing back by one per
//! round of calls answered without one), and the refused mail waits its `Retry-After`; a second
//! one within that wait means the relay is saturated, and then no new call starts until it is
//! over. Calls already under way finish. Shutdown stops claiming, waits (bounded) for the calls in flight and leaves the
//! rest pending; after a crash, the lease hands a claimed mail to the next claimer.

use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use tokio::sync::{watch, Notify};
use tokio::task::{JoinError, JoinSet};
use tokio::time::Instant;

use super::relay::Relay;
use super::SendError;
use crate::base::clock::Clock;
use crate::base::metrics::Metrics;
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

/// How often due mail is looked for when nothing wakes the worker (retries coming due).
const POLL: Duration = Duration::from_millis(500);

pub struct OutboxWorker {
    pub store: Arc<dyn Store>,
    pub relay: Arc<Relay>,
    pub clock: Clock,
    pub wake: Arc<Notify>,
    pub policy: RetryPolicy,
    /// How long a claim holds a mail; renewed every third of it while its relay call runs, so a
    /// mail being sent is not claimed twice, and one whose sender died is free again this soon.
    pub lease: Duration,
    /// Relay calls in flight at once (`MAIL_CONCURRENCY`, at least 1).
    pub concurrency: usize,
    /// How long shutdown waits for the calls in flight; what is still running then is left to
    /// its lease, as after a crash.
    pub drain: Duration,
    pub metrics: Arc<Metrics>,
    /// Beats while the worker runs (read by `/health/ready`).
    pub heartbeat: Heartbeat,
}

/// Whether the outbox worker is running, for `/health/ready`: the worker beats at every turn of
/// its loop (at least every [`POLL`] when idle, or once a claim comes back from the database),
/// and stops beating when it ends, whether it was stopped or failed.
#[derive(Debug, Clone)]
pub struct Heartbeat(Arc<HeartbeatInner>);

#[derive(Debug)]
struct HeartbeatInner {
    started: std::time::Instant,
    /// Milliseconds from `started` to the last beat, plus one; `0`: not running.
    last: std::sync::atomic::AtomicU64,
}

/// A worker that has not beaten for this long counts as stuck: a turn of its loop takes one
/// claim (a database transaction, which gives up on a locked or unreachable database within
/// seconds) and at most [`POLL`] of waiting.
const STUCK_AFTER: Duration = Duration::from_secs(30);

impl Default for Heartbeat {
    fn default() -> Self {
        Heartbeat(Arc::new(HeartbeatInner {
            started: std::time::Instant::now(),
            last: std::sync::atomic::AtomicU64::new(0),
        }))
    }
}

impl Heartbeat {
    fn now(&self) -> u64 {
        u64::try_from(self.0.started.elapsed().as_millis()).unwrap_or(u64::MAX - 1) + 1
    }

    fn beat(&self) {
        self.0
            .last
            .store(self.now(), std::sync::atomic::Ordering::Relaxed);
    }

    fn stop(&self) {
        self.0.last.store(0, std::sync::atomic::Ordering::Relaxed);
    }

    /// The worker runs and has beaten within [`STUCK_AFTER`].
    pub fn running(&self) -> bool {
        let last = self.0.last.load(std::sync::atomic::Ordering::Relaxed);
        last != 0 && self.now().saturating_sub(last) <= STUCK_AFTER.as_millis() as u64
    }
}

/// Stops the heartbeat when the worker's loop ends, however it ends (a panic included).
struct Beating(Heartbeat);

impl Drop for Beating {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// Counts one relay call in `unlatch_mail_in_flight` for as long as it lives (also when its
/// task is aborted at shutdown).
struct InFlight(Arc<Metrics>);

impl InFlight {
    fn new(metrics: &Arc<Metrics>) -> Self {
        metrics.mail_in_flight(1);
        InFlight(Arc::clone(metrics))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.mail_in_flight(-1);
    }
}

/// How hard this instance may press the relay: at most `limit` calls at once (additive increase,
/// multiplicative decrease, as TCP paces itself), and none at all until `paused_until`.
#[derive(Debug)]
struct Pace {
    max: usize,
    limit: usize,
    /// Calls answered without push-back since `limit` last grew.
    grown: usize,
    paused_until: Option<Instant>,
    /// The last push-back and the wait it asked for.
    last_refusal: Option<(Instant, Duration)>,
}

impl Pace {
    fn new(max: usize) -> Self {
        Pace {
            max,
            limit: max,
            grown: 0,
            paused_until: None,
            last_refusal: None,
        }
    }

    /// A finished call: `pushback` is the wait the relay asked for, if it asked.
    fn finished(&mut self, pushback: Option<Duration>) {
        let now = Instant::now();
        match pushback {
            None => {
                self.grown += 1;
                if self.grown >= self.limit {
                    self.limit = (self.limit + 1).min(self.max);
                    self.grown = 0;
                }
            }
            Some(wait) => {
                // Within the wait the relay asked for last time: it is saturated, so nothing new
                // goes out until the wait is over.
                let saturated = self
                    .last_refusal
                    .is_some_and(|(at, asked)| now < at + asked);
                if saturated {
                    let until = now + wait;
                    self.paused_until = Some(self.paused_until.map_or(until, |p| p.max(until)));
                } else {
                    self.limit = (self.limit / 2).max(1);
                }
                self.grown = 0;
                self.last_refusal = Some((now, wait));
            }
        }
    }

    /// How many new calls may start beside `in_flight`.
    fn free(&mut self, in_flight: usize) -> usize {
        if self
            .paused_until
            .is_some_and(|until| until <= Instant::now())
        {
            self.paused_until = None;
        }
        if self.paused_until.is_some() {
            0
        } else {
            self.limit.saturating_sub(in_flight)
        }
    }
}

impl OutboxWorker {
    /// Runs until `stop` turns true, then waits (up to `drain`) for the calls in flight.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let worker = Arc::new(self);
        // Each call answers how long the relay asked to hold off, if it did.
        let mut calls: JoinSet<Option<Duration>> = JoinSet::new();
        let mut pace = Pace::new(worker.concurrency.max(1));
        let beating = Beating(worker.heartbeat.clone());
        loop {
            beating.0.beat();
            // A finished call's answer is read before its slot is used again, so a 429 slows
            // the very next claim.
            while let Some(done) = calls.try_join_next() {
                pace.finished(worker.pushback(done));
            }
            if *stop.borrow() {
                break;
            }
            let free = pace.free(calls.len());
            if free > 0 {
                match worker.claim(free).await {
                    Ok(due) => {
                        for queued in due {
                            let guard = InFlight::new(&worker.metrics);
                            let worker = Arc::clone(&worker);
                            calls.spawn(async move {
                                let pause = worker.attempt(&queued).await;
                                drop(guard);
                                pause
                            });
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "outbox: cannot read due mail"),
                }
            }
            let free = pace.free(calls.len());
            // While paused the loop still turns every POLL (claiming nothing), so it keeps beating.
            let poll = Instant::now() + POLL;
            let next_look = pace.paused_until.map_or(poll, |until| until.min(poll));
            tokio::select! {
                Some(done) = calls.join_next(), if !calls.is_empty() => {
                    pace.finished(worker.pushback(done));
                }
                // Queued mail only matters when a call can start (the wake-up is kept meanwhile).
                () = worker.wake.notified(), if free > 0 => {}
                () = tokio::time::sleep_until(next_look) => {}
                changed = stop.changed() => {
                    if changed.is_err() {
                        break;
                    }
                }
            }
        }
        // Stopped: no longer ready, though the calls in flight may still finish.
        drop(beating);
        if calls.is_empty() {
            return;
        }
        tracing::info!(
            calls = calls.len(),
            "outbox: stopping; waiting for the mail calls in flight"
        );
        let drained = tokio::time::timeout(worker.drain, async {
            while let Some(done) = calls.join_next().await {
                worker.pushback(done);
            }
        })
        .await;
        if drained.is_err() {
            tracing::warn!(
                calls = calls.len(),
                waited_ms = worker.drain.as_millis() as u64,
                "outbox: mail calls still in flight at shutdown are left to their lease"
            );
            calls.shutdown().await;
        }
    }

    /// Claims up to `limit` due mails in one transaction: on several instances, each due mail
    /// goes to one of them, and is not due again until its lease runs out.
    async fn claim(&self, limit: usize) -> Result<Vec<QueuedMail>, StoreError> {
        let lease = i64::try_from(self.lease.as_millis()).unwrap_or(i64::MAX / 2);
        let now = self.clock.now_ms();
        self.store
            .write(move |tx| {
                let due = tx.due_mail(now, limit)?;
                for mail in &due {
                    tx.lease_mail(mail.id, now + lease)?;
                }
                Ok(Finish::Commit(due))
            })
            .await
    }

    /// What a finished call says about the relay's pace: the wait it asked for, if any.
    fn pushback(&self, done: Result<Option<Duration>, JoinError>) -> Option<Duration> {
        match done {
            Ok(pushback) => pushback,
            Err(e) => {
                // The mail stays leased and is tried again when its lease runs out.
                if !e.is_cancelled() {
                    tracing::error!(error = %e, "outbox: a delivery task failed");
                }
                None
            }
        }
    }

    /// One attempt at one claimed mail, recorded; answers how long every call should now hold
    /// off, when the relay asked for that.
    async fn attempt(&self, queued: &QueuedMail) -> Option<Duration> {
        // This claim is one more attempt.
        let attempt = queued.attempts + 1;
        let id = queued.id;
        let send = self.relay.send(&queued.mail);
        tokio::pin!(send);
        let outcome = tokio::select! {
            outcome = &mut send => outcome,
            // The renewals never end by themselves; should they, the call is still awaited.
            () = self.keep_lease(id, attempt) => send.await,
        };
        let now = self.clock.now_ms();
        let mut pause = None;
        let recorded = match outcome {
            Ok(()) => {
                tracing::info!(mail_id = id, template = %queued.mail.template, "mail delivered");
                let waited_ms = now.saturating_sub(queued.queued_at).max(0);
                self.metrics.mail_delivered(waited_ms as f64 / 1000.0);
                self.store
                    .write(move |tx| tx.mark_mail_sent(id, now).map(Finish::Commit))
                    .await
            }
            Err(SendError::Transient {
                reason,
                retry_after,
                rate_limited,
            }) => {
                // The relay's pace holds back every call, whatever becomes of this mail; a 429
                // without `Retry-After` holds them back for the first retry delay. Capped, so a
                // relay asking for hours is asked again after the longest retry delay.
                pause = match (retry_after, rate_limited) {
                    (Some(asked), _) => Some(asked.min(self.policy.max)),
                    (None, true) => Some(self.policy.base.min(self.policy.max)),
                    (None, false) => None,
                };
                if attempt < self.policy.max_attempts {
                    let wait = self.policy.delay(attempt, retry_after);
                    tracing::warn!(mail_id = id, attempt, %reason,
                        retry_in_ms = wait.as_millis() as u64, "mail not delivered; will retry");
                    let next = now + i64::try_from(wait.as_millis()).unwrap_or(i64::MAX / 2);
                    self.store
                        .write(move |tx| tx.schedule_mail(id, next, &reason).map(Finish::Commit))
                        .await
                } else {
                    self.dead(id, attempt, reason).await
                }
            }
            Err(SendError::Permanent(reason)) => self.dead(id, attempt, reason).await,
        };
        if let Err(e) = recorded {
            // The lease runs out and the mail is tried again; the relay's Idempotency-Key keeps
            // a repeat from reaching the user twice where the provider supports it.
            tracing::error!(mail_id = id, error = %e, "outbox: cannot record the attempt");
        }
        pause
    }

    /// Renews the claim on mail `id` (its `attempt`-th) every third of the lease, for as long as
    /// it is polled (its relay call). A claim found taken over (this instance was cut off from
    /// the database for longer than the lease) is left alone: the relay's Idempotency-Key keeps
    /// the two calls from reaching the user twice where the provider supports it.
    async fn keep_lease(&self, id: i64, attempt: i64) {
        let every = self.lease / 3;
        let lease_ms = i64::try_from(self.lease.as_millis()).unwrap_or(i64::MAX / 2);
        let mut ticks = tokio::time::interval_at(Instant::now() + every, every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let until = self.clock.now_ms() + lease_ms;
            let renewed = self
                .store
                .write(move |tx| tx.renew_mail_lease(id, attempt, until).map(Finish::Commit))
                .await;
            match renewed {
                Ok(true) => {}
                Ok(false) => {
                    tracing::warn!(mail_id = id, "outbox: the mail's claim was taken over");
                    std::future::pending::<()>().await;
                }
                Err(e) => tracing::warn!(mail_id = id, error = %e, "outbox: cannot renew a claim"),
            }
        }
    }

    async fn dead(&self, id: i64, attempt: i64, reason: String) -> Result<(), StoreError> {
        tracing::error!(mail_id = id, attempt, %reason, "mail is dead: it will not be retried");
        self.store
            .write(move |tx| tx.mark_mail_dead(id, &reason).map(Finish::Commit))
            .await
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

#[cfg(test)]
mod pace_tests {
    use super::*;

    #[test]
    fn a_lone_429_halves_the_calls_and_they_grow_back() {
        let mut pace = Pace::new(16);
        assert_eq!(pace.free(0), 16);
        pace.finished(Some(Duration::from_secs(1)));
        assert_eq!(pace.free(0), 8, "halved, not stopped");
        for _ in 0..8 {
            pace.finished(None);
        }
        assert_eq!(pace.free(0), 9, "one more after a round of answers");
    }

    #[test]
    fn a_second_429_within_the_wait_stops_every_new_call() {
        let mut pace = Pace::new(4);
        pace.finished(Some(Duration::from_secs(30)));
        pace.finished(Some(Duration::from_secs(30)));
        assert_eq!(
            pace.free(0),
            0,
            "saturated: nothing new until the wait is over"
        );
        assert!(pace.paused_until.is_some());
        let mut floor = Pace::new(1);
        floor.finished(Some(Duration::from_millis(1)));
        assert_eq!(floor.limit, 1, "never below one call");
    }
}

#[cfg(test)]
mod heartbeat_tests {
    use super::*;
    use crate::mail::relay::{MailgunRegion, Provider, RelayConfig};

    #[test]
    fn a_heartbeat_runs_from_the_first_beat_until_it_stops() {
        let heartbeat = Heartbeat::default();
        assert!(!heartbeat.running(), "never beaten");
        heartbeat.beat();
        assert!(heartbeat.running());
        heartbeat.stop();
        assert!(!heartbeat.running());
    }

    #[tokio::test]
    async fn the_worker_beats_while_it_runs_and_stops_when_stopped() {
        let dir = tempfile::tempdir().expect("dir");
        let store: Arc<dyn Store> = Arc::new(
            crate::store::sqlite::SqliteStore::open(&dir.path().join("unlatch.db"))
                .await
                .expect("store"),
        );
        let relay = Relay::new(RelayConfig {
            provider: Provider::Log,
            url: None,
            token: None,
            sender: "Unleash <noreply@unleash.local>".into(),
            connect_timeout: Duration::from_secs(1),
            timeout: Duration::from_secs(1),
            smtp: None,
            mailgun_domain: None,
            mailgun_region: MailgunRegion::Us,
        })
        .expect("relay");
        let heartbeat = Heartbeat::default();
        let worker = OutboxWorker {
            store,
            relay: Arc::new(relay),
            clock: Clock::default(),
            wake: Arc::new(Notify::new()),
            policy: RetryPolicy {
                base: Duration::from_secs(1),
                max: Duration::from_secs(1),
                max_attempts: 1,
            },
            lease: Duration::from_secs(10),
            concurrency: 1,
            drain: Duration::from_secs(1),
            metrics: Arc::new(Metrics::new().expect("metrics")),
            heartbeat: heartbeat.clone(),
        };
        let (stop, stopping) = watch::channel(false);
        assert!(!heartbeat.running(), "not started yet");
        let task = tokio::spawn(worker.run(stopping));
        let deadline = Instant::now() + Duration::from_secs(10);
        while !heartbeat.running() {
            assert!(Instant::now() < deadline, "the worker never beat");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        stop.send(true).expect("stop");
        task.await.expect("the worker ends");
        assert!(!heartbeat.running(), "a stopped worker is not running");
    }
}
