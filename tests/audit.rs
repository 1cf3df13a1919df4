//! The audit log (`GET /api/admin/events`) and the contract the service serves about itself.

mod common;

use common::*;
use reqwest::Method;
use serde_json::json;

const STRONG: &str = "simple123-_ASsad";
const STRONG2: &str = "DtUYwi&l5I1KX4@Le";
const STRONG3: &str = "Pässwörd12!xyz";

#[tokio::test]
async fn every_password_event_is_recorded_newest_first_without_secrets() {
    let app = TestApp::spawn().await;
    let id = app.user_with_password("ada@example.com", STRONG).await;
    app.post(
        "/auth/simple/login",
        json!({"username": "ada@example.com", "password": "Wrong-passw0rd"}),
    )
    .await;
    let cookie = app.login("ada@example.com", STRONG).await;
    app.post_as(
        "/api/admin/user/change-password",
        &cookie,
        json!({"password": STRONG2, "confirmPassword": STRONG2, "oldPassword": STRONG}),
    )
    .await;
    app.post(
        "/auth/reset/password-email",
        json!({"email": "ada@example.com"}),
    )
    .await;
    app.clock.advance(std::time::Duration::from_secs(61));
    let token = app.reset_token("ada@example.com").await;
    let reset = app
        .post(
            "/auth/reset/password",
            json!({"token": token, "password": STRONG3}),
        )
        .await;
    assert_eq!(reset.status, 200);
    app.admin(Method::DELETE, &format!("/api/admin/user-admin/{id}"), None)
        .await;

    let reply = app.admin(Method::GET, "/api/admin/events", None).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    for secret in [
        STRONG,
        STRONG2,
        STRONG3,
        "Wrong-passw0rd",
        token.as_str(),
        cookie.as_str(),
        ADMIN_TOKEN,
    ] {
        assert!(!reply.text.contains(secret), "a secret in the audit log");
    }
    let body = reply.json();
    let events = body["events"].as_array().expect("events");
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "user-deleted",
            "password-reset",
            "reset-link-created",
            "reset-requested",
            "password-changed",
            "login-succeeded",
            "login-failed",
            "password-set-by-admin",
            "user-created",
        ]
    );
    assert_eq!(body["total"], 9);
    let failed = &events[6];
    assert_eq!(failed["actor"], "ada@example.com");
    assert_eq!(failed["ip"], "127.0.0.1");
    assert!(failed["createdAt"].is_string());
    assert_eq!(events[8]["subject"], "ada@example.com");
    assert_eq!(events[1]["subject"], "ada@example.com");
    // The events Unleash also writes for these calls, as Unleash writes them: an admin token acts
    // by its name (`admin` for one given at start-up) as Unleash's admin token user (-42);
    // `user-created` has the new user in `data`, `user-deleted` the user as it was in `preData`.
    let unleash_user = json!({"id": id, "email": "ada@example.com", "rootRole": 2});
    for (event, data, pre_data) in [
        (&events[8], unleash_user.clone(), json!(null)),
        (&events[0], json!(null), unleash_user.clone()),
    ] {
        assert_eq!(event["actor"], "admin", "{event}");
        assert_eq!(event["createdByUserId"], -42, "{event}");
        assert_eq!(event["data"], data, "{event}");
        assert_eq!(event["preData"], pre_data, "{event}");
    }
    // The password change was the user's own: its e-mail (Unleash's `extractUsername`) and id.
    assert_eq!(events[4]["actor"], "ada@example.com");
    assert_eq!(events[4]["createdByUserId"], id);
    assert_eq!(events[4]["data"], json!(null));

    // Pages.
    let page = app
        .admin(Method::GET, "/api/admin/events?limit=2&offset=1", None)
        .await
        .json();
    let kinds: Vec<&str> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["password-reset", "reset-link-created"]);
    assert_eq!(page["total"], 9);
}

#[tokio::test]
async fn the_event_query_is_validated_and_admin_only() {
    let app = TestApp::spawn().await;
    for query in ["limit=0", "limit=501", "limit=abc", "offset=-1"] {
        let body = app
            .admin(Method::GET, &format!("/api/admin/events?{query}"), None)
            .await
            .assert_error(400, "BadDataError");
        let path = body["details"][0]["path"].as_str().unwrap().to_string();
        assert!(path.starts_with("/query/"), "{query}: {path}");
    }
    app.user_with_password("ada@example.com", STRONG).await;
    let cookie = app.login("ada@example.com", STRONG).await;
    app.get_as("/api/admin/events", &cookie)
        .await
        .assert_error(403, "PermissionError");
    app.get("/api/admin/events")
        .await
        .assert_error(401, "AuthenticationRequired");
}

#[tokio::test]
async fn the_service_serves_the_contract_it_was_built_from() {
    let app = TestApp::spawn().await;
    let reply = app.get("/docs/openapi.yaml").await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("application/yaml")
    );
    assert_eq!(reply.text, include_str!("../openapi.yaml"));
}

#[tokio::test]
async fn metrics_count_requests_by_operation_and_status() {
    let app = TestApp::spawn_with(&["--simple-login-limit-per-minute", "1"]).await;
    app.get("/health").await;
    app.get("/health").await;
    app.get("/auth/reset/validate?token=secret-looking-token")
        .await;
    app.get("/no/such/path").await;
    app.post(
        "/auth/simple/login",
        json!({"username": "admin", "password": "x"}),
    )
    .await;
    app.post(
        "/auth/simple/login",
        json!({"username": "admin", "password": "x"}),
    )
    .await
    .assert_error(429, "RateLimitError");
    let reply = app
        .admin(Method::GET, "/internal-backstage/prometheus", None)
        .await;
    assert_eq!(reply.status, 200);
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("text/plain"));
    let text = reply.text;
    for line in [
        r#"http_requests_total{operation="getHealth",status="200"} 2"#,
        r#"http_requests_total{operation="validateToken",status="401"} 1"#,
        r#"http_requests_total{operation="none",status="404"} 1"#,
        r#"http_requests_total{operation="login",status="401"} 1"#,
        r#"http_requests_total{operation="login",status="429"} 1"#,
        r#"unlatch_rate_limit_rejections_total{reason="rate_limited"} 1"#,
        "unlatch_hash_queue_depth 0",
        "unlatch_outbox_pending 0",
        "unlatch_outbox_dead 0",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in:\n{text}"
        );
    }
    assert!(
        text.contains(r#"http_request_duration_seconds_bucket{operation="getHealth",le="0.005"}"#)
    );
    assert!(
        !text.contains("secret-looking-token"),
        "no query strings in labels"
    );
    assert!(!text.contains("/no/such/path"), "no paths in labels");
}

#[tokio::test]
async fn a_name_that_matches_no_account_is_counted_never_stored() {
    let app = TestApp::spawn().await;
    app.user_with_password("ada@example.com", STRONG).await;
    // A password typed into the name field, then the right password for a wrong name.
    for name in [STRONG2, STRONG2, "ghost@example.com"] {
        app.post(
            "/auth/simple/login",
            json!({"username": name, "password": STRONG}),
        )
        .await
        .assert_error(401, "PasswordMismatch");
    }
    app.post(
        "/auth/simple/login",
        json!({"username": "ada@example.com", "password": "Wrong-passw0rd"}),
    )
    .await
    .assert_error(401, "PasswordMismatch");

    let page = app
        .admin(Method::GET, "/api/admin/events?limit=500", None)
        .await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(!page.text.contains(STRONG2), "{}", page.text);
    assert!(!page.text.contains("ghost"), "{}", page.text);
    assert!(!app.database_text().contains(STRONG2));
    let events = page.json()["events"].as_array().expect("events").clone();
    let counted: Vec<_> = events
        .iter()
        .filter(|e| e["type"] == "login-failed-unknown-name")
        .collect();
    assert_eq!(counted.len(), 1, "one event a minute: {events:?}");
    assert_eq!(counted[0]["count"], 3);
    assert_eq!(counted[0]["actor"], "anonymous");
    assert_eq!(counted[0]["subject"], serde_json::Value::Null);
    assert_eq!(counted[0]["ip"], serde_json::Value::Null);
    // A failure against a real account keeps its own row, as typed.
    let real: Vec<_> = events
        .iter()
        .filter(|e| e["type"] == "login-failed")
        .collect();
    assert_eq!(real.len(), 1, "{events:?}");
    assert_eq!(real[0]["subject"], "ada@example.com");
    assert_eq!(real[0]["count"], 1);

    // The next minute is another event.
    app.clock.advance(std::time::Duration::from_secs(60));
    app.post(
        "/auth/simple/login",
        json!({"username": "ghost@example.com", "password": STRONG}),
    )
    .await;
    let page = app
        .admin(Method::GET, "/api/admin/events?limit=500", None)
        .await
        .json();
    let counts: Vec<_> = page["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["type"] == "login-failed-unknown-name")
        .map(|e| e["count"].clone())
        .collect();
    assert_eq!(counts, [json!(1), json!(3)]);
    // Newest first, by id and by time alike: a counted event stands at its minute's first.
    let times: Vec<_> = page["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["createdAt"].as_str().expect("a time").to_string())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted);
}

#[tokio::test]
async fn twenty_thousand_failed_log_ins_for_random_names_grow_the_database_by_under_a_megabyte() {
    use futures::StreamExt as _;
    // The default SQLite database, on both passes of the suite: the figure is about its file.
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("unlatch.db");
    let url = format!("sqlite://{}", db.display());
    let flags = [
        "--database-url",
        &url,
        "--simple-login-limit-per-minute",
        "10",
        "--trusted-proxies",
        "127.0.0.1",
    ];
    let size = || {
        ["", "-wal"]
            .iter()
            .map(|suffix| {
                std::fs::metadata(format!("{}{suffix}", db.display())).map_or(0, |m| m.len())
            })
            .sum::<u64>()
    };
    let mut first = TestApp::spawn_with(&flags).await;
    first.stop().await;
    drop(first);
    let before = size();
    // The same database file (the flag names it), in a new service.
    let app = TestApp::spawn_with(&flags).await;
    let statuses: Vec<u16> = futures::stream::iter(0..20_000u32)
        .map(|i| {
            let app = &app;
            async move {
                // From as many addresses as names: no per-IP limit ever applies.
                let address = std::net::Ipv4Addr::from(0x0a00_0000 + i).to_string();
                app.send(
                    Method::POST,
                    "/auth/simple/login",
                    Some("application/json"),
                    Some(
                        json!({"username": format!("nobody-{i:05}@example.com"), "password": STRONG})
                            .to_string()
                            .into_bytes(),
                    ),
                    &[("x-forwarded-for", &address)],
                )
                .await
                .status
                .as_u16()
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 429),
        "{:?}",
        statuses.iter().find(|s| **s != 401 && **s != 429)
    );
    let mut app = app;
    app.stop().await;
    // As when the process ends: every connection to the file closed.
    drop(app);
    let grown = size().saturating_sub(before);
    let wal = std::fs::metadata(format!("{}-wal", db.display())).map_or(0, |m| m.len());
    assert!(
        grown < 1024 * 1024,
        "the database grew by {grown} bytes (from {before}; its log is {wal} bytes)"
    );
}
