//! Logging through `tracing`: human-readable text by default, JSON lines with `LOG_FORMAT=json`.
//!
//! Lines go to stderr through [`LogBuffer`]: a request appends its lines to a shared buffer, and a
//! background thread writes the buffer out every [`FLUSH_EVERY`]. Written by hand because neither
//! writing each line to stderr (one `write` call per access-log line: a fifth of the server's CPU
//! at full load) nor `tracing-appender`'s writer thread (woken for every line when it is idle:
//! another seventh) is cheap enough for a line per request. Nothing is dropped: a buffer that
//! grows past [`FLUSH_AT`] is written out at once by the request that filled it, and the
//! [`LogGuard`] writes what is left when it is dropped.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{EnvFilter, Layer as _};

/// How long a line may wait in the buffer.
const FLUSH_EVERY: Duration = Duration::from_millis(50);
/// A buffer this large is written out without waiting for the flusher.
const FLUSH_AT: usize = 256 * 1024;

/// Keeps the log's flusher running; dropping it stops the flusher and writes what is left.
#[must_use = "the log stops (and what is buffered is written) when the guard is dropped"]
pub struct LogGuard {
    log: Option<LogBuffer>,
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        if let Some(log) = self.log.take() {
            log.shared.stop();
        }
    }
}

/// Installs the global subscriber. `level` is a level (`info`) or any `EnvFilter` directive.
/// A second call (as in tests that start several servers) keeps the first subscriber.
pub fn init(level: &str, format: &str) -> anyhow::Result<LogGuard> {
    let (targets, env_filter) = filters(level)?;
    if !matches!(format, "json" | "text") {
        anyhow::bail!("LOG_FORMAT must be text or json, not {format:?}");
    }
    let log = LogBuffer::start()?;
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(log.clone())
        .with_ansi(terminal);
    let lines = match format {
        "json" => fmt.json().boxed(),
        _ => fmt.boxed(),
    };
    let installed = tracing_subscriber::registry()
        .with(lines)
        .with(targets)
        .with(env_filter)
        .try_init();
    if installed.is_err() {
        log.shared.stop();
        return Ok(LogGuard { log: None });
    }
    // A release build aborts on a panic (`panic = "abort"`): no destructor runs, so the lines
    // still buffered (up to FLUSH_EVERY's worth) would be lost with the process. The panic hook
    // writes them out first, then the panic's own message follows them, in order.
    let shared = Arc::clone(&log.shared);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        shared.flush_if_free();
        previous(info);
    }));
    Ok(LogGuard { log: Some(log) })
}

/// The filter for `level`: `Targets` when it is only levels and targets (`info`,
/// `unlatch=debug,warn`), which decides by a span's or event's target and level alone; an
/// `EnvFilter` when it has span or field directives (`[request{operation=login}]=debug`), which
/// need it. `EnvFilter` keeps a lock-guarded table of the spans such directives match and reads it
/// whenever any span is created, entered, left or closed, even when no such directive is set:
/// four shared locks per request, both workers taking them.
fn filters(level: &str) -> anyhow::Result<(Option<Targets>, Option<EnvFilter>)> {
    let env_filter = EnvFilter::try_new(level)
        .map_err(|e| anyhow::anyhow!("LOG_LEVEL {level:?} is not a level or filter: {e}"))?;
    if level.contains('[') {
        return Ok((None, Some(env_filter)));
    }
    Ok(match level.parse::<Targets>() {
        Ok(targets) => (Some(targets), None),
        Err(_) => (None, Some(env_filter)),
    })
}

/// The buffered writer the subscriber formats its lines into.
#[derive(Clone)]
pub struct LogBuffer {
    shared: Arc<Shared>,
}

struct Shared {
    /// Lines not yet written.
    pending: Mutex<Vec<u8>>,
    /// Held while a buffer is written out, so that buffers reach stderr in the order they
    /// were filled. It keeps the buffer last written, emptied, to be swapped in next time
    /// (so the pending buffer does not grow from nothing after every flush).
    output: Mutex<Vec<u8>>,
    /// Set (and signalled) to stop the flusher.
    stopped: Mutex<bool>,
    wake: Condvar,
}

impl LogBuffer {
    fn start() -> anyhow::Result<Self> {
        let shared = Arc::new(Shared {
            pending: Mutex::new(Vec::with_capacity(64 * 1024)),
            output: Mutex::new(Vec::with_capacity(64 * 1024)),
            stopped: Mutex::new(false),
            wake: Condvar::new(),
        });
        let flusher = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("unlatch-log".into())
            .spawn(move || flusher.run())
            .map_err(|e| anyhow::anyhow!("cannot start the log's thread: {e}"))?;
        Ok(LogBuffer { shared })
    }
}

impl Shared {
    fn run(&self) {
        let mut stopped = lock(&self.stopped);
        while !*stopped {
            stopped = self
                .wake
                .wait_timeout(stopped, FLUSH_EVERY)
                .map_or_else(|p| p.into_inner().0, |(guard, _)| guard);
            self.flush();
        }
    }

    fn stop(&self) {
        *lock(&self.stopped) = true;
        self.wake.notify_all();
        self.flush();
    }

    /// Writes out everything buffered so far.
    fn flush(&self) {
        let mut lines = lock(&self.output);
        std::mem::swap(&mut *lines, &mut *lock(&self.pending));
        if lines.is_empty() {
            return;
        }
        let mut stderr = std::io::stderr().lock();
        // Nowhere to report a failure to write the log; the lines are lost, the service goes on.
        let _ = stderr.write_all(&lines).and_then(|()| stderr.flush());
        lines.clear();
    }

    /// [`Shared::flush`] for the panic hook: a thread that panicked while writing the log holds
    /// a lock it will never release, so a lock that is taken is left alone (no deadlock).
    fn flush_if_free(&self) {
        fn free<T>(mutex: &Mutex<T>) -> Option<std::sync::MutexGuard<'_, T>> {
            match mutex.try_lock() {
                Ok(guard) => Some(guard),
                Err(std::sync::TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
                Err(std::sync::TryLockError::WouldBlock) => None,
            }
        }
        let (Some(mut lines), Some(mut pending)) = (free(&self.output), free(&self.pending)) else {
            return;
        };
        std::mem::swap(&mut *lines, &mut *pending);
        drop(pending);
        let mut stderr = std::io::stderr().lock();
        let _ = stderr.write_all(&lines).and_then(|()| stderr.flush());
        lines.clear();
    }

    fn append(&self, line: &[u8]) {
        let full = {
            let mut pending = lock(&self.pending);
            pending.extend_from_slice(line);
            pending.len() >= FLUSH_AT
        };
        if full {
            self.flush();
        }
    }
}

/// A poisoned lock only means a thread panicked while holding it; the buffer is still bytes.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl Write for &LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.shared.append(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for LogBuffer {
    type Writer = &'a LogBuffer;

    fn make_writer(&'a self) -> Self::Writer {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing::{Event, Subscriber};

    #[test]
    fn the_panic_hook_s_flush_leaves_a_held_buffer_alone_and_empties_a_free_one() {
        let shared = Shared {
            pending: Mutex::new(Vec::new()),
            output: Mutex::new(Vec::new()),
            stopped: Mutex::new(false),
            wake: Condvar::new(),
        };
        shared.append(b"(a line written by the panic hook's test)\n");
        {
            // As when the panicking thread was writing the log: returns, does not wait.
            let _held = lock(&shared.pending);
            shared.flush_if_free();
        }
        assert!(
            !lock(&shared.pending).is_empty(),
            "nothing was taken while held"
        );
        shared.flush_if_free();
        assert!(lock(&shared.pending).is_empty());
    }

    /// Which of a set of events (targets × levels) a filter lets through.
    fn let_through(
        filter: impl tracing_subscriber::Layer<tracing_subscriber::Registry> + Send + Sync,
    ) -> Vec<String> {
        let seen = Arc::new(Mutex::new(Vec::new()));
        struct Record(Arc<Mutex<Vec<String>>>);
        impl<S: Subscriber> tracing_subscriber::Layer<S> for Record {
            fn on_event(&self, event: &Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
                let meta = event.metadata();
                lock(&self.0).push(format!("{} {}", meta.target(), meta.level()));
            }
        }
        let subscriber = tracing_subscriber::registry()
            .with(filter)
            .with(Record(Arc::clone(&seen)));
        tracing::subscriber::with_default(subscriber, || {
            macro_rules! at_every_level {
                ($target:literal) => {
                    tracing::error!(target: $target, "e");
                    tracing::warn!(target: $target, "w");
                    tracing::info!(target: $target, "i");
                    tracing::debug!(target: $target, "d");
                    tracing::trace!(target: $target, "t");
                };
            }
            at_every_level!("unlatch");
            at_every_level!("unlatch::http::front");
            at_every_level!("unlatch_api");
            at_every_level!("hyper::proto");
        });
        let seen = lock(&seen).clone();
        seen
    }

    #[test]
    fn a_level_or_target_directive_filters_as_env_filter_does() {
        for directive in [
            "info",
            "WARN",
            "debug",
            "trace",
            "off",
            "unlatch=debug",
            "unlatch::http::front=warn,info",
            "unlatch=trace,hyper=off,warn",
            "unlatch::http::front",
            "error,unlatch=info",
        ] {
            let (targets, env_filter) = filters(directive).expect("a valid directive");
            assert!(env_filter.is_none(), "{directive}: Targets expected");
            let targets = targets.expect("Targets");
            let env_filter = EnvFilter::try_new(directive).expect("parses");
            let (ours, theirs) = (let_through(targets), let_through(env_filter));
            assert_eq!(ours, theirs, "{directive}");
        }
        // The events differ by directive (the filters are what decides here).
        let at = |directive: &str| let_through(EnvFilter::try_new(directive).expect("parses"));
        assert_eq!(at("info").len(), 12);
        assert_eq!(at("unlatch=trace,hyper=off,warn").len(), 15);
        // Span and field directives stay with EnvFilter; a bad directive is refused.
        let (targets, env_filter) =
            filters("[request{operation=login}]=debug,info").expect("a valid directive");
        assert!(targets.is_none() && env_filter.is_some());
        assert!(filters("unlatch=loud").is_err());
    }

    #[test]
    fn lines_are_kept_in_order_until_flushed() {
        let log = LogBuffer::start().expect("starts");
        let mut writer = log.make_writer();
        writer.write_all(b"one\n").expect("write");
        writer.write_all(b"two\n").expect("write");
        assert_eq!(&*lock(&log.shared.pending), b"one\ntwo\n");
        log.shared.stop();
        assert!(lock(&log.shared.pending).is_empty());
    }
}
