//! After a takeover (issue 31), over HTTP against the real service: a user's own sessions (list,
//! end one, end all others, with the client each was logged in from), and the "this wasn't me"
//! link of the password-changed mail, the whole story: an attacker logs in and changes the
//! password; the owner's link ends the attacker's sessions, the attacker's password is refused as
//! a wrong one is, a reset mail reaches the owner, the owner sets a new password and logs in, and
//! each link works once.

mod common;

use std::time::Duration;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const OWNER: &str = "ada@example.com";
const OWNER_PASSWORD: &str = "simple123-_ASsad";
const ATTACKER_PASSWORD: &str = "DtUYwi&l5I1KX4@Le";
const ATTACKER_AGAIN: &str = "Pässwörd12!-again";
const OWNER_NEW_PASSWORD: &str = "Back-2-Mine!now";

async fn login_from(app: &TestApp, username: &str, password: &str, agent: &str) -> Reply {
    app.send(
        Method::POST,
        "/auth/simple/login",
        Some("application/json"),
        Some(
            json!({"username": username, "password": password})
                .to_string()
                .into_bytes(),
        ),
        &[("user-agent", agent)],
    )
    .await
}

async fn session_of(app: &TestApp, username: &str, password: &str, agent: &str) -> String {
    let reply = login_from(app, username, password, agent).await;
    assert_eq!(reply.status, 200, "login: {}", reply.text);
    reply.session_cookie().expect("a session cookie")
}

async fn delete_as(app: &TestApp, path: &str, cookie: &str) -> Reply {
    let cookie = format!("unleash-session={cookie}");
    app.send(Method::DELETE, path, None, None, &[("cookie", &cookie)])
        .await
}

/// The caller's sessions, as the list shows them.
async fn sessions(app: &TestApp, cookie: &str) -> Vec<Value> {
    let reply = app.get_as("/api/admin/user/sessions", cookie).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["sessions"]
        .as_array()
        .expect("a list of sessions")
        .clone()
}

fn by_agent<'a>(list: &'a [Value], agent: &str) -> &'a Value {
    list.iter()
        .find(|s| s["userAgent"] == agent)
        .unwrap_or_else(|| panic!("no session from {agent}: {list:?}"))
}

async fn is_logged_in(app: &TestApp, cookie: &str) -> bool {
    let reply = app.get_as("/api/admin/user", cookie).await;
    match reply.status.as_u16() {
        200 => true,
        401 => false,
        other => panic!("GET /api/admin/user answered {other}: {}", reply.text),
    }
}

async fn event_types(app: &TestApp) -> Vec<Value> {
    let reply = app
        .admin(Method::GET, "/api/admin/events?limit=500", None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["events"].as_array().expect("events").clone()
}

#[tokio::test]
async fn a_user_lists_their_sessions_ends_one_and_ends_all_others() {
    let app = TestApp::spawn().await;
    app.user_with_password(OWNER, OWNER_PASSWORD).await;
    app.user_with_password("bob@example.com", OWNER_PASSWORD)
        .await;
    let laptop = session_of(&app, OWNER, OWNER_PASSWORD, "Laptop/1.0").await;
    let phone = session_of(&app, OWNER, OWNER_PASSWORD, "Phone/2.0").await;
    let tablet = session_of(&app, OWNER, OWNER_PASSWORD, "Tablet/3.0").await;
    let bob = session_of(&app, "bob@example.com", OWNER_PASSWORD, "Bob/1.0").await;

    let list = sessions(&app, &tablet).await;
    assert_eq!(list.len(), 3, "{list:?}");
    let current: Vec<&Value> = list.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1, "{list:?}");
    assert_eq!(current[0]["userAgent"], "Tablet/3.0");
    // Newest first, each with the address of its log-in; no id is (or holds) a session secret.
    let agents: Vec<&str> = list
        .iter()
        .map(|s| s["userAgent"].as_str().expect("agent"))
        .collect();
    assert_eq!(agents, ["Tablet/3.0", "Phone/2.0", "Laptop/1.0"]);
    for session in &list {
        assert_eq!(session["ip"], "127.0.0.1");
        assert!(session["createdAt"].is_string());
        let id = session["id"].as_str().expect("an id");
        for secret in [&laptop, &phone, &tablet] {
            assert!(!secret.contains(id) && !id.contains(secret.as_str()));
        }
    }

    // Another user's session id is not found, and that session lives on.
    let bobs = sessions(&app, &bob).await;
    let bobs_id = bobs[0]["id"].as_str().expect("id").to_string();
    delete_as(
        &app,
        &format!("/api/admin/user/sessions/{bobs_id}"),
        &tablet,
    )
    .await
    .assert_error(404, "NotFoundError");
    delete_as(&app, "/api/admin/user/sessions/nothing-like-an-id", &tablet)
        .await
        .assert_error(404, "NotFoundError");
    // The id's `maxLength` counts characters, not their escapes in the path.
    let long = |n| "%C3%A9".repeat(n);
    delete_as(
        &app,
        &format!("/api/admin/user/sessions/{}", long(64)),
        &tablet,
    )
    .await
    .assert_error(404, "NotFoundError");
    delete_as(
        &app,
        &format!("/api/admin/user/sessions/{}", long(65)),
        &tablet,
    )
    .await
    .assert_error(400, "BadDataError");
    assert!(is_logged_in(&app, &bob).await);

    // End one.
    let laptop_id = by_agent(&list, "Laptop/1.0")["id"].as_str().unwrap();
    let ended = delete_as(
        &app,
        &format!("/api/admin/user/sessions/{laptop_id}"),
        &tablet,
    )
    .await;
    assert_eq!(ended.status, 204, "{}", ended.text);
    assert!(!is_logged_in(&app, &laptop).await);
    assert!(is_logged_in(&app, &phone).await);
    assert_eq!(sessions(&app, &tablet).await.len(), 2);
    // Its id is gone now.
    delete_as(
        &app,
        &format!("/api/admin/user/sessions/{laptop_id}"),
        &tablet,
    )
    .await
    .assert_error(404, "NotFoundError");

    // End all others: the caller's stays.
    let ended = delete_as(&app, "/api/admin/user/sessions", &tablet).await;
    assert_eq!(ended.status, 204, "{}", ended.text);
    assert!(!is_logged_in(&app, &phone).await);
    assert!(is_logged_in(&app, &tablet).await);
    assert!(is_logged_in(&app, &bob).await);
    let left = sessions(&app, &tablet).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["current"], true);

    // Ending the current one by its id logs the caller out.
    let own = left[0]["id"].as_str().unwrap();
    let ended = delete_as(&app, &format!("/api/admin/user/sessions/{own}"), &tablet).await;
    assert_eq!(ended.status, 204);
    assert!(!is_logged_in(&app, &tablet).await);

    // Admins see it in the audit log.
    let events = event_types(&app).await;
    let ended: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "sessions-ended" && e["actor"] == OWNER)
        .collect();
    assert_eq!(ended.len(), 3, "{events:?}");
    assert!(ended.iter().any(|e| e["data"]["count"] == 1));
}

#[tokio::test]
async fn sessions_need_the_session_cookie_not_a_token() {
    let app = TestApp::spawn().await;
    app.get("/api/admin/user/sessions")
        .await
        .assert_error(401, "AuthenticationRequired");
    let reply = app
        .admin(Method::GET, "/api/admin/user/sessions", None)
        .await;
    let body = reply.assert_error(403, "SessionRequiredError");
    assert!(
        body["message"].as_str().unwrap().contains("session cookie"),
        "{body}"
    );
    app.admin(Method::DELETE, "/api/admin/user/sessions", None)
        .await
        .assert_error(403, "SessionRequiredError");
    app.admin(Method::DELETE, "/api/admin/user/sessions/abc", None)
        .await
        .assert_error(403, "SessionRequiredError");
    // A state change with the cookie from another site is refused before anything runs.
    app.user_with_password(OWNER, OWNER_PASSWORD).await;
    let cookie = session_of(&app, OWNER, OWNER_PASSWORD, "Victim/1.0").await;
    let other = session_of(&app, OWNER, OWNER_PASSWORD, "Victim/2.0").await;
    let reply = app
        .send(
            Method::DELETE,
            "/api/admin/user/sessions",
            None,
            None,
            &[
                ("cookie", &format!("unleash-session={cookie}")),
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "cross-site"),
            ],
        )
        .await;
    reply.assert_error(403, "CrossSiteRequestError");
    assert!(is_logged_in(&app, &other).await);
}

#[tokio::test]
async fn a_session_keeps_the_client_address_the_rate_limits_see() {
    let app = TestApp::spawn_with(&["--trusted-proxies", "127.0.0.1"]).await;
    app.user_with_password(OWNER, OWNER_PASSWORD).await;
    let reply = app
        .send(
            Method::POST,
            "/auth/simple/login",
            Some("application/json"),
            Some(
                json!({"username": OWNER, "password": OWNER_PASSWORD})
                    .to_string()
                    .into_bytes(),
            ),
            &[
                ("x-forwarded-for", "203.0.113.7"),
                ("user-agent", "Proxied/1.0"),
            ],
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let cookie = reply.session_cookie().expect("cookie");
    let list = sessions(&app, &cookie).await;
    assert_eq!(list[0]["ip"], "203.0.113.7");
    assert_eq!(list[0]["userAgent"], "Proxied/1.0");
    // A long user agent is kept cut, never refused.
    let long = "A".repeat(2_000);
    let cookie = session_of(&app, OWNER, OWNER_PASSWORD, &long).await;
    let list = sessions(&app, &cookie).await;
    let kept = list.iter().find(|s| s["current"] == true).unwrap()["userAgent"]
        .as_str()
        .unwrap()
        .len();
    assert_eq!(kept, 512);
}

// --- "this wasn't me" ------------------------------------------------------------------------

async fn spawn_with_relay(relay: &MockServer) -> TestApp {
    let url = format!("{}/emails", relay.uri());
    TestApp::spawn_with(&[
        "--mail-provider",
        "json",
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

async fn relay() -> MockServer {
    let relay = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/emails"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&relay)
        .await;
    relay
}

/// The mails the relay received, in order.
async fn mails(relay: &MockServer) -> Vec<Value> {
    relay
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("JSON mail"))
        .collect()
}

/// Waits for the `n`th mail (1-based) with this subject, and answers it. Panics after 5 s.
async fn nth_mail(relay: &MockServer, subject: &str, n: usize) -> Value {
    for _ in 0..200 {
        let found: Vec<Value> = mails(relay)
            .await
            .into_iter()
            .filter(|m| m["subject"] == subject)
            .collect();
        if found.len() >= n {
            return found[n - 1].clone();
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no mail number {n} with the subject {subject:?} in 5 s");
}

/// The first link under `page` in both parts of a mail (the same in each).
fn link_in(mail: &Value, page: &str) -> String {
    let text = mail["text"].as_str().expect("text part");
    let prefix = format!("http://unlatch.test/ui/{page}?token=");
    let start = text
        .find(&prefix)
        .unwrap_or_else(|| panic!("no {page} link in {text}"));
    let link: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    assert!(mail["html"].as_str().unwrap().contains(&link));
    link
}

const CHANGED: &str = "Unleash - Your password was changed";
const RESET: &str = "Unleash - Reset your password";

async fn change_own_password(app: &TestApp, cookie: &str, old: &str, new: &str) {
    let reply = app
        .post_as(
            "/api/admin/user/change-password",
            cookie,
            json!({"password": new, "confirmPassword": new, "oldPassword": old}),
        )
        .await;
    assert_eq!(reply.status, 200, "change password: {}", reply.text);
}

#[tokio::test]
async fn the_owner_takes_the_account_back_with_the_link_of_the_password_changed_mail() {
    let relay = relay().await;
    let app = spawn_with_relay(&relay).await;
    // Setting the first password mails a notice with its own link already.
    app.user_with_password(OWNER, OWNER_PASSWORD).await;
    link_in(&nth_mail(&relay, CHANGED, 1).await, "not-me");
    let owner = session_of(&app, OWNER, OWNER_PASSWORD, "Owner/1.0").await;

    // The attacker logs in with the stolen password and changes it, twice.
    let attacker = session_of(&app, OWNER, OWNER_PASSWORD, "Attacker/6.6").await;
    change_own_password(&app, &attacker, OWNER_PASSWORD, ATTACKER_PASSWORD).await;
    assert!(
        !is_logged_in(&app, &owner).await,
        "the owner was logged out"
    );
    let link = link_in(&nth_mail(&relay, CHANGED, 2).await, "not-me");
    change_own_password(&app, &attacker, ATTACKER_PASSWORD, ATTACKER_AGAIN).await;
    let second = link_in(&nth_mail(&relay, CHANGED, 3).await, "not-me");
    let notice = nth_mail(&relay, CHANGED, 3).await;
    assert_eq!(notice["to"], json!([OWNER]));
    assert!(notice["text"].as_str().unwrap().contains("This link logs"));
    let attacker_elsewhere = session_of(&app, OWNER, ATTACKER_AGAIN, "Attacker/7.7").await;
    // An outstanding reset link, made by an admin before the owner acts.
    let outstanding = app.reset_token(OWNER).await;
    let token = token_of(&link);
    assert_ne!(token, token_of(&second));
    let mails_before = mails(&relay).await.len();

    // Opening the page changes nothing (mail scanners open links).
    let page = app.get(&format!("/not-me?token={token}")).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("data-page=\"not-me\""));
    assert!(
        !page.text.contains(&token),
        "the page does not echo the token"
    );
    let under_base = app.get(&format!("/ui/not-me?token={token}")).await;
    assert_eq!(under_base.status, 200);
    assert!(is_logged_in(&app, &attacker).await);
    assert!(is_logged_in(&app, &attacker_elsewhere).await);
    let valid = app
        .get(&format!("/auth/reset/validate?token={outstanding}"))
        .await;
    assert_eq!(valid.status, 200, "{}", valid.text);

    // The button: every session ends, the attacker's password is refused as a wrong one is.
    let reply = app
        .post("/auth/reset/not-me", json!({"token": token}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert!(!is_logged_in(&app, &attacker).await);
    assert!(!is_logged_in(&app, &attacker_elsewhere).await);
    let refused = login_from(&app, OWNER, ATTACKER_AGAIN, "Attacker/6.6").await;
    let wrong = login_from(&app, OWNER, "Not-the-passw0rd", "Attacker/6.6").await;
    let refused_body = refused.assert_error(401, "PasswordMismatch");
    let wrong_body = wrong.assert_error(401, "PasswordMismatch");
    assert_eq!(refused_body["message"], wrong_body["message"]);
    assert_eq!(refused_body["details"], wrong_body["details"]);
    app.post_as(
        "/api/admin/user/change-password",
        &attacker,
        json!({"password": "X-new-passw0rd", "confirmPassword": "X-new-passw0rd",
               "oldPassword": ATTACKER_AGAIN}),
    )
    .await
    .assert_error(401, "AuthenticationRequired");
    // Every outstanding reset link is void.
    app.get(&format!("/auth/reset/validate?token={outstanding}"))
        .await
        .assert_error(401, "InvalidTokenError");

    // A reset mail reaches the owner.
    let reset_mail = nth_mail(&relay, RESET, 1).await;
    assert_eq!(reset_mail["to"], json!([OWNER]));
    let reset = token_of(&link_in(&reset_mail, "reset-password"));
    assert!(mails(&relay).await.len() > mails_before);

    // The link works once.
    app.post("/auth/reset/not-me", json!({"token": token}))
        .await
        .assert_error(401, "InvalidTokenError");
    // The link of the attacker's second change is live too, once: it mails a new reset link
    // and voids the first.
    let reply = app
        .post("/auth/reset/not-me", json!({"token": token_of(&second)}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    app.post("/auth/reset/not-me", json!({"token": token_of(&second)}))
        .await
        .assert_error(401, "InvalidTokenError");
    app.get(&format!("/auth/reset/validate?token={reset}"))
        .await
        .assert_error(401, "InvalidTokenError");
    let reset = token_of(&link_in(
        &nth_mail(&relay, RESET, 2).await,
        "reset-password",
    ));

    // The owner sets a new password and logs in; the attacker's stays refused.
    let reply = app
        .post(
            "/auth/reset/password",
            json!({"token": reset, "password": OWNER_NEW_PASSWORD}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let back = session_of(&app, OWNER, OWNER_NEW_PASSWORD, "Owner/1.0").await;
    assert!(is_logged_in(&app, &back).await);
    login_from(&app, OWNER, ATTACKER_AGAIN, "Attacker/6.6")
        .await
        .assert_error(401, "PasswordMismatch");

    // Each step is in the audit log, for admins.
    let events = event_types(&app).await;
    for kind in [
        "takeover-reported",
        "sessions-ended",
        "tokens-voided",
        "password-login-blocked",
    ] {
        let found: Vec<&Value> = events
            .iter()
            .filter(|e| e["type"] == kind && e["data"]["reason"] == "takeover-reported")
            .collect();
        assert_eq!(found.len(), 2, "{kind}: {events:?}");
        assert!(found.iter().all(|e| e["subject"] == OWNER), "{found:?}");
    }
    let ended = events
        .iter()
        .rfind(|e| e["type"] == "sessions-ended" && e["data"]["reason"] == "takeover-reported")
        .expect("the first link's");
    assert_eq!(ended["data"]["count"], 2, "the attacker's two sessions");
    let queued: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "reset-requested" && e["data"]["reason"] == "takeover-reported")
        .collect();
    assert_eq!(queued.len(), 2, "{events:?}");
}

#[tokio::test]
async fn unknown_expired_and_malformed_links_change_nothing() {
    let relay = relay().await;
    let app = spawn_with_relay(&relay).await;
    app.user_with_password(OWNER, OWNER_PASSWORD).await;
    let token = token_of(&link_in(&nth_mail(&relay, CHANGED, 1).await, "not-me"));
    let owner = session_of(&app, OWNER, OWNER_PASSWORD, "Owner/1.0").await;

    for unknown in ["", "no-such-token", &"x".repeat(128)] {
        app.post("/auth/reset/not-me", json!({"token": unknown}))
            .await
            .assert_error(401, "InvalidTokenError");
    }
    app.post("/auth/reset/not-me", json!({}))
        .await
        .assert_error(400, "BadDataError");
    app.post("/auth/reset/not-me", json!({"token": "x".repeat(129)}))
        .await
        .assert_error(400, "BadDataError");
    // A reset or invite token is not a "this wasn't me" token.
    let reset = app.reset_token(OWNER).await;
    app.post("/auth/reset/not-me", json!({"token": reset}))
        .await
        .assert_error(401, "InvalidTokenError");
    assert!(is_logged_in(&app, &owner).await);

    // The link lives NOT_ME_LINK_TTL_HOURS (168 by default).
    app.clock.advance(Duration::from_secs(168 * 3600 + 1));
    app.post("/auth/reset/not-me", json!({"token": token}))
        .await
        .assert_error(401, "InvalidTokenError");
    let events = event_types(&app).await;
    assert!(!events.iter().any(|e| e["type"] == "takeover-reported"));
}

#[tokio::test]
async fn every_way_a_password_changes_mails_a_link_that_works() {
    let relay = relay().await;
    let app = spawn_with_relay(&relay).await;
    let id = app.user_with_password(OWNER, OWNER_PASSWORD).await;
    // Admin change (user_with_password), a reset, a self change: three notices, three links.
    let reset = app.reset_token(OWNER).await;
    let reply = app
        .post(
            "/auth/reset/password",
            json!({"token": reset, "password": ATTACKER_PASSWORD}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let cookie = session_of(&app, OWNER, ATTACKER_PASSWORD, "Owner/1.0").await;
    change_own_password(&app, &cookie, ATTACKER_PASSWORD, ATTACKER_AGAIN).await;
    let reply = app
        .admin(
            Method::POST,
            &format!("/api/admin/user-admin/{id}/change-password"),
            Some(json!({"password": OWNER_NEW_PASSWORD})),
        )
        .await;
    assert_eq!(reply.status, 200);
    let mut links = Vec::new();
    for n in 1..=4 {
        links.push(token_of(&link_in(
            &nth_mail(&relay, CHANGED, n).await,
            "not-me",
        )));
    }
    links.dedup();
    assert_eq!(links.len(), 4, "a new link each time");
    // Every one of them is live (a change voids the reset tokens, not these).
    for token in &links {
        let reply = app
            .post("/auth/reset/not-me", json!({"token": token}))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    // An admin's password change lifts the block (an admin acts for the owner).
    let reply = app
        .admin(
            Method::POST,
            &format!("/api/admin/user-admin/{id}/change-password"),
            Some(json!({"password": OWNER_NEW_PASSWORD})),
        )
        .await;
    assert_eq!(reply.status, 200);
    session_of(&app, OWNER, OWNER_NEW_PASSWORD, "Owner/1.0").await;
}
