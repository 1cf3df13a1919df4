//! Who is calling: the `unleash-session` cookie or an admin API token in `Authorization`
//! (raw `*:*.secret` or `Bearer *:*.secret`), resolved the way Unleash does it (CONTRACT §1).

use std::sync::Arc;

use hyper::header::{AUTHORIZATION, COOKIE};
use hyper::HeaderMap;
use subtle::ConstantTimeEq;

use crate::accounts::Accounts;
use crate::domain::RootRole;
use crate::errors::AppError;
use crate::store::{Digest, User};

pub const SESSION_COOKIE: &str = "unleash-session";

#[derive(Debug, Clone)]
pub enum Caller {
    /// A logged-in user and the digest of the session it came with.
    User { user: User, session: Digest },
    /// A request with a configured admin API token.
    AdminToken,
}

impl Caller {
    pub fn is_admin(&self) -> bool {
        match self {
            Caller::User { user, .. } => user.root_role == RootRole::Admin,
            Caller::AdminToken => true,
        }
    }

    /// How tokens created by this caller name their creator (`createdBy`): as Unleash does, an
    /// admin API token is `admin`.
    pub fn token_creator(&self) -> String {
        match self {
            Caller::User { .. } => self.display_name(),
            Caller::AdminToken => "admin".to_string(),
        }
    }

    /// How the audit log names this caller.
    pub fn display_name(&self) -> String {
        match self {
            Caller::User { user, .. } => user
                .username
                .clone()
                .or_else(|| user.email.as_ref().map(|e| e.as_str().to_string()))
                .unwrap_or_else(|| format!("user {}", user.id)),
            Caller::AdminToken => "admin-api-token".to_string(),
        }
    }
}

pub struct Authenticator {
    admin_tokens: Vec<Vec<u8>>,
    accounts: Arc<Accounts>,
}

impl Authenticator {
    /// `admin_tokens`: the `INIT_ADMIN_API_TOKENS` list (each raw or `Bearer `-prefixed).
    pub fn new(admin_tokens: &[String], accounts: Arc<Accounts>) -> Self {
        let admin_tokens = admin_tokens
            .iter()
            .map(|t| strip_bearer(t.trim()).as_bytes().to_vec())
            .filter(|t| !t.is_empty())
            .collect();
        Authenticator {
            admin_tokens,
            accounts,
        }
    }

    /// The caller, if any credentials are valid; otherwise the 401 that fits: UnauthorizedError
    /// when an Authorization header was sent, AuthenticationRequired when nothing was.
    pub async fn require(&self, headers: &HeaderMap) -> Result<Caller, AppError> {
        let header = headers.get(AUTHORIZATION);
        if let Some(value) = header {
            if self.is_admin_token(value.as_bytes()) {
                return Ok(Caller::AdminToken);
            }
        }
        if let Some(cookie) = session_cookie(headers) {
            let digest = crate::secrets::digest(&cookie);
            let user = self.accounts.session_user(digest).await?;
            if let Some(user) = user {
                return Ok(Caller::User {
                    user,
                    session: digest,
                });
            }
        }
        Err(if header.is_some() {
            AppError::Unauthorized
        } else {
            AppError::AuthenticationRequired
        })
    }

    fn is_admin_token(&self, presented: &[u8]) -> bool {
        let presented = std::str::from_utf8(presented)
            .map(|s| strip_bearer(s.trim()).as_bytes())
            .unwrap_or(presented);
        // Every configured token is compared, in constant time, so timing tells nothing.
        self.admin_tokens.iter().fold(false, |found, token| {
            found | bool::from(token.as_slice().ct_eq(presented))
        })
    }
}

fn strip_bearer(value: &str) -> &str {
    match value.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("bearer ") => value[7..].trim_start(),
        _ => value,
    }
}

/// The value of the `unleash-session` cookie, if the request carries one.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE && !c.value().is_empty())
        .map(|c| c.value().to_string())
}
