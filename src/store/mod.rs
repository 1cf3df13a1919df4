//! The storage boundary. Everything Unlatch keeps goes through [`Store`]: a narrow, async interface
//! of whole operations (each one transaction where it changes several rows), so that a Postgres
//! backend can be added beside [`sqlite::SqliteStore`] without touching the handlers.

pub mod sqlite;

use async_trait::async_trait;

use crate::domain::{RootRole, TokenKind};

/// Milliseconds since the Unix epoch (UTC): the one time representation of the store.
pub type Millis = i64;

/// A SHA-256 digest of a secret (session id or token); secrets themselves are never stored.
pub type Digest = [u8; 32];

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("already exists")]
    Conflict,
    #[error("database error: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A bcrypt hash. Its `Debug` is redacted so it can never reach a log line.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(pub String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(..)")
    }
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub email: Option<String>,
    pub username: Option<String>,
    pub name: Option<String>,
    pub password_hash: Option<PasswordHash>,
    pub root_role: RootRole,
    pub login_attempts: i64,
    pub created_at: Millis,
    pub seen_at: Option<Millis>,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    /// Lower-case.
    pub email: Option<String>,
    pub username: Option<String>,
    pub name: Option<String>,
    pub password_hash: Option<PasswordHash>,
    pub root_role: RootRole,
    pub created_at: Millis,
}

#[derive(Debug, Clone)]
pub struct NewToken {
    pub digest: Digest,
    pub kind: TokenKind,
    pub created_by: String,
    pub created_at: Millis,
    pub expires_at: Millis,
}

#[derive(Debug, Clone)]
pub struct TokenRecord {
    pub kind: TokenKind,
    pub created_by: String,
    pub created_at: Millis,
    pub expires_at: Millis,
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub digest: Digest,
    pub user_id: i64,
    pub created_at: Millis,
    pub expires_at: Millis,
}

/// Which sessions survive a password change.
#[derive(Debug, Clone, Copy)]
pub enum SessionsAfterChange {
    EndAll,
    KeepOnly(Digest),
}

#[derive(Debug, Clone)]
pub struct PasswordChange {
    pub user_id: i64,
    pub new_hash: PasswordHash,
    pub now: Millis,
    pub sessions: SessionsAfterChange,
    /// Redeem this token in the same transaction; the change happens only if it is still live.
    pub redeem: Option<Digest>,
    /// How many hashes the history keeps (the current one included).
    pub history_len: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeOutcome {
    Changed,
    /// The token to redeem was spent, expired or unknown (e.g. a concurrent redemption won).
    TokenNotLive,
    UserGone,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// A trivial query: is the database answering?
    async fn ping(&self) -> StoreResult<()>;

    async fn count_users(&self) -> StoreResult<i64>;
    /// A live user by e-mail (case-insensitively) when `login` contains `@`, else by exact username.
    async fn find_user_by_login(&self, login: &str) -> StoreResult<Option<User>>;
    async fn find_user_by_email(&self, email: &str) -> StoreResult<Option<User>>;
    async fn find_user(&self, id: i64) -> StoreResult<Option<User>>;
    async fn list_users(&self) -> StoreResult<Vec<User>>;
    /// Creates the user (its password, if any, enters the history) and, in the same transaction,
    /// its invite token. [`StoreError::Conflict`] when the e-mail or username is taken.
    async fn create_user(&self, user: NewUser, invite: Option<NewToken>) -> StoreResult<User>;
    /// Soft-deletes the user (freeing its e-mail and username) and ends its sessions and tokens.
    async fn delete_user(&self, id: i64, now: Millis) -> StoreResult<bool>;
    /// Records a successful login: `seen_at = now`. Answers the previous `seen_at`.
    async fn record_login(&self, user_id: i64, now: Millis) -> StoreResult<Option<Millis>>;

    /// Stores a session, then drops the user's oldest sessions beyond `max_per_user`.
    async fn create_session(&self, session: NewSession, max_per_user: usize) -> StoreResult<()>;
    /// The live user behind a live session.
    async fn session_user(&self, digest: Digest, now: Millis) -> StoreResult<Option<User>>;
    async fn delete_session(&self, digest: Digest) -> StoreResult<()>;

    /// Stores a token for the user, expiring every older live token of that user.
    async fn create_token(&self, user_id: i64, token: NewToken) -> StoreResult<()>;
    /// A live (unused, unexpired) token and its live user.
    async fn find_live_token(
        &self,
        digest: Digest,
        now: Millis,
    ) -> StoreResult<Option<(TokenRecord, User)>>;
    /// When the user's newest token of this kind was created.
    async fn last_token_created(
        &self,
        user_id: i64,
        kind: TokenKind,
    ) -> StoreResult<Option<Millis>>;

    /// The user's remembered password hashes, newest first (the current one included).
    async fn password_history(&self, user_id: i64) -> StoreResult<Vec<PasswordHash>>;
    /// Sets a new password in one transaction: redeems the token (if any), stores the hash,
    /// extends the history, expires all the user's tokens and ends sessions as asked.
    async fn change_password(&self, change: PasswordChange) -> StoreResult<ChangeOutcome>;
}
