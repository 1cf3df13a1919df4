//! The open connections of a listener: the registry behind the connection cap and the idle
//! timeout, and the open-file limit the cap is derived from.
//!
//! Written by hand because neither hyper nor hyper-util has a connection cap or an idle timeout:
//! hyper's HTTP/1 header timeout starts only once the HTTP version is known, HTTP/2 has only
//! keep-alive pings (which a live but idle client answers), and a concurrency limit in front of
//! `accept` would hold back the newcomer rather than close the oldest idle connection.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

/// The open connections of one listener, oldest first, each busy (requests in flight) or idle.
pub struct Registry {
    cap: usize,
    /// The listener's name in the log (`main`, `management`).
    name: &'static str,
    /// What `idle_since` is counted from.
    started: Instant,
    open: Mutex<Open>,
}

struct Open {
    next_id: u64,
    /// By id, which is by age: ids are handed out in accept order.
    by_age: BTreeMap<u64, Arc<State>>,
    /// When the cap was last reported in the log (at most once a minute).
    warned: Option<Instant>,
}

/// One connection's state, changed by its requests without the registry's lock.
struct State {
    in_flight: AtomicUsize,
    /// Milliseconds from the registry's start to the end of the last request.
    idle_since: AtomicU64,
    close: Notify,
}

/// What [`Registry::admit`] decided for a new connection.
pub enum Admission {
    Admitted(Arc<Connection>),
    /// At the cap with every connection busy: the newcomer is closed.
    Refused,
}

impl Registry {
    pub fn new(name: &'static str, cap: usize) -> Arc<Self> {
        Arc::new(Registry {
            cap: cap.max(1),
            name,
            started: Instant::now(),
            open: Mutex::new(Open {
                next_id: 0,
                by_age: BTreeMap::new(),
                warned: None,
            }),
        })
    }

    pub fn cap(&self) -> usize {
        self.cap
    }

    /// How many connections are open.
    pub fn len(&self) -> usize {
        self.lock().by_age.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Registers a newly accepted connection. At the cap, the oldest idle connection is told to
    /// close (and counted out at once) to make room; if every connection is busy, the newcomer
    /// is refused. (A request that arrives on the oldest idle connection just as it is chosen is
    /// cut off with it, as with any idle timeout.)
    pub fn admit(self: &Arc<Self>) -> Admission {
        let mut open = self.lock();
        if open.by_age.len() >= self.cap {
            let oldest_idle = open
                .by_age
                .iter()
                .find(|(_, state)| state.in_flight.load(Ordering::Acquire) == 0)
                .map(|(id, _)| *id);
            let evicted = oldest_idle.and_then(|id| open.by_age.remove(&id));
            let now = Instant::now();
            if open
                .warned
                .is_none_or(|at| now.duration_since(at) >= Duration::from_secs(60))
            {
                open.warned = Some(now);
                tracing::warn!(
                    listener = self.name,
                    cap = self.cap,
                    "connection cap reached: closing the oldest idle connections for new ones \
                     (refusing new ones while every connection is busy); reported once a minute"
                );
            }
            match evicted {
                // `notify_one` keeps the wake-up if the connection is not waiting yet.
                Some(state) => state.close.notify_one(),
                None => return Admission::Refused,
            }
        }
        let id = open.next_id;
        open.next_id += 1;
        let state = Arc::new(State {
            in_flight: AtomicUsize::new(0),
            idle_since: AtomicU64::new(self.now()),
            close: Notify::new(),
        });
        open.by_age.insert(id, Arc::clone(&state));
        Admission::Admitted(Arc::new(Connection {
            id,
            registry: Arc::clone(self),
            state,
        }))
    }

    /// Milliseconds since the registry started.
    fn now(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn lock(&self) -> MutexGuard<'_, Open> {
        // The map stays consistent whatever panicked while holding it.
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One registered connection; counted out when the last handle is dropped.
pub struct Connection {
    id: u64,
    registry: Arc<Registry>,
    state: Arc<State>,
}

impl Connection {
    /// Resolves when the registry closed this connection to make room for a new one.
    pub async fn evicted(&self) {
        self.state.close.notified().await
    }

    /// Marks a request in flight until the returned guard is dropped.
    pub fn busy(self: &Arc<Self>) -> Busy {
        self.state.in_flight.fetch_add(1, Ordering::AcqRel);
        Busy(Arc::clone(self))
    }

    /// How long the connection has had no request in flight; `None` while it has one.
    pub fn idle_for(&self) -> Option<Duration> {
        if self.state.in_flight.load(Ordering::Acquire) > 0 {
            return None;
        }
        let since = self.state.idle_since.load(Ordering::Acquire);
        Some(Duration::from_millis(
            self.registry.now().saturating_sub(since),
        ))
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.registry.lock().by_age.remove(&self.id);
    }
}

/// A request in flight on a connection (see [`Connection::busy`]).
pub struct Busy(Arc<Connection>);

impl Drop for Busy {
    fn drop(&mut self) {
        let connection = &self.0;
        // The last request out stamps the start of the idle time.
        if connection.state.in_flight.fetch_sub(1, Ordering::AcqRel) == 1 {
            let now = connection.registry.now();
            connection.state.idle_since.store(now, Ordering::Release);
        }
    }
}

/// The process's soft limit on open files (`getrlimit(RLIMIT_NOFILE)`); `None` when unlimited
/// or unknown.
pub fn open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        rustix::process::getrlimit(rustix::process::Resource::Nofile).current
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The connection cap: three quarters of the open-file `soft_limit` less `reserve` (the files
/// the rest of the process needs), or `configured` when that is lower (0: derive it).
pub fn connection_cap(configured: usize, soft_limit: Option<u64>, reserve: usize) -> usize {
    let derived = soft_limit.map_or(usize::MAX, |limit| {
        let derived = (limit / 4 * 3).saturating_sub(reserve as u64);
        usize::try_from(derived).unwrap_or(usize::MAX)
    });
    let cap = match configured {
        0 => derived,
        n => n.min(derived),
    };
    cap.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admitted(registry: &Arc<Registry>) -> Arc<Connection> {
        match registry.admit() {
            Admission::Admitted(connection) => connection,
            Admission::Refused => panic!("refused"),
        }
    }

    #[test]
    fn at_the_cap_the_oldest_idle_connection_makes_room_and_busy_ones_stay() {
        let registry = Registry::new("test", 3);
        let first = admitted(&registry);
        let second = admitted(&registry);
        let third = admitted(&registry);
        let _request = first.busy();
        assert_eq!(first.idle_for(), None);
        // `first` is busy: `second` is the oldest idle one.
        let fourth = admitted(&registry);
        assert_eq!(registry.len(), 3);
        assert!(third.idle_for().is_some() && fourth.idle_for().is_some());
        let (_a, _b) = (third.busy(), fourth.busy());
        assert!(matches!(registry.admit(), Admission::Refused));
        // `second` was counted out when it was chosen; dropping it changes nothing.
        drop(second);
        assert_eq!(registry.len(), 3);
        drop(_request);
        assert!(
            first.idle_for().is_some(),
            "idle again once its request is done"
        );
        // Now `first` is the oldest idle one.
        let _fifth = admitted(&registry);
        drop(first);
        assert_eq!(registry.len(), 3);
    }

    #[test]
    fn an_evicted_connection_is_told_to_close() {
        let registry = Registry::new("test", 1);
        let old = admitted(&registry);
        let _new = admitted(&registry);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            tokio::time::timeout(Duration::from_secs(1), old.evicted())
                .await
                .expect("told to close");
        });
    }

    #[test]
    fn the_cap_stays_under_the_open_file_limit() {
        assert_eq!(connection_cap(0, Some(4096), 160), 2912);
        assert_eq!(connection_cap(1000, Some(4096), 160), 1000);
        assert_eq!(connection_cap(100_000, Some(4096), 160), 2912);
        assert_eq!(connection_cap(0, Some(100), 160), 1);
        assert_eq!(connection_cap(500, None, 160), 500);
    }
}
