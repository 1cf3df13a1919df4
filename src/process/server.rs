//! Start-up and the listening loop: wires the store, the hash pool, the handlers and the front
//! together, binds, and serves every connection with hyper until shutdown.

use std::future::Future;
use std::io::IsTerminal as _;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body, Frame, SizeHint};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::net::{TcpListener, TcpStream};

use crate::base::clock::Clock;
use crate::base::metrics::Metrics;
use crate::domain::accounts::{Accounts, AccountsConfig};
use crate::domain::blocklist::Blocklist;
use crate::domain::hashing::Hasher;
use crate::domain::password_policy::PasswordPolicy;
use crate::domain::throttle::FailureBudget;
use crate::http::api::Handlers;
use crate::http::auth::Authenticator;
use crate::http::front::{Front, Port};
use crate::http::pages::Pages;
use crate::http::ratelimit::{parse_proxies, Limits, RateLimits};
use crate::http::spec::Spec;
use crate::mail::outbox::{OutboxWorker, RetryPolicy};
use crate::mail::relay::{Provider, Relay, RelayConfig};
use crate::mail::templates::Templates;
use crate::mail::Mailer;
use crate::process::config::Config;
use crate::process::connections::{Admission, Registry};
use crate::process::retention::{Retention, RetentionPolicy};
use crate::store::Store;

/// Everything a running Unlatch is made of.
pub struct App {
    pub accounts: Arc<Accounts>,
    pub front: Arc<Front>,
    pub store: Arc<dyn Store>,
    /// The purge of old rows (run in the background by [`Server::run`], or by `unlatch purge`).
    pub retention: Arc<Retention>,
    outbox: OutboxWorker,
}

impl App {
    /// Opens (and migrates) the database and builds every component.
    pub async fn build(config: &Config, clock: Clock) -> anyhow::Result<Self> {
        let spec = Spec::load()?;
        let location = config.database()?;
        let store = crate::store::open(&location, config.database_pool_size)
            .await
            .map_err(|e| config.database_error(e))?;
        // Just migrated: the database is at the version this binary writes.
        let expected_schema = store
            .schema_version()
            .await
            .map_err(|e| config.database_error(e))?
            .binary;
        let heartbeat = crate::mail::outbox::Heartbeat::default();
        let threads = match config.hash_threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        let hasher = Arc::new(Hasher::new(config.bcrypt_cost, threads, config.hash_queue)?);
        let provider = config.mail_provider();
        let relay = Arc::new(Relay::new(RelayConfig {
            provider,
            url: config.mail_relay_url.clone(),
            token: config.mail_relay_token.clone(),
            sender: config.email_sender.clone(),
            connect_timeout: Duration::from_millis(config.mail_connect_timeout_ms),
            timeout: Duration::from_millis(config.mail_timeout_ms),
            smtp: config.smtp(),
            mailgun_domain: config.mailgun_domain.clone(),
            mailgun_region: config.mailgun_region,
        })?);
        let templates = Templates::load(config.mail_templates_dir.as_deref())?;
        let mailer = Arc::new(Mailer::new(
            templates,
            config.public_url().clone(),
            provider != Provider::Log,
        ));
        let metrics = Arc::new(Metrics::new()?);
        let outbox = OutboxWorker {
            store: Arc::clone(&store),
            relay,
            clock: clock.clone(),
            wake: mailer.wake_handle(),
            policy: RetryPolicy {
                base: Duration::from_millis(config.mail_retry_base_ms),
                max: Duration::from_millis(config.mail_retry_max_ms),
                max_attempts: config.mail_max_attempts.max(1),
            },
            lease: Duration::from_millis(config.mail_lease_ms),
            concurrency: usize::from(config.mail_concurrency),
            // A call ends within its timeouts; recording it takes a moment more.
            drain: Duration::from_millis(config.mail_timeout_ms + config.mail_connect_timeout_ms)
                + Duration::from_secs(2),
            metrics: Arc::clone(&metrics),
            heartbeat: heartbeat.clone(),
        };
        let policy = Arc::new(load_policy(config).await?);
        let accounts = Arc::new(Accounts::new(
            Arc::clone(&store),
            hasher,
            mailer,
            clock.clone(),
            AccountsConfig {
                public_url: config.public_url().clone(),
                session_ttl_ms: i64::from(config.session_ttl_hours) * 3600 * 1000,
                max_sessions: usize::try_from(config.max_parallel_sessions).unwrap_or(usize::MAX),
                not_me_ttl_ms: i64::from(config.not_me_link_ttl_hours) * 3600 * 1000,
                reveal_accounts: config.reset_email_reveals_accounts,
                failure_budget: FailureBudget {
                    max_failures: config.account_failure_limit,
                    window_ms: i64::try_from(config.account_failure_window_seconds)
                        .unwrap_or(i64::MAX / 1000)
                        .saturating_mul(1000),
                },
                policy: Arc::clone(&policy),
                device_key: crate::domain::devices::DeviceKey::load(store.as_ref())
                    .await
                    .map_err(|e| anyhow::anyhow!("loading the device-proof key: {e}"))?,
                show_user_device_count: config.show_user_device_count,
            },
        ));
        accounts.learn_stored_hash_cost().await.map_err(|e| {
            anyhow::anyhow!(
                "reading the stored hashes: {}",
                crate::base::causes::with_causes(&e)
            )
        })?;
        let auth = Authenticator::new(
            &config.init_admin_api_tokens,
            Arc::clone(&accounts),
            config.session_cookies(),
        );
        let limits = RateLimits::new(
            Limits {
                login: config.simple_login_limit_per_minute,
                reset_email: config.password_reset_limit_per_minute,
                create_user: config.create_user_rate_limit_per_minute,
                ipv6_prefix: config.rate_limit_ipv6_prefix,
            },
            parse_proxies(&config.trusted_proxies)?,
        );
        let pages = Some(if config.pages {
            Pages::new(config.public_url())?
        } else {
            Pages::not_me_only(config.public_url())?
        });
        let mut front = Front::new(
            spec,
            pages,
            auth,
            limits,
            Handlers::new(
                Arc::clone(&accounts),
                Arc::clone(&metrics),
                policy,
                config.session_cookies(),
                config.public_url().clone(),
                crate::http::api::Readiness {
                    expected_schema,
                    outbox: heartbeat,
                },
            ),
            Duration::from_millis(config.http_body_timeout_ms),
            metrics,
        )
        .with_public_url(config.public_url());
        if config.metrics_public {
            tracing::warn!(
                "METRICS_PUBLIC=true: anyone who reaches HTTP_PORT can read the metrics, which \
                 move with mail sent to existing accounts"
            );
            front = front.with_public_setting("METRICS_PUBLIC");
        }
        let front = Arc::new(front);
        let retention = Arc::new(Retention::new(
            Arc::clone(&store),
            clock.clone(),
            RetentionPolicy::from_config(config),
        ));
        Ok(App {
            accounts,
            front,
            store,
            retention,
            outbox,
        })
    }

    /// Creates the initial admin on an empty database, printing a generated password once.
    pub async fn ensure_initial_admin(&self, config: &Config) -> anyhow::Result<()> {
        ensure_initial_admin(&self.accounts, config).await
    }
}

/// The password policy, with the blocklist as configured. The operator's file is read on a
/// blocking thread; a file that cannot be read stops the start-up (it was asked for).
async fn load_policy(config: &Config) -> anyhow::Result<PasswordPolicy> {
    if !config.password_blocklist {
        if config.password_blocklist_file.is_some() {
            tracing::warn!("PASSWORD_BLOCKLIST=false: PASSWORD_BLOCKLIST_FILE is ignored");
        }
        return Ok(PasswordPolicy::new(None));
    }
    let Some(path) = config.password_blocklist_file.clone() else {
        return Ok(PasswordPolicy::new(Some(Blocklist::builtin())));
    };
    let (list, report) = tokio::task::spawn_blocking(move || Blocklist::with_file(&path))
        .await
        .map_err(|e| anyhow::anyhow!("reading the password blocklist: {e}"))??;
    tracing::info!(
        entries = report.entries,
        skipped_lines = report.skipped,
        "password blocklist file loaded"
    );
    Ok(PasswordPolicy::new(Some(list)))
}

/// Creates the initial admin on an empty database, printing a generated password once.
pub async fn ensure_initial_admin(accounts: &Accounts, config: &Config) -> anyhow::Result<()> {
    if !config.create_admin_user {
        return Ok(());
    }
    let generated = accounts
        .ensure_initial_admin(
            &config.default_admin_username,
            config.default_admin_password.as_ref(),
        )
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "creating the initial admin: {}",
                crate::base::causes::with_causes(&e)
            )
        })?;
    let Some(password) = generated else {
        return Ok(());
    };
    let username = config.default_admin_username.as_str();
    // A person at a terminal reads it there, once. Anything else (a container runtime, journald,
    // a log shipper) keeps what is written to stderr: the password goes to a file only this user
    // can read, and the log names the file, never the password.
    if std::io::stderr().is_terminal() {
        eprintln!(
            "\nCreated the initial admin user {username:?} with the generated password:\n\n    {password}\n\nIt is shown only this once. Log in and change it.\n",
            password = password.expose()
        );
        return Ok(());
    }
    let path = config.initial_admin_password_file();
    write_private(&path, password.expose()).map_err(|e| {
        anyhow::anyhow!(
            "writing the initial admin's generated password to {} (INITIAL_ADMIN_PASSWORD_FILE): {e}",
            path.display()
        )
    })?;
    tracing::warn!(
        file = %path.display(),
        "created the initial admin user {username:?}; its generated password is in the file \
         (readable only by this user): log in, change the password and delete the file"
    );
    Ok(())
}

/// Writes `text` to a new file at `path` that only this user can read and write (an older file
/// there is replaced, not reused with its permissions).
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt as _;
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(path)?;
    writeln!(file, "{text}")?;
    file.sync_all()
}

pub struct Server {
    listener: TcpListener,
    /// The management listener (metrics and health without credentials), unless turned off.
    management: Option<TcpListener>,
    app: App,
    connections: ConnectionSettings,
}

/// How the connections of both listeners are served.
#[derive(Debug, Clone, Copy)]
struct ConnectionSettings {
    /// From accept to the end of the request's headers (and between two requests of a kept-alive
    /// HTTP/1 connection).
    header_timeout: Duration,
    /// A connection with no request in flight for this long is shut down gracefully.
    idle_timeout: Duration,
    /// HTTP/2 keep-alive pings (`None`: none), and how long a ping's answer may take.
    h2_ping_interval: Option<Duration>,
    h2_ping_timeout: Duration,
    /// The most connections the main listener keeps open.
    max_connections: usize,
}

/// The most connections the management listener keeps open (a scraper or two, a probe).
const MANAGEMENT_MAX_CONNECTIONS: usize = 32;

/// Open files the process needs besides the connections: the listeners, the database, the mail
/// relay calls, log and runtime; the pool and the relay's concurrency are added to it.
const RESERVED_FILES: usize = 64 + MANAGEMENT_MAX_CONNECTIONS;

impl Server {
    pub async fn bind(config: &Config, app: App) -> anyhow::Result<Self> {
        let addr = format!("{}:{}", config.http_host, config.http_port);
        let listener = TcpListener::bind(&addr)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
        if config.signs_with_the_public_default_secret() {
            tracing::warn!(
                "UNLEASH_SECRET is Unleash's public default: anyone who holds a copy of Unleash's \
                 database can forge a session cookie for any session in it. Set UNLEASH_SECRET to \
                 a long random value, the same for Unleash and Unlatch"
            );
        }
        let management = if config.management_http_enabled {
            let addr = format!(
                "{}:{}",
                config.management_http_host, config.management_http_port
            );
            let listener = TcpListener::bind(&addr).await.map_err(|e| {
                anyhow::anyhow!(
                    "cannot listen on {addr} (the management listener, MANAGEMENT_HTTP_HOST and \
                     MANAGEMENT_HTTP_PORT; MANAGEMENT_HTTP_ENABLED=false turns it off): {e}"
                )
            })?;
            Some(listener)
        } else {
            None
        };
        if config.mail_provider() == Provider::Log {
            tracing::warn!(
                "no mail relay configured (EMAIL_HOST and MAIL_RELAY_URL are unset): mails go to the log with their \
                 tokens redacted; hand out links with POST /api/admin/user-admin/reset-password \
                 or `unlatch user reset-link`"
            );
        }
        let open_files = crate::process::connections::open_file_limit();
        let reserve = RESERVED_FILES
            // PostgreSQL's two pools (units of work; the one-statement lookups) hold up to
            // `DATABASE_POOL_SIZE` connections each.
            + 2 * config.database_pool_size as usize
            + usize::from(config.mail_concurrency);
        let max_connections = crate::process::connections::connection_cap(
            config.http_max_connections,
            open_files,
            reserve,
        );
        tracing::info!(
            max_connections,
            open_file_limit = open_files,
            "connection cap (HTTP_MAX_CONNECTIONS)"
        );
        Ok(Server {
            listener,
            management,
            app,
            connections: ConnectionSettings {
                header_timeout: Duration::from_millis(config.http_header_timeout_ms),
                idle_timeout: Duration::from_millis(config.http_idle_timeout_ms),
                h2_ping_interval: match config.http2_keep_alive_interval_ms {
                    0 => None,
                    ms => Some(Duration::from_millis(ms)),
                },
                h2_ping_timeout: Duration::from_millis(config.http2_keep_alive_timeout_ms),
                max_connections,
            },
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The management listener's address (`None` when it is turned off).
    pub fn management_addr(&self) -> Option<SocketAddr> {
        self.management.as_ref().and_then(|l| l.local_addr().ok())
    }

    pub fn app(&self) -> &App {
        &self.app
    }

    /// Serves (and delivers the outbox) until `shutdown` completes, then stops accepting, lets
    /// in-flight requests finish (for up to 30 s) and, meanwhile, lets the outbox finish the
    /// relay calls under way (claiming no more: the rest stays pending for the next start).
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let Server {
            listener,
            management,
            app,
            connections,
        } = self;
        let (stop_outbox, outbox_stopped) = tokio::sync::watch::channel(false);
        let store = Arc::clone(&app.store);
        let outbox = tokio::spawn(app.outbox.run(outbox_stopped.clone()));
        let purge = tokio::spawn(Arc::clone(&app.retention).run(outbox_stopped));
        let front = app.front;
        let sweeper = {
            let front = Arc::clone(&front);
            tokio::spawn(async move {
                let mut every = tokio::time::interval(Duration::from_secs(60));
                loop {
                    every.tick().await;
                    front.rate_limits().forget_idle();
                }
            })
        };
        // Every connection task holds a sender: when all are gone, `all_closed` answers `None`.
        // (hyper-util's `GracefulShutdown` owns the connections it watches, and a connection
        // must also be shut down on its own when idle, so this is done here.)
        let (stop, stopping) = tokio::sync::watch::channel(false);
        let (open, mut all_closed) = tokio::sync::mpsc::channel::<()>(1);
        let mut listeners = vec![tokio::spawn(accept(
            listener,
            Port::Main,
            Registry::new("main", connections.max_connections),
            connections,
            Arc::clone(&front),
            stopping.clone(),
            open.clone(),
        ))];
        if let Some(management) = management {
            listeners.push(tokio::spawn(accept(
                management,
                Port::Management,
                Registry::new("management", MANAGEMENT_MAX_CONNECTIONS),
                connections,
                Arc::clone(&front),
                stopping,
                open.clone(),
            )));
        }
        drop(open);
        shutdown.await;
        tracing::info!("shutting down: finishing in-flight requests");
        let _ = stop.send(true);
        let _ = stop_outbox.send(true);
        for listener in listeners {
            if let Err(e) = listener.await {
                tracing::error!(error = %e, "a listener failed");
            }
        }
        tokio::select! {
            None = all_closed.recv() => tracing::info!("all connections closed"),
            () = tokio::time::sleep(Duration::from_secs(30)) => {
                tracing::warn!("in-flight requests did not finish within 30 s")
            }
        }
        sweeper.abort();
        if let Err(e) = outbox.await {
            tracing::error!(error = %e, "the outbox worker failed");
        }
        if let Err(e) = purge.await {
            tracing::error!(error = %e, "the purge failed");
        }
        // Housekeeping the store put off (SQLite: erasing delivered mail from its log).
        if let Err(e) = store.flush().await {
            tracing::warn!(error = %e, "could not finish the store's housekeeping");
        }
    }
}

/// An answer's body, carrying its connection's busy mark: the connection counts as busy until
/// the body has been written (or dropped). Everything is forwarded, the size included, so an
/// answer keeps its Content-Length. (http-body-util's `map_frame` loses the size, and its
/// `map_err` with a capturing closure trips the compiler's `Send` check of the spawned task.)
struct BusyBody<B> {
    body: B,
    _busy: crate::process::connections::Busy,
}

impl<B: Body + Unpin> Body for BusyBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// Resolves once `stopping` turns true.
async fn stopped(mut stopping: tokio::sync::watch::Receiver<bool>) {
    let _ = stopping.wait_for(|stop| *stop).await;
}

/// Accepts connections on one listener until `stopping`, each served by [`serve`] once the
/// registry has made room for it.
async fn accept(
    listener: TcpListener,
    port: Port,
    registry: Arc<Registry>,
    settings: ConnectionSettings,
    front: Arc<Front>,
    stopping: tokio::sync::watch::Receiver<bool>,
    open: tokio::sync::mpsc::Sender<()>,
) {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    // A client that does not finish its headers in time is disconnected (slowloris). hyper
    // starts this clock once it has told HTTP/1 from HTTP/2 (the first bytes), and again while a
    // kept-alive connection waits for its next request; `serve` covers the time before.
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(settings.header_timeout);
    // A peer that stops answering pings is disconnected.
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(settings.h2_ping_interval)
        .keep_alive_timeout(settings.h2_ping_timeout);
    let stop = stopped(stopping.clone());
    tokio::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let connection = match registry.admit() {
            Admission::Admitted(connection) => connection,
            // Every connection is busy: this one is closed at once.
            Admission::Refused => continue,
        };
        tokio::spawn(serve(
            stream,
            peer,
            port,
            connection,
            builder.clone(),
            settings,
            Arc::clone(&front),
            stopping.clone(),
            open.clone(),
        ));
    }
}

/// Serves one connection until it ends, is evicted (closed at once, it is idle), stays idle for
/// the idle timeout or the server stops (both: shut down gracefully, requests in flight finish).
#[allow(clippy::too_many_arguments)]
async fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    port: Port,
    connection: Arc<crate::process::connections::Connection>,
    builder: auto::Builder<TokioExecutor>,
    settings: ConnectionSettings,
    front: Arc<Front>,
    stopping: tokio::sync::watch::Receiver<bool>,
    _open: tokio::sync::mpsc::Sender<()>,
) {
    let stop = stopped(stopping);
    tokio::pin!(stop);
    // The header timeout runs from accept: a connection that sends nothing is closed. (Once the
    // first byte is in, hyper's own header timeout starts afresh, so a request's headers take at
    // most twice HTTP_HEADER_TIMEOUT_MS from accept.)
    let mut first = [0u8; 1];
    let spoke = tokio::select! {
        read = tokio::time::timeout(settings.header_timeout, stream.peek(&mut first)) => {
            matches!(read, Ok(Ok(n)) if n > 0)
        }
        () = connection.evicted() => false,
        () = &mut stop => false,
    };
    if !spoke {
        return;
    }
    let service = {
        let connection = Arc::clone(&connection);
        service_fn(move |request| {
            let busy = connection.busy();
            let front = Arc::clone(&front);
            async move {
                let response = front.handle(request, peer, port).await?;
                Ok::<_, std::convert::Infallible>(
                    response.map(move |body| BusyBody { body, _busy: busy }),
                )
            }
        })
    };
    let served = builder
        .serve_connection(TokioIo::new(stream), service)
        .into_owned();
    tokio::pin!(served);
    let mut shutting_down = false;
    let mut next_idle_check = settings.idle_timeout;
    loop {
        tokio::select! {
            ended = served.as_mut() => {
                if let Err(e) = ended {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                return;
            }
            // Dropping the connection closes it.
            () = connection.evicted() => return,
            () = &mut stop, if !shutting_down => {
                shutting_down = true;
                served.as_mut().graceful_shutdown();
            }
            () = tokio::time::sleep(next_idle_check), if !shutting_down => {
                match connection.idle_for() {
                    Some(idle) if idle >= settings.idle_timeout => {
                        shutting_down = true;
                        served.as_mut().graceful_shutdown();
                    }
                    Some(idle) => next_idle_check = settings.idle_timeout - idle,
                    None => next_idle_check = settings.idle_timeout,
                }
            }
        }
    }
}

/// Resolves on SIGTERM or SIGINT.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
