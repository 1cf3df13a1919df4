//! Health for orchestrators: `/health/live` (the process answers, the database is not asked) and
//! `/health/ready` (the database answers at this binary's schema version, the outbox worker
//! runs), on the main port and on the management listener, beside Unleash's `/health`. Runs on
//! SQLite, and on PostgreSQL with `UNLATCH_TEST_BACKEND=postgres`. (A lost database: see
//! tests/outage.rs; the outbox worker's heartbeat: the unit tests of `mail::outbox`.)

mod common;

use common::*;
use serde_json::{json, Value};

/// The schema version of the backend this suite runs on.
fn binary_schema() -> u64 {
    if common::pg::enabled() {
        u64::from(unlatch::store::postgres::SCHEMA_VERSION)
    } else {
        u64::from(unlatch::store::sqlite::SCHEMA_VERSION)
    }
}

async fn get_on(app: &TestApp, address: std::net::SocketAddr, path: &str) -> (u16, Value) {
    let reply = app
        .client
        .get(format!("http://{address}{path}"))
        .send()
        .await
        .expect("sent");
    let status = reply.status().as_u16();
    let content_type = reply
        .headers()
        .get("content-type")
        .map(|v| v.to_str().expect("ASCII").to_string());
    assert_eq!(
        content_type.as_deref(),
        Some("application/json; charset=utf-8"),
        "{path}"
    );
    (status, reply.json().await.expect("JSON"))
}

#[tokio::test]
async fn live_and_ready_answer_on_both_ports_beside_unleashs_health() {
    let app = TestApp::spawn().await;
    let management = app.management_addr.expect("a management listener");
    let expected = binary_schema();
    for address in [app.addr, management] {
        assert_eq!(
            get_on(&app, address, "/health/live").await,
            (200, json!({"health": "GOOD"}))
        );
        assert_eq!(
            get_on(&app, address, "/health/ready").await,
            (
                200,
                json!({
                    "health": "GOOD",
                    "database": "up",
                    "schemaVersion": expected,
                    "expectedSchemaVersion": expected,
                    "outbox": "running",
                })
            )
        );
        // Unleash's own health check, unchanged.
        assert_eq!(
            get_on(&app, address, "/health").await,
            (200, json!({"health": "GOOD"}))
        );
    }
}

#[tokio::test]
async fn without_a_management_listener_both_are_on_the_main_port() {
    let app = TestApp::spawn_with(&["--management-http-enabled", "false"]).await;
    assert_eq!(get_on(&app, app.addr, "/health/live").await.0, 200, "live");
    assert_eq!(
        get_on(&app, app.addr, "/health/ready").await.0,
        200,
        "ready"
    );
}

#[tokio::test]
async fn a_schema_moved_on_by_a_newer_release_is_not_ready_but_alive() {
    let app = TestApp::spawn().await;
    // What a newer release does to the database this instance runs on: a migration recorded.
    if common::pg::enabled() {
        common::pg::execute(
            &database_url(app.dir.path()),
            "INSERT INTO unlatch_migrations (version) VALUES (99)",
        );
    } else {
        let db = rusqlite::Connection::open(&app.db_path).expect("open");
        db.pragma_update(None, "user_version", 99).expect("set");
    }
    let expected = binary_schema();
    let management = app.management_addr.expect("a management listener");
    for address in [app.addr, management] {
        assert_eq!(
            get_on(&app, address, "/health/ready").await,
            (
                503,
                json!({
                    "health": "BAD",
                    "database": "up",
                    "schemaVersion": 99,
                    "expectedSchemaVersion": expected,
                    "outbox": "running",
                })
            )
        );
        assert_eq!(get_on(&app, address, "/health/live").await.0, 200);
        assert_eq!(
            get_on(&app, address, "/health").await,
            (200, json!({"health": "GOOD"})),
            "Unleash's health check does not look at the schema"
        );
    }
}
