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

    /// `UNLEASH_URL` without a trailing slash, ready to have a path appended.
    pub fn public_base(&self) -> &str {
        self.unleash_url.trim_end_matches('/')
    }
}
