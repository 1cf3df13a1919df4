//! Every error Unlatch can answer, and its one mapping to the contract's status, `name`, `message`
//! and `details` (CONTRACT §1). Handlers and the HTTP front both return [`AppError`]; nothing else
//! decides what an error looks like on the wire. What the account rules refuse arrives here as an
//! [`AccountError`] and is mapped once, below (`impl From<AccountError> for AppError`): its fields
//! become `/body/<property>` paths, its throttles `Retry-After` seconds, and its causes a line in
//! the log, never the body.

use std::time::Duration;

use unlatch_api::models::{ErrorDetailSchema, ErrorSchema};

use crate::base::causes::with_causes;
use crate::domain::accounts::{AccountError, Field, PasswordCheck, Problem, Throttle};
use crate::domain::password_policy::PolicyError;

/// The validation message of CONTRACT §1 (BadDataError from schema validation).
pub const BAD_DATA_MESSAGE: &str = "Request validation failed: your request body or params contain invalid data. Refer to the `details` list for more information.";

const AUTH_REQUIRED_MESSAGE: &str = "You must log in to use Unleash. Your request had no authorization header, so we could not authorize you. Try logging in at /auth/simple/login";
const LOGIN_PATH: &str = "/auth/simple/login";
/// The refusal of a cross-site state change (`front::cross_site`).
const CROSS_SITE_MESSAGE: &str = "This request would change something with your Unleash session, but it was sent by another site, so it was refused. Do it from Unleash itself; a script should call the API with an API token and without the session cookie.";

/// One entry of `details` in a BadDataError.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Where, e.g. `/body/password`.
    pub path: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("unsupported content type")]
    ContentType { provided: Option<String> },
    #[error("request body too large")]
    PayloadTooLarge { limit_bytes: usize },
    #[error("request body too slow")]
    RequestTimeout,
    /// A request that does not fit the contract: schema validation, malformed JSON, or a rule the
    /// handler checks (e.g. "You must specify username or email").
    #[error("bad data: {message}")]
    BadData {
        message: String,
        details: Vec<FieldError>,
    },
    #[error("authentication required")]
    AuthenticationRequired,
    #[error("unauthorized")]
    Unauthorized,
    #[error("admin permission required")]
    PermissionDenied,
    /// A state-changing call that carries the session cookie but comes from another site (its
    /// `Origin` or `Sec-Fetch-Site` says so): refused by the front before anything runs.
    #[error("cross-site request refused")]
    CrossSite,
    /// A call about the caller's own sessions made with an API token, which has none.
    #[error("a session is required")]
    SessionRequired,
    #[error("not found: {0}")]
    NotFound(String),
    #[error("method not allowed")]
    MethodNotAllowed {
        method: String,
        allowed: Vec<String>,
    },
    #[error("password undefined")]
    PasswordUndefined,
    /// Every failed rule of the password policy, in order (never empty).
    #[error("password fails the policy")]
    PasswordPolicy(Vec<&'static str>),
    #[error("password previously used")]
    PasswordPreviouslyUsed,
    /// Which check failed: the two have different messages.
    #[error("password mismatch")]
    PasswordMismatch(PasswordCheck),
    #[error("invalid token")]
    InvalidToken,
    /// Beside Unleash: password log-in is turned off in Unleash's settings.
    #[error("password log-in is disabled")]
    PasswordLoginDisabled,
    /// A rate limit or throttle; `message` says which.
    #[error("rate limited")]
    RateLimited {
        message: &'static str,
        retry_after_secs: u64,
    },
    /// The password-hashing queue is full.
    #[error("overloaded")]
    Overloaded { retry_after_secs: u64 },
    /// The database cannot be reached right now; nothing was changed.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Anything unexpected. The cause is logged (it never carries a secret), never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The per-user reset throttle of CONTRACT §1.
pub const RESET_THROTTLE_MESSAGE: &str =
    "You can only send one new reset password email per minute, per user. Please try again later.";
/// The per-account throttle on failed password checks.
pub const ACCOUNT_THROTTLE_MESSAGE: &str =
    "Too many failed attempts for this account. Please try again later.";
/// How long a client waits before trying again when the database is unavailable.
const UNAVAILABLE_RETRY_SECS: u64 = 2;

/// The per-IP rate limits.
pub const RATE_LIMIT_MESSAGE: &str = "Too many requests, please try again later.";

impl AppError {
    pub fn bad_data(details: Vec<FieldError>) -> Self {
        AppError::BadData {
            message: BAD_DATA_MESSAGE.to_string(),
            details,
        }
    }

    /// A BadDataError whose message is the rule itself (e.g. "User already exists").
    pub fn bad_request(message: impl Into<String>) -> Self {
        AppError::BadData {
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// The 404 for a path no operation (or page) answers.
    pub fn path_not_found(path: &str) -> Self {
        AppError::NotFound(format!(
            "The path you were looking for ({path}) is not available."
        ))
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        AppError::Internal(cause.to_string())
    }

    /// Logs a 5xx with its cause (once: where the error becomes an answer). The request's span
    /// carries its id and operation.
    pub fn log_if_server_error(&self) {
        match self {
            AppError::Internal(cause) => tracing::error!(%cause, "request failed"),
            AppError::Unavailable(cause) => {
                tracing::warn!(%cause, "request refused: the database is unavailable")
            }
            AppError::Overloaded { .. } => {
                tracing::warn!("request shed: the password hashing pool is full")
            }
            _ => {}
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::ContentType { .. } => 415,
            AppError::PayloadTooLarge { .. } => 413,
            AppError::RequestTimeout => 408,
            AppError::BadData { .. }
            | AppError::PasswordUndefined
            | AppError::PasswordPolicy(_)
            | AppError::PasswordPreviouslyUsed => 400,
            AppError::AuthenticationRequired
            | AppError::Unauthorized
            | AppError::PasswordMismatch(_)
            | AppError::InvalidToken => 401,
            AppError::PermissionDenied | AppError::CrossSite | AppError::SessionRequired => 403,
            AppError::PasswordLoginDisabled => 422,
            AppError::NotFound(_) => 404,
            AppError::MethodNotAllowed { .. } => 405,
            AppError::RateLimited { .. } => 429,
            AppError::Internal(_) => 500,
            AppError::Overloaded { .. } | AppError::Unavailable(_) => 503,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            AppError::ContentType { .. } => "ContentTypeError",
            AppError::PayloadTooLarge { .. } => "ContentTooLarge",
            AppError::RequestTimeout => "RequestTimeoutError",
            AppError::BadData { .. } => "BadDataError",
            AppError::AuthenticationRequired => "AuthenticationRequired",
            AppError::Unauthorized => "UnauthorizedError",
            AppError::PermissionDenied => "PermissionError",
            AppError::CrossSite => "CrossSiteRequestError",
            AppError::SessionRequired => "SessionRequiredError",
            AppError::NotFound(_) => "NotFoundError",
            AppError::MethodNotAllowed { .. } => "MethodNotAllowedError",
            AppError::PasswordUndefined => "PasswordUndefinedError",
            AppError::PasswordPolicy(_) => "OwaspValidationError",
            AppError::PasswordPreviouslyUsed => "PasswordPreviouslyUsedError",
            AppError::PasswordMismatch(_) => "PasswordMismatch",
            AppError::InvalidToken => "InvalidTokenError",
            AppError::PasswordLoginDisabled => "DisabledError",
            AppError::RateLimited { .. } => "RateLimitError",
            AppError::Overloaded { .. } | AppError::Unavailable(_) => "ServiceUnavailableError",
            AppError::Internal(_) => "InternalError",
        }
    }

    pub fn message(&self) -> String {
        match self {
            AppError::ContentType { provided } => format!(
                "We do not accept the content-type you provided ({}). Try using one of the content-types we do accept instead (application/json) and make sure the body is in the corresponding format.",
                provided.as_deref().unwrap_or("you didn't provide one")
            ),
            AppError::PayloadTooLarge { limit_bytes } => format!(
                "You provided more data than we can handle. Unlatch accepts at most {} kB.",
                limit_bytes / 1024
            ),
            AppError::RequestTimeout => {
                "The request body did not arrive in time. Please send it again.".to_string()
            }
            AppError::BadData { message, .. } => message.clone(),
            AppError::AuthenticationRequired => AUTH_REQUIRED_MESSAGE.to_string(),
            AppError::Unauthorized => "You must log in to use Unleash.".to_string(),
            AppError::PermissionDenied => "You don't have the required permissions to perform this operation. To perform this action, you need the \"ADMIN\" permission.".to_string(),
            AppError::CrossSite => CROSS_SITE_MESSAGE.to_string(),
            AppError::SessionRequired => AccountError::NoSession.to_string(),
            AppError::NotFound(message) => message.clone(),
            AppError::MethodNotAllowed { method, allowed } => format!(
                "The method {method} is not allowed here. Allowed: {}.",
                allowed.join(", ")
            ),
            AppError::PasswordUndefined => "Password cannot be empty or undefined".to_string(),
            AppError::PasswordPolicy(rules) => rules.first().copied().unwrap_or_default().to_string(),
            AppError::PasswordPreviouslyUsed => {
                "You've previously used this password. Please use a new password.".to_string()
            }
            AppError::PasswordMismatch(PasswordCheck::Login) => "The combination of password and username you provided is invalid. If you have forgotten your password, visit /forgotten-password or get in touch with your instance administrator.".to_string(),
            AppError::PasswordMismatch(PasswordCheck::OldPassword) => "The old password you provided is invalid. If you have forgotten your password, visit /forgotten-password or get in touch with your instance administrator.".to_string(),
            AppError::InvalidToken => "Token was not valid".to_string(),
            AppError::PasswordLoginDisabled => {
                "Logging in with username/password has been disabled.".to_string()
            }
            AppError::RateLimited { message, .. } => (*message).to_string(),
            AppError::Overloaded { .. } => {
                "Unlatch is busy checking passwords. Please try again in a moment.".to_string()
            }
            AppError::Unavailable(_) => {
                "The database cannot be reached right now. Please try again in a moment.".to_string()
            }
            AppError::Internal(_) => {
                "Something went wrong on our side. The error was logged; please try again.".to_string()
            }
        }
    }

    /// Seconds for a `Retry-After` header, for the errors that carry one.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::RateLimited {
                retry_after_secs, ..
            }
            | AppError::Overloaded { retry_after_secs } => Some(*retry_after_secs),
            AppError::Unavailable(_) => Some(UNAVAILABLE_RETRY_SECS),
            _ => None,
        }
    }

    /// The JSON body of CONTRACT §1. `id` is a fresh UUID v4 on every error.
    pub fn body(&self) -> ErrorSchema {
        let message = self.message();
        let details = match self {
            AppError::BadData { details, .. } if !details.is_empty() => details
                .iter()
                .map(|d| ErrorDetailSchema {
                    message: d.message.clone(),
                    path: Some(d.path.clone()),
                    validation_errors: None,
                })
                .collect(),
            AppError::PasswordUndefined => vec![ErrorDetailSchema {
                message: message.clone(),
                path: None,
                validation_errors: Some(Vec::new()),
            }],
            AppError::PasswordPolicy(rules) => vec![ErrorDetailSchema {
                message: message.clone(),
                path: None,
                validation_errors: Some(rules.iter().map(|r| r.to_string()).collect()),
            }],
            _ => vec![ErrorDetailSchema {
                message: message.clone(),
                path: None,
                validation_errors: None,
            }],
        };
        let mut body = ErrorSchema::new(self.name().to_string(), message);
        body.id = Some(uuid::Uuid::new_v4().to_string());
        body.details = Some(details);
        match self {
            AppError::AuthenticationRequired => {
                body.path = Some(LOGIN_PATH.to_string());
                body.r#type = Some("password".to_string());
                body.default_hidden = Some(false);
            }
            AppError::PermissionDenied => body.permissions = Some(vec!["ADMIN".to_string()]),
            _ => {}
        }
        body
    }
}

/// What the account rules refused, as the contract answers it. The cause of an internal or
/// unavailable one is kept for the log (`respond`, `front::error_response`), never sent.
impl From<AccountError> for AppError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::InvalidToken => AppError::InvalidToken,
            AccountError::PasswordLoginDisabled => AppError::PasswordLoginDisabled,
            AccountError::PasswordMismatch(check) => AppError::PasswordMismatch(check),
            AccountError::Policy(PolicyError::Undefined) => AppError::PasswordUndefined,
            AccountError::Policy(PolicyError::Weak(rules)) => AppError::PasswordPolicy(rules),
            AccountError::PreviouslyUsed => AppError::PasswordPreviouslyUsed,
            // The rule's own message is Unleash's (CONTRACT §1).
            AccountError::UserNotFound | AccountError::SessionNotFound => {
                AppError::NotFound(e.to_string())
            }
            AccountError::UserExists
            | AccountError::NoUsernameOrEmail
            | AccountError::NotLoggedIn => AppError::bad_request(e.to_string()),
            AccountError::NoSession => AppError::SessionRequired,
            AccountError::BadInput { field, problem } => {
                AppError::bad_data(vec![field_error(field, problem)])
            }
            AccountError::Throttled {
                throttle,
                retry_after,
            } => AppError::RateLimited {
                message: match throttle {
                    Throttle::ResetLink => RESET_THROTTLE_MESSAGE,
                    Throttle::FailedChecks => ACCOUNT_THROTTLE_MESSAGE,
                },
                retry_after_secs: whole_seconds(retry_after),
            },
            AccountError::Overloaded { retry_after } => AppError::Overloaded {
                retry_after_secs: whole_seconds(retry_after),
            },
            AccountError::StoreUnavailable(_) => AppError::Unavailable(with_causes(&e)),
            AccountError::Internal(_) => AppError::Internal(with_causes(&e)),
        }
    }
}

/// A field of the account rules as the body of a request carries it.
fn wire_property(field: Field) -> &'static str {
    match field {
        Field::Email => "email",
        Field::Username => "username",
        Field::Name => "name",
        Field::RootRole => "rootRole",
        Field::Password => "password",
        Field::ConfirmPassword => "confirmPassword",
        Field::OldPassword => "oldPassword",
    }
}

/// The `details` entry of a refused field, worded as schema validation words its own.
fn field_error(field: Field, problem: Problem) -> FieldError {
    let path = format!("/body/{}", wire_property(field));
    let message = match problem {
        Problem::Missing => {
            format!("The `{path}` property is required. It was not present on the data you sent.")
        }
        Problem::ContainsNul => {
            format!("The `{path}` property must not contain a NUL character.")
        }
        Problem::NotAnEmail => format!("The `{path}` property must be a valid e-mail address."),
        Problem::UnknownRole => format!(
            "The `{path}` property must be 1 (Admin), 2 (Editor), 3 (Viewer) or one of those names."
        ),
        Problem::DiffersFrom(other) => format!(
            "The `{path}` property must be the same as `/body/{}`.",
            wire_property(other)
        ),
    };
    FieldError { path, message }
}

/// `Retry-After` counts whole seconds, at least one.
fn whole_seconds(wait: Duration) -> u64 {
    wait.as_millis()
        .div_ceil(1000)
        .try_into()
        .unwrap_or(u64::MAX)
        .max(1)
}

/// Turns an [`AppError`] into the variant of a generated response enum that the operation declares
/// for that status in `openapi.yaml`. A status the operation does not declare is a spec bug: it is
/// logged and answered as a 500. Implemented for every response enum by the one table of
/// statuses and variants in `dispatch.rs`, which also turns each variant back into its status.
pub trait FromAppError: Sized {
    fn from_app_error(e: AppError) -> Result<Self, swagger::ApiError>;
}

/// Ends a handler: success as is, an [`AppError`] as the operation's declared error variant.
pub fn respond<R: FromAppError>(result: Result<R, AppError>) -> Result<R, swagger::ApiError> {
    match result {
        Ok(response) => Ok(response),
        Err(e) => {
            e.log_if_server_error();
            R::from_app_error(e)
        }
    }
}
