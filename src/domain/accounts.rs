//! What the password endpoints do (CONTRACT §3–§5), in the contract's order of checks, on top of
//! the store, the bcrypt pool and the clock. Every rule about users, tokens, sessions, history and
//! throttles is written here once, as units of work over the store's plain operations
//! (`store/mod.rs`), so it holds the same on every backend. Each change and its audit event (and
//! its mail) are written in one transaction. What the rules refuse is an [`AccountError`]; how
//! that looks on the wire is decided at the edge (`http/errors.rs`), and handlers in
//! `http/api.rs` only translate to and from the generated types.
//!
//! Each entry point has its span (`#[instrument(level = "debug", skip_all)]`, with the user id
//! where known): at `LOG_LEVEL=debug` the lines written inside carry it as well as the request
//! span's request id and operation; at `info` only the request span is made (one span per request,
//! BENCHMARKS.md, issue 13).

use std::sync::Arc;
use std::time::Duration;

use crate::base::clock::Clock;
use crate::base::types::{
    normalise, ActorId, Email, EventKind, LoginName, Lookup, PublicUrl, RootRole, Secret,
    TokenKind, UserId, Username,
};
use crate::domain::caller::{Caller, SYSTEM_USER};
use crate::domain::hashing::{HashError, Hasher};
use crate::domain::password_policy::{self, PolicyError};
use crate::domain::secrets::{self, RandomError};
use crate::domain::throttle::{self, FailureBudget};
use crate::mail::templates::{RenderError, Template};
use crate::mail::{Mailer, Recipient};
use crate::store::{
    Event, Finish, Millis, NewEvent, NewNotMeToken, NewSession, NewToken, NewUser, OutgoingMail,
    PasswordHash, SchemaVersion, SecretKey, SessionClient, SessionRecord, Store, StoreError,
    StoreResult, StoredCredential, TokenRecord, Tx, User,
};

/// Why an account operation did not happen: what the account rules decided, or the failure of
/// the infrastructure under them (kept as the source, for the log). The edge (`http/errors.rs`) decides
/// how each looks on the wire; the operator's CLI prints it as it is.
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

impl std::fmt::Display for PasswordCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PasswordCheck::Login => "the log-in name and password do not match",
            PasswordCheck::OldPassword => "the old password is wrong",
        })
    }
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

/// What is wrong with a [`Field`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Missing,
    ContainsNul,
    NotAnEmail,
    UnknownRole,
    DiffersFrom(Field),
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

/// Which throttle refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttle {
    /// One reset link per user per [`RESET_THROTTLE_MS`].
    ResetLink,
    /// The per-account budget of failed password checks.
    FailedChecks,
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
    fn bad_input(field: Field, problem: Problem) -> Self {
        AccountError::BadInput { field, problem }
    }

    fn throttled(throttle: Throttle, retry_after_ms: Millis) -> Self {
        AccountError::Throttled {
            throttle,
            retry_after: Duration::from_millis(u64::try_from(retry_after_ms).unwrap_or(0)),
        }
    }

    fn internal(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
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

pub const PASSWORD_HISTORY: usize = 5;
pub const TOKEN_TTL_MS: i64 = 24 * 3600 * 1000;
/// One reset link per user per minute.
pub const RESET_THROTTLE_MS: i64 = 60 * 1000;
/// The least time `POST /auth/reset/password-email` takes to answer, whatever the address: far
/// above the work's own time (about 1 ms), so that known, unknown and throttled addresses cannot be
/// told apart by timing (BENCHMARKS.md).
pub const RESET_EMAIL_FLOOR: std::time::Duration = std::time::Duration::from_millis(10);
/// The actor of what nobody logged in did, in the audit log.
pub const ANONYMOUS: &str = "anonymous";
/// The longest user agent a session keeps (browsers send about 150 characters).
pub const USER_AGENT_MAX_CHARS: usize = 512;
/// Why the events of a "this wasn't me" link's steps happened (their `data.reason`).
const TAKEOVER_REASON: &str = "takeover-reported";
/// The id the unknown-address run of the reset e-mail writes its token for (no user has it; the
/// run is rolled back).
const NOBODY: UserId = UserId(0);

pub struct AccountsConfig {
    /// `UNLEASH_URL`: the mailed and handed-out links point under it.
    pub public_url: PublicUrl,
    pub session_ttl_ms: i64,
    /// `MAX_PARALLEL_SESSIONS`: the sessions a user may have at once.
    pub max_sessions: usize,
    /// `NOT_ME_LINK_TTL_HOURS`: how long a "this wasn't me" link works.
    pub not_me_ttl_ms: i64,
    pub reveal_accounts: bool,
    pub failure_budget: FailureBudget,
    /// The password policy, blocklist included.
    pub policy: Arc<password_policy::PasswordPolicy>,
    /// Signs the proofs of devices that logged in (`devices`).
    pub device_key: crate::domain::devices::DeviceKey,
    /// Unleash's flag `UNLEASH_EXPERIMENTAL_SHOW_USER_DEVICE_COUNT`: the user list shows each
    /// user's number of live sessions (`activeSessions`).
    pub show_user_device_count: bool,
}

/// A user as the admin user list shows one.
#[derive(Debug, Clone)]
pub struct ListedUser {
    pub user: User,
    /// How many live sessions the user has, when the list shows it (0 for none, as Unleash).
    pub active_sessions: Option<i64>,
}

pub struct Accounts {
    store: Arc<dyn Store>,
    hasher: Arc<Hasher>,
    mailer: Arc<Mailer>,
    clock: Clock,
    config: AccountsConfig,
}

/// Who asked for a change and from where, for the audit log.
#[derive(Debug, Clone)]
pub struct Origin {
    /// As Unleash's event log names the actor (`created_by`).
    pub actor: String,
    /// As Unleash's event log identifies the actor (`created_by_user_id`).
    pub actor_id: ActorId,
    pub ip: Option<String>,
    /// The client's `User-Agent`, as sent (a log-in keeps it, bounded, with its session).
    pub user_agent: Option<String>,
}

impl Origin {
    /// The operator's command line.
    pub fn cli() -> Self {
        Origin {
            actor: "unlatch-cli".to_string(),
            actor_id: ActorId::System,
            ip: None,
            user_agent: None,
        }
    }

    /// What a new session keeps of this client: its address, and its user agent cut to
    /// [`USER_AGENT_MAX_CHARS`].
    fn session_client(&self) -> SessionClient {
        SessionClient {
            user_agent: self
                .user_agent
                .as_deref()
                .map(|agent| {
                    agent
                        .replace('\0', "")
                        .chars()
                        .take(USER_AGENT_MAX_CHARS)
                        .collect()
                })
                .filter(|agent: &String| !agent.trim().is_empty()),
            ip: self.ip.clone(),
        }
    }

    /// An event Unleash 8.2.0 also writes for the same call, with its `data` and `preData`:
    /// beside Unleash it goes to Unleash's event log too.
    fn shared_event(
        &self,
        kind: EventKind,
        subject: Option<String>,
        at: Millis,
        data: Option<serde_json::Value>,
        pre_data: Option<serde_json::Value>,
    ) -> NewEvent {
        NewEvent {
            data,
            pre_data,
            shared: true,
            ..self.event(kind, subject, at)
        }
    }

    fn event(&self, kind: EventKind, subject: Option<String>, at: Millis) -> NewEvent {
        self.event_by(self.actor.clone(), kind, subject, at)
    }

    fn event_by(
        &self,
        actor: String,
        kind: EventKind,
        subject: Option<String>,
        at: Millis,
    ) -> NewEvent {
        // The audit log keeps what was typed, but no NUL character (PostgreSQL cannot store one).
        let printable = |text: String| {
            if text.contains('\0') {
                text.replace('\0', "\u{FFFD}")
            } else {
                text
            }
        };
        NewEvent {
            kind: kind.as_str().to_string(),
            actor: printable(actor),
            subject: subject.map(printable),
            actor_id: Some(self.actor_id.unleash_id()),
            ip: self.ip.clone(),
            created_at: at,
            data: None,
            pre_data: None,
            shared: false,
        }
    }
}

/// A successful login: the user (with `seen_at` as it was before this login) and its new
/// session's id, for the caller's cookie, valid until `expires_at`.
pub struct LoginOutcome {
    pub user: User,
    pub session: secrets::NewSecret,
    pub expires_at: Millis,
    /// A fresh proof of this device (`devices`), for the caller to keep.
    pub device: Secret,
}

pub struct CreatedUser {
    pub user: User,
    /// The link carries the invite token.
    pub invite_link: Secret,
    pub email_sent: bool,
}

/// One of a user's own live sessions, as the user sees it.
#[derive(Debug, Clone)]
pub struct SessionView {
    /// Not the session's secret: derived from its digest ([`session_id`]).
    pub id: String,
    pub created_at: Millis,
    pub client: SessionClient,
    /// The session of the request that asked.
    pub current: bool,
}

/// The public id of a session: the first 16 bytes of a SHA-256 over the stored digest of its
/// secret, in hex. Neither the secret nor what the database stores; the same on every backend.
pub fn session_id(key: &SecretKey) -> String {
    use sha2::Digest as _;
    let mut hasher = sha2::Sha256::new();
    hasher.update(b"unlatch session id\0");
    hasher.update(key.digest());
    hasher.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The caller's user and session, when it calls with the session cookie.
fn own_session(caller: &Caller) -> Result<(&User, &SecretKey), AccountError> {
    match caller {
        Caller::User { user, session } => Ok((user, session)),
        Caller::UserToken { .. } | Caller::AdminToken { .. } => Err(AccountError::NoSession),
    }
}

/// The user's sessions that are live at `now`.
fn live_sessions(tx: &mut dyn Tx, user: UserId, now: Millis) -> StoreResult<Vec<SessionRecord>> {
    Ok(tx
        .sessions_of(user)?
        .into_iter()
        .filter(|s| s.expires_at > now)
        .collect())
}

/// What a new user is made of, as the admin sent it.
pub struct CreateUserRequest {
    pub email: Option<String>,
    pub username: Option<String>,
    pub name: Option<String>,
    pub password: Option<Secret>,
    /// `None`: the role sent is none of the three.
    pub root_role: Option<RootRole>,
    pub send_email: bool,
}

/// Which sessions survive a password change.
#[derive(Debug, Clone)]
enum SessionsAfterChange {
    EndAll,
    KeepOnly(SecretKey),
}

/// How a password change ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChangeOutcome {
    Changed,
    /// The token to redeem was spent, expired or unknown (e.g. a concurrent redemption won).
    TokenNotLive,
    UserGone,
}

/// How a token request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IssueOutcome {
    Issued,
    Throttled { retry_after_ms: i64 },
    NoUser,
}

/// Is password log-in turned off (beside Unleash, by Unleash's own setting)? Read fresh in each
/// transaction that needs it, so that turning it on or off in Unleash's UI takes effect at once.
/// `disabled` counts as Unleash's JavaScript reads it (`if (settings?.disabled)`): any truthy value.
fn password_login_disabled(tx: &mut dyn Tx) -> StoreResult<bool> {
    use serde_json::Value;
    let setting = tx.password_login_setting()?;
    Ok(match setting.as_ref().and_then(|s| s.get("disabled")) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n != 0.0 && !n.is_nan()),
        Some(Value::String(text)) => !text.is_empty(),
        Some(Value::Array(_) | Value::Object(_)) => true,
    })
}

/// An empty string counts as absent, as in Unleash.
fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// How the audit log names a user.
pub fn label(user: &User) -> String {
    user.email
        .as_ref()
        .map(|e| e.as_str().to_string())
        .or_else(|| user.username.clone())
        .unwrap_or_else(|| format!("user {}", user.id))
}

/// A user as Unleash's events carry one (`mapUserToData`): its id, its name, username and e-mail
/// where it has them, and its root role's id.
pub fn user_data(user: &User) -> serde_json::Value {
    let mut fields = user.identity();
    fields.insert("rootRole".into(), user.root_role.id().into());
    serde_json::Value::Object(fields)
}

/// A token live at `now`: unused and unexpired.
fn is_live(token: &TokenRecord, now: Millis) -> bool {
    token.used_at.is_none() && token.expires_at > now
}

/// Stores a token for `user`; a newer token expires every older live token of the user.
fn store_token(tx: &mut dyn Tx, user: UserId, token: &NewToken) -> StoreResult<()> {
    tx.expire_tokens_of(user, token.created_at)?;
    tx.insert_token(user, token)
}

/// Keeps the newest `keep` entries of the user's password history, the current one included.
fn trim_history(tx: &mut dyn Tx, user: UserId, keep: usize) -> StoreResult<()> {
    let old: Vec<PasswordHash> = tx
        .password_history(user)?
        .into_iter()
        .skip(keep)
        .map(|e| e.hash)
        .collect();
    if old.is_empty() {
        Ok(())
    } else {
        tx.delete_password_history(user, &old)
    }
}

/// Adds a session and drops the user's expired ones and the oldest beyond the cap.
fn open_session(tx: &mut dyn Tx, session: &NewSession, cap: usize) -> StoreResult<()> {
    tx.insert_session(session)?;
    let sessions = tx.sessions_of(session.user_id)?;
    let (live, expired): (Vec<_>, Vec<_>) = sessions
        .into_iter()
        .partition(|s| s.expires_at > session.created_at);
    let mut ended: Vec<SecretKey> = expired.into_iter().map(|s| s.key).collect();
    // Oldest first: everything before the newest `cap` goes.
    let surplus = live.len().saturating_sub(cap);
    ended.extend(live.into_iter().take(surplus).map(|s| s.key));
    if ended.is_empty() {
        Ok(())
    } else {
        tx.delete_sessions(&ended)
    }
}

/// Everything a password change does, in one transaction (CONTRACT §3, §4).
struct PasswordChange {
    user: UserId,
    hash: PasswordHash,
    now: Millis,
    sessions: SessionsAfterChange,
    redeem: Option<SecretKey>,
    notice: Option<OutgoingMail>,
    /// The token of the notice's "this wasn't me" link.
    not_me: Option<NewNotMeToken>,
    event: NewEvent,
}

fn change_password(tx: &mut dyn Tx, change: PasswordChange) -> StoreResult<Finish<ChangeOutcome>> {
    if !tx.lock_user(change.user)? {
        return Ok(Finish::Rollback(ChangeOutcome::UserGone));
    }
    if let Some(key) = &change.redeem {
        // Of concurrent redemptions of one token exactly one finds it unused.
        if !tx.use_token(key, change.user, change.now)? {
            return Ok(Finish::Rollback(ChangeOutcome::TokenNotLive));
        }
    }
    if !tx.set_password_hash(change.user, &change.hash)? {
        return Ok(Finish::Rollback(ChangeOutcome::UserGone));
    }
    tx.add_password_history(change.user, &change.hash, change.now)?;
    trim_history(tx, change.user, PASSWORD_HISTORY)?;
    // Any password change expires every live token of the user.
    tx.expire_tokens_of(change.user, change.now)?;
    match change.sessions {
        SessionsAfterChange::EndAll => tx.delete_sessions_of(change.user, None)?,
        SessionsAfterChange::KeepOnly(keep) => tx.delete_sessions_of(change.user, Some(&keep))?,
    }
    // Not voided by the change: every link mailed about a change works once.
    if let Some(token) = &change.not_me {
        tx.insert_not_me_token(change.user, token)?;
    }
    if let Some(mail) = &change.notice {
        tx.enqueue_mail(mail, change.now)?;
    }
    tx.insert_event(&change.event)?;
    Ok(Finish::Commit(ChangeOutcome::Changed))
}

impl Accounts {
    pub fn new(
        store: Arc<dyn Store>,
        hasher: Arc<Hasher>,
        mailer: Arc<Mailer>,
        clock: Clock,
        config: AccountsConfig,
    ) -> Self {
        Accounts {
            store,
            hasher,
            mailer,
            clock,
            config,
        }
    }

    /// The "password changed" notice for a user with an address, with its "this wasn't me" link
    /// and that link's token.
    fn changed_notice(
        &self,
        user: &User,
    ) -> Result<Option<(OutgoingMail, NewNotMeToken)>, AccountError> {
        let Some(email) = user.email.as_ref() else {
            return Ok(None);
        };
        let secret = secrets::generate()?;
        let now = self.clock.now_ms();
        let token = NewNotMeToken {
            digest: secret.digest,
            created_at: now,
            expires_at: now.saturating_add(self.config.not_me_ttl_ms),
        };
        let link = Secret::new(
            self.config
                .public_url
                .join(&format!("/not-me?token={}", secret.value)),
        );
        let mail = self.mailer.compose(
            Template::PasswordChanged,
            &Recipient {
                email: email.as_str(),
                name: display_name(user),
            },
            Some(&link),
        )?;
        Ok(Some((mail, token)))
    }

    fn new_token(
        &self,
        kind: TokenKind,
        created_by: &str,
    ) -> Result<(Secret, NewToken), RandomError> {
        let secret = secrets::generate()?;
        let now = self.clock.now_ms();
        Ok((
            Secret::new(secret.value),
            NewToken {
                digest: secret.digest,
                kind,
                created_by: created_by.to_string(),
                created_at: now,
                expires_at: now + TOKEN_TTL_MS,
            },
        ))
    }

    /// Whether the database answers a trivial query (`/health`).
    pub async fn database_answers(&self) -> Result<(), AccountError> {
        Ok(self.store.ping().await?)
    }

    /// The database's schema version as it is now, beside this binary's (`/health/ready`).
    pub async fn schema_version(&self) -> Result<SchemaVersion, AccountError> {
        Ok(self.store.schema_version().await?)
    }

    /// A page of the audit log, newest first, and the number of events in all.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn events(
        &self,
        limit: usize,
        offset: u64,
    ) -> Result<(Vec<Event>, i64), AccountError> {
        Ok(self.store.events(limit, offset).await?)
    }

    /// Mail waiting to be sent, and mail given up on (for the metrics).
    pub async fn outbox_counts(&self) -> Result<(i64, i64), AccountError> {
        Ok(self.store.outbox_counts().await?)
    }

    /// Teaches the hasher the cost of the stored hashes (the commonest among the first users),
    /// so that unknown names cost what known ones do from the first log-in on, whatever
    /// `BCRYPT_COST` says (see [`Hasher::learn_cost`]).
    pub async fn learn_stored_hash_cost(&self) -> Result<(), AccountError> {
        let users = self.store.read(|tx| tx.users_page(0, 0, 100)).await?;
        let hashes: Vec<PasswordHash> = users.into_iter().filter_map(|u| u.password_hash).collect();
        let same_cost = |hash: &PasswordHash| {
            let cost = crate::domain::hashing::cost_of(hash);
            hashes
                .iter()
                .filter(|h| crate::domain::hashing::cost_of(h) == cost)
                .count()
        };
        if let Some(hash) = hashes.iter().max_by_key(|h| same_cost(h)) {
            self.hasher.learn_cost(hash);
        }
        Ok(())
    }

    /// Password hashes running or waiting right now.
    pub fn hash_queue_depth(&self) -> usize {
        self.hasher.queue_depth()
    }

    pub fn now_ms(&self) -> Millis {
        self.clock.now_ms()
    }

    /// The link of a token, to the UI's page that redeems it (a part of the mail it is sent in).
    fn link(&self, kind: TokenKind, token: &Secret) -> Secret {
        let page = match kind {
            TokenKind::Reset => "reset-password",
            TokenKind::Invite => "new-user",
        };
        Secret::new(
            self.config
                .public_url
                .join(&format!("/{page}?token={}", token.expose())),
        )
    }

    fn check_policy(&self, password: &Secret) -> Result<(), PolicyError> {
        self.config.policy.check(password.expose())
    }

    /// What a credential presented in `Authorization` stands for, when the store keeps it (beside
    /// Unleash: its admin API tokens, and personal access tokens of live users).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn credential(
        &self,
        key: SecretKey,
    ) -> Result<Option<crate::domain::caller::Credential>, AccountError> {
        let now = self.clock.now_ms();
        Ok(self
            .store
            .read(move |tx| {
                Ok(match tx.credential(&key, now)? {
                    Some(StoredCredential::AdminToken { name }) => {
                        Some(crate::domain::caller::Credential::AdminToken { name })
                    }
                    Some(StoredCredential::User(id)) => {
                        tx.user(id)?.map(crate::domain::caller::Credential::User)
                    }
                    None => None,
                })
            })
            .await?)
    }

    /// The live user behind a live session (for the authenticator).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn session_user(&self, key: SecretKey) -> Result<Option<User>, AccountError> {
        let now = self.clock.now_ms();
        let found = self.store.read(move |tx| tx.session(&key)).await?;
        Ok(found
            .filter(|(session, _)| session.expires_at > now)
            .map(|(_, user)| user))
    }

    /// `POST /auth/simple/login`. Unknown user, no password and wrong password are one answer,
    /// and cost the same bcrypt time. The attempt takes its place in the failure budget before
    /// bcrypt runs: the account's, or, from a device that proves it logged in to this account
    /// before (`device`, see `devices`), that device's own.
    #[tracing::instrument(level = "debug", skip_all, fields(user = tracing::field::Empty))]
    pub async fn login(
        &self,
        name: &LoginName,
        password: Secret,
        device: Option<&str>,
        origin: &Origin,
    ) -> Result<LoginOutcome, AccountError> {
        let lookup = name.lookup().cloned();
        let normalised = name.normalised();
        let key = throttle::key("login", &normalised);
        let unknown_key = throttle::unknown_name_key("login", &key);
        let budget = self.config.failure_budget;
        let now = self.clock.now_ms();
        let device = device.and_then(|proof| self.config.device_key.verify(proof, now));
        let checked = self
            .store
            .write(move |tx| {
                // As Unleash: the setting first, before anything is looked up or counted.
                if password_login_disabled(tx)? {
                    return Ok(Finish::Rollback(None));
                }
                let user = match &lookup {
                    Some(Lookup::Email(email)) => tx.user_by_email(email)?,
                    Some(Lookup::Username(username)) => tx.user_by_username(username)?,
                    None => None,
                };
                let budget_key = match (&user, device) {
                    (Some(u), Some(device)) if device.user == u.id => device.budget_key,
                    (Some(_), _) => key,
                    (None, _) => unknown_key,
                };
                let reserved = budget.reserve(tx, &budget_key, now)?;
                Ok(Finish::Commit(Some((reserved, user, budget_key))))
            })
            .await?;
        let Some((reserved, user, budget_key)) = checked else {
            return Err(AccountError::PasswordLoginDisabled);
        };
        // A refused attempt is audited (in its own transaction: nothing changed): against an
        // account, as typed; for a name that matches none, only counted (see `refused_unknown`).
        let known = user.is_some();
        let typed = name.typed();
        let refused = |at| async move {
            if known {
                let event = origin.event_by(
                    typed.to_string(),
                    EventKind::LoginFailed,
                    Some(typed.to_string()),
                    at,
                );
                self.record(event).await
            } else {
                self.refused_unknown(at).await
            }
        };
        if let Err(wait_ms) = reserved {
            refused(now).await?;
            return Err(AccountError::throttled(Throttle::FailedChecks, wait_ms));
        }
        let hash = user.as_ref().and_then(|u| u.password_hash.clone());
        let matched = self.hasher.verify(password, hash).await?;
        let now = self.clock.now_ms();
        let Some(mut user) = user.filter(|_| matched) else {
            refused(now).await?;
            return Err(AccountError::PasswordMismatch(PasswordCheck::Login));
        };
        tracing::Span::current().record("user", user.id.0);
        let session = secrets::generate()?;
        let expires_at = now + self.config.session_ttl_ms;
        let new_session = NewSession {
            key: SecretKey::of(&session.value),
            user_id: user.id,
            created_at: now,
            expires_at,
            client: origin.session_client(),
        };
        let event = origin.event_by(
            typed.to_string(),
            EventKind::LoginSucceeded,
            Some(label(&user)),
            now,
        );
        let user_id = user.id;
        let max_sessions = self.config.max_sessions;
        let previous_seen = self
            .store
            .write(move |tx| {
                if !tx.lock_user(user_id)? {
                    return Ok(Finish::Rollback(None));
                }
                budget.release(tx, &budget_key, now)?;
                let previous = tx.user(user_id)?.and_then(|u| u.seen_at);
                tx.set_seen_at(user_id, now)?;
                open_session(tx, &new_session, max_sessions)?;
                tx.insert_event(&event)?;
                Ok(Finish::Commit(Some(previous)))
            })
            .await?;
        // The user was deleted between the password check and now.
        let Some(previous) = previous_seen else {
            return Err(AccountError::PasswordMismatch(PasswordCheck::Login));
        };
        user.seen_at = previous;
        let device = Secret::new(self.config.device_key.issue(user.id, now)?);
        Ok(LoginOutcome {
            user,
            session,
            expires_at,
            device,
        })
    }

    /// Counts a refused log-in for a name that matches no account: one event a minute (at the
    /// time of the minute's first) with its count, without the name (it may be a password typed
    /// into the wrong field) or the address (an attack from many addresses would otherwise write a
    /// row for each).
    async fn refused_unknown(&self, at: Millis) -> StoreResult<()> {
        const MINUTE_MS: Millis = 60 * 1000;
        let event = NewEvent {
            kind: EventKind::LoginFailedUnknownName.as_str().to_string(),
            actor: ANONYMOUS.to_string(),
            actor_id: None,
            subject: None,
            ip: None,
            created_at: at,
            data: None,
            pre_data: None,
            shared: false,
        };
        let minute = at - at.rem_euclid(MINUTE_MS);
        self.store
            .write(move |tx| {
                tx.count_event(&event, minute)?;
                Ok(Finish::Commit(()))
            })
            .await
    }

    /// Records an event that belongs to no change (a refused attempt).
    async fn record(&self, event: NewEvent) -> StoreResult<()> {
        self.store
            .write(move |tx| {
                tx.insert_event(&event)?;
                Ok(Finish::Commit(()))
            })
            .await
    }

    /// Ends this session, if there is one.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn end_session(&self, session: Option<&SecretKey>) -> Result<(), AccountError> {
        if let Some(key) = session.cloned() {
            self.store
                .write(move |tx| {
                    tx.delete_sessions(&[key])?;
                    Ok(Finish::Commit(()))
                })
                .await?;
        }
        Ok(())
    }

    /// `POST /logout`: ends every session of the user behind this session (as Unleash does).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn log_out(&self, session: Option<&SecretKey>) -> Result<(), AccountError> {
        let Some(key) = session.cloned() else {
            return Ok(());
        };
        self.store
            .write(move |tx| {
                match tx.session(&key)? {
                    Some((_, user)) => tx.delete_sessions_of(user.id, None)?,
                    None => tx.delete_sessions(&[key])?,
                }
                Ok(Finish::Commit(()))
            })
            .await?;
        Ok(())
    }

    /// `GET /auth/reset/validate`: the live token's user; a valid call ends the caller's session.
    #[tracing::instrument(level = "debug", skip_all, fields(user = tracing::field::Empty))]
    pub async fn validate_token(
        &self,
        token: Option<&Secret>,
        caller_session: Option<&SecretKey>,
    ) -> Result<(TokenRecord, User), AccountError> {
        let found = self.live_token(token).await?;
        tracing::Span::current().record("user", found.1.id.0);
        self.end_session(caller_session).await?;
        Ok(found)
    }

    async fn live_token(
        &self,
        token: Option<&Secret>,
    ) -> Result<(TokenRecord, User), AccountError> {
        let token = token
            .filter(|t| !t.is_empty())
            .ok_or(AccountError::InvalidToken)?;
        let key = SecretKey::of(token.expose());
        let now = self.clock.now_ms();
        self.store
            .read(move |tx| tx.token(&key))
            .await?
            .filter(|(record, _)| is_live(record, now))
            .ok_or(AccountError::InvalidToken)
    }

    /// `POST /auth/reset/password`: session, policy, token, history, then the atomic change.
    #[tracing::instrument(level = "debug", skip_all, fields(user = tracing::field::Empty))]
    pub async fn reset_password(
        &self,
        token: &Secret,
        password: Secret,
        caller_session: Option<&SecretKey>,
        origin: &Origin,
    ) -> Result<User, AccountError> {
        self.end_session(caller_session).await?;
        self.check_policy(&password)?;
        let (_, user) = self.live_token(Some(token)).await?;
        tracing::Span::current().record("user", user.id.0);
        if let Err(reused) = self.refuse_reused(user.id, &password).await {
            // A concurrent redemption of this token may have set this very password meanwhile:
            // the token is then spent, and that is the answer (the contract checks the token
            // before the history).
            self.live_token(Some(token)).await?;
            return Err(reused);
        }
        let now = self.clock.now_ms();
        let event = origin.event(EventKind::PasswordReset, Some(label(&user)), now);
        match self
            .set_password(
                &user,
                password,
                SessionsAfterChange::EndAll,
                Some(SecretKey::of(token.expose())),
                event,
            )
            .await?
        {
            ChangeOutcome::Changed => Ok(user),
            ChangeOutcome::TokenNotLive | ChangeOutcome::UserGone => {
                Err(AccountError::InvalidToken)
            }
        }
    }

    async fn refuse_reused(&self, user: UserId, password: &Secret) -> Result<(), AccountError> {
        let history = self
            .store
            .read(move |tx| tx.password_history(user))
            .await?
            .into_iter()
            .take(PASSWORD_HISTORY)
            .map(|e| e.hash)
            .collect();
        if self.hasher.matches_any(password.clone(), history).await? {
            return Err(AccountError::PreviouslyUsed);
        }
        Ok(())
    }

    /// Stores a token (and its mail) for the user with this address, unless the per-user throttle
    /// refuses. For an address nobody has, the very same work runs and is undone.
    ///
    /// With `audit_refusal`, the three outcomes run the same statements in one transaction, so
    /// that none takes measurably longer than another: the token work runs after a savepoint,
    /// which a refusal rolls back to (and a success simply ends), then the event is inserted and
    /// the transaction commits. Without it, a refusal rolls the whole transaction back, event and
    /// all.
    async fn issue_token(
        &self,
        email: Option<Email>,
        token: NewToken,
        mail: Option<OutgoingMail>,
        throttle: bool,
        event: NewEvent,
        audit_refusal: bool,
    ) -> StoreResult<IssueOutcome> {
        self.store
            .write(move |tx| {
                let user = match &email {
                    Some(email) => tx.user_by_email(email)?,
                    None => None,
                };
                let id = user.as_ref().map_or(NOBODY, |u| u.id);
                let exists = tx.lock_user(id)?;
                let now = token.created_at;
                let last = tx.newest_token_at(id, token.kind)?;
                let throttled = match last {
                    Some(at) if throttle && now - at < RESET_THROTTLE_MS => {
                        Some(RESET_THROTTLE_MS - (now - at))
                    }
                    _ => None,
                };
                let outcome = match (exists, throttled) {
                    (false, _) => IssueOutcome::NoUser,
                    (true, Some(retry_after_ms)) => IssueOutcome::Throttled { retry_after_ms },
                    (true, None) => IssueOutcome::Issued,
                };
                let issued = outcome == IssueOutcome::Issued;
                tx.savepoint()?;
                store_token(tx, id, &token)?;
                if let Some(mail) = &mail {
                    tx.enqueue_mail(mail, now)?;
                }
                tx.end_savepoint(!issued)?;
                tx.insert_event(&event)?;
                Ok(if issued || audit_refusal {
                    Finish::Commit(outcome)
                } else {
                    Finish::Rollback(outcome)
                })
            })
            .await
    }

    /// `POST /auth/reset/password-email`. By default an unknown address and a repeat within the
    /// throttle answer the same `Ok(())` as a real request, send nothing, and cost the same: the
    /// mail is rendered and the same transaction runs, its token and mail undone (see
    /// [`Accounts::issue_token`]). The request itself is audited either way, in that transaction.
    ///
    /// The same statements still do not take the same time: a known address finds rows to read
    /// and update where an unknown one finds none (measured: about 0.06 ms of a 1.1 ms answer,
    /// which 1,000 requests tell apart). So every answer is also held to [`RESET_EMAIL_FLOOR`]
    /// from the moment the request arrived: the work takes a small part of it, and what the caller
    /// times is the floor.
    ///
    /// `typed` is the address as typed: one that is no address at all is one nobody has.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn request_reset_email(
        &self,
        typed: &str,
        origin: &Origin,
    ) -> Result<(), AccountError> {
        let floor = tokio::time::Instant::now() + RESET_EMAIL_FLOOR;
        let answer = self.reset_email_work(typed, origin).await;
        tokio::time::sleep_until(floor).await;
        answer
    }

    async fn reset_email_work(&self, typed: &str, origin: &Origin) -> Result<(), AccountError> {
        let address = Email::parse(typed);
        let user = match address.clone() {
            Some(a) => self.store.read(move |tx| tx.user_by_email(&a)).await?,
            None => None,
        };
        let (value, token) = self.new_token(TokenKind::Reset, SYSTEM_USER)?;
        let link = self.link(TokenKind::Reset, &value);
        let typed = normalise(typed);
        let recipient = Recipient {
            email: address.as_ref().map_or(typed.as_str(), Email::as_str),
            name: user.as_ref().and_then(display_name),
        };
        let mail = self
            .mailer
            .compose(Template::ResetPassword, &recipient, Some(&link))?;
        let event = origin.event(
            EventKind::ResetRequested,
            Some(typed.clone()),
            token.created_at,
        );
        let outcome = self
            .issue_token(address, token, Some(mail), true, event, true)
            .await?;
        let refusal = match outcome {
            IssueOutcome::Issued => {
                self.mailer.queued();
                return Ok(());
            }
            IssueOutcome::NoUser => AccountError::UserNotFound,
            IssueOutcome::Throttled { retry_after_ms } => {
                AccountError::throttled(Throttle::ResetLink, retry_after_ms)
            }
        };
        if self.config.reveal_accounts {
            Err(refusal)
        } else {
            Ok(())
        }
    }

    /// A reset link (no mail) for an admin, throttled per user, or for the operator, not.
    async fn reset_link(
        &self,
        address: &Email,
        created_by: &str,
        throttle: bool,
        origin: &Origin,
    ) -> Result<Secret, AccountError> {
        let address = address.clone();
        let (value, token) = self.new_token(TokenKind::Reset, created_by)?;
        let event = origin.event(
            EventKind::ResetLinkCreated,
            Some(address.as_str().to_string()),
            token.created_at,
        );
        match self
            .issue_token(Some(address), token, None, throttle, event, false)
            .await?
        {
            IssueOutcome::Issued => Ok(self.link(TokenKind::Reset, &value)),
            IssueOutcome::Throttled { retry_after_ms } => {
                Err(AccountError::throttled(Throttle::ResetLink, retry_after_ms))
            }
            IssueOutcome::NoUser => Err(AccountError::UserNotFound),
        }
    }

    /// `POST /auth/reset/not-me`: the owner of an account says a password change was not theirs.
    /// In one transaction, with an event for each step: the link's token is spent, every session
    /// of the account ends, every outstanding reset and invite token is voided, the password is
    /// removed (no password log-in until a new one is set), and a fresh reset link is mailed to
    /// the account's address. An unknown, spent or expired token changes nothing.
    #[tracing::instrument(level = "debug", skip_all, fields(user = tracing::field::Empty))]
    pub async fn not_me(&self, token: &Secret, origin: &Origin) -> Result<(), AccountError> {
        if token.is_empty() {
            return Err(AccountError::InvalidToken);
        }
        let key = SecretKey::of(token.expose());
        let now = self.clock.now_ms();
        let lookup = key.clone();
        let (_, user) = self
            .store
            .read(move |tx| tx.not_me_token(&lookup))
            .await?
            .filter(|(record, _)| record.used_at.is_none() && record.expires_at > now)
            .ok_or(AccountError::InvalidToken)?;
        tracing::Span::current().record("user", user.id.0);
        let (value, reset) = self.new_token(TokenKind::Reset, SYSTEM_USER)?;
        let mail = match &user.email {
            Some(email) => Some(self.mailer.compose(
                Template::ResetPassword,
                &Recipient {
                    email: email.as_str(),
                    name: display_name(&user),
                },
                Some(&self.link(TokenKind::Reset, &value)),
            )?),
            None => None,
        };
        let mailed = mail.is_some();
        let id = user.id;
        let subject = label(&user);
        let address = user.email.as_ref().map(|e| e.as_str().to_string());
        let origin = origin.clone();
        let now = self.clock.now_ms();
        let done = self
            .store
            .write(move |tx| {
                if !tx.lock_user(id)? || !tx.use_not_me_token(&key, id, now)? {
                    return Ok(Finish::Rollback(false));
                }
                let event = |kind, subject: &str, data: serde_json::Value| NewEvent {
                    data: Some(data),
                    ..origin.event(kind, Some(subject.to_string()), now)
                };
                let reason = serde_json::json!({ "reason": TAKEOVER_REASON });
                tx.insert_event(&event(
                    EventKind::TakeoverReported,
                    &subject,
                    reason.clone(),
                ))?;
                let sessions = live_sessions(tx, id, now)?.len();
                tx.delete_sessions_of(id, None)?;
                tx.insert_event(&event(
                    EventKind::SessionsEnded,
                    &subject,
                    serde_json::json!({ "reason": TAKEOVER_REASON, "count": sessions }),
                ))?;
                let voided = tx.expire_tokens_of(id, now)?;
                tx.insert_event(&event(
                    EventKind::TokensVoided,
                    &subject,
                    serde_json::json!({ "reason": TAKEOVER_REASON, "count": voided }),
                ))?;
                if !tx.clear_password_hash(id)? {
                    return Ok(Finish::Rollback(false));
                }
                tx.insert_event(&event(
                    EventKind::PasswordLoginBlocked,
                    &subject,
                    reason.clone(),
                ))?;
                if let Some(mail) = &mail {
                    tx.insert_token(id, &reset)?;
                    tx.enqueue_mail(mail, now)?;
                    tx.insert_event(&event(
                        EventKind::ResetRequested,
                        address.as_deref().unwrap_or(&subject),
                        reason,
                    ))?;
                }
                Ok(Finish::Commit(true))
            })
            .await?;
        if !done {
            return Err(AccountError::InvalidToken);
        }
        if mailed {
            self.mailer.queued();
        }
        Ok(())
    }

    /// `GET /api/admin/user/sessions`: the caller's live sessions, newest first.
    #[tracing::instrument(level = "debug", skip_all, fields(user = caller.user_id().map(|id| id.0)))]
    pub async fn own_sessions(&self, caller: &Caller) -> Result<Vec<SessionView>, AccountError> {
        let (user, current) = own_session(caller)?;
        let (id, now) = (user.id, self.clock.now_ms());
        let mut sessions = self
            .store
            .read(move |tx| live_sessions(tx, id, now))
            .await?;
        sessions.reverse();
        Ok(sessions
            .into_iter()
            .map(|s| SessionView {
                id: session_id(&s.key),
                created_at: s.created_at,
                current: s.key.digest() == current.digest(),
                client: s.client,
            })
            .collect())
    }

    /// `DELETE /api/admin/user/sessions/{id}`: ends one of the caller's live sessions (the
    /// current one too, if named); any other id is not found.
    #[tracing::instrument(level = "debug", skip_all, fields(user = caller.user_id().map(|id| id.0)))]
    pub async fn end_own_session(
        &self,
        caller: &Caller,
        session: &str,
        origin: &Origin,
    ) -> Result<(), AccountError> {
        let (user, _) = own_session(caller)?;
        let (id, now, subject) = (user.id, self.clock.now_ms(), label(user));
        let wanted = session.to_ascii_lowercase();
        let origin = origin.clone();
        let ended = self
            .store
            .write(move |tx| {
                let Some(found) = live_sessions(tx, id, now)?
                    .into_iter()
                    .find(|s| session_id(&s.key) == wanted)
                else {
                    return Ok(Finish::Rollback(false));
                };
                tx.delete_sessions(&[found.key])?;
                tx.insert_event(&NewEvent {
                    data: Some(serde_json::json!({ "reason": "ended-by-user", "count": 1 })),
                    ..origin.event(EventKind::SessionsEnded, Some(subject), now)
                })?;
                Ok(Finish::Commit(true))
            })
            .await?;
        if ended {
            Ok(())
        } else {
            Err(AccountError::SessionNotFound)
        }
    }

    /// `DELETE /api/admin/user/sessions`: ends every session of the caller but the current one.
    #[tracing::instrument(level = "debug", skip_all, fields(user = caller.user_id().map(|id| id.0)))]
    pub async fn end_other_sessions(
        &self,
        caller: &Caller,
        origin: &Origin,
    ) -> Result<(), AccountError> {
        let (user, current) = own_session(caller)?;
        let (id, now, subject) = (user.id, self.clock.now_ms(), label(user));
        let (current, origin) = (current.clone(), origin.clone());
        self.store
            .write(move |tx| {
                let others = live_sessions(tx, id, now)?
                    .iter()
                    .filter(|s| s.key.digest() != current.digest())
                    .count();
                tx.delete_sessions_of(id, Some(&current))?;
                tx.insert_event(&NewEvent {
                    data: Some(serde_json::json!({ "reason": "ended-by-user", "count": others })),
                    ..origin.event(EventKind::SessionsEnded, Some(subject), now)
                })?;
                Ok(Finish::Commit(()))
            })
            .await?;
        Ok(())
    }

    /// `POST /api/admin/user/change-password` for the logged-in caller.
    #[tracing::instrument(level = "debug", skip_all, fields(user = caller.user_id().map(|id| id.0)))]
    pub async fn change_own_password(
        &self,
        caller: &Caller,
        password: Secret,
        confirm: Option<&Secret>,
        old: Option<Secret>,
        origin: &Origin,
    ) -> Result<(), AccountError> {
        let Caller::User { user, session } = caller else {
            return Err(AccountError::NotLoggedIn);
        };
        if confirm.map(Secret::expose) != Some(password.expose()) {
            return Err(AccountError::bad_input(
                Field::ConfirmPassword,
                Problem::DiffersFrom(Field::Password),
            ));
        }
        let Some(old) = old else {
            return Err(AccountError::bad_input(
                Field::OldPassword,
                Problem::Missing,
            ));
        };
        self.check_policy(&password)?;
        let key = throttle::key("user", &user.id.to_string());
        let budget = self.config.failure_budget;
        let now = self.clock.now_ms();
        let id = user.id;
        // Read afresh: the session's copy of the user may predate a change in another session.
        let (reserved, current) = self
            .store
            .write(move |tx| {
                let reserved = budget.reserve(tx, &key, now)?;
                Ok(Finish::Commit((reserved, tx.user(id)?)))
            })
            .await?;
        reserved.map_err(|wait_ms| AccountError::throttled(Throttle::FailedChecks, wait_ms))?;
        let current = current.ok_or(AccountError::UserNotFound)?;
        if !self
            .hasher
            .verify(old, current.password_hash.clone())
            .await?
        {
            return Err(AccountError::PasswordMismatch(PasswordCheck::OldPassword));
        }
        self.store
            .write(move |tx| {
                budget.release(tx, &key, now)?;
                Ok(Finish::Commit(()))
            })
            .await?;
        self.refuse_reused(user.id, &password).await?;
        let event = origin.event(
            EventKind::PasswordChanged,
            Some(origin.actor.clone()),
            self.clock.now_ms(),
        );
        let keep = SessionsAfterChange::KeepOnly(session.clone());
        let outcome = self
            .set_password(&current, password, keep, None, event)
            .await?;
        user_changed(outcome)
    }

    /// Hashes and stores a new password (redeeming `redeem`, if given), queues the notice and
    /// records the event, all in one transaction.
    async fn set_password(
        &self,
        user: &User,
        password: Secret,
        sessions: SessionsAfterChange,
        redeem: Option<SecretKey>,
        event: NewEvent,
    ) -> Result<ChangeOutcome, AccountError> {
        let hash = self.hasher.hash(password).await?;
        let (notice, not_me) = self.changed_notice(user)?.unzip();
        let change = PasswordChange {
            user: user.id,
            hash,
            now: self.clock.now_ms(),
            sessions,
            redeem,
            notice,
            not_me,
            event,
        };
        let outcome = self
            .store
            .write(move |tx| change_password(tx, change))
            .await?;
        if outcome == ChangeOutcome::Changed {
            self.mailer.queued();
        }
        Ok(outcome)
    }

    /// `POST /api/admin/user-admin/{id}/change-password`: policy, no history; ends all sessions.
    #[tracing::instrument(level = "debug", skip_all, fields(user = id.0))]
    pub async fn admin_change_password(
        &self,
        id: UserId,
        password: Secret,
        origin: &Origin,
    ) -> Result<(), AccountError> {
        self.check_policy(&password)?;
        let user = self.get_user(id).await?;
        let event = origin.event(
            EventKind::PasswordSetByAdmin,
            Some(format!("user {id}")),
            self.clock.now_ms(),
        );
        let outcome = self
            .set_password(&user, password, SessionsAfterChange::EndAll, None, event)
            .await?;
        user_changed(outcome)
    }

    /// `POST /api/admin/user-admin/reset-password`: a reset link for the user with that e-mail.
    #[tracing::instrument(level = "debug", skip_all, fields(by = caller.user_id().map(|id| id.0)))]
    pub async fn admin_reset_link(
        &self,
        caller: &Caller,
        email: &Email,
        origin: &Origin,
    ) -> Result<Secret, AccountError> {
        self.reset_link(email, &caller.token_creator(), true, origin)
            .await
    }

    /// A reset link for the operator's CLI (no throttle: the operator is recovering an account).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn operator_reset_link(&self, email: &Email) -> Result<Secret, AccountError> {
        self.reset_link(email, SYSTEM_USER, false, &Origin::cli())
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(user = id.0))]
    pub async fn get_user(&self, id: UserId) -> Result<User, AccountError> {
        self.store
            .read(move |tx| tx.user(id))
            .await?
            .ok_or(AccountError::UserNotFound)
    }

    /// One page of the user list: at most `limit` live users with ids above `after`, skipping
    /// `skip` of them, in id order.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn users_page(
        &self,
        after: i64,
        skip: u64,
        limit: usize,
    ) -> StoreResult<Vec<ListedUser>> {
        let (show, now) = (self.config.show_user_device_count, self.clock.now_ms());
        self.store
            .scan(move |tx| {
                let users = tx.users_page(after, skip, limit)?;
                listed(tx, users, show.then_some(now))
            })
            .await
    }

    /// Deletes the user (freeing its e-mail and username) and ends its sessions, tokens and
    /// password history.
    #[tracing::instrument(level = "debug", skip_all, fields(user = id.0))]
    pub async fn delete_user(&self, id: UserId, origin: &Origin) -> Result<(), AccountError> {
        let now = self.clock.now_ms();
        let origin = origin.clone();
        let deleted = self
            .store
            .write(move |tx| {
                // Unleash's `user-deleted` carries the user as it was (`preData`), no `data`.
                let Some(before) = tx.user(id)? else {
                    return Ok(Finish::Rollback(false));
                };
                let event = origin.shared_event(
                    EventKind::UserDeleted,
                    Some(format!("user {id}")),
                    now,
                    None,
                    Some(user_data(&before)),
                );
                if !tx.mark_user_deleted(id, now)? {
                    return Ok(Finish::Rollback(false));
                }
                tx.delete_sessions_of(id, None)?;
                tx.delete_tokens_of(id)?;
                tx.delete_password_history_of(id)?;
                tx.insert_event(&event)?;
                Ok(Finish::Commit(true))
            })
            .await?;
        if deleted {
            Ok(())
        } else {
            Err(AccountError::UserNotFound)
        }
    }

    /// `POST /api/admin/user-admin`. The invite token, the welcome mail and the event are stored
    /// in the same transaction as the user. A password given here is not checked by the policy
    /// (Unleash's behaviour), but one that bcrypt would truncate is refused.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_user(
        &self,
        created_by: &str,
        request: CreateUserRequest,
        origin: &Origin,
    ) -> Result<CreatedUser, AccountError> {
        // No stored text holds a NUL character (PostgreSQL refuses one): a clear 400, on every
        // backend alike.
        for (field, value) in [
            (Field::Email, &request.email),
            (Field::Username, &request.username),
            (Field::Name, &request.name),
        ] {
            if value.as_deref().is_some_and(|v| v.contains('\0')) {
                return Err(AccountError::bad_input(field, Problem::ContainsNul));
            }
        }
        let email = non_empty(request.email);
        let username = request.username.as_deref().and_then(Username::parse);
        if email.is_none() && username.is_none() {
            return Err(AccountError::NoUsernameOrEmail);
        }
        let email = match email {
            Some(raw) => Some(
                Email::parse(&raw)
                    .ok_or(AccountError::bad_input(Field::Email, Problem::NotAnEmail))?,
            ),
            None => None,
        };
        let root_role = request.root_role.ok_or(AccountError::bad_input(
            Field::RootRole,
            Problem::UnknownRole,
        ))?;
        let password = non_empty(request.password.map(Secret::into_exposed)).map(Secret::new);
        let password_hash = match password {
            Some(p) if p.expose().len() > password_policy::BCRYPT_MAX_BYTES => {
                return Err(PolicyError::Weak(vec![password_policy::MAX_BYTES]).into())
            }
            Some(p) => Some(self.hasher.hash(p).await?),
            None => None,
        };
        // With password log-in turned off (beside Unleash) there is no password to set: the
        // invite link is the UI's address, without a token, as Unleash makes it.
        let (invite_link, invite) = if self.store.read(password_login_disabled).await? {
            (
                Secret::new(self.config.public_url.as_str().to_string()),
                None,
            )
        } else {
            let (value, invite) = self.new_token(TokenKind::Invite, created_by)?;
            (self.link(TokenKind::Invite, &value), Some(invite))
        };
        let name = non_empty(request.name);
        // The welcome mail carries the invite link; it is queued in the user's transaction.
        let welcome = match &email {
            Some(address) if request.send_email && self.mailer.delivers() => {
                Some(self.mailer.compose(
                    Template::Welcome,
                    &Recipient {
                        email: address.as_str(),
                        name: name.as_deref(),
                    },
                    Some(&invite_link),
                )?)
            }
            _ => None,
        };
        let email_sent = welcome.is_some();
        let now = self.clock.now_ms();
        let new_user = NewUser {
            email,
            username,
            name,
            password_hash,
            root_role,
            created_at: now,
        };
        let origin = origin.clone();
        let user = self
            .store
            .write(move |tx| {
                let user = create_user(tx, &new_user)?;
                if let Some(invite) = &invite {
                    store_token(tx, user.id, invite)?;
                }
                if let Some(mail) = &welcome {
                    tx.enqueue_mail(mail, now)?;
                }
                let event = origin.shared_event(
                    EventKind::UserCreated,
                    Some(label(&user)),
                    now,
                    Some(user_data(&user)),
                    None,
                );
                tx.insert_event(&event)?;
                Ok(Finish::Commit(user))
            })
            .await
            .map_err(|e| match e {
                StoreError::Conflict => AccountError::UserExists,
                other => AccountError::from(other),
            })?;
        if email_sent {
            self.mailer.queued();
        }
        Ok(CreatedUser {
            invite_link,
            email_sent,
            user,
        })
    }

    /// With an empty database, creates the admin (CONTRACT §5). Answers the generated password
    /// when one had to be made, for the caller to print once.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn ensure_initial_admin(
        &self,
        username: &Username,
        password: Option<&Secret>,
    ) -> Result<Option<Secret>, AccountError> {
        if self.store.scan(|tx| tx.count_users()).await? > 0 {
            return Ok(None);
        }
        let (password, generated) = match password.filter(|p| !p.is_empty()) {
            Some(p) => (p.clone(), false),
            None => (secrets::generate_password()?, true),
        };
        if password.expose().len() > password_policy::BCRYPT_MAX_BYTES {
            return Err(PolicyError::Weak(vec![password_policy::MAX_BYTES]).into());
        }
        let hash = self.hasher.hash(password.clone()).await?;
        let now = self.clock.now_ms();
        let admin = NewUser {
            email: None,
            username: Some(username.clone()),
            name: None,
            password_hash: Some(hash),
            root_role: RootRole::Admin,
            created_at: now,
        };
        let created = self
            .store
            .write(move |tx| {
                // Another instance may have created it meanwhile.
                if tx.count_users()? > 0 {
                    return Ok(Finish::Rollback(false));
                }
                create_user(tx, &admin)?;
                Ok(Finish::Commit(true))
            })
            .await;
        match created {
            Ok(true) => Ok(generated.then_some(password)),
            Ok(false) | Err(StoreError::Conflict) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

/// The users as the list shows them: with the number of sessions each has that are live at
/// `sessions_live_at`, when given (Unleash counts a user's session rows, and drops expired rows
/// within a minute).
fn listed(
    tx: &mut dyn Tx,
    users: Vec<User>,
    sessions_live_at: Option<Millis>,
) -> StoreResult<Vec<ListedUser>> {
    let counts = match sessions_live_at {
        None => None,
        Some(at) => {
            let ids: Vec<UserId> = users.iter().map(|u| u.id).collect();
            Some(
                tx.session_counts(&ids, at)?
                    .into_iter()
                    .collect::<std::collections::HashMap<_, _>>(),
            )
        }
    };
    Ok(users
        .into_iter()
        .map(|user| ListedUser {
            active_sessions: counts
                .as_ref()
                .map(|c| c.get(&user.id).copied().unwrap_or(0)),
            user,
        })
        .collect())
}

/// Inserts the user; its password, if any, starts the history.
fn create_user(tx: &mut dyn Tx, user: &NewUser) -> StoreResult<User> {
    let id = tx.insert_user(user)?;
    if let Some(hash) = &user.password_hash {
        tx.add_password_history(id, hash, user.created_at)?;
    }
    tx.user(id)?
        .ok_or_else(|| StoreError::Corrupt(format!("user {id} is gone right after its insert")))
}

/// How a mail greets the user: its name, else its username.
fn display_name(user: &User) -> Option<&str> {
    user.name.as_deref().or(user.username.as_deref())
}

/// A change without a token either happened or found the user gone.
fn user_changed(outcome: ChangeOutcome) -> Result<(), AccountError> {
    match outcome {
        ChangeOutcome::Changed => Ok(()),
        _ => Err(AccountError::UserNotFound),
    }
}
