//! Upgrades: a database from a newer release is refused at start-up naming both versions, and
//! `unlatch migrate --dry-run` lists what would run without running it.
//!
//! SQLite by default; PostgreSQL with `UNLATCH_TEST_BACKEND=postgres` (as `make test` runs the
//! suite twice).

mod common;

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_unlatch");
const ADMIN_TOKEN: &str = "*:*.upgrade-test-admin-token";

/// This binary's schema version on the backend under test.
fn binary_schema() -> u32 {
    if common::pg::enabled() {
        unlatch::store::postgres::SCHEMA_VERSION
    } else {
        unlatch::store::sqlite::SCHEMA_VERSION
    }
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

/// Runs SQL on the database at `database_url`.
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
