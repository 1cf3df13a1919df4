//! CONTRACT §3–§5 over HTTP: login and sessions, tokens, reset, self-service and admin password
//! changes, the admin user calls, start-up and persistence.

mod common;

use std::time::Duration;

use common::*;
use reqwest::Method;
use serde_json::json;

const STRONG: &str = "simple123-_ASsad";
const STRONG2: &str = "DtUYwi&l5I1KX4@Le";
const STRONG3: &str = "Pässwörd12!xyz";

const LOGIN_MISMATCH: &str = "The combination of password and username you provided is invalid. If you have forgotten your password, visit /forgotten-password or get in touch with your instance administrator.";

// ---------------------------------------------------------------- login, sessions, logout

#[tokio::test]
async fn login_answers_the_user_and_sets_the_session_cookie() {
    let app = TestApp::spawn().await;
    let reply = app
        .post(
            "/auth/simple/login",
            json!({"username": "admin", "password": ADMIN_PASSWORD}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let user = reply.json();
    assert_eq!(user["username"], "admin");
    assert_eq!(user["accountType"], "User");
    assert!(user["id"].as_i64().is_some());
    assert!(user["createdAt"].is_string());
    assert_eq!(user["loginAttempts"], 0);
    assert!(user["seenAt"].is_null(), "first login: never seen before");
    assert!(user.get("email").is_none(), "an empty email is left out");

    let set_cookie = reply.header("set-cookie").expect("Set-Cookie");
    let value = reply.session_cookie().expect("session cookie");
    assert_eq!(value.len(), 43, "256-bit id, base64url");
    assert!(set_cookie.contains("; Path=/;"), "{set_cookie}");
    assert!(set_cookie.contains("; HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("; SameSite=Lax"), "{set_cookie}");
    assert!(!set_cookie.contains("Secure"), "http URL: no Secure");
    let expires = set_cookie
        .split("; ")
        .find_map(|p| p.strip_prefix("Expires="))
        .expect("Expires");
    let expires =
        chrono::DateTime::parse_from_rfc2822(&expires.replace("GMT", "+0000")).expect("HTTP date");
    let hours = (expires.timestamp() - chrono::Utc::now().timestamp()) as f64 / 3600.0;
    assert!((47.9..=48.1).contains(&hours), "expires in {hours} h");

    // The cookie is a session.
    let me = app.get_as("/api/admin/user", &value).await;
    assert_eq!(me.status, 200, "{}", me.text);
    let me = me.json();
    assert_eq!(me["user"]["username"], "admin");
    assert_eq!(me["permissions"], json!([{"permission": "ADMIN"}]));

    // The second login shows when the first one happened.
    let again = app
        .post(
            "/auth/simple/login",
            json!({"username": "admin", "password": ADMIN_PASSWORD}),
        )
        .await
        .json();
    assert!(again["seenAt"].is_string(), "{again}");
}

#[tokio::test]
async fn login_by_email_ignores_case_and_usernames_are_exact() {
    let app = TestApp::spawn().await;
    app.user_with_password("Mixed.Case@Example.com", STRONG)
        .await;
    app.login("MIXED.case@example.COM", STRONG).await;
    app.create_user(json!({"username": "bob", "rootRole": 3}))
        .await;
    let reply = app
        .post(
            "/auth/simple/login",
            json!({"username": "Admin", "password": ADMIN_PASSWORD}),
        )
        .await;
    reply.assert_error(401, "PasswordMismatch");
}

#[tokio::test]
async fn unknown_user_wrong_password_and_no_password_answer_alike() {
    let app = TestApp::spawn().await;
    app.create_user(json!({"email": "nopass@example.com", "rootRole": 2}))
        .await;
    for (username, password) in [
        ("ghost@example.com", STRONG),
        ("admin", "Wrong-passw0rd!"),
        ("nopass@example.com", STRONG),
    ] {
        let reply = app
            .post(
                "/auth/simple/login",
                json!({"username": username, "password": password}),
            )
            .await;
        let body = reply.assert_error(401, "PasswordMismatch");
        assert_eq!(body["message"], LOGIN_MISMATCH);
        assert!(reply.header("set-cookie").is_none());
    }
}

#[tokio::test]
async fn the_cookie_is_secure_when_the_public_url_is_https() {
    let app = TestApp::spawn_with(&["--unleash-url", "https://flags.example.com"]).await;
    let reply = app
        .post(
            "/auth/simple/login",
            json!({"username": "admin", "password": ADMIN_PASSWORD}),
        )
        .await;
    let cookie = reply.header("set-cookie").expect("cookie");
    assert!(
        cookie
            .split("; ")
            .skip(1)
            .any(|attribute| attribute == "Secure"),
        "{cookie}"
    );
}

#[tokio::test]
async fn a_user_keeps_at_most_five_sessions() {
    let app = TestApp::spawn().await;
    let mut cookies = Vec::new();
    for _ in 0..6 {
        cookies.push(app.login("admin", ADMIN_PASSWORD).await);
        // Distinct creation times make "oldest" unambiguous.
        app.clock.advance(Duration::from_millis(5));
    }
    let first = app.get_as("/api/admin/user", &cookies[0]).await;
    first.assert_error(401, "AuthenticationRequired");
    for cookie in &cookies[1..] {
        assert_eq!(app.get_as("/api/admin/user", cookie).await.status, 200);
    }
}

#[tokio::test]
async fn max_parallel_sessions_is_unleash_s_setting() {
    let app = TestApp::spawn_with(&["--max-parallel-sessions", "2"]).await;
    let mut cookies = Vec::new();
    for _ in 0..3 {
        cookies.push(app.login("admin", ADMIN_PASSWORD).await);
        // Distinct creation times make "oldest" unambiguous.
        app.clock.advance(Duration::from_millis(5));
    }
    app.get_as("/api/admin/user", &cookies[0])
        .await
        .assert_error(401, "AuthenticationRequired");
    for cookie in &cookies[1..] {
        assert_eq!(app.get_as("/api/admin/user", cookie).await.status, 200);
    }
}

#[tokio::test]
async fn logout_ends_the_session_and_clears_the_cookie() {
    let app = TestApp::spawn().await;
    // A browser navigation (Unleash's UI posts a form) is sent on to the signed-out page.
    let cookie = app.login("admin", ADMIN_PASSWORD).await;
    let header = format!("unleash-session={cookie}");
    let reply = app
        .send(
            Method::POST,
            "/logout",
            None,
            None,
            &[
                ("cookie", &header),
                ("accept", "text/html,application/xhtml+xml"),
            ],
        )
        .await;
    assert_eq!(reply.status, 302);
    // Relative, under UNLEASH_URL's base path (CONTRACT §3): never an absolute URL.
    assert_eq!(reply.header("location").as_deref(), Some("/ui/signed-out"));
    let cleared = reply.header("set-cookie").expect("Set-Cookie");
    assert!(cleared.starts_with("unleash-session=;"), "{cleared}");
    assert!(cleared.contains("Expires=Thu, 01 Jan 1970"), "{cleared}");
    assert_eq!(
        reply.header("clear-site-data").as_deref(),
        Some("\"cookies\", \"storage\"")
    );
    app.get_as("/api/admin/user", &cookie)
        .await
        .assert_error(401, "AuthenticationRequired");

    // A script or SDK gets 204, and the same effect.
    let cookie = app.login("admin", ADMIN_PASSWORD).await;
    let header = format!("unleash-session={cookie}");
    let reply = app
        .send(Method::POST, "/logout", None, None, &[("cookie", &header)])
        .await;
    assert_eq!(reply.status, 204);
    assert!(reply.header("location").is_none());
    assert!(reply
        .header("set-cookie")
        .unwrap()
        .starts_with("unleash-session=;"));
    app.get_as("/api/admin/user", &cookie)
        .await
        .assert_error(401, "AuthenticationRequired");
    // Without a session it is still a success.
    assert_eq!(
        app.send(Method::POST, "/logout", None, None, &[])
            .await
            .status,
        204
    );
}

#[tokio::test]
async fn sessions_expire_after_their_lifetime() {
    let app = TestApp::spawn_with(&["--session-ttl-hours", "1"]).await;
    let cookie = app.login("admin", ADMIN_PASSWORD).await;
    assert_eq!(app.get_as("/api/admin/user", &cookie).await.status, 200);
    app.clock.advance(Duration::from_secs(3601));
    app.get_as("/api/admin/user", &cookie)
        .await
        .assert_error(401, "AuthenticationRequired");
}

// ---------------------------------------------------------------- tokens and reset

#[tokio::test]
async fn validate_answers_the_tokens_user() {
    let app = TestApp::spawn().await;
    let (id, invite) = app
        .create_user(json!({"email": "ada@example.com", "name": "Ada", "rootRole": "Editor"}))
        .await;
    let reply = app
        .get(&format!("/auth/reset/validate?token={invite}"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["id"], id);
    assert_eq!(body["email"], "ada@example.com");
    assert_eq!(body["name"], "Ada");
    assert_eq!(body["token"], invite);
    // As Unleash names links made with an admin API token.
    assert_eq!(body["createdBy"], "admin");
    assert_eq!(body["role"]["id"], 2);
    assert_eq!(body["role"]["name"], "Editor");
    assert_eq!(body["role"]["type"], "root");
    assert!(body["role"]["description"].is_string());

    // A link made by a logged-in admin names that admin.
    let admin = app.login("admin", ADMIN_PASSWORD).await;
    let link = app
        .post_as(
            "/api/admin/user-admin/reset-password",
            &admin,
            json!({"id": "ada@example.com"}),
        )
        .await;
    assert_eq!(link.status, 200, "{}", link.text);
    let url = link.json()["resetPasswordUrl"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        url.starts_with("http://unlatch.test/ui/reset-password?token="),
        "{url}"
    );
    let body = app
        .get(&format!("/auth/reset/validate?token={}", token_of(&url)))
        .await
        .json();
    assert_eq!(body["createdBy"], "admin");
}

#[tokio::test]
async fn missing_unknown_expired_and_spent_tokens_are_invalid() {
    let app = TestApp::spawn().await;
    app.user_with_password("ada@example.com", STRONG).await;
    for path in [
        "/auth/reset/validate".to_string(),
        "/auth/reset/validate?token=".to_string(),
        "/auth/reset/validate?token=nonsense".to_string(),
    ] {
        let body = app.get(&path).await.assert_error(401, "InvalidTokenError");
        assert_eq!(body["message"], "Token was not valid");
    }
    // Spent.
    let token = app.reset_token("ada@example.com").await;
    let reply = app
        .post(
            "/auth/reset/password",
            json!({"token": token, "password": STRONG2}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    app.get(&format!("/auth/reset/validate?token={token}"))
        .await
        .assert_error(401, "InvalidTokenError");
    // Expired: valid just before 24 h, invalid after.
    let (_, invite) = app
        .create_user(json!({"email": "late@example.com", "rootRole": 3}))
        .await;
    app.clock.advance(Duration::from_secs(24 * 3600 - 60));
    assert_eq!(
        app.get(&format!("/auth/reset/validate?token={invite}"))
            .await
            .status,
        200
    );
    app.clock.advance(Duration::from_secs(61));
    app.get(&format!("/auth/reset/validate?token={invite}"))
        .await
        .assert_error(401, "InvalidTokenError");
    app.post(
        "/auth/reset/password",
        json!({"token": invite, "password": STRONG3}),
    )
    .await
    .assert_error(401, "InvalidTokenError");
}

#[tokio::test]
async fn a_valid_validate_call_ends_the_callers_session() {
    let app = TestApp::spawn().await;
    app.user_with_password("ada@example.com", STRONG).await;
    let cookie = app.login("admin", ADMIN_PASSWORD).await;
    // An invalid token leaves the session alone.
    app.get_as("/auth/reset/validate?token=nonsense", &cookie)
        .await
        .assert_error(401, "InvalidTokenError");
    assert_eq!(app.get_as("/api/admin/user", &cookie).await.status, 200);
    let token = app.reset_token("ada@example.com").await;
    let reply = app
        .get_as(&format!("/auth/reset/validate?token={token}"), &cookie)
        .await;
    assert_eq!(reply.status, 200);
    app.get_as("/api/admin/user", &cookie)
        .await
        .assert_error(401, "AuthenticationRequired");
}

#[tokio::test]
async fn a_newer_token_expires_the_older_one() {
    let app = TestApp::spawn().await;
    let (_, invite) = app
        .create_user(json!({"email": "ada@example.com", "rootRole": 3}))
        .await;
    let reset = app.reset_token("ada@example.com").await;
    app.get(&format!("/auth/reset/validate?token={invite}"))
        .await
        .assert_error(401, "InvalidTokenError");
    assert_eq!(
        app.get(&format!("/auth/reset/validate?token={reset}"))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn reset_checks_policy_before_the_token_and_a_weak_password_keeps_the_token() {
    let app = TestApp::spawn().await;
    app.user_with_password("ada@example.com", STRONG).await;
    // Weak password and bogus token: the policy answers first.
    let body = app
        .post(
            "/auth/reset/password",
            json!({"token": "bogus", "password": "hunter2"}),
        )
        .await
        .assert_error(400, "OwaspValidationError");
    assert_eq!(
        body["message"],
        "The password must be at least 10 characters long."
    );
    app.post(
        "/auth/reset/password",
        json!({"token": "bogus", "password": STRONG2}),
    )
    .await
    .assert_error(401, "InvalidTokenError");
    let token = app.reset_token("ada@example.com").await;
    app.post(
        "/auth/reset/password",
        json!({"token": token, "password": ""}),
    )
    .await
    .assert_error(400, "PasswordUndefinedError");
    app.post(
        "/auth/reset/password",
        json!({"token": token, "password": "hunter2"}),
    )
    .await
    .assert_error(400, "OwaspValidationError");
    let reply = app
        .post(
            "/auth/reset/password",
            json!({"token": token, "password": STRONG2}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.text, "");
}

#[tokio::test]
async fn reset_refuses_a_password_over_72_bytes() {
    let app = TestApp::spawn().await;
    app.user_with_password("ada@example.com", STRONG).await;
    let token = app.reset_token("ada@example.com").await;
    let long = format!("Aa1!{}", "xy".repeat(35)); // 74 bytes
    let body = app
        .post(
            "/auth/reset/password",
            json!({"token": token, "password": long}),
        )
        .await
        .assert_error(400, "OwaspValidationError");
    assert_eq!(
        body["details"][0]["validationErrors"],
        json!(["The password must be at most 72 bytes long."])
    );
    // The first 72 bytes are not the password either: nothing was set.
    let truncated = &long[..72];
    let reply = app
        .post(
            "/auth/simple/login",
            json!({"username": "ada@example.com", "password": truncated}),
        )
        .await;
    reply.assert_error(401, "PasswordMismatch");
}

#[tokio::test]
async fn reset_sets_the_password_spends_the_token_and_ends_every_session() {
    let app = TestApp::spawn().await;
    app.user_with_password("ada@example.com", STRONG).await;
    let s1 = app.login("ada@example.com", STRONG).await;
    let s2 = app.login("ada@example.com", STRONG).await;
    let token = app.reset_token("ada@example.com").await;
    let reply = app
        .post_as(
            "/auth/reset/password",
            &s1,
            json!({"token": token, "password": STRONG2}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    for s in [&s1, &s2] {
        app.get_as("/api/admin/user", s)
            .await
            .assert_error(401, "AuthenticationRequired");
    }
    app.post(
        "/auth/simple/login",
        json!({"username": "ada@example.com", "password": STRONG}),
    )
    .await
    .assert_error(401, "PasswordMismatch");
    app.login("ada@example.com", STRONG2).await;
    app.post(
        "/auth/reset/password",
        json!({"token": token, "password": STRONG3}),
    )
    .await
    .assert_error(401, "InvalidTokenError");
}

#[tokio::test]
async fn reset_ends_the_callers_session_even_when_it_fails() {
    let app = TestApp::spawn().await;
    let cookie = app.login("admin", ADMIN_PASSWORD).await;
    app.post_as(
        "/auth/reset/password",
        &cookie,
        json!({"token": "bogus", "password": "hunter2"}),
    )
    .await
    .assert_error(400, "OwaspValidationError");
    app.get_as("/api/admin/user", &cookie)
        .await
        .assert_error(401, "AuthenticationRequired");
}

#[tokio::test]
async fn reset_refuses_any_of_the_last_five_passwords() {
    let app = TestApp::spawn().await;
    app.user_with_password("ada@example.com", "Passw0rd!-one")
        .await;
    // A reused current password is refused and the token survives the refusal.
    let token = app.reset_token("ada@example.com").await;
    let body = app
        .post(
            "/auth/reset/password",
            json!({"token": token, "password": "Passw0rd!-one"}),
        )
        .await
        .assert_error(400, "PasswordPreviouslyUsedError");
    assert_eq!(
        body["message"],
        "You've previously used this password. Please use a new password."
    );
    assert_eq!(
        app.get(&format!("/auth/reset/validate?token={token}"))
            .await
            .status,
        200
    );
    // History now: one. Add two..six through resets (each needs a fresh token past the throttle).
    for n in ["two", "three", "four", "five", "six"] {
        app.clock.advance(Duration::from_secs(61));
        let token = app.reset_token("ada@example.com").await;
        let reply = app
            .post(
                "/auth/reset/password",
                json!({"token": token, "password": format!("Passw0rd!-{n}")}),
            )
            .await;
        assert_eq!(reply.status, 200, "{n}: {}", reply.text);
    }
    app.clock.advance(Duration::from_secs(61));
    let token = app.reset_token("ada@example.com").await;
    // "two" is among the last five (two..six); "one" has dropped out.
    app.post(
        "/auth/reset/password",
        json!({"token": token, "password": "Passw0rd!-two"}),
    )
    .await
    .assert_error(400, "PasswordPreviouslyUsedError");
    let reply = app
        .post(
            "/auth/reset/password",
            json!({"token": token, "password": "Passw0rd!-one"}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[tokio::test]
async fn of_sixteen_concurrent_redemptions_exactly_one_wins() {
    let app = TestApp::spawn().await;
    app.user_with_password("ada@example.com", STRONG).await;
    let token = app.reset_token("ada@example.com").await;
    let attempts = (0..16).map(|i| {
        let app = &app;
        let token = token.clone();
        async move {
            app.post(
                "/auth/reset/password",
                json!({"token": token, "password": format!("Concurrent-{i:02}x!")}),
            )
            .await
        }
    });
    let replies = futures::future::join_all(attempts).await;
    let won: Vec<_> = replies.iter().filter(|r| r.status == 200).collect();
    assert_eq!(won.len(), 1, "exactly one redemption succeeds");
    for r in replies.iter().filter(|r| r.status != 200) {
        r.assert_error(401, "InvalidTokenError");
    }
}

// ---------------------------------------------------------------- password e-mail

#[tokio::test]
async fn reset_email_answers_alike_for_known_unknown_and_throttled() {
    let app = TestApp::spawn().await;
    app.user_with_password("ada@example.com", STRONG).await;
    for email in ["ada@example.com", "ghost@example.com", "ada@example.com"] {
        let reply = app
            .post("/auth/reset/password-email", json!({"email": email}))
            .await;
        assert_eq!(reply.status, 200, "{email}: {}", reply.text);
        assert_eq!(reply.text, "");
    }
}

#[tokio::test]
async fn of_sixteen_concurrent_reset_emails_for_one_user_exactly_one_is_sent() {
    // Revealing accounts, so that the throttle's refusals can be told from the one success.
    // What keeps two of them from both finding no earlier token is the user's row lock, which
    // `tests/store.rs` holds to account on each backend; here, what a user sees of it.
    let app = TestApp::spawn_with(&["--reset-email-reveals-accounts", "true"]).await;
    app.user_with_password("ada@example.com", STRONG).await;
    let requests = (0..16).map(|_| {
        let app = &app;
        async move {
            app.post(
                "/auth/reset/password-email",
                json!({"email": "ada@example.com"}),
            )
            .await
        }
    });
    let replies = futures::future::join_all(requests).await;
    let sent = replies.iter().filter(|r| r.status == 200).count();
    assert_eq!(sent, 1, "exactly one request is answered with a mail");
    for r in replies.iter().filter(|r| r.status != 200) {
        r.assert_error(429, "RateLimitError");
    }
    let resets: Vec<_> = app
        .settled_outbox()
        .await
        .into_iter()
        .filter(|m| m.template == "reset-password")
        .collect();
    assert_eq!(resets.len(), 1, "{resets:?}");
    assert_eq!(resets[0].recipient, "ada@example.com");
}

#[tokio::test]
async fn reset_email_can_reveal_accounts_like_unleash() {
    let app = TestApp::spawn_with(&["--reset-email-reveals-accounts", "true"]).await;
    app.user_with_password("ada@example.com", STRONG).await;
    let body = app
        .post(
            "/auth/reset/password-email",
            json!({"email": "ghost@example.com"}),
        )
        .await
        .assert_error(404, "NotFoundError");
    assert_eq!(body["message"], "No user found");
    assert_eq!(
        app.post(
            "/auth/reset/password-email",
            json!({"email": "ada@example.com"})
        )
        .await
        .status,
        200
    );
    let reply = app
        .post(
            "/auth/reset/password-email",
            json!({"email": "ADA@example.com"}),
        )
        .await;
    let body = reply.assert_error(429, "RateLimitError");
    assert_eq!(
        body["message"],
        "You can only send one new reset password email per minute, per user. Please try again later."
    );
    assert!(reply.header("retry-after").is_some());
}

// ---------------------------------------------------------------- change own password

#[tokio::test]
async fn change_own_password_checks_in_order() {
    let app = TestApp::spawn().await;
    app.user_with_password("ada@example.com", STRONG).await;
    let cookie = app.login("ada@example.com", STRONG).await;
    let path = "/api/admin/user/change-password";

    let body = app
        .post_as(
            path,
            &cookie,
            json!({"password": STRONG2, "confirmPassword": STRONG3, "oldPassword": STRONG}),
        )
        .await
        .assert_error(400, "BadDataError");
    assert_eq!(body["details"][0]["path"], "/body/confirmPassword");
    let body = app
        .post_as(
            path,
            &cookie,
            json!({"password": STRONG2, "confirmPassword": STRONG2}),
        )
        .await
        .assert_error(400, "BadDataError");
    assert_eq!(body["details"][0]["path"], "/body/oldPassword");
    app.post_as(
        path,
        &cookie,
        json!({"password": "hunter2", "confirmPassword": "hunter2", "oldPassword": "wrong"}),
    )
    .await
    .assert_error(400, "OwaspValidationError");
    let body = app
        .post_as(path, &cookie, json!({"password": STRONG2, "confirmPassword": STRONG2, "oldPassword": "Wrong-passw0rd"}))
        .await
        .assert_error(401, "PasswordMismatch");
    assert_eq!(
        body["message"],
        "The old password you provided is invalid. If you have forgotten your password, visit /forgotten-password or get in touch with your instance administrator."
    );
    app.post_as(
        path,
        &cookie,
        json!({"password": STRONG, "confirmPassword": STRONG, "oldPassword": STRONG}),
    )
    .await
    .assert_error(400, "PasswordPreviouslyUsedError");
    // Nothing so far ended the session.
    assert_eq!(app.get_as("/api/admin/user", &cookie).await.status, 200);
}

#[tokio::test]
async fn change_own_password_keeps_only_the_callers_session_and_expires_tokens() {
    let app = TestApp::spawn().await;
    app.user_with_password("ada@example.com", STRONG).await;
    let other = app.login("ada@example.com", STRONG).await;
    let mine = app.login("ada@example.com", STRONG).await;
    let token = app.reset_token("ada@example.com").await;
    let reply = app
        .post_as(
            "/api/admin/user/change-password",
            &mine,
            json!({"password": STRONG2, "confirmPassword": STRONG2, "oldPassword": STRONG}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(app.get_as("/api/admin/user", &mine).await.status, 200);
    app.get_as("/api/admin/user", &other)
        .await
        .assert_error(401, "AuthenticationRequired");
    app.get(&format!("/auth/reset/validate?token={token}"))
        .await
        .assert_error(401, "InvalidTokenError");
    app.login("ada@example.com", STRONG2).await;
}

#[tokio::test]
async fn change_own_password_needs_a_session() {
    let app = TestApp::spawn().await;
    app.post(
        "/api/admin/user/change-password",
        json!({"password": STRONG2, "confirmPassword": STRONG2, "oldPassword": STRONG}),
    )
    .await
    .assert_error(401, "AuthenticationRequired");
}

// ---------------------------------------------------------------- admin user calls

#[tokio::test]
async fn create_user_answers_201_with_role_invite_link_and_location() {
    let app = TestApp::spawn().await;
    let reply = app
        .admin(
            Method::POST,
            "/api/admin/user-admin",
            Some(json!({"email": "New.User@Example.com", "name": "New User", "rootRole": "Editor", "sendEmail": false})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let body = reply.json();
    let id = body["id"].as_i64().expect("id");
    assert_eq!(reply.header("location"), Some(id.to_string()));
    assert_eq!(body["email"], "new.user@example.com");
    assert_eq!(body["name"], "New User");
    // Echoed exactly as sent (CONTRACT §3): clients generated from Unleash's spec read
    // `oneOf [integer, string]`.
    assert_eq!(body["rootRole"], "Editor", "rootRole as sent: {body}");
    assert_eq!(
        body["imageUrl"],
        format!(
            "https://gravatar.com/avatar/{}?s=42&d=retro&r=g",
            sha256_hex("new.user@example.com")
        )
    );
    assert_eq!(body["emailSent"], false);
    let link = body["inviteLink"].as_str().expect("invite link");
    assert!(
        link.starts_with("http://unlatch.test/ui/new-user?token="),
        "{link}"
    );
    assert_eq!(token_of(link).len(), 43);

    // Numbers work as roles too.
    let reply = app
        .admin(
            Method::POST,
            "/api/admin/user-admin",
            Some(json!({"username": "viewer", "rootRole": 3})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.json()["rootRole"], 3, "a number stays a number");
    let id = reply.json()["id"].as_i64().expect("id");
    let stored = app
        .admin(Method::GET, &format!("/api/admin/user-admin/{id}"), None)
        .await;
    assert_eq!(stored.json()["rootRole"], 3, "stored as the Viewer role");
}

#[tokio::test]
async fn create_user_refusals() {
    let app = TestApp::spawn().await;
    let body = app
        .admin(
            Method::POST,
            "/api/admin/user-admin",
            Some(json!({"name": "Nobody", "rootRole": 2})),
        )
        .await
        .assert_error(400, "BadDataError");
    assert_eq!(body["message"], "You must specify username or email");
    app.create_user(json!({"email": "ada@example.com", "rootRole": 2}))
        .await;
    let body = app
        .admin(
            Method::POST,
            "/api/admin/user-admin",
            Some(json!({"email": "ADA@example.com", "rootRole": 2})),
        )
        .await
        .assert_error(400, "BadDataError");
    assert_eq!(body["message"], "User already exists");
    let body = app
        .admin(
            Method::POST,
            "/api/admin/user-admin",
            Some(json!({"username": "x", "rootRole": 7})),
        )
        .await
        .assert_error(400, "BadDataError");
    assert_eq!(body["details"][0]["path"], "/body/rootRole");
    app.admin(
        Method::POST,
        "/api/admin/user-admin",
        Some(json!({"username": "x", "rootRole": "Owner"})),
    )
    .await
    .assert_error(400, "BadDataError");
    app.admin(
        Method::POST,
        "/api/admin/user-admin",
        Some(json!({"email": "not-an-address", "rootRole": 2})),
    )
    .await
    .assert_error(400, "BadDataError");
}

#[tokio::test]
async fn a_password_given_at_creation_is_not_policy_checked_but_never_truncated() {
    let app = TestApp::spawn().await;
    app.create_user(json!({"username": "weak", "password": "weakpass", "rootRole": 3}))
        .await;
    app.login("weak", "weakpass").await;
    let long = "a".repeat(73);
    app.admin(
        Method::POST,
        "/api/admin/user-admin",
        Some(json!({"username": "long", "password": long, "rootRole": 3})),
    )
    .await
    .assert_error(400, "OwaspValidationError");
}

#[tokio::test]
async fn list_get_and_delete_users() {
    let app = TestApp::spawn().await;
    let id = app.user_with_password("ada@example.com", STRONG).await;
    let cookie = app.login("ada@example.com", STRONG).await;
    let users = app.admin(Method::GET, "/api/admin/user-admin", None).await;
    assert_eq!(users.status, 200);
    let users = users.json();
    let emails: Vec<_> = users["users"]
        .as_array()
        .expect("users")
        .iter()
        .map(|u| u["email"].clone())
        .collect();
    assert!(emails.contains(&json!("ada@example.com")), "{users}");
    assert_eq!(users["users"].as_array().unwrap().len(), 2);

    let one = app
        .admin(Method::GET, &format!("/api/admin/user-admin/{id}"), None)
        .await;
    assert_eq!(one.status, 200);
    assert_eq!(one.json()["rootRole"], 2);
    let body = app
        .admin(Method::GET, "/api/admin/user-admin/9999", None)
        .await
        .assert_error(404, "NotFoundError");
    assert_eq!(body["message"], "No user found");

    let deleted = app
        .admin(Method::DELETE, &format!("/api/admin/user-admin/{id}"), None)
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    app.admin(Method::GET, &format!("/api/admin/user-admin/{id}"), None)
        .await
        .assert_error(404, "NotFoundError");
    app.admin(Method::DELETE, &format!("/api/admin/user-admin/{id}"), None)
        .await
        .assert_error(404, "NotFoundError");
    app.get_as("/api/admin/user", &cookie)
        .await
        .assert_error(401, "AuthenticationRequired");
    // The address is free again.
    app.create_user(json!({"email": "ada@example.com", "rootRole": 3}))
        .await;
}

#[tokio::test]
async fn admin_reset_link_is_throttled_per_user_and_404s_for_unknown() {
    let app = TestApp::spawn().await;
    app.user_with_password("ada@example.com", STRONG).await;
    app.reset_token("ada@example.com").await;
    let reply = app
        .admin(
            Method::POST,
            "/api/admin/user-admin/reset-password",
            Some(json!({"id": "ada@example.com"})),
        )
        .await;
    reply.assert_error(429, "RateLimitError");
    let retry: u64 = reply
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
    app.clock.advance(Duration::from_secs(61));
    app.reset_token("ada@example.com").await;
    app.admin(
        Method::POST,
        "/api/admin/user-admin/reset-password",
        Some(json!({"id": "ghost@example.com"})),
    )
    .await
    .assert_error(404, "NotFoundError");
}

#[tokio::test]
async fn admin_change_password_applies_policy_not_history_and_ends_all_sessions() {
    let app = TestApp::spawn().await;
    let id = app.user_with_password("ada@example.com", STRONG).await;
    let cookie = app.login("ada@example.com", STRONG).await;
    let token = app.reset_token("ada@example.com").await;
    let path = format!("/api/admin/user-admin/{id}/change-password");
    app.admin(Method::POST, &path, Some(json!({"password": "hunter2"})))
        .await
        .assert_error(400, "OwaspValidationError");
    // The current password again: history does not apply to admins.
    let reply = app
        .admin(Method::POST, &path, Some(json!({"password": STRONG})))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    app.get_as("/api/admin/user", &cookie)
        .await
        .assert_error(401, "AuthenticationRequired");
    app.get(&format!("/auth/reset/validate?token={token}"))
        .await
        .assert_error(401, "InvalidTokenError");
    app.admin(
        Method::POST,
        "/api/admin/user-admin/9999/change-password",
        Some(json!({"password": STRONG2})),
    )
    .await
    .assert_error(404, "NotFoundError");
}

#[tokio::test]
async fn an_admin_session_can_use_the_admin_calls_and_an_editor_cannot() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin", ADMIN_PASSWORD).await;
    let reply = app
        .post_as(
            "/api/admin/user-admin",
            &admin,
            json!({"email": "ed@example.com", "rootRole": 2}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let invite = token_of(reply.json()["inviteLink"].as_str().unwrap());
    let body = app
        .get(&format!("/auth/reset/validate?token={invite}"))
        .await
        .json();
    assert_eq!(body["createdBy"], "admin");
    // The invite sets the first password.
    let reply = app
        .post(
            "/auth/reset/password",
            json!({"token": invite, "password": STRONG}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let editor = app.login("ed@example.com", STRONG).await;
    let me = app.get_as("/api/admin/user", &editor).await.json();
    assert_eq!(me["permissions"], json!([]));
    app.get_as("/api/admin/user-admin", &editor)
        .await
        .assert_error(403, "PermissionError");
}

// ---------------------------------------------------------------- persistence

#[tokio::test]
async fn a_restart_keeps_users_sessions_and_tokens() {
    let app = TestApp::spawn().await;
    app.user_with_password("ada@example.com", STRONG).await;
    let cookie = app.login("ada@example.com", STRONG).await;
    let token = app.reset_token("ada@example.com").await;
    let app = app.restart(&[]).await;
    assert_eq!(app.get_as("/api/admin/user", &cookie).await.status, 200);
    assert_eq!(
        app.get(&format!("/auth/reset/validate?token={token}"))
            .await
            .status,
        200
    );
    app.login("ada@example.com", STRONG).await;
}

#[tokio::test]
async fn the_database_holds_no_token_session_id_or_password_in_clear() {
    let mut app = TestApp::spawn().await;
    let (_, invite) = app
        .create_user(json!({"email": "ada@example.com", "rootRole": 2}))
        .await;
    app.post(
        "/auth/reset/password",
        json!({"token": invite, "password": STRONG}),
    )
    .await;
    let cookie = app.login("ada@example.com", STRONG).await;
    let token = app.reset_token("ada@example.com").await;
    app.stop().await;
    let haystack = app.database_text();
    assert!(haystack.len() > 1000, "read the database");
    for secret in [
        invite.as_str(),
        token.as_str(),
        cookie.as_str(),
        STRONG,
        ADMIN_PASSWORD,
    ] {
        assert!(
            !haystack.contains(secret),
            "found a secret in the database file"
        );
    }
    assert!(
        haystack.contains("ada@example.com"),
        "the scan reads real data"
    );
    assert!(haystack.contains("$2b$04$"), "passwords are bcrypt hashes");
}

fn sha256_hex(text: &str) -> String {
    use sha2::{Digest as _, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn a_number_role_is_echoed_as_a_number_and_the_list_has_root_roles() {
    let app = TestApp::spawn().await;
    let reply = app
        .admin(
            Method::POST,
            "/api/admin/user-admin",
            Some(json!({"username": "bob", "rootRole": 3, "sendEmail": false})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.json()["rootRole"], 3);
    let list = app
        .admin(Method::GET, "/api/admin/user-admin", None)
        .await
        .json();
    let roles: Vec<(i64, &str, &str)> = list["rootRoles"]
        .as_array()
        .expect("rootRoles")
        .iter()
        .map(|r| {
            (
                r["id"].as_i64().unwrap_or_default(),
                r["name"].as_str().unwrap_or_default(),
                r["type"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        [
            (1, "Admin", "root"),
            (2, "Editor", "root"),
            (3, "Viewer", "root")
        ]
    );
    let bob = list["users"]
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["username"] == "bob")
        .expect("bob listed");
    assert_eq!(bob["rootRole"], 3);
    assert_eq!(
        bob["imageUrl"],
        format!(
            "https://gravatar.com/avatar/{}?s=42&d=retro&r=g",
            sha256_hex("bob")
        )
    );
}

#[tokio::test]
async fn the_profile_shows_the_callers_root_role() {
    let app = TestApp::spawn().await;
    app.user_with_password("ada@example.com", STRONG).await;
    let cookie = app.login("ada@example.com", STRONG).await;
    let reply = app.get_as("/api/admin/user/profile", &cookie).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["rootRole"]["id"], 2);
    assert_eq!(body["rootRole"]["name"], "Editor");
    assert_eq!(body["rootRole"]["type"], "root");
    assert_eq!(body["canChangePassword"], true);
    for empty in ["projects", "groups", "subscriptions", "features"] {
        assert_eq!(body[empty], json!([]), "{empty}");
    }
    app.get("/api/admin/user/profile")
        .await
        .assert_error(401, "AuthenticationRequired");
}

#[tokio::test]
async fn under_api_authentication_comes_before_routing() {
    let app = TestApp::spawn().await;
    // Unleash's UI asks for this on every page; without credentials Unleash answers 401.
    app.get("/api/admin/ui-config")
        .await
        .assert_error(401, "AuthenticationRequired");
    app.send(
        Method::GET,
        "/api/admin/ui-config",
        None,
        None,
        &[("authorization", "*:*.not-a-token")],
    )
    .await
    .assert_error(401, "UnauthorizedError");
    let cookie = app.login("admin", ADMIN_PASSWORD).await;
    let body = app
        .get_as("/api/admin/ui-config", &cookie)
        .await
        .assert_error(404, "NotFoundError");
    assert_eq!(
        body["message"],
        "The path you were looking for (/api/admin/ui-config) is not available."
    );
    // Outside /api/ nothing changes: an unknown path is a 404 for anyone.
    app.get("/nope").await.assert_error(404, "NotFoundError");
}

#[tokio::test]
async fn log_out_ends_every_session_of_the_user() {
    let app = TestApp::spawn().await;
    app.user_with_password("ada@example.com", STRONG).await;
    let first = app.login("ada@example.com", STRONG).await;
    let second = app.login("ada@example.com", STRONG).await;
    let header = format!("unleash-session={first}");
    let reply = app
        .send(Method::POST, "/logout", None, None, &[("cookie", &header)])
        .await;
    assert_eq!(reply.status, 204);
    for cookie in [&first, &second] {
        assert_eq!(app.get_as("/api/admin/user", cookie).await.status, 401);
    }
}

#[tokio::test]
async fn a_nul_character_in_a_new_user_s_text_is_a_clear_400_on_every_backend() {
    let app = TestApp::spawn().await;
    for field in ["username", "name"] {
        let mut body =
            json!({"email": "nul@example.com", "rootRole": "Editor", "sendEmail": false});
        body[field] = json!("a\u{0}b");
        let reply = app
            .admin(Method::POST, "/api/admin/user-admin", Some(body))
            .await;
        let error = reply.assert_error(400, "BadDataError");
        assert_eq!(
            error["details"][0]["path"],
            format!("/body/{field}"),
            "{error}"
        );
    }
    // A log-in name with one matches nobody: the usual 401, not a database error.
    app.post(
        "/auth/simple/login",
        json!({"username": "a\u{0}b", "password": "whatever-it-is"}),
    )
    .await
    .assert_error(401, "PasswordMismatch");
}

// ---------------------------------------------------------------- Unleash's user JSON (issue: compat)

/// The fields of a user that only Unleash sets: Unleash's serializer shows them as `null` when
/// unset, and so does every answer that carries a user.
const UNLEASH_ONLY: [&str; 4] = [
    "scimId",
    "seatType",
    "companyRole",
    "productUpdatesEmailConsent",
];

fn shows_unleash_fields_as_null(user: &serde_json::Value, answer: &str) {
    for field in UNLEASH_ONLY {
        assert_eq!(
            user.get(field),
            Some(&serde_json::Value::Null),
            "{answer}: {field} in {user}"
        );
    }
}

#[tokio::test]
async fn every_user_json_carries_unleash_s_four_fields_as_null() {
    let app = TestApp::spawn().await;
    let created = app
        .admin(
            Method::POST,
            "/api/admin/user-admin",
            Some(json!({"email": "ada@example.com", "rootRole": 2, "sendEmail": false})),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    shows_unleash_fields_as_null(&created.json(), "create");
    let id = created.json()["id"].as_i64().expect("id");
    let one = app
        .admin(Method::GET, &format!("/api/admin/user-admin/{id}"), None)
        .await;
    shows_unleash_fields_as_null(&one.json(), "get");
    let list = app.admin(Method::GET, "/api/admin/user-admin", None).await;
    for user in list.json()["users"].as_array().expect("users") {
        shows_unleash_fields_as_null(user, "list");
        assert!(user.get("activeSessions").is_none(), "flag off: {user}");
    }
    app.admin(
        Method::POST,
        &format!("/api/admin/user-admin/{id}/change-password"),
        Some(json!({"password": STRONG})),
    )
    .await;
    let login = app
        .post(
            "/auth/simple/login",
            json!({"username": "ada@example.com", "password": STRONG}),
        )
        .await;
    assert_eq!(login.status, 200, "{}", login.text);
    shows_unleash_fields_as_null(&login.json(), "login");
    let cookie = login.session_cookie().expect("cookie");
    let me = app.get_as("/api/admin/user", &cookie).await;
    shows_unleash_fields_as_null(&me.json()["user"], "me");
}

/// `activeSessions` of each listed user (by e-mail).
async fn active_sessions(app: &TestApp) -> Vec<(String, Option<i64>)> {
    let list = app.admin(Method::GET, "/api/admin/user-admin", None).await;
    assert_eq!(list.status, 200, "{}", list.text);
    list.json()["users"]
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|u| {
            let email = u["email"].as_str()?.to_string();
            Some((email, u.get("activeSessions").and_then(|n| n.as_i64())))
        })
        .collect()
}

#[tokio::test]
async fn with_unleash_s_device_count_flag_the_list_counts_each_user_s_live_sessions() {
    // Unleash's own reading of the flag: `t` is on.
    let app = TestApp::spawn_with(&["--show-user-device-count", "t"]).await;
    app.user_with_password("ada@example.com", STRONG).await;
    app.user_with_password("bob@example.com", STRONG).await;
    app.user_with_password("eve@example.com", STRONG).await;
    app.login("ada@example.com", STRONG).await;
    app.login("ada@example.com", STRONG).await;
    app.login("bob@example.com", STRONG).await;
    let mut counts = active_sessions(&app).await;
    counts.sort();
    assert_eq!(
        counts,
        [
            ("ada@example.com".to_string(), Some(2)),
            ("bob@example.com".to_string(), Some(1)),
            ("eve@example.com".to_string(), Some(0)),
        ]
    );
    // Expired sessions are not live.
    app.clock.advance(Duration::from_secs(49 * 3600));
    app.login("bob@example.com", STRONG).await;
    let mut counts = active_sessions(&app).await;
    counts.sort();
    assert_eq!(counts[0], ("ada@example.com".to_string(), Some(0)));
    assert_eq!(counts[1], ("bob@example.com".to_string(), Some(1)));

    // Any other value than Unleash's three leaves it off.
    let off = TestApp::spawn_with(&["--show-user-device-count", "yes"]).await;
    off.user_with_password("ada@example.com", STRONG).await;
    off.login("ada@example.com", STRONG).await;
    assert_eq!(
        active_sessions(&off).await,
        [("ada@example.com".to_string(), None)]
    );
}
