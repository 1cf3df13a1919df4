//! The SQLite backend (the embedded default): bundled SQLite in WAL mode with foreign keys on.
//!
//! Writes go through one writer connection on its own thread (`tokio-rusqlite`), so they never
//! contend for SQLite's lock and their commits (which sync the log) never hold up an async worker.
//! Reads use a small pool of reader connections, which WAL lets run beside the writer:
//! - a point read ([`Mode::Read`]: a token, a session, a user by key) runs in place on the
//!   calling thread. It is a few index lookups in pages SQLite or the OS already caches, a few
//!   microseconds, and WAL readers never wait for the writer. Handing it to another thread and
//!   back cost more than the read itself (measured: the two wake-ups and context switches were
//!   half of the server's CPU for `/auth/reset/validate`);
//! - a scan ([`Mode::Scan`]: a page of the user list, counts, the audit log) may read many pages
//!   and runs on tokio's blocking pool.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use rusqlite_migration::{Migrations, M};

use super::sql::{self, user_from_row};
use super::*;

/// The versioned schema. Append only: a released migration is never edited.
const MIGRATIONS: &[&str] = &[
    r#"
    CREATE TABLE users (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        email          TEXT,
        username       TEXT,
        name           TEXT,
        password_hash  TEXT,
        root_role      INTEGER NOT NULL CHECK (root_role IN (1, 2, 3)),
        login_attempts INTEGER NOT NULL DEFAULT 0,
        created_at     INTEGER NOT NULL,
        seen_at        INTEGER,
        deleted_at     INTEGER,
        CHECK (email IS NULL OR email = lower(email))
    );
    CREATE UNIQUE INDEX users_email ON users (email) WHERE deleted_at IS NULL;
    CREATE UNIQUE INDEX users_username ON users (username) WHERE deleted_at IS NULL;

    CREATE TABLE password_history (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        password_hash TEXT NOT NULL,
        created_at    INTEGER NOT NULL
    );
    CREATE INDEX password_history_user ON password_history (user_id, id);

    CREATE TABLE tokens (
        token_sha256 BLOB PRIMARY KEY CHECK (length(token_sha256) = 32),
        user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        kind         TEXT NOT NULL CHECK (kind IN ('reset', 'invite')),
        created_by   TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL,
        used_at      INTEGER
    ) WITHOUT ROWID;
    CREATE INDEX tokens_user ON tokens (user_id, kind, created_at);

    CREATE TABLE sessions (
        session_sha256 BLOB PRIMARY KEY CHECK (length(session_sha256) = 32),
        user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at     INTEGER NOT NULL,
        expires_at     INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX sessions_user ON sessions (user_id, created_at);
    "#,
    r#"
    CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        idempotency_key TEXT NOT NULL UNIQUE,
        template        TEXT NOT NULL,
        recipient       TEXT NOT NULL,
        subject         TEXT NOT NULL,
        html            TEXT,
        text            TEXT,
        state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dead')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error      TEXT,
        created_at      INTEGER NOT NULL,
        sent_at         INTEGER
    );
    CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
    "#,
    r#"
    CREATE TABLE events (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        kind       TEXT NOT NULL,
        actor      TEXT NOT NULL,
        subject    TEXT,
        ip         TEXT,
        created_at INTEGER NOT NULL
    );
    "#,
    r#"
    CREATE TABLE attempts (
        key_sha256 BLOB PRIMARY KEY CHECK (length(key_sha256) = 32),
        started_at INTEGER NOT NULL,
        count      INTEGER NOT NULL
    ) WITHOUT ROWID;
    "#,
    // Retention: what the purge looks for is indexed, so each of its batches reads only the
    // rows it deletes; dead mail remembers when an operator saw it; the purge's lease.
    r#"
    CREATE INDEX tokens_expiry ON tokens (expires_at);
    CREATE INDEX sessions_expiry ON sessions (expires_at);
    CREATE INDEX events_created ON events (created_at);
    CREATE INDEX attempts_started ON attempts (started_at);
    ALTER TABLE outbox ADD COLUMN seen_at INTEGER;
    CREATE INDEX outbox_sent ON outbox (state, sent_at);
    CREATE TABLE leases (
        name       TEXT PRIMARY KEY,
        holder     TEXT NOT NULL,
        expires_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    "#,
    r#"
    CREATE INDEX outbox_pending_recipient ON outbox (recipient, id) WHERE state = 'pending';
    "#,
    // Counted events (`Tx::count_event`): one row per kind and period, with its count; the
    // others have none (they happened once).
    r#"
    ALTER TABLE events ADD COLUMN count INTEGER;
    CREATE UNIQUE INDEX events_counted ON events (kind, created_at) WHERE count IS NOT NULL;
    "#,
    // Keys the instances share (`Tx::keep_key`): the key that signs device proofs.
    r#"
    CREATE TABLE keys (
        name  TEXT PRIMARY KEY,
        value BLOB NOT NULL
    ) WITHOUT ROWID;
    "#,
    // A counted event keeps the time of its period's first occurrence, so that the audit log is in
    // time order as in id order; its period is a column of its own.
    r#"
    ALTER TABLE events ADD COLUMN period INTEGER;
    UPDATE events SET period = created_at WHERE count IS NOT NULL;
    DROP INDEX events_counted;
    CREATE UNIQUE INDEX events_period ON events (kind, period) WHERE period IS NOT NULL;
    "#,
    // Events as Unleash records them: the acting user's id, and `data`/`preData` (JSON text).
    r#"
    ALTER TABLE events ADD COLUMN actor_id INTEGER;
    ALTER TABLE events ADD COLUMN data TEXT;
    ALTER TABLE events ADD COLUMN pre_data TEXT;
    "#,
    // "This wasn't me" tokens: single use, apart from the reset and invite tokens (a password
    // change voids those, never these). Sessions remember the client that logged in.
    r#"
    CREATE TABLE not_me_tokens (
        token_sha256 BLOB PRIMARY KEY CHECK (length(token_sha256) = 32),
        user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at   INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL,
        used_at      INTEGER
    ) WITHOUT ROWID;
    CREATE INDEX not_me_tokens_user ON not_me_tokens (user_id);
    ALTER TABLE sessions ADD COLUMN user_agent TEXT;
    ALTER TABLE sessions ADD COLUMN ip TEXT;
    "#,
    // The purge's index of "this wasn't me" tokens, in the (value, key) order its batches take.
    r#"
    CREATE INDEX not_me_tokens_purge ON not_me_tokens (expires_at, token_sha256);
    "#,
];

/// What each of [`MIGRATIONS`] does, for `unlatch migrate --dry-run`: one line each, in order.
const MIGRATION_NAMES: &[&str] = &[
    "users, password history, tokens and sessions",
    "the mail outbox",
    "the audit log (events)",
    "the per-account failure counters (attempts)",
    "retention: the purge's indexes, dead mail seen_at, the purge's lease",
    "the outbox's pending mail by recipient (per-recipient order)",
    "counted events (events.count)",
    "keys the instances share (the device-proof key)",
    "counted events' periods (events.period)",
    "events as Unleash records them (events.actor_id, data, pre_data)",
    "\"this wasn't me\" tokens (not_me_tokens); sessions.user_agent and ip",
    "the purge's index of \"this wasn't me\" tokens",
];

const _: () = assert!(MIGRATIONS.len() == MIGRATION_NAMES.len());

/// The schema version this binary writes: the number of its migrations.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

/// Reader connections: one per async worker thread on a small machine, plus room for scans on the
/// blocking pool. A reader is held only for one read (no `.await` while it is held).
const READERS: usize = 4;

pub struct SqliteStore {
    checkpoints: Arc<Checkpoints>,
    writer: tokio_rusqlite::Connection,
    readers: Arc<Readers>,
    /// Dropped with the store, which ends the background checkpointer.
    _checkpointer: std::sync::mpsc::Sender<()>,
}

/// How often the background checkpointer copies the write-ahead log into the database file.
/// Each checkpoint syncs the log and the database file, and writes to those files wait for the
/// file system's journal meanwhile: every 100 ms, the write's p99 under a paced load was
/// 6.9–9.6 ms on one machine (and up to 162 ms in 10-s windows while a purge ran); every second,
/// 2.4 ms (4.1 ms while purging). Between two checkpoints, the log grows by a second of writes.
const CHECKPOINT_PERIOD: std::time::Duration = std::time::Duration::from_millis(1000);

/// The log size (pages) at which a committing connection checkpoints by itself: a safety net
/// only, far above what the background checkpointer lets the log reach.
const AUTOCHECKPOINT_PAGES: i64 = 20_000;

/// The log size (pages, 4 KiB each) above which the background checkpointer truncates the log.
/// A passive checkpoint copies the log into the database but never blocks, so under a steady
/// stream of writes the log never starts over and its file grows until [`AUTOCHECKPOINT_PAGES`]
/// (80 MiB: measured after 3,000 failed log-ins a few ms apart, 67 MB). Truncating it waits for
/// the writes under way and holds new ones back for the checkpoint's time (a few ms), at most
/// once a [`CHECKPOINT_PERIOD`], and only while writes keep coming faster than that.
const TRUNCATE_ABOVE_PAGES: i64 = 1024;

/// Checkpoints the write-ahead log every [`CHECKPOINT_PERIOD`] on its own connection and thread,
/// until `stop`'s sender is dropped. SQLite's default is to checkpoint inside the commit that
/// takes the log past 1,000 pages, with a sync of the database file: about one write request in
/// a hundred then took 8 ms instead of 1. A passive checkpoint never blocks readers or writers;
/// a log that stays above [`TRUNCATE_ABOVE_PAGES`] is truncated.
fn spawn_checkpointer(path: &Path, stop: std::sync::mpsc::Receiver<()>) -> StoreResult<()> {
    let conn = Connection::open(path).map_err(sql)?;
    configure(&conn).map_err(sql)?;
    std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                stop.recv_timeout(CHECKPOINT_PERIOD)
            {
                // Its answer: busy, pages in the log, pages copied into the database.
                let logged =
                    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(1));
                let result = match logged {
                    Ok(pages) if pages > TRUNCATE_ABOVE_PAGES => {
                        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                    }
                    other => other.map(drop),
                };
                if let Err(e) = result {
                    tracing::warn!(error = %e, "could not checkpoint the write-ahead log");
                }
            }
        })
        .map_err(StoreError::backend)?;
    Ok(())
}

/// SQLite's answers, sorted into the store's errors: a unique constraint is a conflict, a busy or
/// locked database is unavailable for now, anything else a backend error with its cause.
fn sql(e: rusqlite::Error) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(err, _)
            if err.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                || err.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
        {
            StoreError::Conflict
        }
        rusqlite::Error::SqliteFailure(err, _)
            if matches!(
                err.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ) =>
        {
            StoreError::unavailable(e)
        }
        _ => StoreError::backend(e),
    }
}

/// How many times a connection that finds the database locked (by another process: a second
/// instance on the same file, or `unlatch purge`) tries again, a millisecond apart: about 5 s.
const BUSY_RETRIES: i32 = 5_000;

/// Written by hand because rusqlite's `busy_timeout` uses SQLite's own handler, whose sleeps grow
/// to 100 ms: a write queued behind another process's 5 ms transaction would wait up to 100 ms
/// past its end. Polling every millisecond lets it in within about a millisecond.
fn retry_soon(retries_so_far: i32) -> bool {
    if retries_so_far >= BUSY_RETRIES {
        return false;
    }
    std::thread::sleep(std::time::Duration::from_millis(1));
    true
}

/// Each connection's page cache: 512 KiB (a negative `cache_size` is in KiB) instead of SQLite's
/// 2 MiB, for each of the six connections (writer, readers, checkpointer). The hot paths read a
/// few index pages, which the OS caches anyway. Under load the writer's cache grew to its 2 MiB
/// (most in the forgotten-password scenario, whose transactions write mail bodies): with 512 KiB
/// the peak RSS of `make bench` went from 30.6 to 28.8 MiB (the writer alone back at 2 MiB: 30.6
/// again), and the paced write p99 at 1,000,000 users was no worse (one run each: 4.53 ms,
/// against 5.78 ms with 2 MiB).
const CACHE_KIB: i64 = -512;

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_handler(Some(retry_soon))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Erased rows (spent mail bodies, deleted users) are overwritten, not left in free pages.
    conn.pragma_update(None, "secure_delete", true)?;
    conn.pragma_update(None, "cache_size", CACHE_KIB)?;
    Ok(())
}

/// Creates the file if needed, switches it to WAL and applies every pending migration.
pub fn migrate(path: &Path) -> Result<(), StoreError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(StoreError::backend)?;
    }
    let mut conn = Connection::open(path).map_err(sql)?;
    // A database a newer release migrated is refused before anything is written to it.
    MigrationPlan::new(user_version(&conn)?, MIGRATION_NAMES)?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(sql)?;
    configure(&conn).map_err(sql)?;
    migrations()
        .to_latest(&mut conn)
        .map_err(StoreError::backend)
}

/// The schema version rusqlite_migration keeps in the file's header (`0`: a new file).
fn user_version(conn: &Connection) -> StoreResult<u32> {
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(sql)?;
    u32::try_from(version)
        .map_err(|_| StoreError::Corrupt(format!("schema version {version} (user_version)")))
}

/// What [`migrate`] would do to the file at `path`, read without writing (a file that does not
/// exist yet is schema version 0, and is not created).
pub fn plan(path: &Path) -> StoreResult<MigrationPlan> {
    if !path.exists() {
        return MigrationPlan::new(0, MIGRATION_NAMES);
    }
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(sql)?;
    MigrationPlan::new(user_version(&conn)?, MIGRATION_NAMES)
}

impl SqliteStore {
    /// Opens (creating and migrating as needed) the database at `path`.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let owned = path.to_path_buf();
        tokio::task::spawn_blocking(move || migrate(&owned))
            .await
            .map_err(StoreError::backend)??;
        let writer = open_configured(path).await?;
        writer
            .call(|c| c.pragma_update(None, "wal_autocheckpoint", AUTOCHECKPOINT_PAGES))
            .await
            .map_err(StoreError::backend)?;
        let owned = path.to_path_buf();
        let readers = tokio::task::spawn_blocking(move || Readers::open(&owned))
            .await
            .map_err(StoreError::backend)??;
        let (checkpointer, stop) = std::sync::mpsc::channel();
        let owned = path.to_path_buf();
        tokio::task::spawn_blocking(move || spawn_checkpointer(&owned, stop))
            .await
            .map_err(StoreError::backend)??;
        Ok(SqliteStore {
            checkpoints: Arc::new(Checkpoints::default()),
            writer,
            readers: Arc::new(readers),
            _checkpointer: checkpointer,
        })
    }

    /// Runs `read` on a reader connection on tokio's blocking pool (for reads that may be long).
    async fn on_blocking_pool<T, F>(&self, read: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        let readers = Arc::clone(&self.readers);
        tokio::task::spawn_blocking(move || readers.with(read))
            .await
            .map_err(|e| StoreError::unavailable(e.to_string()))?
    }
}

/// The pool of reader connections.
struct Readers {
    connections: Vec<std::sync::Mutex<Connection>>,
    next: AtomicUsize,
}

impl Readers {
    fn open(path: &Path) -> StoreResult<Self> {
        let mut connections = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let conn = Connection::open(path).map_err(sql)?;
            configure(&conn).map_err(sql)?;
            connections.push(std::sync::Mutex::new(conn));
        }
        Ok(Readers {
            connections,
            next: AtomicUsize::new(0),
        })
    }

    /// Runs `read` on the first free reader (starting round-robin), or waits for one when all
    /// are taken (then every one is in the middle of a read of its own).
    fn with<T>(&self, read: impl FnOnce(&mut Connection) -> StoreResult<T>) -> StoreResult<T> {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let n = self.connections.len();
        for i in 0..n {
            if let Ok(mut conn) = self.connections[(start + i) % n].try_lock() {
                return read(&mut conn);
            }
        }
        // A reader whose holder panicked is still a good connection (`read_on` ends the
        // transaction it left open).
        let mut conn = self.connections[start % n]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        read(&mut conn)
    }
}

async fn open_configured(path: &Path) -> Result<tokio_rusqlite::Connection, StoreError> {
    let conn = tokio_rusqlite::Connection::open(path)
        .await
        .map_err(StoreError::backend)?;
    conn.call(|c| configure(c))
        .await
        .map_err(StoreError::backend)?;
    Ok(conn)
}

/// Whether erased mail bodies still wait for the write-ahead log to be truncated, and when it last
/// was. Only the writer's thread uses it; the mutex just makes it shareable with that thread.
#[derive(Default)]
struct Checkpoints(std::sync::Mutex<CheckpointState>);

#[derive(Default)]
struct CheckpointState {
    pending: bool,
    last: Option<std::time::Instant>,
}

/// Truncating the log costs a sync of the database file; during bulk delivery (dozens of mails a
/// second) it runs at most this often, and the next write after a quiet spell (the outbox worker
/// claims every half second) takes what is left.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

impl Checkpoints {
    /// Truncates the log now if erased bodies wait for it.
    fn flush(&self, conn: &Connection) {
        let mut state = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if state.pending {
            self.truncate(conn, &mut state);
        }
    }

    /// Truncates the log now (the store's last act before shutdown leaves it empty), trying
    /// again for up to half a second while another connection's checkpoint or read holds it.
    fn truncate_now(&self, conn: &Connection) {
        let mut state = self.0.lock().unwrap_or_else(|p| p.into_inner());
        for _ in 0..50 {
            // Its answer's first column: 1 when the checkpoint could not finish.
            match conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                r.get::<_, i64>(0)
            }) {
                Ok(0) => break,
                Ok(_) => std::thread::sleep(std::time::Duration::from_millis(10)),
                Err(e) => {
                    tracing::warn!(error = %e, "could not truncate the write-ahead log");
                    break;
                }
            }
        }
        *state = CheckpointState {
            pending: false,
            last: Some(std::time::Instant::now()),
        };
    }

    fn truncate(&self, conn: &Connection, state: &mut CheckpointState) {
        erase_old_frames(conn);
        *state = CheckpointState {
            pending: false,
            last: Some(std::time::Instant::now()),
        };
    }

    fn after_commit(&self, conn: &Connection, erased_bodies: bool) {
        let mut state = self.0.lock().unwrap_or_else(|p| p.into_inner());
        state.pending |= erased_bodies;
        if state.pending && state.last.is_none_or(|at| at.elapsed() >= CHECKPOINT_EVERY) {
            drop(state);
            self.flush(conn);
        }
    }
}

/// Runs a unit of work that only reads in one read transaction. rusqlite's `Transaction` parses
/// `BEGIN` and `ROLLBACK` anew each time, which cost as much as a token lookup itself; here both
/// are cached statements. The transaction ends (rolled back: nothing was written) however the
/// work ends.
fn read_on(conn: &mut Connection, work: Work) -> StoreResult<()> {
    if !conn.is_autocommit() {
        // A read that panicked left its transaction open.
        conn.execute_batch("ROLLBACK").map_err(sql)?;
    }
    conn.prepare_cached("BEGIN DEFERRED")
        .and_then(|mut s| s.execute([]))
        .map_err(sql)?;
    let result = work(&mut Sql {
        conn,
        erased_bodies: false,
    });
    let ended = conn
        .prepare_cached("ROLLBACK")
        .and_then(|mut s| s.execute([]))
        .map_err(sql);
    result?;
    ended.map(drop)
}

/// Runs one unit of work in one transaction on this connection.
fn run_on(
    conn: &mut Connection,
    mode: Mode,
    work: Work,
    checkpoints: &Checkpoints,
) -> StoreResult<()> {
    if mode != Mode::Write {
        return read_on(conn, work);
    }
    let behavior = match mode {
        Mode::Read | Mode::Scan => TransactionBehavior::Deferred,
        // The writer takes the write lock at once, so the transaction never has to upgrade.
        Mode::Write => TransactionBehavior::Immediate,
    };
    let tx = conn.transaction_with_behavior(behavior).map_err(sql)?;
    if mode == Mode::Write {
        // Foreign keys are checked at commit (the store's promise to the domain).
        tx.pragma_update(None, "defer_foreign_keys", true)
            .map_err(sql)?;
    }
    let mut ops = Sql {
        conn: &tx,
        erased_bodies: false,
    };
    let finish = work(&mut ops)?;
    let erased_bodies = ops.erased_bodies;
    match finish {
        Finish::Commit(()) => {
            tx.commit().map_err(sql)?;
            if mode == Mode::Write {
                checkpoints.after_commit(conn, erased_bodies);
            }
            Ok(())
        }
        Finish::Rollback(()) => tx.rollback().map_err(sql),
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> StoreResult<()> {
        self.readers.with(|c| {
            c.prepare_cached("SELECT 1")
                .and_then(|mut s| s.query_row([], |_| Ok(())))
                .map_err(StoreError::unavailable)
        })
    }

    async fn schema_version(&self) -> StoreResult<SchemaVersion> {
        let database = self.readers.with(|c| user_version(c))?;
        Ok(SchemaVersion {
            database,
            binary: SCHEMA_VERSION,
        })
    }

    async fn flush(&self) -> StoreResult<()> {
        let checkpoints = Arc::clone(&self.checkpoints);
        self.writer
            .call(move |c| {
                checkpoints.truncate_now(c);
                Ok::<_, rusqlite::Error>(())
            })
            .await
            .map_err(StoreError::unavailable)
    }

    /// Checkpoints the log on a reader's connection (never the writer's: requests' writes go on
    /// meanwhile), so a purge waits for its deletions to reach the database file. Without it, a
    /// purge of millions of rows wrote the log faster than the background checkpointer could
    /// copy it, and requests' commits ended up checkpointing it themselves (tens of ms).
    async fn settle(&self) -> StoreResult<()> {
        self.on_blocking_pool(|c| {
            c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                .map_err(StoreError::unavailable)
        })
        .await
    }

    async fn run(&self, mode: Mode, work: Work) -> StoreResult<()> {
        let checkpoints = Arc::clone(&self.checkpoints);
        match mode {
            Mode::Read => self
                .readers
                .with(move |c| run_on(c, mode, work, &checkpoints)),
            Mode::Scan => {
                self.on_blocking_pool(move |c| run_on(c, mode, work, &checkpoints))
                    .await
            }
            Mode::Write => self
                .writer
                .call(move |c| run_on(c, mode, work, &checkpoints))
                .await
                .map_err(|e| match e {
                    tokio_rusqlite::Error::Error(inner) => inner,
                    other => StoreError::unavailable(other.to_string()),
                }),
        }
    }
}

/// The write-ahead log still holds the frames written when a mail was queued, bodies and links
/// included; once a mail is done they are checkpointed into the (securely overwritten) database
/// file and the log is truncated. Mail is rare, so the cost is not on any hot path. Best effort:
/// a busy reader can keep the log for a while, and the next checkpoint takes it.
fn erase_old_frames(conn: &Connection) {
    if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())) {
        tracing::warn!(error = %e, "outbox: could not checkpoint the write-ahead log");
    }
}

/// The operations of one SQLite transaction.
struct Sql<'c> {
    conn: &'c Connection,
    /// A mail's bodies were erased: checkpoint the log after commit.
    erased_bodies: bool,
}

impl sql::Columns for Row<'_> {
    type Error = rusqlite::Error;

    fn int(&self, column: usize) -> rusqlite::Result<i64> {
        self.get(column)
    }

    fn opt_int(&self, column: usize) -> rusqlite::Result<Option<i64>> {
        self.get(column)
    }

    fn text(&self, column: usize) -> rusqlite::Result<String> {
        self.get(column)
    }

    fn opt_text(&self, column: usize) -> rusqlite::Result<Option<String>> {
        self.get(column)
    }
}

/// One purge batch of `$table`: up to `$4` rows whose `$value` is before `$1` (and that match
/// `$filter`), the first in (`$value`, `$key`) order after (`$2`, `$3`), deleted; each deleted
/// row's (value, key) is returned.
macro_rules! purge_batch {
    ($table:literal, $key:literal, $value:literal $(, $filter:literal)?) => {
        concat!(
            "DELETE FROM ", $table, " WHERE ", $key, " IN
                 (SELECT ", $key, " FROM ", $table, "
                   WHERE ", $($filter, " AND ",)? $value, " < $1
                     AND (", $value, ", ", $key, ") > ($2, $3)
                   ORDER BY ", $value, ", ", $key, " LIMIT $4)
             RETURNING ", $value, ", ", $key
        )
    };
}

impl Sql<'_> {
    fn one_user(&self, statement: &str, param: &dyn rusqlite::ToSql) -> StoreResult<Option<User>> {
        self.conn
            .prepare_cached(statement)
            .and_then(|mut s| s.query_row([param], |row| user_from_row(row)).optional())
            .map_err(sql)?
            .transpose()
    }

    /// One purge batch: `statement` ([`purge_batch`]) deletes up to `$4` rows older than `$1`,
    /// the first in (value, key) order after (`$2`, `$3`), and returns each deleted row's
    /// (value, key), of which the batch's cursor is made.
    fn purge<K: BatchKey + rusqlite::types::FromSql + rusqlite::ToSql>(
        &self,
        statement: &str,
        before: Millis,
        after: Option<&PurgeCursor>,
        limit: usize,
    ) -> StoreResult<Purged> {
        let (at, key) = K::after(after)?;
        self.conn
            .prepare_cached(statement)
            .and_then(|mut s| {
                s.query_map(params![before, at, key, limit as i64], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect()
            })
            .map(K::purged)
            .map_err(sql)
    }

    fn exec(&self, statement: &str, params: impl rusqlite::Params) -> StoreResult<usize> {
        self.conn
            .prepare_cached(statement)
            .and_then(|mut s| s.execute(params))
            .map_err(sql)
    }

    /// Runs an insert of an event's columns (`?1` to `?8`: kind, actor, subject, ip, created_at,
    /// actor_id, data, pre_data) and its period (`?9`, counted events only).
    fn write_event(
        &self,
        statement: &str,
        event: &NewEvent,
        period: Option<Millis>,
    ) -> StoreResult<()> {
        self.exec(
            statement,
            params![
                event.kind,
                event.actor,
                event.subject,
                event.ip,
                event.created_at,
                event.actor_id,
                event.data.as_ref().map(|d| d.to_string()),
                event.pre_data.as_ref().map(|d| d.to_string()),
                period
            ],
        )
        .map(drop)
    }
}

impl Tx for Sql<'_> {
    fn savepoint(&mut self) -> StoreResult<()> {
        self.conn.execute_batch("SAVEPOINT unit").map_err(sql)
    }

    fn end_savepoint(&mut self, undo: bool) -> StoreResult<()> {
        if undo {
            self.conn
                .execute_batch("ROLLBACK TO SAVEPOINT unit")
                .map_err(sql)?;
        }
        self.conn
            .execute_batch("RELEASE SAVEPOINT unit")
            .map_err(sql)
    }

    fn count_users(&mut self) -> StoreResult<i64> {
        self.conn
            .prepare_cached(sql::COUNT_USERS)
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .map_err(sql)
    }

    fn user(&mut self, id: UserId) -> StoreResult<Option<User>> {
        self.one_user(sql::USER_BY_ID, &id.0)
    }

    fn user_by_email(&mut self, email: &Email) -> StoreResult<Option<User>> {
        self.one_user(sql::USER_BY_EMAIL, &email.as_str())
    }

    fn user_by_username(&mut self, username: &Username) -> StoreResult<Option<User>> {
        self.one_user(sql::USER_BY_USERNAME, &username.as_str())
    }

    fn users(&mut self) -> StoreResult<Vec<User>> {
        let rows: Vec<StoreResult<User>> = self
            .conn
            .prepare_cached(sql::USERS)
            .and_then(|mut s| s.query_map([], |row| user_from_row(row))?.collect())
            .map_err(sql)?;
        rows.into_iter().collect()
    }

    fn users_page(&mut self, after: i64, skip: u64, limit: usize) -> StoreResult<Vec<User>> {
        let rows: Vec<StoreResult<User>> = self
            .conn
            .prepare_cached(sql::USERS_PAGE)
            .and_then(|mut s| {
                s.query_map(
                    params![after, limit as i64, i64::try_from(skip).unwrap_or(i64::MAX)],
                    |row| user_from_row(row),
                )?
                .collect()
            })
            .map_err(sql)?;
        rows.into_iter().collect()
    }

    fn lock_user_by_email(&mut self, email: &Email) -> StoreResult<Option<User>> {
        // The writer's IMMEDIATE transaction already holds the database's one write lock.
        self.user_by_email(email)
    }

    fn lock_user(&mut self, id: UserId) -> StoreResult<bool> {
        // The writer's IMMEDIATE transaction already holds the database's one write lock.
        self.conn
            .prepare_cached("SELECT 1 FROM users WHERE id = ?1 AND deleted_at IS NULL")
            .and_then(|mut s| s.exists([id.0]))
            .map_err(sql)
    }

    fn insert_user(&mut self, user: &NewUser) -> StoreResult<UserId> {
        self.exec(
            "INSERT INTO users (email, username, name, password_hash, root_role, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                user.email.as_ref().map(Email::as_str),
                user.username.as_ref().map(Username::as_str),
                user.name,
                user.password_hash.as_ref().map(|h| h.0.as_str()),
                user.root_role.id(),
                user.created_at
            ],
        )?;
        Ok(UserId(self.conn.last_insert_rowid()))
    }

    fn set_seen_at(&mut self, id: UserId, at: Millis) -> StoreResult<()> {
        self.exec(sql::SET_SEEN_AT, params![at, id.0]).map(drop)
    }

    fn set_password_hash(&mut self, id: UserId, hash: &PasswordHash) -> StoreResult<bool> {
        self.exec(sql::SET_PASSWORD_HASH, params![hash.0, id.0])
            .map(|n| n > 0)
    }

    fn clear_password_hash(&mut self, id: UserId) -> StoreResult<bool> {
        self.exec(sql::CLEAR_PASSWORD_HASH, [id.0]).map(|n| n > 0)
    }

    fn mark_user_deleted(&mut self, id: UserId, at: Millis) -> StoreResult<bool> {
        self.exec(sql::MARK_USER_DELETED, params![at, id.0])
            .map(|n| n > 0)
    }

    fn password_history(&mut self, id: UserId) -> StoreResult<Vec<HistoryEntry>> {
        self.conn
            .prepare_cached(sql::PASSWORD_HISTORY)
            .and_then(|mut s| {
                s.query_map([id.0], |r| {
                    Ok(HistoryEntry {
                        hash: PasswordHash(r.get(0)?),
                    })
                })?
                .collect()
            })
            .map_err(sql)
    }

    fn add_password_history(
        &mut self,
        id: UserId,
        hash: &PasswordHash,
        at: Millis,
    ) -> StoreResult<()> {
        self.exec(sql::ADD_PASSWORD_HISTORY, params![id.0, hash.0, at])
            .map(drop)
    }

    fn delete_password_history(&mut self, id: UserId, hashes: &[PasswordHash]) -> StoreResult<()> {
        for hash in hashes {
            self.exec(
                "DELETE FROM password_history WHERE user_id = ?1 AND password_hash = ?2",
                params![id.0, hash.0],
            )?;
        }
        Ok(())
    }

    fn delete_password_history_of(&mut self, id: UserId) -> StoreResult<()> {
        self.exec(sql::DELETE_PASSWORD_HISTORY_OF, [id.0]).map(drop)
    }

    fn insert_token(&mut self, user: UserId, token: &NewToken) -> StoreResult<()> {
        self.exec(
            sql::INSERT_TOKEN,
            params![
                token.digest.as_slice(),
                user.0,
                token.kind.as_str(),
                token.created_by,
                token.created_at,
                token.expires_at
            ],
        )
        .map(drop)
    }

    fn token(&mut self, key: &SecretKey) -> StoreResult<Option<(TokenRecord, User)>> {
        let row = self
            .conn
            .prepare_cached(sql::TOKEN)
            .and_then(|mut s| {
                s.query_row([key.digest().as_slice()], |row| {
                    Ok((sql::token_from_row(row)?, user_from_row(row)?))
                })
                .optional()
            })
            .map_err(sql)?;
        row.map(|(record, user)| Ok((record?, user?))).transpose()
    }

    fn newest_token_at(&mut self, user: UserId, kind: TokenKind) -> StoreResult<Option<Millis>> {
        self.conn
            .prepare_cached(sql::NEWEST_TOKEN_AT)
            .and_then(|mut s| s.query_row(params![user.0, kind.as_str()], |r| r.get(0)))
            .map_err(sql)
    }

    fn expire_tokens_of(&mut self, user: UserId, at: Millis) -> StoreResult<u64> {
        self.exec(sql::EXPIRE_TOKENS_OF, params![at, user.0])
            .map(|n| n as u64)
    }

    fn use_token(&mut self, key: &SecretKey, user: UserId, at: Millis) -> StoreResult<bool> {
        self.exec(sql::USE_TOKEN, params![at, key.digest().as_slice(), user.0])
            .map(|n| n > 0)
    }

    fn delete_tokens_of(&mut self, user: UserId) -> StoreResult<()> {
        self.exec(sql::DELETE_TOKENS_OF, [user.0]).map(drop)
    }

    fn insert_not_me_token(&mut self, user: UserId, token: &NewNotMeToken) -> StoreResult<()> {
        self.exec(
            sql::INSERT_NOT_ME_TOKEN,
            params![
                token.digest.as_slice(),
                user.0,
                token.created_at,
                token.expires_at
            ],
        )
        .map(drop)
    }

    fn not_me_token(&mut self, key: &SecretKey) -> StoreResult<Option<(NotMeTokenRecord, User)>> {
        let row = self
            .conn
            .prepare_cached(sql::NOT_ME_TOKEN)
            .and_then(|mut s| {
                s.query_row([key.digest().as_slice()], |row| {
                    Ok((sql::not_me_token_from_row(row)?, user_from_row(row)?))
                })
                .optional()
            })
            .map_err(sql)?;
        row.map(|(record, user)| Ok((record, user?))).transpose()
    }

    fn use_not_me_token(&mut self, key: &SecretKey, user: UserId, at: Millis) -> StoreResult<bool> {
        self.exec(
            sql::USE_NOT_ME_TOKEN,
            params![at, key.digest().as_slice(), user.0],
        )
        .map(|n| n > 0)
    }

    fn insert_session(&mut self, session: &NewSession) -> StoreResult<()> {
        self.exec(
            sql::INSERT_SESSION,
            params![
                session.key.digest().as_slice(),
                session.user_id.0,
                session.created_at,
                session.expires_at,
                session.client.user_agent,
                session.client.ip
            ],
        )
        .map(drop)
    }

    fn session(&mut self, key: &SecretKey) -> StoreResult<Option<(SessionRecord, User)>> {
        let row = self
            .conn
            .prepare_cached(sql::SESSION)
            .and_then(|mut s| {
                s.query_row([key.digest().as_slice()], |row| {
                    Ok((
                        sql::session_from_row(row, key.clone(), 9)?,
                        user_from_row(row)?,
                    ))
                })
                .optional()
            })
            .map_err(sql)?;
        row.map(|(record, user)| Ok((record, user?))).transpose()
    }

    fn sessions_of(&mut self, user: UserId) -> StoreResult<Vec<SessionRecord>> {
        self.conn
            .prepare_cached(sql::SESSIONS_OF)
            .and_then(|mut s| {
                s.query_map([user.0], |r| {
                    sql::session_from_row(r, SecretKey::from_digest(r.get(0)?), 1)
                })?
                .collect()
            })
            .map_err(sql)
    }

    fn session_counts(
        &mut self,
        users: &[UserId],
        live_at: Millis,
    ) -> StoreResult<Vec<(UserId, i64)>> {
        let mut counts = Vec::with_capacity(users.len());
        let mut statement = self
            .conn
            .prepare_cached("SELECT count(*) FROM sessions WHERE user_id = ?1 AND expires_at > ?2")
            .map_err(sql)?;
        for user in users {
            let n: i64 = statement
                .query_row(params![user.0, live_at], |r| r.get(0))
                .map_err(sql)?;
            if n > 0 {
                counts.push((*user, n));
            }
        }
        Ok(counts)
    }

    fn delete_sessions(&mut self, keys: &[SecretKey]) -> StoreResult<()> {
        for key in keys {
            self.exec(
                "DELETE FROM sessions WHERE session_sha256 = ?1",
                [key.digest().as_slice()],
            )?;
        }
        Ok(())
    }

    fn delete_sessions_of(&mut self, user: UserId, keep: Option<&SecretKey>) -> StoreResult<()> {
        match keep {
            None => self.exec(sql::DELETE_SESSIONS_OF, [user.0]),
            Some(keep) => self.exec(
                sql::DELETE_SESSIONS_OF_BUT,
                params![user.0, keep.digest().as_slice()],
            ),
        }
        .map(drop)
    }

    fn lock_attempts(&mut self, key: &Digest) -> StoreResult<AttemptWindow> {
        self.conn
            .prepare_cached("SELECT started_at, count FROM attempts WHERE key_sha256 = ?1")
            .and_then(|mut s| {
                s.query_row([key.as_slice()], |r| {
                    Ok(AttemptWindow {
                        started_at: r.get(0)?,
                        count: r.get(1)?,
                    })
                })
                .optional()
            })
            .map(Option::unwrap_or_default)
            .map_err(sql)
    }

    fn set_attempts(&mut self, key: &Digest, window: AttemptWindow) -> StoreResult<()> {
        self.exec(
            sql::SET_ATTEMPTS,
            params![key.as_slice(), window.started_at, window.count],
        )
        .map(drop)
    }

    fn enqueue_mail(&mut self, mail: &OutgoingMail, at: Millis) -> StoreResult<()> {
        self.exec(
            sql::ENQUEUE_MAIL,
            params![
                mail.key,
                mail.template,
                mail.recipient,
                mail.subject,
                mail.html,
                mail.text,
                at
            ],
        )
        .map(drop)
    }

    fn due_mail(&mut self, now: Millis, limit: usize) -> StoreResult<Vec<QueuedMail>> {
        // The writer's transaction holds the one write lock: nobody else can claim meanwhile.
        self.conn
            .prepare_cached(
                "SELECT o.id, o.attempts, o.idempotency_key, o.template, o.recipient, o.subject,
                        o.html, o.text, o.created_at
                 FROM outbox o
                 WHERE o.state = 'pending' AND o.next_attempt_at <= ?1
                   AND NOT EXISTS (SELECT 1 FROM outbox p
                                   WHERE p.state = 'pending' AND p.recipient = o.recipient
                                     AND p.id < o.id)
                 ORDER BY o.next_attempt_at, o.id LIMIT ?2",
            )
            .and_then(|mut s| {
                s.query_map(params![now, limit as i64], |r| sql::queued_mail_from_row(r))?
                    .collect()
            })
            .map_err(sql)
    }

    fn lease_mail(&mut self, id: i64, until: Millis) -> StoreResult<()> {
        self.exec(sql::LEASE_MAIL, params![until, id]).map(drop)
    }

    fn renew_mail_lease(&mut self, id: i64, attempts: i64, until: Millis) -> StoreResult<bool> {
        self.exec(sql::RENEW_MAIL_LEASE, params![until, id, attempts])
            .map(|n| n > 0)
    }

    fn mark_mail_sent(&mut self, id: i64, at: Millis) -> StoreResult<()> {
        self.exec(sql::MARK_MAIL_SENT, params![at, id])?;
        self.erased_bodies = true;
        Ok(())
    }

    fn schedule_mail(&mut self, id: i64, next_attempt_at: Millis, error: &str) -> StoreResult<()> {
        self.exec(sql::SCHEDULE_MAIL, params![next_attempt_at, error, id])
            .map(drop)
    }

    fn mark_mail_dead(&mut self, id: i64, error: &str) -> StoreResult<()> {
        self.exec(sql::MARK_MAIL_DEAD, params![error, id])?;
        self.erased_bodies = true;
        Ok(())
    }

    fn outbox_counts(&mut self) -> StoreResult<(i64, i64)> {
        self.conn
            .prepare_cached(
                "SELECT coalesce(sum(state = 'pending'), 0), coalesce(sum(state = 'dead'), 0) FROM outbox",
            )
            .and_then(|mut s| s.query_row([], |r| Ok((r.get(0)?, r.get(1)?))))
            .map_err(sql)
    }

    fn outbox(&mut self, limit: usize) -> StoreResult<Vec<OutboxEntry>> {
        let rows: Vec<StoreResult<OutboxEntry>> = self
            .conn
            .prepare_cached(sql::OUTBOX)
            .and_then(|mut s| {
                s.query_map([limit as i64], |r| sql::outbox_entry_from_row(r))?
                    .collect()
            })
            .map_err(sql)?;
        rows.into_iter().collect()
    }

    fn insert_event(&mut self, event: &NewEvent) -> StoreResult<()> {
        self.write_event(sql::INSERT_EVENT, event, None)
    }

    fn count_event(&mut self, event: &NewEvent, period: Millis) -> StoreResult<()> {
        self.write_event(
            "INSERT INTO events (kind, actor, subject, ip, created_at, actor_id, data, pre_data,
                                 period, count)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1)
             ON CONFLICT (kind, period) WHERE period IS NOT NULL
             DO UPDATE SET count = count + 1",
            event,
            Some(period),
        )
    }

    fn events(&mut self, limit: usize, offset: u64) -> StoreResult<(Vec<Event>, i64)> {
        let total: i64 = self
            .conn
            .prepare_cached(sql::COUNT_EVENTS)
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .map_err(sql)?;
        let events: Vec<StoreResult<Event>> = self
            .conn
            .prepare_cached(sql::EVENTS)
            .and_then(|mut s| {
                s.query_map(params![limit as i64, offset as i64], |r| {
                    sql::event_from_row(r)
                })?
                .collect()
            })
            .map_err(sql)?;
        let events = events.into_iter().collect::<StoreResult<Vec<_>>>()?;
        Ok((events, total))
    }

    // Each purge batch takes the first rows in the order of its kind's index, after where the
    // previous batch stopped. Here a deleted row's index entry is gone at once, so the bound saves
    // little; the order is what makes the cursor true (every row before it was deleted). A
    // non-unique index also holds the table's key (a WITHOUT ROWID table's primary key, or the
    // rowid that `id` is), so the (value, key) comparison is a range on it. No index on
    // `seen_at`: dead mail is rare, and the few dead rows are sorted each batch.
    sql::purge_methods!(purge_batch);

    fn mark_mail_seen(&mut self, ids: &[i64], at: Millis) -> StoreResult<()> {
        for id in ids {
            self.exec(
                "UPDATE outbox SET seen_at = ?2 WHERE id = ?1 AND seen_at IS NULL",
                params![id, at],
            )?;
        }
        Ok(())
    }

    fn lock_lease(&mut self, name: &str) -> StoreResult<Lease> {
        // The writer's IMMEDIATE transaction already holds the database's one write lock.
        self.conn
            .prepare_cached("SELECT holder, expires_at FROM leases WHERE name = ?1")
            .and_then(|mut s| {
                s.query_row([name], |r| {
                    Ok(Lease {
                        holder: r.get(0)?,
                        expires_at: r.get(1)?,
                    })
                })
                .optional()
            })
            .map(Option::unwrap_or_default)
            .map_err(sql)
    }

    fn set_lease(&mut self, name: &str, lease: &Lease) -> StoreResult<()> {
        self.exec(
            sql::SET_LEASE,
            params![name, lease.holder, lease.expires_at],
        )
        .map(drop)
    }

    fn keep_key(&mut self, name: &str, candidate: &[u8]) -> StoreResult<Vec<u8>> {
        self.exec(sql::KEEP_KEY, params![name, candidate])?;
        self.conn
            .prepare_cached(sql::KEY)
            .and_then(|mut s| s.query_row([name], |r| r.get(0)))
            .map_err(sql)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }

    /// SQLite reads PostgreSQL's `$N` as a named parameter, numbered where it first appears: the
    /// shared statements, written in that order, bind as positionally on SQLite as on PostgreSQL.
    #[test]
    fn shared_statements_number_their_placeholders_as_postgresql_does() -> rusqlite::Result<()> {
        let mut conn = Connection::open_in_memory()?;
        migrations().to_latest(&mut conn).expect("migrated");
        let swapped = conn.prepare("SELECT $2, $1")?;
        assert_eq!(
            swapped.parameter_name(1),
            Some("$2"),
            "first seen, first bound"
        );
        for statement in sql::ALL {
            let prepared = conn.prepare(statement)?;
            for n in 1..=prepared.parameter_count() {
                let name = format!("${n}");
                assert_eq!(
                    prepared.parameter_name(n),
                    Some(name.as_str()),
                    "{statement}"
                );
            }
        }
        Ok(())
    }
}
