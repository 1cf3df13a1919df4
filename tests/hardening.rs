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

#[tokio::test]
async fn ipv6_clients_are_counted_by_their_64() {
    let app = TestApp::spawn_with(&[
        "--simple-login-limit-per-minute",
        "10",
        "--trusted-proxies",
        "127.0.0.0/8,::1",
        // The per-account budget has its own tests.
        "--account-failure-limit",
        "0",
    ])
    .await;
    let mut statuses = Vec::new();
    for i in 1..=30 {
        statuses.push(login_from(&app, &format!("2001:db8:aa:bb:{i:x}::{i:x}")).await);
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        10,
        "ten attempts from one /64, whatever its addresses: {statuses:?}"
    );
    assert!(statuses[10..].iter().all(|s| *s == 429), "{statuses:?}");
    assert_eq!(
        login_from(&app, "2001:db8:aa:bc::1").await,
        401,
        "the next /64 is another client"
    );

    let narrower = TestApp::spawn_with(&[
        "--simple-login-limit-per-minute",
        "1",
        "--trusted-proxies",
        "127.0.0.0/8,::1",
        "--rate-limit-ipv6-prefix",
        "128",
    ])
    .await;
    assert_eq!(login_from(&narrower, "2001:db8::1").await, 401);
    assert_eq!(
        login_from(&narrower, "2001:db8::2").await,
        401,
        "with a /128 prefix each address is a client"
    );
}

#[tokio::test]
async fn failed_logins_are_throttled_per_account_alike_for_real_and_unknown_accounts() {
    let app = TestApp::spawn_with(&["--account-failure-limit", "2"]).await;
    app.user_with_password("ada@example.com", "simple123-_ASsad")
        .await;
    let mut answers = Vec::new();
    for name in ["ada@example.com", "ghost@example.com"] {
        let mut seen = Vec::new();
        for password in ["Wrong-passw0rd-1", "Wrong-passw0rd-2", "simple123-_ASsad"] {
            let reply = app
                .post(
                    "/auth/simple/login",
                    json!({"username": name, "password": password}),
                )
                .await;
            let body = reply.json();
            seen.push((
                reply.status.as_u16(),
                body["name"].clone(),
                body["message"].clone(),
            ));
            if reply.status == 429 {
                assert!(reply.header("retry-after").is_some());
            }
        }
        answers.push(seen);
    }
    assert_eq!(
        answers[0], answers[1],
        "the same answers for a real and an unknown account"
    );
    assert_eq!(
        answers[0][2].0, 429,
        "the right password is refused once throttled"
    );
    assert_eq!(answers[0][2].1, "RateLimitError");
    assert_eq!(
        answers[0][2].2,
        "Too many failed attempts for this account. Please try again later."
    );
    // The name is the key, whatever its case; other accounts are untouched.
    app.post(
        "/auth/simple/login",
        json!({"username": "ADA@example.com", "password": "x"}),
    )
    .await
    .assert_error(429, "RateLimitError");
    app.login("admin", ADMIN_PASSWORD).await;
}

#[tokio::test]
async fn failed_old_password_checks_are_throttled() {
    let app = TestApp::spawn_with(&["--account-failure-limit", "2"]).await;
    app.user_with_password("ada@example.com", "simple123-_ASsad")
        .await;
    let cookie = app.login("ada@example.com", "simple123-_ASsad").await;
    let change = |old: &str| json!({"password": "DtUYwi&l5I1KX4@Le", "confirmPassword": "DtUYwi&l5I1KX4@Le", "oldPassword": old});
    for _ in 0..2 {
        app.post_as(
            "/api/admin/user/change-password",
            &cookie,
            change("Wrong-passw0rd"),
        )
        .await
        .assert_error(401, "PasswordMismatch");
    }
    app.post_as(
        "/api/admin/user/change-password",
        &cookie,
        change("simple123-_ASsad"),
    )
    .await
    .assert_error(429, "RateLimitError");
}

#[tokio::test]
async fn a_full_hash_queue_sheds_load_with_503_while_cheap_calls_answer() {
    let app = TestApp::spawn_with(&[
        "--bcrypt-cost",
        "12",
        "--hash-threads",
        "1",
        "--hash-queue",
        "1",
        "--default-admin-password",
        ADMIN_PASSWORD,
    ])
    .await;
    let logins = (0..8).map(|_| {
        app.post(
            "/auth/simple/login",
            json!({"username": "admin", "password": "Wrong-passw0rd"}),
        )
    });
    let cheap = async {
        // While the logins flood the pool (a hash running, one waiting), the cheap calls still
        // answer.
        app.wait_for_metric("unlatch_hash_queue_depth", 2.0).await;
        let health = app.get("/health").await;
        let policy = app
            .post(
                "/auth/reset/validate-password",
                json!({"password": "hunter2"}),
            )
            .await;
        let token = app.get("/auth/reset/validate?token=nonsense").await;
        (
            health.status.as_u16(),
            policy.status.as_u16(),
            token.status.as_u16(),
        )
    };
    let (replies, cheap) = tokio::join!(futures::future::join_all(logins), cheap);
    assert_eq!(cheap, (200, 400, 401));
    let shed: Vec<_> = replies.iter().filter(|r| r.status == 503).collect();
    let served = replies.iter().filter(|r| r.status == 401).count();
    assert!(!shed.is_empty(), "some logins are shed");
    assert!(served >= 2, "the pool and its queue were used: {served}");
    assert_eq!(shed.len() + served, 8);
    for reply in shed {
        reply.assert_error(503, "ServiceUnavailableError");
        assert_eq!(reply.header("retry-after").as_deref(), Some("1"));
    }
}

#[tokio::test]
async fn a_slow_body_gets_408_and_slow_headers_are_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn_with(&[
        "--http-body-timeout-ms",
        "300",
        "--http-header-timeout-ms",
        "300",
    ])
    .await;

    let mut slow_body = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    slow_body
        .write_all(b"POST /auth/reset/validate-password HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"pass")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        let mut buf = [0u8; 4096];
        loop {
            let n = slow_body.read(&mut buf).await.unwrap_or(0);
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buf[..n]);
            if String::from_utf8_lossy(&answer).contains("RequestTimeoutError") {
                break;
            }
        }
    })
    .await;
    assert!(read.is_ok(), "answered in time");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("application/json"), "{text}");

    let mut slow_headers = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    slow_headers
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 1024];
    let closed = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        slow_headers.read(&mut buf),
    )
    .await;
    match closed {
        Ok(Ok(n)) => {
            let text = String::from_utf8_lossy(&buf[..n]);
            assert!(
                n == 0 || text.contains("408"),
                "the connection is closed: {text}"
            );
        }
        Ok(Err(_)) => {}
        Err(_) => panic!("a client that never finishes its headers keeps its connection"),
    }
}

#[tokio::test]
async fn shutdown_finishes_the_request_in_flight() {
    let mut app = TestApp::spawn_with(&["--bcrypt-cost", "12"]).await;
    let login = app.post(
        "/auth/simple/login",
        json!({"username": "admin", "password": ADMIN_PASSWORD}),
    );
    let shutdown = async {
        // Once the login is under way: its password is being hashed.
        app.wait_for_metric("unlatch_hash_queue_depth", 1.0).await;
        app.trigger_shutdown();
    };
    let (reply, ()) = tokio::join!(login, shutdown);
    assert_eq!(
        reply.status, 200,
        "the login under way completes: {}",
        reply.text
    );
    assert!(reply.session_cookie().is_some());
    // And, once it has stopped, the service is gone for new connections.
    tokio::time::timeout(std::time::Duration::from_secs(10), app.stop())
        .await
        .expect("the service stops");
    assert!(tokio::net::TcpStream::connect(app.addr).await.is_err());
}

#[tokio::test]
async fn auth_answers_carry_the_hygiene_headers() {
    let app = TestApp::spawn().await;
    for reply in [
        app.post(
            "/auth/simple/login",
            json!({"username": "admin", "password": ADMIN_PASSWORD}),
        )
        .await,
        app.get("/auth/reset/validate?token=x").await,
        app.get("/api/admin/user").await,
    ] {
        assert_eq!(reply.header("cache-control").as_deref(), Some("no-store"));
        assert_eq!(
            reply.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );
        assert_eq!(
            reply.header("referrer-policy").as_deref(),
            Some("no-referrer")
        );
    }
}

/// The median time of `runs` log-ins with these credentials (each refused).
async fn median_refusal(app: &TestApp, username: &str, runs: usize) -> std::time::Duration {
    let mut times = Vec::new();
    for _ in 0..runs {
        let started = std::time::Instant::now();
        let reply = app
            .post(
                "/auth/simple/login",
                json!({"username": username, "password": "Wrong-passw0rd!"}),
            )
            .await;
        times.push(started.elapsed());
        reply.assert_error(401, "PasswordMismatch");
    }
    times.sort();
    times[runs / 2]
}

#[tokio::test]
async fn unknown_names_cost_what_known_ones_do_when_bcrypt_cost_differs_from_the_stored_hashes() {
    // Hashes written at cost 10 (as Unleash writes all of its), then BCRYPT_COST raised to 12: a
    // dummy at the setting's cost would make an unknown name 4 times slower. (At cost 10 a check
    // takes tens of ms, well above the noise of a request.)
    let app = TestApp::spawn_with(&["--bcrypt-cost", "10"]).await;
    app.user_with_password("ada@example.com", "simple123-_ASsad")
        .await;
    let app = app.restart(&["--bcrypt-cost", "12"]).await;
    // The first check of each kind pays for its dummy or cache; not what is compared.
    median_refusal(&app, "ghost@example.com", 1).await;
    let known = median_refusal(&app, "ada@example.com", 7).await;
    let unknown = median_refusal(&app, "ghost@example.com", 7).await;
    let ratio = unknown.as_secs_f64() / known.as_secs_f64();
    assert!(
        (0.5..2.0).contains(&ratio),
        "an unknown name took {unknown:?}, a wrong password for a known one {known:?}"
    );
}

#[tokio::test]
async fn every_string_is_bounded_and_the_refusal_never_echoes_it() {
    let app = TestApp::spawn().await;
    let long_name = "n".repeat(100_000 / 2);
    let reply = app
        .post(
            "/auth/simple/login",
            json!({"username": long_name, "password": "x"}),
        )
        .await;
    let body = reply.assert_error(400, "BadDataError");
    assert_eq!(body["details"][0]["path"], "/body/username");
    assert_eq!(
        body["details"][0]["message"],
        "The `/body/username` property must be at most 255 characters long. You sent 50000."
    );
    assert!(reply.text.len() < 1000, "{}", reply.text.len());
    // A password is never repeated back either.
    let password = format!("Secret-{}", "p".repeat(300));
    let reply = app
        .post(
            "/auth/reset/validate-password",
            json!({ "password": password }),
        )
        .await;
    reply.assert_error(400, "BadDataError");
    assert!(!reply.text.contains("Secret-"), "{}", reply.text);
    for (path, body) in [
        (
            "/api/admin/user-admin",
            json!({"name": "x".repeat(256), "rootRole": 3}),
        ),
        (
            "/api/admin/user-admin",
            json!({"email": format!("{}@example.com", "a".repeat(250)), "rootRole": 3}),
        ),
        (
            "/api/admin/user-admin/reset-password",
            json!({"id": "a".repeat(256)}),
        ),
    ] {
        app.admin(Method::POST, path, Some(body))
            .await
            .assert_error(400, "BadDataError");
    }
    app.get(&format!("/auth/reset/validate?token={}", "t".repeat(129)))
        .await
        .assert_error(400, "BadDataError");
    // At the bound, the call goes through.
    let created = app
        .admin(
            Method::POST,
            "/api/admin/user-admin",
            Some(json!({"name": "x".repeat(255), "username": "bounded", "rootRole": 3})),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
}

/// A log-in with this cookie header (or none): its status and the device proof it set, if any.
async fn login_with(
    app: &TestApp,
    name: &str,
    password: &str,
    cookie: Option<&str>,
) -> (u16, Option<String>) {
    // As a browser sends it: only browsers are given a device proof.
    let mut headers = vec![("sec-fetch-site", "same-origin")];
    headers.extend(cookie.map(|c| ("cookie", c)));
    let reply = app
        .send(
            Method::POST,
            "/auth/simple/login",
            Some("application/json"),
            Some(
                json!({"username": name, "password": password})
                    .to_string()
                    .into_bytes(),
            ),
            &headers,
        )
        .await;
    let device = reply
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("unlatch-device="))
        .map(|v| {
            assert!(v.contains("HttpOnly"), "{v}");
            assert!(v.contains("SameSite=Strict"), "{v}");
            v.split(';').next().unwrap_or_default().to_string()
        });
    (reply.status.as_u16(), device)
}

#[tokio::test]
async fn an_attacker_who_spends_the_account_s_budget_does_not_lock_its_owner_out() {
    let app = TestApp::spawn_with(&["--account-failure-limit", "3"]).await;
    app.user_with_password("ada@example.com", "simple123-_ASsad")
        .await;
    app.user_with_password("eve@example.com", "DtUYwi&l5I1KX4@Le")
        .await;
    // The owner logged in from this browser before; the attacker has an account of her own.
    let (status, owner) = login_with(&app, "ada@example.com", "simple123-_ASsad", None).await;
    assert_eq!(status, 200);
    let owner = owner.expect("a device proof is set at a successful log-in");
    // A client that is no browser (an SDK, a script) gets the one Set-Cookie the spec documents.
    let script = app
        .post(
            "/auth/simple/login",
            json!({"username": "ada@example.com", "password": "simple123-_ASsad"}),
        )
        .await;
    assert_eq!(script.status, 200);
    assert_eq!(script.headers.get_all("set-cookie").iter().count(), 1);
    assert!(script.session_cookie().is_some());
    let (_, eve) = login_with(&app, "eve@example.com", "DtUYwi&l5I1KX4@Le", None).await;
    let eve = eve.expect("a device proof");

    // The attacker spends Ada's budget.
    for _ in 0..3 {
        let (status, _) = login_with(&app, "ada@example.com", "Wrong-passw0rd!", None).await;
        assert_eq!(status, 401);
    }
    // Untrusted clients now meet the account's limit, the right password included: no cookie,
    // a forged one, or a real proof of another account's device.
    let forged = format!("unlatch-device={}", "A".repeat(66));
    for cookie in [None, Some(forged.as_str()), Some(eve.as_str())] {
        let (status, device) =
            login_with(&app, "ada@example.com", "simple123-_ASsad", cookie).await;
        assert_eq!(status, 429, "{cookie:?}");
        assert!(device.is_none());
    }
    // The owner's browser logs in, and gets a fresh proof.
    let (status, renewed) =
        login_with(&app, "ada@example.com", "simple123-_ASsad", Some(&owner)).await;
    assert_eq!(status, 200);
    let renewed = renewed.expect("a fresh proof");
    assert_ne!(renewed, owner);

    // A stolen proof meets a budget of its own: the device's.
    for _ in 0..3 {
        let (status, _) =
            login_with(&app, "ada@example.com", "Wrong-passw0rd!", Some(&renewed)).await;
        assert_eq!(status, 401);
    }
    let (status, _) = login_with(&app, "ada@example.com", "simple123-_ASsad", Some(&renewed)).await;
    assert_eq!(status, 429, "the device's own budget is spent");
    // Another device the owner logged in from before is still trusted.
    let (status, _) = login_with(&app, "ada@example.com", "simple123-_ASsad", Some(&owner)).await;
    assert_eq!(status, 200);
}
