//! Browser-facing protections of the front, over HTTP against the running service: state changes
//! that carry the session cookie from another site are refused (`CrossSiteRequestError`), and
//! `Strict-Transport-Security` is on every answer exactly when `UNLEASH_URL` is https.

mod common;

use common::*;

use reqwest::Method;
use serde_json::json;

const STRONG: &str = "simple123-_ASsad";
const STRONG2: &str = "DtUYwi&l5I1KX4@Le";
/// The harness's `UNLEASH_URL` is `http://unlatch.test/ui`.
const PUBLIC_ORIGIN: &str = "http://unlatch.test";
const FOREIGN_ORIGIN: &str = "https://attacker.example";

/// `POST /logout` with the session cookie, a body a plain HTML form or `fetch` without
/// pre-flight can send (`text/plain`), and `headers`.
async fn logout(app: &TestApp, cookie: &str, headers: &[(&str, &str)]) -> Reply {
    let cookie = format!("unleash-session={cookie}");
    let mut all = vec![("cookie", cookie.as_str())];
    all.extend_from_slice(headers);
    app.send(
        Method::POST,
        "/logout",
        Some("text/plain"),
        Some(b"{}".to_vec()),
        &all,
    )
    .await
}

/// The refusal, and that it did nothing: no cookie cleared, the session alive.
async fn assert_refused(app: &TestApp, reply: &Reply, cookie: &str) {
    let body = reply.assert_error(403, "CrossSiteRequestError");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("another site")),
        "{body}"
    );
    assert_eq!(body["details"][0]["message"], body["message"], "{body}");
    assert!(reply.header("set-cookie").is_none(), "{:?}", reply.headers);
    assert!(
        reply.header("clear-site-data").is_none(),
        "{:?}",
        reply.headers
    );
    let me = app.get_as("/api/admin/user", cookie).await;
    assert_eq!(me.status, 200, "the session did not survive: {}", me.text);
}

#[tokio::test]
async fn a_cross_site_logout_is_refused_and_the_session_survives() {
    let app = TestApp::spawn().await;
    let cookie = app.login("admin", ADMIN_PASSWORD).await;

    let reply = logout(&app, &cookie, &[("origin", FOREIGN_ORIGIN)]).await;
    assert_refused(&app, &reply, &cookie).await;
    // A sibling of the public URL's host is the same site but another origin.
    let reply = logout(&app, &cookie, &[("origin", "http://evil.unlatch.test")]).await;
    assert_refused(&app, &reply, &cookie).await;
    // Same host, another scheme or port: another origin.
    for origin in ["https://unlatch.test", "http://unlatch.test:8080"] {
        let reply = logout(&app, &cookie, &[("origin", origin)]).await;
        assert_refused(&app, &reply, &cookie).await;
    }
    // `Origin: null` (a sandboxed frame, a data: URL) is no origin of ours either.
    let reply = logout(&app, &cookie, &[("origin", "null")]).await;
    assert_refused(&app, &reply, &cookie).await;
    // The browser's own word, with or without an Origin.
    let reply = logout(&app, &cookie, &[("sec-fetch-site", "cross-site")]).await;
    assert_refused(&app, &reply, &cookie).await;
    let reply = logout(
        &app,
        &cookie,
        &[("sec-fetch-site", "cross-site"), ("origin", PUBLIC_ORIGIN)],
    )
    .await;
    assert_refused(&app, &reply, &cookie).await;
    // A cookie that is no session is refused the same way, before it is looked up.
    let reply = logout(&app, "not-a-session", &[("origin", FOREIGN_ORIGIN)]).await;
    reply.assert_error(403, "CrossSiteRequestError");
}

#[tokio::test]
async fn a_cross_site_password_change_is_refused_before_its_body_is_read() {
    let app = TestApp::spawn().await;
    app.user_with_password("ada@example.com", STRONG).await;
    let cookie = app.login("ada@example.com", STRONG).await;
    let header = format!("unleash-session={cookie}");
    let body = json!({"password": STRONG2, "confirmPassword": STRONG2, "oldPassword": STRONG});
    let change = |headers: Vec<(&'static str, &'static str)>| {
        let mut all = vec![("cookie", header.as_str())];
        all.extend(headers);
        let body = body.to_string().into_bytes();
        let app = &app;
        async move {
            app.send(
                Method::POST,
                "/api/admin/user/change-password",
                Some("application/json"),
                Some(body),
                &all,
            )
            .await
        }
    };

    let reply = change(vec![("origin", FOREIGN_ORIGIN)]).await;
    assert_refused(&app, &reply, &cookie).await;
    let reply = change(vec![("sec-fetch-site", "cross-site")]).await;
    assert_refused(&app, &reply, &cookie).await;
    // What a plain HTML form can send: refused as such, not as a body of the wrong type (415).
    let reply = app
        .send(
            Method::POST,
            "/api/admin/user/change-password",
            Some("application/x-www-form-urlencoded"),
            Some(format!("password={STRONG2}&confirmPassword={STRONG2}").into_bytes()),
            &[("cookie", header.as_str()), ("origin", FOREIGN_ORIGIN)],
        )
        .await;
    assert_refused(&app, &reply, &cookie).await;
    // the old password still logs in, the new one does not
    app.login("ada@example.com", STRONG).await;
    let refused = app
        .post(
            "/auth/simple/login",
            json!({"username": "ada@example.com", "password": STRONG2}),
        )
        .await;
    assert_eq!(refused.status, 401, "{}", refused.text);

    // From the public URL's origin it is done.
    let reply = change(vec![
        ("origin", PUBLIC_ORIGIN),
        ("sec-fetch-site", "same-origin"),
    ])
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    app.login("ada@example.com", STRONG2).await;
}

#[tokio::test]
async fn same_site_calls_and_calls_without_a_cookie_still_work() {
    let app = TestApp::spawn().await;
    let own_host = format!("http://{}", app.addr);

    // Each of these logs a fresh session out: 204, and the session is gone.
    let same_site: Vec<Vec<(&str, &str)>> = vec![
        // no Origin at all: a script, curl, an SDK
        vec![],
        // the public URL's origin, as Unleash's UI and the pages send it
        vec![("origin", PUBLIC_ORIGIN)],
        vec![("origin", PUBLIC_ORIGIN), ("sec-fetch-site", "same-site")],
        // the browser vouches for it (a form POST from a no-referrer page says `Origin: null`)
        vec![("sec-fetch-site", "same-origin"), ("origin", "null")],
        vec![("sec-fetch-site", "none")],
        // the request's own Host, under the public URL's scheme: the UI on another name
        vec![("origin", own_host.as_str())],
    ];
    for headers in same_site {
        let cookie = app.login("admin", ADMIN_PASSWORD).await;
        let reply = logout(&app, &cookie, &headers).await;
        assert_eq!(reply.status, 204, "{headers:?}: {}", reply.text);
        app.get_as("/api/admin/user", &cookie)
            .await
            .assert_error(401, "AuthenticationRequired");
    }

    // Reading is never refused.
    let cookie = app.login("admin", ADMIN_PASSWORD).await;
    let header = format!("unleash-session={cookie}");
    let reply = app
        .send(
            Method::GET,
            "/api/admin/user",
            None,
            None,
            &[
                ("cookie", &header),
                ("origin", FOREIGN_ORIGIN),
                ("sec-fetch-site", "cross-site"),
            ],
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);

    // An admin API token without the cookie is not concerned, wherever the call says it is from.
    let auth = format!("Bearer {ADMIN_TOKEN}");
    for headers in [
        vec![("origin", FOREIGN_ORIGIN)],
        vec![("origin", "null"), ("sec-fetch-site", "cross-site")],
    ] {
        let mut all = vec![("authorization", auth.as_str())];
        all.extend(headers.iter().copied());
        let email = format!("u{}@example.com", headers.len());
        let reply = app
            .send(
                Method::POST,
                "/api/admin/user-admin",
                Some("application/json"),
                Some(
                    json!({"email": email, "rootRole": "Viewer", "sendEmail": false})
                        .to_string()
                        .into_bytes(),
                ),
                &all,
            )
            .await;
        assert_eq!(reply.status, 201, "{headers:?}: {}", reply.text);
    }
    // A token *and* the cookie: the browser sent the cookie along, so it is refused.
    let reply = app
        .send(
            Method::POST,
            "/api/admin/user-admin",
            Some("application/json"),
            Some(json!({"email": "x@example.com"}).to_string().into_bytes()),
            &[
                ("authorization", auth.as_str()),
                ("cookie", &header),
                ("origin", FOREIGN_ORIGIN),
            ],
        )
        .await;
    reply.assert_error(403, "CrossSiteRequestError");
}

/// A request of each kind: an operation, an error of the front, an error of an operation, a page,
/// an asset and the root's redirect.
async fn every_kind_of_answer(app: &TestApp) -> Vec<(String, Reply)> {
    let mut replies = Vec::new();
    for path in [
        "/health",
        "/api/admin/user",
        "/api/admin/nope",
        "/nope",
        "/reset-password?token=abc",
        "/assets/unlatch.js",
        "/",
    ] {
        replies.push((format!("GET {path}"), app.get(path).await));
    }
    let login = app
        .post(
            "/auth/simple/login",
            json!({"username": "admin", "password": "wrong-Passw0rd!"}),
        )
        .await;
    replies.push(("POST /auth/simple/login (401)".into(), login));
    let unsupported = app
        .send(
            Method::POST,
            "/auth/reset/validate-password",
            Some("text/plain"),
            Some(b"x".to_vec()),
            &[],
        )
        .await;
    replies.push(("POST validate-password (415)".into(), unsupported));
    let admin = app.admin(Method::GET, "/api/admin/user-admin", None).await;
    replies.push(("GET /api/admin/user-admin".into(), admin));
    replies
}

#[tokio::test]
async fn every_answer_carries_hsts_exactly_when_the_public_url_is_https() {
    let https = TestApp::spawn_with(&["--unleash-url", "https://unlatch.test/ui"]).await;
    for (what, reply) in every_kind_of_answer(&https).await {
        assert_eq!(
            reply.header("strict-transport-security").as_deref(),
            Some("max-age=31536000"),
            "{what} ({})",
            reply.status
        );
    }
    let http = TestApp::spawn().await;
    let replies = every_kind_of_answer(&http).await;
    let statuses: Vec<u16> = replies.iter().map(|(_, r)| r.status.as_u16()).collect();
    assert_eq!(statuses, [200, 401, 401, 404, 200, 200, 302, 401, 415, 200]);
    for (what, reply) in replies {
        assert!(
            reply.header("strict-transport-security").is_none(),
            "{what} ({})",
            reply.status
        );
    }
}
