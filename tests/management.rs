//! The metrics are not public: on the main port `GET /internal-backstage/prometheus` answers only
//! to an admin (unless `METRICS_PUBLIC=true`), and the management listener serves them without
//! credentials. What a caller without credentials can read from the main port does not depend on
//! whether an address it asked a reset e-mail for has an account.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const METRICS: &str = "/internal-backstage/prometheus";
const KNOWN: &str = "known@example.com";
const PASSWORD: &str = "simple123-_ASsad";

/// A service whose mail goes to a relay that accepts every mail.
async fn spawn_with_relay(extra: &[&str]) -> (TestApp, MockServer) {
    let relay = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/emails"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&relay)
        .await;
    let url = format!("{}/emails", relay.uri());
    let mut args = vec!["--mail-provider", "json", "--mail-relay-url", &url];
    args.extend_from_slice(extra);
    let app = TestApp::spawn_with(&args).await;
    (app, relay)
}

/// What a caller without credentials reads from every GET operation of the contract that takes
/// no path parameter: path, status, content type and body (a JSON error's `id`, different for
/// every request, left out).
async fn public_view(app: &TestApp) -> Vec<(String, u16, Option<String>, String)> {
    let spec = unlatch::http::spec::Spec::load().expect("spec");
    let mut paths: Vec<&str> = spec
        .operations()
        .filter(|(m, template, _)| **m == reqwest::Method::GET && !template.contains('{'))
        .map(|(_, template, _)| template)
        .collect();
    paths.sort_unstable();
    assert!(paths.contains(&METRICS) && paths.contains(&"/health"));
    let mut view = Vec::new();
    for path in paths {
        let reply = app.get(path).await;
        let body = match serde_json::from_str::<Value>(&reply.text) {
            Ok(Value::Object(mut object)) => {
                object.remove("id");
                Value::Object(object).to_string()
            }
            _ => reply.text.clone(),
        };
        view.push((
            path.to_string(),
            reply.status.as_u16(),
            reply.header("content-type"),
            body,
        ));
    }
    view
}

/// One service asked for a reset e-mail: for the address of its one user, or for another.
/// Answers the service (its mail, if any, delivered) and what it shows to anyone.
async fn after_reset_email(
    for_known: bool,
) -> (TestApp, Vec<(String, u16, Option<String>, String)>) {
    let (app, relay) = spawn_with_relay(&[]).await;
    app.user_with_password(KNOWN, PASSWORD).await;
    // Setting the password sent a mail of its own: delivered before the reset is asked for.
    assert_eq!(app.settled_outbox().await.len(), 1);
    let address = if for_known {
        KNOWN
    } else {
        "ghost@example.com"
    };
    let reply = app
        .post("/auth/reset/password-email", json!({"email": address}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    if for_known {
        // Delivered: the relay accepted it and the service recorded it.
        let sent = app.settled_outbox().await;
        assert_eq!(sent.len(), 2, "{sent:?}");
        assert_eq!(sent[0].template, "reset-password");
        assert_eq!(sent[0].state, unlatch::store::MailState::Sent);
        assert_eq!(relay.received_requests().await.unwrap_or_default().len(), 2);
    } else {
        // The request was answered: had a mail been queued, it would be in the outbox now.
        assert_eq!(app.store.outbox(10).await.expect("outbox").len(), 1);
    }
    let view = public_view(&app).await;
    (app, view)
}

/// The metrics as the management listener serves them (no credentials).
async fn scrape(app: &TestApp) -> String {
    let address = app.management_addr.expect("a management listener");
    let reply = app
        .client
        .get(format!("http://{address}{METRICS}"))
        .send()
        .await
        .expect("scraped");
    assert_eq!(reply.status(), 200);
    reply.text().await.expect("metrics")
}

#[tokio::test]
async fn a_reset_email_for_a_known_address_changes_nothing_anyone_can_read() {
    let (known, known_view) = after_reset_email(true).await;
    let (unknown, unknown_view) = after_reset_email(false).await;
    // What the test sets out to hide is there for the operator: one more delivery.
    let delivered = |text: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix("unlatch_mail_delivery_seconds_count "))
            .map(str::to_string)
    };
    assert_eq!(delivered(&scrape(&known).await).as_deref(), Some("2"));
    assert_eq!(delivered(&scrape(&unknown).await).as_deref(), Some("1"));
    assert_eq!(known_view.len(), unknown_view.len());
    for (known, unknown) in known_view.iter().zip(&unknown_view) {
        assert_eq!(known, unknown, "{} differs", known.0);
    }
    let metrics = known_view
        .iter()
        .find(|(path, ..)| path == METRICS)
        .expect("metrics");
    assert_eq!(metrics.1, 401, "the metrics are not public: {metrics:?}");
}

#[tokio::test]
async fn on_the_main_port_the_metrics_answer_only_an_admin() {
    let app = TestApp::spawn().await;
    app.get(METRICS)
        .await
        .assert_error(401, "AuthenticationRequired");
    app.user_with_password("editor@example.com", PASSWORD).await;
    let editor = app.login("editor@example.com", PASSWORD).await;
    app.get_as(METRICS, &editor)
        .await
        .assert_error(403, "PermissionError");
    let reply = app.admin(Method::GET, METRICS, None).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert!(reply.text.contains("unlatch_mail_delivery_seconds_count"));
}

#[tokio::test]
async fn the_management_listener_serves_metrics_and_health_without_credentials_and_nothing_else() {
    let app = TestApp::spawn().await;
    let address = app.management_addr.expect("a management listener");
    assert_ne!(address, app.addr);
    let text = scrape(&app).await;
    assert!(text.contains("unlatch_mail_delivery_seconds_count"));
    let get = |path: &str| {
        let url = format!("http://{address}{path}");
        let client = app.client.clone();
        async move {
            let reply = client.get(url).send().await.expect("sent");
            (reply.status().as_u16(), reply.text().await.expect("body"))
        }
    };
    let (status, body) = get("/health").await;
    assert_eq!((status, body.as_str()), (200, r#"{"health":"GOOD"}"#));
    // Not the API: no user list, even with no credentials asked for.
    for path in [
        "/api/admin/user-admin",
        "/api/admin/events",
        "/auth/reset/validate",
        "/login",
    ] {
        let (status, body) = get(path).await;
        assert_eq!(status, 404, "{path}: {body}");
    }
    let reply = app
        .client
        .post(format!("http://{address}/auth/simple/login"))
        .json(&json!({"username": "admin", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .expect("sent");
    assert_eq!(reply.status(), 404);
}

#[tokio::test]
async fn the_management_listener_can_be_turned_off() {
    let app = TestApp::spawn_with(&["--management-http-enabled", "false"]).await;
    assert_eq!(app.management_addr, None);
    assert_eq!(app.get("/health").await.status, 200);
}

#[tokio::test]
async fn an_operator_can_make_the_metrics_public_again() {
    let app = TestApp::spawn_with(&["--metrics-public", "true"]).await;
    let reply = app.get(METRICS).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert!(reply.text.contains("unlatch_mail_delivery_seconds_count"));
}
