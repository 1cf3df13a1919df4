//! Mail over a local HTTP relay (wiremock): the exact request per provider (Mailgun's included), retries and recovery,
//! restarts with pending mail, dead mail, and the forgotten-password flow end to end; concurrent
//! delivery: each mail once, a person's mails in order, a 429 holding back every call, and a
//! shutdown with calls in flight.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use unlatch::store::MailState;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const STRONG: &str = "simple123-_ASsad";
const NEW_PASSWORD: &str = "DtUYwi&l5I1KX4@Le";

/// Waits until the relay has seen `n` requests and `app` has recorded the end of every mail it
/// queued (sent or given up): from then on nothing more reaches the relay, so what it has seen is
/// all it will see.
async fn received(app: &TestApp, relay: &MockServer, n: usize) -> Vec<Request> {
    for _ in 0..200 {
        let got = relay.received_requests().await.unwrap_or_default();
        if got.len() >= n {
            app.settled_outbox().await;
            return relay.received_requests().await.unwrap_or_default();
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the relay did not receive {n} requests in 5 s");
}

fn body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("relay got JSON")
}

fn header_of(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().expect("ASCII").to_string())
}

async fn spawn_with_relay(relay: &MockServer, provider: &str, endpoint: &str) -> TestApp {
    let url = format!("{}{endpoint}", relay.uri());
    TestApp::spawn_with(&[
        "--mail-provider",
        provider,
        "--mail-relay-url",
        &url,
        "--mail-relay-token",
        "relay-secret",
        "--email-sender",
        "Unleash <noreply@flags.example.com>",
        "--mail-retry-base-ms",
        "20",
        "--mail-retry-max-ms",
        "100",
    ])
    .await
}

async fn ok_relay(route: &str, status: u16) -> MockServer {
    let relay = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status))
        .mount(&relay)
        .await;
    relay
}

#[tokio::test]
async fn forgotten_password_end_to_end_with_the_json_provider() {
    let relay = ok_relay("/emails", 200).await;
    let app = spawn_with_relay(&relay, "json", "/emails").await;
    app.user_with_password("ada@example.com", STRONG).await;
    // Setting the password notified the user; start counting after that.
    let before = received(&app, &relay, 1).await.len();
    assert_eq!(before, 1);

    let reply = app
        .post(
            "/auth/reset/password-email",
            json!({"email": "Ada@Example.com"}),
        )
        .await;
    assert_eq!(reply.status, 200);
    let requests = received(&app, &relay, 2).await;
    assert_eq!(requests.len(), 2, "one reset mail");
    let mail = &requests[1];
    assert_eq!(
        header_of(mail, "authorization").as_deref(),
        Some("Bearer relay-secret")
    );
    let key = header_of(mail, "idempotency-key").expect("Idempotency-Key");
    assert_eq!(key.len(), 36);
    let sent = body(mail);
    assert_eq!(sent["from"], "Unleash <noreply@flags.example.com>");
    assert_eq!(sent["to"], json!(["ada@example.com"]));
    assert_eq!(sent["subject"], "Unleash - Reset your password");
    let text = sent["text"].as_str().expect("text part");
    let html = sent["html"].as_str().expect("html part");
    let link_start = text
        .find("http://unlatch.test/ui/reset-password?token=")
        .expect("link in the text part");
    let link: String = text[link_start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    assert!(html.contains(&link), "the same link in the HTML part");

    // The link validates, resets, and the user hears about it.
    let token = token_of(&link);
    let valid = app
        .get(&format!("/auth/reset/validate?token={token}"))
        .await;
    assert_eq!(valid.status, 200);
    assert_eq!(valid.json()["createdBy"], "unleash_system_user");
    let reset = app
        .post(
            "/auth/reset/password",
            json!({"token": token, "password": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(reset.status, 200, "{}", reset.text);
    let requests = received(&app, &relay, 3).await;
    assert_eq!(requests.len(), 3);
    let notice = body(&requests[2]);
    assert_eq!(notice["subject"], "Unleash - Your password was changed");
    assert_eq!(notice["to"], json!(["ada@example.com"]));
    // Its one link is the "this wasn't me" page's.
    assert!(notice["text"]
        .as_str()
        .unwrap()
        .contains("http://unlatch.test/ui/not-me?token="));
    app.login("ada@example.com", NEW_PASSWORD).await;
}

#[tokio::test]
async fn unknown_and_throttled_addresses_send_nothing() {
    let relay = ok_relay("/emails", 200).await;
    let app = spawn_with_relay(&relay, "json", "/emails").await;
    app.user_with_password("ada@example.com", STRONG).await;
    received(&app, &relay, 1).await;
    for email in [
        "ghost@example.com",
        "ada@example.com",
        "ada@example.com",
        "nobody@example.com",
    ] {
        let reply = app
            .post("/auth/reset/password-email", json!({"email": email}))
            .await;
        assert_eq!(reply.status, 200);
    }
    let requests = received(&app, &relay, 2).await;
    assert_eq!(requests.len(), 2, "only the first request for ada sends");
    assert_eq!(body(&requests[1])["to"], json!(["ada@example.com"]));
}

#[tokio::test]
async fn postmark_request_shape() {
    let relay = ok_relay("/email", 200).await;
    let app = spawn_with_relay(&relay, "postmark", "").await;
    app.user_with_password("ada@example.com", STRONG).await;
    let mail = &received(&app, &relay, 1).await[0];
    assert_eq!(
        header_of(mail, "x-postmark-server-token").as_deref(),
        Some("relay-secret")
    );
    assert_eq!(
        header_of(mail, "accept").as_deref(),
        Some("application/json")
    );
    let sent = body(mail);
    assert_eq!(sent["From"], "Unleash <noreply@flags.example.com>");
    assert_eq!(sent["To"], "ada@example.com");
    assert_eq!(sent["Subject"], "Unleash - Your password was changed");
    assert!(sent["HtmlBody"].as_str().unwrap().contains("<html"));
    assert!(sent["TextBody"].as_str().unwrap().contains("was changed"));
    assert_eq!(sent["MessageStream"], "outbound");
}

#[tokio::test]
async fn sendgrid_request_shape() {
    let relay = ok_relay("/v3/mail/send", 202).await;
    let app = spawn_with_relay(&relay, "sendgrid", "").await;
    app.user_with_password("ada@example.com", STRONG).await;
    let mail = &received(&app, &relay, 1).await[0];
    assert_eq!(
        header_of(mail, "authorization").as_deref(),
        Some("Bearer relay-secret")
    );
    let sent = body(mail);
    assert_eq!(
        sent["personalizations"],
        json!([{"to": [{"email": "ada@example.com"}]}])
    );
    assert_eq!(
        sent["from"],
        json!({"email": "noreply@flags.example.com", "name": "Unleash"})
    );
    assert_eq!(sent["subject"], "Unleash - Your password was changed");
    assert_eq!(sent["content"][0]["type"], "text/plain");
    assert_eq!(sent["content"][1]["type"], "text/html");
    // Delivered once: 202 is success.
    app.settled_outbox().await;
    assert_eq!(relay.received_requests().await.unwrap().len(), 1);
}

/// The fields of a `multipart/form-data` body. Hand-written: wiremock hands over the raw bytes, and
/// these few lines read the simple text fields a form carries, where a parser crate is stream-based
/// and would bring its own dependencies into the tests for one test.
fn form_fields(request: &Request) -> Vec<(String, String)> {
    let content_type = header_of(request, "content-type").expect("content type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not a form: {content_type}"));
    let body = String::from_utf8(request.body.clone()).expect("UTF-8 form");
    let delimiter = format!("--{boundary}");
    let mut fields = Vec::new();
    for part in body.split(delimiter.as_str()).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let (head, value) = part.split_once("\r\n\r\n").expect("part head");
        let name = head
            .split("name=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("field name");
        let value = value
            .strip_suffix("\r\n")
            .expect("CRLF before the delimiter");
        fields.push((name.to_string(), value.to_string()));
    }
    fields
}

#[tokio::test]
async fn mailgun_request_shape() {
    let relay = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/flags.example.com/messages"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&relay)
        .await;
    // MAILGUN_DOMAIN defaults to EMAIL_SENDER's domain; MAIL_RELAY_URL replaces the region's API.
    let app = spawn_with_relay(&relay, "mailgun", "").await;
    app.user_with_password("ada@example.com", STRONG).await;
    let mail = &received(&app, &relay, 1).await[0];
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode("api:relay-secret");
    assert_eq!(
        header_of(mail, "authorization"),
        Some(format!("Basic {basic}"))
    );
    let fields = form_fields(mail);
    let field = |name: &str| -> Vec<&str> {
        fields
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    assert_eq!(field("from"), ["Unleash <noreply@flags.example.com>"]);
    assert_eq!(field("to"), ["ada@example.com"]);
    assert_eq!(field("subject"), ["Unleash - Your password was changed"]);
    assert!(field("text")[0].contains("was changed"));
    assert!(field("html")[0].contains("<html"));
    assert_eq!(fields.len(), 5, "{fields:?}");

    // An explicit domain, and a 401 (a wrong key) is dead rather than retried.
    let relay = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/mg.example.org/messages"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&relay)
        .await;
    let app = TestApp::spawn_with(&[
        "--mail-provider",
        "mailgun",
        "--mail-relay-url",
        &relay.uri(),
        "--mail-relay-token",
        "wrong-key",
        "--mailgun-domain",
        "mg.example.org",
    ])
    .await;
    app.create_user(json!({"email": "ada@example.com", "rootRole": 2}))
        .await;
    received(&app, &relay, 1).await;
    assert_eq!(relay.received_requests().await.unwrap().len(), 1);
    let outbox = app.store.outbox(10).await.unwrap();
    assert_eq!(outbox[0].state, MailState::Dead);
    assert!(outbox[0]
        .last_error
        .as_deref()
        .unwrap_or_default()
        .contains("401"));
}

#[tokio::test]
async fn mailpit_request_shape() {
    let relay = ok_relay("/api/v1/send", 200).await;
    let app = spawn_with_relay(&relay, "mailpit", "").await;
    app.user_with_password("ada@example.com", STRONG).await;
    let sent = body(&received(&app, &relay, 1).await[0]);
    assert_eq!(
        sent["From"],
        json!({"Email": "noreply@flags.example.com", "Name": "Unleash"})
    );
    assert_eq!(sent["To"], json!([{"Email": "ada@example.com"}]));
    assert_eq!(sent["Subject"], "Unleash - Your password was changed");
    assert!(sent["HTML"].is_string() && sent["Text"].is_string());
}

#[tokio::test]
async fn a_failing_relay_is_retried_and_the_mail_delivered_exactly_once() {
    let relay = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(2)
        .mount(&relay)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(1)
        .mount(&relay)
        .await;
    Mock::given(method("POST"))
        .and(header("authorization", "Bearer relay-secret"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&relay)
        .await;
    let app = spawn_with_relay(&relay, "json", "/emails").await;
    app.create_user(json!({"email": "ada@example.com", "rootRole": 2}))
        .await;
    let requests = received(&app, &relay, 4).await;
    let requests_after = relay.received_requests().await.unwrap();
    assert_eq!(requests.len(), 4, "503, 503, 429, then 200");
    assert_eq!(requests_after.len(), 4, "nothing after the success");
    let keys: Vec<_> = requests
        .iter()
        .map(|r| header_of(r, "idempotency-key").unwrap())
        .collect();
    assert!(
        keys.iter().all(|k| k == &keys[0]),
        "one Idempotency-Key for every attempt"
    );
    let outbox = app.store.outbox(10).await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].state, MailState::Sent);
    assert_eq!(outbox[0].attempts, 4);
}

#[tokio::test]
async fn a_4xx_is_dead_and_visible_with_its_error() {
    let relay = ok_relay("/emails", 422).await;
    let app = spawn_with_relay(&relay, "json", "/emails").await;
    app.create_user(json!({"email": "ada@example.com", "rootRole": 2}))
        .await;
    received(&app, &relay, 1).await;
    assert_eq!(
        relay.received_requests().await.unwrap().len(),
        1,
        "never retried"
    );
    let outbox = app.store.outbox(10).await.unwrap();
    assert_eq!(outbox[0].state, MailState::Dead);
    assert_eq!(outbox[0].template, "welcome");
    assert_eq!(outbox[0].recipient, "ada@example.com");
    assert!(
        outbox[0]
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("422"),
        "{:?}",
        outbox[0].last_error
    );
}

#[tokio::test]
async fn attempts_run_out_into_dead() {
    let relay = ok_relay("/emails", 500).await;
    let app = TestApp::spawn_with(&[
        "--mail-provider",
        "json",
        "--mail-relay-url",
        &format!("{}/emails", relay.uri()),
        "--mail-retry-base-ms",
        "10",
        "--mail-retry-max-ms",
        "20",
        "--mail-max-attempts",
        "3",
    ])
    .await;
    app.create_user(json!({"email": "ada@example.com", "rootRole": 2}))
        .await;
    received(&app, &relay, 3).await;
    assert_eq!(relay.received_requests().await.unwrap().len(), 3);
    let outbox = app.store.outbox(10).await.unwrap();
    assert_eq!(outbox[0].state, MailState::Dead, "{outbox:?}");
    assert_eq!(outbox[0].attempts, 3);
}

#[tokio::test]
async fn pending_mail_is_delivered_after_a_restart() {
    // A relay that is down: nothing listens on this port.
    let down = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let app = TestApp::spawn_with(&[
        "--mail-provider",
        "json",
        "--mail-relay-url",
        &format!("http://{down}/emails"),
        "--mail-retry-base-ms",
        "20",
        "--mail-retry-max-ms",
        "50",
    ])
    .await;
    let (_, _) = app
        .create_user(json!({"email": "ada@example.com", "rootRole": 2}))
        .await;
    // The first attempt fails and is recorded; the mail stays pending for the next.
    let mut outbox = app.store.outbox(10).await.unwrap();
    for _ in 0..200 {
        if outbox[0].attempts >= 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
        outbox = app.store.outbox(10).await.unwrap();
    }
    assert!(outbox[0].attempts >= 1, "{outbox:?}");
    assert_eq!(outbox[0].state, MailState::Pending, "the relay is down");

    let relay = ok_relay("/emails", 200).await;
    let url = format!("{}/emails", relay.uri());
    let app = app
        .restart(&["--mail-provider", "json", "--mail-relay-url", &url])
        .await;
    let requests = received(&app, &relay, 1).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        body(&requests[0])["subject"],
        "Unleash - Your account is ready"
    );
    let outbox = app.store.outbox(10).await.unwrap();
    assert_eq!(outbox[0].state, MailState::Sent);
}

#[tokio::test]
async fn create_user_reports_whether_a_welcome_mail_was_queued() {
    let relay = ok_relay("/emails", 200).await;
    let app = spawn_with_relay(&relay, "json", "/emails").await;
    let reply = app
        .admin(
            Method::POST,
            "/api/admin/user-admin",
            Some(json!({"email": "ada@example.com", "name": "<script>alert(1)</script>", "rootRole": 2})),
        )
        .await;
    assert_eq!(reply.status, 201);
    let created = reply.json();
    assert_eq!(created["emailSent"], true);
    let invite = created["inviteLink"].as_str().unwrap().to_string();
    let mail = body(&received(&app, &relay, 1).await[0]);
    assert_eq!(mail["subject"], "Unleash - Your account is ready");
    for part in ["html", "text"] {
        let content = mail[part].as_str().unwrap();
        assert!(content.contains(&invite), "{part} carries the invite link");
        assert!(!content.contains("<script>"), "{part} escapes the name");
    }
    for (body, why) in [
        (
            json!({"email": "bob@example.com", "rootRole": 2, "sendEmail": false}),
            "sendEmail false",
        ),
        (json!({"username": "carol", "rootRole": 2}), "no address"),
    ] {
        let reply = app
            .admin(Method::POST, "/api/admin/user-admin", Some(body))
            .await;
        assert_eq!(reply.json()["emailSent"], false, "{why}");
    }
    assert_eq!(app.settled_outbox().await.len(), 1, "one mail was queued");
    assert_eq!(relay.received_requests().await.unwrap().len(), 1);

    // Without a relay (MAIL_PROVIDER=log) nobody would receive it: nothing is offered.
    let plain = TestApp::spawn().await;
    let reply = plain
        .admin(
            Method::POST,
            "/api/admin/user-admin",
            Some(json!({"email": "ada@example.com", "rootRole": 2})),
        )
        .await;
    assert_eq!(reply.json()["emailSent"], false);
}

#[tokio::test]
async fn delivered_mail_leaves_no_token_in_the_database() {
    let relay = ok_relay("/emails", 200).await;
    let mut app = spawn_with_relay(&relay, "json", "/emails").await;
    app.user_with_password("ada@example.com", STRONG).await;
    app.post(
        "/auth/reset/password-email",
        json!({"email": "ada@example.com"}),
    )
    .await;
    let requests = received(&app, &relay, 2).await;
    let text = body(&requests[1])["text"].as_str().unwrap().to_string();
    let token = token_of(
        text.split_whitespace()
            .find(|w| w.contains("token="))
            .expect("link"),
    );
    app.stop().await;
    let haystack = app.database_text();
    assert!(haystack.contains("ada@example.com"));
    assert!(
        !haystack.contains(&token),
        "the delivered mail's token is gone"
    );
}

// --- concurrent delivery ---------------------------------------------------------------------

/// One call the relay received.
#[derive(Debug, Clone)]
struct Call {
    key: String,
    to: String,
    subject: String,
    at: Instant,
    /// How long the relay took to answer it.
    delay: Duration,
    status: u16,
}

/// What the relay answers to a call, given the calls before it (this one excluded).
type Rule = dyn Fn(&[Call], &str, &str) -> (u16, Option<&'static str>) + Send + Sync;

/// A JSON-provider relay that answers after `delay_ms`, as `rule` says, and records every call
/// on arrival.
#[derive(Clone)]
struct Relay {
    calls: Arc<Mutex<Vec<Call>>>,
    delay_ms: Arc<AtomicU64>,
    rule: Arc<Rule>,
}

impl Respond for Relay {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let sent = body(request);
        let key = header_of(request, "idempotency-key").unwrap_or_default();
        let to = sent["to"][0].as_str().unwrap_or_default().to_string();
        let subject = sent["subject"].as_str().unwrap_or_default().to_string();
        let mut calls = self.calls.lock().expect("calls");
        let (status, retry_after) = (self.rule)(&calls, &key, &subject);
        let delay = if status == 200 {
            Duration::from_millis(self.delay_ms.load(Ordering::SeqCst))
        } else {
            Duration::ZERO
        };
        calls.push(Call {
            key,
            to,
            subject,
            at: Instant::now(),
            delay,
            status,
        });
        let mut answer = ResponseTemplate::new(status).set_delay(delay);
        if let Some(seconds) = retry_after {
            answer = answer.insert_header("retry-after", seconds);
        }
        answer
    }
}

impl Relay {
    async fn start(
        delay_ms: u64,
        rule: impl Fn(&[Call], &str, &str) -> (u16, Option<&'static str>) + Send + Sync + 'static,
    ) -> (Relay, MockServer) {
        let relay = Relay {
            calls: Arc::default(),
            delay_ms: Arc::new(AtomicU64::new(delay_ms)),
            rule: Arc::new(rule),
        };
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/emails"))
            .respond_with(relay.clone())
            .mount(&server)
            .await;
        (relay, server)
    }

    fn calls(&self) -> Vec<Call> {
        self.calls.lock().expect("calls").clone()
    }

    fn accepted(&self) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| c.status == 200)
            .collect()
    }

    /// Waits until the relay accepted `n` calls and `app` has recorded the end of every mail it
    /// queued: nothing more will reach the relay.
    async fn wait_accepted(&self, app: &TestApp, n: usize) -> Vec<Call> {
        for _ in 0..600 {
            if self.accepted().len() >= n {
                app.settled_outbox().await;
                return self.accepted();
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "the relay accepted {} of {n} mails in 15 s",
            self.accepted().len()
        );
    }

    /// The most calls that were certainly under way at once: a call lasts at least from its
    /// arrival until the relay answered it.
    fn most_in_flight(&self) -> usize {
        let calls = self.calls();
        calls
            .iter()
            .map(|c| {
                calls
                    .iter()
                    .filter(|o| o.at <= c.at && c.at < o.at + o.delay)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }
}

/// Each key accepted exactly once: answers the accepted keys.
fn assert_each_once(accepted: &[Call], expected: usize) {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for call in accepted {
        *counts.entry(call.key.as_str()).or_default() += 1;
    }
    assert_eq!(counts.len(), expected, "every mail was delivered");
    assert!(
        counts.values().all(|n| *n == 1),
        "a mail was delivered twice: {counts:?}"
    );
}

fn concurrent_relay_args(relay: &MockServer, concurrency: &str, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "--mail-provider",
        "json",
        "--mail-relay-url",
        &format!("{}/emails", relay.uri()),
        "--mail-concurrency",
        concurrency,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

async fn spawn_concurrent(relay: &MockServer, concurrency: &str, extra: &[&str]) -> TestApp {
    let args = concurrent_relay_args(relay, concurrency, extra);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    TestApp::spawn_with(&args).await
}

/// Invites `n` people (each gets a welcome mail), all at once.
async fn invite(app: &TestApp, n: usize) {
    let creations = (0..n).map(|i| {
        app.admin(
            Method::POST,
            "/api/admin/user-admin",
            Some(json!({"email": format!("user{i}@example.com"), "rootRole": 3})),
        )
    });
    for reply in futures::future::join_all(creations).await {
        assert_eq!(reply.status, 201, "{}", reply.text);
        assert_eq!(reply.json()["emailSent"], true);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bulk_invites_go_out_concurrently_each_exactly_once() {
    let (relay, server) = Relay::start(200, |_, _, _| (200, None)).await;
    let app = spawn_concurrent(&server, "4", &[]).await;
    invite(&app, 24).await;
    let accepted = relay.wait_accepted(&app, 24).await;
    assert_each_once(&accepted, 24);
    assert_eq!(relay.calls().len(), 24, "no call was repeated");
    let most = relay.most_in_flight();
    assert!(most >= 2, "calls overlapped (at most {most} at once)");
    assert!(most <= 4, "MAIL_CONCURRENCY=4 holds ({most} at once)");
    let outbox = app.settled_outbox().await;
    assert_eq!(outbox.len(), 24);
    assert!(
        outbox
            .iter()
            .all(|m| m.state == MailState::Sent && m.attempts == 1),
        "{outbox:?}"
    );
    // The metrics show every delivery's latency, and nothing in flight any more (a delivery
    // task counts itself out just after it recorded its mail, so this may take a moment).
    let expected = [
        "unlatch_mail_delivery_seconds_count 24",
        "unlatch_mail_in_flight 0",
        "unlatch_outbox_pending 0",
    ];
    let mut metrics = String::new();
    for _ in 0..200 {
        metrics = app
            .admin(Method::GET, "/internal-backstage/prometheus", None)
            .await
            .text;
        if expected.iter().all(|e| metrics.lines().any(|l| l == *e)) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    for line in expected {
        assert!(
            metrics.lines().any(|l| l == line),
            "missing {line:?} in:\n{metrics}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_429_holds_back_every_call_for_its_retry_after_and_each_mail_still_arrives_once() {
    // Every call in the first 2 s after the first one is refused with 429 and `Retry-After: 2`.
    let (relay, server) = Relay::start(50, |calls, _, _| match calls.first() {
        Some(first) if first.at.elapsed() >= Duration::from_secs(2) => (200, None),
        _ => (429, Some("2")),
    })
    .await;
    let app = spawn_concurrent(
        &server,
        "4",
        &["--mail-retry-base-ms", "20", "--mail-retry-max-ms", "5000"],
    )
    .await;
    invite(&app, 20).await;
    let accepted = relay.wait_accepted(&app, 20).await;
    assert_each_once(&accepted, 20);
    let calls = relay.calls();
    let first = calls[0].at;
    let refused: Vec<&Call> = calls.iter().filter(|c| c.status == 429).collect();
    // Without the hold-off, each of the 20 mails would be tried (and refused) at once, each
    // then waiting only for its own retry. With it, the calls under way when the first 429
    // came back are all there are until the relay's 2 s have passed.
    let early = calls
        .iter()
        .filter(|c| c.at < first + Duration::from_secs(2))
        .count();
    assert!(
        early <= 4,
        "{early} calls within the relay's Retry-After (concurrency 4)"
    );
    assert_eq!(refused.len(), early, "only those were refused");
    let outbox = app.settled_outbox().await;
    assert!(
        outbox.iter().all(|m| m.state == MailState::Sent),
        "{outbox:?}"
    );
    let attempts: i64 = outbox.iter().map(|m| m.attempts).sum();
    assert_eq!(
        attempts as usize,
        20 + refused.len(),
        "one attempt per call, none lost, none doubled"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_persons_mails_arrive_one_at_a_time_in_the_order_they_were_queued() {
    // A welcome mail fails twice (503) before it is accepted; each person's later mails are
    // queued right away, and without ordering would overtake it.
    let (relay, server) = Relay::start(30, |calls, key, subject| {
        let tried = calls.iter().filter(|c| c.key == key).count();
        if subject.contains("account is ready") && tried < 2 {
            (503, None)
        } else {
            (200, None)
        }
    })
    .await;
    let app = spawn_concurrent(
        &server,
        "8",
        &["--mail-retry-base-ms", "200", "--mail-retry-max-ms", "400"],
    )
    .await;
    let people: Vec<String> = (0..5).map(|i| format!("p{i}@example.com")).collect();
    for email in &people {
        let (id, _) = app
            .create_user(json!({"email": email, "rootRole": 3}))
            .await;
        for password in ["Ch4nged-Passw0rd!", "Ch4nged-Again-Passw0rd!"] {
            let reply = app
                .admin(
                    Method::POST,
                    &format!("/api/admin/user-admin/{id}/change-password"),
                    Some(json!({ "password": password })),
                )
                .await;
            assert_eq!(reply.status, 200, "{}", reply.text);
        }
    }
    let accepted = relay.wait_accepted(&app, 15).await;
    assert_each_once(&accepted, 15);
    let calls = relay.calls();
    for email in &people {
        let theirs: Vec<&Call> = calls.iter().filter(|c| &c.to == email).collect();
        let subjects: Vec<&str> = theirs.iter().map(|c| c.subject.as_str()).collect();
        assert_eq!(
            subjects,
            [
                "Unleash - Your account is ready",
                "Unleash - Your account is ready",
                "Unleash - Your account is ready",
                "Unleash - Your password was changed",
                "Unleash - Your password was changed",
            ],
            "{email}: the welcome first (two failures, then accepted), then the rest"
        );
        for pair in theirs.windows(2) {
            assert!(
                pair[1].at >= pair[0].at + pair[0].delay,
                "{email}: a call started before the previous one was answered"
            );
        }
    }
    assert!(
        relay.most_in_flight() >= 2,
        "people were served concurrently"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shutdown_waits_for_the_calls_in_flight_and_a_restart_sends_the_rest_once() {
    let (relay, server) = Relay::start(2_000, |_, _, _| (200, None)).await;
    let mut app = spawn_concurrent(&server, "3", &[]).await;
    invite(&app, 9).await;
    for _ in 0..400 {
        if relay.calls().len() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(relay.calls().len(), 3, "three calls under way");
    app.stop().await;

    // The calls under way were answered and recorded; nothing else was started.
    let called: Vec<String> = relay.calls().into_iter().map(|c| c.to).collect();
    assert!(called.len() < 9, "shutdown left mail pending");
    let outbox = app.store.outbox(100).await.unwrap();
    for mail in &outbox {
        if called.contains(&mail.recipient) {
            assert_eq!(mail.state, MailState::Sent, "{mail:?}");
        } else {
            assert_eq!(mail.state, MailState::Pending, "{mail:?}");
            assert_eq!(mail.attempts, 0, "never claimed: {mail:?}");
        }
    }

    relay.delay_ms.store(50, Ordering::SeqCst);
    let args = concurrent_relay_args(&server, "3", &[]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let app = app.restart(&args).await;
    let accepted = relay.wait_accepted(&app, 9).await;
    assert_each_once(&accepted, 9);
    assert_eq!(relay.calls().len(), 9, "no mail was sent twice");
    let outbox = app.settled_outbox().await;
    assert!(
        outbox.iter().all(|m| m.state == MailState::Sent),
        "{outbox:?}"
    );
}
