//! Mail over SMTP, against a real SMTP server: `tests/smtp/server.py` (aiosmtpd, in the venv that
//! `make smtp-server` makes and `make test` depends on), which offers STARTTLS with a certificate
//! from a throwaway CA and AUTH, answers DATA as scripted, and writes every message it accepts to
//! a folder, read back here.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::*;
use serde_json::{json, Value};
use unlatch::store::MailState;

const STRONG: &str = "simple123-_ASsad";
const NEW_PASSWORD: &str = "DtUYwi&l5I1KX4@Le";
const SMTP_USER: &str = "unlatch-mailer";
const SMTP_PASSWORD: &str = "smtp-Passw0rd!";

/// A running `tests/smtp/server.py`; stopped when dropped.
struct SmtpServer {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    fn start(args: &[&str]) -> SmtpServer {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let python = root.join(".tools/smtp-venv/bin/python");
        assert!(
            python.exists(),
            "the SMTP test server's venv is missing ({}): run `make smtp-server` (make test does)",
            python.display()
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let log = std::fs::File::create(dir.path().join("server.log")).expect("log file");
        let mut child = Command::new(&python)
            .arg(root.join("tests/smtp/server.py"))
            .arg("--dir")
            .arg(dir.path())
            .args(args)
            // The server exits when its standard input closes, so it never outlives the test.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("the SMTP test server starts");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("reads the server's first line");
        let port = line
            .strip_prefix("READY ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| {
                let log =
                    std::fs::read_to_string(dir.path().join("server.log")).unwrap_or_default();
                panic!("the SMTP test server did not start: {line:?}\n{log}")
            });
        SmtpServer { child, port, dir }
    }

    fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// The messages accepted so far, in order.
    fn mails(&self) -> Vec<Value> {
        (1..)
            .map(|n| self.dir.path().join(format!("mail-{n}.json")))
            .take_while(|path| path.exists())
            .map(|path| {
                serde_json::from_str(&std::fs::read_to_string(path).expect("mail file"))
                    .expect("mail JSON")
            })
            .collect()
    }

    /// Waits until `n` messages were accepted and `app` has recorded the end of every mail it
    /// queued: nothing more will arrive.
    async fn received(&self, app: &TestApp, n: usize) -> Vec<Value> {
        for _ in 0..400 {
            if self.mails().len() >= n {
                app.settled_outbox().await;
                return self.mails();
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "the SMTP server did not receive {n} mails in 10 s; events: {:?}; log:\n{}",
            self.events(),
            std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
        );
    }

    /// Every AUTH command and DATA reply, in order.
    fn events(&self) -> Vec<Value> {
        std::fs::read_to_string(self.dir.path().join("events.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).expect("event JSON"))
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn spawn_for(server: &SmtpServer, extra: &[&str]) -> TestApp {
    let port = server.port.to_string();
    let ca = server.ca_file().display().to_string();
    let mut args = vec![
        "--email-host",
        "localhost",
        "--email-port",
        &port,
        "--email-sender",
        "Unleash <noreply@flags.example.com>",
        "--mail-retry-base-ms",
        "20",
        "--mail-retry-max-ms",
        "100",
    ];
    if server.ca_file().exists() {
        args.extend(["--email-tls-ca-file", &ca]);
    }
    args.extend(extra);
    TestApp::spawn_with(&args).await
}

fn with_credentials() -> [&'static str; 4] {
    ["--email-user", SMTP_USER, "--email-password", SMTP_PASSWORD]
}

/// The part of this type, as the SMTP server's e-mail parser decoded it.
fn part<'a>(mail: &'a Value, content_type: &str) -> &'a str {
    mail["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .find(|p| p["type"] == content_type)
        .and_then(|p| p["content"].as_str())
        .unwrap_or_else(|| panic!("no {content_type} part in {mail}"))
}

/// The link (to the public URL) in the text part, checked to be in the HTML part too.
fn link_in(mail: &Value) -> String {
    let text = part(mail, "text/plain");
    let start = text
        .find("http://unlatch.test/ui/")
        .unwrap_or_else(|| panic!("no link in {text}"));
    let link: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    assert!(
        part(mail, "text/html").contains(&link),
        "the same link in the HTML part"
    );
    link
}

/// Asserts what every mail carries: envelope, headers, both parts, TLS and AUTH.
fn assert_well_formed(mail: &Value, subject: &str) {
    assert_eq!(mail["headers"]["Subject"], subject, "{mail}");
    assert_eq!(mail["rcpt_tos"], json!(["ada@example.com"]));
    assert_eq!(mail["mail_from"], "noreply@flags.example.com");
    assert_eq!(
        mail["headers"]["From"],
        "Unleash <noreply@flags.example.com>"
    );
    assert_eq!(mail["headers"]["To"], "ada@example.com");
    assert_eq!(mail["headers"]["X-Unleash-Env"], "test");
    assert_eq!(mail["content_type"], "multipart/alternative");
    assert!(part(mail, "text/html").contains("<html"));
    assert!(!part(mail, "text/plain").contains("<html"));
    let id = mail["headers"]["Message-ID"].as_str().expect("Message-ID");
    assert!(
        id.starts_with('<') && id.ends_with("@flags.example.com>"),
        "{id}"
    );
    assert_eq!(mail["starttls"], true, "STARTTLS was used");
    assert_eq!(mail["tls"], true);
    assert_eq!(mail["auth_user"], SMTP_USER, "AUTH was used");
}

#[tokio::test]
async fn welcome_reset_and_changed_mails_arrive_over_starttls_with_auth() {
    let server = SmtpServer::start(&["--tls", "--user", SMTP_USER, "--password", SMTP_PASSWORD]);
    let mut extra = with_credentials().to_vec();
    extra.extend(["--email-optional-headers", r#"{"X-Unleash-Env": "test"}"#]);
    let app = spawn_for(&server, &extra).await;

    // The welcome mail: its invite link works.
    let (_, invite_token) = app
        .create_user(json!({"email": "ada@example.com", "name": "Ada", "rootRole": "Editor"}))
        .await;
    let welcome = &server.received(&app, 1).await[0];
    assert_well_formed(welcome, "Unleash - Your account is ready");
    let invite = link_in(welcome);
    assert_eq!(token_of(&invite), invite_token);
    let valid = app
        .get(&format!("/auth/reset/validate?token={invite_token}"))
        .await;
    assert_eq!(valid.status, 200, "{}", valid.text);
    assert_eq!(valid.json()["email"], "ada@example.com");
    let set = app
        .post(
            "/auth/reset/password",
            json!({"token": invite_token, "password": STRONG}),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    let changed = &server.received(&app, 2).await[1];
    assert_well_formed(changed, "Unleash - Your password was changed");

    // The reset mail: its link validates and resets the password.
    let reply = app
        .post(
            "/auth/reset/password-email",
            json!({"email": "ada@example.com"}),
        )
        .await;
    assert_eq!(reply.status, 200);
    let mails = server.received(&app, 3).await;
    assert_eq!(mails.len(), 3);
    let reset = &mails[2];
    assert_well_formed(reset, "Unleash - Reset your password");
    let link = link_in(reset);
    assert!(link.starts_with("http://unlatch.test/ui/reset-password?token="));
    let token = token_of(&link);
    let valid = app
        .get(&format!("/auth/reset/validate?token={token}"))
        .await;
    assert_eq!(valid.status, 200, "{}", valid.text);
    assert_eq!(valid.json()["createdBy"], "unleash_system_user");
    let reset_reply = app
        .post(
            "/auth/reset/password",
            json!({"token": token, "password": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(reset_reply.status, 200, "{}", reset_reply.text);
    let mails = server.received(&app, 4).await;
    assert_eq!(mails.len(), 4);
    assert_well_formed(&mails[3], "Unleash - Your password was changed");
    app.login("ada@example.com", NEW_PASSWORD).await;

    // Four mails, four distinct Message-IDs; AUTH only ever over TLS.
    let mut ids: Vec<_> = mails
        .iter()
        .map(|m| m["headers"]["Message-ID"].clone())
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), 4);
    assert!(server
        .events()
        .iter()
        .filter(|e| e["event"] == "auth")
        .all(|e| e["tls"] == true));
    let outbox = app.settled_outbox().await;
    assert!(
        outbox.iter().all(|m| m.state == MailState::Sent),
        "{outbox:?}"
    );
}

#[tokio::test]
async fn a_451_is_retried_and_the_mail_delivered_exactly_once_with_one_message_id() {
    let server = SmtpServer::start(&[
        "--tls",
        "--user",
        SMTP_USER,
        "--password",
        SMTP_PASSWORD,
        "--replies",
        "451,250",
    ]);
    let app = spawn_for(&server, &with_credentials()).await;
    app.create_user(json!({"email": "ada@example.com", "rootRole": 2}))
        .await;
    let mails = server.received(&app, 1).await;
    let outbox = app.settled_outbox().await;
    assert_eq!(server.mails().len(), 1, "delivered exactly once");
    assert_eq!(
        mails[0]["headers"]["Subject"],
        "Unleash - Your account is ready"
    );
    let data: Vec<_> = server
        .events()
        .into_iter()
        .filter(|e| e["event"] == "data")
        .collect();
    assert_eq!(data.len(), 2, "451, then 250: {data:?}");
    assert_eq!(data[0]["code"], 451);
    assert_eq!(data[1]["code"], 250);
    assert_eq!(
        data[0]["message_id"], data[1]["message_id"],
        "the retry carries the same Message-ID"
    );
    assert_eq!(data[1]["message_id"], mails[0]["headers"]["Message-ID"]);
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].state, MailState::Sent);
    assert_eq!(outbox[0].attempts, 2);
}

#[tokio::test]
async fn a_550_makes_the_mail_dead_with_the_servers_reply() {
    let server = SmtpServer::start(&[
        "--tls",
        "--user",
        SMTP_USER,
        "--password",
        SMTP_PASSWORD,
        "--replies",
        "550",
    ]);
    let app = spawn_for(&server, &with_credentials()).await;
    app.create_user(json!({"email": "ada@example.com", "rootRole": 2}))
        .await;
    let outbox = app.settled_outbox().await;
    assert_eq!(outbox[0].state, MailState::Dead);
    assert_eq!(outbox[0].attempts, 1, "never retried");
    assert_eq!(outbox[0].template, "welcome");
    let error = outbox[0].last_error.as_deref().unwrap_or_default();
    assert!(
        error.contains("550") && error.contains("Mailbox unavailable"),
        "the server's reply is kept: {error}"
    );
    let data = server
        .events()
        .into_iter()
        .filter(|e| e["event"] == "data")
        .count();
    assert_eq!(data, 1);
    assert!(server.mails().is_empty());
}

#[tokio::test]
async fn credentials_are_never_sent_without_tls_unless_plaintext_is_allowed() {
    // This server offers AUTH in the clear and no STARTTLS.
    let server = SmtpServer::start(&["--user", SMTP_USER, "--password", SMTP_PASSWORD]);
    let mut extra = with_credentials().to_vec();
    extra.extend(["--mail-max-attempts", "1"]);
    let app = spawn_for(&server, &extra).await;
    app.create_user(json!({"email": "ada@example.com", "rootRole": 2}))
        .await;
    let outbox = app.settled_outbox().await;
    assert_eq!(outbox[0].state, MailState::Dead);
    let error = outbox[0].last_error.as_deref().unwrap_or_default();
    assert!(error.contains("STARTTLS"), "{error}");
    assert!(
        server.events().is_empty(),
        "no AUTH and no DATA reached the server: {:?}",
        server.events()
    );
    assert!(server.mails().is_empty());

    // EMAIL_ALLOW_PLAINTEXT=true is the operator's choice for a relay on the same host.
    let mut extra = with_credentials().to_vec();
    extra.extend(["--email-allow-plaintext", "true"]);
    let plain = spawn_for(&server, &extra).await;
    plain
        .create_user(json!({"email": "ada@example.com", "rootRole": 2}))
        .await;
    let mail = &server.received(&plain, 1).await[0];
    assert_eq!(mail["tls"], false);
    assert_eq!(mail["auth_user"], SMTP_USER);
}

#[tokio::test]
async fn without_credentials_plain_smtp_works_and_starttls_is_used_when_offered() {
    let plain = SmtpServer::start(&[]);
    let app = spawn_for(&plain, &[]).await;
    app.create_user(json!({"email": "ada@example.com", "rootRole": 2}))
        .await;
    let mail = &plain.received(&app, 1).await[0];
    assert_eq!(mail["tls"], false);
    assert_eq!(mail["auth_user"], Value::Null);

    let tls = SmtpServer::start(&["--tls"]);
    let app = spawn_for(&tls, &[]).await;
    app.create_user(json!({"email": "ada@example.com", "rootRole": 2}))
        .await;
    let mail = &tls.received(&app, 1).await[0];
    assert_eq!(mail["starttls"], true, "opportunistic STARTTLS");
}

#[tokio::test]
async fn email_secure_speaks_tls_from_the_first_byte() {
    let server = SmtpServer::start(&[
        "--implicit-tls",
        "--user",
        SMTP_USER,
        "--password",
        SMTP_PASSWORD,
    ]);
    let mut extra = with_credentials().to_vec();
    extra.extend(["--email-secure", "true"]);
    let app = spawn_for(&server, &extra).await;
    app.create_user(json!({"email": "ada@example.com", "rootRole": 2}))
        .await;
    let mail = &server.received(&app, 1).await[0];
    assert_eq!(mail["tls"], true, "implicit TLS");
    assert_eq!(mail["starttls"], false);
    assert_eq!(mail["auth_user"], SMTP_USER);

    // The certificate is checked: without EMAIL_TLS_CA_FILE its CA is unknown, and nothing is sent.
    let port = server.port.to_string();
    let mut args = vec![
        "--email-host",
        "localhost",
        "--email-port",
        &port,
        "--email-secure",
        "true",
        "--mail-max-attempts",
        "1",
    ];
    args.extend(with_credentials());
    let untrusting = TestApp::spawn_with(&args).await;
    untrusting
        .create_user(json!({"email": "bob@example.com", "rootRole": 2}))
        .await;
    let outbox = untrusting.settled_outbox().await;
    assert_eq!(outbox[0].state, MailState::Dead);
    let error = outbox[0].last_error.as_deref().unwrap_or_default();
    assert!(error.contains("certificate verify failed"), "{error}");
    assert_eq!(server.mails().len(), 1, "nothing more arrived");
}

#[tokio::test]
async fn a_server_that_is_down_is_retried_and_the_mail_survives_a_restart() {
    // Nothing listens on this port: the connection is refused, which is worth another try.
    let down = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port().to_string()
    };
    let app = TestApp::spawn_with(&[
        "--email-host",
        "127.0.0.1",
        "--email-port",
        &down,
        "--mail-retry-base-ms",
        "20",
        "--mail-retry-max-ms",
        "50",
    ])
    .await;
    app.create_user(json!({"email": "ada@example.com", "rootRole": 2}))
        .await;
    let mut outbox = app.store.outbox(10).await.unwrap();
    for _ in 0..400 {
        if outbox[0].attempts >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
        outbox = app.store.outbox(10).await.unwrap();
    }
    assert_eq!(outbox[0].state, MailState::Pending, "{outbox:?}");
    assert!(outbox[0].attempts >= 2, "retried: {outbox:?}");
    assert!(
        outbox[0]
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("SMTP"),
        "{outbox:?}"
    );

    let server = SmtpServer::start(&[]);
    let port = server.port.to_string();
    let app = app
        .restart(&["--email-host", "127.0.0.1", "--email-port", &port])
        .await;
    let mails = server.received(&app, 1).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0]["headers"]["Subject"],
        "Unleash - Your account is ready"
    );
    assert_eq!(app.settled_outbox().await[0].state, MailState::Sent);
}
