//! The blocklist of common and breached passwords over HTTP: every call that sets a password
//! refuses a listed one, decorated or not, with its own message; `validate-password` leaves it to
//! that call (so Unleash's UI enables Submit and then shows the message); the operator's own file
//! and the switch.

mod common;

use common::*;
use reqwest::Method;
use serde_json::json;

const TOO_COMMON: &str = "This password is too common. Choose one that is harder to guess.";

/// Listed passwords that pass Unleash's seven rules: undecorated, decorated, case variants and
/// leetspeak.
const REFUSED: &[&str] = &[
    "Password123!",
    "P@ssw0rd2024!",
    "Welcome2024!",
    "Qwerty12345!",
    "pASSWORD123!",
    "!!Sunshine2024",
    "Dragon-2024",
    "M0nk3y!12345",
    "Tr1n1ty#2024",
    "W3lc0m3#2024",
];

/// Strong passwords: the contract's examples and a random one.
const ACCEPTED: &[&str] = &[
    "simple123-_ASsad",
    "DtUYwi&l5I1KX4@Le",
    "Pässwörd12!",
    "pX7#kQ9v!Lm2@Tz4",
];

/// Asserts the blocklist's refusal: OwaspValidationError with its message, alone in the list.
fn assert_too_common(reply: &Reply, password: &str) {
    assert_eq!(reply.status, 400, "{password:?}: {}", reply.text);
    let body = reply.assert_error(400, "OwaspValidationError");
    assert_eq!(body["message"], TOO_COMMON, "{password:?}");
    assert_eq!(body["details"][0]["message"], TOO_COMMON, "{password:?}");
    assert_eq!(
        body["details"][0]["validationErrors"],
        json!([TOO_COMMON]),
        "{password:?}"
    );
}

#[tokio::test]
async fn reset_refuses_listed_passwords_and_the_token_survives() {
    let app = TestApp::spawn().await;
    app.user_with_password("ada@example.com", "Old-passw0rd-123")
        .await;
    let token = app.reset_token("ada@example.com").await;
    for password in REFUSED {
        let reply = app
            .post(
                "/auth/reset/password",
                json!({"token": token, "password": password}),
            )
            .await;
        assert_too_common(&reply, password);
    }
    // The refusals left the token usable; a strong password is taken and logs in.
    let reply = app
        .post(
            "/auth/reset/password",
            json!({"token": token, "password": ACCEPTED[0]}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    app.login("ada@example.com", ACCEPTED[0]).await;
}

#[tokio::test]
async fn an_invite_refuses_a_listed_password() {
    let app = TestApp::spawn().await;
    let (_, token) = app
        .create_user(json!({"email": "bob@example.com", "rootRole": "Viewer", "sendEmail": false}))
        .await;
    let reply = app
        .post(
            "/auth/reset/password",
            json!({"token": token, "password": "Welcome2024!"}),
        )
        .await;
    assert_too_common(&reply, "Welcome2024!");
    let reply = app
        .post(
            "/auth/reset/password",
            json!({"token": token, "password": ACCEPTED[1]}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[tokio::test]
async fn change_own_password_refuses_listed_passwords() {
    let app = TestApp::spawn().await;
    let old = "Old-passw0rd-123";
    app.user_with_password("ada@example.com", old).await;
    let cookie = app.login("ada@example.com", old).await;
    let path = "/api/admin/user/change-password";
    for password in REFUSED {
        let reply = app
            .post_as(
                path,
                &cookie,
                json!({"password": password, "confirmPassword": password, "oldPassword": old}),
            )
            .await;
        assert_too_common(&reply, password);
    }
    let new = ACCEPTED[0];
    let reply = app
        .post_as(
            path,
            &cookie,
            json!({"password": new, "confirmPassword": new, "oldPassword": old}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    app.login("ada@example.com", new).await;
}

#[tokio::test]
async fn admin_change_refuses_listed_passwords() {
    let app = TestApp::spawn().await;
    let id = app
        .user_with_password("ada@example.com", "Old-passw0rd-123")
        .await;
    let path = format!("/api/admin/user-admin/{id}/change-password");
    for password in REFUSED {
        let reply = app
            .admin(Method::POST, &path, Some(json!({"password": password})))
            .await;
        assert_too_common(&reply, password);
    }
    for password in ACCEPTED {
        let reply = app
            .admin(Method::POST, &path, Some(json!({"password": password})))
            .await;
        assert_eq!(reply.status, 200, "{password:?}: {}", reply.text);
        app.login("ada@example.com", password).await;
    }
}

#[tokio::test]
async fn validate_password_leaves_the_blocklist_to_the_call_that_sets_it() {
    // Unleash's invite page keeps Submit disabled, and says nothing, on any 400 from
    // validate-password for a rule it does not know; it shows the message of the final call.
    let app = TestApp::spawn().await;
    for password in REFUSED.iter().chain(ACCEPTED) {
        let reply = app
            .post(
                "/auth/reset/validate-password",
                json!({"password": password}),
            )
            .await;
        assert_eq!(reply.status, 200, "{password:?}: {}", reply.text);
        let reply = app
            .admin(
                Method::POST,
                "/api/admin/user-admin/validate-password",
                Some(json!({"password": password})),
            )
            .await;
        assert_eq!(reply.status, 200, "{password:?}: {}", reply.text);
    }
    // A password that fails Unleash's rules gets Unleash's answer, without the blocklist.
    let body = app
        .post(
            "/auth/reset/validate-password",
            json!({"password": "password"}),
        )
        .await
        .assert_error(400, "OwaspValidationError");
    assert_eq!(
        body["details"][0]["validationErrors"],
        json!([
            "The password must be at least 10 characters long.",
            "The password must contain at least one uppercase letter.",
            "The password must contain at least one number.",
            "The password must contain at least one special character."
        ])
    );
}

#[tokio::test]
async fn the_operators_file_adds_passwords_case_insensitively() {
    let list = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(list.path(), "CorrectHorse\nzebra-Crossing7\r\n").expect("written");
    let path = list.path().to_str().expect("UTF-8 path");
    let app = TestApp::spawn_with(&["--password-blocklist-file", path]).await;
    let id = app
        .user_with_password("ada@example.com", "Old-passw0rd-123")
        .await;
    let change = format!("/api/admin/user-admin/{id}/change-password");
    for password in [
        "correctHORSE2024!",
        "C0rr3ctH0rs3!99",
        "Zebra-crossing7",
        "Password123!",
    ] {
        let reply = app
            .admin(Method::POST, &change, Some(json!({"password": password})))
            .await;
        assert_too_common(&reply, password);
    }
    for password in ["CorrectHorse-Battery1!", ACCEPTED[0]] {
        let reply = app
            .admin(Method::POST, &change, Some(json!({"password": password})))
            .await;
        assert_eq!(reply.status, 200, "{password:?}: {}", reply.text);
    }
}

#[tokio::test]
async fn switched_off_listed_passwords_are_accepted() {
    let list = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(list.path(), "CorrectHorse\n").expect("written");
    let path = list.path().to_str().expect("UTF-8 path");
    let app = TestApp::spawn_with(&[
        "--password-blocklist",
        "false",
        "--password-blocklist-file",
        path,
    ])
    .await;
    app.user_with_password("ada@example.com", "Old-passw0rd-123")
        .await;
    let token = app.reset_token("ada@example.com").await;
    let reply = app
        .post(
            "/auth/reset/password",
            json!({"token": token, "password": "Password123!"}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let cookie = app.login("ada@example.com", "Password123!").await;
    let reply = app
        .post_as(
            "/api/admin/user/change-password",
            &cookie,
            json!({"password": "CorrectHorse1!", "confirmPassword": "CorrectHorse1!", "oldPassword": "Password123!"}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    // Unleash's rules still apply.
    app.post(
        "/auth/reset/validate-password",
        json!({"password": "hunter2"}),
    )
    .await
    .assert_error(400, "OwaspValidationError");
}

/// The committed list (assets/common-passwords/, which build.rs compiles in) is the `passwords`
/// crate's, checked on a sample against the crate's own lookup: about 250 entries spread over the
/// file, first and last included (its debug build scans the whole list for each lookup).
#[test]
fn the_committed_list_agrees_with_the_passwords_crate() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/common-passwords");
    let version = std::fs::read_to_string(format!("{dir}/VERSION")).unwrap();
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
    let locked = lock
        .split("[[package]]")
        .find_map(|package| package.strip_prefix("\nname = \"passwords\"\nversion = \""))
        .and_then(|rest| rest.split('"').next())
        .expect("Cargo.lock holds the passwords package");
    assert_eq!(
        version.trim(),
        format!("passwords {locked}"),
        "the list's release is the locked one (scripts/refresh-blocklist.sh writes both)"
    );

    let file = std::fs::read_to_string(format!("{dir}/common-passwords.txt")).unwrap();
    let lines: Vec<&str> = file.lines().collect();
    let mut sample: Vec<&str> = lines.iter().step_by(400).copied().collect();
    sample.push(lines[lines.len() - 1]);
    assert!(sample.len() > 200, "{} sampled", sample.len());
    for entry in sample {
        assert!(
            passwords::analyzer::is_common_password(entry),
            "{entry:?} is not on the passwords crate's list"
        );
    }
    for unlisted in ["Correct-Horse-Battery-Staple-1917", "unlatch-not-listed"] {
        assert!(!passwords::analyzer::is_common_password(unlisted));
        assert!(!lines.contains(&unlisted));
    }
}
