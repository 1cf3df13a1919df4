//! Upgrades lose nothing. Every schema version has a fixture in tests/fixtures/upgrade/, written
//! by the release that had that version (tests/fixtures/upgrade/README.md says which, and
//! scripts/make-upgrade-fixture.sh how): a SQLite file, and a `pg_dump` from schema versions
//! that had PostgreSQL. Each is opened by the current binary, which must find everything the
//! release wrote: the users, their passwords (log-ins), the live sessions, the open invite and
//! reset link, the queued mail (delivered now, the invite link in it intact) and the events.
//! A database from a newer release is refused at start-up naming both versions, and `unlatch
//! migrate --dry-run` lists what would run without running it.
//!
//! SQLite by default; PostgreSQL with `UNLATCH_TEST_BACKEND=postgres` (as `make test` runs the
//! suite twice).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use common::child::Running;

const BIN: &str = env!("CARGO_BIN_EXE_unlatch");
const ADMIN_TOKEN: &str = "*:*.upgrade-test-admin-token";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upgrade")
}

/// This binary's schema version on the backend under test.
fn binary_schema() -> u32 {
    if common::pg::enabled() {
        unlatch::store::postgres::SCHEMA_VERSION
    } else {
        unlatch::store::sqlite::SCHEMA_VERSION
    }
}

/// The fixtures of the backend under test: (schema version, manifest path), oldest first.
fn fixtures_of_backend() -> Vec<(u32, PathBuf)> {
    let prefix = if common::pg::enabled() {
        "postgres-v"
    } else {
        "sqlite-v"
    };
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir(fixtures())
        .expect("tests/fixtures/upgrade")
        .filter_map(|e| {
            let path = e.ok()?.path();
            let name = path.file_name()?.to_str()?.to_string();
            let version = name
                .strip_prefix(prefix)?
                .strip_suffix(".json")?
                .parse()
                .ok()?;
            Some((version, path))
        })
        .collect();
    found.sort();
    found
}

/// An `unlatch` command on `database_url`, with nothing from the test's own environment.
fn unlatch(database_url: &str) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("DATABASE_URL", database_url)
        .env("HTTP_PORT", "0")
        .env("MANAGEMENT_HTTP_PORT", "0")
        .env("BCRYPT_COST", "4")
        .env("INIT_ADMIN_API_TOKENS", ADMIN_TOKEN)
        .env("LOG_LEVEL", "info");
    cmd
}

/// Starts `unlatch serve`; answers the child and its address. Its output keeps being read (so
/// it never blocks on a full pipe) and is answered by the returned receiver. The caller ends it
/// with [`terminate`]; a test that panics first leaves nothing running.
fn serve(database_url: &str, env: &[(&str, &str)]) -> (Running, String, mpsc::Receiver<String>) {
    let mut command = unlatch(database_url);
    command.envs(env.iter().copied()).arg("serve");
    let served = common::child::serve(command, None, Duration::from_secs(30));
    (served.child, served.address, served.later)
}

/// SIGTERM, and the exit status (within 20 s).
fn terminate(child: &mut Running) -> std::process::ExitStatus {
    common::child::terminate(child, Duration::from_secs(20))
}

/// A fresh copy of the fixture `stem` (`sqlite-v3`, `postgres-v2`) to upgrade: answers its
/// database URL (and the directory that holds a SQLite copy).
fn restore(stem: &str) -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("dir");
    if stem.starts_with("postgres") {
        let url = common::pg::fresh_database();
        let psql = std::env::var("UNLATCH_TEST_PG_BIN")
            .map(|bin| Path::new(&bin).join("psql"))
            .unwrap_or_else(|_| PathBuf::from("psql"));
        let out = Command::new(psql)
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &url, "-f"])
            .arg(fixtures().join(format!("{stem}.sql")))
            .output()
            .expect("psql runs");
        assert!(out.status.success(), "restoring {stem}: {out:?}");
        (url, dir)
    } else {
        let db = dir.path().join("unlatch.db");
        std::fs::copy(fixtures().join(format!("{stem}.sqlite3")), &db).expect("copy");
        (format!("sqlite://{}", db.display()), dir)
    }
}

/// Runs SQL on the restored fixture (the release's own schema, before the upgrade).
fn execute(database_url: &str, sql: &str) {
    match database_url.strip_prefix("sqlite://") {
        Some(path) => {
            let db = rusqlite::Connection::open(path).expect("open");
            db.execute_batch(sql).expect("SQL runs");
        }
        None => common::pg::execute(database_url, sql),
    }
}

fn has_table(database_url: &str, table: &str) -> bool {
    match database_url.strip_prefix("sqlite://") {
        Some(path) => {
            let db = rusqlite::Connection::open(path).expect("open");
            db.query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get::<_, i64>(0),
            )
            .expect("query")
                > 0
        }
        None => {
            let (url, table) = (database_url.to_string(), table.to_string());
            std::thread::spawn(move || {
                let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
                client
                    .query_one("SELECT to_regclass($1) IS NOT NULL", &[&table])
                    .expect("query")
                    .get::<_, bool>(0)
            })
            .join()
            .expect("thread")
        }
    }
}

/// The subject of each template's mail.
fn subject_of(template: &str) -> &'static str {
    match template {
        "welcome" => "Unleash - Your account is ready",
        "password-changed" => "Unleash - Your password was changed",
        "reset-password" => "Unleash - Reset your password",
        other => panic!("a template no test knows: {other}"),
    }
}

struct Http {
    client: reqwest::Client,
    base: String,
}

impl Http {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> (u16, Value) {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let reply = request.send().await.expect("sent");
        let status = reply.status().as_u16();
        let text = reply.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn get(&self, path: &str, headers: &[(&str, &str)]) -> (u16, Value) {
        self.call(reqwest::Method::GET, path, None, headers).await
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::POST, path, Some(body), &[])
            .await
    }
}

/// Upgrades the fixture whose manifest is `manifest_path` and checks that nothing was lost.
async fn upgrade_keeps_everything(manifest_path: &Path) {
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(manifest_path).expect("manifest"))
            .expect("JSON");
    let stem = manifest_path
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("stem")
        .to_string();
    let written_by = manifest["written_by"].as_str().expect("written_by");
    let context = format!("{stem} (written by {})", &written_by[..12]);
    let version = manifest["schema_version"].as_u64().expect("schema_version") as u32;
    let (database_url, _dir) = restore(&stem);

    // Time went by since the release wrote the fixture: every expiry moves by as much, so what
    // was live then is live now (and nothing else changes). The retry that was an hour away is
    // due now, so the queued mail is delivered during the test.
    let now = chrono::Utc::now().timestamp_millis();
    let shift = now - manifest["made_at_ms"].as_i64().expect("made_at_ms");
    execute(
        &database_url,
        &format!(
            "UPDATE tokens SET expires_at = expires_at + {shift};
             UPDATE sessions SET expires_at = expires_at + {shift};"
        ),
    );
    let pending = manifest["pending_mail"].as_array().expect("pending_mail");
    if has_table(&database_url, "outbox") {
        execute(
            &database_url,
            "UPDATE outbox SET next_attempt_at = 0 WHERE state = 'pending'",
        );
    } else {
        assert!(pending.is_empty(), "{context}: mail listed but no outbox");
    }

    // The dry run lists exactly the migrations after the fixture's version, and runs none.
    let dry = unlatch(&database_url)
        .args(["migrate", "--dry-run"])
        .output()
        .expect("dry run");
    assert!(dry.status.success(), "{context}: {dry:?}");
    let listed = String::from_utf8_lossy(&dry.stdout).to_string();
    assert!(
        listed.contains(&format!("database schema version: {version}\n")),
        "{context}: {listed}"
    );
    let would_run = listed
        .lines()
        .filter_map(|l| l.split_whitespace().next()?.parse::<u32>().ok())
        .collect::<Vec<_>>();
    assert_eq!(
        would_run,
        (version + 1..=binary_schema()).collect::<Vec<_>>(),
        "{context}: {listed}"
    );

    let relay = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/emails"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&relay)
        .await;
    let relay_url = format!("{}/emails", relay.uri());
    let (mut child, address, _log) = serve(
        &database_url,
        &[("MAIL_PROVIDER", "json"), ("MAIL_RELAY_URL", &relay_url)],
    );
    let http = Http {
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        base: format!("http://{address}"),
    };
    let admin = [("authorization", ADMIN_TOKEN)];

    let (status, ready) = http.get("/health/ready", &[]).await;
    assert_eq!(status, 200, "{context}: {ready}");
    assert_eq!(ready["schemaVersion"], json!(binary_schema()), "{context}");

    // The users, each as the release wrote it.
    let (status, users) = http.get("/api/admin/user-admin", &admin).await;
    assert_eq!(status, 200, "{context}: {users}");
    let mut emails: Vec<&str> = users["users"]
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|u| u["email"].as_str())
        .collect();
    emails.sort_unstable();
    assert_eq!(
        emails,
        ["ada@example.com", "bob@example.com"],
        "{context}: {users}"
    );

    // The live sessions, as their cookies.
    for (who, name) in [("admin", "admin"), ("bob", "bob@example.com")] {
        let cookie = format!(
            "unleash-session={}",
            manifest[who]["session"].as_str().expect("session")
        );
        let (status, me) = http.get("/api/admin/user", &[("cookie", &cookie)]).await;
        assert_eq!(status, 200, "{context}: {who}'s session: {me}");
        let user = &me["user"];
        let shown = if who == "admin" {
            &user["username"]
        } else {
            &user["email"]
        };
        assert_eq!(shown, name, "{context}: {me}");
    }

    // The password hashes.
    for (name, password) in [
        (
            "admin",
            manifest["admin"]["password"].as_str().expect("password"),
        ),
        (
            "bob@example.com",
            manifest["bob"]["password"].as_str().expect("password"),
        ),
    ] {
        let (status, body) = http
            .post(
                "/auth/simple/login",
                json!({"username": name, "password": password}),
            )
            .await;
        assert_eq!(status, 200, "{context}: log-in of {name}: {body}");
    }

    // The open invite and reset link.
    let invite = manifest["ada"]["invite_token"].as_str().expect("invite");
    let (status, body) = http
        .get(&format!("/auth/reset/validate?token={invite}"), &[])
        .await;
    assert_eq!(status, 200, "{context}: the invite: {body}");
    assert_eq!(body["email"], "ada@example.com", "{context}");
    let reset = manifest["bob"]["reset_token"].as_str().expect("reset");
    let (status, body) = http
        .get(&format!("/auth/reset/validate?token={reset}"), &[])
        .await;
    assert_eq!(status, 200, "{context}: the reset link: {body}");
    assert_eq!(body["email"], "bob@example.com", "{context}");
    let (status, body) = http
        .post(
            "/auth/reset/password",
            json!({"token": reset, "password": "Upgraded-Passw0rd!"}),
        )
        .await;
    assert_eq!(status, 200, "{context}: resetting with the link: {body}");
    let (status, body) = http
        .post(
            "/auth/simple/login",
            json!({"username": "bob@example.com", "password": "Upgraded-Passw0rd!"}),
        )
        .await;
    assert_eq!(status, 200, "{context}: log-in after the reset: {body}");

    // The events the release wrote (newest first, as it listed them), before the test's own.
    let written: Vec<&str> = manifest["event_kinds"]
        .as_array()
        .expect("event_kinds")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let (status, events) = http.get("/api/admin/events?limit=100", &admin).await;
    assert_eq!(status, 200, "{context}: {events}");
    let kinds: Vec<&str> = events["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["type"].as_str())
        .collect();
    assert!(
        kinds.ends_with(&written),
        "{context}: the release's events {written:?} are the oldest of {kinds:?}"
    );

    // The queued mail, delivered now; the welcome mail still carries its invite link.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let delivered = loop {
        let requests = relay.received_requests().await.unwrap_or_default();
        let sent: Vec<Value> = requests
            .iter()
            .filter_map(|r| serde_json::from_slice(&r.body).ok())
            .collect();
        let all_there = pending.iter().all(|m| {
            sent.iter().any(|s| {
                s["to"][0] == m["recipient"]
                    && s["subject"] == subject_of(m["template"].as_str().unwrap_or_default())
            })
        });
        if all_there {
            break sent;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{context}: queued {pending:?}, delivered {sent:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    if pending.iter().any(|m| m["recipient"] == "ada@example.com") {
        let welcome = delivered
            .iter()
            .find(|s| s["to"][0] == "ada@example.com")
            .expect("ada's welcome");
        assert!(
            welcome["text"]
                .as_str()
                .unwrap_or_default()
                .contains(invite),
            "{context}: ada's welcome mail has her invite link: {welcome}"
        );
    }
    assert!(terminate(&mut child).success(), "{context}");
}

#[tokio::test]
async fn every_earlier_schema_version_upgrades_with_nothing_lost() {
    let found = fixtures_of_backend();
    let versions: Vec<u32> = found.iter().map(|(v, _)| *v).collect();
    // One fixture per schema version: a new migration needs a fixture of its own (see
    // tests/fixtures/upgrade/README.md). SQLite's schema starts at 1; PostgreSQL's at 1 too.
    assert_eq!(
        versions,
        (1..=binary_schema()).collect::<Vec<_>>(),
        "a fixture per schema version, up to this binary's"
    );
    for (_, manifest) in found {
        upgrade_keeps_everything(&manifest).await;
    }
}

/// A database whose schema a newer release moved on, as that release leaves it.
fn newer_database() -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("dir");
    let url = if common::pg::enabled() {
        common::pg::fresh_database()
    } else {
        format!("sqlite://{}", dir.path().join("unlatch.db").display())
    };
    let migrate = unlatch(&url).arg("migrate").output().expect("migrate");
    assert!(migrate.status.success(), "{migrate:?}");
    let newer = binary_schema() + 1;
    if common::pg::enabled() {
        common::pg::execute(
            &url,
            &format!(
                "INSERT INTO unlatch_migrations (version) VALUES ({newer});
                 CREATE TABLE from_the_future (id INTEGER);"
            ),
        );
    } else {
        execute(
            &url,
            &format!("PRAGMA user_version = {newer}; CREATE TABLE from_the_future (id INTEGER);"),
        );
    }
    (url, dir)
}

#[test]
fn a_database_from_a_newer_release_is_refused_naming_both_versions() {
    let (url, _dir) = newer_database();
    let (newer, ours) = (binary_schema() + 1, binary_schema());
    for args in [&["serve"][..], &["migrate"], &["migrate", "--dry-run"]] {
        let out = unlatch(&url).args(args).output().expect("runs");
        assert!(!out.status.success(), "{args:?}: {out:?}");
        let error = String::from_utf8_lossy(&out.stderr);
        assert!(
            error.contains(&format!(
                "schema version {newer}, newer than this Unlatch's ({ours})"
            )),
            "{args:?}: {error}"
        );
    }
    // Refused before anything was written: the newer release's table and version are intact.
    assert!(has_table(&url, "from_the_future"));
    let dry = unlatch(&url)
        .args(["migrate", "--dry-run"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&dry.stderr).contains(&format!("version {newer}")));
}

#[test]
fn the_dry_run_lists_every_migration_of_a_new_database_and_creates_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let url = if common::pg::enabled() {
        common::pg::fresh_database()
    } else {
        format!("sqlite://{}", dir.path().join("new.db").display())
    };
    let dry = unlatch(&url)
        .args(["migrate", "--dry-run"])
        .output()
        .expect("runs");
    assert!(dry.status.success(), "{dry:?}");
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(text.contains("database schema version: 0\n"), "{text}");
    assert!(
        text.contains(&format!("would run {} migration(s):", binary_schema())),
        "{text}"
    );
    if common::pg::enabled() {
        assert!(
            !has_table(&url, "unlatch_migrations"),
            "nothing was created"
        );
    } else {
        assert!(!dir.path().join("new.db").exists(), "no file was created");
    }
    // Once migrated, nothing is left to run.
    assert!(unlatch(&url)
        .arg("migrate")
        .output()
        .expect("runs")
        .status
        .success());
    let dry = unlatch(&url)
        .args(["migrate", "--dry-run"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(
        text.contains("nothing to run: the database is up to date"),
        "{text}"
    );
}
