//! The database lost while the service runs (PostgreSQL stopped at once, as in a crash): every
//! answer is a quick JSON 503 with `Retry-After`, `/health` says BAD (`/health/ready` too, while
//! `/health/live` stays GOOD), and once the database is
//! back the service recovers by itself with nothing that was acknowledged lost. Its own test
//! binary, since it stops the shared cluster.

mod common;

use std::time::Duration;

use common::{TestApp, ADMIN_PASSWORD};
use reqwest::Method;
use serde_json::json;

const STRONG: &str = "Outage-Passw0rd!";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lost_database_answers_503_and_the_service_recovers_by_itself() {
    let url = common::pg::fresh_database();
    let app = TestApp::spawn_with(&["--database-url", &url]).await;
    app.user_with_password("ada@example.com", STRONG).await;
    let cookie = app.login("ada@example.com", STRONG).await;
    let token = app.reset_token("ada@example.com").await;

    common::pg::stop_cluster();
    let requests: Vec<(Method, String, Option<serde_json::Value>, Option<&str>)> = vec![
        (
            Method::POST,
            "/auth/simple/login".into(),
            Some(json!({"username": "ada@example.com", "password": STRONG})),
            None,
        ),
        (
            Method::GET,
            format!("/auth/reset/validate?token={token}"),
            None,
            None,
        ),
        (
            Method::POST,
            "/auth/reset/password-email".into(),
            Some(json!({"email": "ada@example.com"})),
            None,
        ),
        (
            Method::GET,
            "/api/admin/user".into(),
            None,
            Some(cookie.as_str()),
        ),
        (
            Method::POST,
            "/auth/reset/password".into(),
            Some(json!({"token": token, "password": "Another-Passw0rd!"})),
            None,
        ),
    ];
    for (method, path, body, session) in &requests {
        let mut headers = Vec::new();
        let cookie_header;
        if let Some(session) = session {
            cookie_header = format!("unleash-session={session}");
            headers.push(("cookie", cookie_header.as_str()));
        }
        let reply = tokio::time::timeout(
            Duration::from_secs(20),
            app.send(
                method.clone(),
                path,
                body.as_ref().map(|_| "application/json"),
                body.as_ref().map(|b| b.to_string().into_bytes()),
                &headers,
            ),
        )
        .await
        .unwrap_or_else(|_| panic!("{method} {path} hung"));
        let error = reply.assert_error(503, "ServiceUnavailableError");
        assert!(
            reply.header("retry-after").is_some(),
            "{method} {path}: no Retry-After"
        );
        assert!(
            !error["message"]
                .as_str()
                .unwrap_or_default()
                .contains("postgres"),
            "the cause is logged, not sent"
        );
    }
    let health = app.get("/health").await;
    assert_eq!(health.json()["health"], "BAD", "{}", health.text);
    assert!(health.status.is_server_error());
    // Not ready (take it out of the load balancer), but alive (do not restart it).
    let ready = app.get("/health/ready").await;
    assert_eq!(ready.status, 503, "{}", ready.text);
    assert_eq!(ready.json()["database"], "down", "{}", ready.text);
    assert_eq!(ready.json()["health"], "BAD", "{}", ready.text);
    let live = app.get("/health/live").await;
    assert_eq!(
        (live.status.as_u16(), live.text.as_str()),
        (200, r#"{"health":"GOOD"}"#)
    );

    common::pg::start_cluster();
    let mut healthy = false;
    for _ in 0..100 {
        if app.get("/health").await.status == 200 {
            healthy = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(healthy, "the service recovers by itself");
    let ready = app.get("/health/ready").await;
    assert_eq!(ready.status, 200, "ready again: {}", ready.text);
    // Nothing acknowledged before the outage was lost: the session, the token, the user.
    assert_eq!(app.get_as("/api/admin/user", &cookie).await.status, 200);
    let reset = app
        .post(
            "/auth/reset/password",
            json!({"token": token, "password": "Another-Passw0rd!"}),
        )
        .await;
    assert_eq!(reset.status, 200, "{}", reset.text);
    app.login("ada@example.com", "Another-Passw0rd!").await;
    app.login("admin", ADMIN_PASSWORD).await;
    assert_eq!(
        app.admin(Method::GET, "/api/admin/user-admin", None)
            .await
            .status,
        200
    );
}
