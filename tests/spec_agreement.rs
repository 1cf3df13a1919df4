//! The facts the code takes from `openapi.yaml`, checked against it.
//!
//! The front (`src/spec.rs`) is the one place that routes a request and decides its operation,
//! its credentials and its schema, all read from the spec; `src/dispatch.rs` calls the operation's
//! `Api` method and writes each response variant's status. These tests check that table in both
//! directions against the statuses the spec declares for each operation (the error statuses each
//! operation can answer, and the status of every variant), that the generated crate's own routing
//! (its client and server share it) agrees with the front's, and the credentials the front reads
//! (`src/auth.rs`).

use hyper::{Method, Request};
use serde_json::Value;
use swagger::RequestParser;
use unlatch::accounts::PasswordCheck;
use unlatch::dispatch::Answer;
use unlatch::errors::{AppError, FieldError, FromAppError};
use unlatch::spec::{Route, Spec, OPENAPI_YAML};
use unlatch_api::server::ApiRequestParser;

/// `/api/admin/user-admin/{id}` with a value for each parameter.
fn concrete(template: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in template.chars() {
        match c {
            '{' => in_param = true,
            '}' => {
                in_param = false;
                out.push('7');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// `getUsers` → `GetUsers`, the name the generated parser answers.
fn pascal(id: &str) -> String {
    let mut chars = id.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn generated_operation(method: &Method, path: &str) -> Option<&'static str> {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .body(())
        .expect("a request");
    // The parser is generated from the same route table and regex set as the generated service's
    // dispatcher (`Service::call`), arm for arm.
    <ApiRequestParser as RequestParser<()>>::parse_operation_id(&request)
}

const METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::DELETE,
    Method::PATCH,
];

#[test]
fn the_generated_layer_routes_every_request_as_the_front_does() {
    let spec = Spec::load().expect("the spec loads");
    let mut checked = 0;
    for (method, template, operation) in spec.operations() {
        let path = concrete(template);
        match spec.route(method, &path) {
            Route::Found {
                operation: found, ..
            } => assert_eq!(found.id, operation.id),
            _ => panic!("the front does not route {method} {path}"),
        }
        assert_eq!(
            generated_operation(method, &path),
            Some(pascal(&operation.id).as_str()),
            "{method} {path}"
        );
        // Every other method on the same path is another operation of it (checked in its own
        // turn) or a 405 the front answers itself: the generated layer never sees it. (It would
        // not always agree: its regex for `/api/admin/user-admin/{id}` also matches
        // `/api/admin/user-admin/reset-password`, where the front's router prefers the static
        // segment and answers 405 to a GET.)
        for other in METHODS.iter().filter(|m| *m != method) {
            let front = spec.route(other, &path);
            assert!(
                matches!(front, Route::Found { .. } | Route::MethodNotAllowed { .. }),
                "{other} {path}"
            );
        }
        checked += 1;
    }
    assert_eq!(
        checked,
        OPENAPI_YAML.matches("operationId:").count(),
        "every operation of openapi.yaml was checked"
    );
    for path in [
        "/",
        "/api",
        "/api/admin/nope",
        "/api/admin/user-admin/7/nope",
        "/healthz",
        "/auth/reset",
    ] {
        for method in &METHODS {
            assert!(
                matches!(spec.route(method, path), Route::NotFound),
                "{method} {path}"
            );
            assert_eq!(generated_operation(method, path), None, "{method} {path}");
        }
    }
}

/// One error of each status an [`AppError`] can have.
fn one_error_per_status() -> Vec<(u16, fn() -> AppError)> {
    vec![
        (400, || {
            AppError::bad_data(vec![FieldError {
                path: "/body/password".into(),
                message: "x".into(),
            }])
        }),
        (401, || AppError::PasswordMismatch(PasswordCheck::Login)),
        (403, || AppError::PermissionDenied),
        (404, || AppError::path_not_found("/x")),
        (405, || AppError::MethodNotAllowed {
            method: "PUT".into(),
            allowed: vec!["GET".into()],
        }),
        (408, || AppError::RequestTimeout),
        (413, || AppError::PayloadTooLarge { limit_bytes: 1 }),
        (415, || AppError::ContentType { provided: None }),
        (422, || AppError::PasswordLoginDisabled),
        (429, || AppError::RateLimited {
            message: "x",
            retry_after_secs: 1,
        }),
        (500, || AppError::internal("x")),
        (503, || AppError::Overloaded {
            retry_after_secs: 1,
        }),
    ]
}

/// The status an operation answers an error of this status with, when its response enum has a
/// variant for it: the error made into the variant (`FromAppError`), and the variant into its
/// answer (`dispatch`).
fn answered_in_code(operation: &str, error: AppError) -> Option<u16> {
    fn answer<R: FromAppError>(e: AppError) -> Option<u16>
    where
        Answer: From<R>,
    {
        R::from_app_error(e).ok().map(|r| Answer::from(r).status)
    }
    use unlatch_api::*;
    match operation {
        "getHealth" => answer::<GetHealthResponse>(error),
        "getHealthLive" => answer::<GetHealthLiveResponse>(error),
        "getHealthReady" => answer::<GetHealthReadyResponse>(error),
        "getOpenApiJson" => answer::<GetOpenApiJsonResponse>(error),
        "getOpenApiSpec" => answer::<GetOpenApiSpecResponse>(error),
        "getMetrics" => answer::<GetMetricsResponse>(error),
        "getEvents" => answer::<GetEventsResponse>(error),
        "login" => answer::<LoginResponse>(error),
        "logout" => answer::<LogoutResponse>(error),
        "validatePassword" => answer::<ValidatePasswordResponse>(error),
        "validateToken" => answer::<ValidateTokenResponse>(error),
        "changePassword" => answer::<ChangePasswordResponse>(error),
        "sendResetPasswordEmail" => answer::<SendResetPasswordEmailResponse>(error),
        "getMe" => answer::<GetMeResponse>(error),
        "getProfile" => answer::<GetProfileResponse>(error),
        "changeMyPassword" => answer::<ChangeMyPasswordResponse>(error),
        "getUsers" => answer::<GetUsersResponse>(error),
        "createUser" => answer::<CreateUserResponse>(error),
        "getUser" => answer::<GetUserResponse>(error),
        "deleteUser" => answer::<DeleteUserResponse>(error),
        "changeUserPassword" => answer::<ChangeUserPasswordResponse>(error),
        "resetUserPassword" => answer::<ResetUserPasswordResponse>(error),
        "validateUserPassword" => answer::<ValidateUserPasswordResponse>(error),
        "reportNotMe" => answer::<ReportNotMeResponse>(error),
        "getMySessions" => answer::<GetMySessionsResponse>(error),
        "endMyOtherSessions" => answer::<EndMyOtherSessionsResponse>(error),
        "endMySession" => answer::<EndMySessionResponse>(error),
        other => panic!("{other} is missing from this test's table (and from src/dispatch.rs?)"),
    }
}

#[test]
fn every_operation_answers_exactly_the_error_statuses_the_spec_declares() {
    let spec = Spec::load().expect("the spec loads");
    for (method, template, operation) in spec.operations() {
        let declared = &operation.error_statuses;
        for (status, error) in one_error_per_status() {
            assert_eq!(error().status(), status);
            assert_eq!(
                answered_in_code(&operation.id, error()),
                declared.contains(&status).then_some(status),
                "{method} {template} ({}): status {status} in openapi.yaml vs src/dispatch.rs",
                operation.id
            );
        }
        // And the spec declares no error status that Unlatch has no error for.
        for status in declared {
            assert!(
                one_error_per_status().iter().any(|(s, _)| s == status),
                "{}: openapi.yaml declares {status}, which no AppError has",
                operation.id
            );
        }
    }
}

#[test]
fn the_credentials_the_front_reads_are_the_spec_security_schemes() {
    let doc: Value = serde_norway::from_str(OPENAPI_YAML).expect("YAML");
    let schemes = doc
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .expect("securitySchemes");
    let names: Vec<&str> = schemes.keys().map(String::as_str).collect();
    assert_eq!(names.len(), 3, "{names:?}");

    let cookie = &schemes["sessionCookie"];
    assert_eq!(cookie["type"], "apiKey");
    assert_eq!(cookie["in"], "cookie");
    assert_eq!(cookie["name"], unlatch::auth::SESSION_COOKIE);

    let api_key = &schemes["apiKey"];
    assert_eq!(api_key["type"], "apiKey");
    assert_eq!(api_key["in"], "header");
    assert_eq!(
        api_key["name"]
            .as_str()
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some(hyper::header::AUTHORIZATION.as_str())
    );

    let bearer = &schemes["bearerToken"];
    assert_eq!(bearer["type"], "http");
    assert_eq!(bearer["scheme"], "bearer");

    // The front accepts any of the three wherever credentials are asked for: the global
    // requirement names exactly them, and an operation narrows it only to a subset (or to none).
    let global: Vec<&str> = doc["security"]
        .as_array()
        .expect("global security")
        .iter()
        .flat_map(|r| r.as_object().expect("a requirement").keys())
        .map(String::as_str)
        .collect();
    assert_eq!(global, ["sessionCookie", "apiKey", "bearerToken"]);
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            let Some(requirements) = op.get("security").and_then(Value::as_array) else {
                continue;
            };
            for requirement in requirements {
                for scheme in requirement.as_object().expect("a requirement").keys() {
                    assert!(
                        global.contains(&scheme.as_str()),
                        "{method} {path}: {scheme}"
                    );
                }
            }
        }
    }
}

/// Every status the spec declares for an operation.
fn declared_statuses(doc: &Value, operation_id: &str) -> Vec<u16> {
    for item in doc["paths"].as_object().expect("paths").values() {
        for op in item.as_object().expect("a path item").values() {
            if op["operationId"] == operation_id {
                return op["responses"]
                    .as_object()
                    .expect("responses")
                    .keys()
                    .filter_map(|code| code.parse::<u16>().ok())
                    .collect();
            }
        }
    }
    panic!("{operation_id} is not in openapi.yaml")
}

/// Every variant that is not an error answers a status the spec declares for its operation, and
/// every status below 400 the spec declares has a variant.
#[test]
fn every_success_variant_answers_a_status_the_spec_declares() {
    use unlatch_api::models::*;
    use unlatch_api::*;
    let doc: Value = serde_norway::from_str(OPENAPI_YAML).expect("YAML");
    let health = || HealthCheckSchema::new(HealthCheckSchemaHealth::Good);
    let readiness = || {
        ReadinessSchema::new(
            ReadinessSchemaHealth::Good,
            ReadinessSchemaDatabase::Up,
            1,
            ReadinessSchemaOutbox::Running,
        )
    };
    let user: UserSchema = serde_json::from_value(serde_json::json!({"id": 1})).expect("a user");
    fn any<T: serde::de::DeserializeOwned>(v: Value) -> T {
        serde_json::from_value(v).expect("a model")
    }
    let variants: Vec<(&str, Answer)> = vec![
        ("getHealth", GetHealthResponse::Healthy(health()).into()),
        ("getHealth", GetHealthResponse::Unhealthy(health()).into()),
        (
            "getOpenApiJson",
            GetOpenApiJsonResponse::Spec(serde_json::json!({})).into(),
        ),
        (
            "getHealthLive",
            GetHealthLiveResponse::Live(health()).into(),
        ),
        (
            "getHealthReady",
            GetHealthReadyResponse::Ready(readiness()).into(),
        ),
        (
            "getHealthReady",
            GetHealthReadyResponse::NotReady(readiness()).into(),
        ),
        (
            "logout",
            LogoutResponse::LoggedOutNoContent {
                set_cookie: None,
                clear_site_data: None,
            }
            .into(),
        ),
        (
            "logout",
            LogoutResponse::LoggedOut {
                location: Some("/".into()),
                set_cookie: None,
                clear_site_data: None,
            }
            .into(),
        ),
        (
            "getOpenApiSpec",
            GetOpenApiSpecResponse::Spec(swagger::ByteArray(Vec::new())).into(),
        ),
        (
            "getMetrics",
            GetMetricsResponse::Metrics(String::new()).into(),
        ),
        (
            "getEvents",
            GetEventsResponse::Events(any(serde_json::json!({"events": [], "total": 0}))).into(),
        ),
        (
            "login",
            LoginResponse::LoggedIn {
                body: user.clone(),
                set_cookie: None,
            }
            .into(),
        ),
        (
            "validatePassword",
            ValidatePasswordResponse::PasswordValid.into(),
        ),
        (
            "validateToken",
            ValidateTokenResponse::TokenValid(any(serde_json::json!({
                "id": 1, "email": "a@example.com", "token": "t", "createdBy": null,
                "role": {"id": 1, "name": "Admin", "type": "root", "description": "d"}
            })))
            .into(),
        ),
        (
            "changePassword",
            ChangePasswordResponse::PasswordChanged.into(),
        ),
        (
            "sendResetPasswordEmail",
            SendResetPasswordEmailResponse::Accepted.into(),
        ),
        (
            "getMe",
            GetMeResponse::Me(any(serde_json::json!({
                "user": {"id": 1}, "permissions": [], "feedback": [], "splash": {}
            })))
            .into(),
        ),
        (
            "getProfile",
            GetProfileResponse::Profile(any(serde_json::json!({
                "projects": [], "groups": [], "subscriptions": [], "features": [],
                "rootRole": {"id": 1, "name": "Admin", "type": "root", "description": "d"},
                "canChangePassword": true
            })))
            .into(),
        ),
        (
            "changeMyPassword",
            ChangeMyPasswordResponse::PasswordChanged.into(),
        ),
        (
            "getUsers",
            GetUsersResponse::Users(any(serde_json::json!({"users": [], "rootRoles": []}))).into(),
        ),
        (
            "createUser",
            CreateUserResponse::Created {
                body: any(serde_json::json!({"id": 1, "rootRole": 1, "emailSent": false})),
                location: Some("1".into()),
            }
            .into(),
        ),
        ("getUser", GetUserResponse::User(user).into()),
        ("deleteUser", DeleteUserResponse::Deleted.into()),
        (
            "changeUserPassword",
            ChangeUserPasswordResponse::PasswordChanged.into(),
        ),
        (
            "resetUserPassword",
            ResetUserPasswordResponse::ResetLink(any(serde_json::json!({"resetPasswordUrl": "u"})))
                .into(),
        ),
        (
            "validateUserPassword",
            ValidateUserPasswordResponse::PasswordValid.into(),
        ),
        ("reportNotMe", ReportNotMeResponse::Reported.into()),
        (
            "getMySessions",
            GetMySessionsResponse::Sessions(any(serde_json::json!({"sessions": []}))).into(),
        ),
        (
            "endMyOtherSessions",
            EndMyOtherSessionsResponse::Ended.into(),
        ),
        ("endMySession", EndMySessionResponse::Ended.into()),
    ];
    let spec = Spec::load().expect("the spec loads");
    for (_, _, operation) in spec.operations() {
        let declared = declared_statuses(&doc, &operation.id);
        let answered: Vec<u16> = variants
            .iter()
            .filter(|(id, _)| *id == operation.id)
            .map(|(_, answer)| answer.status)
            .collect();
        assert!(!answered.is_empty(), "{}: no variant checked", operation.id);
        for status in &answered {
            assert!(
                declared.contains(status),
                "{}: src/dispatch.rs answers {status}, openapi.yaml declares {declared:?}",
                operation.id
            );
        }
        for status in declared.iter().filter(|s| **s < 400) {
            assert!(
                answered.contains(status),
                "{}: openapi.yaml declares {status}, no variant answers it",
                operation.id
            );
        }
    }
}
