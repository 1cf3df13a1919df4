//! Test harness: starts the real service in-process on 127.0.0.1:0 with a temporary database and
//! bcrypt cost 4, and drives it over HTTP. The database is SQLite, or a fresh PostgreSQL database
//! when `UNLATCH_TEST_BACKEND=postgres` (`make test` runs the suite both ways).
#![allow(dead_code)]

pub mod child;
pub mod pg;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use reqwest::header::{HeaderMap, CONTENT_TYPE, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::sync::oneshot;
use unlatch::base::clock::Clock;
use unlatch::process::cli::Cli;
use unlatch::process::server::{App, Server};

pub const ADMIN_PASSWORD: &str = "Adm1n-Passw0rd!";
pub const ADMIN_TOKEN: &str = "*:*.test-admin-secret";

pub struct TestApp {
    pub addr: SocketAddr,
    /// The management listener's address, unless the test turned it off.
    pub management_addr: Option<SocketAddr>,
    pub store: std::sync::Arc<dyn unlatch::store::Store>,
    /// The service's purge (run it with `purge_once` after moving `clock`).
    pub retention: std::sync::Arc<unlatch::process::retention::Retention>,
    pub client: reqwest::Client,
    pub clock: Clock,
    pub db_path: PathBuf,
    pub dir: tempfile::TempDir,
    shutdown: std::sync::Mutex<Option<oneshot::Sender<()>>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("ASCII header").to_string())
    }

    /// The `unleash-session` value set by this reply.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers.get_all(SET_COOKIE).iter().find_map(|v| {
            let v = v.to_str().ok()?;
            let pair = v.split(';').next()?;
            pair.strip_prefix("unleash-session=").map(str::to_string)
        })
    }

    /// Asserts a contract error: status, JSON content type, `name` and (if given) `message`.
    pub fn assert_error(&self, status: u16, name: &str) -> Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        assert_eq!(
            self.header("content-type").as_deref(),
            Some("application/json; charset=utf-8")
        );
        let body = self.json();
        assert_eq!(body["name"], name, "body: {}", self.text);
        assert!(body["message"].is_string());
        assert!(body["id"].is_string());
        body
    }
}

/// The database URL of a test's service: a SQLite file in `dir`, or (with
/// `UNLATCH_TEST_BACKEND=postgres`) a PostgreSQL database made for `dir`, the same on a restart.
pub fn database_url(dir: &std::path::Path) -> String {
    if pg::enabled() {
        let remembered = dir.join("postgres-url");
        if let Ok(url) = std::fs::read_to_string(&remembered) {
            return url;
        }
        let url = pg::fresh_database();
        std::fs::write(&remembered, &url).expect("remember the database");
        url
    } else {
        format!("sqlite://{}", dir.join("unlatch.db").display())
    }
}

/// Extra command-line flags for a test's service.
pub fn spawn_args(dir: &std::path::Path) -> Vec<String> {
    vec![
        "unlatch".into(),
        "--http-port".into(),
        "0".into(),
        "--management-http-port".into(),
        "0".into(),
        "--database-url".into(),
        database_url(dir),
        "--bcrypt-cost".into(),
        "4".into(),
        "--unleash-url".into(),
        "http://unlatch.test/ui".into(),
        "--default-admin-password".into(),
        ADMIN_PASSWORD.into(),
        "--init-admin-api-tokens".into(),
        ADMIN_TOKEN.into(),
        "--log-level".into(),
        "warn".into(),
        // Tests log in and reset far more often than people do; the limits have their own tests.
        "--simple-login-limit-per-minute".into(),
        "0".into(),
        "--password-reset-limit-per-minute".into(),
        "0".into(),
        "--create-user-rate-limit-per-minute".into(),
        "0".into(),
    ]
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(&[]).await
    }

    /// Starts with extra flags (later flags win over the defaults above).
    pub async fn spawn_with(extra: &[&str]) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::start(dir, extra).await
    }

    async fn start(dir: tempfile::TempDir, extra: &[&str]) -> TestApp {
        // Flags given by the test replace the harness's defaults of the same name.
        let defaults = spawn_args(dir.path());
        let mut args = vec![defaults[0].clone()];
        // Beside Unleash, Unleash's database replaces the test's own.
        let beside_unleash = extra.contains(&"--unleash-database-url");
        for pair in defaults[1..].chunks(2) {
            let replaced = beside_unleash && pair[0] == "--database-url";
            if !extra.contains(&pair[0].as_str()) && !replaced {
                args.extend_from_slice(pair);
            }
        }
        args.extend(extra.iter().map(|s| s.to_string()));
        let cli = Cli::parse_from(args);
        // TEST_LOG=debug (or any filter) shows the service's log while debugging a test.
        if let Ok(level) = std::env::var("TEST_LOG") {
            // The first server's guard lives as long as the test process (the log's thread
            // with it); later calls install nothing.
            static LOG: std::sync::OnceLock<Option<unlatch::process::telemetry::LogGuard>> =
                std::sync::OnceLock::new();
            LOG.get_or_init(|| unlatch::process::telemetry::init(&level, "text").ok());
        }
        let config = cli.config;
        let clock = Clock::default();
        let app = App::build(&config, clock.clone())
            .await
            .expect("app builds");
        app.ensure_initial_admin(&config).await.expect("admin");
        let store = std::sync::Arc::clone(&app.store);
        let retention = std::sync::Arc::clone(&app.retention);
        let server = Server::bind(&config, app).await.expect("binds");
        let addr = server.local_addr().expect("addr");
        let management_addr = server.management_addr();
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run(async move {
            let _ = rx.await;
        }));
        TestApp {
            addr,
            management_addr,
            store,
            retention,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            clock,
            db_path: dir.path().join("unlatch.db"),
            dir,
            shutdown: std::sync::Mutex::new(Some(tx)),
            task: Some(task),
        }
    }

    /// Stops this service (gracefully) and starts a new one on the same database.
    pub async fn restart(mut self, extra: &[&str]) -> TestApp {
        self.stop().await;
        let dir = std::mem::replace(&mut self.dir, tempfile::tempdir().expect("temp dir"));
        Self::start(dir, extra).await
    }

    /// Asks the service to shut down (as SIGTERM does) without waiting for it.
    pub fn trigger_shutdown(&self) {
        if let Some(tx) = self.shutdown.lock().expect("lock").take() {
            let _ = tx.send(());
        }
    }

    /// The outbox (its newest 100 mails) once none is pending any more: a relay's answer
    /// reaches the service a moment before the service records it. Panics after 15 s.
    pub async fn settled_outbox(&self) -> Vec<unlatch::store::OutboxEntry> {
        let mut outbox = Vec::new();
        for _ in 0..600 {
            outbox = self.store.outbox(100).await.expect("outbox");
            if !outbox.is_empty()
                && outbox
                    .iter()
                    .all(|m| m.state != unlatch::store::MailState::Pending)
            {
                return outbox;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("the outbox did not settle in 15 s: {outbox:?}");
    }

    /// A metric without labels (a gauge or a counter), as the management listener serves it.
    pub async fn metric(&self, name: &str) -> f64 {
        let address = self.management_addr.expect("a management listener");
        metric_at(&self.client, &format!("http://{address}"), name).await
    }

    /// Waits until the metric `name` is at least `at_least` (polled every 5 ms). Panics after 10 s.
    pub async fn wait_for_metric(&self, name: &str, at_least: f64) {
        let mut value = 0.0;
        for _ in 0..2000 {
            value = self.metric(name).await;
            if value >= at_least {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        panic!("{name} stayed at {value}, under {at_least}, for 10 s");
    }

    pub async fn stop(&mut self) {
        self.trigger_shutdown();
        if let Some(task) = self.task.take() {
            task.await.expect("server task");
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Option<Vec<u8>>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = self.client.request(method, self.url(path));
        if let Some(ct) = content_type {
            request = request.header(CONTENT_TYPE, ct);
        }
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request.send().await.expect("request sent");
        Reply {
            status: response.status(),
            headers: response.headers().clone(),
            text: response.text().await.expect("body read"),
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None, None, &[]).await
    }

    pub async fn get_as(&self, path: &str, cookie: &str) -> Reply {
        let cookie = format!("unleash-session={cookie}");
        self.send(Method::GET, path, None, None, &[("cookie", &cookie)])
            .await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(
            Method::POST,
            path,
            Some("application/json"),
            Some(body.to_string().into_bytes()),
            &[],
        )
        .await
    }

    pub async fn post_as(&self, path: &str, cookie: &str, body: Value) -> Reply {
        let cookie = format!("unleash-session={cookie}");
        self.send(
            Method::POST,
            path,
            Some("application/json"),
            Some(body.to_string().into_bytes()),
            &[("cookie", &cookie)],
        )
        .await
    }

    /// A request with the admin API token.
    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let auth = format!("Bearer {ADMIN_TOKEN}");
        self.send(
            method,
            path,
            body.as_ref().map(|_| "application/json"),
            body.map(|b| b.to_string().into_bytes()),
            &[("authorization", &auth)],
        )
        .await
    }

    /// Logs in and answers the session cookie value.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let reply = self
            .post(
                "/auth/simple/login",
                json!({"username": username, "password": password}),
            )
            .await;
        assert_eq!(reply.status, 200, "login failed: {}", reply.text);
        reply.session_cookie().expect("session cookie")
    }

    /// Creates a user through the admin API; answers (id, invite token).
    pub async fn create_user(&self, body: Value) -> (i64, String) {
        let reply = self
            .admin(Method::POST, "/api/admin/user-admin", Some(body))
            .await;
        assert_eq!(reply.status, 201, "create user: {}", reply.text);
        let json = reply.json();
        let link = json["inviteLink"]
            .as_str()
            .expect("invite link")
            .to_string();
        (json["id"].as_i64().expect("id"), token_of(&link))
    }

    /// A user with a password, ready to log in; answers its id.
    pub async fn user_with_password(&self, email: &str, password: &str) -> i64 {
        let (id, _) = self
            .create_user(json!({"email": email, "rootRole": "Editor", "sendEmail": false}))
            .await;
        let reply = self
            .admin(
                Method::POST,
                &format!("/api/admin/user-admin/{id}/change-password"),
                Some(json!({"password": password})),
            )
            .await;
        assert_eq!(reply.status, 200, "set password: {}", reply.text);
        id
    }

    /// A fresh reset token for the user with this e-mail, through the admin API.
    pub async fn reset_token(&self, email: &str) -> String {
        let reply = self
            .admin(
                Method::POST,
                "/api/admin/user-admin/reset-password",
                Some(json!({"id": email})),
            )
            .await;
        assert_eq!(reply.status, 200, "reset link: {}", reply.text);
        token_of(reply.json()["resetPasswordUrl"].as_str().expect("url"))
    }
}

impl TestApp {
    /// Everything the database holds, as text: the SQLite file and its write-ahead log, byte for
    /// byte, or every row of the PostgreSQL database (old row versions wait for VACUUM there, and
    /// are not readable through SQL).
    pub fn database_text(&self) -> String {
        if pg::enabled() {
            pg::dump(&database_url(self.dir.path()))
        } else {
            let mut bytes = Vec::new();
            for suffix in ["", "-wal"] {
                if let Ok(b) = std::fs::read(format!("{}{suffix}", self.db_path.display())) {
                    bytes.extend(b);
                }
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.trigger_shutdown();
    }
}

/// The `token` query parameter of a link.
pub fn token_of(link: &str) -> String {
    link.split("token=")
        .nth(1)
        .unwrap_or_else(|| panic!("no token in {link}"))
        .to_string()
}

/// A metric without labels (a gauge or a counter) as the management listener at `base`
/// (`http://host:port`) serves it.
pub async fn metric_at(client: &reqwest::Client, base: &str, name: &str) -> f64 {
    let text = client
        .get(format!("{base}/internal-backstage/prometheus"))
        .send()
        .await
        .expect("scraped")
        .text()
        .await
        .expect("metrics");
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} in the metrics:\n{text}"))
}
