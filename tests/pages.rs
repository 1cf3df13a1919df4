//! The server-rendered pages over HTTP: each page and asset, its headers, its labelled inputs, the
//! sub-path of `UNLEASH_URL` (the harness uses `http://unlatch.test/ui`), and `--pages false`.

mod common;

use common::{Reply, TestApp};
use reqwest::Method;

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
                   img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const PAGES: [&str; 8] = [
    "/forgotten-password",
    "/reset-password",
    "/new-user",
    "/login",
    "/change-password",
    "/signed-out",
    "/not-me",
    "/profile",
];

const ASSETS: [(&str, &str); 3] = [
    ("/assets/unlatch.css", "text/css; charset=utf-8"),
    ("/assets/unlatch.js", "text/javascript; charset=utf-8"),
    ("/assets/favicon.svg", "image/svg+xml"),
];

/// The inputs each page must offer, by id (every one must have its `<label for>`).
fn inputs_of(page: &str) -> &'static [&'static str] {
    match page {
        "/forgotten-password" => &["email"],
        "/reset-password" | "/new-user" => &["account", "password", "confirm", "show-passwords"],
        "/login" => &["username", "password"],
        "/change-password" => &[
            "account",
            "old-password",
            "password",
            "confirm",
            "show-passwords",
        ],
        _ => &[],
    }
}

fn assert_common_headers(reply: &Reply) {
    assert_eq!(reply.header("cache-control").as_deref(), Some("no-store"));
    assert_eq!(
        reply.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert_eq!(
        reply.header("referrer-policy").as_deref(),
        Some("no-referrer")
    );
}

/// Every `<tag ...>` opening tag in `html` (attributes may span lines).
fn tags<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}");
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        if after.starts_with(|c: char| c.is_whitespace() || c == '>') {
            let end = after.find('>').expect("tag closes");
            found.push(&after[..end]);
        }
        rest = &rest[start + open.len()..];
    }
    found
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')?;
    Some(&tag[start..start + end])
}

/// An ` onsomething=` attribute anywhere.
fn has_event_handler(html: &str) -> bool {
    html.match_indices(" on").any(|(at, _)| {
        let name: String = html[at + 3..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        html[at + 3 + name.len()..].starts_with('=')
    })
}

fn assert_page(reply: &Reply, path: &str) {
    assert_eq!(reply.status, 200, "{path}: {}", reply.text);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("text/html; charset=utf-8"),
        "{path}"
    );
    assert_eq!(
        reply.header("content-security-policy").as_deref(),
        Some(CSP),
        "{path}"
    );
    assert_common_headers(reply);
    let html = &reply.text;
    assert!(html.starts_with("<!doctype html>"), "{path}");
    assert!(html.contains("<html lang=\"en\">"), "{path}");
    assert!(
        html.contains("name=\"viewport\" content=\"width=device-width, initial-scale=1\""),
        "{path}"
    );
    let name = path.rsplit('/').next().unwrap();
    assert!(
        html.contains(&format!("<body data-page=\"{name}\">")),
        "{path}"
    );

    // The script and the style come from this server's own assets, relatively addressed (so they
    // work under the sub-path too); nothing inline, nothing from elsewhere.
    let scripts = tags(html, "script");
    assert_eq!(scripts.len(), 1, "{path}");
    assert_eq!(attribute(scripts[0], "src"), Some("assets/unlatch.js"));
    assert!(html.contains("<link rel=\"stylesheet\" href=\"assets/unlatch.css\">"));
    assert!(!html.contains("<style"), "{path}");
    assert!(!html.contains(" style=\""), "{path}");
    assert!(!has_event_handler(html), "{path}: no inline event handlers");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "{path}"
    );
    assert!(!html.contains("href=\"/"), "{path}: links are relative");

    // Messages are announced.
    assert!(
        html.contains("role=\"status\" aria-live=\"polite\""),
        "{path}"
    );
    assert!(html.contains("role=\"alert\""), "{path}");

    // Every input has a label, and the page offers the inputs it needs.
    let inputs = tags(html, "input");
    let labels: Vec<&str> = tags(html, "label")
        .into_iter()
        .filter_map(|l| attribute(l, "for"))
        .collect();
    let ids: Vec<&str> = inputs
        .iter()
        .map(|input| {
            let id = attribute(input, "id").unwrap_or_else(|| panic!("{path}: {input}"));
            assert!(labels.contains(&id), "{path}: no label for {id}");
            id
        })
        .collect();
    assert_eq!(ids, inputs_of(path), "{path}");
    for input in &inputs {
        if attribute(input, "type") == Some("password") {
            let complete = attribute(input, "autocomplete");
            assert!(
                matches!(complete, Some("new-password" | "current-password")),
                "{path}: {input}"
            );
        }
    }
}

#[tokio::test]
async fn every_page_is_html_with_a_strict_policy_and_labelled_inputs() {
    let app = TestApp::spawn().await;
    for path in PAGES {
        assert_page(&app.get(path).await, path);
        // The reset and invite links carry a token; the page is the same.
        assert_page(&app.get(&format!("{path}?token=abc-DEF_123")).await, path);
    }
}

#[tokio::test]
async fn pages_are_also_served_under_unleash_url_s_sub_path() {
    // The harness's UNLEASH_URL is http://unlatch.test/ui.
    let app = TestApp::spawn().await;
    for path in PAGES {
        let root = app.get(path).await;
        let under = app.get(&format!("/ui{path}?token=T")).await;
        assert_page(&under, path);
        assert_eq!(root.text, under.text);
    }
    for (path, content_type) in ASSETS {
        let reply = app.get(&format!("/ui{path}")).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type").as_deref(), Some(content_type));
    }
    // Only that sub-path.
    app.get("/other/login")
        .await
        .assert_error(404, "NotFoundError");
    app.get("/uilogin").await.assert_error(404, "NotFoundError");
}

#[tokio::test]
async fn the_root_sends_a_browser_to_the_log_in_page() {
    // The harness's UNLEASH_URL is http://unlatch.test/ui.
    let app = TestApp::spawn().await;
    for path in ["/", "/ui", "/ui/"] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, 302, "{path}");
        assert_eq!(
            reply.header("location").as_deref(),
            Some("/ui/login"),
            "{path}"
        );
    }
    // Without the pages, the root is what any unknown path is: a JSON 404.
    let app = TestApp::spawn_with(&["--pages", "false"]).await;
    app.get("/").await.assert_error(404, "NotFoundError");
}

#[tokio::test]
async fn the_mailed_links_lead_to_the_pages() {
    let app = TestApp::spawn().await;
    app.user_with_password("ada@example.com", "Old-Passw0rd!")
        .await;
    let reply = app
        .admin(
            Method::POST,
            "/api/admin/user-admin/reset-password",
            Some(serde_json::json!({"id": "ada@example.com"})),
        )
        .await;
    let link = reply.json()["resetPasswordUrl"]
        .as_str()
        .expect("url")
        .to_string();
    // <UNLEASH_URL>/reset-password?token=T, served here at /ui/reset-password.
    let path = link
        .strip_prefix("http://unlatch.test")
        .expect("built from UNLEASH_URL");
    assert!(path.starts_with("/ui/reset-password?token="), "{path}");
    assert_page(&app.get(path).await, "/reset-password");
}

#[tokio::test]
async fn assets_have_their_content_types() {
    let app = TestApp::spawn().await;
    for (path, content_type) in ASSETS {
        let reply = app.get(path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(
            reply.header("content-type").as_deref(),
            Some(content_type),
            "{path}"
        );
        assert_eq!(
            reply.header("content-security-policy").as_deref(),
            Some(CSP)
        );
        assert_common_headers(&reply);
        assert!(!reply.text.is_empty(), "{path}");
    }
    let js = app.get("/assets/unlatch.js").await.text;
    // Every call goes to this origin, relatively; nothing is logged.
    assert!(!js.contains("http://") && !js.contains("https://"));
    assert!(!js.contains("console."));
    assert!(js.contains("'Content-Type': 'application/json'"));
    let svg = app.get("/assets/favicon.svg").await.text;
    assert!(svg.starts_with("<svg"));
}

#[tokio::test]
async fn head_answers_like_get_without_a_body() {
    let app = TestApp::spawn().await;
    let get = app.get("/login").await;
    let head = app.send(Method::HEAD, "/login", None, None, &[]).await;
    assert_eq!(head.status, 200);
    assert_eq!(head.text, "");
    assert_eq!(
        head.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        head.header("content-length"),
        Some(get.text.len().to_string())
    );
}

#[tokio::test]
async fn other_methods_and_unknown_paths_stay_json() {
    let app = TestApp::spawn().await;
    // ("/" sends a browser to the log-in page: the_root_sends_a_browser_to_the_log_in_page.)
    for path in [
        "/nope",
        "/login/",
        "/assets/",
        "/assets/nope.js",
        "/templates/pages/layout.hbs",
    ] {
        app.get(path).await.assert_error(404, "NotFoundError");
    }
    // A page's path is not an API operation.
    app.post("/login", serde_json::json!({}))
        .await
        .assert_error(404, "NotFoundError");
    // The API is unchanged.
    let health = app.get("/health").await;
    assert_eq!(health.status, 200);
    assert!(health.header("content-security-policy").is_none());
}

#[tokio::test]
async fn pages_false_turns_them_off_but_the_not_me_page() {
    let app = TestApp::spawn_with(&["--pages", "false"]).await;
    // Unleash's UI has no page for the "this wasn't me" link of every password-changed mail.
    for path in ["/not-me", "/ui/not-me"] {
        let page = app.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(page.text.contains("data-page=\"not-me\""));
    }
    for (path, _) in ASSETS {
        assert_eq!(app.get(path).await.status, 200, "{path}");
    }
    app.get("/").await.assert_error(404, "NotFoundError");
    for path in PAGES.iter().filter(|p| **p != "/not-me") {
        let body = app.get(path).await.assert_error(404, "NotFoundError");
        assert_eq!(
            body["message"],
            format!("The path you were looking for ({path}) is not available.")
        );
        app.get(&format!("/ui{path}"))
            .await
            .assert_error(404, "NotFoundError");
    }
    let health = app.get("/health").await;
    assert_eq!(health.status, 200);
}
