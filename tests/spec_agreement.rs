//! The facts the code takes from `openapi.yaml`, checked against it.
//!
//! The front (`src/http/spec.rs`) is the one place that routes a request and decides its operation,
//! its credentials and its schema, all read from the spec at start-up; `generated/dispatch.rs`,
//! written from the spec by `make regen`, calls the operation's `Api` method and gives each
//! response variant its status. These tests check the two readings of the spec against each other
//! (the error statuses each operation can answer), that the generated crate's own routing (its
//! client and server share it) agrees with the front's, and the credentials the front reads
//! (`src/http/auth.rs`).

use hyper::{Method, Request};
use serde_json::Value;
use swagger::RequestParser;
use unlatch::domain::accounts::PasswordCheck;
use unlatch::http::dispatch::error_status;
use unlatch::http::errors::{AppError, FieldError};
use unlatch::http::spec::{Route, Spec, OPENAPI_YAML};
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

#[test]
fn every_operation_answers_exactly_the_error_statuses_the_spec_declares() {
    let spec = Spec::load().expect("the spec loads");
    for (method, template, operation) in spec.operations() {
        let declared = &operation.error_statuses;
        for (status, error) in one_error_per_status() {
            assert_eq!(error().status(), status);
            assert_eq!(
                error_status(operation.call, error()),
                declared.contains(&status).then_some(status),
                "{method} {template} ({}): status {status} in openapi.yaml vs generated/dispatch.rs \
                 (is the response marked x-unlatch-error?)",
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
    assert_eq!(cookie["name"], unlatch::http::auth::SESSION_COOKIE);

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
