//! The database lost while the service runs (PostgreSQL stopped at once, as in a crash): every
//! answer is a quick JSON 503 with `Retry-After`, `/health` says BAD (`/health/ready` too, while
//! `/health/live` stays GOOD), and once the database is
//! back the service recovers by itself with nothing that was acknowledged lost. Its own test
//! binary, since it stops the shared cluster (its tests take turns with it).

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{TestApp, ADMIN_PASSWORD};
use reqwest::Method;
use serde_json::json;

const STRONG: &str = "Outage-Passw0rd!";

/// The shared cluster, stopped by one test at a time.
static CLUSTER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lost_database_answers_503_and_the_service_recovers_by_itself() {
    let _cluster = CLUSTER.lock().await;
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

/// Polls `done` every 20 ms until it holds; fails after 30 s, naming `what` it waited for.
async fn wait_for(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "waited 30 s for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// One request of the load: what it was, when it was sent, how long its answer took.
struct Sent {
    created: Option<String>,
    status: u16,
    json_error: bool,
    retry_after: bool,
    at: Instant,
    took: Duration,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_stopped_under_load_is_answered_503_at_once_and_nothing_acknowledged_is_lost() {
    let _cluster = CLUSTER.lock().await;
    let url = common::pg::fresh_database();
    let app = Arc::new(TestApp::spawn_with(&["--database-url", &url]).await);
    app.user_with_password("ada@example.com", STRONG).await;
    let token = app.reset_token("ada@example.com").await;

    // Eight clients, each creating users (a write acknowledged by 201) and validating the token
    // (a read), one request after the other, until told to stop.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    // What the clients have been answered so far: successes, and 503s sent after the outage's
    // first second (what the test waits on; the clients' own records are what it asserts on).
    let succeeded = Arc::new(AtomicUsize::new(0));
    let refused_in_outage = Arc::new(AtomicUsize::new(0));
    let outage_known = Arc::new(std::sync::OnceLock::<Instant>::new());
    let mut clients = Vec::new();
    for client in 0..8 {
        let (app, token, stopped) = (Arc::clone(&app), token.clone(), stopped.clone());
        let (succeeded, refused_in_outage, outage_known) = (
            Arc::clone(&succeeded),
            Arc::clone(&refused_in_outage),
            Arc::clone(&outage_known),
        );
        clients.push(tokio::spawn(async move {
            let mut sent = Vec::new();
            for i in 0.. {
                if *stopped.borrow() {
                    break;
                }
                let at = Instant::now();
                let (reply, created) = if i % 2 == 0 {
                    let email = format!("load-{client}-{i}@example.com");
                    let body = json!({"email": email, "rootRole": "Viewer", "sendEmail": false});
                    let reply = app
                        .admin(Method::POST, "/api/admin/user-admin", Some(body))
                        .await;
                    (reply, Some(email))
                } else {
                    (
                        app.get(&format!("/auth/reset/validate?token={token}"))
                            .await,
                        None,
                    )
                };
                let took = at.elapsed();
                let success = reply.status.is_success();
                if success {
                    succeeded.fetch_add(1, Ordering::SeqCst);
                } else if outage_known.get().is_some_and(|known| at > *known) {
                    refused_in_outage.fetch_add(1, Ordering::SeqCst);
                }
                sent.push(Sent {
                    created: created.filter(|_| success),
                    status: reply.status.as_u16(),
                    json_error: !success && reply.json()["name"] == "ServiceUnavailableError",
                    retry_after: reply.header("retry-after").is_some(),
                    at,
                    took,
                });
                if !success {
                    // The load's pacing, not a wait for anything: as a client told to retry
                    // later would, it sends its next request a little later.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
            sent
        }));
    }

    // The load is under way: 64 answers served (half of the requests create a user).
    wait_for("the load to be served", || {
        succeeded.load(Ordering::SeqCst) >= 64
    })
    .await;
    let stopped_at = Instant::now();
    outage_known
        .set(stopped_at + Duration::from_secs(1))
        .expect("set once");
    common::pg::stop_cluster();
    // The outage lasts five seconds of the real clock, it being what is under test: requests
    // keep coming while the pool's attempts to reconnect fail, again and again. It lasts at
    // least until the load has met it past its first second, as asserted below.
    tokio::time::sleep(Duration::from_secs(5)).await;
    wait_for("the load to meet the outage", || {
        refused_in_outage.load(Ordering::SeqCst) > 50
    })
    .await;
    let restarted_at = Instant::now();
    common::pg::start_cluster();
    let mut recovered = None;
    for _ in 0..100 {
        if app.get("/health").await.status == 200 {
            recovered = Some(Instant::now());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let recovered_at = recovered.expect("the service recovers by itself");
    // Served again: more successes than requests that were under way when it recovered (one a
    // client), so some were sent after it.
    let before = succeeded.load(Ordering::SeqCst);
    wait_for("the load to be served again", || {
        succeeded.load(Ordering::SeqCst) >= before + 8 * 3
    })
    .await;
    stop.send(true).expect("clients listen");
    let mut sent = Vec::new();
    for client in clients {
        sent.extend(client.await.expect("client"));
    }

    for s in &sent {
        assert!(
            s.status < 300 || (s.status == 503 && s.json_error && s.retry_after),
            "every answer is a success or a JSON 503 with Retry-After, not {}",
            s.status
        );
    }
    let during: Vec<&Sent> = sent
        .iter()
        .filter(|s| s.at > stopped_at + Duration::from_secs(1) && s.at + s.took < restarted_at)
        .collect();
    assert!(during.len() > 50, "the load went on during the outage");
    let mut took: Vec<Duration> = during.iter().map(|s| s.took).collect();
    took.sort();
    eprintln!(
        "{} answers during the outage after its first second: median {:?}, slowest {:?}; \
         {} in its first second; served again {:?} after pg_ctl start was run",
        during.len(),
        took[took.len() / 2],
        took[took.len() - 1],
        sent.iter()
            .filter(|s| s.at >= stopped_at && s.at <= stopped_at + Duration::from_secs(1))
            .count(),
        recovered_at.duration_since(restarted_at)
    );
    // Once the outage is known, no request waits for a connection attempt of its own.
    for s in &during {
        assert_eq!(s.status, 503, "answered during the outage");
        assert!(s.took < Duration::from_secs(1), "a 503 took {:?}", s.took);
    }
    let after: Vec<u16> = sent
        .iter()
        .filter(|s| s.at > recovered_at)
        .map(|s| s.status)
        .collect();
    assert!(
        !after.is_empty() && after.iter().all(|s| *s < 300),
        "served again once the database is back: {after:?}"
    );
    // Every user acknowledged was created, the outage's included.
    let users = app
        .admin(Method::GET, "/api/admin/user-admin", None)
        .await
        .json();
    let listed: std::collections::HashSet<&str> = users["users"]
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|u| u["email"].as_str())
        .collect();
    let acknowledged: Vec<&String> = sent.iter().filter_map(|s| s.created.as_ref()).collect();
    assert!(acknowledged.len() > 20, "users were created under load");
    for email in acknowledged {
        assert!(
            listed.contains(email.as_str()),
            "{email} was acknowledged, then lost"
        );
    }
}
