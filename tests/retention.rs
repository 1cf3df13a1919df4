//! Retention and the streamed user list, on the real service: each kind of row is kept until its
//! period is over and purged after it (time moves with the injected clock, never by waiting);
//! one purger at a time through the lease; the user list in Unleash's shape, whole or in pages.
//! Run on SQLite, and on PostgreSQL with `UNLATCH_TEST_BACKEND=postgres` (as `make test` does).

mod common;

use std::time::Duration;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use unlatch::process::retention::{PurgeReport, LEASE_NAME};
use unlatch::store::{Finish, Lease, MailState, OutgoingMail};

const STRONG: &str = "simple123-_ASsad";
const HOUR: Duration = Duration::from_secs(3600);

/// The background purge is off: every run in these tests is asked for.
async fn spawn() -> TestApp {
    TestApp::spawn_with(&["--purge-interval-seconds", "0"]).await
}

async fn purge(app: &TestApp) -> PurgeReport {
    let report = app.retention.purge_once().await.expect("purge");
    assert!(!report.skipped, "{report:?}");
    report
}

async fn validate(app: &TestApp, token: &str) -> u16 {
    app.get(&format!("/auth/reset/validate?token={token}"))
        .await
        .status
        .as_u16()
}

#[tokio::test]
async fn tokens_are_kept_until_their_grace_period_after_expiry_is_over() {
    let app = spawn().await;
    app.user_with_password("ada@example.com", STRONG).await;
    let spent = app.reset_token("ada@example.com").await;
    let reply = app
        .post(
            "/auth/reset/password",
            json!({"token": spent, "password": "DtUYwi&l5I1KX4@Le"}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    // One reset link per user per minute.
    app.clock.advance(Duration::from_secs(61));
    let unused = app.reset_token("ada@example.com").await;
    assert_eq!(purge(&app).await.total(), 0, "nothing is old");

    // The invite token of the creation expired when the admin set the password; the spent one
    // and the unused one expire 24 h after they were made.
    app.clock.advance(24 * HOUR + HOUR);
    assert_eq!(validate(&app, &unused).await, 401);
    assert_eq!(
        purge(&app).await.tokens,
        1,
        "only the invite token is 24 h past its expiry"
    );

    // A live token made now must outlive the purge below.
    let live = app.reset_token("ada@example.com").await;
    assert_eq!(validate(&app, &live).await, 200);
    app.clock.advance(24 * HOUR);
    let report = purge(&app).await;
    assert_eq!(report.tokens, 2, "the spent and the unused one: {report:?}");
    assert_eq!(validate(&app, &live).await, 401, "expired by now, but kept");
    assert_eq!(purge(&app).await.tokens, 0);
    app.clock.advance(24 * HOUR + Duration::from_secs(60));
    assert_eq!(purge(&app).await.tokens, 1, "its own grace period is over");
}

#[tokio::test]
async fn this_wasn_t_me_tokens_are_kept_until_their_grace_period_after_expiry_is_over() {
    let app = spawn().await;
    // Setting a password mails a "this wasn't me" link, live for 168 h.
    app.user_with_password("ada@example.com", STRONG).await;
    assert_eq!(purge(&app).await.not_me_tokens, 0);
    app.clock.advance(168 * HOUR + 23 * HOUR);
    let report = purge(&app).await;
    assert_eq!(report.not_me_tokens, 0, "expired 23 h ago: {report:?}");
    app.clock.advance(2 * HOUR);
    let report = purge(&app).await;
    assert_eq!(
        report.not_me_tokens, 1,
        "its grace period is over: {report:?}"
    );
    assert_eq!(purge(&app).await.total(), 0);
}

#[tokio::test]
async fn expired_sessions_are_kept_for_their_grace_period_then_purged() {
    let app = TestApp::spawn_with(&[
        "--purge-interval-seconds",
        "0",
        "--session-ttl-hours",
        "2",
        "--session-retention-hours",
        "10",
    ])
    .await;
    app.user_with_password("ada@example.com", STRONG).await;
    app.user_with_password("bob@example.com", STRONG).await;
    // Ada logs in once and never again (a log-in drops the user's own expired sessions, so
    // hers is the kind only the purge removes).
    let ada = app.login("ada@example.com", STRONG).await;
    app.clock.advance(3 * HOUR);
    let bob = app.login("bob@example.com", STRONG).await;
    assert_eq!(purge(&app).await.sessions, 0, "expired an hour ago: kept");
    app.clock.advance(9 * HOUR + Duration::from_secs(60));
    // Ada's expired 10 h 1 min ago, Bob's 7 h 1 min ago.
    assert_eq!(purge(&app).await.sessions, 1);
    app.clock.advance(3 * HOUR);
    assert_eq!(purge(&app).await.sessions, 1);
    let again = app.login("bob@example.com", STRONG).await;
    assert_eq!(purge(&app).await.sessions, 0, "a live session is kept");
    assert_eq!(app.get_as("/api/admin/user", &again).await.status, 200);
    for gone in [ada, bob] {
        assert_eq!(app.get_as("/api/admin/user", &gone).await.status, 401);
    }
}

async fn event_total(app: &TestApp) -> i64 {
    let reply = app.admin(Method::GET, "/api/admin/events", None).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["total"].as_i64().expect("total")
}

#[tokio::test]
async fn audit_events_are_kept_for_the_retention_period() {
    let app = TestApp::spawn_with(&[
        "--purge-interval-seconds",
        "0",
        "--audit-retention-days",
        "30",
    ])
    .await;
    app.user_with_password("ada@example.com", STRONG).await;
    let before = event_total(&app).await;
    assert!(before >= 2, "user created, password set");
    app.clock.advance(29 * 24 * HOUR);
    assert_eq!(purge(&app).await.events, 0);
    app.login("ada@example.com", STRONG).await;
    app.clock.advance(24 * HOUR + HOUR);
    assert_eq!(purge(&app).await.events as i64, before);
    assert_eq!(event_total(&app).await, 1, "the log-in, 1 day old, is kept");
}

#[tokio::test]
async fn audit_events_are_kept_forever_with_a_zero_period() {
    let app = TestApp::spawn_with(&[
        "--purge-interval-seconds",
        "0",
        "--audit-retention-days",
        "0",
    ])
    .await;
    app.user_with_password("ada@example.com", STRONG).await;
    let before = event_total(&app).await;
    app.clock.advance(10 * 365 * 24 * HOUR);
    assert_eq!(purge(&app).await.events, 0);
    assert_eq!(event_total(&app).await, before);
}

#[tokio::test]
async fn failure_counters_go_once_their_window_is_long_past() {
    let app = TestApp::spawn_with(&[
        "--purge-interval-seconds",
        "0",
        "--account-failure-limit",
        "2",
        "--attempts-retention-hours",
        "1",
        "--account-failure-window-seconds",
        "7200",
    ])
    .await;
    app.user_with_password("ada@example.com", STRONG).await;
    for _ in 0..2 {
        let reply = app
            .post(
                "/auth/simple/login",
                json!({"username": "ada@example.com", "password": "Wrong-passw0rd"}),
            )
            .await;
        assert_eq!(reply.status, 401);
    }
    // Past the retention hour but inside the 2 h window: the counter still throttles, so it stays.
    app.clock.advance(HOUR + Duration::from_secs(60));
    assert_eq!(purge(&app).await.attempts, 0);
    let throttled = app
        .post(
            "/auth/simple/login",
            json!({"username": "ada@example.com", "password": STRONG}),
        )
        .await;
    assert_eq!(throttled.status, 429, "{}", throttled.text);
    app.clock.advance(HOUR);
    assert_eq!(purge(&app).await.attempts, 1);
    app.login("ada@example.com", STRONG).await;
}

/// A mail to its own recipient (the outbox hands out one mail per recipient at a time).
fn mail(key: &str) -> OutgoingMail {
    OutgoingMail {
        key: key.into(),
        template: "reset-password".into(),
        recipient: format!("{key}@example.com"),
        subject: "Unleash - Reset your password".into(),
        html: "<p>link</p>".into(),
        text: "link".into(),
    }
}

/// Mail that was delivered, mail that died and mail still waiting, as the outbox worker leaves
/// them (its delivery has tests of its own in tests/mail.rs).
async fn seed_outbox(app: &TestApp) {
    let now = app.clock.now_ms();
    app.store
        .write(move |tx| {
            for key in ["sent", "dead", "pending"] {
                tx.enqueue_mail(&mail(key), now)?;
            }
            for queued in tx.due_mail(now, 10)? {
                match queued.mail.key.as_str() {
                    "sent" => tx.mark_mail_sent(queued.id, now)?,
                    "dead" => tx.mark_mail_dead(queued.id, "550 no such mailbox")?,
                    _ => tx.schedule_mail(queued.id, now + 365 * 86_400_000 * 10, "later")?,
                }
            }
            Ok(Finish::Commit(()))
        })
        .await
        .expect("outbox");
}

async fn states(app: &TestApp) -> Vec<MailState> {
    let mut states: Vec<MailState> = app
        .store
        .outbox(10)
        .await
        .expect("outbox")
        .into_iter()
        .map(|e| e.state)
        .collect();
    states.sort_by_key(|s| s.as_str());
    states
}

#[tokio::test]
async fn sent_mail_goes_after_its_period_and_dead_mail_only_once_listed() {
    let app = TestApp::spawn_with(&[
        "--purge-interval-seconds",
        "0",
        "--sent-mail-retention-days",
        "7",
        "--dead-mail-retention-days",
        "30",
    ])
    .await;
    seed_outbox(&app).await;
    app.clock.advance(7 * 24 * HOUR - HOUR);
    assert_eq!(purge(&app).await.sent_mail, 0);
    app.clock.advance(2 * HOUR);
    let report = purge(&app).await;
    assert_eq!((report.sent_mail, report.dead_mail), (1, 0));
    assert_eq!(states(&app).await, [MailState::Dead, MailState::Pending]);

    // Nobody has looked at the dead mail: a year on, it is still there.
    app.clock.advance(365 * 24 * HOUR);
    assert_eq!(purge(&app).await.dead_mail, 0);
    // `unlatch outbox` lists it (and marks it seen); its own 30 days start now.
    let listed = app.retention.operator_outbox(50).await.expect("listing");
    assert_eq!(listed.len(), 2);
    app.clock.advance(29 * 24 * HOUR);
    assert_eq!(purge(&app).await.dead_mail, 0);
    app.retention
        .operator_outbox(50)
        .await
        .expect("listing again");
    app.clock.advance(2 * 24 * HOUR);
    assert_eq!(
        purge(&app).await.dead_mail,
        1,
        "a second listing does not restart it"
    );
    assert_eq!(
        states(&app).await,
        [MailState::Pending],
        "pending is never purged"
    );
}

#[tokio::test]
async fn one_instance_purges_at_a_time() {
    let app = spawn().await;
    app.user_with_password("ada@example.com", STRONG).await;
    app.clock.advance(3 * 24 * HOUR);
    // Another instance holds the lease for a minute.
    let until = app.clock.now_ms() + 60_000;
    app.store
        .write(move |tx| {
            tx.lock_lease(LEASE_NAME)?;
            tx.set_lease(
                LEASE_NAME,
                &Lease {
                    holder: "another instance".into(),
                    expires_at: until,
                },
            )?;
            Ok(Finish::Commit(()))
        })
        .await
        .expect("lease");
    let report = app.retention.purge_once().await.expect("purge");
    assert!(report.skipped);
    assert_eq!(report.total(), 0, "nothing deleted while another purges");
    // That instance died: its lease runs out, and this one takes over.
    app.clock.advance(Duration::from_secs(61));
    let report = purge(&app).await;
    assert_eq!(report.tokens, 1, "the invite token of the creation");
    let lease = app
        .store
        .read(|tx| tx.lock_lease(LEASE_NAME))
        .await
        .expect("lease");
    assert!(
        lease.expires_at <= app.clock.now_ms(),
        "released after the run"
    );
}

#[tokio::test]
async fn batches_are_small_and_a_run_goes_on_until_nothing_old_is_left() {
    let app = TestApp::spawn_with(&[
        "--purge-interval-seconds",
        "0",
        "--purge-batch-size",
        "2",
        // A time budget no batch reaches: the row cap alone sizes the batches here.
        "--purge-batch-ms",
        "10000",
        "--purge-pause-ms",
        "0",
    ])
    .await;
    app.user_with_password("ada@example.com", STRONG).await;
    for _ in 0..4 {
        // One reset link per user per minute.
        app.clock.advance(Duration::from_secs(61));
        app.reset_token("ada@example.com").await;
    }
    app.clock.advance(3 * 24 * HOUR);
    let report = purge(&app).await;
    assert_eq!(report.tokens, 5);
    // 2 + 2 + 1 tokens; 0 for each of the six other kinds.
    assert_eq!(report.batches, 3 + 6, "{report:?}");
}

#[tokio::test]
async fn a_run_in_small_batches_deletes_every_old_row_and_keeps_the_rest() {
    let app = TestApp::spawn_with(&[
        "--purge-interval-seconds",
        "0",
        "--purge-batch-size",
        "2",
        "--purge-batch-ms",
        "10000",
        "--purge-pause-ms",
        "0",
        "--audit-retention-days",
        "1",
    ])
    .await;
    // Five users made and logged in at one instant: their invite tokens (expired when their
    // passwords were set), sessions and events share one time each, more rows of one time than a
    // batch holds, so that they span batch boundaries (each batch starts after the last row the
    // previous one deleted).
    let mut old_sessions = Vec::new();
    for n in 0..5 {
        let email = format!("user{n}@example.com");
        app.user_with_password(&email, STRONG).await;
        old_sessions.push(app.login(&email, STRONG).await);
    }
    let old_events = event_total(&app).await;
    // Past every period: sessions last 48 h and are kept 24 h more.
    app.clock.advance(4 * 24 * HOUR);
    // Rows of a user made now are not old.
    app.user_with_password("late@example.com", STRONG).await;
    let live_session = app.login("late@example.com", STRONG).await;
    let live_token = app.reset_token("late@example.com").await;
    let new_events = event_total(&app).await - old_events;

    let report = purge(&app).await;
    assert_eq!(
        (report.tokens, report.sessions, report.events as i64),
        (5, 5, old_events),
        "{report:?}"
    );
    // Full batches of 2, then a short one, for each of the seven kinds.
    let batches = |rows: u64| rows / 2 + 1;
    assert_eq!(
        report.batches,
        batches(report.tokens)
            + batches(report.not_me_tokens)
            + batches(report.sessions)
            + batches(report.sent_mail)
            + batches(report.dead_mail)
            + batches(report.events)
            + batches(report.attempts),
        "{report:?}"
    );
    assert_eq!(validate(&app, &live_token).await, 200);
    assert_eq!(
        app.get_as("/api/admin/user", &live_session).await.status,
        200
    );
    for gone in &old_sessions {
        assert_eq!(app.get_as("/api/admin/user", gone).await.status, 401);
    }
    assert_eq!(event_total(&app).await, new_events);
    assert_eq!(purge(&app).await.total(), 0, "nothing old is left");
}

fn ids(body: &Value) -> Vec<i64> {
    body["users"]
        .as_array()
        .expect("users")
        .iter()
        .map(|u| u["id"].as_i64().expect("id"))
        .collect()
}

#[tokio::test]
async fn the_user_list_is_streamed_whole_by_id_and_pages_on_request() {
    let app = spawn().await;
    // More than two of the stream's pages, seeded through the store.
    let now = app.clock.now_ms();
    app.store
        .write(move |tx| {
            for n in 0..1_100 {
                tx.insert_user(&unlatch::store::NewUser {
                    email: unlatch::base::types::Email::parse(&format!("user{n}@example.com")),
                    username: None,
                    name: Some(format!("User {n}")),
                    password_hash: None,
                    root_role: unlatch::base::types::RootRole::Viewer,
                    created_at: now,
                })?;
            }
            Ok(Finish::Commit(()))
        })
        .await
        .expect("users");
    let (deleted, _) = app
        .create_user(json!({"email": "gone@example.com", "rootRole": "Editor"}))
        .await;
    app.admin(
        Method::DELETE,
        &format!("/api/admin/user-admin/{deleted}"),
        None,
    )
    .await;

    let reply = app.admin(Method::GET, "/api/admin/user-admin", None).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("application/json; charset=utf-8")
    );
    let body = reply.json();
    let all = ids(&body);
    assert_eq!(all.len(), 1 + 1_100, "the admin and the seeded users");
    assert!(all.windows(2).all(|w| w[0] < w[1]), "by id");
    assert!(!all.contains(&deleted));
    // Each user as Unleash shows one, the same as the single-user answer.
    let one = app
        .admin(
            Method::GET,
            &format!("/api/admin/user-admin/{}", all[700]),
            None,
        )
        .await
        .json();
    assert_eq!(body["users"][700], one);
    assert_eq!(one["email"], "user699@example.com");

    let page = app
        .admin(
            Method::GET,
            "/api/admin/user-admin?limit=3&offset=499",
            None,
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert_eq!(ids(&page.json()), all[499..502]);
    let tail = app
        .admin(Method::GET, "/api/admin/user-admin?offset=1000", None)
        .await;
    assert_eq!(ids(&tail.json()), all[1000..]);
    let long = app
        .admin(Method::GET, "/api/admin/user-admin?limit=1000", None)
        .await;
    assert_eq!(ids(&long.json()), all[..1000]);
    let past = app
        .admin(Method::GET, "/api/admin/user-admin?offset=5000", None)
        .await;
    assert_eq!(past.json()["users"], json!([]));
    assert_eq!(past.json()["rootRoles"].as_array().map(Vec::len), Some(3));

    for bad in ["limit=0", "limit=10001", "offset=-1", "limit=many"] {
        let reply = app
            .admin(Method::GET, &format!("/api/admin/user-admin?{bad}"), None)
            .await;
        reply.assert_error(400, "BadDataError");
    }
    // Still admin only, before anything is streamed.
    app.get("/api/admin/user-admin")
        .await
        .assert_error(401, "AuthenticationRequired");
}
