//! The one call into the generated `Api` trait. The front has routed the request, checked its
//! credentials and validated its parameters and body against `openapi.yaml` (`spec.rs`); here the
//! operation's inputs are read into the generated types, its `Api` method is called, and its answer
//! (a generated response enum) becomes the HTTP response the spec declares for it. The generated
//! crate's own server (a second router, a second body parser) is not used.
//!
//! Which method each operation calls, and the status, body and headers of every variant of every
//! response enum (both ways: a variant into its answer, an error of the domain into the variant of
//! its status), are not written here: `make regen` writes them from `openapi.yaml`
//! (`generated/dispatch.rs`, from the project's template `codegen/rust-server/dispatch.mustache`),
//! and they are included below. This file gives them the few things they use: reading an input,
//! building an answer, and an error's header.

use std::borrow::Cow;
use std::str::FromStr;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use hyper::{Response, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::http::errors::{AppError, FieldError, FromAppError};

pub use generated::{call, error_status, Operation};

/// The content type of every JSON body Unlatch answers.
pub const JSON_UTF8: &str = "application/json; charset=utf-8";

/// What `make regen` writes from `openapi.yaml` (see the top of this file).
#[allow(clippy::match_single_binding, clippy::trailing_empty_array)]
mod generated {
    use super::{answer, undeclared, Answer, AppError, ErrorHeader as _, FromAppError, Inputs};
    use crate::http::context::RequestContext;
    use unlatch_api::*;

    include!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/generated/dispatch.rs"
    ));
}

/// What the front read from the request, already checked against the operation's schemas.
pub struct Inputs<'a> {
    /// The path's parameters (`id`).
    pub params: &'a [(String, String)],
    /// The query string, undecoded.
    pub query: Option<&'a str>,
    /// The JSON body, for an operation that takes one.
    pub body: Option<Value>,
}

impl Inputs<'_> {
    /// The body as the operation's generated model.
    fn body<T: DeserializeOwned>(&mut self) -> Result<T, AppError> {
        let value = self
            .body
            .take()
            .ok_or_else(|| AppError::internal("the operation's body was not read"))?;
        serde_json::from_value(value).map_err(|_| {
            // What the schema accepts but the model cannot hold, e.g. `480.0` for an integer
            // (JSON Schema's `integer` allows it, serde's `i64` does not). serde's text quotes the
            // input, so it is not passed on.
            AppError::bad_data(vec![FieldError {
                path: "/body".into(),
                message: "The request does not match the schema of this operation.".into(),
            }])
        })
    }

    /// A path parameter, as the `Api` method takes it.
    fn path<T: FromStr>(&self, name: &str) -> Result<T, AppError> {
        let value = self
            .params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .ok_or_else(|| AppError::internal(format!("the route has no {name}")))?;
        parsed(value, &format!("/params/{name}"))
    }

    /// A query parameter (its first value: a repeated one counts once, as the spec's check), as
    /// the `Api` method takes it.
    pub(crate) fn query<T: FromStr>(&self, name: &str) -> Result<Option<T>, AppError> {
        query_value(self.query, name)
            .map(|value| parsed(&value, &format!("/query/{name}")))
            .transpose()
    }

    /// A query parameter the spec requires.
    #[allow(dead_code)] // for an operation with a required query parameter (none today)
    fn query_required<T: FromStr>(&self, name: &str) -> Result<T, AppError> {
        self.query(name)?.ok_or_else(|| {
            AppError::bad_data(vec![FieldError {
                path: format!("/query/{name}"),
                message: format!("The `/query/{name}` parameter is required."),
            }])
        })
    }
}

/// A parameter's text as its type. The spec's check has passed it, so this fails only for what the
/// schema allows and the type cannot hold (a whole number past its type's range).
fn parsed<T: FromStr>(value: &str, path: &str) -> Result<T, AppError> {
    value.parse().map_err(|_| {
        AppError::bad_data(vec![FieldError {
            path: path.into(),
            message: format!("The `{path}` parameter is out of range."),
        }])
    })
}

fn answer<R: Into<Answer>>(result: Result<R, swagger::ApiError>) -> Result<Answer, AppError> {
    result
        .map(Into::into)
        .map_err(|e| AppError::internal(format!("the handler failed: {}", e.0)))
}

/// An error whose status the operation's response enum has no variant for: a defect (the domain
/// answered what `openapi.yaml` does not declare for the operation), answered as a 500 and logged
/// with this text where the front answers it.
fn undeclared(status: u16, operation: &str, error: &AppError) -> swagger::ApiError {
    swagger::ApiError(format!(
        "{operation} answered {status}, which openapi.yaml does not declare for it: {error}"
    ))
}

/// The headers an error response declares (`Retry-After`, in seconds), from the error.
trait ErrorHeader {
    fn header<T: TryFrom<u64>>(&self, name: &str) -> Option<T>;
}

impl ErrorHeader for AppError {
    fn header<T: TryFrom<u64>>(&self, name: &str) -> Option<T> {
        if name.eq_ignore_ascii_case("retry-after") {
            T::try_from(self.retry_after()?).ok()
        } else {
            None
        }
    }
}

/// An operation's answer on its way to the wire.
pub struct Answer {
    pub status: u16,
    body: Body,
    headers: Vec<(&'static str, String)>,
}

enum Body {
    Empty,
    Json(Result<Vec<u8>, serde_json::Error>),
    Text(&'static str, Bytes),
}

impl Answer {
    fn new(status: u16) -> Self {
        Answer {
            status,
            body: Body::Empty,
            headers: Vec::new(),
        }
    }

    fn json(mut self, body: &impl serde::Serialize) -> Self {
        self.body = Body::Json(serde_json::to_vec(body));
        self
    }

    fn text(mut self, content_type: &'static str, body: impl Into<Bytes>) -> Self {
        self.body = Body::Text(content_type, body.into());
        self
    }

    /// A header the variant declares; an optional one that is absent is not sent.
    fn header(mut self, name: &'static str, value: impl HeaderText) -> Self {
        if let Some(value) = value.text() {
            self.headers.push((name, value));
        }
        self
    }

    pub fn into_response(self) -> Result<Response<Full<Bytes>>, AppError> {
        let (content_type, body) = match self.body {
            Body::Empty => (None, Bytes::new()),
            Body::Json(bytes) => (
                Some(JSON_UTF8),
                Bytes::from(bytes.map_err(|e| AppError::internal(format!("serialising: {e}")))?),
            ),
            Body::Text(content_type, bytes) => (Some(content_type), bytes),
        };
        let mut response = Response::new(Full::new(body));
        *response.status_mut() = StatusCode::from_u16(self.status)
            .map_err(|_| AppError::internal(format!("no HTTP status {}", self.status)))?;
        let headers = response.headers_mut();
        if let Some(content_type) = content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        for (name, value) in self.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| AppError::internal(format!("{name} is not a header name")))?;
            let value = HeaderValue::try_from(value).map_err(|_| {
                AppError::internal(format!("the {name} header's value is not a header value"))
            })?;
            headers.insert(name, value);
        }
        Ok(response)
    }
}

/// A header's value as a variant holds it (the generated types: text or a number, optional or not).
trait HeaderText {
    fn text(self) -> Option<String>;
}

impl HeaderText for String {
    fn text(self) -> Option<String> {
        Some(self)
    }
}

impl HeaderText for i32 {
    fn text(self) -> Option<String> {
        Some(self.to_string())
    }
}

impl<T: HeaderText> HeaderText for Option<T> {
    fn text(self) -> Option<String> {
        self.and_then(HeaderText::text)
    }
}

/// The first value of `key` in a query string (the first occurrence counts: the spec's check and
/// `dispatch` read the same one).
pub fn query_value<'q>(query: Option<&'q str>, key: &str) -> Option<Cow<'q, str>> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(name, _)| name == key)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_value_is_the_first_one_decoded() {
        let query = Some("other=%ZZ&to%6Ben=a%2Bb+c&token=second&flag");
        assert_eq!(query_value(query, "token").as_deref(), Some("a+b c"));
        assert_eq!(query_value(query, "flag").as_deref(), Some(""));
        assert_eq!(query_value(query, "other").as_deref(), Some("%ZZ"));
        assert_eq!(query_value(query, "missing"), None);
        assert_eq!(query_value(None, "token"), None);
    }
}
