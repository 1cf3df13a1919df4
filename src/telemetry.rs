//! Logging through `tracing`: human-readable text by default, JSON lines with `LOG_FORMAT=json`.
//!
//! Lines go to stderr through [`LogBuffer`]: a request appends its lines to a shared buffer, and a
//! background thread writes the buffer out every [`FLUSH_EVERY`]. Written by hand because neither
//! writing each line to stderr (one `write` call per access-log line: a fifth of the server's CPU
//! at full load) nor `tracing-appender`'s writer thread (woken for every line when it is idle:
//! another seventh) is cheap enough for a line per request. Nothing is dropped: a buffer that
//! grows past [`FLUSH_AT`] is written out at once by the request that filled it, and the
//! [`LogGuard`] writes what is left when it is dropped.

use std::cell::{Cell, RefCell};
use std::fmt::Write as _;
use std::io::Write;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::field::{RecordFields, VisitOutput};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::format::{DefaultVisitor, Writer};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, SubscriberExt as _};
use tracing_subscriber::registry::{LookupSpan, SpanRef};
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
        // Colours: tracing-subscriber's own format, which has them.
        _ if terminal => fmt.boxed(),
        _ => TextLayer::new(log.clone()).boxed(),
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

/// The text format off a terminal: the line tracing-subscriber's fmt layer writes with its
/// default format when colours are off (`2026-12-02T04:30:37.796342Z  INFO request{request_id=…
/// operation="getHealth"}: unlatch::front: request method=GET …`), written by a layer of our own.
/// Written by hand because that layer, even without colours, passes every piece of a line through
/// its colour styling and a dynamic writer, formats the whole date for every line and collects a
/// line's spans into a list: at one access-log line per request, those were a measurable share of
/// a cheap request's CPU (BENCHMARKS.md, issue 13). Only plain `name=value` fields are written
/// here; what `DefaultFields` treats specially (the message when it has control characters to
/// escape, errors with their sources, `r#` names) goes through its own visitor, so those stay
/// exactly its own. On a terminal (colours) and for JSON, tracing-subscriber's layers write.
pub struct TextLayer<W> {
    make_writer: W,
}

impl<W> TextLayer<W> {
    pub fn new(make_writer: W) -> Self {
        TextLayer { make_writer }
    }
}

/// A span's fields as its lines show them (`request_id=… operation="getHealth"`).
struct SpanFields(String);

thread_local! {
    /// The line being written. Taken while in use, so a field whose `Debug` logs a line of its
    /// own finds it empty and grows one.
    static LINE: Cell<String> = const { Cell::new(String::new()) };
    /// Where a new span's fields are written first, so that the span's own `String` is allocated
    /// once at its size (written into directly, it grew at nearly every piece). Taken likewise.
    static FIELDS: Cell<String> = const { Cell::new(String::new()) };
    /// The second the last line on this thread was written in, and its text up to the
    /// fraction (`2026-12-02T04:30:37.`): the date is formatted once a second, not per line.
    static SECOND: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
}

impl<S, W> tracing_subscriber::Layer<S> for TextLayer<W>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + 'static,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut scratch = FIELDS.take();
        scratch.clear();
        // A field that cannot be written ends the fields there, as in tracing-subscriber.
        let _ = write_fields(&mut scratch, true, attrs);
        span.extensions_mut()
            .replace(SpanFields(scratch.as_str().to_owned()));
        FIELDS.set(scratch);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut extensions = span.extensions_mut();
        if let Some(SpanFields(fields)) = extensions.get_mut::<SpanFields>() {
            let _ = write_fields(fields, fields.is_empty(), values);
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut line = LINE.take();
        line.clear();
        if write_line(&mut line, event, &ctx).is_ok() {
            // Nowhere to report a line that cannot be written.
            let _ = self
                .make_writer
                .make_writer_for(event.metadata())
                .write_all(line.as_bytes());
        }
        LINE.set(line);
    }
}

/// One event's line, newline included.
fn write_line<S>(line: &mut String, event: &Event<'_>, ctx: &Context<'_, S>) -> std::fmt::Result
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    let meta = event.metadata();
    write_time(line)?;
    let level = *meta.level();
    line.push_str(if level == Level::ERROR {
        "ERROR "
    } else if level == Level::WARN {
        " WARN "
    } else if level == Level::INFO {
        " INFO "
    } else if level == Level::DEBUG {
        "DEBUG "
    } else {
        "TRACE "
    });
    if let Some(leaf) = ctx.event_span(event) {
        // Most lines are inside one span (the request's): no list of spans to collect then.
        if leaf.parent().is_none() {
            write_span(line, &leaf);
        } else {
            for span in leaf.scope().from_root() {
                write_span(line, &span);
            }
        }
        line.push(' ');
    }
    line.push_str(meta.target());
    line.push_str(": ");
    write_fields(line, true, event)?;
    line.push('\n');
    Ok(())
}

/// `name{fields}:`, or `name:` for a span without fields.
fn write_span<S>(line: &mut String, span: &SpanRef<'_, S>)
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    line.push_str(span.metadata().name());
    if let Some(SpanFields(fields)) = span.extensions().get::<SpanFields>() {
        if !fields.is_empty() {
            line.push('{');
            line.push_str(fields);
            line.push('}');
        }
    }
    line.push(':');
}

/// `2026-12-02T04:30:37.796342Z ` (UTC, microseconds, a space), as the default format writes it.
fn write_time(line: &mut String) -> std::fmt::Result {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let (secs, micros) = (now.as_secs(), now.subsec_micros());
    SECOND.with(|second| {
        let mut second = second.borrow_mut();
        if second.0 != secs {
            second.1.clear();
            let date = i64::try_from(secs)
                .ok()
                .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
                .unwrap_or_default();
            write!(second.1, "{}", date.format("%Y-%m-%dT%H:%M:%S."))?;
            second.0 = secs;
        }
        line.push_str(&second.1);
        line.push_str(six_digits(micros, &mut [0; 8]));
        Ok(())
    })
}

/// `{micros:06}Z ` (zero-padded to six digits, then `Z` and a space), without `format_args!`.
fn six_digits(micros: u32, buffer: &mut [u8; 8]) -> &str {
    *buffer = *b"000000Z ";
    let mut digits = itoa::Buffer::new();
    let text = digits.format(micros % 1_000_000).as_bytes();
    buffer[6 - text.len()..6].copy_from_slice(text);
    // Only ASCII digits, `Z` and a space were written.
    std::str::from_utf8(buffer).unwrap_or("000000Z ")
}

/// Writes `fields` after what `out` holds, a space before each but the first (`is_empty`: none
/// written yet).
fn write_fields(out: &mut String, is_empty: bool, fields: impl RecordFields) -> std::fmt::Result {
    let mut visitor = PlainVisitor {
        out,
        is_empty,
        result: Ok(()),
    };
    fields.record(&mut visitor);
    visitor.result
}

/// Writes fields straight into a `String` (a `Writer` in between would pass every piece through
/// one more dynamic call).
struct PlainVisitor<'a> {
    out: &'a mut String,
    /// Nothing written yet (the first field has no space before it).
    is_empty: bool,
    result: std::fmt::Result,
}

/// A field `DefaultFields` writes as `name=value` (not the message, not an `r#` name, not the
/// `log` crate's metadata, which it leaves out).
fn is_plain(name: &str) -> bool {
    name != "message" && !name.starts_with("r#") && !name.starts_with("log.")
}

impl PlainVisitor<'_> {
    /// Lets `DefaultFields`' visitor write one field.
    fn by_default(&mut self, record: impl FnOnce(&mut DefaultVisitor<'_>)) {
        // `Writer::new` escapes control characters in messages, as the writer it stands in for.
        let mut default = DefaultVisitor::new(Writer::new(self.out), self.is_empty);
        record(&mut default);
        self.result = default.finish();
        self.is_empty = false;
    }

    /// A whole number, as its `Debug` writes it.
    fn integer<I: itoa::Integer + std::fmt::Debug>(&mut self, field: &Field, value: I) {
        if is_plain(field.name()) {
            self.put(&[field.name(), "=", itoa::Buffer::new().format(value)]);
        } else {
            self.record_debug(field, &value);
        }
    }

    /// Writes the space before every field but the first, then `parts`.
    fn put(&mut self, parts: &[&str]) {
        if self.result.is_err() {
            return;
        }
        if !std::mem::take(&mut self.is_empty) {
            self.out.push(' ');
        }
        for part in parts {
            self.out.push_str(part);
        }
    }
}

/// Text that `DefaultFields`' escaping of control characters (in messages) leaves as it is.
fn is_printable_ascii(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
}

/// Printable ASCII without the characters `str`'s `Debug` escapes (`"`, `\`, `'`).
fn needs_no_escaping(text: &str) -> bool {
    text.bytes()
        .all(|b| (b.is_ascii_graphic() || b == b' ') && !matches!(b, b'"' | b'\\' | b'\''))
}

thread_local! {
    /// A message's text, written here first to see whether it needs `DefaultFields`' escaping.
    static MESSAGE: Cell<String> = const { Cell::new(String::new()) };
}

impl Visit for PlainVisitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        let name = field.name();
        if name == "message" {
            if is_printable_ascii(value) {
                self.put(&[value]);
            } else {
                self.by_default(|d| d.record_str(field, value));
            }
        } else if is_plain(name) && needs_no_escaping(value) {
            // What `str`'s `Debug` writes for text it need not escape (an operation id, say),
            // without its check of every character.
            self.put(&[name, "=\"", value, "\""]);
        } else {
            self.record_debug(field, &value);
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.integer(field, value);
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.integer(field, value);
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        if is_plain(field.name()) {
            self.put(&[field.name(), if value { "=true" } else { "=false" }]);
        } else {
            self.record_debug(field, &value);
        }
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.by_default(|d| d.record_error(field, value));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if self.result.is_err() {
            return;
        }
        let name = field.name();
        // The `log` crate's metadata, which `DefaultFields` leaves out as well.
        if name.starts_with("log.") {
            return;
        }
        if name == "message" {
            // A message that needs no escaping (the access line's `request`) is written as it
            // is; any other through `DefaultFields`' visitor, which escapes it.
            let mut text = MESSAGE.take();
            text.clear();
            if write!(text, "{value:?}").is_ok() && is_printable_ascii(&text) {
                self.put(&[&text]);
            } else {
                self.by_default(|d| d.record_debug(field, value));
            }
            MESSAGE.set(text);
            return;
        }
        if !is_plain(name) {
            return self.by_default(|d| d.record_debug(field, value));
        }
        self.put(&[name, "="]);
        self.result = write!(self.out, "{value:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// A writer the tests can read back.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            lock(&self.0).extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Captured {
        type Writer = Captured;
        fn make_writer(&'a self) -> Self::Writer {
            self.clone()
        }
    }

    /// What writes the lines: our layer, or tracing-subscriber's fmt layer with its default
    /// format (the one ours stands in for).
    #[derive(Clone, Copy)]
    enum By {
        Ours,
        Default,
    }

    /// Logs, inside two spans, one access-log-like line and one with only a message; then one
    /// inside one span and one outside any; and returns what was written.
    fn lines_written(by: By) -> String {
        written(by, || {
            let request =
                tracing::info_span!("request", request_id = %"5c1e", operation = "getHealth");
            let _request = request.enter();
            {
                let inner = tracing::debug_span!("login", user = tracing::field::Empty);
                let _inner = inner.enter();
                tracing::info!(
                    method = %"GET",
                    path = %"/health",
                    status = 200u16,
                    duration_ms = format_args!("{}.{:03}", 1, 25),
                    "request"
                );
                tracing::warn!("no \"relay\" configured");
            }
            tracing::info!(status = 404u16, "in the request span only");
            drop(_request);
            tracing::info!(outside = true, "in no span");
        })
    }

    /// What `log` writes through a subscriber with the given layer, at `DEBUG`.
    fn written(by: By, log: impl FnOnce()) -> String {
        let out = Captured::default();
        let lines = match by {
            By::Ours => TextLayer::new(out.clone()).boxed(),
            By::Default => tracing_subscriber::fmt::layer()
                .with_writer(out.clone())
                .with_ansi(false)
                .boxed(),
        };
        let subscriber = tracing_subscriber::registry()
            .with(lines)
            .with(tracing_subscriber::filter::LevelFilter::DEBUG);
        tracing::subscriber::with_default(subscriber, log);
        tracing::error!("outside any subscriber: not captured");
        let text = String::from_utf8(lock(&out.0).clone()).expect("UTF-8");
        text
    }

    /// Our lines, once both texts have `count` lines, the same after the timestamp (its 27
    /// characters differ by the time taken).
    fn same_after_timestamp<'a>(ours: &'a str, default: &str, count: usize) -> Vec<&'a str> {
        let (ours, default): (Vec<&str>, Vec<&str>) =
            (ours.lines().collect(), default.lines().collect());
        assert_eq!(ours.len(), count, "{ours:?}");
        assert_eq!(default.len(), count, "{default:?}");
        for (ours, default) in ours.iter().zip(&default) {
            assert_eq!(ours.get(27..), default.get(27..));
        }
        ours
    }

    #[test]
    fn the_text_line_is_the_default_formats_line() {
        let ours = lines_written(By::Ours);
        let default = lines_written(By::Default);
        let ours = same_after_timestamp(&ours, &default, 4);
        assert_eq!(
            ours[0].get(27..),
            Some("  INFO request{request_id=5c1e operation=\"getHealth\"}:login: unlatch::telemetry::tests: request method=GET path=/health status=200 duration_ms=1.025")
        );
        // The timestamp: `2026-12-02T04:30:37.796342Z`, as the default writes it.
        for line in ours {
            let time = &line[..27];
            let parsed = chrono::DateTime::parse_from_rfc3339(time).expect("an RFC 3339 time");
            assert_eq!(parsed.offset().local_minus_utc(), 0);
            assert_eq!(time.as_bytes()[10], b'T');
            assert_eq!(&time[19..20], ".");
            assert!(time.ends_with('Z'));
            assert_eq!(&line[27..28], " ");
        }
    }

    #[test]
    fn the_fraction_is_six_digits_as_the_standard_format_writes_it() {
        for micros in [0u32, 7, 42, 999, 1_000, 123_456, 999_999] {
            assert_eq!(
                six_digits(micros, &mut [0; 8]),
                format!("{micros:06}Z "),
                "{micros}"
            );
        }
    }

    /// An error with a cause, for the fields test.
    #[derive(Debug)]
    struct Failed(std::io::Error);

    impl std::fmt::Display for Failed {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("could not write")
        }
    }

    impl std::error::Error for Failed {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn plain_fields_write_what_default_fields_write() {
        let log = || {
            let span =
                tracing::info_span!("outer", r#type = "invite", user = tracing::field::Empty);
            let _outer = span.enter();
            span.record("user", 7u64);
            let failed = Failed(std::io::Error::other("disk full"));
            tracing::info!(
                count = -3i64,
                big = u64::MAX,
                ok = true,
                ratio = 0.5f64,
                name = "with \"quotes\" and \u{1b}[31m",
                plain = "getHealth",
                apostrophe = "it's",
                spaced = "a b",
                shown = %"display \u{1b}",
                "log.target" = "a_crate",
                error = &failed as &(dyn std::error::Error + 'static),
                "a message with \u{1b}[2J and {}",
                "an argument"
            );
            tracing::debug!(r#type = 2, "no fields before the message");
            tracing::warn!(only = "fields");
            tracing::info!("tabs\tand\nnew lines, \u{9b} and caf\u{e9}");
        };
        let ours = written(By::Ours, log);
        let default = written(By::Default, log);
        let ours = same_after_timestamp(&ours, &default, 5);
        assert!(
            ours[0].contains("outer{type=\"invite\" user=7}:"),
            "{}",
            ours[0]
        );
        assert!(
            ours[0].contains("count=-3 big=18446744073709551615 ok=true ratio=0.5 "),
            "{}",
            ours[0]
        );
        assert!(!ours[0].contains("a_crate"), "{}", ours[0]);
        assert!(
            ours[0].contains("\\x1b[2J"),
            "the message is escaped: {}",
            ours[0]
        );
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
            at_every_level!("unlatch::front");
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
            "unlatch::front=warn,info",
            "unlatch=trace,hyper=off,warn",
            "unlatch::front",
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
