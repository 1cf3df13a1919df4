//! Who calls: a logged-in user, a user's personal token or an admin API token, as the domain
//! sees it once the edge has resolved the credential (the edge's `auth` reads cookies and
//! headers; nothing here knows of them).

use crate::base::types::{ActorId, RootRole, UserId};
use crate::store::{SecretKey, User};

/// Who created a self-service reset token.
pub const SYSTEM_USER: &str = "unleash_system_user";

/// What a stored credential stands for.
#[derive(Debug, Clone)]
pub enum Credential {
    AdminToken { name: String },
    User(User),
}

/// How Unleash names an admin token given at start-up (`INIT_ADMIN_API_TOKENS`): its events say
/// `created_by = 'admin'`.
pub const CONFIGURED_ADMIN_TOKEN_NAME: &str = "admin";

#[derive(Debug, Clone)]
pub enum Caller {
    /// A logged-in user and the key of the session it came with.
    User { user: User, session: SecretKey },
    /// A user calling with one of its personal access tokens (beside Unleash).
    UserToken { user: User },
    /// A request with an admin API token (configured, or Unleash's beside Unleash), and the
    /// token's name.
    AdminToken { name: String },
}

impl Caller {
    pub fn is_admin(&self) -> bool {
        match self {
            Caller::User { user, .. } | Caller::UserToken { user } => {
                user.root_role == RootRole::Admin
            }
            Caller::AdminToken { .. } => true,
        }
    }

    /// How tokens created by this caller name their creator (`createdBy`): as Unleash does, an
    /// admin API token is `admin`.
    pub fn token_creator(&self) -> String {
        match self {
            Caller::User { .. } | Caller::UserToken { .. } => self.display_name(),
            Caller::AdminToken { .. } => CONFIGURED_ADMIN_TOKEN_NAME.to_string(),
        }
    }

    /// The calling user's id, when a user calls.
    pub fn user_id(&self) -> Option<UserId> {
        match self {
            Caller::User { user, .. } | Caller::UserToken { user } => Some(user.id),
            Caller::AdminToken { .. } => None,
        }
    }

    /// Who acts, as Unleash's event log records the caller (`created_by`, `created_by_user_id`):
    /// a user by e-mail, else username (`extractUsername`) and its id; an admin token by its name,
    /// as Unleash's admin token user (-42).
    pub fn actor(&self) -> (String, ActorId) {
        match self {
            Caller::User { user, .. } | Caller::UserToken { user } => (
                user.email
                    .as_ref()
                    .map(|e| e.as_str().to_string())
                    .or_else(|| user.username.clone())
                    .unwrap_or_else(|| SYSTEM_USER.to_string()),
                ActorId::User(user.id),
            ),
            Caller::AdminToken { name } => (name.clone(), ActorId::AdminToken),
        }
    }

    /// How the audit log names this caller.
    pub fn display_name(&self) -> String {
        match self {
            Caller::User { user, .. } | Caller::UserToken { user } => user
                .username
                .clone()
                .or_else(|| user.email.as_ref().map(|e| e.as_str().to_string()))
                .unwrap_or_else(|| format!("user {}", user.id)),
            Caller::AdminToken { name } => name.clone(),
        }
    }
}
