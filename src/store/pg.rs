//! PostgreSQL's plumbing, the same for each layout of rows (Unlatch's own schema, `postgres.rs`;
//! beside Unleash, `unleash.rs`): connections, the pool, the database's reachability, the
//! transaction a unit of work runs in, and the runner of versioned migrations.
//!
//! Crates: `tokio-postgres` with an `r2d2` pool for the units of work, `postgres` (its synchronous
//! face, by the same maintainers) for migrations. The store's units of work are synchronous
//! closures (see `store/mod.rs`), so each runs on tokio's blocking pool with a pooled connection,
//! exactly as the SQLite backend runs them on its connection threads. Each pooled connection is
//! driven by a small runtime of its own on the thread that runs the closure ([`Conn`]), as the
//! synchronous client drives its own, so the socket I/O stays on that thread; a connection driven
//! by the async workers would add a hop to them for each statement (BENCHMARKS.md, issue 29). A
//! unit of work waits for a free connection as an async task before it takes a blocking thread.
//! `r2d2` is the long-standing pool for connections used from blocking threads; the few lines of
//! its connection manager are written here so that each connection keeps its own cache of
//! prepared statements, which halves the round trips of every query. A [`Mode::Read`] unit runs in
//! autocommit; in a transaction, `BEGIN`, savepoints and the writes whose answer the unit does not
//! read go out together with the next statement that answers ([`Session`]); every statement is
//! planned once per connection ([`GENERIC_PLANS`]). While the database is known to be unreachable,
//! units of work are refused at once ([`Reach`]). Migrations run under an advisory lock, so
//! instances that start together apply them once.
//!
//! The hottest reads, each one statement (a token behind `GET /auth/reset/validate`, the session
//! behind every logged-in request, the user a forgotten-password e-mail is for: [`Store::token`],
//! [`Store::session`], [`Store::user_by_email`]), skip the hop to a
//! blocking thread: they run on the async worker that asked, over `tokio-postgres` (the async
//! driver the synchronous one wraps) with a `deadpool-postgres` pool of their own, each statement
//! prepared once per connection, in autocommit. Both pools connect alike (the same URL reading,
//! TLS and options), [`Reach`] covers both, and each layout gives the statement and row reading
//! its unit of work uses for the same lookup ([`Layout::token`], [`Layout::session`],
//! [`Layout::user_by_email`]).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::task::Context;
use std::time::Duration;

use ::postgres::error::SqlState;
use ::postgres::types::ToSql;
use ::postgres::{Client, Row, Statement, Transaction};
use async_trait::async_trait;
use deadpool_postgres::tokio_postgres;
use futures::future::MaybeDone;
use postgres_native_tls::MakeTlsConnector;

use super::sql::Columns;
use super::*;

/// How long a request waits for a connection before it is answered 503.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(3);

/// PostgreSQL's answers, sorted into the store's errors. Errors without a server answer are
/// the connection's (refused, closed, timed out): the database is unavailable.
pub fn pg(e: ::postgres::Error) -> StoreError {
    match e.code() {
        Some(code) if *code == SqlState::UNIQUE_VIOLATION => StoreError::Conflict,
        Some(code)
            if *code == SqlState::ADMIN_SHUTDOWN
                || *code == SqlState::CRASH_SHUTDOWN
                || *code == SqlState::CANNOT_CONNECT_NOW
                || *code == SqlState::TOO_MANY_CONNECTIONS
                || *code == SqlState::QUERY_CANCELED =>
        {
            StoreError::unavailable(e)
        }
        Some(_) => StoreError::backend(e),
        None => StoreError::unavailable(e),
    }
}

/// A pooled connection of the units of work: `tokio-postgres`'s client, its connection driven by
/// a small runtime of its own on whichever thread runs the unit (as the synchronous `postgres`
/// crate drives it, so that the socket I/O stays on that thread), and its prepared statements.
/// Written here rather than taken from `postgres`, whose client waits for each statement's answer
/// before it sends the next: a unit of work sends the statements whose answer it does not read
/// together with the next one that it does ([`Session`]).
pub struct Conn {
    client: tokio_postgres::Client,
    runtime: tokio::runtime::Runtime,
    statements: HashMap<&'static str, Statement>,
    /// [`Reach::outages`] when it was made: one made before the last outage is not used again.
    made_after: u64,
}

impl Conn {
    /// Runs `op` to its end on this connection's runtime, on the calling thread.
    fn wait<T>(&self, op: impl Future<Output = T>) -> T {
        self.runtime.block_on(op)
    }

    fn simple_query(&self, sql: &str) -> Result<(), ::postgres::Error> {
        self.wait(self.client.simple_query(sql)).map(drop)
    }
}

#[derive(Clone)]
struct Manager {
    config: tokio_postgres::Config,
    tls: MakeTlsConnector,
    reach: Arc<Reach>,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Conn;
    type Error = StoreError;

    fn connect(&self) -> Result<Conn, StoreError> {
        let made_after = self.reach.outages.load(Ordering::Acquire);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(StoreError::backend)?;
        let (client, connection) = runtime
            .block_on(self.config.connect(self.tls.clone()))
            .map_err(pg)?;
        // Runs whenever the unit of work waits on the runtime; ends when the client is dropped.
        runtime.spawn(async move {
            if let Err(error) = connection.await {
                let error = crate::base::causes::with_causes(&error);
                tracing::debug!(%error, "postgres: a connection ended");
            }
        });
        Ok(Conn {
            client,
            runtime,
            statements: HashMap::new(),
            made_after,
        })
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), StoreError> {
        conn.simple_query("").map_err(pg)
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        conn.client.is_closed() || self.reach.is_stale(conn)
    }
}

pub struct PostgresStore {
    /// Always `Some` until the store is dropped (see `Drop`).
    pool: Option<r2d2::Pool<Manager>>,
    /// The async pool, for the hottest lookups that are one statement each (a token, a session):
    /// they run on the async worker that asked, without the hop to a blocking thread a unit of
    /// work takes. As many connections at most as the blocking pool, in addition to its own.
    fast: deadpool_postgres::Pool,
    layout: Arc<dyn Layout>,
    reach: Arc<Reach>,
    /// The pool's connection maker, for the connection that migrates at start-up.
    manager: Manager,
    /// One permit per pooled connection. A unit of work waits for its turn here, as an async
    /// task, and takes a blocking thread only once a connection is free for it: under load the
    /// requests beyond the pool's size wait without a thread each, parked on the pool's lock.
    turns: Arc<tokio::sync::Semaphore>,
}

/// Whether the database is known to be unreachable. A unit of work that could not reach it
/// (no connection to be had, or one that broke under it) marks it down; while it is down, units
/// of work are refused at once, without each waiting for a connection of its own, and one probe
/// at a time tries to connect every [`PROBE_EVERY`] until one succeeds, which marks it up again.
#[derive(Debug, Default)]
struct Reach {
    down: AtomicBool,
    probing: AtomicBool,
    /// How many times the database was marked down. The pool's idle connections of before an
    /// outage are most likely dead (a restarted server closed them): each is discarded at its
    /// next checkout rather than failing a request when the database is back.
    outages: AtomicU64,
    /// The store was dropped: the probe ends.
    closed: AtomicBool,
    /// When the database was last marked down: the async pool's connections made before then are
    /// discarded at their next checkout, as [`Reach::outages`] does for the blocking pool's.
    last_outage: std::sync::Mutex<Option<std::time::Instant>>,
}

/// How often a database known to be down is tried again.
const PROBE_EVERY: Duration = Duration::from_millis(200);

/// How long the probe waits for a connection (it is the only one waiting).
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

impl Reach {
    fn is_stale(&self, conn: &Conn) -> bool {
        conn.made_after != self.outages.load(Ordering::Acquire)
    }

    /// A pooled connection made since the last outage.
    fn checkout(
        &self,
        pool: &r2d2::Pool<Manager>,
        wait: Duration,
    ) -> StoreResult<r2d2::PooledConnection<Manager>> {
        loop {
            let conn = pool.get_timeout(wait).map_err(StoreError::unavailable)?;
            if !self.is_stale(&conn) {
                return Ok(conn);
            }
            // Returned to the pool, it is found broken and closed.
        }
    }

    /// Was a connection made at `created` before the last outage?
    fn predates_outage(&self, created: std::time::Instant) -> bool {
        let last = *self.last_outage.lock().unwrap_or_else(|e| e.into_inner());
        last.is_some_and(|outage| created <= outage)
    }

    fn check(&self) -> StoreResult<()> {
        if self.down.load(Ordering::Relaxed) {
            return Err(StoreError::unavailable("the database is unreachable"));
        }
        Ok(())
    }

    /// Marks the database down when `result` says it could not be reached, and starts the
    /// probe that will mark it up again.
    fn observe<T>(
        self: &Arc<Self>,
        result: StoreResult<T>,
        pool: &r2d2::Pool<Manager>,
    ) -> StoreResult<T> {
        if let Err(StoreError::Unavailable(_)) = &result {
            if !self.down.swap(true, Ordering::AcqRel) {
                *self.last_outage.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some(std::time::Instant::now());
                self.outages.fetch_add(1, Ordering::AcqRel);
            }
            if !self.probing.swap(true, Ordering::AcqRel) {
                let (reach, pool) = (Arc::clone(self), pool.clone());
                std::thread::spawn(move || reach.probe(&pool));
            }
        }
        result
    }

    /// Runs on a thread of its own until the database answers again.
    fn probe(&self, pool: &r2d2::Pool<Manager>) {
        tracing::warn!(
            "postgres: the database is unreachable; requests are refused until it answers"
        );
        loop {
            std::thread::sleep(PROBE_EVERY);
            if self.closed.load(Ordering::Acquire) {
                return;
            }
            let answered = self
                .checkout(pool, PROBE_TIMEOUT)
                .and_then(|conn| conn.simple_query("").map_err(pg));
            if answered.is_ok() {
                break;
            }
        }
        self.down.store(false, Ordering::Relaxed);
        self.probing.store(false, Ordering::Release);
        tracing::info!("postgres: the database answers again");
    }
}

/// Which tables a PostgreSQL store keeps its rows in, and how a unit of work runs over them:
/// Unlatch's own schema (`postgres.rs`) or beside Unleash, in Unleash's own database
/// (`unleash.rs`). [`super::open`] chooses one; the connections, the pools and the database's
/// reachability are the same for both (this file).
#[async_trait]
pub trait Layout: Send + Sync + 'static {
    /// The connections' options (e.g. their search path), if the layout needs any.
    fn options(&self) -> Option<&'static str> {
        None
    }
    /// Checks the database and applies pending migrations (at start-up, on a connection of its
    /// own, not the pool's).
    fn migrate(&self, client: &mut Client) -> StoreResult<()>;
    /// What [`Layout::migrate`] would do, read without writing.
    fn plan(&self, client: &mut Client) -> StoreResult<MigrationPlan>;
    /// The table that records the applied migrations, and this binary's schema version.
    fn ledger(&self) -> (&'static str, u32);
    /// Runs one unit of work over `ops` and ends its transaction as the work says.
    fn run(&self, ops: Pg<'_>, work: Work) -> StoreResult<()>;
    /// [`Tx::token`] as one statement on the async pool (the same statement and row reading).
    async fn token(
        &self,
        db: &Reader<'_>,
        key: &SecretKey,
    ) -> StoreResult<Option<(TokenRecord, User)>>;
    /// [`Tx::user_by_email`] as one statement on the async pool (the same statement and row
    /// reading).
    async fn user_by_email(&self, db: &Reader<'_>, email: &Email) -> StoreResult<Option<User>>;
    /// [`Tx::session`] as one statement on the async pool (the same statement and row reading).
    async fn session(
        &self,
        db: &Reader<'_>,
        key: &SecretKey,
    ) -> StoreResult<Option<(SessionRecord, User)>>;
}

/// A connection of the async pool, for a lookup that is one statement: prepared once per
/// connection, run in autocommit (no `BEGIN`/`ROLLBACK`), on the async worker that asked.
pub struct Reader<'a> {
    client: &'a deadpool_postgres::Client,
}

impl Reader<'_> {
    pub async fn query_opt(
        &self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> StoreResult<Option<Row>> {
        let statement = self.client.prepare_cached(sql).await.map_err(pg)?;
        self.client.query_opt(&statement, params).await.map_err(pg)
    }
}

impl Drop for PostgresStore {
    fn drop(&mut self) {
        // Closing a synchronous connection blocks on its own small runtime, which must not
        // happen on an async worker thread: the pool is let go on a thread of its own.
        self.reach.closed.store(true, Ordering::Release);
        if let Some(pool) = self.pool.take() {
            std::thread::spawn(move || drop(pool));
        }
    }
}

/// `DATABASE_URL` read as libpq reads it, as far as TLS goes: `sslmode` `disable`, `prefer`
/// (the default) and `require` encrypt without checking the certificate, `verify-ca` checks it
/// against the trusted roots, `verify-full` also checks the host name; `sslrootcert` adds a root
/// (and makes `require` check the chain, as libpq does). Tested against a cluster with TLS on in
/// `tests/postgres_tls.rs`.
fn connection_config(url: &str) -> StoreResult<(tokio_postgres::Config, MakeTlsConnector)> {
    let mut parsed = url::Url::parse(url)
        .map_err(|e| StoreError::backend(format!("DATABASE_URL is not a URL: {e}")))?;
    let mut mode = "prefer".to_string();
    let mut root_cert = None;
    let kept: Vec<(String, String)> = parsed
        .query_pairs()
        .filter_map(|(k, v)| match k.as_ref() {
            "sslmode" => {
                mode = v.into_owned();
                None
            }
            "sslrootcert" => {
                root_cert = Some(v.into_owned());
                None
            }
            _ => Some((k.into_owned(), v.into_owned())),
        })
        .collect();
    let driver_mode = match mode.as_str() {
        "disable" | "prefer" | "require" => mode.as_str(),
        "verify-ca" | "verify-full" => "require",
        other => {
            return Err(StoreError::backend(format!(
                "DATABASE_URL: sslmode={other} is not one of disable, prefer, require, verify-ca, verify-full"
            )))
        }
    };
    parsed
        .query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair("sslmode", driver_mode);
    let mut config: tokio_postgres::Config = parsed
        .as_str()
        .parse()
        .map_err(|e| StoreError::backend(format!("DATABASE_URL: {e}")))?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(5));
    }
    if config.get_application_name().is_none() {
        config.application_name("unlatch");
    }
    // A peer that vanishes without closing the connection is noticed within a minute.
    config.keepalives_idle(Duration::from_secs(30));
    // As libpq: `require` with a root certificate named checks the chain, as `verify-ca` does.
    let checks = match mode.as_str() {
        "require" if root_cert.is_some() => "verify-ca",
        other => other,
    };
    let mut tls = native_tls::TlsConnector::builder();
    match checks {
        "verify-full" => {}
        "verify-ca" => {
            tls.danger_accept_invalid_hostnames(true);
        }
        _ => {
            tls.danger_accept_invalid_certs(true);
        }
    }
    if let Some(path) = root_cert {
        let pem = std::fs::read(&path)
            .map_err(|e| StoreError::backend(format!("sslrootcert {path}: {e}")))?;
        let cert = native_tls::Certificate::from_pem(&pem)
            .map_err(|e| StoreError::backend(format!("sslrootcert {path}: {e}")))?;
        tls.add_root_certificate(cert);
    }
    let tls = tls.build().map_err(StoreError::backend)?;
    Ok((config, MakeTlsConnector::new(tls)))
}

/// Every statement of the store's connections is planned once per connection, for any
/// parameters (`plan_cache_mode`, a connection option, so that it costs no round trip a
/// transaction; before, a `SET LOCAL` in each transaction that needed it cost one). Most are key
/// lookups, whose plan is the same either way. The purge's deletes and the two token updates
/// need it:
/// - planned for their actual bounds, PostgreSQL reads the range's end in the index to estimate
///   it, stepping over every entry of the rows earlier batches deleted (kept until vacuum).
///   Measured on 2,000,000 old tokens: that planning grew to 8 ms (4,000 pages) per batch while
///   the batch itself ran in under 1 ms. The deletes are written so that their one plan is the
///   right one for any bounds: the rows to delete are an array taken from the purge index in
///   order (`= ANY(ARRAY(…))`), then found by primary key; as `IN (…)`, the plan made without the
///   limit's value joined them by reading the whole table.
/// - the token updates bound `expires_at` by the time now (see `postgres.rs`).
const GENERIC_PLANS: &str = "-c plan_cache_mode=force_generic_plan";

/// The options of every connection to the database at `layout`: [`GENERIC_PLANS`], then the
/// layout's own.
fn connection_options(layout: &dyn Layout) -> String {
    match layout.options() {
        Some(own) => format!("{GENERIC_PLANS} {own}"),
        None => GENERIC_PLANS.to_owned(),
    }
}

impl PostgresStore {
    /// Connects, checks and migrates the database as `layout` says (once, whatever the number
    /// of instances starting), and keeps a pool of up to `pool_size` connections.
    pub async fn open(url: &str, pool_size: u32, layout: Arc<dyn Layout>) -> StoreResult<Self> {
        let (mut config, tls) = connection_config(url)?;
        config.options(connection_options(layout.as_ref()));
        let reach = Arc::<Reach>::default();
        let fast = fast_pool(config.clone(), tls.clone(), pool_size, &reach)?;
        let manager = Manager {
            config,
            tls,
            reach: Arc::clone(&reach),
        };
        let pool = r2d2::Pool::builder()
            .max_size(pool_size.max(1))
            .min_idle(Some(0))
            .connection_timeout(CHECKOUT_TIMEOUT)
            // A broken connection is noticed by `has_broken`; a query per checkout would cost
            // a round trip on every unit of work.
            .test_on_check_out(false)
            .error_handler(Box::new(LogPoolErrors))
            .build_unchecked(manager.clone());
        let store = PostgresStore {
            pool: Some(pool),
            fast,
            layout,
            reach,
            manager,
            turns: Arc::new(tokio::sync::Semaphore::new(pool_size.max(1) as usize)),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Waits (at most [`CHECKOUT_TIMEOUT`]) for a connection to be free for a unit of work.
    async fn turn(&self) -> StoreResult<tokio::sync::OwnedSemaphorePermit> {
        match tokio::time::timeout(CHECKOUT_TIMEOUT, Arc::clone(&self.turns).acquire_owned()).await
        {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) => Err(StoreError::unavailable("the store is closing")),
            Err(_) => Err(StoreError::unavailable(
                "no database connection was free within the checkout timeout",
            )),
        }
    }

    /// A connection of the async pool, made since the last outage; refused at once while the
    /// database is known to be unreachable, as a unit of work is.
    async fn reader(&self) -> StoreResult<deadpool_postgres::Client> {
        self.reach.check()?;
        match self.fast.get().await {
            Ok(client) => Ok(client),
            // Whatever kept it from connecting (refused, timed out, the pool's wait), as the
            // blocking pool answers it: unavailable.
            Err(e) => self
                .reach
                .observe(Err(StoreError::unavailable(e)), &self.pool()?),
        }
    }

    /// `found`, after a lookup on `client`: a connection that broke under it marks the database
    /// down, as a unit of work's does. A broken connection is not used again (the pool checks
    /// each connection it hands out for that).
    fn reached<T>(
        &self,
        client: &deadpool_postgres::Client,
        found: StoreResult<T>,
    ) -> StoreResult<T> {
        if found.is_ok() || !client.is_closed() {
            return found;
        }
        self.reach.observe(found, &self.pool()?)
    }

    fn pool(&self) -> StoreResult<r2d2::Pool<Manager>> {
        self.pool
            .clone()
            .ok_or_else(|| StoreError::unavailable("the store is closing"))
    }

    async fn migrate(&self) -> StoreResult<()> {
        let manager = self.manager.clone();
        let layout = Arc::clone(&self.layout);
        tokio::task::spawn_blocking(move || {
            // A connection of its own, not the pool's: refused, its error says why (a TLS
            // certificate, the server's answer), where the pool's would only have timed out.
            let mut client = ::postgres::Config::from(manager.config)
                .connect(manager.tls)
                .map_err(pg)?;
            layout.migrate(&mut client)
        })
        .await
        .map_err(StoreError::backend)?
    }
}

/// The async pool: up to `size` connections, made when needed; one that waits longer than
/// [`CHECKOUT_TIMEOUT`] for a connection is answered unavailable, as on the blocking pool.
fn fast_pool(
    config: tokio_postgres::Config,
    tls: MakeTlsConnector,
    size: u32,
    reach: &Arc<Reach>,
) -> StoreResult<deadpool_postgres::Pool> {
    let manager = deadpool_postgres::Manager::from_config(
        config,
        tls,
        deadpool_postgres::ManagerConfig {
            // A closed connection is noticed without a round trip; a query per checkout would
            // double the lookups' round trips.
            recycling_method: deadpool_postgres::RecyclingMethod::Fast,
        },
    );
    let reach = Arc::clone(reach);
    deadpool_postgres::Pool::builder(manager)
        .max_size(size.max(1) as usize)
        .runtime(deadpool_postgres::Runtime::Tokio1)
        .wait_timeout(Some(CHECKOUT_TIMEOUT))
        .create_timeout(Some(CHECKOUT_TIMEOUT))
        .pre_recycle(deadpool_postgres::Hook::sync_fn(move |_, metrics| {
            if reach.predates_outage(metrics.created) {
                return Err(deadpool_postgres::HookError::Message(
                    "made before the last outage".into(),
                ));
            }
            Ok(())
        }))
        .build()
        .map_err(StoreError::backend)
}

/// Runs `setup`, then the migrations of `migrations` not yet recorded in the table `ledger`
/// (created if needed), all under the advisory lock `lock`, so that instances starting together
/// apply each once. Shared by Unlatch's own schema and its schema beside Unleash (`unleash.rs`).
pub fn apply_migrations(
    tx: &mut Transaction<'_>,
    lock: i64,
    setup: &str,
    ledger: &str,
    migrations: &[&str],
) -> StoreResult<()> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&lock])
        .map_err(pg)?;
    tx.batch_execute(&format!(
        "{setup}
         CREATE TABLE IF NOT EXISTS {ledger} (
             version    INTEGER PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )"
    ))
    .map_err(pg)?;
    let applied: i32 = tx
        .query_one(
            &format!("SELECT coalesce(max(version), 0) FROM {ledger}"),
            &[],
        )
        .map_err(pg)?
        .get(0);
    // A database a newer release migrated is refused before anything is written to it.
    let known = migrations.len() as i32;
    if applied > known {
        return Err(StoreError::NewerSchema {
            found: applied as u32,
            supported: known as u32,
        });
    }
    for (i, migration) in migrations.iter().enumerate() {
        let version = i as i32 + 1;
        if version <= applied {
            continue;
        }
        tx.batch_execute(migration).map_err(pg)?;
        tx.execute(
            &format!("INSERT INTO {ledger} (version) VALUES ($1)"),
            &[&version],
        )
        .map_err(pg)?;
        tracing::info!(version, ledger, "postgres: migration applied");
    }
    Ok(())
}

/// The newest version recorded in the table `ledger` (`0` when there is no such table yet).
pub fn applied_version(
    client: &mut impl ::postgres::GenericClient,
    ledger: &str,
) -> StoreResult<u32> {
    version_in(ledger, |sql, params| client.query_one(sql, params))
}

/// [`applied_version`], each query run by `query_one` (on whichever client).
fn version_in(
    ledger: &str,
    mut query_one: impl FnMut(&str, &[&(dyn ToSql + Sync)]) -> Result<Row, ::postgres::Error>,
) -> StoreResult<u32> {
    let exists: bool = query_one("SELECT to_regclass($1) IS NOT NULL", &[&ledger])
        .map_err(pg)?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let applied: i32 = query_one(
        &format!("SELECT coalesce(max(version), 0) FROM {ledger}"),
        &[],
    )
    .map_err(pg)?
    .get(0);
    u32::try_from(applied)
        .map_err(|_| StoreError::Corrupt(format!("schema version {applied} in {ledger}")))
}

/// What opening the database at `url` with `layout` would migrate, read without writing.
pub async fn plan(url: &str, layout: Arc<dyn Layout>) -> StoreResult<MigrationPlan> {
    let (mut config, tls) = connection_config(url)?;
    config.options(connection_options(layout.as_ref()));
    let config = ::postgres::Config::from(config);
    tokio::task::spawn_blocking(move || {
        let mut client = config.connect(tls).map_err(pg)?;
        layout.plan(&mut client)
    })
    .await
    .map_err(StoreError::backend)?
}

#[derive(Debug)]
struct LogPoolErrors;

impl r2d2::HandleError<StoreError> for LogPoolErrors {
    fn handle_error(&self, error: StoreError) {
        let error = crate::base::causes::with_causes(&error);
        tracing::warn!(%error, "postgres: cannot connect");
    }
}

fn run_on(conn: &mut Conn, mode: Mode, work: Work, layout: &dyn Layout) -> StoreResult<()> {
    let Conn {
        client,
        runtime,
        statements,
        ..
    } = conn;
    let tx = Session::begin(client, runtime, mode);
    layout.run(Pg { tx, statements }, work)
}

#[async_trait]
impl Store for PostgresStore {
    fn kind(&self) -> &'static str {
        "postgres"
    }

    async fn ping(&self) -> StoreResult<()> {
        self.reach.check()?;
        let turn = self.turn().await?;
        let pool = self.pool()?;
        let reach = Arc::clone(&self.reach);
        tokio::task::spawn_blocking(move || {
            let answered = reach
                .checkout(&pool, CHECKOUT_TIMEOUT)
                .and_then(|conn| conn.simple_query("SELECT 1").map_err(pg));
            drop(turn);
            reach.observe(answered, &pool)
        })
        .await
        .map_err(StoreError::backend)?
    }

    async fn token(&self, key: SecretKey) -> StoreResult<Option<(TokenRecord, User)>> {
        let client = self.reader().await?;
        let found = self.layout.token(&Reader { client: &client }, &key).await;
        self.reached(&client, found)
    }

    async fn user_by_email(&self, email: Email) -> StoreResult<Option<User>> {
        let client = self.reader().await?;
        let found = self
            .layout
            .user_by_email(&Reader { client: &client }, &email)
            .await;
        self.reached(&client, found)
    }

    async fn session(&self, key: SecretKey) -> StoreResult<Option<(SessionRecord, User)>> {
        let client = self.reader().await?;
        let found = self.layout.session(&Reader { client: &client }, &key).await;
        self.reached(&client, found)
    }

    async fn schema_version(&self) -> StoreResult<SchemaVersion> {
        let pool = self.pool()?;
        let (ledger, binary) = self.layout.ledger();
        tokio::task::spawn_blocking(move || {
            let conn = pool.get().map_err(StoreError::unavailable)?;
            let database = version_in(ledger, |sql, params| {
                conn.wait(conn.client.query_one(sql, params))
            })?;
            Ok(SchemaVersion { database, binary })
        })
        .await
        .map_err(StoreError::backend)?
    }

    async fn run(&self, mode: Mode, work: Work) -> StoreResult<()> {
        self.reach.check()?;
        let turn = self.turn().await?;
        let pool = self.pool()?;
        let layout = Arc::clone(&self.layout);
        let reach = Arc::clone(&self.reach);
        tokio::task::spawn_blocking(move || {
            let mut conn = match reach.checkout(&pool, CHECKOUT_TIMEOUT) {
                Ok(conn) => conn,
                Err(e) => return reach.observe(Err(e), &pool),
            };
            let done = run_on(&mut conn, mode, work, layout.as_ref());
            // An answer the server gave on a live connection (a statement cancelled by a
            // `statement_timeout`, say) says nothing of the others' chances.
            let reached = done.is_ok() || !conn.client.is_closed();
            drop(conn);
            drop(turn);
            if reached {
                return done;
            }
            reach.observe(done, &pool)
        })
        .await
        .map_err(StoreError::backend)?
    }
}

/// The operations of one unit of work.
pub struct Pg<'c> {
    pub tx: Session<'c>,
    statements: &'c mut HashMap<&'static str, Statement>,
}

/// A parameter of a statement whose answer is read later ([`Pg::exec_later`]): owned, as the
/// statement outlives the call that made it.
pub type Param = Box<dyn ToSql + Sync + Send>;

/// A statement sent whose answer is not read yet.
type Deferred<'c> = MaybeDone<Pin<Box<dyn Future<Output = Result<(), ::postgres::Error>> + 'c>>>;

/// Where a unit of work's statements run: a transaction, or, for a [`Mode::Read`], the
/// connection in autocommit. A read unit is a key lookup or two (a token, a session, a user, a
/// credential then its user) that writes nothing and takes no lock; at READ COMMITTED, the
/// isolation the store runs at, each statement of a transaction takes its own snapshot anyway,
/// so `BEGIN` and `ROLLBACK` around it would change no answer and only cost two round trips.
///
/// Statements whose answer the unit does not read (`BEGIN`, a savepoint, most inserts: the
/// `*_later` methods) are sent at once and their answers read with the next statement that
/// answers, or with the transaction's end: the server receives them together and answers them in
/// one round trip (PostgreSQL's pipelining, which `tokio-postgres` does for requests sent before
/// their answers are awaited). The first of them that fails is the error of the statement that
/// reads it, so a unit of work still stops at its first failure; a statement after a failed one
/// fails too, as the transaction is aborted. `BEGIN` waits for the transaction's first statement:
/// a unit of work that ran no statement sends neither `BEGIN` nor its end.
pub struct Session<'c> {
    client: &'c tokio_postgres::Client,
    runtime: &'c tokio::runtime::Runtime,
    state: State,
    /// Sent, in order; their answers are read before the next statement's.
    sent: Vec<Deferred<'c>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Each statement on its own (a read unit).
    Autocommit,
    /// A transaction whose `BEGIN` is not sent yet.
    Pending,
    /// In a transaction: until it ends, dropping the session rolls it back.
    Open,
    /// The transaction was committed or rolled back (or its end was sent and failed).
    Ended,
}

/// The answers of `sent`, in order: the first failure, if any.
async fn answers(sent: Vec<Deferred<'_>>) -> Result<(), ::postgres::Error> {
    let mut first = Ok(());
    for mut deferred in sent {
        (&mut deferred).await;
        if let Some(Err(e)) = Pin::new(&mut deferred).take_output() {
            if first.is_ok() {
                first = Err(e);
            }
        }
    }
    first
}

impl<'c> Session<'c> {
    fn begin(
        client: &'c tokio_postgres::Client,
        runtime: &'c tokio::runtime::Runtime,
        mode: Mode,
    ) -> Self {
        let state = match mode {
            Mode::Read => State::Autocommit,
            Mode::Scan | Mode::Write => State::Pending,
        };
        Session {
            client,
            runtime,
            state,
            sent: Vec::new(),
        }
    }

    /// Sends `op`'s request now, in order after those sent before; its answer is read later.
    fn send(&mut self, op: impl Future<Output = Result<(), ::postgres::Error>> + 'c) {
        let mut deferred: Deferred<'c> = MaybeDone::Future(Box::pin(op));
        // `tokio-postgres` queues a request when its future is first polled; the connection writes
        // it when the runtime next runs, with whatever was queued after it.
        let mut context = Context::from_waker(futures::task::noop_waker_ref());
        let _ = Pin::new(&mut deferred).poll(&mut context);
        self.sent.push(deferred);
    }

    /// The answers of what was sent, then `op`'s: one round trip for all of them.
    fn wait<T>(
        &mut self,
        op: impl Future<Output = Result<T, ::postgres::Error>>,
    ) -> Result<T, ::postgres::Error> {
        let sent = answers(std::mem::take(&mut self.sent));
        self.runtime.block_on(async move {
            // Polled in this order, so `op` is queued behind what was sent before it.
            let (sent, answer) = futures::join!(sent, op);
            sent?;
            answer
        })
    }

    /// Sends a pending `BEGIN` ahead of the transaction's first statement.
    fn open(&mut self) {
        if self.state == State::Pending {
            let client = self.client;
            self.send(client.batch_execute("BEGIN"));
            self.state = State::Open;
        }
    }

    /// Ends the session: reads the answers of what was sent and, in an open transaction, sends
    /// `end` with them (one round trip). With `sent_counts` (a commit), the first failure among
    /// what was sent is the answer; without (a rollback), only `end`'s answer counts, as the
    /// rollback undoes whatever failed before it.
    fn finish(&mut self, end: &'static str, sent_counts: bool) -> Result<(), ::postgres::Error> {
        let open = self.state == State::Open;
        if self.state != State::Autocommit {
            self.state = State::Ended;
        }
        if !open && self.sent.is_empty() {
            return Ok(());
        }
        let sent = answers(std::mem::take(&mut self.sent));
        let client = self.client;
        self.runtime.block_on(async move {
            let (sent, answer) = futures::join!(sent, async move {
                if open {
                    client.batch_execute(end).await
                } else {
                    Ok(())
                }
            });
            if sent_counts {
                sent?;
            }
            answer
        })
    }

    pub fn commit(mut self) -> Result<(), ::postgres::Error> {
        self.finish("COMMIT", true)
    }

    pub fn rollback(mut self) -> Result<(), ::postgres::Error> {
        self.finish("ROLLBACK", false)
    }

    pub fn prepare(&mut self, sql: &str) -> Result<Statement, ::postgres::Error> {
        let client = self.client;
        self.wait(client.prepare(sql))
    }

    pub fn query(
        &mut self,
        statement: &Statement,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, ::postgres::Error> {
        self.open();
        let client = self.client;
        self.wait(client.query(statement, params))
    }

    pub fn query_opt(
        &mut self,
        statement: &Statement,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>, ::postgres::Error> {
        self.open();
        let client = self.client;
        self.wait(client.query_opt(statement, params))
    }

    pub fn execute(
        &mut self,
        statement: &Statement,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, ::postgres::Error> {
        self.open();
        let client = self.client;
        self.wait(client.execute(statement, params))
    }

    /// Sends `statement`; its answer (the rows it changed) is read later.
    pub fn execute_later(&mut self, statement: Statement, params: Vec<Param>) {
        self.open();
        let client = self.client;
        self.send(async move { client.execute_raw(&statement, params).await.map(drop) });
    }

    /// Sends plain SQL (no parameters); its answer is read later.
    pub fn batch_later(&mut self, sql: &'static str) {
        self.open();
        let client = self.client;
        self.send(client.batch_execute(sql));
    }
}

impl Drop for Session<'_> {
    /// A transaction left open (its unit of work failed) is rolled back before its connection
    /// goes back to the pool. A connection that cannot even do that is closed, and the pool
    /// discards it.
    fn drop(&mut self) {
        let _ = self.finish("ROLLBACK", false);
    }
}

impl Pg<'_> {
    /// Ends the unit of work's transaction as it says: committed or rolled back.
    pub fn end(self, finish: Finish<()>) -> StoreResult<()> {
        match finish {
            Finish::Commit(()) => self.tx.commit().map_err(pg),
            Finish::Rollback(()) => self.tx.rollback().map_err(pg),
        }
    }

    fn statement(&mut self, sql: &'static str) -> StoreResult<Statement> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.tx.prepare(sql).map_err(pg)?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }

    pub fn query(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> StoreResult<Vec<Row>> {
        let statement = self.statement(sql)?;
        self.tx.query(&statement, params).map_err(pg)
    }

    pub fn query_opt(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> StoreResult<Option<Row>> {
        let statement = self.statement(sql)?;
        self.tx.query_opt(&statement, params).map_err(pg)
    }

    /// [`Pg::exec`], its answer read later ([`Session`]): for a statement whose count of rows
    /// the unit of work does not read, and whose failure ends the unit whichever call reports it.
    pub fn exec_later(&mut self, sql: &'static str, params: Vec<Param>) -> StoreResult<()> {
        let statement = self.statement(sql)?;
        self.tx.execute_later(statement, params);
        Ok(())
    }

    pub fn exec(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> StoreResult<u64> {
        let statement = self.statement(sql)?;
        self.tx.execute(&statement, params).map_err(pg)
    }
}

impl Columns for Row {
    type Error = ::postgres::Error;

    fn int(&self, column: usize) -> Result<i64, Self::Error> {
        self.try_get(column)
    }

    fn opt_int(&self, column: usize) -> Result<Option<i64>, Self::Error> {
        self.try_get(column)
    }

    fn text(&self, column: usize) -> Result<String, Self::Error> {
        self.try_get(column)
    }

    fn opt_text(&self, column: usize) -> Result<Option<String>, Self::Error> {
        self.try_get(column)
    }
}
