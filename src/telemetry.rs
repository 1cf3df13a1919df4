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

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

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
    let filter = EnvFilter::try_new(level)
        .map_err(|e| anyhow::anyhow!("LOG_LEVEL {level:?} is not a level or filter: {e}"))?;
    if !matches!(format, "json" | "text") {
        anyhow::bail!("LOG_FORMAT must be text or json, not {format:?}");
    }
    let log = LogBuffer::start()?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(log.clone())
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let installed = match format {
        "json" => builder.json().try_init(),
        _ => builder.try_init(),
    };
    if installed.is_err() {
        log.shared.stop();
        return Ok(LogGuard { log: None });
    }
    Ok(LogGuard { log: Some(log) })
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

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.shared.append(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for LogBuffer {
    type Writer = LogBuffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
