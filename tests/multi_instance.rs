//! Three real `unlatch` processes on one PostgreSQL database behave as one service: token
//! redemption is atomic across them, sessions and their ends are shared, the throttles draw on one
//! budget, and the outbox delivers each mail once, through a relay outage, and with concurrent
//! calls, 429 bursts and an instance killed with SIGKILL while it had calls in flight.

mod common;

use std::collections::HashMap;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use common::child::Running;

const BIN: &str = env!("CARGO_BIN_EXE_unlatch");
const ADMIN_TOKEN: &str = "*:*.multi-instance-secret";
const STRONG: &str = "Multi-Inst4nce!";
const STRONG2: &str = "Multi-Inst4nce!2";

struct Instance {
    /// Killed (and reaped) when the instance is dropped.
    child: Running,
    base: String,
    /// The management listener (metrics without credentials).
    management: String,
}

impl Instance {
    fn kill_9(mut self) {
        // Child::kill sends SIGKILL: no graceful shutdown, no chance to finish anything.
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }
}

/// Starts one instance on `database`, with the relay at `relay` (if any) and extra settings.
fn start(database: &str, relay: Option<&str>, extra: &[(&str, &str)]) -> Instance {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("DATABASE_URL", database)
        .env("HTTP_PORT", "0")
        .env("MANAGEMENT_HTTP_PORT", "0")
        .env("BCRYPT_COST", "4")
        .env("LOG_LEVEL", "info")
        .env("UNLEASH_DEFAULT_ADMIN_PASSWORD", "Adm1n-Passw0rd!")
        .env("INIT_ADMIN_API_TOKENS", ADMIN_TOKEN)
        .env("SIMPLE_LOGIN_LIMIT_PER_MINUTE", "0")
        .env("PASSWORD_RESET_LIMIT_PER_MINUTE", "0")
        .env("CREATE_USER_RATE_LIMIT_PER_MINUTE", "0")
        .env("MAIL_RETRY_BASE_MS", "200")
        .env("MAIL_RETRY_MAX_MS", "400");
    if let Some(relay) = relay {
        cmd.env("MAIL_PROVIDER", "json")
            .env("MAIL_RELAY_URL", relay)
            .env("MAIL_RELAY_TOKEN", "relay-key");
    }
    for (k, v) in extra {
        cmd.env(k, v);
    }
    cmd.arg("serve");
    let served = common::child::serve(
        cmd,
        Some("no credentials) is listening"),
        Duration::from_secs(30),
    );
    let management = served
        .lines
        .iter()
        .find(|l| l.contains("no credentials) is listening"))
        .and_then(|l| l.split("address=").nth(1))
        .map(|a| format!("http://{}", a.trim()))
        .unwrap_or_else(|| panic!("no management address; saw {:#?}", served.lines));
    Instance {
        child: served.child,
        base: format!("http://{}", served.address),
        management,
    }
}

/// The instance's `unlatch_mail_in_flight`: relay calls it has under way.
async fn mail_in_flight(instance: &Instance) -> f64 {
    common::metric_at(&client(), &instance.management, "unlatch_mail_in_flight").await
}

/// Three instances started at once (their migrations and first admin race on purpose).
fn three(database: &str, relay: Option<&str>, extra: &[(&str, &str)]) -> Vec<Instance> {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..3)
            .map(|_| s.spawn(|| start(database, relay, extra)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("instance"))
            .collect()
    })
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn post(base: &str, path: &str, body: Value, cookie: Option<&str>) -> (StatusCode, String) {
    let mut request = client().post(format!("{base}{path}")).json(&body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", format!("unleash-session={cookie}"));
    }
    let response = request.send().await.expect("sent");
    (response.status(), response.text().await.expect("body"))
}

async fn admin(base: &str, path: &str, body: Value) -> Value {
    let response = client()
        .post(format!("{base}{path}"))
        .header("authorization", ADMIN_TOKEN)
        .json(&body)
        .send()
        .await
        .expect("sent");
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    let text = response.text().await.expect("body");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).expect("json")
    }
}

async fn me(base: &str, cookie: &str) -> StatusCode {
    client()
        .get(format!("{base}/api/admin/user"))
        .header("cookie", format!("unleash-session={cookie}"))
        .send()
        .await
        .expect("sent")
        .status()
}

async fn login(base: &str, user: &str, password: &str) -> String {
    let response = client()
        .post(format!("{base}/auth/simple/login"))
        .json(&json!({"username": user, "password": password}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200, "login on {base}");
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .find_map(|v| {
            v.to_str()
                .ok()?
                .split(';')
                .next()?
                .strip_prefix("unleash-session=")
                .map(str::to_string)
        })
        .expect("cookie")
}

/// A user with a password, created through one instance.
async fn user(base: &str, email: &str) {
    let created = admin(
        base,
        "/api/admin/user-admin",
        json!({"email": email, "rootRole": "Editor", "sendEmail": false}),
    )
    .await;
    let id = created["id"].as_i64().expect("id");
    admin(
        base,
        &format!("/api/admin/user-admin/{id}/change-password"),
        json!({"password": STRONG}),
    )
    .await;
}

async fn reset_token(base: &str, email: &str) -> String {
    let link = admin(
        base,
        "/api/admin/user-admin/reset-password",
        json!({"id": email}),
    )
    .await["resetPasswordUrl"]
        .as_str()
        .expect("url")
        .to_string();
    common::token_of(&link)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_instances_behave_as_one_service() {
    let database = common::pg::fresh_database();
    let nodes = three(&database, None, &[("ACCOUNT_FAILURE_LIMIT", "10")]);
    let bases: Vec<&str> = nodes.iter().map(|n| n.base.as_str()).collect();

    // A token redeemed from 24 requests spread over the three: exactly one succeeds.
    user(bases[0], "ada@example.com").await;
    let token = reset_token(bases[1], "ada@example.com").await;
    let attempts = (0..24).map(|i| {
        let base = bases[i % 3].to_string();
        let token = token.clone();
        tokio::spawn(async move {
            post(
                &base,
                "/auth/reset/password",
                json!({"token": token, "password": STRONG2}),
                None,
            )
            .await
            .0
        })
    });
    let statuses: Vec<StatusCode> = futures::future::join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.expect("task"))
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 401),
        "{statuses:?}"
    );

    // A session made on one instance is valid on all; a log-out on another ends it everywhere.
    let cookie = login(bases[0], "ada@example.com", STRONG2).await;
    for base in &bases {
        assert_eq!(me(base, &cookie).await, 200, "session on {base}");
    }
    let (status, _) = post(bases[1], "/logout", json!({}), Some(&cookie)).await;
    assert!(status.is_success() || status.is_redirection(), "{status}");
    for base in &bases {
        assert_eq!(me(base, &cookie).await, 401, "logged out on {base}");
    }

    // A reset through one instance ends the sessions made on the others. (Another user: a
    // second link for Ada within the minute is refused by the per-user throttle.)
    user(bases[2], "cy@example.com").await;
    let on_a = login(bases[0], "cy@example.com", STRONG).await;
    let on_c = login(bases[2], "cy@example.com", STRONG).await;
    let token = reset_token(bases[2], "cy@example.com").await;
    let (status, body) = post(
        bases[1],
        "/auth/reset/password",
        json!({"token": token, "password": "Third-Passw0rd!"}),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    for base in &bases {
        assert_eq!(me(base, &on_a).await, 401);
        assert_eq!(me(base, &on_c).await, 401);
    }

    // A self-service change keeps only the caller's session, on every instance.
    let keep = login(bases[0], "cy@example.com", "Third-Passw0rd!").await;
    let other = login(bases[1], "cy@example.com", "Third-Passw0rd!").await;
    let (status, body) = post(
        bases[2],
        "/api/admin/user/change-password",
        json!({"password": "Fourth-Passw0rd!", "confirmPassword": "Fourth-Passw0rd!",
               "oldPassword": "Third-Passw0rd!"}),
        Some(&keep),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    for base in &bases {
        assert_eq!(me(base, &keep).await, 200);
        assert_eq!(me(base, &other).await, 401);
    }

    // The per-user reset throttle is one budget: a second link within the minute, from another
    // instance, is refused.
    user(bases[0], "bob@example.com").await;
    reset_token(bases[0], "bob@example.com").await;
    let response = client()
        .post(format!("{}/api/admin/user-admin/reset-password", bases[1]))
        .header("authorization", ADMIN_TOKEN)
        .json(&json!({"id": "bob@example.com"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 429);

    // 60 wrong guesses at once, spread over the three: only the budget's 10 are checked.
    let guesses = (0..60).map(|i| {
        let base = bases[i % 3].to_string();
        tokio::spawn(async move {
            post(
                &base,
                "/auth/simple/login",
                json!({"username": "bob@example.com", "password": format!("Wrong-guess-{i}")}),
                None,
            )
            .await
            .0
        })
    });
    let statuses: Vec<StatusCode> = futures::future::join_all(guesses)
        .await
        .into_iter()
        .map(|r| r.expect("task"))
        .collect();
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((checked, refused), (10, 50), "{statuses:?}");
}

/// `count` invitations (each with a welcome mail), spread over `bases`, at once.
async fn invite(bases: &[String], count: usize) {
    let creations = (0..count).map(|i| {
        let base = bases[i % bases.len()].clone();
        tokio::spawn(async move {
            admin(
                &base,
                "/api/admin/user-admin",
                json!({"email": format!("user{i}@example.com"), "rootRole": 3}),
            )
            .await
        })
    });
    for created in futures::future::join_all(creations).await {
        assert_eq!(created.expect("task")["emailSent"], true);
    }
}

/// A mail relay that refuses its first `refuse` calls with 503 (an outage), makes its first
/// `hang` calls hang (their caller is killed meanwhile), answers every `throttle_every`-th call
/// after those with 429 and `Retry-After: 1`, and accepts the rest after `delay` (the first
/// `slow` of them after `slow_delay`), recording the Idempotency-Key of every call and of every
/// accepted one (with when it was accepted).
#[derive(Clone, Default)]
struct Relay {
    refuse: usize,
    hang: usize,
    throttle_every: usize,
    delay: Duration,
    slow: usize,
    slow_delay: Duration,
    state: Arc<Mutex<RelayState>>,
}

#[derive(Default)]
struct RelayState {
    calls: Vec<(String, std::time::Instant)>,
    accepted: Vec<(String, std::time::Instant)>,
    throttled: usize,
}

impl Respond for Relay {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let key = request
            .headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("no key")
            .to_string();
        let now = std::time::Instant::now();
        let mut state = self.state.lock().expect("relay state");
        state.calls.push((key.clone(), now));
        let call = state.calls.len();
        if call <= self.refuse {
            return ResponseTemplate::new(503);
        }
        if call <= self.hang {
            return ResponseTemplate::new(200).set_delay(Duration::from_secs(60));
        }
        if self.throttle_every > 0 && (call - self.hang) % self.throttle_every == 0 {
            state.throttled += 1;
            return ResponseTemplate::new(429).insert_header("retry-after", "1");
        }
        // Accepted as the answer leaves (after the delay); recorded on arrival, which is sooner.
        state.accepted.push((key, now));
        let delay = if state.accepted.len() <= self.slow {
            self.slow_delay
        } else {
            self.delay
        };
        ResponseTemplate::new(200)
            .set_body_json(json!({"id": "ok"}))
            .set_delay(delay)
    }
}

impl Relay {
    async fn start(self) -> (MockServer, String) {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/emails"))
            .respond_with(self)
            .mount(&server)
            .await;
        let url = format!("{}/emails", server.uri());
        (server, url)
    }

    fn calls(&self) -> Vec<String> {
        let state = self.state.lock().expect("relay state");
        state.calls.iter().map(|(key, _)| key.clone()).collect()
    }

    fn accepted(&self) -> Vec<String> {
        let state = self.state.lock().expect("relay state");
        state.accepted.iter().map(|(key, _)| key.clone()).collect()
    }

    /// Waits (up to `within`) for `count` accepted mails, then (up to 5 s more) for the outbox to
    /// settle: every mail of `database` recorded as sent, and no relay call under way at any of
    /// the `live` instances (a call counts itself out after its mail is recorded). Nothing is left
    /// to send then and every call made has reached the relay, so a duplicate would be in
    /// `accepted`: asserts that `count` distinct mails were each accepted exactly once.
    async fn assert_each_accepted_once(
        &self,
        count: usize,
        within: Duration,
        database: &str,
        live: &[&Instance],
    ) {
        let deadline = tokio::time::Instant::now() + within;
        while self.accepted().len() < count && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // The last calls' answers reach the instances, and are recorded, a moment later.
        let deadline = deadline + Duration::from_secs(5);
        loop {
            let unsent = common::pg::count(
                database,
                "SELECT count(*) FROM outbox WHERE state <> 'sent'",
            );
            let mut in_flight = 0.0;
            for instance in live {
                in_flight += mail_in_flight(instance).await;
            }
            if unsent == 0 && in_flight == 0.0 {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the outbox did not settle: {unsent} mails not sent, {in_flight} calls under way"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let accepted = self.accepted();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for key in &accepted {
            *counts.entry(key.as_str()).or_default() += 1;
        }
        assert_eq!(counts.len(), count, "every mail was delivered");
        assert!(
            counts.values().all(|n| *n == 1),
            "a mail was delivered twice: {counts:?}"
        );
    }

    fn accepted_at(&self, key: &str) -> Option<std::time::Instant> {
        let state = self.state.lock().expect("relay state");
        state
            .accepted
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, at)| *at)
    }

    fn throttled(&self) -> usize {
        self.state.lock().expect("relay state").throttled
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_outbox_delivers_each_mail_once_across_instances_and_an_outage() {
    let relay = Relay {
        refuse: 15,
        ..Relay::default()
    };
    let (_server, relay_url) = relay.clone().start().await;
    let database = common::pg::fresh_database();
    let nodes = three(&database, Some(&relay_url), &[]);

    // 30 invitations, each with a welcome mail, created through all three instances.
    let bases: Vec<String> = nodes.iter().map(|n| n.base.clone()).collect();
    invite(&bases, 30).await;
    let live: Vec<&Instance> = nodes.iter().collect();
    relay
        .assert_each_accepted_once(30, Duration::from_secs(30), &database, &live)
        .await;
    assert!(relay.calls().len() >= 45, "the outage's 503s were retried");
    drop(nodes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mail_claimed_by_an_instance_killed_mid_delivery_is_sent_by_another_within_seconds() {
    // The first instance's four calls hang (MAIL_CONCURRENCY=4: all its slots); the first four
    // accepted calls after them take 5 s, longer than the 3 s lease (renewed while they run);
    // every 5th call after the hung ones is throttled with 429.
    let relay = Relay {
        hang: 4,
        throttle_every: 5,
        delay: Duration::from_millis(100),
        slow: 4,
        slow_delay: Duration::from_secs(5),
        ..Relay::default()
    };
    let (_server, relay_url) = relay.clone().start().await;
    let database = common::pg::fresh_database();
    let settings = [
        ("MAIL_TIMEOUT_MS", "8000"),
        ("MAIL_CONNECT_TIMEOUT_MS", "1000"),
        ("MAIL_LEASE_MS", "3000"),
        ("MAIL_CONCURRENCY", "4"),
    ];
    let first = start(&database, Some(&relay_url), &settings);
    invite(std::slice::from_ref(&first.base), 40).await;
    for _ in 0..100 {
        if relay.calls().len() >= 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let hung = relay.calls();
    assert_eq!(hung.len(), 4, "the first instance has four calls under way");
    let others = [
        start(&database, Some(&relay_url), &settings),
        start(&database, Some(&relay_url), &settings),
    ];
    // Three instances deliver (the others' calls reach the relay, the first's slots being all
    // hung); then the first, with four mails in flight, is killed.
    for _ in 0..100 {
        if relay.calls().len() > hung.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        relay.calls().len() > hung.len(),
        "the other instances deliver"
    );
    first.kill_9();
    let killed_at = std::time::Instant::now();

    relay
        .assert_each_accepted_once(
            40,
            Duration::from_secs(15),
            &database,
            &[&others[0], &others[1]],
        )
        .await;
    assert!(relay.throttled() > 0, "the relay throttled some calls");
    let calls = relay.calls();
    for key in &hung {
        assert!(
            calls.iter().filter(|k| *k == key).count() >= 2,
            "{key}: sent again, with the same Idempotency-Key"
        );
        // Its claim was renewed while its sender lived, and ran out soon after it died.
        let accepted_at = relay.accepted_at(key).expect("accepted");
        assert!(
            accepted_at > killed_at,
            "{key}: taken over while its sender was alive"
        );
        let taken_over = accepted_at.duration_since(killed_at);
        eprintln!("{key}: sent again {taken_over:?} after its sender was killed");
        assert!(
            taken_over <= Duration::from_secs(15),
            "{key}: sent {taken_over:?} after its sender died"
        );
    }
    drop(others);
}
