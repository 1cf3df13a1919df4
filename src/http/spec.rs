//! `openapi.yaml`, loaded once at start-up: the route table of the HTTP front and the request
//! schemas it validates against. The document is compiled into the binary, so the service always
//! validates against (and serves) exactly the contract it was built from; there is no second,
//! hand-written copy of any schema.

use std::borrow::Cow;

use hyper::Method;
use serde_json::{json, Value};

use crate::http::dispatch::query_value;
use crate::http::errors::{AppError, FieldError};

/// The contract, as built into this binary.
pub const OPENAPI_YAML: &str = include_str!("../../openapi.yaml");

/// [`OPENAPI_YAML`] as JSON (`GET /docs/openapi.json`), converted on first use.
pub fn openapi_json() -> Result<&'static Value, SpecError> {
    static DOCUMENT: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    if let Some(document) = DOCUMENT.get() {
        return Ok(document);
    }
    let document: Value =
        serde_norway::from_str(OPENAPI_YAML).map_err(|e| SpecError::Yaml(e.to_string()))?;
    Ok(DOCUMENT.get_or_init(|| document))
}

/// The settings `x-unlatch-public-with` may name (see `Front::with_public_setting`).
pub const KNOWN_PUBLIC_SETTINGS: [&str; 1] = ["METRICS_PUBLIC"];

/// Which per-IP rate limit an operation counts against (`x-unlatch-rate-limit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateLimitClass {
    Login,
    ResetEmail,
    CreateUser,
}

pub struct Operation {
    pub id: String,
    /// Its call into the `Api` trait (written from this document by `make regen`).
    pub call: crate::http::dispatch::Operation,
    /// `security: []`: no credentials needed.
    pub public: bool,
    /// `x-unlatch-permission: ADMIN`.
    pub admin_only: bool,
    /// `x-unlatch-public-with: <SETTING>`: public (no credentials) when the operator turns that
    /// setting on.
    pub public_with: Option<String>,
    pub rate_limit: Option<RateLimitClass>,
    /// `x-unlatch-management: true`: served on the management listener too, without credentials.
    pub management: bool,
    /// The statuses the operation's `responses` declare with the contract's error body
    /// (`ErrorSchema`), ascending.
    pub error_statuses: Vec<u16>,
    /// The request body's schema, when the operation takes one (such a request must be JSON).
    body: Option<jsonschema::Validator>,
    params: Vec<Param>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ParamIn {
    Path,
    Query,
}

struct Param {
    name: String,
    location: ParamIn,
    integer: bool,
    validator: jsonschema::Validator,
}

struct PathItem {
    template: String,
    operations: Vec<(Method, Operation)>,
}

pub struct Spec {
    router: matchit::Router<usize>,
    items: Vec<PathItem>,
}

pub enum Route<'a> {
    Found {
        operation: &'a Operation,
        params: Vec<(String, String)>,
    },
    MethodNotAllowed {
        allowed: Vec<String>,
    },
    NotFound,
}

#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("openapi.yaml is not valid YAML: {0}")]
    Yaml(String),
    #[error("openapi.yaml: {0}")]
    Invalid(String),
}

impl Spec {
    pub fn load() -> Result<Self, SpecError> {
        Self::parse(OPENAPI_YAML)
    }

    pub fn parse(yaml: &str) -> Result<Self, SpecError> {
        let doc: Value =
            serde_norway::from_str(yaml).map_err(|e| SpecError::Yaml(e.to_string()))?;
        let components = doc.get("components").cloned().unwrap_or_else(|| json!({}));
        let global_public = doc
            .get("security")
            .and_then(Value::as_array)
            .is_none_or(|s| s.is_empty());
        let paths = doc
            .get("paths")
            .and_then(Value::as_object)
            .ok_or_else(|| SpecError::Invalid("no paths".into()))?;

        let mut router = matchit::Router::new();
        let mut items = Vec::new();
        for (template, item) in paths {
            let shared_params = item.get("parameters").cloned().unwrap_or(Value::Null);
            let mut operations = Vec::new();
            for (method_name, op) in item.as_object().into_iter().flatten() {
                let Ok(method) = Method::from_bytes(method_name.to_ascii_uppercase().as_bytes())
                else {
                    continue;
                };
                if !matches!(
                    method,
                    Method::GET | Method::POST | Method::PUT | Method::DELETE | Method::PATCH
                ) {
                    continue;
                }
                let operation = build_operation(op, &shared_params, &components, global_public)
                    .map_err(|e| SpecError::Invalid(format!("{method} {template}: {e}")))?;
                operations.push((method, operation));
            }
            router
                .insert(template.as_str(), items.len())
                .map_err(|e| SpecError::Invalid(format!("path {template}: {e}")))?;
            items.push(PathItem {
                template: template.clone(),
                operations,
            });
        }
        Ok(Spec { router, items })
    }

    /// Every operation with its method and path template (`/api/admin/user-admin/{id}`).
    pub fn operations(&self) -> impl Iterator<Item = (&Method, &str, &Operation)> {
        self.items.iter().flat_map(|item| {
            item.operations
                .iter()
                .map(move |(method, op)| (method, item.template.as_str(), op))
        })
    }

    pub fn route(&self, method: &Method, path: &str) -> Route<'_> {
        let Ok(matched) = self.router.at(path) else {
            return Route::NotFound;
        };
        let item = &self.items[*matched.value];
        match item.operations.iter().find(|(m, _)| m == method) {
            Some((_, operation)) => Route::Found {
                operation,
                // Decoded, as the schema's `string` means the value and not its escapes (a
                // `maxLength` counts characters). Bytes that are no UTF-8 become U+FFFD.
                params: matched
                    .params
                    .iter()
                    .map(|(k, v)| {
                        let value = percent_encoding::percent_decode_str(v).decode_utf8_lossy();
                        (k.to_string(), value.into_owned())
                    })
                    .collect(),
            },
            None => Route::MethodNotAllowed {
                allowed: item.operations.iter().map(|(m, _)| m.to_string()).collect(),
            },
        }
    }
}

fn build_operation(
    op: &Value,
    shared_params: &Value,
    components: &Value,
    global_public: bool,
) -> Result<Operation, String> {
    let id = op
        .get("operationId")
        .and_then(Value::as_str)
        .ok_or("no operationId")?
        .to_string();
    // No requirement, or an empty one (`{}`: credentials optional), makes an operation public.
    let public = match op.get("security").and_then(Value::as_array) {
        Some(requirements) => {
            requirements.is_empty()
                || requirements
                    .iter()
                    .any(|r| r.as_object().is_some_and(|o| o.is_empty()))
        }
        None => global_public,
    };
    let admin_only = match op.get("x-unlatch-permission").and_then(Value::as_str) {
        None => false,
        Some("ADMIN") => true,
        Some(other) => return Err(format!("unknown x-unlatch-permission {other}")),
    };
    let public_with = match op.get("x-unlatch-public-with") {
        None => None,
        Some(Value::String(setting)) if KNOWN_PUBLIC_SETTINGS.contains(&setting.as_str()) => {
            Some(setting.clone())
        }
        Some(other) => return Err(format!("unknown x-unlatch-public-with {other}")),
    };
    let rate_limit = match op.get("x-unlatch-rate-limit").and_then(Value::as_str) {
        None => None,
        Some("login") => Some(RateLimitClass::Login),
        Some("reset-email") => Some(RateLimitClass::ResetEmail),
        Some("create-user") => Some(RateLimitClass::CreateUser),
        Some(other) => return Err(format!("unknown x-unlatch-rate-limit {other}")),
    };
    let management = match op.get("x-unlatch-management") {
        None => false,
        Some(Value::Bool(served)) => *served,
        Some(other) => return Err(format!("x-unlatch-management is not a boolean: {other}")),
    };
    let mut error_statuses = Vec::new();
    for (code, response) in op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let status = code
            .parse::<u16>()
            .map_err(|_| format!("response {code:?} is not a status code"))?;
        let response = match response.get("$ref").and_then(Value::as_str) {
            Some(target) => target
                .strip_prefix("#/components/responses/")
                .and_then(|name| components.get("responses")?.get(name))
                .ok_or_else(|| format!("response {code}: {target} does not resolve"))?,
            None => response,
        };
        let schema = response
            .pointer("/content/application~1json/schema/$ref")
            .and_then(Value::as_str);
        if schema == Some("#/components/schemas/ErrorSchema") {
            error_statuses.push(status);
        }
    }
    error_statuses.sort_unstable();
    let body = match op.pointer("/requestBody/content/application~1json/schema") {
        Some(schema) => Some(compile(schema, components)?),
        None if op.get("requestBody").is_some() => {
            return Err("a request body that is not application/json".into())
        }
        None => None,
    };
    let mut params = Vec::new();
    let all_params = shared_params.as_array().into_iter().flatten().chain(
        op.get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten(),
    );
    for param in all_params {
        let location = match param.get("in").and_then(Value::as_str) {
            Some("path") => ParamIn::Path,
            Some("query") => ParamIn::Query,
            _ => continue,
        };
        let name = param
            .get("name")
            .and_then(Value::as_str)
            .ok_or("a parameter with no name")?;
        let schema = param.get("schema").cloned().unwrap_or_else(|| json!({}));
        let integer = schema.get("type").and_then(Value::as_str) == Some("integer");
        params.push(Param {
            name: name.to_string(),
            location,
            integer,
            validator: compile(&schema, components)?,
        });
    }
    let call = crate::http::dispatch::Operation::from_operation_id(&id)
        .ok_or_else(|| format!("{id} has no call in generated/dispatch.rs (run make regen)"))?;
    Ok(Operation {
        id,
        call,
        public,
        admin_only,
        public_with,
        rate_limit,
        management,
        error_statuses,
        body,
        params,
    })
}

/// Compiles a schema of the document with the document's `components` beside it, so that
/// `#/components/schemas/...` references resolve exactly as they do in `openapi.yaml`.
fn compile(schema: &Value, components: &Value) -> Result<jsonschema::Validator, String> {
    let mut root = schema.clone();
    if let Value::Object(map) = &mut root {
        map.insert("components".into(), components.clone());
    } else {
        return Err("a schema that is not an object".into());
    }
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&root)
        .map_err(|e| format!("schema does not compile: {e}"))
}

impl Operation {
    pub fn takes_body(&self) -> bool {
        self.body.is_some()
    }

    /// Validates a parsed JSON body; the first failure, in the order Unleash's validator (ajv)
    /// reports them, as a BadDataError.
    pub fn validate_body(&self, body: &Value) -> Result<(), AppError> {
        let Some(validator) = &self.body else {
            return Ok(());
        };
        // The common case answered by jsonschema's fast check; the errors are collected (and
        // ranked) only for a body that has some.
        if validator.is_valid(body) {
            return Ok(());
        }
        let mut first: Option<(u8, FieldError)> = None;
        for error in validator.iter_errors(body) {
            let candidate = describe(&error, "/body");
            if first.as_ref().is_none_or(|(rank, _)| candidate.0 < *rank) {
                first = Some(candidate);
            }
        }
        match first {
            None => Ok(()),
            Some((_, detail)) => Err(AppError::bad_data(vec![detail])),
        }
    }

    /// Validates path and query parameters against their schemas (`/params/<name>` and
    /// `/query/<name>` in `details`). Absent query parameters are optional in this contract.
    pub fn validate_params(
        &self,
        path: &[(String, String)],
        query: Option<&str>,
    ) -> Result<(), AppError> {
        if self.params.is_empty() {
            return Ok(());
        }
        for param in &self.params {
            let (raw, base) = match param.location {
                ParamIn::Path => (
                    path.iter()
                        .find(|(k, _)| *k == param.name)
                        .map(|(_, v)| v.clone()),
                    "/params",
                ),
                // The first occurrence, decoded (`dispatch` reads the same one).
                ParamIn::Query => (
                    query_value(query, &param.name).map(Cow::into_owned),
                    "/query",
                ),
            };
            let Some(raw) = raw else {
                continue;
            };
            let value = match raw.parse::<i64>() {
                Ok(n) if param.integer => json!(n),
                _ => json!(raw),
            };
            if param.validator.is_valid(&value) {
                continue;
            }
            let first = param
                .validator
                .iter_errors(&value)
                .next()
                .map(|error| describe(&error, &format!("{base}/{}", param.name)).1);
            if let Some(detail) = first {
                return Err(AppError::bad_data(vec![detail]));
            }
        }
        Ok(())
    }
}

/// The contract's wording of one validation error, with its rank: ajv checks `type`, then
/// `required`, then `additionalProperties`, then the properties themselves, and reports the first.
fn describe(error: &jsonschema::ValidationError<'_>, base: &str) -> (u8, FieldError) {
    use jsonschema::error::ValidationErrorKind as Kind;
    let at = format!("{base}{}", error.instance_path());
    let depth = error.instance_path().into_iter().count() as u8;
    match error.kind() {
        Kind::Required { property } => {
            let name = property
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| property.to_string());
            let path = format!("{at}/{name}");
            (
                depth * 4 + 1,
                FieldError {
                    message: format!(
                        "The `{path}` property is required. It was not present on the data you sent."
                    ),
                    path,
                },
            )
        }
        Kind::AdditionalProperties { unexpected } => {
            let name = unexpected.first().cloned().unwrap_or_default();
            let path = format!("{at}/{name}");
            (
                depth * 4 + 2,
                FieldError {
                    message: format!(
                        "The `{at}` object of the request body does not allow additional properties. Your request included the `{path}` property."
                    ),
                    path,
                },
            )
        }
        Kind::Type { kind } => {
            let expected = match kind {
                jsonschema::error::TypeKind::Single(t) => t.to_string(),
                jsonschema::error::TypeKind::Multiple(ts) => ts
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            (
                depth * 4,
                FieldError {
                    message: format!(
                        "The `{at}` property must be {expected}. You sent {}.",
                        error.instance()
                    ),
                    path: at,
                },
            )
        }
        // Never the value itself: it may be a password, or a 100 kB name.
        Kind::MaxLength { limit } => (
            depth * 4 + 3,
            FieldError {
                message: format!(
                    "The `{at}` property must be at most {limit} characters long. You sent {}.",
                    error.instance().as_str().map_or(0, |s| s.chars().count())
                ),
                path: at,
            },
        ),
        _ => (
            depth * 4 + 3,
            FieldError {
                message: format!("The `{at}` property is invalid: {error}."),
                path: at,
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_contract_loads_and_routes() {
        let spec = Spec::load().expect("openapi.yaml loads");
        assert!(matches!(
            spec.route(&Method::GET, "/health"),
            Route::Found { .. }
        ));
        assert!(matches!(
            spec.route(&Method::DELETE, "/health"),
            Route::MethodNotAllowed { .. }
        ));
        assert!(matches!(spec.route(&Method::GET, "/nope"), Route::NotFound));
        match spec.route(&Method::POST, "/api/admin/user-admin/reset-password") {
            Route::Found { operation, .. } => assert_eq!(operation.id, "resetUserPassword"),
            _ => panic!("static segment must win over {{id}}"),
        }
        match spec.route(&Method::GET, "/api/admin/user-admin/7") {
            Route::Found { operation, params } => {
                assert_eq!(operation.id, "getUser");
                assert!(operation.admin_only && !operation.public);
                assert_eq!(params, vec![("id".to_string(), "7".to_string())]);
            }
            _ => panic!("getUser not routed"),
        }
    }

    #[test]
    fn the_management_listener_serves_what_the_contract_marks_and_a_bad_mark_stops_start_up() {
        let spec = Spec::load().expect("openapi.yaml loads");
        let mut marked: Vec<&str> = spec
            .operations()
            .filter(|(_, _, operation)| operation.management)
            .map(|(_, _, operation)| operation.id.as_str())
            .collect();
        marked.sort_unstable();
        assert_eq!(
            marked,
            ["getHealth", "getHealthLive", "getHealthReady", "getMetrics"]
        );

        let yes = OPENAPI_YAML.replace(
            "x-unlatch-management: true",
            "x-unlatch-management: \"yes\"",
        );
        assert!(Spec::parse(&yes).is_err(), "a non-boolean mark is refused");
    }
}
