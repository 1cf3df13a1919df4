//! Abuse and overload: per-IP rate limits with their headers, trusted proxies, load shedding of
//! the bcrypt pool, response hygiene and graceful shutdown.

mod common;

use common::*;
use reqwest::Method;
use serde_json::json;

const RATE_LIMIT_MESSAGE: &str = "Too many requests, please try again later.";

fn limit_headers(reply: &Reply) -> (String, String, String, String) {
    (
        reply.header("ratelimit-policy").expect("RateLimit-Policy"),
        reply.header("ratelimit-limit").expect("RateLimit-Limit"),
        reply
            .header("ratelimit-remaining")
            .expect("RateLimit-Remaining"),
        reply.header("ratelimit-reset").expect("RateLimit-Reset"),
    )
}

#[tokio::test]
async fn login_attempts_are_limited_per_ip_with_headers_and_a_json_429() {
    let app = TestApp::spawn_with(&["--simple-login-limit-per-minute", "3"]).await;
    let attempt = json!({"username": "admin", "password": "Wrong-passw0rd"});
    for remaining in ["2", "1", "0"] {
        let reply = app.post("/auth/simple/login", attempt.clone()).await;
        reply.assert_error(401, "PasswordMismatch");
        let (policy, limit, left, _) = limit_headers(&reply);
        assert_eq!(
            (policy.as_str(), limit.as_str(), left.as_str()),
            ("3;w=60", "3", remaining)
        );
    }
    // Even the right password is refused now, and so is a malformed request: the limit comes first.
    let reply = app
        .post(
            "/auth/simple/login",
            json!({"username": "admin", "password": ADMIN_PASSWORD}),
        )
        .await;
    let body = reply.assert_error(429, "RateLimitError");
    assert_eq!(body["message"], RATE_LIMIT_MESSAGE);
    let retry: u64 = reply
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(limit_headers(&reply).2, "0");
    let reply = app
        .send(
            Method::POST,
            "/auth/simple/login",
            Some("text/plain"),
            Some(b"x".to_vec()),
            &[],
        )
        .await;
    reply.assert_error(429, "RateLimitError");
    // Other routes are not limited by it.
    assert_eq!(app.get("/health").await.status, 200);
    assert!(app.get("/health").await.header("ratelimit-limit").is_none());
}

#[tokio::test]
async fn reset_emails_are_limited_after_validation() {
    let app = TestApp::spawn_with(&["--password-reset-limit-per-minute", "1"]).await;
    // A malformed request is answered, and not counted.
    app.post("/auth/reset/password-email", json!({"mail": "x"}))
        .await
        .assert_error(400, "BadDataError");
    let first = app
        .post(
            "/auth/reset/password-email",
            json!({"email": "ghost@example.com"}),
        )
        .await;
    assert_eq!(first.status, 200);
    assert_eq!(limit_headers(&first).0, "1;w=60");
    assert_eq!(limit_headers(&first).2, "0");
    let second = app
        .post(
            "/auth/reset/password-email",
            json!({"email": "other@example.com"}),
        )
        .await;
    second.assert_error(429, "RateLimitError");
    assert!(second.header("retry-after").is_some());
}

#[tokio::test]
async fn user_creation_is_limited() {
    let app = TestApp::spawn_with(&["--create-user-rate-limit-per-minute", "2"]).await;
    for n in 0..2 {
        let reply = app
            .admin(
                Method::POST,
                "/api/admin/user-admin",
                Some(json!({"username": format!("u{n}"), "rootRole": 3})),
            )
            .await;
        assert_eq!(reply.status, 201);
        assert_eq!(limit_headers(&reply).1, "2");
    }
    app.admin(
        Method::POST,
        "/api/admin/user-admin",
        Some(json!({"username": "u3", "rootRole": 3})),
    )
    .await
    .assert_error(429, "RateLimitError");
}

async fn login_from(app: &TestApp, forwarded_for: &str) -> u16 {
    app.send(
        Method::POST,
        "/auth/simple/login",
        Some("application/json"),
        Some(
            json!({"username": "admin", "password": "x"})
                .to_string()
                .into_bytes(),
        ),
        &[("x-forwarded-for", forwarded_for)],
    )
    .await
    .status
    .as_u16()
}

#[tokio::test]
async fn forwarded_for_counts_only_behind_a_trusted_proxy() {
    let trusting = TestApp::spawn_with(&[
        "--simple-login-limit-per-minute",
        "1",
        "--trusted-proxies",
        "127.0.0.0/8,::1",
    ])
    .await;
    assert_eq!(login_from(&trusting, "203.0.113.1").await, 401);
    assert_eq!(login_from(&trusting, "203.0.113.1").await, 429);
    assert_eq!(
        login_from(&trusting, "203.0.113.2").await,
        401,
        "another client"
    );

    let untrusting = TestApp::spawn_with(&["--simple-login-limit-per-minute", "1"]).await;
    assert_eq!(login_from(&untrusting, "203.0.113.1").await, 401);
    assert_eq!(
        login_from(&untrusting, "203.0.113.2").await,
        429,
        "a forged header does not buy a new quota"
    );
}
