//! Beside a real Unleash 8.2.0 on its own database (issue 12): Unlatch started with
//! `--unleash-database-url` on the database of the Unleash that `scripts/with-unleash.sh` runs
//! (`make sidecar-test`), each point proved across the two by driving both over HTTP: log in on
//! one and be recognised by the other, tokens made by one redeemed through the other exactly once,
//! resets and changes ending sessions on both sides, one password history, users made through
//! Unlatch logging in to Unleash with their role, Unleash's own credentials accepted by Unlatch,
//! log-out, forged cookies refused; the purge of Unlatch's old rows in Unleash's tables, in batches;
//! a user's own sessions over Unleash's rows (those Unleash made included), and a "this wasn't me"
//! link ending the sessions on both sides and the password at Unleash's own log-in too.
//! These tests fail (never skip) outside that harness.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

/// What `scripts/with-unleash.sh` exports.
fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: run these tests with `make sidecar-test` (scripts/with-unleash.sh)"
        )
    })
}

struct Unleash {
    url: String,
    admin_token: String,
    client: reqwest::Client,
}

impl Unleash {
    fn new() -> Self {
        Unleash {
            url: env("UNLEASH_TEST_URL"),
            admin_token: env("UNLEASH_TEST_ADMIN_TOKEN"),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
        }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = self.client.request(method, format!("{}{path}", self.url));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("Unleash answers");
        Reply {
            status: response.status(),
            headers: response.headers().clone(),
            text: response.text().await.expect("body read"),
        }
    }

    async fn login(&self, username: &str, password: &str) -> Reply {
        self.send(
            Method::POST,
            "/auth/simple/login",
            Some(json!({"username": username, "password": password})),
            &[],
        )
        .await
    }

    /// Logs in at Unleash and answers its cookie's value.
    async fn session(&self, username: &str, password: &str) -> String {
        let reply = self.login(username, password).await;
        assert_eq!(reply.status, 200, "Unleash log-in: {}", reply.text);
        reply.session_cookie().expect("Unleash sets its cookie")
    }

    /// `GET /api/admin/user` at Unleash with this cookie: who Unleash thinks is calling.
    async fn me(&self, cookie: &str) -> Reply {
        let cookie = format!("unleash-session={cookie}");
        self.send(Method::GET, "/api/admin/user", None, &[("cookie", &cookie)])
            .await
    }

    async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let token = self.admin_token.clone();
        self.send(method, path, body, &[("authorization", &token)])
            .await
    }

    /// A reset link made by Unleash itself: its token (stored in clear by Unleash).
    async fn reset_token(&self, email: &str) -> String {
        let reply = self
            .admin(
                Method::POST,
                "/api/admin/user-admin/reset-password",
                Some(json!({ "id": email })),
            )
            .await;
        assert!(
            reply.status.is_success(),
            "Unleash reset link: {}",
            reply.text
        );
        let url = reply.json()["resetPasswordUrl"]
            .as_str()
            .expect("resetPasswordUrl")
            .to_string();
        url::Url::parse(&url)
            .expect("a URL")
            .query_pairs()
            .find(|(k, _)| k == "token")
            .map(|(_, v)| v.into_owned())
            .expect("a token in the link")
    }
}

/// Unlatch on Unleash's database, with Unleash's default cookie secret.
async fn sidecar() -> TestApp {
    let url = env("UNLEASH_TEST_DATABASE_URL");
    TestApp::spawn_with(&["--unleash-database-url", &url]).await
}

/// Runs a query on Unleash's database, off the test's runtime (the client is synchronous).
fn query(sql: &'static str, param: String) -> Vec<postgres::Row> {
    let url = env("UNLEASH_TEST_DATABASE_URL");
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
        client.query(sql, &[&param]).expect("query")
    })
    .join()
    .expect("query thread")
}

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}-{}@sidecar.test",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    )
}

const FIRST: &str = "Sidecar-Passw0rd!1";
const SECOND: &str = "Sidecar-Passw0rd!2";
const THIRD: &str = "Sidecar-Passw0rd!3";

/// A JSON POST to Unlatch with this `Authorization`.
async fn post_with(app: &TestApp, path: &str, body: Value, authorization: &str) -> Reply {
    app.send(
        Method::POST,
        path,
        Some("application/json"),
        Some(body.to_string().into_bytes()),
        &[("authorization", authorization)],
    )
    .await
}

/// `POST /auth/reset/password` at Unlatch.
async fn redeem(app: &TestApp, token: &str, password: &str) -> Reply {
    app.post(
        "/auth/reset/password",
        json!({"token": token, "password": password}),
    )
    .await
}

/// A user made through Unlatch (with Unleash's admin token), with a password and a root role.
async fn user(app: &TestApp, unleash: &Unleash, email: &str, role: i64) -> i64 {
    let body = json!({"email": email, "name": "Side Car", "password": FIRST, "rootRole": role,
                      "sendEmail": false});
    let reply = post_with(app, "/api/admin/user-admin", body, &unleash.admin_token).await;
    assert_eq!(reply.status, 201, "create through Unlatch: {}", reply.text);
    reply.json()["id"].as_i64().expect("id")
}

#[tokio::test]
async fn a_user_made_through_unlatch_is_unleash_s_with_its_role_and_its_event() {
    let (app, unleash) = (sidecar().await, Unleash::new());
    let email = unique("editor");
    let id = user(&app, &unleash, &email, 2).await;

    // Unleash lists the user, with its root role.
    let list = unleash
        .admin(Method::GET, "/api/admin/user-admin", None)
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    let listed = list.json()["users"]
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["id"] == id)
        .cloned()
        .expect("Unleash lists the user made through Unlatch");
    assert_eq!(listed["email"], email.as_str());
    assert_eq!(listed["rootRole"], 2);

    // It logs in to Unleash with the password given to Unlatch, as an Editor.
    let cookie = unleash.session(&email, FIRST).await;
    let me = unleash.me(&cookie).await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.json()["user"]["email"], email.as_str());
    let permissions = me.json()["permissions"].to_string();
    assert!(
        !permissions.contains("\"ADMIN\""),
        "an Editor, not an admin: {permissions}"
    );
    let admin_only = unleash
        .send(
            Method::GET,
            "/api/admin/user-admin",
            None,
            &[("cookie", &format!("unleash-session={cookie}"))],
        )
        .await;
    assert_eq!(admin_only.status, 403, "{}", admin_only.text);

    // Unleash's event log has the creation, as Unleash writes it.
    let rows = query(
        "SELECT data::text, created_by FROM public.events
          WHERE type = 'user-created' AND data->>'email' = $1",
        email.clone(),
    );
    assert_eq!(rows.len(), 1);
    let data: Value = serde_json::from_str(rows[0].get::<_, &str>(0)).expect("json");
    assert_eq!(data["id"], id);
    assert_eq!(data["rootRole"], 2);
    assert_eq!(data["name"], "Side Car");
}

#[tokio::test]
async fn a_log_in_on_either_side_is_recognised_by_the_other_and_a_forged_cookie_by_neither() {
    let (app, unleash) = (sidecar().await, Unleash::new());
    let email = unique("both");
    user(&app, &unleash, &email, 3).await;

    // Logged in through Unlatch: Unleash knows the session.
    let ours = app.login(&email, FIRST).await;
    assert!(
        ours.starts_with("s%3A"),
        "signed as Unleash signs it: {ours}"
    );
    let seen = unleash.me(&ours).await;
    assert_eq!(seen.status, 200, "{}", seen.text);
    assert_eq!(seen.json()["user"]["email"], email.as_str());

    // Logged in through Unleash: Unlatch knows the session.
    let theirs = unleash.session(&email, FIRST).await;
    let seen = app.get_as("/api/admin/user", &theirs).await;
    assert_eq!(seen.status, 200, "{}", seen.text);
    assert_eq!(seen.json()["user"]["email"], email.as_str());

    // The same session id signed with another secret is nobody's.
    let sid = percent_decode(&theirs);
    let sid = sid
        .strip_prefix("s:")
        .and_then(|s| s.rsplit_once('.'))
        .map(|(id, _)| id.to_string())
        .expect("a signed cookie");
    let forged = format!("s%3A{sid}.{}", "A".repeat(43));
    assert_eq!(unleash.me(&forged).await.status, 401);
    app.get_as("/api/admin/user", &forged)
        .await
        .assert_error(401, "AuthenticationRequired");
    // Nor is the bare id.
    app.get_as("/api/admin/user", &sid)
        .await
        .assert_error(401, "AuthenticationRequired");
}

fn percent_decode(value: &str) -> String {
    url::form_urlencoded::parse(format!("v={value}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn log_out_through_unlatch_ends_the_user_s_sessions_on_both_sides() {
    let (app, unleash) = (sidecar().await, Unleash::new());
    let email = unique("logout");
    user(&app, &unleash, &email, 3).await;
    let theirs = unleash.session(&email, FIRST).await;
    let ours = app.login(&email, FIRST).await;
    let reply = app.post_as("/logout", &ours, json!({})).await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.text
    );
    assert_eq!(unleash.me(&theirs).await.status, 401);
    assert_eq!(unleash.me(&ours).await.status, 401);
}

#[tokio::test]
async fn a_token_unleash_made_is_honoured_by_unlatch_once() {
    let (app, unleash) = (sidecar().await, Unleash::new());
    let email = unique("their-token");
    user(&app, &unleash, &email, 3).await;
    let theirs = unleash.session(&email, FIRST).await;
    let token = unleash.reset_token(&email).await;

    let valid = app
        .get(&format!("/auth/reset/validate?token={}", urlencode(&token)))
        .await;
    assert_eq!(valid.status, 200, "{}", valid.text);
    assert_eq!(valid.json()["email"], email.as_str());
    let reply = redeem(&app, &token, SECOND).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    redeem(&app, &token, THIRD)
        .await
        .assert_error(401, "InvalidTokenError");
    // Spent on Unleash's side too, and the reset ended the Unleash session.
    let again = unleash
        .send(
            Method::GET,
            &format!("/auth/reset/validate?token={}", urlencode(&token)),
            None,
            &[],
        )
        .await;
    assert_ne!(again.status, 200, "{}", again.text);
    assert_eq!(unleash.me(&theirs).await.status, 401);
    assert_eq!(unleash.login(&email, SECOND).await.status, 200);
    assert_eq!(unleash.login(&email, FIRST).await.status, 401);
}

#[tokio::test]
async fn a_token_unlatch_made_is_kept_hashed_and_is_no_token_at_unleash() {
    let (app, unleash) = (sidecar().await, Unleash::new());
    let email = unique("our-token");
    user(&app, &unleash, &email, 3).await;
    let token = app.reset_token(&email).await;

    // Unleash's table holds no trace of the token itself.
    let rows = query(
        "SELECT t.reset_token FROM public.reset_tokens t JOIN public.users u ON u.id = t.user_id
          WHERE u.email = $1",
        email.clone(),
    );
    let stored: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    assert!(!stored.is_empty());
    assert!(stored.iter().all(|s| !s.contains(&token)), "{stored:?}");
    // Neither the token nor what is stored works at Unleash.
    for presented in [token.clone(), stored[0].clone()] {
        let reply = unleash
            .send(
                Method::GET,
                &format!("/auth/reset/validate?token={}", urlencode(&presented)),
                None,
                &[],
            )
            .await;
        assert_ne!(
            reply.status, 200,
            "Unleash honoured {presented:?}: {}",
            reply.text
        );
        let reply = unleash
            .send(
                Method::POST,
                "/auth/reset/password",
                Some(json!({"token": presented, "password": THIRD})),
                &[],
            )
            .await;
        assert_ne!(
            reply.status, 200,
            "Unleash redeemed {presented:?}: {}",
            reply.text
        );
    }
    // Nor does the stored value at Unlatch.
    app.get(&format!(
        "/auth/reset/validate?token={}",
        urlencode(&stored[0])
    ))
    .await
    .assert_error(401, "InvalidTokenError");
    // Unlatch redeems it once; the new password is Unleash's too.
    let reply = redeem(&app, &token, SECOND).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    redeem(&app, &token, THIRD)
        .await
        .assert_error(401, "InvalidTokenError");
    assert_eq!(unleash.login(&email, SECOND).await.status, 200);
}

#[tokio::test]
async fn the_password_history_is_one_and_resets_end_sessions_on_both_sides() {
    let (app, unleash) = (sidecar().await, Unleash::new());
    let email = unique("history");
    user(&app, &unleash, &email, 3).await;
    let theirs = unleash.session(&email, FIRST).await;
    let ours = app.login(&email, FIRST).await;

    // A reset through Unlatch ends both sessions.
    let token = app.reset_token(&email).await;
    let reply = redeem(&app, &token, SECOND).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(unleash.me(&theirs).await.status, 401);
    assert_eq!(unleash.me(&ours).await.status, 401);

    // Unleash refuses the password Unlatch set first (Unlatch wrote it to the shared history).
    let token = unleash.reset_token(&email).await;
    let reply = unleash
        .send(
            Method::POST,
            "/auth/reset/password",
            Some(json!({"token": token, "password": FIRST})),
            &[],
        )
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    // Unleash sets a third; Unlatch then refuses it as used before.
    let reply = unleash
        .send(
            Method::POST,
            "/auth/reset/password",
            Some(json!({"token": token, "password": THIRD})),
            &[],
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    // One reset link per user per minute (Unlatch's throttle; Unleash keeps its own).
    app.clock.advance(std::time::Duration::from_secs(61));
    let token = app.reset_token(&email).await;
    redeem(&app, &token, THIRD)
        .await
        .assert_error(400, "PasswordPreviouslyUsedError");
}

#[tokio::test]
async fn a_change_through_unlatch_keeps_only_the_caller_s_session_on_both_sides() {
    let (app, unleash) = (sidecar().await, Unleash::new());
    let email = unique("change");
    user(&app, &unleash, &email, 3).await;
    let theirs = unleash.session(&email, FIRST).await;
    let ours = app.login(&email, FIRST).await;
    let reply = app
        .post_as(
            "/api/admin/user/change-password",
            &ours,
            json!({"password": SECOND, "confirmPassword": SECOND, "oldPassword": FIRST}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        unleash.me(&ours).await.status,
        200,
        "the caller's session stays"
    );
    assert_eq!(unleash.me(&theirs).await.status, 401, "the other one ends");
    assert_eq!(unleash.login(&email, SECOND).await.status, 200);
}

#[tokio::test]
async fn unleash_s_admin_token_and_an_admin_s_personal_access_token_act_at_unlatch() {
    let (app, unleash) = (sidecar().await, Unleash::new());
    let email = unique("pat");
    user(&app, &unleash, &email, 1).await;
    // The admin makes a personal access token at Unleash.
    let cookie = unleash.session(&email, FIRST).await;
    let reply = unleash
        .send(
            Method::POST,
            "/api/admin/user/tokens",
            Some(json!({"description": "sidecar test", "expiresAt": "2099-01-01T00:00:00Z"})),
            &[("cookie", &format!("unleash-session={cookie}"))],
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let pat = reply.json()["secret"].as_str().expect("secret").to_string();
    let target = unique("target");
    user(&app, &unleash, &target, 3).await;
    let path = "/api/admin/user-admin/reset-password";
    let reply = post_with(&app, path, json!({ "id": target }), &pat).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    // A made-up token is refused.
    let made_up = "*:*.not-a-token-of-unleash";
    let reply = post_with(&app, path, json!({ "id": target }), made_up).await;
    reply.assert_error(401, "UnauthorizedError");
}

fn urlencode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// An empty database of the throwaway cluster, with `setup` run in it; its URL.
fn database_with(setup: &'static str) -> String {
    let url = common::pg::fresh_database();
    let target = url.clone();
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&target, postgres::NoTls).expect("connect");
        client.batch_execute(setup).expect("setup");
    })
    .join()
    .expect("setup thread");
    url
}

/// `unlatch migrate` with these environment variables: its exit status and its error output.
fn migrate_with(vars: &[(&str, &str)]) -> (bool, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_unlatch"));
    cmd.arg("migrate");
    for name in [
        "DATABASE_URL",
        "UNLEASH_DATABASE_URL",
        "UNLEASH_SCHEMA_CHECK",
    ] {
        cmd.env_remove(name);
    }
    for (name, value) in vars {
        cmd.env(name, value);
    }
    let out = cmd.output().expect("unlatch runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn both_database_settings_at_once_are_a_start_up_error() {
    let (ok, err) = migrate_with(&[
        ("DATABASE_URL", "sqlite:///tmp/unlatch-never-made.db"),
        ("UNLEASH_DATABASE_URL", &env("UNLEASH_TEST_DATABASE_URL")),
    ]);
    assert!(!ok);
    assert!(err.contains("--unleash-database-url"), "{err}");
    assert!(err.contains("--database-url"), "{err}");
    assert!(!std::path::Path::new("/tmp/unlatch-never-made.db").exists());
}

#[test]
fn an_unknown_unleash_schema_is_refused_naming_both_versions_unless_overridden() {
    let url = database_with(
        "CREATE TABLE migrations (id serial PRIMARY KEY, name varchar(255), run_on timestamp);
         INSERT INTO migrations (name) VALUES ('/20991231000000-from-the-future');",
    );
    let (ok, err) = migrate_with(&[("UNLEASH_DATABASE_URL", &url)]);
    assert!(!ok);
    assert!(err.contains("UNLEASH_DATABASE_URL"), "{err}");
    assert!(err.contains("/20991231000000-from-the-future"), "{err}");
    assert!(
        err.contains(unlatch::store::unleash::SUPPORTED_UNLEASH_MIGRATION),
        "{err}"
    );
    assert!(err.contains("UNLEASH_SCHEMA_CHECK=false"), "{err}");
    // At the operator's own risk: the check lets it pass (and Unlatch's own schema is made).
    let (ok, err) = migrate_with(&[
        ("UNLEASH_DATABASE_URL", &url),
        ("UNLEASH_SCHEMA_CHECK", "false"),
    ]);
    assert!(ok, "{err}");
}

#[test]
fn a_database_that_is_not_unleash_s_is_refused() {
    let url = database_with("CREATE TABLE something_else (id int)");
    let (ok, err) = migrate_with(&[("UNLEASH_DATABASE_URL", &url)]);
    assert!(!ok);
    assert!(err.contains("not an Unleash database"), "{err}");
}

#[tokio::test]
async fn unleash_s_own_database_gets_only_the_unlatch_schema() {
    let _app = sidecar().await;
    let own = query(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = $1
          ORDER BY 1",
        "unlatch".to_string(),
    );
    let own: Vec<String> = own.iter().map(|r| r.get(0)).collect();
    assert_eq!(
        own,
        [
            "attempts",
            "events",
            "keys",
            "leases",
            "not_me_tokens",
            "outbox",
            "unlatch_migrations"
        ]
    );
    // No table of Unlatch's anywhere else.
    let rows = query(
        "SELECT (table_schema || '.' || table_name)::text FROM information_schema.tables
          WHERE table_schema <> $1 AND table_name IN
                ('outbox', 'attempts', 'keys', 'leases', 'unlatch_migrations', 'tokens',
                 'sessions', 'password_history', 'not_me_tokens')",
        "unlatch".to_string(),
    );
    let misplaced: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    assert!(misplaced.is_empty(), "{misplaced:?}");
}

/// Runs these statements on Unleash's database, off the test's runtime.
fn execute(sql: String) {
    let url = env("UNLEASH_TEST_DATABASE_URL");
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
        client.batch_execute(&sql).expect("statements");
    })
    .join()
    .expect("statements thread");
}

/// One kind's purge as `retention.rs` runs it, in batches of two, each starting where the
/// previous one stopped, until one comes back short. Answers the rows deleted.
async fn purge_in_batches(
    app: &TestApp,
    delete: fn(
        &mut dyn unlatch::store::Tx,
        i64,
        Option<&unlatch::store::PurgeCursor>,
        usize,
    ) -> unlatch::store::StoreResult<unlatch::store::Purged>,
    before: i64,
) -> u64 {
    let mut after = None;
    let mut deleted = 0;
    loop {
        let from = after.clone();
        let purged = app
            .store
            .write(move |tx| {
                delete(tx, before, from.as_ref(), 2).map(unlatch::store::Finish::Commit)
            })
            .await
            .expect("batch");
        deleted += purged.count;
        if purged.count < 2 {
            return deleted;
        }
        after = purged.last;
    }
}

#[tokio::test]
async fn unlatch_s_old_tokens_and_sessions_go_in_batches_and_unleash_s_tokens_stay() {
    use unlatch::base::types::{TokenKind, UserId};
    use unlatch::store::{Finish, NewSession, NewToken, SecretKey};

    let app = sidecar().await;
    let unleash = Unleash::new();
    let user = UserId(user(&app, &unleash, &unique("purge"), 2).await);
    // Long before anything the other tests of this database make (they share it): 2001.
    const BEFORE: i64 = 978_307_200_000;
    let old = BEFORE - 1_000;
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let digest = |n: u8| -> [u8; 32] {
        use sha2::Digest as _;
        sha2::Sha256::digest(format!("{tag}-{n}")).into()
    };
    let sid = |n: u8| format!("purge-{tag}-{n}");
    // Five tokens of one expiry (more than a batch of two holds) and one earlier, old; one at
    // the cut-off, not old.
    let tokens: Vec<NewToken> = [(3, old), (1, old), (5, old), (2, old - 1_000), (4, old)]
        .into_iter()
        .chain([(6, old), (7, BEFORE)])
        .map(|(n, expires_at)| NewToken {
            digest: digest(n),
            kind: TokenKind::Reset,
            created_by: "purge test".into(),
            created_at: expires_at - 86_400_000,
            expires_at,
        })
        .collect();
    // Three sessions of one expiry, old; one live.
    let now = app.clock.now_ms();
    let sessions: Vec<NewSession> = [(1, old), (2, old), (3, old)]
        .into_iter()
        .chain([(9, now + 86_400_000)])
        .map(|(n, expires_at)| NewSession {
            key: SecretKey::of(&sid(n)),
            user_id: user,
            created_at: expires_at - 3_600_000,
            expires_at,
            client: Default::default(),
        })
        .collect();
    app.store
        .write(move |tx| {
            for token in &tokens {
                tx.insert_token(user, token)?;
            }
            for session in &sessions {
                tx.insert_session(session)?;
            }
            Ok(Finish::Commit(()))
        })
        .await
        .expect("rows");
    // Unleash keeps microseconds: two more old sessions within the same millisecond, after the
    // ones above, so that a batch boundary falls between them (a cursor rounded up to the next
    // millisecond would pass the second). And a token Unleash made (in clear), as old as Unlatch's: Unleash's to keep.
    let theirs = format!("unleash-made-{tag}");
    execute(format!(
        "INSERT INTO unleash_session (sid, sess, expired) VALUES
             ('{a}', '{{}}', to_timestamp({old} / 1000.0) + interval '300 microseconds'),
             ('{b}', '{{}}', to_timestamp({old} / 1000.0) + interval '700 microseconds');
         INSERT INTO reset_tokens (reset_token, user_id, expires_at, created_by)
             VALUES ('{theirs}', {id}, to_timestamp({old} / 1000.0), 'unleash');",
        a = sid(5),
        b = sid(6),
        id = user.0,
    ));

    let tokens = purge_in_batches(
        &app,
        |tx, before, after, limit| tx.delete_tokens_expired_before(before, after, limit),
        BEFORE,
    )
    .await;
    assert_eq!(tokens, 6, "Unlatch's old tokens, and no other");
    let mut left: Vec<String> = query(
        // Not the user's invite token, made with the user.
        "SELECT reset_token FROM reset_tokens
          WHERE user_id::text = $1 AND created_by IN ('purge test', 'unleash')",
        user.0.to_string(),
    )
    .iter()
    .map(|r| r.get(0))
    .collect();
    left.sort();
    let hex: String = digest(7).iter().map(|b| format!("{b:02x}")).collect();
    let mut kept = vec![theirs, format!("unlatch:reset:{hex}")];
    kept.sort();
    assert_eq!(left, kept);

    let sessions = purge_in_batches(
        &app,
        |tx, before, after, limit| tx.delete_sessions_expired_before(before, after, limit),
        BEFORE,
    )
    .await;
    // Unleash deletes expired sessions itself (every minute): it may have taken some first.
    assert!(sessions <= 5, "{sessions}");
    let left: Vec<String> = query(
        "SELECT sid FROM unleash_session WHERE sid LIKE $1 ORDER BY 1",
        format!("purge-{tag}-%"),
    )
    .iter()
    .map(|r| r.get(0))
    .collect();
    assert_eq!(
        left,
        [sid(9)],
        "every old session is gone, the live one is kept"
    );
}

/// What `unlatch serve` beside Unleash writes before it listens, with these extra variables.
fn start_up_lines_beside_unleash(vars: &[(&str, &str)]) -> String {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_unlatch"));
    cmd.env_clear()
        .env("UNLEASH_DATABASE_URL", env("UNLEASH_TEST_DATABASE_URL"))
        .env("HTTP_PORT", "0")
        .env("BCRYPT_COST", "4")
        .env("LOG_LEVEL", "info")
        .envs(vars.iter().copied())
        .arg("serve");
    // Stopped (killed) when `served` goes.
    let served = common::child::serve(cmd, None, std::time::Duration::from_secs(30));
    served.lines.join("\n")
}

#[test]
fn unleash_s_public_default_secret_is_warned_about_at_start_up() {
    let warning = "UNLEASH_SECRET is Unleash's public default";
    let default = start_up_lines_beside_unleash(&[]);
    assert_eq!(default.matches(warning).count(), 1, "{default}");
    let own =
        start_up_lines_beside_unleash(&[("UNLEASH_SECRET", "a-long-random-secret-of-our-own")]);
    assert!(!own.contains(warning), "{own}");
}

// ---------------------------------------------------------------- as Unleash writes them (issue: compat)

/// A request to Unlatch with this `Authorization` and no body.
async fn call_with(app: &TestApp, method: Method, path: &str, authorization: &str) -> Reply {
    app.send(
        method,
        path,
        None,
        None,
        &[("authorization", authorization)],
    )
    .await
}

/// Unleash's event log about the user with this address, oldest first: type, `created_by`,
/// `created_by_user_id`, `data` and `pre_data`, with the user's id and address replaced by
/// placeholders (so that two users' events compare).
fn user_events(email: &str, id: i64) -> Vec<Value> {
    let rows = query(
        "SELECT json_build_object('type', type, 'createdBy', created_by,
                'createdByUserId', created_by_user_id, 'data', data, 'preData', pre_data)::text
           FROM public.events
          WHERE type LIKE 'user-%' AND (data->>'email' = $1 OR pre_data->>'email' = $1)
          ORDER BY id",
        email.to_string(),
    );
    rows.iter()
        .map(|r| {
            let mut event: Value = serde_json::from_str(r.get::<_, &str>(0)).expect("json");
            for field in ["data", "preData"] {
                if let Some(user) = event[field].as_object_mut() {
                    if user.get("id") == Some(&json!(id)) {
                        user.insert("id".into(), json!("<id>"));
                    }
                    if user.get("email") == Some(&json!(email)) {
                        user.insert("email".into(), json!("<email>"));
                    }
                }
            }
            event
        })
        .collect()
}

#[tokio::test]
async fn unlatch_writes_the_user_events_unleash_writes_for_the_same_calls() {
    let (app, unleash) = (sidecar().await, Unleash::new());
    let token = unleash.admin_token.clone();
    // Unleash checks addresses with Joi, which knows only real top-level domains.
    let (ours, theirs) = (
        unique("ours").replace("sidecar.test", "example.com"),
        unique("theirs").replace("sidecar.test", "example.com"),
    );
    let body = |email: &str| json!({"email": email, "name": "Side Car", "rootRole": 2, "sendEmail": false});
    let made = post_with(&app, "/api/admin/user-admin", body(&ours), &token).await;
    assert_eq!(made.status, 201, "{}", made.text);
    let our_id = made.json()["id"].as_i64().expect("id");
    let made = unleash
        .admin(Method::POST, "/api/admin/user-admin", Some(body(&theirs)))
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    let their_id = made.json()["id"].as_i64().expect("id");
    let path = |id: i64| format!("/api/admin/user-admin/{id}");
    let gone = call_with(&app, Method::DELETE, &path(our_id), &token).await;
    assert_eq!(gone.status, 200, "{}", gone.text);
    let gone = unleash.admin(Method::DELETE, &path(their_id), None).await;
    assert_eq!(gone.status, 200, "{}", gone.text);

    // Unleash's own events for its own calls: what Unlatch must write for the same calls.
    let expected = user_events(&theirs, their_id);
    let kinds: Vec<&Value> = expected.iter().map(|e| &e["type"]).collect();
    assert_eq!(kinds, ["user-created", "user-deleted"], "{expected:?}");
    assert_eq!(expected[0]["createdBy"], "admin");
    assert_eq!(expected[0]["createdByUserId"], -42);
    assert_eq!(user_events(&ours, our_id), expected);

    // Unlatch's own audit log records them alike.
    let log = call_with(&app, Method::GET, "/api/admin/events?limit=500", &token).await;
    assert_eq!(log.status, 200, "{}", log.text);
    let log = log.json();
    let of_ours = |kind: &str, field: &str| {
        log["events"]
            .as_array()
            .expect("events")
            .iter()
            .find(|e| e["type"] == kind && e[field]["email"] == ours.as_str())
            .cloned()
            .unwrap_or_else(|| panic!("no {kind} for {ours} in {log}"))
    };
    let created = of_ours("user-created", "data");
    let deleted = of_ours("user-deleted", "preData");
    let unleash_user = json!({"id": our_id, "name": "Side Car", "email": ours, "rootRole": 2});
    for (event, data, pre_data) in [
        (&created, unleash_user.clone(), Value::Null),
        (&deleted, Value::Null, unleash_user.clone()),
    ] {
        assert_eq!(event["actor"], "admin", "{event}");
        assert_eq!(event["createdByUserId"], -42, "{event}");
        assert_eq!(event["data"], data, "{event}");
        assert_eq!(event["preData"], pre_data, "{event}");
    }
}

#[tokio::test]
async fn the_user_json_is_unleash_s_own_field_for_field() {
    let (app, unleash) = (sidecar().await, Unleash::new());
    let token = unleash.admin_token.clone();
    let email = unique("json");
    let made = post_with(
        &app,
        "/api/admin/user-admin",
        json!({"email": email, "name": "Side Car", "rootRole": 2, "sendEmail": false}),
        &token,
    )
    .await;
    assert_eq!(made.status, 201, "{}", made.text);
    let mut created = made.json();
    let id = created["id"].as_i64().expect("id");
    // Unleash's own answer for the same user (an update that changes nothing) is the created user
    // less what only creation answers (as Unleash's own end-to-end test compares them).
    let path = format!("/api/admin/user-admin/{id}");
    let updated = unleash.admin(Method::PUT, &path, Some(json!({}))).await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    for only_at_creation in ["emailSent", "inviteLink", "rootRole"] {
        created
            .as_object_mut()
            .expect("an object")
            .remove(only_at_creation);
    }
    assert_eq!(created, updated.json());

    // What only Unleash sets is shown as Unleash shows it, field for field.
    execute(format!(
        "UPDATE public.users SET scim_id = 'scim-{id}', seat_type = 'Regular',
                company_role = 'Developer', product_updates_email_consent = true WHERE id = {id}"
    ));
    let ours = call_with(&app, Method::GET, &path, &token).await;
    let theirs = unleash.admin(Method::GET, &path, None).await;
    assert_eq!(theirs.status, 200, "{}", theirs.text);
    assert_eq!(ours.json(), theirs.json());
    assert_eq!(ours.json()["companyRole"], "Developer");
}

#[tokio::test]
async fn with_unleash_s_device_count_flag_the_list_counts_the_sessions_in_unleash_s_table() {
    let url = env("UNLEASH_TEST_DATABASE_URL");
    let app = TestApp::spawn_with(&[
        "--unleash-database-url",
        &url,
        "--show-user-device-count",
        "true",
    ])
    .await;
    let unleash = Unleash::new();
    let (busy, idle) = (unique("busy"), unique("idle"));
    let busy_id = user(&app, &unleash, &busy, 3).await;
    user(&app, &unleash, &idle, 3).await;
    // Sessions as Unleash's own test inserts them (a bare user id), two live, one expired.
    let sid = |n: u32| format!("devices-{busy_id}-{n}");
    execute(format!(
        "INSERT INTO public.unleash_session (sid, sess, expired) VALUES
           ('{}', '{{\"user\":{{\"id\":{busy_id}}}}}', now() + interval '1 day'),
           ('{}', '{{\"user\":{{\"id\":{busy_id}}}}}', now() + interval '1 day'),
           ('{}', '{{\"user\":{{\"id\":{busy_id}}}}}', now() - interval '1 minute')",
        sid(1),
        sid(2),
        sid(3)
    ));
    let list = call_with(
        &app,
        Method::GET,
        "/api/admin/user-admin",
        &unleash.admin_token,
    )
    .await;
    assert_eq!(list.status, 200, "{}", list.text);
    let list = list.json();
    let sessions_of = |email: &str| {
        list["users"]
            .as_array()
            .expect("users")
            .iter()
            .find(|u| u["email"] == email)
            .map(|u| u["activeSessions"].clone())
    };
    assert_eq!(sessions_of(&busy), Some(json!(2)), "{list}");
    assert_eq!(sessions_of(&idle), Some(json!(0)), "{list}");
}

#[tokio::test]
async fn max_parallel_sessions_holds_over_unleash_s_session_rows() {
    let url = env("UNLEASH_TEST_DATABASE_URL");
    let app = TestApp::spawn_with(&[
        "--unleash-database-url",
        &url,
        "--max-parallel-sessions",
        "2",
    ])
    .await;
    let unleash = Unleash::new();
    let email = unique("cap");
    user(&app, &unleash, &email, 3).await;
    let mut cookies = Vec::new();
    for _ in 0..3 {
        let reply = app
            .post(
                "/auth/simple/login",
                json!({"username": email, "password": FIRST}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        cookies.push(reply.session_cookie().expect("a session"));
    }
    // Unleash itself sees the first one gone and the newest two live.
    assert_eq!(unleash.me(&cookies[0]).await.status, 401);
    for cookie in &cookies[1..] {
        assert_eq!(unleash.me(cookie).await.status, 200);
    }
}

/// A request to Unlatch with this session cookie and `User-Agent`.
async fn as_browser(app: &TestApp, method: Method, path: &str, cookie: &str, agent: &str) -> Reply {
    let cookie = format!("unleash-session={cookie}");
    app.send(
        method,
        path,
        None,
        None,
        &[("cookie", &cookie), ("user-agent", agent)],
    )
    .await
}

#[tokio::test]
async fn a_user_lists_and_ends_their_sessions_over_unleash_s_rows_those_unleash_made_included() {
    let (app, unleash) = (sidecar().await, Unleash::new());
    let email = unique("sessions");
    user(&app, &unleash, &email, 3).await;
    // A session Unleash made; Unleash records its client on the first admin call.
    let theirs = unleash.session(&email, FIRST).await;
    let cookie = format!("unleash-session={theirs}");
    let seen = unleash
        .send(
            Method::GET,
            "/api/admin/user",
            None,
            &[("cookie", &cookie), ("user-agent", "UnleashBrowser/1.0")],
        )
        .await;
    assert_eq!(seen.status, 200, "{}", seen.text);
    // One Unlatch made, with its client in Unleash's own place for it.
    let login = app
        .send(
            Method::POST,
            "/auth/simple/login",
            Some("application/json"),
            Some(
                json!({"username": email, "password": FIRST})
                    .to_string()
                    .into_bytes(),
            ),
            &[("user-agent", "UnlatchBrowser/2.0")],
        )
        .await;
    assert_eq!(login.status, 200, "{}", login.text);
    let ours = login.session_cookie().expect("cookie");
    // Unleash keeps what Unlatch recorded (it stamps only what is missing).
    let seen = unleash
        .send(
            Method::GET,
            "/api/admin/user",
            None,
            &[
                ("cookie", &format!("unleash-session={ours}")),
                ("user-agent", "SomethingElse/9"),
            ],
        )
        .await;
    assert_eq!(seen.status, 200, "{}", seen.text);

    let list = as_browser(&app, Method::GET, "/api/admin/user/sessions", &ours, "x").await;
    assert_eq!(list.status, 200, "{}", list.text);
    let sessions = list.json()["sessions"].as_array().expect("list").clone();
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    let mine = sessions
        .iter()
        .find(|s| s["current"] == true)
        .expect("current");
    assert_eq!(mine["userAgent"], "UnlatchBrowser/2.0");
    assert_eq!(mine["ip"], "127.0.0.1");
    let unleash_made = sessions
        .iter()
        .find(|s| s["current"] == false)
        .expect("Unleash's");
    assert_eq!(unleash_made["userAgent"], "UnleashBrowser/1.0");
    assert!(
        unleash_made["ip"].as_str().unwrap().ends_with("127.0.0.1"),
        "as Unleash recorded it: {unleash_made}"
    );
    for session in &sessions {
        let id = session["id"].as_str().unwrap();
        assert!(!theirs.contains(id) && !ours.contains(id));
    }

    // Another user's session id is not found.
    let other = unique("sessions-other");
    user(&app, &unleash, &other, 3).await;
    let others = app.login(&other, FIRST).await;
    let other_list = app.get_as("/api/admin/user/sessions", &others).await;
    let other_id = other_list.json()["sessions"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    as_browser(
        &app,
        Method::DELETE,
        &format!("/api/admin/user/sessions/{other_id}"),
        &ours,
        "x",
    )
    .await
    .assert_error(404, "NotFoundError");
    assert_eq!(unleash.me(&others).await.status, 200);

    // End the one Unleash made: Unleash no longer knows it.
    let id = unleash_made["id"].as_str().unwrap();
    let ended = as_browser(
        &app,
        Method::DELETE,
        &format!("/api/admin/user/sessions/{id}"),
        &ours,
        "x",
    )
    .await;
    assert_eq!(ended.status, 204, "{}", ended.text);
    assert_eq!(unleash.me(&theirs).await.status, 401);
    assert_eq!(unleash.me(&ours).await.status, 200);

    // End all others: two more from Unleash go, the caller's stays on both sides.
    let more = [
        unleash.session(&email, FIRST).await,
        unleash.session(&email, FIRST).await,
    ];
    let ended = as_browser(&app, Method::DELETE, "/api/admin/user/sessions", &ours, "x").await;
    assert_eq!(ended.status, 204, "{}", ended.text);
    for cookie in &more {
        assert_eq!(unleash.me(cookie).await.status, 401);
    }
    assert_eq!(unleash.me(&ours).await.status, 200);
    assert_eq!(unleash.me(&others).await.status, 200);
    let left = app.get_as("/api/admin/user/sessions", &ours).await;
    assert_eq!(left.json()["sessions"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn this_wasn_t_me_ends_unleash_s_sessions_and_unleash_s_own_log_in_refuses_the_password() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let relay = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/emails"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&relay)
        .await;
    let url = env("UNLEASH_TEST_DATABASE_URL");
    let relay_url = format!("{}/emails", relay.uri());
    let app = TestApp::spawn_with(&[
        "--unleash-database-url",
        &url,
        "--mail-provider",
        "json",
        "--mail-relay-url",
        &relay_url,
        "--email-sender",
        "Unleash <noreply@sidecar.test>",
    ])
    .await;
    let unleash = Unleash::new();
    let email = unique("not-me");
    user(&app, &unleash, &email, 3).await;
    // The attacker logs in at Unleash and at Unlatch, and changes the password through Unlatch.
    let at_unleash = unleash.session(&email, FIRST).await;
    let at_unlatch = app.login(&email, FIRST).await;
    let reply = app
        .post_as(
            "/api/admin/user/change-password",
            &at_unlatch,
            json!({"password": SECOND, "confirmPassword": SECOND, "oldPassword": FIRST}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let mut notice = None;
    for _ in 0..200 {
        let mails: Vec<Value> = relay
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .map(|r| serde_json::from_slice(&r.body).expect("JSON"))
            .collect();
        notice = mails
            .into_iter()
            .find(|m| m["subject"] == "Unleash - Your password was changed");
        if notice.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let notice = notice.expect("the password-changed mail");
    let text = notice["text"].as_str().unwrap();
    let start = text.find("/not-me?token=").expect("the link");
    let token: String = text[start + "/not-me?token=".len()..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let attacker_again = unleash.session(&email, SECOND).await;

    let reply = app
        .post("/auth/reset/not-me", json!({"token": token}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    for cookie in [&at_unleash, &at_unlatch, &attacker_again] {
        assert_eq!(unleash.me(cookie).await.status, 401);
    }
    // Neither side takes the attacker's password any more.
    assert_eq!(unleash.login(&email, SECOND).await.status, 401);
    app.post(
        "/auth/simple/login",
        json!({"username": email, "password": SECOND}),
    )
    .await
    .assert_error(401, "PasswordMismatch");
    app.post("/auth/reset/not-me", json!({"token": token}))
        .await
        .assert_error(401, "InvalidTokenError");
}
