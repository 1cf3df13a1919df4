//! Configuration: every setting is an environment variable (Unleash's name where Unleash has the
//! concept) and the matching command-line flag. README.md lists them all.

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "HTTP_HOST", default_value = "127.0.0.1", global = true)]
    pub http_host: String,

    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "HTTP_PORT", default_value_t = 4242, global = true)]
    pub http_port: u16,

    /// The public URL of the UI; reset and invite links are built from it (it may carry a sub-path).
    #[arg(
        long,
        env = "UNLEASH_URL",
        default_value = "http://localhost:4242",
        global = true
    )]
    pub unleash_url: String,

    /// Where the data lives: `sqlite://<path>` (created on first start).
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/unlatch.db",
        global = true
    )]
    pub database_url: String,

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
        global = true
    )]
    pub init_admin_api_tokens: Vec<String>,

    /// Username of the admin created when the database has no users.
    #[arg(
        long,
        env = "UNLEASH_DEFAULT_ADMIN_USERNAME",
        default_value = "admin",
        global = true
    )]
    pub default_admin_username: String,

    /// Password of that admin; when unset a strong one is generated and printed once.
    #[arg(
        long,
        env = "UNLEASH_DEFAULT_ADMIN_PASSWORD",
        hide_env_values = true,
        global = true
    )]
    pub default_admin_password: Option<String>,

    /// Session lifetime in hours.
    #[arg(long, env = "SESSION_TTL_HOURS", default_value_t = 48, global = true)]
    pub session_ttl_hours: u32,

    /// Answer Unleash's 404 (unknown address) and 429 (repeat within 60 s) on
    /// `POST /auth/reset/password-email` instead of the same 200 for every case.
    #[arg(long, env = "RESET_EMAIL_REVEALS_ACCOUNTS", default_value_t = false,
          action = clap::ArgAction::Set, global = true)]
    pub reset_email_reveals_accounts: bool,

    /// Time a client has to send its request headers, in milliseconds.
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

    /// Serve the pages behind the mail links (`/reset-password`, `/new-user`, `/login`, ...);
    /// `false` for deployments behind Unleash's own UI.
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

    /// Mail provider: json, postmark, sendgrid, mailpit or log (default: log when
    /// MAIL_RELAY_URL is unset, json otherwise).
    #[arg(long, env = "MAIL_PROVIDER", value_enum, global = true)]
    pub mail_provider: Option<crate::mail::relay::Provider>,

    /// The relay: the endpoint for json, the API base URL for postmark, sendgrid and mailpit.
    #[arg(long, env = "MAIL_RELAY_URL", global = true)]
    pub mail_relay_url: Option<String>,

    /// The relay's API key (Bearer, or Postmark's server token).
    #[arg(long, env = "MAIL_RELAY_TOKEN", hide_env_values = true, global = true)]
    pub mail_relay_token: Option<String>,

    /// The From address of every mail.
    #[arg(
        long,
        env = "EMAIL_SENDER",
        default_value = "Unleash <noreply@unleash.local>",
        global = true
    )]
    pub email_sender: String,

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
}

impl Config {
    /// The SQLite file named by `DATABASE_URL`.
    pub fn sqlite_path(&self) -> anyhow::Result<PathBuf> {
        let rest = self
            .database_url
            .strip_prefix("sqlite://")
            .ok_or_else(|| anyhow::anyhow!("DATABASE_URL must look like sqlite://<path>"))?;
        if rest.is_empty() {
            anyhow::bail!("DATABASE_URL names no file");
        }
        Ok(PathBuf::from(rest))
    }

    /// The provider in effect: `log` when no relay URL is configured, `json` when one is.
    pub fn mail_provider(&self) -> crate::mail::relay::Provider {
        use crate::mail::relay::Provider;
        match (self.mail_provider, &self.mail_relay_url) {
            (Some(provider), _) => provider,
            (None, Some(url)) if !url.trim().is_empty() => Provider::Json,
            (None, _) => Provider::Log,
        }
    }

    /// `UNLEASH_URL` without a trailing slash, ready to have a path appended.
    pub fn public_base(&self) -> &str {
        self.unleash_url.trim_end_matches('/')
    }
}
