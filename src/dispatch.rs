//! The one call into the generated `Api` trait. The front has routed the request, checked its
//! credentials and validated its parameters and body against `openapi.yaml` (`spec.rs`); here the
//! operation's inputs are read into the generated types, its `Api` method is called, and its answer
//! (a generated response enum) becomes the HTTP response the spec declares for it. The generated
//! crate's own server (a second router, a second body parser) is not used.
//!
//! The status of every variant is written here once (`answers!`); `tests/spec_agreement.rs`
//! checks each against the statuses `openapi.yaml` declares for the operation.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE, LOCATION, RETRY_AFTER, SET_COOKIE};
use hyper::{Response, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use unlatch_api::models::ErrorSchema;
use unlatch_api::*;

use crate::context::RequestContext;
use crate::errors::{AppError, FieldError, FromAppError};
use crate::front::JSON_UTF8;

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

    /// The path's `id`, a whole number (the schema's `integer`).
    fn id(&self) -> Result<u64, AppError> {
        let value = self
            .params
            .iter()
            .find(|(name, _)| name == "id")
            .map(|(_, value)| value.as_str())
            .ok_or_else(|| AppError::internal("the route has no id"))?;
        value.parse().map_err(|_| {
            AppError::bad_data(vec![FieldError {
                path: "/params/id".into(),
                message: "The `/params/id` parameter must be a whole number.".into(),
            }])
        })
    }

    /// A path parameter as text (the schema's `string`).
    fn text(&self, name: &str) -> Result<String, AppError> {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .ok_or_else(|| AppError::internal(format!("the route has no {name}")))
    }

    /// The first value of a query parameter (a repeated one counts once, as the spec's check).
    fn query(&self, key: &str) -> Option<String> {
        crate::spec::query_value(self.query, key).map(std::borrow::Cow::into_owned)
    }

    /// A whole-number query parameter.
    pub(crate) fn number<T: std::str::FromStr>(&self, key: &str) -> Result<Option<T>, AppError> {
        self.query(key)
            .map(|value| {
                value.parse().map_err(|_| {
                    AppError::bad_data(vec![FieldError {
                        path: format!("/query/{key}"),
                        message: format!("The `/query/{key}` parameter must be a whole number."),
                    }])
                })
            })
            .transpose()
    }
}

/// Calls `operation` (its `operationId`) on `api` and answers its response.
pub async fn call<A: Api<RequestContext>>(
    api: &A,
    operation: &str,
    mut inputs: Inputs<'_>,
    context: &RequestContext,
) -> Result<Response<Full<Bytes>>, AppError> {
    let answer = match operation {
        "getHealth" => answer(api.get_health(context).await),
        "getHealthLive" => answer(api.get_health_live(context).await),
        "getHealthReady" => answer(api.get_health_ready(context).await),
        "login" => answer(api.login(inputs.body()?, context).await),
        "logout" => answer(api.logout(context).await),
        "sendResetPasswordEmail" => {
            answer(api.send_reset_password_email(inputs.body()?, context).await)
        }
        "validatePassword" => answer(api.validate_password(inputs.body()?, context).await),
        "reportNotMe" => answer(api.report_not_me(inputs.body()?, context).await),
        "validateToken" => answer(api.validate_token(inputs.query("token"), context).await),
        "changePassword" => answer(api.change_password(inputs.body()?, context).await),
        "getMetrics" => answer(api.get_metrics(context).await),
        "getOpenApiSpec" => answer(api.get_open_api_spec(context).await),
        "getOpenApiJson" => answer(api.get_open_api_json(context).await),
        "changeMyPassword" => answer(api.change_my_password(inputs.body()?, context).await),
        "createUser" => answer(api.create_user(inputs.body()?, context).await),
        "getEvents" => {
            let (limit, offset) = (inputs.number("limit")?, inputs.number("offset")?);
            answer(api.get_events(limit, offset, context).await)
        }
        "getMe" => answer(api.get_me(context).await),
        "getProfile" => answer(api.get_profile(context).await),
        "getMySessions" => answer(api.get_my_sessions(context).await),
        "endMyOtherSessions" => answer(api.end_my_other_sessions(context).await),
        "endMySession" => answer(api.end_my_session(inputs.text("id")?, context).await),
        "getUsers" => {
            let (limit, offset) = (inputs.number("limit")?, inputs.number("offset")?);
            answer(api.get_users(limit, offset, context).await)
        }
        "resetUserPassword" => answer(api.reset_user_password(inputs.body()?, context).await),
        "validateUserPassword" => answer(api.validate_user_password(inputs.body()?, context).await),
        "changeUserPassword" => {
            let id = inputs.id()?;
            answer(api.change_user_password(id, inputs.body()?, context).await)
        }
        "deleteUser" => answer(api.delete_user(inputs.id()?, context).await),
        "getUser" => answer(api.get_user(inputs.id()?, context).await),
        other => Err(AppError::internal(format!(
            "the operation {other} of openapi.yaml has no method of the Api trait"
        ))),
    }?;
    answer.into_response()
}

fn answer<R: Into<Answer>>(result: Result<R, swagger::ApiError>) -> Result<Answer, AppError> {
    result
        .map(Into::into)
        .map_err(|e| AppError::internal(format!("the handler failed: {}", e.0)))
}

/// An operation's answer on its way to the wire.
pub struct Answer {
    pub status: u16,
    body: Body,
    headers: Vec<(HeaderName, Option<String>)>,
}

enum Body {
    Empty,
    Json(Result<Vec<u8>, serde_json::Error>),
    Text(&'static str, Bytes),
}

impl Answer {
    fn empty(status: u16) -> Self {
        Answer {
            status,
            body: Body::Empty,
            headers: Vec::new(),
        }
    }

    fn json(status: u16, body: &impl serde::Serialize) -> Self {
        Answer {
            status,
            body: Body::Json(serde_json::to_vec(body)),
            headers: Vec::new(),
        }
    }

    fn text(status: u16, content_type: &'static str, body: impl Into<Bytes>) -> Self {
        Answer {
            status,
            body: Body::Text(content_type, body.into()),
            headers: Vec::new(),
        }
    }

    fn error(status: u16, body: ErrorSchema) -> Self {
        Answer::json(status, &body)
    }

    fn retry(status: u16, body: ErrorSchema, retry_after: Option<i32>) -> Self {
        Answer::json(status, &body).header(RETRY_AFTER, retry_after.map(|s| s.to_string()))
    }

    fn header(mut self, name: HeaderName, value: Option<String>) -> Self {
        self.headers.push((name, value));
        self
    }

    fn into_response(self) -> Result<Response<Full<Bytes>>, AppError> {
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
            if let Some(value) = value {
                let value = HeaderValue::try_from(value).map_err(|_| {
                    AppError::internal(format!("the {name} header's value is not a header value"))
                })?;
                headers.insert(name, value);
            }
        }
        Ok(response)
    }
}

/// The one table of every response enum's variants: each success variant with the answer it
/// makes, and each error variant with its status. It implements both directions: an operation's
/// [`AppError`] into its error variant (`FromAppError`, for the handlers) and every variant into
/// its [`Answer`]. Variant names come from `x-response-id` in `openapi.yaml`, so the error
/// variants are named alike in every enum.
macro_rules! answers {
    ($($resp:ident { $($success:pat => $answer:expr),* $(,)? }
        errors { $($status:literal => $variant:ident $({ $retry:ident })?),* $(,)? })*) => {
        $(
            impl FromAppError for $resp {
                fn from_app_error(e: AppError) -> Result<Self, swagger::ApiError> {
                    match e.status() {
                        $($status => Ok(answers!(@build $resp $variant e $($retry)?)),)*
                        status => {
                            tracing::error!(status, operation = stringify!($resp), error = %e,
                                "openapi.yaml does not declare this status for the operation");
                            Err(swagger::ApiError(format!("undeclared status {status}")))
                        }
                    }
                }
            }

            impl From<$resp> for Answer {
                fn from(response: $resp) -> Self {
                    match response {
                        $($success => $answer,)*
                        $(answers!(@pat $resp $variant body retry_after $($retry)?) =>
                            answers!(@answer $status body retry_after $($retry)?),)*
                    }
                }
            }
        )*
    };
    (@build $resp:ident $variant:ident $e:ident) => { $resp::$variant($e.body()) };
    (@build $resp:ident $variant:ident $e:ident $retry:ident) => {
        $resp::$variant {
            body: $e.body(),
            retry_after: $e.retry_after().and_then(|s| i32::try_from(s).ok()),
        }
    };
    // The bindings' names come from the arm above, so that pattern and answer share them.
    (@pat $resp:ident $variant:ident $body:ident $after:ident) => { $resp::$variant($body) };
    (@pat $resp:ident $variant:ident $body:ident $after:ident $retry:ident) => {
        $resp::$variant { body: $body, retry_after: $after }
    };
    (@answer $status:literal $body:ident $after:ident) => { Answer::error($status, $body) };
    (@answer $status:literal $body:ident $after:ident $retry:ident) => {
        Answer::retry($status, $body, $after)
    };
}

answers! {
    GetHealthResponse {
        GetHealthResponse::Healthy(body) => Answer::json(200, &body),
        GetHealthResponse::Unhealthy(body) => Answer::json(500, &body),
    } errors {}
    LogoutResponse {
        LogoutResponse::LoggedOutNoContent { set_cookie, clear_site_data } => Answer::empty(204)
            .header(SET_COOKIE, set_cookie)
            .header(HeaderName::from_static("clear-site-data"), clear_site_data),
        LogoutResponse::LoggedOut { location, set_cookie, clear_site_data } => Answer::empty(302)
            .header(LOCATION, location)
            .header(SET_COOKIE, set_cookie)
            .header(HeaderName::from_static("clear-site-data"), clear_site_data),
    } errors {}
    GetHealthLiveResponse {
        GetHealthLiveResponse::Live(body) => Answer::json(200, &body),
    } errors {}
    GetHealthReadyResponse {
        GetHealthReadyResponse::Ready(body) => Answer::json(200, &body),
        GetHealthReadyResponse::NotReady(body) => Answer::json(503, &body),
    } errors {}
    GetOpenApiJsonResponse {
        GetOpenApiJsonResponse::Spec(body) => Answer::json(200, &body),
    } errors {}
    GetOpenApiSpecResponse {
        GetOpenApiSpecResponse::Spec(body) => Answer::text(200, "application/yaml", body.0),
    } errors {}
    GetMetricsResponse {
        GetMetricsResponse::Metrics(body) => Answer::text(200, "text/plain", body),
    } errors { 401 => Unauthorized, 403 => Forbidden, 500 => InternalError,
        503 => ServiceUnavailable { retry } }
    GetEventsResponse {
        GetEventsResponse::Events(body) => Answer::json(200, &body),
    } errors { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 500 => InternalError,
        503 => ServiceUnavailable { retry } }
    LoginResponse {
        LoginResponse::LoggedIn { body, set_cookie } =>
            Answer::json(200, &body).header(SET_COOKIE, set_cookie),
    } errors { 400 => BadRequest, 401 => Unauthorized, 413 => PayloadTooLarge,
        415 => UnsupportedMediaType, 422 => Disabled, 429 => TooManyRequests { retry },
        500 => InternalError, 503 => ServiceUnavailable { retry } }
    ValidatePasswordResponse {
        ValidatePasswordResponse::PasswordValid => Answer::empty(200),
    } errors { 400 => BadRequest, 413 => PayloadTooLarge, 415 => UnsupportedMediaType,
        500 => InternalError }
    ValidateTokenResponse {
        ValidateTokenResponse::TokenValid(body) => Answer::json(200, &body),
    } errors { 400 => BadRequest, 401 => Unauthorized, 500 => InternalError,
        503 => ServiceUnavailable { retry } }
    ChangePasswordResponse {
        ChangePasswordResponse::PasswordChanged => Answer::empty(200),
    } errors { 400 => BadRequest, 401 => Unauthorized, 413 => PayloadTooLarge,
        415 => UnsupportedMediaType, 503 => ServiceUnavailable { retry }, 500 => InternalError }
    ReportNotMeResponse {
        ReportNotMeResponse::Reported => Answer::empty(200),
    } errors { 400 => BadRequest, 401 => Unauthorized, 413 => PayloadTooLarge,
        415 => UnsupportedMediaType, 429 => TooManyRequests { retry }, 500 => InternalError,
        503 => ServiceUnavailable { retry } }
    GetMySessionsResponse {
        GetMySessionsResponse::Sessions(body) => Answer::json(200, &body),
    } errors { 401 => Unauthorized, 403 => Forbidden, 500 => InternalError,
        503 => ServiceUnavailable { retry } }
    EndMyOtherSessionsResponse {
        EndMyOtherSessionsResponse::Ended => Answer::empty(204),
    } errors { 401 => Unauthorized, 403 => Forbidden, 500 => InternalError,
        503 => ServiceUnavailable { retry } }
    EndMySessionResponse {
        EndMySessionResponse::Ended => Answer::empty(204),
    } errors { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 404 => NotFound,
        500 => InternalError, 503 => ServiceUnavailable { retry } }
    SendResetPasswordEmailResponse {
        SendResetPasswordEmailResponse::Accepted => Answer::empty(200),
    } errors { 400 => BadRequest, 404 => NotFound, 413 => PayloadTooLarge,
        415 => UnsupportedMediaType, 429 => TooManyRequests { retry }, 500 => InternalError,
        503 => ServiceUnavailable { retry } }
    GetMeResponse {
        GetMeResponse::Me(body) => Answer::json(200, &body),
    } errors { 401 => Unauthorized, 500 => InternalError, 503 => ServiceUnavailable { retry } }
    GetProfileResponse {
        GetProfileResponse::Profile(body) => Answer::json(200, &body),
    } errors { 401 => Unauthorized, 500 => InternalError, 503 => ServiceUnavailable { retry } }
    ChangeMyPasswordResponse {
        ChangeMyPasswordResponse::PasswordChanged => Answer::empty(200),
    } errors { 400 => BadRequest, 401 => Unauthorized, 413 => PayloadTooLarge,
        415 => UnsupportedMediaType, 429 => TooManyRequests { retry }, 500 => InternalError,
        503 => ServiceUnavailable { retry } }
    GetUsersResponse {
        GetUsersResponse::Users(body) => Answer::json(200, &body),
    } errors { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 500 => InternalError,
        503 => ServiceUnavailable { retry } }
    CreateUserResponse {
        CreateUserResponse::Created { body, location } =>
            Answer::json(201, &body).header(LOCATION, location),
    } errors { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 413 => PayloadTooLarge,
        415 => UnsupportedMediaType, 429 => TooManyRequests { retry }, 500 => InternalError,
        503 => ServiceUnavailable { retry } }
    GetUserResponse {
        GetUserResponse::User(body) => Answer::json(200, &body),
    } errors { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 404 => NotFound,
        500 => InternalError, 503 => ServiceUnavailable { retry } }
    DeleteUserResponse {
        DeleteUserResponse::Deleted => Answer::empty(200),
    } errors { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 404 => NotFound,
        500 => InternalError, 503 => ServiceUnavailable { retry } }
    ChangeUserPasswordResponse {
        ChangeUserPasswordResponse::PasswordChanged => Answer::empty(200),
    } errors { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 404 => NotFound,
        413 => PayloadTooLarge, 415 => UnsupportedMediaType, 503 => ServiceUnavailable { retry },
        500 => InternalError }
    ResetUserPasswordResponse {
        ResetUserPasswordResponse::ResetLink(body) => Answer::json(200, &body),
    } errors { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 404 => NotFound,
        413 => PayloadTooLarge, 415 => UnsupportedMediaType, 429 => TooManyRequests { retry },
        500 => InternalError, 503 => ServiceUnavailable { retry } }
    ValidateUserPasswordResponse {
        ValidateUserPasswordResponse::PasswordValid => Answer::empty(200),
    } errors { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 413 => PayloadTooLarge,
        415 => UnsupportedMediaType, 500 => InternalError, 503 => ServiceUnavailable { retry } }
}
