//! The `unlatch` command: `serve` (the default), `migrate`, and the operator's `user` commands.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::base::causes::with_causes;
use crate::base::clock::Clock;
use crate::base::types::{Email, RootRole};
use crate::domain::accounts::AccountError;
use crate::process::config::Config;
use crate::process::server::{shutdown_signal, App, Server};

/// What `unlatch --version` prints after the name: the release, the git revision it was built
/// from and the version of the API contract it serves (`info.version` of `openapi.yaml`).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (revision ",
    env!("UNLATCH_GIT_REVISION"),
    ", API ",
    env!("UNLATCH_SPEC_VERSION"),
    ")"
);

#[derive(Debug, Parser)]
#[command(
    name = "unlatch",
    version = VERSION,
    about = "Self-hosted password and account recovery for Unleash"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service (the default).
    Serve,
    /// Create or upgrade the database schema, then exit.
    Migrate {
        /// List the migrations that would run (and the schema versions), changing nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Manage users from the command line.
    #[command(subcommand)]
    User(UserCommand),
    /// Delete old rows once, now (what the background purge does every PURGE_INTERVAL_SECONDS).
    Purge,
    /// Ask the running service on this host whether it is ready (`GET /health/ready` on the
    /// management listener, or on HTTP_PORT when that is off): exits 0 when it answers 200, 1
    /// otherwise. What a container's HEALTHCHECK runs (the image has no curl).
    Healthcheck {
        /// The path asked for (`/health/live`: only whether the process answers).
        #[arg(long, default_value = "/health/ready")]
        path: String,
        /// How long to wait for the answer, in milliseconds.
        #[arg(long, default_value_t = 5000)]
        timeout_ms: u64,
    },
    /// Show the mail outbox (newest first; never the bodies): pending, sent and dead mail. Dead
    /// mail shown here is marked seen, and purged DEAD_MAIL_RETENTION_DAYS later.
    Outbox {
        /// How many entries.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user and print its invite link.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: Option<String>,
        /// Admin, Editor or Viewer (or 1, 2, 3).
        #[arg(long, default_value = "Viewer")]
        role: String,
    },
    /// Print a reset link for a user (how an operator recovers a locked-out admin).
    ResetLink {
        #[arg(long)]
        email: String,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Held until `main` returns: dropping it writes the log lines still queued.
    let _log = match crate::process::telemetry::init(&cli.config.log_level, &cli.config.log_format)
    {
        Ok(guard) => guard,
        Err(e) => {
            eprintln!("unlatch: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("unlatch: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("unlatch: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Healthcheck { path, timeout_ms } => healthcheck(&config, &path, timeout_ms).await,
        Command::Serve => {
            let app = App::build(&config, Clock::default()).await?;
            let accounts = std::sync::Arc::clone(&app.accounts);
            let server = Server::bind(&config, app).await?;
            tracing::info!(address = %server.local_addr()?, "Unlatch is listening");
            match server.management_addr() {
                Some(address) => tracing::info!(
                    %address,
                    "management listener (metrics and health, no credentials) is listening"
                ),
                None => tracing::info!("management listener turned off (MANAGEMENT_HTTP_ENABLED)"),
            }
            // The first admin (one bcrypt hash) is made while the server already answers, so it
            // does not delay start-up; if it cannot be made, the server stops with the error.
            let (failed_tx, failed_rx) = tokio::sync::oneshot::channel::<()>();
            let admin = {
                let config = config.clone();
                tokio::spawn(async move {
                    let result =
                        crate::process::server::ensure_initial_admin(&accounts, &config).await;
                    if result.is_err() {
                        let _ = failed_tx.send(());
                    }
                    result
                })
            };
            server
                .run(async {
                    tokio::select! {
                        () = shutdown_signal() => {}
                        Ok(()) = failed_rx => {}
                    }
                })
                .await;
            admin.await?
        }
        Command::Migrate { dry_run: true } => {
            let plan = crate::store::plan_migrations(&config.database()?)
                .await
                .map_err(|e| config.database_error(e))?;
            print!("{}", describe_plan(&plan));
            Ok(())
        }
        Command::Migrate { dry_run: false } => {
            crate::store::migrate(&config.database()?)
                .await
                .map_err(|e| config.database_error(e))?;
            println!("database is up to date");
            Ok(())
        }
        Command::User(UserCommand::Create { email, name, role }) => {
            let app = App::build(&config, Clock::default()).await?;
            let role = RootRole::parse(&role).ok_or_else(|| {
                anyhow::anyhow!("unknown role {role:?}: use Admin, Editor or Viewer")
            })?;
            let created = app
                .accounts
                .create_user(
                    "unlatch-cli",
                    crate::domain::accounts::CreateUserRequest {
                        email: Some(email),
                        username: None,
                        name,
                        password: None,
                        root_role: Some(role),
                        send_email: false,
                    },
                    &crate::domain::accounts::Origin::cli(),
                )
                .await
                .map_err(refused)?;
            println!("created user {} ({})", created.user.id, role.name());
            println!("invite link (valid 24 h): {}", created.invite_link.expose());
            Ok(())
        }
        Command::Outbox { limit } => {
            let app = App::build(&config, Clock::default()).await?;
            let entries = app.retention.operator_outbox(limit).await?;
            println!(
                "{:>6}  {:<8}  {:>8}  {:<24}  {:<17}  {:<32}  last error",
                "id", "state", "attempts", "created", "template", "to"
            );
            for e in entries {
                println!(
                    "{:>6}  {:<8}  {:>8}  {:<24}  {:<17}  {:<32}  {}",
                    e.id,
                    format!("{:?}", e.state).to_lowercase(),
                    e.attempts,
                    crate::base::clock::to_rfc3339(e.created_at),
                    e.template,
                    e.recipient,
                    e.last_error.unwrap_or_default()
                );
            }
            Ok(())
        }
        Command::Purge => {
            let app = App::build(&config, Clock::default()).await?;
            let report = app.retention.purge_once().await?;
            if report.skipped {
                println!("another instance is purging; deleted so far:");
            }
            for (what, count) in [
                ("tokens", report.tokens),
                ("\"this wasn't me\" tokens", report.not_me_tokens),
                ("sessions", report.sessions),
                ("sent mail", report.sent_mail),
                ("dead mail", report.dead_mail),
                ("audit events", report.events),
                ("failure counters", report.attempts),
            ] {
                println!("{count:>10}  {what}");
            }
            Ok(())
        }
        Command::User(UserCommand::ResetLink { email }) => {
            let app = App::build(&config, Clock::default()).await?;
            // An address that is no address is nobody's.
            let email = Email::parse(&email)
                .ok_or(AccountError::UserNotFound)
                .map_err(refused)?;
            let link = app
                .accounts
                .operator_reset_link(&email)
                .await
                .map_err(refused)?;
            println!("{}", link.expose());
            Ok(())
        }
    }
}

/// `unlatch healthcheck`: `GET path` on this host's management listener (or `HTTP_PORT` when it
/// is off); an address that listens on every interface is asked on the loopback one.
async fn healthcheck(config: &Config, path: &str, timeout_ms: u64) -> anyhow::Result<()> {
    let (host, port) = if config.management_http_enabled {
        (&config.management_http_host, config.management_http_port)
    } else {
        (&config.http_host, config.http_port)
    };
    let host = match host.as_str() {
        "0.0.0.0" | "" => "127.0.0.1".to_string(),
        "::" | "[::]" => "[::1]".to_string(),
        v6 if v6.contains(':') && !v6.starts_with('[') => format!("[{v6}]"),
        other => other.to_string(),
    };
    let url = format!("http://{host}:{port}{path}");
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_millis(timeout_ms))
        .no_proxy()
        .build()?;
    let response = client
        .get(&url)
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("{url}: {e}"))?;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    if status != reqwest::StatusCode::OK {
        anyhow::bail!("{url} answered {status}: {body}");
    }
    println!("{url}: {body}");
    Ok(())
}

/// `unlatch migrate --dry-run`'s report: the versions, then each migration that would run.
fn describe_plan(plan: &crate::store::MigrationPlan) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    if let Some(unleash) = &plan.unleash_schema {
        let _ = writeln!(
            text,
            "Unleash's schema: {unleash} (checked, never migrated by Unlatch)"
        );
    }
    let _ = writeln!(
        text,
        "database schema version: {}\nthis unlatch's schema version: {}",
        plan.version.database, plan.version.binary
    );
    if plan.pending.is_empty() {
        let _ = writeln!(text, "nothing to run: the database is up to date");
    } else {
        let _ = writeln!(text, "would run {} migration(s):", plan.pending.len());
        for (version, name) in &plan.pending {
            let _ = writeln!(text, "  {version:>3}  {name}");
        }
    }
    text
}

/// What the account rules refused, for the operator: the domain's own message and its causes.
fn refused(e: AccountError) -> anyhow::Error {
    anyhow::anyhow!(with_causes(&e))
}
