//! bcrypt, off the async workers: a dedicated pool of threads (one per core by default) behind a
//! bounded queue. When the queue is full the request is shed at once with 503 and `Retry-After`
//! instead of waiting without bound, so cheap calls never starve behind a flood of logins.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

use tokio::sync::{oneshot, OwnedSemaphorePermit, Semaphore};

use crate::base::types::Secret;
use crate::store::PasswordHash;

/// How long a shed client is told to wait.
const RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// Why the pool gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Every slot is taken: the job was not queued.
    #[error("the password-hashing queue is full")]
    Overloaded { retry_after: std::time::Duration },
    #[error("a hashing job ended without an answer")]
    Lost,
    #[error("bcrypt could not hash the password")]
    Bcrypt(#[source] bcrypt::BcryptError),
}

pub struct Hasher {
    pool: rayon::ThreadPool,
    /// One permit per job that may be running or waiting.
    slots: Arc<Semaphore>,
    capacity: usize,
    cost: u32,
    /// The cost of the hashes the store holds, as last seen: at start-up from a sample of the
    /// stored hashes, then from every real hash verified. An unknown user is checked against a
    /// dummy of this cost, not of `BCRYPT_COST`: when the setting differs from the stored hashes
    /// (every hash Unleash wrote is cost 10), an unknown name must still cost what a known one does.
    stored_cost: Arc<AtomicU32>,
    /// Hashes of a random password, one per cost, verified when there is no real hash so that an
    /// unknown user costs the same time as a wrong password. Each is made on the pool as soon as
    /// its cost is known rather than before start-up, so that it does not delay the first answer.
    dummies: Arc<Dummies>,
    dummy_password: Arc<str>,
}

/// One dummy hash per bcrypt cost (indexed by cost, 4 to 31).
type Dummies = [OnceLock<String>; 32];

/// The cost written in a bcrypt hash (`$2b$10$…`), if it is one.
pub fn cost_of(hash: &PasswordHash) -> Option<u32> {
    hash.0
        .split('$')
        .nth(2)
        .and_then(|cost| cost.parse().ok())
        .filter(|cost| (4..=31).contains(cost))
}

impl Hasher {
    /// `threads` hashing threads, and room for `queue` waiting jobs beyond them.
    pub fn new(cost: u32, threads: usize, queue: usize) -> anyhow::Result<Self> {
        let threads = threads.max(1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("bcrypt-{i}"))
            .build()?;
        let dummy_password: Arc<str> = crate::domain::secrets::generate_password()?
            .into_exposed()
            .into();
        let capacity = threads + queue;
        let hasher = Hasher {
            pool,
            slots: Arc::new(Semaphore::new(capacity)),
            capacity,
            cost,
            stored_cost: Arc::new(AtomicU32::new(cost)),
            dummies: Arc::new(std::array::from_fn(|_| OnceLock::new())),
            dummy_password,
        };
        hasher.prepare_dummy(cost);
        Ok(hasher)
    }

    /// Makes the dummy of `cost` on the pool, unless it is made already.
    fn prepare_dummy(&self, cost: u32) {
        let (dummies, password) = (Arc::clone(&self.dummies), Arc::clone(&self.dummy_password));
        self.pool.spawn(move || {
            dummy(&dummies, &password, cost);
        });
    }

    /// Takes note of the cost of a hash the store holds; unknown users are then checked at it.
    pub fn learn_cost(&self, hash: &PasswordHash) {
        if let Some(cost) = cost_of(hash) {
            if self.stored_cost.swap(cost, Ordering::Relaxed) != cost {
                self.prepare_dummy(cost);
            }
        }
    }

    /// Jobs running or waiting right now.
    pub fn queue_depth(&self) -> usize {
        self.capacity - self.slots.available_permits()
    }

    async fn run<R, F>(&self, job: F) -> Result<R, HashError>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        let permit: OwnedSemaphorePermit =
            Arc::clone(&self.slots)
                .try_acquire_owned()
                .map_err(|_| HashError::Overloaded {
                    retry_after: RETRY_AFTER,
                })?;
        let (tx, rx) = oneshot::channel();
        self.pool.spawn(move || {
            let result = job();
            drop(permit);
            // The receiver is gone only if the request was dropped; nothing to do then.
            let _ = tx.send(result);
        });
        rx.await.map_err(|_| HashError::Lost)
    }

    pub async fn hash(&self, password: Secret) -> Result<PasswordHash, HashError> {
        let cost = self.cost;
        self.run(move || bcrypt::hash(password.expose(), cost))
            .await?
            .map(PasswordHash)
            .map_err(HashError::Bcrypt)
    }

    /// Does `password` match `hash`? With no hash, a dummy of the stored hashes' cost is checked
    /// (and the answer is no).
    pub async fn verify(
        &self,
        password: Secret,
        hash: Option<PasswordHash>,
    ) -> Result<bool, HashError> {
        let real = hash.is_some();
        if let Some(hash) = &hash {
            self.learn_cost(hash);
        }
        let cost = self.stored_cost.load(Ordering::Relaxed);
        let (dummies, dummy_password) =
            (Arc::clone(&self.dummies), Arc::clone(&self.dummy_password));
        let matched = self
            .run(move || {
                let target = match &hash {
                    Some(h) => h.0.as_str(),
                    // Made when its cost was learnt; should this job come first, it makes it.
                    None => dummy(&dummies, &dummy_password, cost),
                };
                bcrypt::verify(password.expose(), target).unwrap_or(false)
            })
            .await?;
        Ok(real && matched)
    }

    /// Does `password` match any of `hashes` (the password history)? One job checks them all.
    pub async fn matches_any(
        &self,
        password: Secret,
        hashes: Vec<PasswordHash>,
    ) -> Result<bool, HashError> {
        if hashes.is_empty() {
            return Ok(false);
        }
        self.run(move || {
            hashes
                .iter()
                .any(|h| bcrypt::verify(password.expose(), &h.0).unwrap_or(false))
        })
        .await
    }
}

/// The dummy hash of `cost`, made on first use. bcrypt fails only for costs outside 4..=31,
/// which neither the configuration nor [`cost_of`] lets through; an empty dummy would then merely
/// make unknown users answer faster, never match.
fn dummy<'a>(dummies: &'a Dummies, password: &str, cost: u32) -> &'a str {
    match dummies.get(cost as usize) {
        Some(slot) => slot.get_or_init(|| bcrypt::hash(password, cost).unwrap_or_default()),
        None => "",
    }
}
