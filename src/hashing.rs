//! bcrypt, off the async workers: a dedicated pool of threads (one per core by default) behind a
//! bounded queue. When the queue is full the request is shed at once with 503 and `Retry-After`
//! instead of waiting without bound, so cheap calls never starve behind a flood of logins.

use std::sync::{Arc, OnceLock};

use tokio::sync::{oneshot, OwnedSemaphorePermit, Semaphore};

use crate::domain::Secret;
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
    /// A hash of a random password, verified when there is no real hash so that an unknown user
    /// costs the same time as a wrong password. It is made on the pool right after start-up
    /// rather than before it, so that it does not delay the first answer.
    dummy: Arc<OnceLock<String>>,
    dummy_password: Arc<str>,
}

impl Hasher {
    /// `threads` hashing threads, and room for `queue` waiting jobs beyond them.
    pub fn new(cost: u32, threads: usize, queue: usize) -> anyhow::Result<Self> {
        let threads = threads.max(1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("bcrypt-{i}"))
            .build()?;
        let dummy_password: Arc<str> = crate::secrets::generate_password()?.into_exposed().into();
        let dummy = Arc::new(OnceLock::new());
        {
            let (dummy, password) = (Arc::clone(&dummy), Arc::clone(&dummy_password));
            pool.spawn(move || {
                dummy.get_or_init(|| make_dummy(&password, cost));
            });
        }
        let capacity = threads + queue;
        Ok(Hasher {
            pool,
            slots: Arc::new(Semaphore::new(capacity)),
            capacity,
            cost,
            dummy,
            dummy_password,
        })
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

    /// Does `password` match `hash`? With no hash, a dummy is checked (and the answer is no).
    pub async fn verify(
        &self,
        password: Secret,
        hash: Option<PasswordHash>,
    ) -> Result<bool, HashError> {
        let real = hash.is_some();
        let (dummy, dummy_password, cost) = (
            Arc::clone(&self.dummy),
            Arc::clone(&self.dummy_password),
            self.cost,
        );
        let matched = self
            .run(move || {
                let target = match &hash {
                    Some(h) => h.0.as_str(),
                    // Made at start-up; should this job come first, it makes it (the same work).
                    None => dummy.get_or_init(|| make_dummy(&dummy_password, cost)),
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

/// bcrypt fails only for costs outside 4..=31, which the configuration refuses; an empty dummy
/// would then merely make unknown users answer faster, never match.
fn make_dummy(password: &str, cost: u32) -> String {
    bcrypt::hash(password, cost).unwrap_or_default()
}
