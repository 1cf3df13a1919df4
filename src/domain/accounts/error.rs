//! What the account rules refuse ([`AccountError`]) and the parts of a refusal the edge shows:
//! the field, the problem, the throttle. How each looks on the wire is the edge's
//! (`http/errors.rs`).

use std::time::Duration;

use crate::domain::hashing::HashError;
use crate::domain::password_policy::PolicyError;
use crate::domain::secrets::RandomError;
use crate::mail::templates::RenderError;
use crate::store::{Millis, StoreError};

/// Why an account operation did not happen: what the account rules decided, or the failure of
/// the infrastructure under them (kept as the source, for the log). The edge (`http/errors.rs`)
/// decides how each looks on the wire; the operator's CLI prints it as it is.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The token is missing, unknown, expired or spent.
    #[error("the token is not valid (missing, unknown, expired or already used)")]
    InvalidToken,
    #[error("{0}")]
    PasswordMismatch(PasswordCheck),
    /// Beside Unleash, password log-in is turned off in Unleash's settings (its admin UI does so
    /// when single sign-on is enforced).
    #[error("password log-in is disabled")]
    PasswordLoginDisabled,
    /// The new password fails the policy (every failed rule, in order), or is empty.
    #[error("the password is refused: {0}")]
    Policy(#[from] PolicyError),
    /// The new password is one of the user's last [`PASSWORD_HISTORY`] passwords.
    #[error("the password was used before; choose a new one")]
    PreviouslyUsed,
    /// Also the contract's message (CONTRACT §1).
    #[error("No user found")]
    UserNotFound,
    /// Its e-mail address or username belongs to a live user (Unleash's message).
    #[error("User already exists")]
    UserExists,
    /// A new user needs one of the two (Unleash's message).
    #[error("You must specify username or email")]
    NoUsernameOrEmail,
    /// A change of one's own password needs a logged-in user, not a token.
    #[error("Only a logged-in user can change their own password; use the admin call for others.")]
    NotLoggedIn,
    /// A user's own sessions are listed and ended with the session cookie, not with a token.
    #[error("Only a logged-in user (with the session cookie) can list or end their own sessions; an API token has none.")]
    NoSession,
    /// None of the caller's live sessions has this id (another user's is none of them).
    #[error("No session found")]
    SessionNotFound,
    #[error("the {field} {problem}")]
    BadInput { field: Field, problem: Problem },
    #[error("{throttle}; try again in {retry_after:?}")]
    Throttled {
        throttle: Throttle,
        retry_after: Duration,
    },
    /// The password-hashing pool is full.
    #[error("password hashing is overloaded; try again in {retry_after:?}")]
    Overloaded { retry_after: Duration },
    /// The database cannot be reached right now; nothing was changed.
    #[error(transparent)]
    StoreUnavailable(StoreError),
    /// Anything unexpected.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Which password check failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordCheck {
    /// The log-in's: unknown name, no password, or a wrong one.
    Login,
    /// The old password of a self-service change.
    OldPassword,
}

/// A field of what a caller asks of the account rules, by its domain name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Email,
    Username,
    Name,
    RootRole,
    Password,
    ConfirmPassword,
    OldPassword,
}

/// What is wrong with a [`Field`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Missing,
    ContainsNul,
    NotAnEmail,
    UnknownRole,
    DiffersFrom(Field),
}

/// Which throttle refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttle {
    /// One reset link per user per [`RESET_THROTTLE_MS`].
    ResetLink,
    /// The per-account budget of failed password checks.
    FailedChecks,
}

impl std::fmt::Display for PasswordCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PasswordCheck::Login => "the log-in name and password do not match",
            PasswordCheck::OldPassword => "the old password is wrong",
        })
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Field::Email => "e-mail address",
            Field::Username => "username",
            Field::Name => "name",
            Field::RootRole => "root role",
            Field::Password => "password",
            Field::ConfirmPassword => "password confirmation",
            Field::OldPassword => "old password",
        })
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Missing => f.write_str("is missing"),
            Problem::ContainsNul => f.write_str("contains a NUL character"),
            Problem::NotAnEmail => f.write_str("is not valid"),
            Problem::UnknownRole => f.write_str("must be Admin, Editor or Viewer (or 1, 2, 3)"),
            Problem::DiffersFrom(other) => write!(f, "differs from the {other}"),
        }
    }
}

impl std::fmt::Display for Throttle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Throttle::ResetLink => "a reset link was made for this user less than a minute ago",
            Throttle::FailedChecks => "too many failed password checks for this account",
        })
    }
}

impl AccountError {
    pub(super) fn bad_input(field: Field, problem: Problem) -> Self {
        AccountError::BadInput { field, problem }
    }

    pub(super) fn throttled(throttle: Throttle, retry_after_ms: Millis) -> Self {
        AccountError::Throttled {
            throttle,
            retry_after: Duration::from_millis(u64::try_from(retry_after_ms).unwrap_or(0)),
        }
    }

    pub(super) fn internal(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        AccountError::Internal(cause.into())
    }
}

impl From<StoreError> for AccountError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(_) => AccountError::StoreUnavailable(e),
            other => AccountError::internal(other),
        }
    }
}

impl From<HashError> for AccountError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Overloaded { retry_after } => AccountError::Overloaded { retry_after },
            other => AccountError::internal(other),
        }
    }
}

impl From<RandomError> for AccountError {
    fn from(e: RandomError) -> Self {
        AccountError::internal(e)
    }
}

impl From<crate::domain::devices::DeviceError> for AccountError {
    fn from(e: crate::domain::devices::DeviceError) -> Self {
        AccountError::internal(e)
    }
}

impl From<RenderError> for AccountError {
    fn from(e: RenderError) -> Self {
        AccountError::internal(e)
    }
}
