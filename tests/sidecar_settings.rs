//! Beside a real Unleash 8.2.0: Unleash's own settings, as its admin UI writes them, govern
//! Unlatch too. A test binary of its own because it turns password log-in off for the whole
//! Unleash database, which the tests of `tests/sidecar.rs` (run in parallel threads) rely on;
//! cargo runs test binaries one after the other. Fails (never skips) outside the harness of
//! `scripts/with-unleash.sh`.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run these tests under scripts/with-unleash.sh")
    })
}

/// Runs SQL on Unleash's database, off the test's runtime (the client is synchronous).
fn execute(sql: String) -> Vec<postgres::Row> {
    let url = env("UNLEASH_TEST_DATABASE_URL");
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
        client.query(sql.as_str(), &[]).expect("query")
    })
    .join()
    .expect("query thread")
}

/// Password log-in turned off as Unleash's admin UI turns it off, and on again when dropped
/// (also when the test fails).
struct PasswordLoginOff;

impl PasswordLoginOff {
    fn new() -> Self {
        execute(
            "INSERT INTO settings (name, content) VALUES ('unleash.auth.simple', '{\"disabled\": true}')
             ON CONFLICT (name) DO UPDATE SET content = EXCLUDED.content"
                .to_string(),
        );
        PasswordLoginOff
    }
}

impl Drop for PasswordLoginOff {
    fn drop(&mut self) {
        execute("DELETE FROM settings WHERE name = 'unleash.auth.simple'".to_string());
    }
}

/// Unleash's own answer to a log-in.
async fn unleash_login(username: &str, password: &str) -> (u16, Value) {
    let reply = reqwest::Client::new()
        .post(format!("{}/auth/simple/login", env("UNLEASH_TEST_URL")))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .expect("Unleash answers");
    let status = reply.status().as_u16();
    (status, reply.json().await.expect("JSON"))
}

#[tokio::test]
async fn password_log_in_turned_off_in_unleash_is_off_at_unlatch_too_at_once() {
    let app =
        TestApp::spawn_with(&["--unleash-database-url", &env("UNLEASH_TEST_DATABASE_URL")]).await;
    let email = format!("sso-{}@example.com", std::process::id());
    app.user_with_password(&email, "simple123-_ASsad").await;
    // On: both log in.
    let on = app
        .post(
            "/auth/simple/login",
            json!({"username": email, "password": "simple123-_ASsad"}),
        )
        .await;
    assert_eq!(on.status, 200, "{}", on.text);

    let off = PasswordLoginOff::new();
    // Off, with no restart: Unlatch answers as Unleash does, right or wrong password alike.
    let (unleash_status, unleash_body) = unleash_login(&email, "simple123-_ASsad").await;
    assert_eq!(unleash_status, 422, "{unleash_body}");
    for password in ["simple123-_ASsad", "Wrong-passw0rd!"] {
        let reply = app
            .post(
                "/auth/simple/login",
                json!({"username": email, "password": password}),
            )
            .await;
        let body = reply.assert_error(422, "DisabledError");
        assert_eq!(body["name"], unleash_body["name"]);
        assert_eq!(body["message"], unleash_body["message"]);
        assert_eq!(body["details"], unleash_body["details"]);
        assert!(reply.session_cookie().is_none());
    }
    // A user created meanwhile gets the UI's address as invite link, without a token, and no
    // token is stored for it.
    let created = app
        .admin(
            Method::POST,
            "/api/admin/user-admin",
            Some(json!({"email": format!("invited-{email}"), "rootRole": 3})),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let body = created.json();
    assert_eq!(body["inviteLink"], "http://unlatch.test/ui");
    let id = body["id"].as_i64().expect("an id");
    let tokens = execute(format!(
        "SELECT count(*) FROM reset_tokens WHERE user_id = {id}"
    ));
    assert_eq!(tokens[0].get::<_, i64>(0), 0, "no invite token was made");

    // On again, still with no restart.
    drop(off);
    let again = app
        .post(
            "/auth/simple/login",
            json!({"username": email, "password": "simple123-_ASsad"}),
        )
        .await;
    assert_eq!(again.status, 200, "{}", again.text);
}
