//! End-to-end tests of the real `unlatch` binary against SQLite: start-up on an empty database,
//! the operator's CLI, and graceful shutdown on SIGTERM.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde_json::json;

mod common;

use common::child::{Kept, Running};

const BIN: &str = env!("CARGO_BIN_EXE_unlatch");

fn unlatch(db: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("HTTP_PORT", "0")
        .env("MANAGEMENT_HTTP_PORT", "0")
        .env("BCRYPT_COST", "4")
        .env("LOG_LEVEL", "info");
    cmd
}

/// Starts `unlatch serve`; answers the child, its address and every line it wrote until it was
/// listening, plus (when `also` is given) until a line containing `also`. The caller ends it
/// with [`terminate`]; a test that panics first leaves nothing running.
fn serve(db: &Path, also: Option<&str>) -> (Running, String, Vec<String>, Kept) {
    serve_with(db, also, &[])
}

/// [`serve`] with extra environment variables.
fn serve_with(
    db: &Path,
    also: Option<&str>,
    env: &[(&str, &str)],
) -> (Running, String, Vec<String>, Kept) {
    let mut command = unlatch(db);
    command.envs(env.iter().copied()).arg("serve");
    let served = common::child::serve(command, also, Duration::from_secs(20));
    // What it writes later, for the tests that read it.
    let later = Kept::from(Vec::new(), served.later);
    (served.child, served.address, served.lines, later)
}

fn terminate(child: &mut Running) -> std::process::ExitStatus {
    common::child::terminate(child, Duration::from_secs(5))
}

#[tokio::test]
async fn first_start_generates_an_admin_password_kept_out_of_the_log() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sub").join("unlatch.db");
    // stderr is a pipe here, as under a container runtime or systemd: no terminal to show it on.
    let (mut child, address, lines, _) = serve(&db, Some("initial-admin-password"));
    assert!(db.exists(), "the database file is created on first start");
    let file = dir.path().join("sub").join("initial-admin-password");
    let notice = lines
        .iter()
        .find(|l| l.contains("generated password is in the file"))
        .unwrap_or_else(|| panic!("no notice naming the file in {lines:#?}"));
    assert!(notice.contains(&file.display().to_string()), "{notice}");
    let password = std::fs::read_to_string(&file)
        .expect("the password file")
        .trim()
        .to_string();
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&file)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "readable by the service's user only");
    }
    assert!(unlatch::domain::password_policy::check(&password).is_ok());
    assert_ne!(password, "unleash4all");
    let written = lines.join("\n");
    assert!(
        !written.contains(&password),
        "the password is not in the log: {written}"
    );

    let client = reqwest::Client::new();
    let login = client
        .post(format!("http://{address}/auth/simple/login"))
        .json(&json!({"username": "admin", "password": password}))
        .send()
        .await
        .expect("login sent");
    assert_eq!(login.status(), 200);
    let health = client
        .get(format!("http://{address}/health"))
        .send()
        .await
        .expect("health");
    assert_eq!(health.text().await.expect("body"), r#"{"health":"GOOD"}"#);
    assert!(terminate(&mut child).success(), "SIGTERM is a clean exit");

    // The second start finds the admin and prints no password.
    let (mut child, address, first_lines, later) = serve(&db, None);
    // Once it answers a log-in, the admin step is over: no password was printed this time.
    let login = client
        .post(format!("http://{address}/auth/simple/login"))
        .json(&json!({"username": "admin", "password": password}))
        .send()
        .await
        .expect("login sent");
    assert_eq!(login.status(), 200);
    terminate(&mut child);
    let everything = format!("{}\n{}", first_lines.join("\n"), later.text());
    assert!(!everything.contains("generated password"), "{everything}");
    assert!(!everything.contains(&password));
}

#[tokio::test]
async fn with_create_admin_user_off_an_empty_database_stays_empty() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("unlatch.db");
    let env = [
        ("CREATE_ADMIN_USER", "false"),
        ("INIT_ADMIN_API_TOKENS", "*:*.binary-test-admin-token"),
    ];
    // Stopping waits for the start-up's admin step, so after a stop it has run if it would.
    let (mut child, _, _, _) = serve_with(&db, None, &env);
    assert!(terminate(&mut child).success());
    let (mut child, address, _, later) = serve_with(&db, None, &env);
    let users = reqwest::Client::new()
        .get(format!("http://{address}/api/admin/user-admin"))
        .header("Authorization", "*:*.binary-test-admin-token")
        .send()
        .await
        .expect("user list");
    assert_eq!(users.status(), 200);
    let users: serde_json::Value = users.json().await.expect("json");
    assert_eq!(users["users"], json!([]), "no admin was created");
    terminate(&mut child);
    assert!(!dir.path().join("initial-admin-password").exists());
    assert!(!later.text().contains("initial admin"), "{}", later.text());
}

#[tokio::test]
async fn the_operator_cli_migrates_creates_users_and_prints_reset_links() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("unlatch.db");
    let migrate = unlatch(&db).arg("migrate").output().expect("migrate");
    assert!(migrate.status.success(), "{migrate:?}");
    assert!(String::from_utf8_lossy(&migrate.stdout).contains("up to date"));

    let create = unlatch(&db)
        .args([
            "user",
            "create",
            "--email",
            "Ops@Example.com",
            "--role",
            "Admin",
        ])
        .output()
        .expect("user create");
    assert!(create.status.success(), "{create:?}");
    let out = String::from_utf8_lossy(&create.stdout);
    assert!(
        out.contains("http://localhost:4242/new-user?token="),
        "{out}"
    );

    let link = unlatch(&db)
        .args(["user", "reset-link", "--email", "ops@example.com"])
        .output()
        .expect("reset-link");
    assert!(link.status.success(), "{link:?}");
    let link = String::from_utf8_lossy(&link.stdout).trim().to_string();
    let token = link
        .strip_prefix("http://localhost:4242/reset-password?token=")
        .unwrap_or_else(|| panic!("not a reset link: {link}"))
        .to_string();

    let unknown = unlatch(&db)
        .args(["user", "reset-link", "--email", "ghost@example.com"])
        .output()
        .expect("reset-link");
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("No user found"));

    // The link works against the running service: the locked-out admin sets a password.
    let (mut child, address, _, _) = serve(&db, None);
    let client = reqwest::Client::new();
    let reset = client
        .post(format!("http://{address}/auth/reset/password"))
        .json(&json!({"token": token, "password": "Recovered-Passw0rd!"}))
        .send()
        .await
        .expect("reset");
    assert_eq!(reset.status(), 200);
    let login = client
        .post(format!("http://{address}/auth/simple/login"))
        .json(&json!({"username": "ops@example.com", "password": "Recovered-Passw0rd!"}))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 200);
    // The CLI's actions are audited like the API's.
    let cookie = login
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("cookie")
        .to_string();
    let events: serde_json::Value = client
        .get(format!("http://{address}/api/admin/events"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("events")
        .json()
        .await
        .expect("json");
    let by_cli: Vec<(&str, &str)> = events["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["actor"] == "unlatch-cli")
        .map(|e| {
            (
                e["type"].as_str().unwrap_or_default(),
                e["subject"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        by_cli,
        [
            ("reset-link-created", "ops@example.com"),
            ("user-created", "ops@example.com")
        ]
    );
    terminate(&mut child);
}

#[test]
fn bad_configuration_stops_start_up_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("dir");
    let out = unlatch(&dir.path().join("x.db"))
        .env("DATABASE_URL", "mysql://nope")
        .arg("serve")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("DATABASE_URL must look like sqlite://"));
}

#[test]
fn an_unreachable_database_stops_start_up_naming_the_setting_but_not_its_password() {
    let dir = tempfile::tempdir().expect("dir");
    let out = unlatch(&dir.path().join("x.db"))
        // Nothing listens on port 1.
        .env(
            "DATABASE_URL",
            "postgres://ops:s3cret-pw@127.0.0.1:1/unlatch?sslmode=disable",
        )
        .arg("serve")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("DATABASE_URL"), "{stderr}");
    assert!(
        stderr.contains("postgres://ops:***@127.0.0.1:1/unlatch"),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cret-pw"), "{stderr}");
}

/// With the default `MAIL_PROVIDER=log`, mail goes to the log: invite, reset and forgotten-password
/// flows leave no token (nor password, nor session id) in anything the service writes.
#[tokio::test]
async fn with_the_log_provider_no_secret_reaches_the_log() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("unlatch.db");
    let token_header = "*:*.log-scan-admin";
    let (mut child, address, first_lines, later) = serve_with(
        &db,
        None,
        &[
            ("INIT_ADMIN_API_TOKENS", token_header),
            ("UNLEASH_DEFAULT_ADMIN_PASSWORD", "Adm1n-Passw0rd!"),
            ("LOG_LEVEL", "debug"),
        ],
    );
    let base = format!("http://{address}");
    let client = reqwest::Client::new();
    let created: serde_json::Value = client
        .post(format!("{base}/api/admin/user-admin"))
        .header("authorization", token_header)
        .json(&json!({"email": "ada@example.com", "rootRole": 2, "sendEmail": true}))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("json");
    let invite = created["inviteLink"]
        .as_str()
        .and_then(|l| l.split("token=").nth(1))
        .expect("invite token")
        .to_string();
    let validated = client
        .get(format!("{base}/auth/reset/validate?token={invite}"))
        .send()
        .await
        .expect("validate");
    assert_eq!(validated.status(), 200);
    let set = client
        .post(format!("{base}/auth/reset/password"))
        .json(&json!({"token": invite, "password": "First-Passw0rd!"}))
        .send()
        .await
        .expect("invite redeemed");
    assert_eq!(set.status(), 200);
    let link: serde_json::Value = client
        .post(format!("{base}/api/admin/user-admin/reset-password"))
        .header("authorization", token_header)
        .json(&json!({"id": "ada@example.com"}))
        .send()
        .await
        .expect("reset link")
        .json()
        .await
        .expect("json");
    let reset = link["resetPasswordUrl"]
        .as_str()
        .and_then(|l| l.split("token=").nth(1))
        .expect("reset token")
        .to_string();
    let login = client
        .post(format!("{base}/auth/simple/login"))
        .json(&json!({"username": "ada@example.com", "password": "First-Passw0rd!"}))
        .send()
        .await
        .expect("login");
    let session = login
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .and_then(|v| v.strip_prefix("unleash-session="))
        .expect("session")
        .to_string();
    // Another user: Ada's reset link above holds the per-user throttle for a minute.
    let bob = client
        .post(format!("{base}/api/admin/user-admin"))
        .header("authorization", token_header)
        .json(&json!({"email": "bob@example.com", "rootRole": 3, "sendEmail": false}))
        .send()
        .await
        .expect("create bob");
    assert_eq!(bob.status(), 201);
    let forgotten = client
        .post(format!("{base}/auth/reset/password-email"))
        .json(&json!({"email": "bob@example.com"}))
        .send()
        .await
        .expect("forgotten password");
    assert_eq!(forgotten.status(), 200);
    // The forgotten-password mail reaches the log (redacted) once the outbox takes it.
    for _ in 0..100 {
        if later.text().contains("token=[redacted]") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    terminate(&mut child);
    let everything = format!("{}\n{}", first_lines.join("\n"), later.text());
    assert!(
        everything.contains("token=[redacted]"),
        "the mail was logged: {everything}"
    );
    for secret in [
        invite.as_str(),
        reset.as_str(),
        session.as_str(),
        "First-Passw0rd!",
        "Adm1n-Passw0rd!",
        token_header,
    ] {
        assert!(!everything.contains(secret), "a secret in the log");
    }
    // No other token-shaped value after a `token=` either (the mailed one is never seen here).
    for (at, _) in everything.match_indices("token=") {
        let rest = &everything[at + "token=".len()..];
        let value: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        assert!(
            value.len() < 43,
            "a token-shaped value after token=: {value}"
        );
    }
}

/// The policy answers before the token is looked at, so a bogus token shows the policy's verdict:
/// 400 for a refused password, 401 InvalidTokenError for an accepted one.
async fn reset_with_bogus_token(address: &str, password: &str) -> (u16, serde_json::Value) {
    let reply = reqwest::Client::new()
        .post(format!("http://{address}/auth/reset/password"))
        .json(&json!({"token": "bogus-token", "password": password}))
        .send()
        .await
        .expect("reset sent");
    let status = reply.status().as_u16();
    (status, reply.json().await.expect("JSON body"))
}

#[tokio::test]
async fn the_password_blocklist_is_configured_from_the_environment() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("unlatch.db");
    let list = dir.path().join("breached.txt");
    std::fs::write(&list, "CorrectHorse\nhunter2\n").expect("list written");

    let list_path = list.display().to_string();
    let (mut child, address, lines, _) = serve_with(
        &db,
        Some("blocklist file loaded"),
        &[("PASSWORD_BLOCKLIST_FILE", list_path.as_str())],
    );
    let loaded = lines
        .iter()
        .find(|l| l.contains("blocklist file loaded"))
        .expect("load line");
    assert!(loaded.contains("entries=2"), "{loaded}");
    assert!(!loaded.contains("CorrectHorse"), "{loaded}");
    let (status, body) = reset_with_bogus_token(&address, "CorrectHorse2024!").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["message"],
        "This password is too common. Choose one that is harder to guess."
    );
    let (status, _) = reset_with_bogus_token(&address, "Password123!").await;
    assert_eq!(status, 400, "the built-in list still applies");
    let (status, body) = reset_with_bogus_token(&address, "simple123-_ASsad").await;
    assert_eq!(
        (status, body["name"].as_str()),
        (401, Some("InvalidTokenError"))
    );
    terminate(&mut child);

    let (mut child, address, _, _) = serve_with(
        &db,
        None,
        &[
            ("PASSWORD_BLOCKLIST_FILE", list_path.as_str()),
            ("PASSWORD_BLOCKLIST", "false"),
        ],
    );
    for password in ["CorrectHorse2024!", "Password123!"] {
        let (status, body) = reset_with_bogus_token(&address, password).await;
        assert_eq!(status, 401, "{password}: {body}");
    }
    terminate(&mut child);
}

#[test]
fn an_unreadable_blocklist_file_stops_start_up_naming_it() {
    let dir = tempfile::tempdir().expect("dir");
    let missing = dir.path().join("no-such-list.txt");
    let out = unlatch(&dir.path().join("x.db"))
        .env("PASSWORD_BLOCKLIST_FILE", &missing)
        .arg("serve")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot read the password blocklist")
            && stderr.contains("no-such-list.txt"),
        "{stderr}"
    );
}

/// Every request's access-log line carries the request's id (the one its `x-request-id` header
/// shows) and its operation, from the request span; a path the spec does not have is `none`.
#[tokio::test]
async fn each_request_is_logged_with_its_request_id_and_operation() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("unlatch.db");
    let (mut child, address, _, later) = serve(&db, None);
    let client = reqwest::Client::new();
    let mut seen = Vec::new();
    for (path, status) in [("/health", 200), ("/no-such-path", 404)] {
        let response = client
            .get(format!("http://{address}{path}"))
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), status, "{path}");
        let id = response.headers()["x-request-id"]
            .to_str()
            .expect("text")
            .to_string();
        seen.push((path, status, id));
    }
    // The log is buffered; stopping the server writes it out.
    assert!(terminate(&mut child).success());
    let log = later.text();
    for (path, status, id) in seen {
        let operation = if path == "/health" {
            "getHealth"
        } else {
            "none"
        };
        let lines: Vec<&str> = log.lines().filter(|l| l.contains(&id)).collect();
        assert_eq!(lines.len(), 1, "one line for {path}: {log}");
        let line = lines[0];
        assert!(
            line.contains(&format!(
                "request{{request_id={id} operation=\"{operation}\"}}: unlatch::http::front: request "
            )),
            "{line}"
        );
        assert!(
            line.contains(&format!(
                "method=GET path={path} status={status} duration_ms="
            )),
            "{line}"
        );
    }
}

#[test]
fn the_version_names_the_release_the_git_revision_and_the_api_contract() {
    let out = Command::new(BIN).arg("--version").output().expect("runs");
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let spec: serde_json::Value =
        serde_norway::from_str(unlatch::http::spec::OPENAPI_YAML).expect("the spec is YAML");
    let api = spec["info"]["version"].as_str().expect("info.version");
    // Built from this clone: the revision is its HEAD (the build script follows HEAD).
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let revision = match std::env::var("UNLATCH_GIT_REVISION") {
        Ok(given) if !given.is_empty() => given,
        _ => head.unwrap_or_else(|| "unknown".into()),
    };
    assert_eq!(
        text,
        format!(
            "unlatch {} (revision {revision}, API {api})",
            env!("CARGO_PKG_VERSION")
        )
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

#[test]
fn the_healthcheck_command_asks_the_running_service_whether_it_is_ready() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("unlatch.db");
    let (main, management) = (free_port().to_string(), free_port().to_string());
    let ports = [
        ("HTTP_PORT", main.as_str()),
        ("MANAGEMENT_HTTP_PORT", management.as_str()),
    ];
    let check = |extra: &[(&str, &str)]| {
        unlatch(&db)
            .envs(ports)
            .envs(extra.iter().copied())
            .arg("healthcheck")
            .output()
            .expect("runs")
    };
    // Nothing listens yet: unhealthy, naming what it asked.
    let down = check(&[]);
    assert!(!down.status.success(), "{down:?}");
    let error = String::from_utf8_lossy(&down.stderr);
    assert!(
        error.contains(&format!("http://127.0.0.1:{management}/health/ready")),
        "{error}"
    );

    let (mut child, _, _, _) = serve_with(&db, None, &ports);
    let up = check(&[]);
    assert!(up.status.success(), "{up:?}");
    let said = String::from_utf8_lossy(&up.stdout);
    assert!(said.contains(r#""health":"GOOD""#), "{said}");
    let live = unlatch(&db)
        .envs(ports)
        .args(["healthcheck", "--path", "/health/live"])
        .output()
        .expect("runs");
    assert!(live.status.success(), "{live:?}");
    assert!(String::from_utf8_lossy(&live.stdout).contains("/health/live"));
    // An address that listens everywhere is asked on the loopback one.
    assert!(check(&[("MANAGEMENT_HTTP_HOST", "0.0.0.0")])
        .status
        .success());
    // Without the management listener, on HTTP_PORT (which this server does not serve there).
    let main_port = check(&[("MANAGEMENT_HTTP_ENABLED", "false")]);
    assert!(main_port.status.success(), "{main_port:?}");
    assert!(String::from_utf8_lossy(&main_port.stdout)
        .contains(&format!("http://127.0.0.1:{main}/health/ready")));
    assert!(terminate(&mut child).success());
    assert!(!check(&[]).status.success(), "stopped: unhealthy again");
}
