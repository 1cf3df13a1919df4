//! The per-account throttle on failed password checks (log-in and the old password of a
//! self-service change). It is keyed by the name that was submitted, not by the account, so it
//! answers alike whether the account exists or not.
//!
//! Written by hand: it must refuse *before* the bcrypt work without spending quota on that
//! question, and count only failures. `governor` (used for the per-IP limits) has no read-only
//! check, so it cannot say "would this be allowed?" without counting. The structure is a map of
//! fixed windows, bounded in size and swept with the rate limiters.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Beyond this many tracked names, the oldest windows are dropped first.
const MAX_TRACKED: usize = 100_000;

struct Window {
    started: Instant,
    failures: u32,
}

pub struct FailureThrottle {
    max_failures: u32,
    window: Duration,
    windows: Mutex<HashMap<String, Window>>,
}

fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

impl FailureThrottle {
    /// `max_failures` within `window` (0 turns the throttle off).
    pub fn new(max_failures: u32, window: Duration) -> Self {
        FailureThrottle {
            max_failures,
            window,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(wait)` when `name` has used up its failures for now.
    pub fn check(&self, name: &str) -> Result<(), Duration> {
        if self.max_failures == 0 {
            return Ok(());
        }
        let now = Instant::now();
        let windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        match windows.get(&key(name)) {
            Some(w)
                if w.failures >= self.max_failures
                    && now.duration_since(w.started) < self.window =>
            {
                Err(self.window - now.duration_since(w.started))
            }
            _ => Ok(()),
        }
    }

    pub fn record_failure(&self, name: &str) {
        if self.max_failures == 0 {
            return;
        }
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() >= MAX_TRACKED {
            Self::sweep(&mut windows, self.window, now);
            if windows.len() >= MAX_TRACKED {
                if let Some(oldest) = windows
                    .iter()
                    .min_by_key(|(_, w)| w.started)
                    .map(|(k, _)| k.clone())
                {
                    windows.remove(&oldest);
                }
            }
        }
        let entry = windows.entry(key(name)).or_insert(Window {
            started: now,
            failures: 0,
        });
        if now.duration_since(entry.started) >= self.window {
            *entry = Window {
                started: now,
                failures: 0,
            };
        }
        entry.failures += 1;
    }

    /// Drops windows that have run out.
    pub fn forget_idle(&self) {
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        Self::sweep(&mut windows, self.window, Instant::now());
    }

    fn sweep(windows: &mut HashMap<String, Window>, window: Duration, now: Instant) {
        windows.retain(|_, w| now.duration_since(w.started) < window);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_after_the_failures_and_ignores_case() {
        let t = FailureThrottle::new(2, Duration::from_secs(60));
        assert!(t.check("Ada@Example.com").is_ok());
        t.record_failure("ada@example.com");
        assert!(t.check("ADA@example.com").is_ok());
        t.record_failure(" ada@example.com ");
        let wait = t.check("ada@example.com").expect_err("throttled");
        assert!(wait <= Duration::from_secs(60) && wait > Duration::from_secs(55));
        assert!(t.check("bob").is_ok(), "other names are not affected");
    }

    #[test]
    fn windows_run_out() {
        let t = FailureThrottle::new(1, Duration::from_millis(30));
        t.record_failure("x");
        assert!(t.check("x").is_err());
        std::thread::sleep(Duration::from_millis(40));
        assert!(t.check("x").is_ok());
        t.forget_idle();
        assert!(t.windows.lock().unwrap().is_empty());
    }

    #[test]
    fn zero_turns_it_off() {
        let t = FailureThrottle::new(0, Duration::from_secs(60));
        for _ in 0..10 {
            t.record_failure("x");
        }
        assert!(t.check("x").is_ok());
    }
}
