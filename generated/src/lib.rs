#![allow(missing_docs, trivial_casts, unused_variables, unused_mut, unused_imports, unused_extern_crates, unused_attributes, non_camel_case_types)]
#![allow(clippy::derive_partial_eq_without_eq, clippy::disallowed_names)]

use async_trait::async_trait;
use futures::Stream;
#[cfg(feature = "mock")]
use mockall::automock;
use std::error::Error;
use std::collections::BTreeSet;
use std::task::{Poll, Context};
use swagger::{ApiError, ContextWrapper, auth::Authorization};
use serde::{Serialize, Deserialize};

#[cfg(any(feature = "client", feature = "server"))]
type ServiceError = Box<dyn Error + Send + Sync + 'static>;

pub const BASE_PATH: &str = "";
pub const API_VERSION: &str = "0.1.0";

mod auth;
pub use auth::{AuthenticationApi, Claims};


#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum ChangePasswordResponse {
    /// The password was changed.
    PasswordChanged
    ,
    /// The request was invalid (schema, password policy or password history).
    BadRequest
    (models::ErrorSchema)
    ,
    /// The token is missing, unknown, expired or spent.
    Unauthorized
    (models::ErrorSchema)
    ,
    /// The request body is over 100 kB.
    PayloadTooLarge
    (models::ErrorSchema)
    ,
    /// The request body is not `application/json`.
    UnsupportedMediaType
    (models::ErrorSchema)
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum LoginResponse {
    /// Logged in; the session cookie is set.
    LoggedIn
    {
        body: models::UserSchema,
        set_cookie:
        Option<
        String
        >
    }
    ,
    /// The request was invalid (schema, password policy or password history).
    BadRequest
    (models::ErrorSchema)
    ,
    /// The username and password do not match.
    Unauthorized
    (models::ErrorSchema)
    ,
    /// Beside Unleash, password log-in is turned off in Unleash's settings (`unleash.auth.simple`, written by Unleash's admin UI when single sign-on is enforced), as Unleash answers it. 
    Disabled
    (models::ErrorSchema)
    ,
    /// The request body is over 100 kB.
    PayloadTooLarge
    (models::ErrorSchema)
    ,
    /// The request body is not `application/json`.
    UnsupportedMediaType
    (models::ErrorSchema)
    ,
    /// A rate limit or throttle was hit; `Retry-After` says when to try again.
    TooManyRequests
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum LogoutResponse {
    /// Logged out (not a browser navigation); the session cookie is cleared.
    LoggedOutNoContent
    {
        set_cookie:
        Option<
        String
        >
        ,
        clear_site_data:
        Option<
        String
        >
    }
    ,
    /// Logged out (a browser navigation, `Accept` includes `text/html`); the session cookie is cleared.
    LoggedOut
    {
        location:
        Option<
        String
        >
        ,
        set_cookie:
        Option<
        String
        >
        ,
        clear_site_data:
        Option<
        String
        >
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum ReportNotMeResponse {
    /// The account's sessions ended, its password is removed and a reset link is on its way.
    Reported
    ,
    /// The request was invalid (schema, password policy or password history).
    BadRequest
    (models::ErrorSchema)
    ,
    /// The token is missing, unknown, expired or spent.
    Unauthorized
    (models::ErrorSchema)
    ,
    /// The request body is over 100 kB.
    PayloadTooLarge
    (models::ErrorSchema)
    ,
    /// The request body is not `application/json`.
    UnsupportedMediaType
    (models::ErrorSchema)
    ,
    /// A rate limit or throttle was hit; `Retry-After` says when to try again.
    TooManyRequests
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum SendResetPasswordEmailResponse {
    /// Accepted.
    Accepted
    ,
    /// The request was invalid (schema, password policy or password history).
    BadRequest
    (models::ErrorSchema)
    ,
    /// No such user.
    NotFound
    (models::ErrorSchema)
    ,
    /// The request body is over 100 kB.
    PayloadTooLarge
    (models::ErrorSchema)
    ,
    /// The request body is not `application/json`.
    UnsupportedMediaType
    (models::ErrorSchema)
    ,
    /// A rate limit or throttle was hit; `Retry-After` says when to try again.
    TooManyRequests
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum ValidatePasswordResponse {
    /// The password meets the policy.
    PasswordValid
    ,
    /// The request was invalid (schema, password policy or password history).
    BadRequest
    (models::ErrorSchema)
    ,
    /// The request body is over 100 kB.
    PayloadTooLarge
    (models::ErrorSchema)
    ,
    /// The request body is not `application/json`.
    UnsupportedMediaType
    (models::ErrorSchema)
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum ValidateTokenResponse {
    /// The token is live.
    TokenValid
    (models::TokenUserSchema)
    ,
    /// The request was invalid (schema, password policy or password history).
    BadRequest
    (models::ErrorSchema)
    ,
    /// The token is missing, unknown, expired or spent.
    Unauthorized
    (models::ErrorSchema)
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum GetHealthResponse {
    /// The service is healthy.
    Healthy
    (models::HealthCheckSchema)
    ,
    /// The service cannot reach its database.
    Unhealthy
    (models::HealthCheckSchema)
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub enum GetHealthLiveResponse {
    /// The process answers.
    Live
    (models::HealthCheckSchema)
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum GetHealthReadyResponse {
    /// Ready to serve.
    Ready
    (models::ReadinessSchema)
    ,
    /// Not ready; the body says which check failed.
    NotReady
    (models::ReadinessSchema)
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum GetMetricsResponse {
    /// The metrics.
    Metrics
    (String)
    ,
    /// No valid session or API token (`AuthenticationRequired` or `UnauthorizedError`), or a wrong old password.
    Unauthorized
    (models::ErrorSchema)
    ,
    /// The caller lacks the ADMIN permission.
    Forbidden
    (models::ErrorSchema)
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub enum GetOpenApiJsonResponse {
    /// The OpenAPI document.
    Spec
    (serde_json::Value)
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub enum GetOpenApiSpecResponse {
    /// The OpenAPI document.
    Spec
    (swagger::ByteArray)
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum ChangeMyPasswordResponse {
    /// The password was changed.
    PasswordChanged
    ,
    /// The request was invalid (schema, password policy or password history).
    BadRequest
    (models::ErrorSchema)
    ,
    /// No valid session or API token (`AuthenticationRequired` or `UnauthorizedError`), or a wrong old password.
    Unauthorized
    (models::ErrorSchema)
    ,
    /// The request body is over 100 kB.
    PayloadTooLarge
    (models::ErrorSchema)
    ,
    /// The request body is not `application/json`.
    UnsupportedMediaType
    (models::ErrorSchema)
    ,
    /// A rate limit or throttle was hit; `Retry-After` says when to try again.
    TooManyRequests
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum CreateUserResponse {
    /// The user was created.
    Created
    {
        body: models::CreateUserResponseSchema,
        location:
        Option<
        String
        >
    }
    ,
    /// The request was invalid (schema, password policy or password history).
    BadRequest
    (models::ErrorSchema)
    ,
    /// No valid session or API token (`AuthenticationRequired` or `UnauthorizedError`), or a wrong old password.
    Unauthorized
    (models::ErrorSchema)
    ,
    /// The caller lacks the ADMIN permission.
    Forbidden
    (models::ErrorSchema)
    ,
    /// The request body is over 100 kB.
    PayloadTooLarge
    (models::ErrorSchema)
    ,
    /// The request body is not `application/json`.
    UnsupportedMediaType
    (models::ErrorSchema)
    ,
    /// A rate limit or throttle was hit; `Retry-After` says when to try again.
    TooManyRequests
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum EndMyOtherSessionsResponse {
    /// Every other session of the caller ended.
    Ended
    ,
    /// No valid session or API token (`AuthenticationRequired` or `UnauthorizedError`), or a wrong old password.
    Unauthorized
    (models::ErrorSchema)
    ,
    /// The caller used an API token, which has no session (`SessionRequiredError`), or a state change carrying the session cookie came from another site (`CrossSiteRequestError`). 
    Forbidden
    (models::ErrorSchema)
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum GetEventsResponse {
    /// One page of events.
    Events
    (models::EventsSchema)
    ,
    /// The request was invalid (schema, password policy or password history).
    BadRequest
    (models::ErrorSchema)
    ,
    /// No valid session or API token (`AuthenticationRequired` or `UnauthorizedError`), or a wrong old password.
    Unauthorized
    (models::ErrorSchema)
    ,
    /// The caller lacks the ADMIN permission.
    Forbidden
    (models::ErrorSchema)
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum GetMeResponse {
    /// The caller and its permissions.
    Me
    (models::MeSchema)
    ,
    /// No valid session or API token (`AuthenticationRequired` or `UnauthorizedError`), or a wrong old password.
    Unauthorized
    (models::ErrorSchema)
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum GetMySessionsResponse {
    /// The caller's sessions.
    Sessions
    (models::SessionsSchema)
    ,
    /// No valid session or API token (`AuthenticationRequired` or `UnauthorizedError`), or a wrong old password.
    Unauthorized
    (models::ErrorSchema)
    ,
    /// The caller used an API token, which has no session (`SessionRequiredError`), or a state change carrying the session cookie came from another site (`CrossSiteRequestError`). 
    Forbidden
    (models::ErrorSchema)
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum GetProfileResponse {
    /// The caller's profile.
    Profile
    (models::ProfileSchema)
    ,
    /// No valid session or API token (`AuthenticationRequired` or `UnauthorizedError`), or a wrong old password.
    Unauthorized
    (models::ErrorSchema)
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum GetUsersResponse {
    /// All users that are not deleted (or the page asked for), by id.
    Users
    (models::UsersSchema)
    ,
    /// The request was invalid (schema, password policy or password history).
    BadRequest
    (models::ErrorSchema)
    ,
    /// No valid session or API token (`AuthenticationRequired` or `UnauthorizedError`), or a wrong old password.
    Unauthorized
    (models::ErrorSchema)
    ,
    /// The caller lacks the ADMIN permission.
    Forbidden
    (models::ErrorSchema)
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum ResetUserPasswordResponse {
    /// The reset link.
    ResetLink
    (models::ResetPasswordSchema)
    ,
    /// The request was invalid (schema, password policy or password history).
    BadRequest
    (models::ErrorSchema)
    ,
    /// No valid session or API token (`AuthenticationRequired` or `UnauthorizedError`), or a wrong old password.
    Unauthorized
    (models::ErrorSchema)
    ,
    /// The caller lacks the ADMIN permission.
    Forbidden
    (models::ErrorSchema)
    ,
    /// No such user.
    NotFound
    (models::ErrorSchema)
    ,
    /// The request body is over 100 kB.
    PayloadTooLarge
    (models::ErrorSchema)
    ,
    /// The request body is not `application/json`.
    UnsupportedMediaType
    (models::ErrorSchema)
    ,
    /// A rate limit or throttle was hit; `Retry-After` says when to try again.
    TooManyRequests
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum ValidateUserPasswordResponse {
    /// The password meets the policy.
    PasswordValid
    ,
    /// The request was invalid (schema, password policy or password history).
    BadRequest
    (models::ErrorSchema)
    ,
    /// No valid session or API token (`AuthenticationRequired` or `UnauthorizedError`), or a wrong old password.
    Unauthorized
    (models::ErrorSchema)
    ,
    /// The caller lacks the ADMIN permission.
    Forbidden
    (models::ErrorSchema)
    ,
    /// The request body is over 100 kB.
    PayloadTooLarge
    (models::ErrorSchema)
    ,
    /// The request body is not `application/json`.
    UnsupportedMediaType
    (models::ErrorSchema)
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum ChangeUserPasswordResponse {
    /// The password was changed.
    PasswordChanged
    ,
    /// The request was invalid (schema, password policy or password history).
    BadRequest
    (models::ErrorSchema)
    ,
    /// No valid session or API token (`AuthenticationRequired` or `UnauthorizedError`), or a wrong old password.
    Unauthorized
    (models::ErrorSchema)
    ,
    /// The caller lacks the ADMIN permission.
    Forbidden
    (models::ErrorSchema)
    ,
    /// No such user.
    NotFound
    (models::ErrorSchema)
    ,
    /// The request body is over 100 kB.
    PayloadTooLarge
    (models::ErrorSchema)
    ,
    /// The request body is not `application/json`.
    UnsupportedMediaType
    (models::ErrorSchema)
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum DeleteUserResponse {
    /// The user was deleted.
    Deleted
    ,
    /// The request was invalid (schema, password policy or password history).
    BadRequest
    (models::ErrorSchema)
    ,
    /// No valid session or API token (`AuthenticationRequired` or `UnauthorizedError`), or a wrong old password.
    Unauthorized
    (models::ErrorSchema)
    ,
    /// The caller lacks the ADMIN permission.
    Forbidden
    (models::ErrorSchema)
    ,
    /// No such user.
    NotFound
    (models::ErrorSchema)
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum EndMySessionResponse {
    /// The session ended.
    Ended
    ,
    /// The request was invalid (schema, password policy or password history).
    BadRequest
    (models::ErrorSchema)
    ,
    /// No valid session or API token (`AuthenticationRequired` or `UnauthorizedError`), or a wrong old password.
    Unauthorized
    (models::ErrorSchema)
    ,
    /// The caller used an API token, which has no session (`SessionRequiredError`), or a state change carrying the session cookie came from another site (`CrossSiteRequestError`). 
    Forbidden
    (models::ErrorSchema)
    ,
    /// No such user.
    NotFound
    (models::ErrorSchema)
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum GetUserResponse {
    /// The user.
    User
    (models::UserSchema)
    ,
    /// The request was invalid (schema, password policy or password history).
    BadRequest
    (models::ErrorSchema)
    ,
    /// No valid session or API token (`AuthenticationRequired` or `UnauthorizedError`), or a wrong old password.
    Unauthorized
    (models::ErrorSchema)
    ,
    /// The caller lacks the ADMIN permission.
    Forbidden
    (models::ErrorSchema)
    ,
    /// No such user.
    NotFound
    (models::ErrorSchema)
    ,
    /// An unexpected failure inside the service.
    InternalError
    (models::ErrorSchema)
    ,
    /// The password-hashing queue is full, or the database cannot be reached right now; `Retry-After` says when to try again.
    ServiceUnavailable
    {
        body: models::ErrorSchema,
        retry_after:
        Option<
        i32
        >
    }
}

/// API
#[cfg_attr(feature = "mock", automock)]
#[async_trait]
#[allow(clippy::too_many_arguments, clippy::ptr_arg)]
pub trait Api<C: Send + Sync> {
    /// Set a new password with a reset or invite token
    async fn change_password(
        &self,
        change_password_schema: models::ChangePasswordSchema,
        context: &C) -> Result<ChangePasswordResponse, ApiError>;

    /// Log in with a username or e-mail and a password
    async fn login(
        &self,
        login_schema: models::LoginSchema,
        context: &C) -> Result<LoginResponse, ApiError>;

    /// Log out
    async fn logout(
        &self,
        context: &C) -> Result<LogoutResponse, ApiError>;

    /// \"This wasn't me\": take the account back after a password change
    async fn report_not_me(
        &self,
        not_me_schema: models::NotMeSchema,
        context: &C) -> Result<ReportNotMeResponse, ApiError>;

    /// Request a reset-password e-mail
    async fn send_reset_password_email(
        &self,
        email_schema: models::EmailSchema,
        context: &C) -> Result<SendResetPasswordEmailResponse, ApiError>;

    /// Check a password against the password policy
    async fn validate_password(
        &self,
        validate_password_schema: models::ValidatePasswordSchema,
        context: &C) -> Result<ValidatePasswordResponse, ApiError>;

    /// Check a reset or invite token
    async fn validate_token(
        &self,
        token: Option<String>,
        context: &C) -> Result<ValidateTokenResponse, ApiError>;

    /// Health check
    async fn get_health(
        &self,
        context: &C) -> Result<GetHealthResponse, ApiError>;

    /// Liveness, for an orchestrator
    async fn get_health_live(
        &self,
        context: &C) -> Result<GetHealthLiveResponse, ApiError>;

    /// Readiness, for an orchestrator or a load balancer
    async fn get_health_ready(
        &self,
        context: &C) -> Result<GetHealthReadyResponse, ApiError>;

    /// Prometheus metrics
    async fn get_metrics(
        &self,
        context: &C) -> Result<GetMetricsResponse, ApiError>;

    /// This contract, as JSON
    async fn get_open_api_json(
        &self,
        context: &C) -> Result<GetOpenApiJsonResponse, ApiError>;

    /// This contract
    async fn get_open_api_spec(
        &self,
        context: &C) -> Result<GetOpenApiSpecResponse, ApiError>;

    /// Change your own password
    async fn change_my_password(
        &self,
        password_schema: models::PasswordSchema,
        context: &C) -> Result<ChangeMyPasswordResponse, ApiError>;

    /// Create a user
    async fn create_user(
        &self,
        create_user_schema: models::CreateUserSchema,
        context: &C) -> Result<CreateUserResponse, ApiError>;

    /// End all your sessions but this one
    async fn end_my_other_sessions(
        &self,
        context: &C) -> Result<EndMyOtherSessionsResponse, ApiError>;

    /// The audit log, newest first
    async fn get_events(
        &self,
        limit: Option<u32>,
        offset: Option<u64>,
        context: &C) -> Result<GetEventsResponse, ApiError>;

    /// The logged-in user
    async fn get_me(
        &self,
        context: &C) -> Result<GetMeResponse, ApiError>;

    /// Your own live sessions
    async fn get_my_sessions(
        &self,
        context: &C) -> Result<GetMySessionsResponse, ApiError>;

    /// The logged-in user's profile
    async fn get_profile(
        &self,
        context: &C) -> Result<GetProfileResponse, ApiError>;

    /// List users
    async fn get_users(
        &self,
        limit: Option<u32>,
        offset: Option<u64>,
        context: &C) -> Result<GetUsersResponse, ApiError>;

    /// Create a reset link for a user
    async fn reset_user_password(
        &self,
        id_schema: models::IdSchema,
        context: &C) -> Result<ResetUserPasswordResponse, ApiError>;

    /// Check a password against the password policy
    async fn validate_user_password(
        &self,
        password_schema: models::PasswordSchema,
        context: &C) -> Result<ValidateUserPasswordResponse, ApiError>;

    /// Set a user's password
    async fn change_user_password(
        &self,
        id: u64,
        password_schema: models::PasswordSchema,
        context: &C) -> Result<ChangeUserPasswordResponse, ApiError>;

    /// Delete a user
    async fn delete_user(
        &self,
        id: u64,
        context: &C) -> Result<DeleteUserResponse, ApiError>;

    /// End one of your sessions
    async fn end_my_session(
        &self,
        id: String,
        context: &C) -> Result<EndMySessionResponse, ApiError>;

    /// Get a user
    async fn get_user(
        &self,
        id: u64,
        context: &C) -> Result<GetUserResponse, ApiError>;

}

/// API where `Context` isn't passed on every API call
#[cfg_attr(feature = "mock", automock)]
#[async_trait]
#[allow(clippy::too_many_arguments, clippy::ptr_arg)]
pub trait ApiNoContext<C: Send + Sync> {
    // The std::task::Context struct houses a reference to std::task::Waker with the lifetime <'a>.
    // Adding an anonymous lifetime `'a` to allow mockall to create a mock object with the right lifetimes.
    // This is needed because the compiler is unable to determine the lifetimes on F's trait bound
    // where F is the closure created by mockall. We use higher-rank trait bounds here to get around this.

    fn context(&self) -> &C;

    /// Set a new password with a reset or invite token
    async fn change_password(
        &self,
        change_password_schema: models::ChangePasswordSchema,
        ) -> Result<ChangePasswordResponse, ApiError>;

    /// Log in with a username or e-mail and a password
    async fn login(
        &self,
        login_schema: models::LoginSchema,
        ) -> Result<LoginResponse, ApiError>;

    /// Log out
    async fn logout(
        &self,
        ) -> Result<LogoutResponse, ApiError>;

    /// \"This wasn't me\": take the account back after a password change
    async fn report_not_me(
        &self,
        not_me_schema: models::NotMeSchema,
        ) -> Result<ReportNotMeResponse, ApiError>;

    /// Request a reset-password e-mail
    async fn send_reset_password_email(
        &self,
        email_schema: models::EmailSchema,
        ) -> Result<SendResetPasswordEmailResponse, ApiError>;

    /// Check a password against the password policy
    async fn validate_password(
        &self,
        validate_password_schema: models::ValidatePasswordSchema,
        ) -> Result<ValidatePasswordResponse, ApiError>;

    /// Check a reset or invite token
    async fn validate_token(
        &self,
        token: Option<String>,
        ) -> Result<ValidateTokenResponse, ApiError>;

    /// Health check
    async fn get_health(
        &self,
        ) -> Result<GetHealthResponse, ApiError>;

    /// Liveness, for an orchestrator
    async fn get_health_live(
        &self,
        ) -> Result<GetHealthLiveResponse, ApiError>;

    /// Readiness, for an orchestrator or a load balancer
    async fn get_health_ready(
        &self,
        ) -> Result<GetHealthReadyResponse, ApiError>;

    /// Prometheus metrics
    async fn get_metrics(
        &self,
        ) -> Result<GetMetricsResponse, ApiError>;

    /// This contract, as JSON
    async fn get_open_api_json(
        &self,
        ) -> Result<GetOpenApiJsonResponse, ApiError>;

    /// This contract
    async fn get_open_api_spec(
        &self,
        ) -> Result<GetOpenApiSpecResponse, ApiError>;

    /// Change your own password
    async fn change_my_password(
        &self,
        password_schema: models::PasswordSchema,
        ) -> Result<ChangeMyPasswordResponse, ApiError>;

    /// Create a user
    async fn create_user(
        &self,
        create_user_schema: models::CreateUserSchema,
        ) -> Result<CreateUserResponse, ApiError>;

    /// End all your sessions but this one
    async fn end_my_other_sessions(
        &self,
        ) -> Result<EndMyOtherSessionsResponse, ApiError>;

    /// The audit log, newest first
    async fn get_events(
        &self,
        limit: Option<u32>,
        offset: Option<u64>,
        ) -> Result<GetEventsResponse, ApiError>;

    /// The logged-in user
    async fn get_me(
        &self,
        ) -> Result<GetMeResponse, ApiError>;

    /// Your own live sessions
    async fn get_my_sessions(
        &self,
        ) -> Result<GetMySessionsResponse, ApiError>;

    /// The logged-in user's profile
    async fn get_profile(
        &self,
        ) -> Result<GetProfileResponse, ApiError>;

    /// List users
    async fn get_users(
        &self,
        limit: Option<u32>,
        offset: Option<u64>,
        ) -> Result<GetUsersResponse, ApiError>;

    /// Create a reset link for a user
    async fn reset_user_password(
        &self,
        id_schema: models::IdSchema,
        ) -> Result<ResetUserPasswordResponse, ApiError>;

    /// Check a password against the password policy
    async fn validate_user_password(
        &self,
        password_schema: models::PasswordSchema,
        ) -> Result<ValidateUserPasswordResponse, ApiError>;

    /// Set a user's password
    async fn change_user_password(
        &self,
        id: u64,
        password_schema: models::PasswordSchema,
        ) -> Result<ChangeUserPasswordResponse, ApiError>;

    /// Delete a user
    async fn delete_user(
        &self,
        id: u64,
        ) -> Result<DeleteUserResponse, ApiError>;

    /// End one of your sessions
    async fn end_my_session(
        &self,
        id: String,
        ) -> Result<EndMySessionResponse, ApiError>;

    /// Get a user
    async fn get_user(
        &self,
        id: u64,
        ) -> Result<GetUserResponse, ApiError>;

}

/// Trait to extend an API to make it easy to bind it to a context.
pub trait ContextWrapperExt<C: Send + Sync> where Self: Sized
{
    /// Binds this API to a context.
    fn with_context(self, context: C) -> ContextWrapper<Self, C>;
}

impl<T: Api<C> + Send + Sync, C: Clone + Send + Sync> ContextWrapperExt<C> for T {
    fn with_context(self: T, context: C) -> ContextWrapper<T, C> {
         ContextWrapper::<T, C>::new(self, context)
    }
}

#[async_trait]
impl<T: Api<C> + Send + Sync, C: Clone + Send + Sync> ApiNoContext<C> for ContextWrapper<T, C> {
    fn context(&self) -> &C {
        ContextWrapper::context(self)
    }

    /// Set a new password with a reset or invite token
    async fn change_password(
        &self,
        change_password_schema: models::ChangePasswordSchema,
        ) -> Result<ChangePasswordResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().change_password(change_password_schema, &context).await
    }

    /// Log in with a username or e-mail and a password
    async fn login(
        &self,
        login_schema: models::LoginSchema,
        ) -> Result<LoginResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().login(login_schema, &context).await
    }

    /// Log out
    async fn logout(
        &self,
        ) -> Result<LogoutResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().logout(&context).await
    }

    /// \"This wasn't me\": take the account back after a password change
    async fn report_not_me(
        &self,
        not_me_schema: models::NotMeSchema,
        ) -> Result<ReportNotMeResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().report_not_me(not_me_schema, &context).await
    }

    /// Request a reset-password e-mail
    async fn send_reset_password_email(
        &self,
        email_schema: models::EmailSchema,
        ) -> Result<SendResetPasswordEmailResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().send_reset_password_email(email_schema, &context).await
    }

    /// Check a password against the password policy
    async fn validate_password(
        &self,
        validate_password_schema: models::ValidatePasswordSchema,
        ) -> Result<ValidatePasswordResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().validate_password(validate_password_schema, &context).await
    }

    /// Check a reset or invite token
    async fn validate_token(
        &self,
        token: Option<String>,
        ) -> Result<ValidateTokenResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().validate_token(token, &context).await
    }

    /// Health check
    async fn get_health(
        &self,
        ) -> Result<GetHealthResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().get_health(&context).await
    }

    /// Liveness, for an orchestrator
    async fn get_health_live(
        &self,
        ) -> Result<GetHealthLiveResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().get_health_live(&context).await
    }

    /// Readiness, for an orchestrator or a load balancer
    async fn get_health_ready(
        &self,
        ) -> Result<GetHealthReadyResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().get_health_ready(&context).await
    }

    /// Prometheus metrics
    async fn get_metrics(
        &self,
        ) -> Result<GetMetricsResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().get_metrics(&context).await
    }

    /// This contract, as JSON
    async fn get_open_api_json(
        &self,
        ) -> Result<GetOpenApiJsonResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().get_open_api_json(&context).await
    }

    /// This contract
    async fn get_open_api_spec(
        &self,
        ) -> Result<GetOpenApiSpecResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().get_open_api_spec(&context).await
    }

    /// Change your own password
    async fn change_my_password(
        &self,
        password_schema: models::PasswordSchema,
        ) -> Result<ChangeMyPasswordResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().change_my_password(password_schema, &context).await
    }

    /// Create a user
    async fn create_user(
        &self,
        create_user_schema: models::CreateUserSchema,
        ) -> Result<CreateUserResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().create_user(create_user_schema, &context).await
    }

    /// End all your sessions but this one
    async fn end_my_other_sessions(
        &self,
        ) -> Result<EndMyOtherSessionsResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().end_my_other_sessions(&context).await
    }

    /// The audit log, newest first
    async fn get_events(
        &self,
        limit: Option<u32>,
        offset: Option<u64>,
        ) -> Result<GetEventsResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().get_events(limit, offset, &context).await
    }

    /// The logged-in user
    async fn get_me(
        &self,
        ) -> Result<GetMeResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().get_me(&context).await
    }

    /// Your own live sessions
    async fn get_my_sessions(
        &self,
        ) -> Result<GetMySessionsResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().get_my_sessions(&context).await
    }

    /// The logged-in user's profile
    async fn get_profile(
        &self,
        ) -> Result<GetProfileResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().get_profile(&context).await
    }

    /// List users
    async fn get_users(
        &self,
        limit: Option<u32>,
        offset: Option<u64>,
        ) -> Result<GetUsersResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().get_users(limit, offset, &context).await
    }

    /// Create a reset link for a user
    async fn reset_user_password(
        &self,
        id_schema: models::IdSchema,
        ) -> Result<ResetUserPasswordResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().reset_user_password(id_schema, &context).await
    }

    /// Check a password against the password policy
    async fn validate_user_password(
        &self,
        password_schema: models::PasswordSchema,
        ) -> Result<ValidateUserPasswordResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().validate_user_password(password_schema, &context).await
    }

    /// Set a user's password
    async fn change_user_password(
        &self,
        id: u64,
        password_schema: models::PasswordSchema,
        ) -> Result<ChangeUserPasswordResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().change_user_password(id, password_schema, &context).await
    }

    /// Delete a user
    async fn delete_user(
        &self,
        id: u64,
        ) -> Result<DeleteUserResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().delete_user(id, &context).await
    }

    /// End one of your sessions
    async fn end_my_session(
        &self,
        id: String,
        ) -> Result<EndMySessionResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().end_my_session(id, &context).await
    }

    /// Get a user
    async fn get_user(
        &self,
        id: u64,
        ) -> Result<GetUserResponse, ApiError>
    {
        let context = self.context().clone();
        self.api().get_user(id, &context).await
    }

}


#[cfg(feature = "client")]
pub mod client;

// Re-export Client as a top-level name
#[cfg(feature = "client")]
pub use client::Client;

#[cfg(feature = "server")]
pub mod server;

// Re-export router() as a top-level name
#[cfg(feature = "server")]
pub use self::server::Service;

#[cfg(feature = "server")]
pub mod context;

pub mod models;

#[cfg(any(feature = "client", feature = "server"))]
pub(crate) mod header;
