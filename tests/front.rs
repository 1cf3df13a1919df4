//! CONTRACT §1 (plumbing) and §2 (password policy), driven over HTTP against the running service.

mod common;

use common::*;

use reqwest::Method;
use serde_json::{json, Value};

const VALIDATE: &str = "/auth/reset/validate-password";
const ADMIN_VALIDATE: &str = "/api/admin/user-admin/validate-password";
const JSON_UTF8: &str = "application/json; charset=utf-8";

const BAD_DATA_MESSAGE: &str = "Request validation failed: your request body or params contain invalid data. Refer to the `details` list for more information.";
const AUTH_REQUIRED_MESSAGE: &str = "You must log in to use Unleash. Your request had no authorization header, so we could not authorize you. Try logging in at /auth/simple/login";
const UNAUTHORIZED_MESSAGE: &str = "You must log in to use Unleash.";
const PERMISSION_MESSAGE: &str = "You don't have the required permissions to perform this operation. To perform this action, you need the \"ADMIN\" permission.";
const PASSWORD_UNDEFINED_MESSAGE: &str = "Password cannot be empty or undefined";

const MIN_LENGTH: &str = "The password must be at least 10 characters long.";
const MAX_LENGTH: &str = "The password must be fewer than 128 characters.";
const REPEATS: &str =
    "The password may not contain sequences of three or more repeated characters.";
const LOWERCASE: &str = "The password must contain at least one lowercase letter.";
const UPPERCASE: &str = "The password must contain at least one uppercase letter.";
const NUMBER: &str = "The password must contain at least one number.";
const SPECIAL: &str = "The password must contain at least one special character.";
const MAX_BYTES: &str = "The password must be at most 72 bytes long.";

fn content_type_message(provided: &str) -> String {
    format!(
        "We do not accept the content-type you provided ({provided}). Try using one of the content-types we do accept instead (application/json) and make sure the body is in the corresponding format."
    )
}

/// A POST with an explicit content type (or none) and raw body bytes.
async fn post_raw(
    app: &TestApp,
    path: &str,
    content_type: Option<&str>,
    body: impl Into<Vec<u8>>,
) -> Reply {
    app.send(Method::POST, path, content_type, Some(body.into()), &[])
        .await
}

/// Asserts a contract error including its exact `message`; answers the body.
fn expect_error(reply: &Reply, status: u16, name: &str, message: &str) -> Value {
    let body = reply.assert_error(status, name);
    assert_eq!(body["message"], message, "body: {}", reply.text);
    body
}

/// Asserts a BadDataError whose `details` are exactly `[{path, message}]`.
fn expect_bad_data(reply: &Reply, path: &str, message: &str) {
    let body = expect_error(reply, 400, "BadDataError", BAD_DATA_MESSAGE);
    assert_eq!(
        body["details"],
        json!([{"path": path, "message": message}]),
        "body: {}",
        reply.text
    );
}

/// Asserts a JSON error body of any name (for statuses whose name the contract does not fix).
fn expect_json_error(reply: &Reply, status: u16) -> Value {
    assert_eq!(reply.status.as_u16(), status, "body: {}", reply.text);
    assert_eq!(reply.header("content-type").as_deref(), Some(JSON_UTF8));
    let body = reply.json();
    assert!(body["name"].is_string(), "body: {}", reply.text);
    assert!(body["message"].is_string(), "body: {}", reply.text);
    assert!(body["id"].is_string(), "body: {}", reply.text);
    body
}

/// Asserts the policy answer of CONTRACT §2 for a password on an endpoint: 200 with an empty body
/// when `failed` is empty, otherwise OwaspValidationError listing every failed rule in order.
fn expect_policy(reply: &Reply, password: &str, failed: &[&str]) {
    if failed.is_empty() {
        assert_eq!(
            reply.status, 200,
            "password {password:?} should pass: {}",
            reply.text
        );
        assert_eq!(reply.text, "", "password {password:?}");
        return;
    }
    assert_eq!(
        reply.status, 400,
        "password {password:?}: body {}",
        reply.text
    );
    let body = reply.assert_error(400, "OwaspValidationError");
    assert_eq!(body["message"], failed[0], "password {password:?}");
    assert_eq!(
        body["details"],
        json!([{"validationErrors": failed, "message": failed[0]}]),
        "password {password:?}"
    );
}

/// Every example of CONTRACT §2, plus the length and special-character rules it states.
fn policy_table() -> Vec<(String, Vec<&'static str>)> {
    let at_72_bytes = format!("Aa1!{}", "xy".repeat(34));
    assert_eq!(at_72_bytes.len(), 72);
    let at_73_bytes = format!("{at_72_bytes}z");
    let multibyte_75_bytes = format!("Aa1{}", "äb".repeat(24));
    assert_eq!(multibyte_75_bytes.len(), 75);
    vec![
        ("hunter2".into(), vec![MIN_LENGTH, UPPERCASE, SPECIAL]),
        ("qwertyabcde".into(), vec![UPPERCASE, NUMBER, SPECIAL]),
        (
            "aiaiaiaiaiaiaiaiaiaia".into(),
            vec![UPPERCASE, NUMBER, SPECIAL],
        ),
        ("Aaa1!aaaaaaa".into(), vec![REPEATS]),
        ("PASSWORD-123".into(), vec![LOWERCASE]),
        (
            "correct horse battery staple".into(),
            vec![UPPERCASE, NUMBER],
        ),
        ("simple123-_ASsad".into(), vec![]),
        ("DtUYwi&l5I1KX4@Le".into(), vec![]),
        ("Pässwörd12!".into(), vec![]),
        // Space and non-ASCII letters count as special characters.
        ("Abcdefgh1 ".into(), vec![]),
        ("Abcdefgh1é".into(), vec![]),
        // Length counts UTF-16 code units: 4 emoji + "Ab1" = 11 units (7 characters).
        ("😀😀😀😀Ab1".into(), vec![]),
        // 3 emoji + "Ab1" = 9 units.
        ("😀😁😂Ab1".into(), vec![MIN_LENGTH]),
        // Unlatch: bcrypt reads 72 bytes; over that is refused, never truncated, by the call
        // that sets the password (validate-password leaves it to that call, so that Unleash's
        // invite page enables Submit and then shows the reason: password_of_73_bytes_is_refused).
        (at_72_bytes, vec![]),
        (at_73_bytes, vec![]),
        (multibyte_75_bytes, vec![]),
    ]
}

// ---------------------------------------------------------------------------------------------
// 415 ContentTypeError
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn content_type_missing_is_415() {
    let app = TestApp::spawn().await;
    let reply = post_raw(&app, VALIDATE, None, r#"{"password":"simple123-_ASsad"}"#).await;
    expect_error(
        &reply,
        415,
        "ContentTypeError",
        &content_type_message("you didn't provide one"),
    );
}

#[tokio::test]
async fn content_type_text_plain_is_415() {
    let app = TestApp::spawn().await;
    let reply = post_raw(
        &app,
        VALIDATE,
        Some("text/plain"),
        r#"{"password":"simple123-_ASsad"}"#,
    )
    .await;
    expect_error(
        &reply,
        415,
        "ContentTypeError",
        &content_type_message("text/plain"),
    );
}

#[tokio::test]
async fn content_type_form_urlencoded_is_415() {
    let app = TestApp::spawn().await;
    let reply = post_raw(
        &app,
        VALIDATE,
        Some("application/x-www-form-urlencoded"),
        "password=simple123-_ASsad",
    )
    .await;
    expect_error(
        &reply,
        415,
        "ContentTypeError",
        &content_type_message("application/x-www-form-urlencoded"),
    );
}

#[tokio::test]
async fn content_type_with_charset_parameter_is_accepted() {
    let app = TestApp::spawn().await;
    for content_type in [
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
    ] {
        let reply = post_raw(
            &app,
            VALIDATE,
            Some(content_type),
            r#"{"password":"simple123-_ASsad"}"#,
        )
        .await;
        assert_eq!(reply.status, 200, "{content_type}: {}", reply.text);
        assert_eq!(reply.text, "");
    }
}

#[tokio::test]
async fn content_type_is_checked_before_schema_validation() {
    let app = TestApp::spawn().await;
    // A body that would fail schema validation (wrong type) and one that is not even JSON.
    let reply = post_raw(&app, VALIDATE, Some("text/plain"), r#"{"password":5}"#).await;
    expect_error(
        &reply,
        415,
        "ContentTypeError",
        &content_type_message("text/plain"),
    );
    let reply = post_raw(&app, VALIDATE, None, r#"{"password":"#).await;
    expect_error(
        &reply,
        415,
        "ContentTypeError",
        &content_type_message("you didn't provide one"),
    );
    let reply = post_raw(&app, VALIDATE, Some("text/plain"), r#"{"foo":1}"#).await;
    expect_error(
        &reply,
        415,
        "ContentTypeError",
        &content_type_message("text/plain"),
    );
}

// ---------------------------------------------------------------------------------------------
// 413 body size
// ---------------------------------------------------------------------------------------------

/// `{"password":"Aa1!xyxy…"}` of exactly `total` bytes (valid JSON).
fn json_body_of(total: usize) -> Vec<u8> {
    let frame = r#"{"password":"Aa1!"}"#.len();
    let filler: String = "xy".repeat(total).chars().take(total - frame).collect();
    let body = format!(r#"{{"password":"Aa1!{filler}"}}"#).into_bytes();
    assert_eq!(body.len(), total);
    serde_json::from_slice::<Value>(&body).expect("valid JSON");
    body
}

#[tokio::test]
async fn body_over_100_kb_is_413_json() {
    let app = TestApp::spawn().await;
    let reply = post_raw(
        &app,
        VALIDATE,
        Some("application/json"),
        json_body_of(150_000),
    )
    .await;
    expect_json_error(&reply, 413);
}

#[tokio::test]
async fn body_over_100_kb_on_an_admin_route_is_413_json() {
    let app = TestApp::spawn().await;
    let auth = format!("Bearer {ADMIN_TOKEN}");
    let reply = app
        .send(
            Method::POST,
            ADMIN_VALIDATE,
            Some("application/json"),
            Some(json_body_of(150_000)),
            &[("authorization", &auth)],
        )
        .await;
    expect_json_error(&reply, 413);
}

/// Same, without a Content-Length (chunked), so the limit must hold while reading.
#[tokio::test]
async fn chunked_body_over_100_kb_is_413_json() {
    let app = TestApp::spawn().await;
    let addr = app.addr;
    let raw = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .expect("timeout");
        let head = format!(
            "POST {VALIDATE} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).expect("head");
        // The server may answer and close before everything is written: write errors are fine.
        for chunk in json_body_of(150_000).chunks(10_000) {
            let framed = [
                format!("{:x}\r\n", chunk.len()).into_bytes(),
                chunk.to_vec(),
                b"\r\n".to_vec(),
            ]
            .concat();
            if stream.write_all(&framed).is_err() {
                break;
            }
        }
        let _ = stream.write_all(b"0\r\n\r\n");
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        String::from_utf8_lossy(&response).into_owned()
    })
    .await
    .expect("client thread");
    assert!(raw.starts_with("HTTP/1.1 413"), "answer: {raw:.300}");
    let lower = raw.to_ascii_lowercase();
    assert!(
        lower.contains("content-type: application/json; charset=utf-8"),
        "answer: {raw:.300}"
    );
    let body = raw.split("\r\n\r\n").nth(1).unwrap_or_default();
    // The body may itself be chunked; the JSON object is inside it.
    let start = body.find('{').expect("JSON body");
    let end = body.rfind('}').expect("JSON body");
    let json: Value = serde_json::from_str(&body[start..=end]).expect("JSON error body");
    assert!(json["name"].is_string() && json["message"].is_string());
}

#[tokio::test]
async fn body_just_under_the_limit_is_not_413() {
    let app = TestApp::spawn().await;
    // 100 kB under either reading (100_000 or 102_400): below both.
    let reply = post_raw(
        &app,
        VALIDATE,
        Some("application/json"),
        json_body_of(99_000),
    )
    .await;
    assert_ne!(reply.status, 413, "body: {:.300}", reply.text);
    // It reaches the schema, whose bound on a password refuses it (without repeating it).
    let body = reply.assert_error(400, "BadDataError");
    assert_eq!(body["details"][0]["path"], "/body/password");
    assert!(reply.text.len() < 1000, "body: {:.300}", reply.text);
}

// ---------------------------------------------------------------------------------------------
// 400 malformed JSON, invalid UTF-8
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn malformed_json_is_bad_data() {
    let app = TestApp::spawn().await;
    let reply = post_raw(&app, VALIDATE, Some("application/json"), r#"{"password":"#).await;
    let body = expect_error(&reply, 400, "BadDataError", BAD_DATA_MESSAGE);
    let details = body["details"].as_array().expect("details");
    assert_eq!(details.len(), 1, "body: {}", reply.text);
    assert!(details[0]["message"].is_string());
}

#[tokio::test]
async fn malformed_json_details_do_not_echo_the_body() {
    let app = TestApp::spawn().await;
    for raw in [
        r#"{"password":"Secret-Passw0rd-42!""#,
        r#"{"password":"Secret-Passw0rd-42!" x}"#,
        r#"{"password":Secret-Passw0rd-42!}"#,
    ] {
        let reply = post_raw(&app, VALIDATE, Some("application/json"), raw).await;
        expect_error(&reply, 400, "BadDataError", BAD_DATA_MESSAGE);
        assert!(
            !reply.text.contains("Secret"),
            "the error repeats the body for {raw}: {}",
            reply.text
        );
    }
}

#[tokio::test]
async fn invalid_utf8_is_bad_data() {
    let app = TestApp::spawn().await;
    let reply = post_raw(
        &app,
        VALIDATE,
        Some("application/json"),
        b"{\"password\":\"\xff\xfe\"}".to_vec(),
    )
    .await;
    let body = expect_error(&reply, 400, "BadDataError", BAD_DATA_MESSAGE);
    let details = body["details"].as_array().expect("details");
    assert_eq!(details.len(), 1, "body: {}", reply.text);
    assert!(details[0]["message"].is_string());
}

// ---------------------------------------------------------------------------------------------
// 400 schema validation
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn schema_missing_property() {
    let app = TestApp::spawn().await;
    let reply = app.post(VALIDATE, json!({})).await;
    expect_bad_data(
        &reply,
        "/body/password",
        "The `/body/password` property is required. It was not present on the data you sent.",
    );
}

#[tokio::test]
async fn schema_additional_property() {
    let app = TestApp::spawn().await;
    let reply = app.post(VALIDATE, json!({"password": "x", "foo": 1})).await;
    expect_bad_data(
        &reply,
        "/body/foo",
        "The `/body` object of the request body does not allow additional properties. Your request included the `/body/foo` property.",
    );
}

#[tokio::test]
async fn schema_wrong_type_object() {
    let app = TestApp::spawn().await;
    let reply = post_raw(
        &app,
        VALIDATE,
        Some("application/json"),
        r#"{"password":{"a":1}}"#,
    )
    .await;
    expect_bad_data(
        &reply,
        "/body/password",
        r#"The `/body/password` property must be string. You sent {"a":1}."#,
    );
}

#[tokio::test]
async fn schema_wrong_type_number() {
    let app = TestApp::spawn().await;
    let reply = post_raw(
        &app,
        VALIDATE,
        Some("application/json"),
        r#"{"password":5}"#,
    )
    .await;
    expect_bad_data(
        &reply,
        "/body/password",
        "The `/body/password` property must be string. You sent 5.",
    );
}

#[tokio::test]
async fn schema_reports_only_the_first_error() {
    let app = TestApp::spawn().await;
    // Missing `password` and an extra `foo` and `bar`: one detail only, the missing property.
    let reply = app.post(VALIDATE, json!({"foo": 1, "bar": 2})).await;
    expect_bad_data(
        &reply,
        "/body/password",
        "The `/body/password` property is required. It was not present on the data you sent.",
    );
    // Wrong type and an extra property: still exactly one detail.
    let reply = app.post(VALIDATE, json!({"password": 5, "foo": 1})).await;
    let body = expect_error(&reply, 400, "BadDataError", BAD_DATA_MESSAGE);
    assert_eq!(
        body["details"].as_array().expect("details").len(),
        1,
        "body: {}",
        reply.text
    );
}

#[tokio::test]
async fn schema_body_that_is_an_array() {
    let app = TestApp::spawn().await;
    let reply = post_raw(&app, VALIDATE, Some("application/json"), "[]").await;
    let body = expect_error(&reply, 400, "BadDataError", BAD_DATA_MESSAGE);
    let details = body["details"].as_array().expect("details");
    assert_eq!(details.len(), 1, "body: {}", reply.text);
    assert_eq!(details[0]["path"], "/body", "body: {}", reply.text);
    assert!(details[0]["message"].is_string());
}

#[tokio::test]
async fn schema_applies_to_the_admin_validate_endpoint() {
    let app = TestApp::spawn().await;
    let reply = app
        .admin(
            Method::POST,
            ADMIN_VALIDATE,
            Some(json!({"password": "x", "foo": 1})),
        )
        .await;
    expect_bad_data(
        &reply,
        "/body/foo",
        "The `/body` object of the request body does not allow additional properties. Your request included the `/body/foo` property.",
    );
    let reply = app
        .admin(Method::POST, ADMIN_VALIDATE, Some(json!({})))
        .await;
    expect_bad_data(
        &reply,
        "/body/password",
        "The `/body/password` property is required. It was not present on the data you sent.",
    );
}

// ---------------------------------------------------------------------------------------------
// 404 / 405
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unknown_api_path_is_404_json() {
    let app = TestApp::spawn().await;
    let reply = app.admin(Method::GET, "/api/nope", None).await;
    expect_error(
        &reply,
        404,
        "NotFoundError",
        "The path you were looking for (/api/nope) is not available.",
    );
    // The query string (which may carry a token) is not part of the message.
    let reply = app.admin(Method::GET, "/api/nope?token=abc", None).await;
    expect_error(
        &reply,
        404,
        "NotFoundError",
        "The path you were looking for (/api/nope) is not available.",
    );
}

#[tokio::test]
async fn unknown_path_is_404_json() {
    let app = TestApp::spawn().await;
    // ("/" sends a browser to the log-in page: tests/pages.rs.)
    for path in ["/nope", "/auth/nope"] {
        let reply = app.get(path).await;
        expect_error(
            &reply,
            404,
            "NotFoundError",
            &format!("The path you were looking for ({path}) is not available."),
        );
    }
}

#[tokio::test]
async fn wrong_method_is_405_json_with_allow() {
    let app = TestApp::spawn().await;
    let reply = app.send(Method::DELETE, "/health", None, None, &[]).await;
    expect_json_error(&reply, 405);
    assert_eq!(reply.header("allow").as_deref(), Some("GET"));

    let reply = app
        .send(
            Method::PUT,
            "/auth/simple/login",
            Some("application/json"),
            Some(b"{}".to_vec()),
            &[],
        )
        .await;
    expect_json_error(&reply, 405);
    assert_eq!(reply.header("allow").as_deref(), Some("POST"));

    let reply = app.send(Method::GET, VALIDATE, None, None, &[]).await;
    expect_json_error(&reply, 405);
    assert_eq!(reply.header("allow").as_deref(), Some("POST"));
}

#[tokio::test]
async fn no_error_is_text_plain_or_empty() {
    let app = TestApp::spawn().await;
    let auth = format!("Bearer {ADMIN_TOKEN}");
    let replies = vec![
        app.get("/nope").await,
        app.send(Method::DELETE, "/health", None, None, &[]).await,
        app.send(Method::PATCH, VALIDATE, None, None, &[]).await,
        post_raw(&app, VALIDATE, None, "x").await,
        post_raw(&app, VALIDATE, Some("application/json"), "{").await,
        post_raw(
            &app,
            VALIDATE,
            Some("application/json"),
            json_body_of(150_000),
        )
        .await,
        app.get("/api/admin/user").await,
        app.send(
            Method::GET,
            "/api/admin/user",
            None,
            None,
            &[("authorization", "x")],
        )
        .await,
        app.send(
            Method::GET,
            "/api/admin/user-admin/abc",
            None,
            None,
            &[("authorization", &auth)],
        )
        .await,
        app.send(
            Method::GET,
            "/api/admin/user-admin/999999",
            None,
            None,
            &[("authorization", &auth)],
        )
        .await,
    ];
    for reply in &replies {
        assert!(
            reply.status.is_client_error(),
            "{}: {}",
            reply.status,
            reply.text
        );
        expect_json_error(reply, reply.status.as_u16());
    }
}

// ---------------------------------------------------------------------------------------------
// 401 / 403
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn no_credentials_is_authentication_required() {
    let app = TestApp::spawn().await;
    let reply = app.get("/api/admin/user").await;
    let body = expect_error(&reply, 401, "AuthenticationRequired", AUTH_REQUIRED_MESSAGE);
    assert_eq!(body["path"], "/auth/simple/login");
    assert_eq!(body["type"], "password");
    assert_eq!(body["defaultHidden"], json!(false));
}

#[tokio::test]
async fn bogus_authorization_is_unauthorized() {
    let app = TestApp::spawn().await;
    for header in [
        "bogus",
        "Bearer *:*.wrong-secret",
        "*:*.wrong-secret",
        "Bearer ",
    ] {
        let reply = app
            .send(
                Method::GET,
                "/api/admin/user",
                None,
                None,
                &[("authorization", header)],
            )
            .await;
        let body = expect_error(&reply, 401, "UnauthorizedError", UNAUTHORIZED_MESSAGE);
        assert!(body.get("defaultHidden").is_none(), "header {header:?}");
    }
}

#[tokio::test]
async fn admin_token_works_raw_and_as_bearer() {
    let app = TestApp::spawn().await;
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    for header in [ADMIN_TOKEN, bearer.as_str()] {
        let reply = app
            .send(
                Method::GET,
                "/api/admin/user",
                None,
                None,
                &[("authorization", header)],
            )
            .await;
        assert_eq!(reply.status, 200, "{header}: {}", reply.text);
        assert_eq!(reply.header("content-type").as_deref(), Some(JSON_UTF8));
        // And it is an admin: the admin-only list answers too.
        let reply = app
            .send(
                Method::GET,
                "/api/admin/user-admin",
                None,
                None,
                &[("authorization", header)],
            )
            .await;
        assert_eq!(reply.status, 200, "{header}: {}", reply.text);
        assert!(reply.json()["users"].is_array());
    }
}

#[tokio::test]
async fn non_admin_is_permission_error() {
    let app = TestApp::spawn().await;
    app.user_with_password("editor@example.com", "Editor-Passw0rd!")
        .await;
    let cookie = app.login("editor@example.com", "Editor-Passw0rd!").await;
    // The session works...
    let reply = app.get_as("/api/admin/user", &cookie).await;
    assert_eq!(reply.status, 200, "body: {}", reply.text);
    // ...but not for admin routes.
    let reply = app.get_as("/api/admin/user-admin", &cookie).await;
    let body = expect_error(&reply, 403, "PermissionError", PERMISSION_MESSAGE);
    assert_eq!(body["permissions"], json!(["ADMIN"]));
    let reply = app
        .post_as(
            ADMIN_VALIDATE,
            &cookie,
            json!({"password": "simple123-_ASsad"}),
        )
        .await;
    let body = expect_error(&reply, 403, "PermissionError", PERMISSION_MESSAGE);
    assert_eq!(body["permissions"], json!(["ADMIN"]));
}

#[tokio::test]
async fn api_auth_comes_before_content_type() {
    let app = TestApp::spawn().await;
    let reply = post_raw(&app, "/api/admin/user-admin", Some("text/plain"), "hello").await;
    expect_error(&reply, 401, "AuthenticationRequired", AUTH_REQUIRED_MESSAGE);
    let reply = post_raw(&app, ADMIN_VALIDATE, None, "hello").await;
    expect_error(&reply, 401, "AuthenticationRequired", AUTH_REQUIRED_MESSAGE);
    // With credentials, the same request reaches the content-type check.
    let auth = format!("Bearer {ADMIN_TOKEN}");
    let reply = app
        .send(
            Method::POST,
            "/api/admin/user-admin",
            Some("text/plain"),
            Some(b"hello".to_vec()),
            &[("authorization", &auth)],
        )
        .await;
    expect_error(
        &reply,
        415,
        "ContentTypeError",
        &content_type_message("text/plain"),
    );
}

// ---------------------------------------------------------------------------------------------
// Path parameters
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn path_parameter_is_validated() {
    let app = TestApp::spawn().await;
    for id in ["abc", "0", "-1", "1.5", "99999999999999999999"] {
        let reply = app
            .admin(Method::GET, &format!("/api/admin/user-admin/{id}"), None)
            .await;
        let body = expect_error(&reply, 400, "BadDataError", BAD_DATA_MESSAGE);
        let details = body["details"].as_array().expect("details");
        assert_eq!(details.len(), 1, "id {id}: {}", reply.text);
        assert_eq!(details[0]["path"], "/params/id", "id {id}: {}", reply.text);
        assert!(details[0]["message"].is_string());
    }
    // A well-formed id that names nobody is a 404, not a 400.
    let reply = app
        .admin(Method::GET, "/api/admin/user-admin/424242", None)
        .await;
    expect_error(&reply, 404, "NotFoundError", "No user found");
}

// ---------------------------------------------------------------------------------------------
// Health and headers
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn health_is_good() {
    let app = TestApp::spawn().await;
    let reply = app.get("/health").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type").as_deref(), Some(JSON_UTF8));
    assert_eq!(reply.json(), json!({"health": "GOOD"}));
}

fn assert_common_headers(reply: &Reply) -> String {
    let id = reply
        .header("x-request-id")
        .unwrap_or_else(|| panic!("no x-request-id on {} {}", reply.status, reply.text));
    uuid::Uuid::parse_str(&id).unwrap_or_else(|e| panic!("x-request-id {id:?} is no UUID: {e}"));
    assert_eq!(
        reply.header("cache-control").as_deref(),
        Some("no-store"),
        "{}",
        reply.status
    );
    assert_eq!(
        reply.header("x-content-type-options").as_deref(),
        Some("nosniff"),
        "{}",
        reply.status
    );
    id
}

#[tokio::test]
async fn every_response_carries_request_id_and_security_headers() {
    let app = TestApp::spawn().await;
    app.user_with_password("editor@example.com", "Editor-Passw0rd!")
        .await;
    let cookie = app.login("editor@example.com", "Editor-Passw0rd!").await;
    let replies = vec![
        app.get("/health").await,
        app.post(VALIDATE, json!({"password": "simple123-_ASsad"}))
            .await,
        app.post(VALIDATE, json!({"password": "hunter2"})).await,
        app.post(VALIDATE, json!({})).await,
        post_raw(&app, VALIDATE, None, "x").await,
        post_raw(&app, VALIDATE, Some("application/json"), "{").await,
        post_raw(
            &app,
            VALIDATE,
            Some("application/json"),
            json_body_of(150_000),
        )
        .await,
        app.get("/nope").await,
        app.send(Method::DELETE, "/health", None, None, &[]).await,
        app.get("/api/admin/user").await,
        app.admin(Method::GET, "/api/admin/user", None).await,
        app.send(
            Method::GET,
            "/api/admin/user",
            None,
            None,
            &[("authorization", "x")],
        )
        .await,
        app.get_as("/api/admin/user", &cookie).await,
        app.get_as("/api/admin/user-admin", &cookie).await,
        app.admin(Method::GET, "/api/admin/user-admin/abc", None)
            .await,
    ];
    let mut ids = std::collections::HashSet::new();
    for reply in &replies {
        ids.insert(assert_common_headers(reply));
    }
    assert_eq!(ids.len(), replies.len(), "request ids must be fresh");
}

// ---------------------------------------------------------------------------------------------
// §2 policy over HTTP
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn policy_examples_on_the_public_endpoint() {
    let app = TestApp::spawn().await;
    for (password, failed) in policy_table() {
        let reply = app.post(VALIDATE, json!({"password": password})).await;
        expect_policy(&reply, &password, &failed);
    }
}

#[tokio::test]
async fn policy_examples_on_the_admin_endpoint() {
    let app = TestApp::spawn().await;
    for (password, failed) in policy_table() {
        let reply = app
            .admin(
                Method::POST,
                ADMIN_VALIDATE,
                Some(json!({"password": password})),
            )
            .await;
        expect_policy(&reply, &password, &failed);
    }
}

#[tokio::test]
async fn admin_endpoint_accepts_the_other_password_fields() {
    let app = TestApp::spawn().await;
    let reply = app
        .admin(
            Method::POST,
            ADMIN_VALIDATE,
            Some(json!({"password": "hunter2", "confirmPassword": "x", "oldPassword": "y"})),
        )
        .await;
    expect_policy(&reply, "hunter2", &[MIN_LENGTH, UPPERCASE, SPECIAL]);
}

#[tokio::test]
async fn empty_password_is_password_undefined() {
    let app = TestApp::spawn().await;
    for reply in [
        app.post(VALIDATE, json!({"password": ""})).await,
        app.admin(Method::POST, ADMIN_VALIDATE, Some(json!({"password": ""})))
            .await,
    ] {
        let body = expect_error(
            &reply,
            400,
            "PasswordUndefinedError",
            PASSWORD_UNDEFINED_MESSAGE,
        );
        assert_eq!(
            body["details"],
            json!([{"validationErrors": [], "message": PASSWORD_UNDEFINED_MESSAGE}]),
            "body: {}",
            reply.text
        );
    }
}

#[tokio::test]
async fn password_of_73_bytes_is_refused() {
    let app = TestApp::spawn().await;
    let password = format!("Aa1!{}z", "xy".repeat(34));
    assert_eq!(password.len(), 73);
    // validate-password lets it through (Unleash's UI enables Submit)…
    let reply = app.post(VALIDATE, json!({"password": password})).await;
    expect_policy(&reply, &password, &[]);
    // …and the call that would set it refuses it, with the reason, before the token is read.
    let reply = set_with_unknown_token(&app, &password).await;
    expect_policy(&reply, &password, &[MAX_BYTES]);
}

#[tokio::test]
async fn password_of_129_characters_is_too_long() {
    let app = TestApp::spawn().await;
    let password = format!("Aa1!{}z", "xy".repeat(62));
    assert_eq!(password.encode_utf16().count(), 129);
    let reply = app.post(VALIDATE, json!({"password": password})).await;
    let body = reply.assert_error(400, "OwaspValidationError");
    let errors = body["details"][0]["validationErrors"]
        .as_array()
        .expect("validationErrors")
        .clone();
    assert!(errors.contains(&json!(MAX_LENGTH)), "body: {}", reply.text);
    // It is also over 72 bytes, which only the final call reports; nothing else fails.
    assert_eq!(errors.len(), 1, "body: {}", reply.text);
    assert_eq!(body["message"], errors[0]);
    assert_eq!(body["details"][0]["message"], errors[0]);
    // 128 units is not too long (only too many bytes, for the final call).
    let password = format!("Aa1!{}", "xy".repeat(62));
    assert_eq!(password.encode_utf16().count(), 128);
    let reply = app.post(VALIDATE, json!({"password": password})).await;
    expect_policy(&reply, &password, &[]);
    let reply = set_with_unknown_token(&app, &password).await;
    expect_policy(&reply, &password, &[MAX_BYTES]);
}

#[tokio::test]
async fn emoji_count_two_toward_the_length() {
    let app = TestApp::spawn().await;
    // 7 characters, 11 UTF-16 units: long enough; the emoji is the special character.
    let reply = app.post(VALIDATE, json!({"password": "😀😀😀😀Ab1"})).await;
    expect_policy(&reply, "😀😀😀😀Ab1", &[]);
    // 5 characters, 9 units: too short.
    let reply = app.post(VALIDATE, json!({"password": "😀😀😀Ab1"})).await;
    expect_policy(&reply, "😀😀😀Ab1", &[MIN_LENGTH]);
}

/// A client that writes its whole body before it reads (as Python's `urllib` does) gets the early
/// refusal, not a broken pipe: the server reads and discards the rest of the body first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_early_refusal_reaches_a_client_still_writing_its_body() {
    use std::io::{Read, Write};
    let app = TestApp::spawn().await;
    let addr = app.addr;
    let cases = [
        ("/auth/reset/validate-password", "application/json", "413"),
        ("/auth/reset/validate-password", "text/plain", "415"),
        ("/api/admin/user-admin", "application/json", "401"),
    ];
    for (path, content_type, status) in cases {
        for attempt in 0..10 {
            let reply = tokio::task::spawn_blocking(move || -> std::io::Result<String> {
                let mut stream = std::net::TcpStream::connect(addr)?;
                stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
                let body = vec![b'x'; 1_200_000];
                write!(
                    stream,
                    "POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: {content_type}\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                )?;
                stream.write_all(&body)?;
                let mut answer = String::new();
                stream.read_to_string(&mut answer)?;
                Ok(answer)
            })
            .await
            .expect("task")
            .unwrap_or_else(|e| panic!("{path} ({content_type}), try {attempt}: {e}"));
            let status_line = answer_status(&reply);
            assert_eq!(status_line, status, "{path} ({content_type}): {reply}");
            assert!(reply.contains("\"name\":"), "a JSON error: {reply}");
        }
    }
}

fn answer_status(reply: &str) -> &str {
    reply.split_whitespace().nth(1).unwrap_or_default()
}

/// The call that sets a password, with a token nobody issued: the policy answers first.
async fn set_with_unknown_token(app: &TestApp, password: &str) -> Reply {
    app.post(
        "/auth/reset/password",
        json!({"token": "no-such-token", "password": password}),
    )
    .await
}

/// A body the schema accepts but the operation's model cannot hold (`2.0` is an `integer` to JSON
/// Schema, not to the generated model's `i64`) is a 400 BadDataError, not a 500, and no user is
/// made.
#[tokio::test]
async fn a_whole_number_written_as_a_float_is_bad_data() {
    let app = TestApp::spawn().await;
    let reply = app
        .admin(
            Method::POST,
            "/api/admin/user-admin",
            Some(json!({"email": "float@example.com", "rootRole": 2.0, "sendEmail": false})),
        )
        .await;
    expect_bad_data(
        &reply,
        "/body",
        "The request does not match the schema of this operation.",
    );
    let users = app.admin(Method::GET, "/api/admin/user-admin", None).await;
    assert_eq!(users.status, 200);
    assert!(!users.text.contains("float@example.com"), "{}", users.text);
}
