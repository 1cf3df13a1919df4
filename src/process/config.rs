//! Configuration: every setting is an environment variable (Unleash's name where Unleash has the
//! concept) and the matching command-line flag. README.md lists them all.

use std::path::PathBuf;

use crate::base::types::{PublicUrl, Secret, Username};
use crate::store::Location;

use clap::Args;

/// Unleash's default `UNLEASH_SECRET`, public in its source.
pub const UNLEASH_DEFAULT_SECRET: &str = "super-secret";

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "HTTP_HOST", default_value = "127.0.0.1", global = true)]
    pub http_host: String,

    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "HTTP_PORT", default_value_t = 4242, global = true)]
    pub http_port: u16,

    /// The public URL of the UI; reset and invite links are built from it (it may carry a sub-path).
    /// Its origin may change state with the session cookie; `https` adds HSTS to every answer.
    #[arg(
        long,
        env = "UNLEASH_URL",
        default_value = "http://localhost:4242",
        global = true
    )]
    pub unleash_url: PublicUrl,

    /// Where the data lives: `sqlite://<path>` (created on first start), or
    /// `postgres://user:password@host:port/db` (also `postgresql://`, with `sslmode`).
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/unlatch.db",
        hide_env_values = true,
        global = true
    )]
    pub database_url: Secret,

    /// Beside Unleash: the URL of Unleash's own PostgreSQL database. Users, roles, sessions,
    /// reset tokens and password history are then Unleash's own rows; Unlatch's other tables go
    /// to the schema `unlatch` of that database. Not together with `DATABASE_URL`.
    #[arg(
        long,
        env = "UNLEASH_DATABASE_URL",
        hide_env_values = true,
        conflicts_with = "database_url",
        global = true
    )]
    pub unleash_database_url: Option<Secret>,

    /// Beside Unleash: the secret that signs the `unleash-session` cookie, Unleash's own setting
    /// (Unleash's default when unset is `super-secret`).
    #[arg(
        long,
        env = "UNLEASH_SECRET",
        default_value = UNLEASH_DEFAULT_SECRET,
        hide_env_values = true,
        hide_default_value = true,
        global = true
    )]
    pub unleash_secret: Secret,

    /// Beside Unleash: refuse an Unleash database at another schema version than the one this
    /// Unlatch supports (Unleash 8.2.0's). `false` starts anyway, at the operator's own risk.
    #[arg(long, env = "UNLEASH_SCHEMA_CHECK", default_value_t = true,
          action = clap::ArgAction::Set, global = true)]
    pub unleash_schema_check: bool,

    /// PostgreSQL connections per instance in each of its two pools: the most units of work
    /// running at once, and the most token and session lookups (up to twice this many in all).
    #[arg(long, env = "DATABASE_POOL_SIZE", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=1000), global = true)]
    pub database_pool_size: u32,

    /// Log level or tracing filter (`error`, `warn`, `info`, `debug`, or e.g. `unlatch=debug`).
    #[arg(long, env = "LOG_LEVEL", default_value = "info", global = true)]
    pub log_level: String,

    /// Log format: `text` or `json`.
    #[arg(long, env = "LOG_FORMAT", default_value = "text", global = true)]
    pub log_format: String,

    /// bcrypt cost for new password hashes (4..=31; Unleash uses 10).
    #[arg(long, env = "BCRYPT_COST", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(4..=31), global = true)]
    pub bcrypt_cost: u32,

    /// Threads that hash passwords (0: one per core).
    #[arg(long, env = "HASH_THREADS", default_value_t = 0, global = true)]
    pub hash_threads: usize,

    /// Hash jobs that may wait for a thread; beyond that, requests are shed with 503.
    #[arg(long, env = "HASH_QUEUE", default_value_t = 64, global = true)]
    pub hash_queue: usize,

    /// Admin API tokens, comma-separated, each raw (`*:*.secret`) or as `Bearer *:*.secret`.
    #[arg(
        long,
        env = "INIT_ADMIN_API_TOKENS",
        value_delimiter = ',',
        hide_env_values = true,
        global = true
    )]
    pub init_admin_api_tokens: Vec<Secret>,

    /// Create the first admin when the database has no users (Unleash's
    /// `authentication.createAdminUser`, which Unleash sets only in code). `false` for a database
    /// whose users are made some other way, e.g. beside an Unleash that creates its own.
    #[arg(long, env = "CREATE_ADMIN_USER", default_value_t = true,
          action = clap::ArgAction::Set, global = true)]
    pub create_admin_user: bool,

    /// Username of the admin created when the database has no users.
    #[arg(
        long,
        env = "UNLEASH_DEFAULT_ADMIN_USERNAME",
        default_value = "admin",
        global = true
    )]
    pub default_admin_username: Username,

    /// Password of that admin; when unset a strong one is generated and printed once.
    #[arg(
        long,
        env = "UNLEASH_DEFAULT_ADMIN_PASSWORD",
        hide_env_values = true,
        global = true
    )]
    pub default_admin_password: Option<Secret>,

    /// Where a generated first-admin password is written when the output is not a terminal
    /// (a file only this user can read). Default: `initial-admin-password` beside the SQLite
    /// database, or in the working directory on PostgreSQL.
    #[arg(long, env = "INITIAL_ADMIN_PASSWORD_FILE", global = true)]
    pub initial_admin_password_file: Option<PathBuf>,

    /// Session lifetime in hours.
    #[arg(long, env = "SESSION_TTL_HOURS", default_value_t = 48, global = true)]
    pub session_ttl_hours: u32,

    /// Sessions a user may have at once, Unleash's setting: a log-in keeps the newest
    /// `MAX_PARALLEL_SESSIONS - 1` and adds its own.
    #[arg(
        long,
        env = "MAX_PARALLEL_SESSIONS",
        default_value_t = 5,
        value_parser = clap::value_parser!(u32).range(1..),
        global = true
    )]
    pub max_parallel_sessions: u32,

    /// How long the "this wasn't me" link in a password-changed mail works, in hours (once).
    #[arg(
        long,
        env = "NOT_ME_LINK_TTL_HOURS",
        default_value_t = 168,
        value_parser = clap::value_parser!(u32).range(1..),
        global = true
    )]
    pub not_me_link_ttl_hours: u32,

    /// Answer Unleash's 404 (unknown address) and 429 (repeat within 60 s) on
    /// `POST /auth/reset/password-email` instead of the same 200 for every case.
    #[arg(long, env = "RESET_EMAIL_REVEALS_ACCOUNTS", default_value_t = false,
          action = clap::ArgAction::Set, global = true)]
    pub reset_email_reveals_accounts: bool,

    /// Unleash's flag: the admin user list shows each user's number of live sessions
    /// (`activeSessions`). Read as Unleash reads it: `true`, `1` or `t` turn it on, anything else
    /// leaves it off.
    #[arg(long, env = "UNLEASH_EXPERIMENTAL_SHOW_USER_DEVICE_COUNT", default_value = "false",
          value_parser = unleash_flag, action = clap::ArgAction::Set, global = true)]
    pub show_user_device_count: bool,

    /// Time a client has to send its request headers, in milliseconds, counted from the moment
    /// the connection is accepted (a connection that sends nothing is closed after it) and, on a
    /// kept-alive connection, from the end of the previous answer.
    #[arg(
        long,
        env = "HTTP_HEADER_TIMEOUT_MS",
        default_value_t = 10_000,
        global = true
    )]
    pub http_header_timeout_ms: u64,

    /// Time a client has to send its request body, in milliseconds (408 after that).
    #[arg(
        long,
        env = "HTTP_BODY_TIMEOUT_MS",
        default_value_t = 10_000,
        global = true
    )]
    pub http_body_timeout_ms: u64,

    /// A connection with no request in flight for this long is closed gracefully, in
    /// milliseconds (HTTP/2 above all: a kept-alive HTTP/1 connection waiting for its next
    /// request is closed after HTTP_HEADER_TIMEOUT_MS already).
    #[arg(
        long,
        env = "HTTP_IDLE_TIMEOUT_MS",
        default_value_t = 60_000,
        value_parser = clap::value_parser!(u64).range(1..),
        global = true
    )]
    pub http_idle_timeout_ms: u64,

    /// Interval of the HTTP/2 keep-alive pings, in milliseconds (0: no pings).
    #[arg(
        long,
        env = "HTTP2_KEEP_ALIVE_INTERVAL_MS",
        default_value_t = 30_000,
        global = true
    )]
    pub http2_keep_alive_interval_ms: u64,

    /// An HTTP/2 client that does not answer a keep-alive ping within this many milliseconds is
    /// disconnected.
    #[arg(
        long,
        env = "HTTP2_KEEP_ALIVE_TIMEOUT_MS",
        default_value_t = 10_000,
        global = true
    )]
    pub http2_keep_alive_timeout_ms: u64,

    /// The most connections kept open on HTTP_PORT (0: derived from the open-file limit). Never
    /// more than three quarters of the open-file soft limit less what the database and the mail
    /// need. At the cap the oldest idle connection is closed for a new one; if none is idle,
    /// the new one is.
    #[arg(long, env = "HTTP_MAX_CONNECTIONS", default_value_t = 0, global = true)]
    pub http_max_connections: usize,

    /// Address of the management listener: the metrics and the health check, without
    /// credentials. Keep it private.
    #[arg(
        long,
        env = "MANAGEMENT_HTTP_HOST",
        default_value = "127.0.0.1",
        global = true
    )]
    pub management_http_host: String,

    /// Port of the management listener (0 picks a free one). Not 4243: beside Unleash (4242),
    /// deploy/nginx puts Unlatch's own HTTP_PORT there.
    #[arg(
        long,
        env = "MANAGEMENT_HTTP_PORT",
        default_value_t = 9242,
        global = true
    )]
    pub management_http_port: u16,

    /// Open the management listener (`false`: no second port).
    #[arg(long, env = "MANAGEMENT_HTTP_ENABLED", default_value_t = true,
          action = clap::ArgAction::Set, global = true)]
    pub management_http_enabled: bool,

    /// Serve `GET /internal-backstage/prometheus` on HTTP_PORT without credentials (by default it
    /// needs an admin there: the metrics move with mail sent to existing accounts).
    #[arg(long, env = "METRICS_PUBLIC", default_value_t = false,
          action = clap::ArgAction::Set, global = true)]
    pub metrics_public: bool,

    /// Serve the pages behind the mail links (`/reset-password`, `/new-user`, `/login`, ...);
    /// `false` for deployments behind Unleash's own UI (which has no `/not-me`: that one stays).
    #[arg(long, env = "PAGES", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub pages: bool,

    /// Log-in attempts (`/auth/simple/*`) per client IP per minute (0: no limit).
    #[arg(
        long,
        env = "SIMPLE_LOGIN_LIMIT_PER_MINUTE",
        default_value_t = 10,
        global = true
    )]
    pub simple_login_limit_per_minute: u32,

    /// Reset e-mail requests per client IP per minute (0: no limit).
    #[arg(
        long,
        env = "PASSWORD_RESET_LIMIT_PER_MINUTE",
        default_value_t = 1,
        global = true
    )]
    pub password_reset_limit_per_minute: u32,

    /// User creations per client IP per minute (0: no limit).
    #[arg(
        long,
        env = "CREATE_USER_RATE_LIMIT_PER_MINUTE",
        default_value_t = 20,
        global = true
    )]
    pub create_user_rate_limit_per_minute: u32,

    /// How many leading bits of a client's IPv6 address make one client for the per-IP limits
    /// (64: a /64, what one host or home is usually given).
    #[arg(
        long,
        env = "RATE_LIMIT_IPV6_PREFIX",
        default_value_t = 64,
        value_parser = clap::value_parser!(u8).range(1..=128),
        global = true
    )]
    pub rate_limit_ipv6_prefix: u8,

    /// Refuse common and breached passwords (the built-in list and PASSWORD_BLOCKLIST_FILE);
    /// `false` switches both off.
    #[arg(long, env = "PASSWORD_BLOCKLIST", default_value_t = true,
          action = clap::ArgAction::Set, global = true)]
    pub password_blocklist: bool,

    /// Your own list of refused passwords, one a line (e.g. a breach corpus), on top of the
    /// built-in one; matched case-insensitively. Read at start-up; costs 8 bytes a distinct line.
    #[arg(long, env = "PASSWORD_BLOCKLIST_FILE", global = true)]
    pub password_blocklist_file: Option<PathBuf>,

    /// Failed password checks allowed per submitted username/e-mail within the window (0: off).
    #[arg(
        long,
        env = "ACCOUNT_FAILURE_LIMIT",
        default_value_t = 10,
        global = true
    )]
    pub account_failure_limit: u32,

    /// The window of that throttle, in seconds.
    #[arg(
        long,
        env = "ACCOUNT_FAILURE_WINDOW_SECONDS",
        default_value_t = 300,
        global = true
    )]
    pub account_failure_window_seconds: u64,

    /// Proxies (CIDRs or addresses, comma-separated) whose `X-Forwarded-For` is believed.
    #[arg(long, env = "TRUSTED_PROXIES", value_delimiter = ',', global = true)]
    pub trusted_proxies: Vec<String>,

    /// Mail provider: smtp, json, postmark, sendgrid, mailgun, mailpit or log (default: smtp
    /// when EMAIL_HOST is set, else json when MAIL_RELAY_URL is set, else log).
    #[arg(long, env = "MAIL_PROVIDER", value_enum, global = true)]
    pub mail_provider: Option<crate::mail::relay::Provider>,

    /// The relay: the endpoint for json, the API base URL for postmark, sendgrid, mailgun and
    /// mailpit.
    #[arg(long, env = "MAIL_RELAY_URL", global = true)]
    pub mail_relay_url: Option<String>,

    /// The relay's API key (Bearer, or Postmark's server token).
    #[arg(long, env = "MAIL_RELAY_TOKEN", hide_env_values = true, global = true)]
    pub mail_relay_token: Option<Secret>,

    /// The From address of every mail.
    #[arg(
        long,
        env = "EMAIL_SENDER",
        default_value = "Unleash <noreply@unleash.local>",
        global = true
    )]
    pub email_sender: String,

    /// SMTP server (Unleash's setting); setting it selects the smtp provider.
    #[arg(long, env = "EMAIL_HOST", global = true)]
    pub email_host: Option<String>,

    /// SMTP port: 587 (submission, STARTTLS) unless told otherwise; 465 with EMAIL_SECURE=true.
    #[arg(long, env = "EMAIL_PORT", default_value_t = 587, global = true)]
    pub email_port: u16,

    /// Implicit TLS from the first byte (SMTPS, usually port 465) instead of STARTTLS.
    #[arg(long, env = "EMAIL_SECURE", default_value_t = false,
          action = clap::ArgAction::Set, global = true)]
    pub email_secure: bool,

    /// SMTP user name (AUTH); with EMAIL_PASSWORD.
    #[arg(long, env = "EMAIL_USER", global = true)]
    pub email_user: Option<String>,

    /// SMTP password. Never logged, never shown by `--help` or in Debug output.
    #[arg(long, env = "EMAIL_PASSWORD", hide_env_values = true, global = true)]
    pub email_password: Option<Secret>,

    /// Extra headers for every SMTP mail, as a JSON object of strings (Unleash's setting).
    #[arg(long, env = "EMAIL_OPTIONAL_HEADERS", global = true)]
    pub email_optional_headers: Option<String>,

    /// Allow SMTP without TLS when the server offers no STARTTLS, credentials included (for a
    /// relay on the same host or network). Off: with EMAIL_USER set, TLS is required.
    #[arg(long, env = "EMAIL_ALLOW_PLAINTEXT", default_value_t = false,
          action = clap::ArgAction::Set, global = true)]
    pub email_allow_plaintext: bool,

    /// A PEM file of CA certificates trusted for the SMTP server, besides the system's.
    #[arg(long, env = "EMAIL_TLS_CA_FILE", global = true)]
    pub email_tls_ca_file: Option<PathBuf>,

    /// Mailgun's sending domain (default: the domain of EMAIL_SENDER).
    #[arg(long, env = "MAILGUN_DOMAIN", global = true)]
    pub mailgun_domain: Option<String>,

    /// Mailgun's region, `us` or `eu`: picks the API base when MAIL_RELAY_URL is unset.
    #[arg(
        long,
        env = "MAILGUN_REGION",
        value_enum,
        default_value = "us",
        global = true
    )]
    pub mailgun_region: crate::mail::relay::MailgunRegion,

    /// A folder with your own copies of the six mail templates (see templates/).
    #[arg(long, env = "MAIL_TEMPLATES_DIR", global = true)]
    pub mail_templates_dir: Option<PathBuf>,

    /// Connect timeout of a relay call, in milliseconds.
    #[arg(
        long,
        env = "MAIL_CONNECT_TIMEOUT_MS",
        default_value_t = 5_000,
        global = true
    )]
    pub mail_connect_timeout_ms: u64,

    /// Timeout of a whole relay call, in milliseconds.
    #[arg(long, env = "MAIL_TIMEOUT_MS", default_value_t = 15_000, global = true)]
    pub mail_timeout_ms: u64,

    /// First retry delay after a failed delivery, in milliseconds (doubles each attempt).
    #[arg(
        long,
        env = "MAIL_RETRY_BASE_MS",
        default_value_t = 2_000,
        global = true
    )]
    pub mail_retry_base_ms: u64,

    /// Longest retry delay, in milliseconds.
    #[arg(
        long,
        env = "MAIL_RETRY_MAX_MS",
        default_value_t = 300_000,
        global = true
    )]
    pub mail_retry_max_ms: u64,

    /// Delivery attempts before a mail is marked dead.
    #[arg(long, env = "MAIL_MAX_ATTEMPTS", default_value_t = 10, global = true)]
    pub mail_max_attempts: i64,

    /// How long a claimed mail is reserved for the instance sending it, in milliseconds, renewed
    /// every third of it while the relay call runs: if that instance dies, another sends the mail
    /// once the lease runs out (within this much, plus half a second).
    #[arg(long, env = "MAIL_LEASE_MS", default_value_t = 10_000,
          value_parser = clap::value_parser!(u64).range(1000..), global = true)]
    pub mail_lease_ms: u64,

    /// How often the background purge runs, in seconds (0: never; `unlatch purge` still works).
    #[arg(
        long,
        env = "PURGE_INTERVAL_SECONDS",
        default_value_t = 3600,
        global = true
    )]
    pub purge_interval_seconds: u64,

    /// The most rows one purge batch deletes; each batch is its own short transaction.
    #[arg(long, env = "PURGE_BATCH_SIZE", default_value_t = 500,
          value_parser = clap::value_parser!(u32).range(1..=100_000), global = true)]
    pub purge_batch_size: u32,

    /// How long one purge batch should take at most, in milliseconds: the batch's row count is
    /// steered by it (a write request waits for one batch at most).
    #[arg(long, env = "PURGE_BATCH_MS", default_value_t = 2,
          value_parser = clap::value_parser!(u64).range(1..=10_000), global = true)]
    pub purge_batch_ms: u64,

    /// Pause between two purge batches, in milliseconds, so requests get the database in between.
    #[arg(long, env = "PURGE_PAUSE_MS", default_value_t = 5, global = true)]
    pub purge_pause_ms: u64,

    /// Hours a reset or invite token is kept once it has expired (a spent token expires 24 h
    /// after it was made at the latest).
    #[arg(
        long,
        env = "TOKEN_RETENTION_HOURS",
        default_value_t = 24,
        global = true
    )]
    pub token_retention_hours: u64,

    /// Hours a session is kept once it has expired.
    #[arg(
        long,
        env = "SESSION_RETENTION_HOURS",
        default_value_t = 24,
        global = true
    )]
    pub session_retention_hours: u64,

    /// Days a delivered mail's outbox row (recipient, template, no bodies) is kept.
    #[arg(
        long,
        env = "SENT_MAIL_RETENTION_DAYS",
        default_value_t = 7,
        global = true
    )]
    pub sent_mail_retention_days: u64,

    /// Days a dead mail is kept once an operator has listed it (`unlatch outbox`); never-listed
    /// dead mail is kept.
    #[arg(
        long,
        env = "DEAD_MAIL_RETENTION_DAYS",
        default_value_t = 30,
        global = true
    )]
    pub dead_mail_retention_days: u64,

    /// Days audit events are kept (0: forever).
    #[arg(
        long,
        env = "AUDIT_RETENTION_DAYS",
        default_value_t = 400,
        global = true
    )]
    pub audit_retention_days: u64,

    /// Hours a failure counter is kept after its window started (never less than the window).
    #[arg(
        long,
        env = "ATTEMPTS_RETENTION_HOURS",
        default_value_t = 24,
        global = true
    )]
    pub attempts_retention_hours: u64,

    /// Calls to the mail relay this instance makes at once (at most one per recipient).
    #[arg(
        long,
        env = "MAIL_CONCURRENCY",
        default_value_t = 16,
        value_parser = clap::value_parser!(u16).range(1..=256),
        global = true
    )]
    pub mail_concurrency: u16,
}

/// A boolean as Unleash reads its environment (`parseEnvVarBoolean`): `true`, `1` or `t` is on,
/// any other value off.
fn unleash_flag(text: &str) -> Result<bool, std::convert::Infallible> {
    Ok(matches!(text, "true" | "1" | "t"))
}

impl Config {
    /// The database named by `UNLEASH_DATABASE_URL` (beside Unleash) or `DATABASE_URL`.
    /// Where a generated first-admin password goes when no terminal shows it.
    pub fn initial_admin_password_file(&self) -> PathBuf {
        const NAME: &str = "initial-admin-password";
        if let Some(path) = &self.initial_admin_password_file {
            return path.clone();
        }
        match self.database() {
            Ok(Location::Sqlite(db)) => db.with_file_name(NAME),
            _ => PathBuf::from(NAME),
        }
    }

    /// Beside Unleash with Unleash's public default `UNLEASH_SECRET`: anyone holding a copy of the
    /// database (its `unleash_session` rows) can then sign a cookie for any session in it.
    pub fn signs_with_the_public_default_secret(&self) -> bool {
        self.unleash_database_url.is_some()
            && self.unleash_secret.expose() == UNLEASH_DEFAULT_SECRET
    }

    pub fn database(&self) -> anyhow::Result<Location> {
        if let Some(url) = &self.unleash_database_url {
            let url = url.expose().trim();
            if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                anyhow::bail!(
                    "UNLEASH_DATABASE_URL must look like postgres://user:password@host:port/db (it is {})",
                    redacted_url(url)
                );
            }
            return Ok(Location::Unleash {
                url: url.to_string(),
                beside: crate::store::unleash::Beside {
                    schema_check: self.unleash_schema_check,
                    secure_cookie: self.secure_cookie(),
                    max_sessions: i64::from(self.max_parallel_sessions),
                },
            });
        }
        let url = self.database_url.expose().trim();
        if let Some(rest) = url.strip_prefix("sqlite://") {
            if rest.is_empty() {
                anyhow::bail!("DATABASE_URL names no file");
            }
            return Ok(Location::Sqlite(PathBuf::from(rest)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Location::Postgres(url.to_string()));
        }
        anyhow::bail!(
            "DATABASE_URL must look like sqlite://<path> or postgres://user:password@host:port/db (it is {})",
            redacted_url(url)
        )
    }

    /// A start-up error about the database, naming its setting without its password.
    pub fn database_error(&self, e: crate::store::StoreError) -> anyhow::Error {
        let (setting, url) = match &self.unleash_database_url {
            Some(url) => ("UNLEASH_DATABASE_URL", url),
            None => ("DATABASE_URL", &self.database_url),
        };
        anyhow::anyhow!(
            "cannot open the database named by {setting} ({}): {}",
            redacted_url(url.expose()),
            crate::base::causes::with_causes(&e)
        )
    }

    /// Whether the session cookie is `Secure` (the public URL is https).
    pub fn secure_cookie(&self) -> bool {
        self.unleash_url.is_https()
    }

    /// The session cookie as this configuration writes and reads it: signed as Unleash signs it
    /// beside Unleash, plain otherwise.
    pub fn session_cookies(&self) -> crate::http::auth::SessionCookies {
        crate::http::auth::SessionCookies {
            format: match &self.unleash_database_url {
                Some(_) => {
                    crate::http::auth::CookieFormat::Signed(self.unleash_secret.expose().into())
                }
                None => crate::http::auth::CookieFormat::Plain,
            },
            secure: self.secure_cookie(),
        }
    }

    /// The provider in effect: `smtp` when `EMAIL_HOST` is set (as in Unleash), else `json`
    /// when a relay URL is configured, else `log`.
    pub fn mail_provider(&self) -> crate::mail::relay::Provider {
        use crate::mail::relay::Provider;
        let set = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.trim().is_empty());
        match self.mail_provider {
            Some(provider) => provider,
            None if set(&self.email_host) => Provider::Smtp,
            None if set(&self.mail_relay_url) => Provider::Json,
            None => Provider::Log,
        }
    }

    /// The SMTP settings, when `EMAIL_HOST` is set.
    pub fn smtp(&self) -> Option<crate::mail::smtp::SmtpSettings> {
        let host = self.email_host.as_deref()?.trim();
        if host.is_empty() {
            return None;
        }
        Some(crate::mail::smtp::SmtpSettings {
            host: host.to_string(),
            port: self.email_port,
            secure: self.email_secure,
            user: self.email_user.clone().filter(|u| !u.is_empty()),
            password: self.email_password.clone(),
            optional_headers: self.email_optional_headers.clone(),
            allow_plaintext: self.email_allow_plaintext,
            ca_file: self.email_tls_ca_file.clone(),
        })
    }

    /// `UNLEASH_URL`, parsed.
    pub fn public_url(&self) -> &PublicUrl {
        &self.unleash_url
    }
}

/// A database URL fit for a message: the password, if any, replaced by `***`.
pub fn redacted_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut parsed) if parsed.password().is_some() => {
            // Only fails for URLs that cannot have a password, which this one has.
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(parsed) => parsed.to_string(),
        Err(_) => "an unreadable URL".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    #[test]
    fn the_database_password_never_shows_in_debug_output() {
        let cli = crate::process::cli::Cli::parse_from([
            "unlatch",
            "--database-url",
            "postgres://ops:s3cret-db-pass@db.internal/unlatch",
        ]);
        let shown = format!("{:?} {:?}", cli.config, cli.config.database());
        assert!(!shown.contains("s3cret-db-pass"), "{shown}");
    }

    #[test]
    fn the_smtp_password_never_shows_in_debug_output() {
        let cli = crate::process::cli::Cli::parse_from([
            "unlatch",
            "--email-host",
            "smtp.example.com",
            "--email-user",
            "mailer",
            "--email-password",
            "s3cret-smtp-pass",
        ]);
        let shown = format!("{:?} {:?}", cli.config, cli.config.smtp());
        assert!(!shown.contains("s3cret-smtp-pass"), "{shown}");
        assert!(shown.contains("[redacted]"));
        assert_eq!(
            cli.config.mail_provider(),
            crate::mail::relay::Provider::Smtp
        );
    }

    #[test]
    fn no_secret_setting_shows_in_debug_output() {
        let cli = crate::process::cli::Cli::parse_from([
            "unlatch",
            "--unleash-database-url",
            "postgres://unleash:s3cret-unleash-db@db/unleash",
            "--unleash-secret",
            "s3cret-session-signing",
            "--init-admin-api-tokens",
            "*:*.s3cret-admin-token,Bearer *:*.s3cret-other-token",
            "--default-admin-password",
            "s3cret-Admin-Pass1",
            "--mail-relay-token",
            "s3cret-relay-token",
        ]);
        let shown = format!("{:?} {:?}", cli.config, cli.config.database());
        for secret in [
            "s3cret-unleash-db",
            "s3cret-session-signing",
            "s3cret-admin-token",
            "s3cret-other-token",
            "s3cret-Admin-Pass1",
            "s3cret-relay-token",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert_eq!(cli.config.init_admin_api_tokens.len(), 2);
    }

    #[test]
    fn unleash_url_is_parsed_once_at_start_up() {
        let cli = crate::process::cli::Cli::parse_from([
            "unlatch",
            "--unleash-url",
            "https://flags.example.com/ui/",
        ]);
        assert_eq!(
            cli.config.public_url().as_str(),
            "https://flags.example.com/ui"
        );
        assert_eq!(cli.config.public_url().sub_path(), Some("/ui"));
        assert!(cli.config.secure_cookie());
        assert!(crate::process::cli::Cli::try_parse_from([
            "unlatch",
            "--unleash-url",
            "flags.example.com"
        ])
        .is_err());
    }
}
