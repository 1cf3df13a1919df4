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

/// A rendered e-mail, ready for the outbox. `Debug` is redacted: the parts carry links.
#[derive(Clone)]
pub struct OutgoingMail {
    /// Sent as `Idempotency-Key`, so a relay can drop a repeat after a crash.
    pub key: String,
    pub template: String,
    pub recipient: String,
    pub subject: String,
    pub html: String,
    pub text: String,
}

impl std::fmt::Debug for OutgoingMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutgoingMail")
            .field("key", &self.key)
            .field("template", &self.template)
            .finish_non_exhaustive()
    }
}

/// A mail the outbox worker claimed for one delivery attempt.
#[derive(Debug, Clone)]
pub struct QueuedMail {
    pub id: i64,
    pub attempts: i64,
    pub mail: OutgoingMail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailState {
    Pending,
    Sent,
    Dead,
}

/// What the outbox shows an operator (never the bodies).
#[derive(Debug, Clone)]
pub struct OutboxEntry {
    pub id: i64,
    pub template: String,
    pub recipient: String,
    pub state: MailState,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: Millis,
    pub next_attempt_at: Millis,
}

/// An audit event as recorded. Never carries a secret.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub kind: String,
    pub actor: String,
    pub subject: Option<String>,
    pub ip: Option<String>,
    pub created_at: Millis,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub id: i64,
    pub kind: String,
    pub actor: String,
    pub subject: Option<String>,
    pub ip: Option<String>,
    pub created_at: Millis,
}

/// A token to store, with the mail that carries it, in one transaction.
#[derive(Debug, Clone)]
pub struct IssueToken {
    /// `None`: nobody has that address. The same statements run and are rolled back, so an
    /// unknown address costs the database what a known one does.
    pub user_id: Option<i64>,
    pub token: NewToken,
    pub mail: Option<OutgoingMail>,
    /// Refuse when the user's newest token of this kind is younger than this.
    pub throttle_ms: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueOutcome {
    Issued,
    Throttled { retry_after_ms: i64 },
    NoUser,
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
    /// The "password changed" notice, queued in the same transaction.
    pub notify: Option<OutgoingMail>,
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
    /// its invite token and welcome mail. [`StoreError::Conflict`] when the e-mail or username is
    /// taken.
    async fn create_user(
        &self,
        user: NewUser,
        invite: Option<NewToken>,
        welcome: Option<OutgoingMail>,
    ) -> StoreResult<User>;
    /// Soft-deletes the user (freeing its e-mail and username) and ends its sessions and tokens.
    async fn delete_user(&self, id: i64, now: Millis) -> StoreResult<bool>;
    /// Records a successful login: `seen_at = now`. Answers the previous `seen_at`.
    async fn record_login(&self, user_id: i64, now: Millis) -> StoreResult<Option<Millis>>;

    /// Stores a session, then drops the user's oldest sessions beyond `max_per_user`.
    async fn create_session(&self, session: NewSession, max_per_user: usize) -> StoreResult<()>;
    /// The live user behind a live session.
    async fn session_user(&self, digest: Digest, now: Millis) -> StoreResult<Option<User>>;
    async fn delete_session(&self, digest: Digest) -> StoreResult<()>;

    /// Stores a token (expiring every older live token of the user) and its mail, in one
    /// transaction, unless the throttle refuses.
    async fn issue_token(&self, issue: IssueToken) -> StoreResult<IssueOutcome>;
    /// A live (unused, unexpired) token and its live user.
    async fn find_live_token(
        &self,
        digest: Digest,
        now: Millis,
    ) -> StoreResult<Option<(TokenRecord, User)>>;
    /// The user's remembered password hashes, newest first (the current one included).
    async fn password_history(&self, user_id: i64) -> StoreResult<Vec<PasswordHash>>;
    /// Sets a new password in one transaction: redeems the token (if any), stores the hash,
    /// extends the history, expires all the user's tokens and ends sessions as asked.
    async fn change_password(&self, change: PasswordChange) -> StoreResult<ChangeOutcome>;

    /// Claims up to `limit` due mails for one attempt each: they are not due again for `lease_ms`,
    /// so no other worker sends them meanwhile.
    async fn claim_due_mail(
        &self,
        now: Millis,
        limit: usize,
        lease_ms: i64,
    ) -> StoreResult<Vec<QueuedMail>>;
    /// Delivered: never sent again; the bodies (which carry links) are erased.
    async fn mail_sent(&self, id: i64, now: Millis) -> StoreResult<()>;
    /// Failed for now: try again at `next_attempt_at`.
    async fn mail_retry(&self, id: i64, next_attempt_at: Millis, error: &str) -> StoreResult<()>;
    /// Failed for good: kept, with the last error, for an operator to see; bodies erased.
    async fn mail_dead(&self, id: i64, error: &str) -> StoreResult<()>;
    /// How many mails are pending and how many are dead.
    async fn outbox_counts(&self) -> StoreResult<(i64, i64)>;
    /// The outbox, newest first, without bodies.
    async fn outbox(&self, limit: usize) -> StoreResult<Vec<OutboxEntry>>;

    async fn record_event(&self, event: NewEvent) -> StoreResult<()>;
    /// A page of events, newest first, and how many there are in all.
    async fn events(&self, limit: usize, offset: u64) -> StoreResult<(Vec<Event>, i64)>;
}
