//! What the password endpoints do (CONTRACT §3–§5), in the contract's order of checks, on top of
//! the store, the bcrypt pool and the clock. Every rule about users, tokens, sessions, history and
//! throttles is written here once, as units of work over the store's plain operations
//! (`store/mod.rs`), so it holds the same on every backend. Each change and its audit event (and
//! its mail) are written in one transaction. Handlers in `api.rs` only translate to and from the
//! generated types.

use std::sync::Arc;

use crate::auth::Caller;
use crate::clock::Clock;
use crate::domain::{Email, EventKind, LoginName, RootRole, TokenKind, UserId};
use crate::errors::{
    AppError, FieldError, MismatchKind, ACCOUNT_THROTTLE_MESSAGE, RESET_THROTTLE_MESSAGE,
};
use crate::hashing::Hasher;
use crate::mail::templates::Template;
use crate::mail::{Mailer, Recipient};
use crate::password_policy;
use crate::secrets;
use crate::store::{
    Finish, Millis, NewEvent, NewSession, NewToken, NewUser, OutgoingMail, PasswordHash, SecretKey,
    Store, StoreError, StoreResult, StoredCredential, TokenRecord, Tx, User,
};
use crate::throttle::{self, FailureBudget};

pub const MAX_SESSIONS_PER_USER: usize = 5;
pub const PASSWORD_HISTORY: usize = 5;
pub const TOKEN_TTL_MS: i64 = 24 * 3600 * 1000;
/// One reset link per user per minute.
pub const RESET_THROTTLE_MS: i64 = 60 * 1000;
/// The least time `POST /auth/reset/password-email` takes to answer, whatever the address: far
/// above the work's own time (about 1 ms), so that known, unknown and throttled addresses cannot be
/// told apart by timing (BENCHMARKS.md).
pub const RESET_EMAIL_FLOOR: std::time::Duration = std::time::Duration::from_millis(10);
/// Who created a self-service reset token.
pub const SYSTEM_USER: &str = "unleash_system_user";
/// The id the unknown-address run of the reset e-mail writes its token for (no user has it; the
/// run is rolled back).
const NOBODY: UserId = UserId(0);

pub struct AccountsConfig {
    /// `UNLEASH_URL` without a trailing slash.
    pub public_base: String,
    /// The path of `UNLEASH_URL` without a trailing slash (`/ui` for `https://host/ui/`), or empty.
    pub base_path: String,
    pub session_ttl_ms: i64,
    pub reveal_accounts: bool,
    pub failure_budget: FailureBudget,
    /// The password policy, blocklist included.
    pub policy: Arc<password_policy::PasswordPolicy>,
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
    pub actor: String,
    /// The acting user, when a user acts.
    pub actor_id: Option<UserId>,
    pub ip: Option<String>,
}

impl Origin {
    /// The operator's command line.
    pub fn cli() -> Self {
        Origin {
            actor: "unlatch-cli".to_string(),
            actor_id: None,
            ip: None,
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
            ip: self.ip.clone(),
            created_at: at,
            about: None,
            by: self.actor_id,
        }
    }
}

/// A successful login: the user (with `seen_at` as it was before this login) and its new
/// session's id, for the caller's cookie, valid until `expires_at`.
pub struct LoginOutcome {
    pub user: User,
    pub session: secrets::NewSecret,
    pub expires_at: Millis,
}

pub struct CreatedUser {
    pub user: User,
    pub invite_link: String,
    pub email_sent: bool,
}

/// What a new user is made of, as the admin sent it.
pub struct CreateUserRequest {
    pub email: Option<String>,
    pub username: Option<String>,
    pub name: Option<String>,
    pub password: Option<String>,
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

fn no_user() -> AppError {
    AppError::NotFound("No user found".into())
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

    /// The "password changed" notice for a user with an address.
    fn changed_notice(&self, user: &User) -> Result<Option<OutgoingMail>, AppError> {
        user.email
            .as_ref()
            .map(|email| {
                self.mailer.compose(
                    Template::PasswordChanged,
                    &Recipient {
                        email: email.as_str(),
                        name: display_name(user),
                    },
                    None,
                )
            })
            .transpose()
    }

    fn new_token(&self, kind: TokenKind, created_by: &str) -> Result<(String, NewToken), AppError> {
        let secret = secrets::generate()?;
        let now = self.clock.now_ms();
        Ok((
            secret.value,
            NewToken {
                digest: secret.digest,
                kind,
                created_by: created_by.to_string(),
                created_at: now,
                expires_at: now + TOKEN_TTL_MS,
            },
        ))
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Password hashes running or waiting right now.
    pub fn hash_queue_depth(&self) -> usize {
        self.hasher.queue_depth()
    }

    pub fn now_ms(&self) -> Millis {
        self.clock.now_ms()
    }

    pub fn link(&self, kind: TokenKind, token: &str) -> String {
        let page = match kind {
            TokenKind::Reset => "reset-password",
            TokenKind::Invite => "new-user",
        };
        format!("{}/{page}?token={token}", self.config.public_base)
    }

    /// A path under the base path of `UNLEASH_URL` (`/ui/signed-out` for `https://host/ui`),
    /// relative to whatever origin serves the UI.
    pub fn public_path(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_path)
    }

    pub fn check_policy(&self, password: &str) -> Result<(), AppError> {
        self.config.policy.check(password).map_err(AppError::from)
    }

    /// What a credential presented in `Authorization` stands for, when the store keeps it (beside
    /// Unleash: its admin API tokens, and personal access tokens of live users).
    pub async fn credential(
        &self,
        key: SecretKey,
    ) -> Result<Option<crate::auth::Credential>, AppError> {
        let now = self.clock.now_ms();
        Ok(self
            .store
            .read(move |tx| {
                Ok(match tx.credential(&key, now)? {
                    Some(StoredCredential::AdminToken) => Some(crate::auth::Credential::AdminToken),
                    Some(StoredCredential::User(id)) => {
                        tx.user(id)?.map(crate::auth::Credential::User)
                    }
                    None => None,
                })
            })
            .await?)
    }

    /// The live user behind a live session (for the authenticator).
    pub async fn session_user(&self, key: SecretKey) -> Result<Option<User>, AppError> {
        let now = self.clock.now_ms();
        let found = self.store.read(move |tx| tx.session(&key)).await?;
        Ok(found
            .filter(|(session, _)| session.expires_at > now)
            .map(|(_, user)| user))
    }

    /// `POST /auth/simple/login`. Unknown user, no password and wrong password are one answer,
    /// and cost the same bcrypt time. The attempt takes its place in the failure budget before
    /// bcrypt runs.
    pub async fn login(
        &self,
        login: &str,
        password: String,
        origin: &Origin,
    ) -> Result<LoginOutcome, AppError> {
        let name = LoginName::parse(login);
        let key = throttle::key("login", login);
        let budget = self.config.failure_budget;
        let now = self.clock.now_ms();
        let (reserved, user) = self
            .store
            .write(move |tx| {
                let reserved = budget.reserve(tx, &key, now)?;
                let user = match &name {
                    Some(LoginName::Email(email)) => tx.user_by_email(email)?,
                    Some(LoginName::Username(username)) => tx.user_by_username(username)?,
                    None => None,
                };
                Ok(Finish::Commit((reserved, user)))
            })
            .await?;
        // A refused attempt is audited (in its own transaction: nothing changed).
        let failed = |at| {
            origin.event_by(
                login.to_string(),
                EventKind::LoginFailed,
                Some(login.to_string()),
                at,
            )
        };
        if let Err(wait_ms) = reserved {
            self.record(failed(now)).await?;
            return Err(account_throttled(wait_ms));
        }
        let hash = user.as_ref().and_then(|u| u.password_hash.clone());
        let matched = self.hasher.verify(password, hash).await?;
        let now = self.clock.now_ms();
        let Some(mut user) = user.filter(|_| matched) else {
            self.record(failed(now)).await?;
            return Err(AppError::PasswordMismatch(MismatchKind::Login));
        };
        let session = secrets::generate()?;
        let expires_at = now + self.config.session_ttl_ms;
        let new_session = NewSession {
            key: SecretKey::of(&session.value),
            user_id: user.id,
            created_at: now,
            expires_at,
        };
        let event = origin.event_by(
            login.to_string(),
            EventKind::LoginSucceeded,
            Some(label(&user)),
            now,
        );
        let user_id = user.id;
        let previous_seen = self
            .store
            .write(move |tx| {
                if !tx.lock_user(user_id)? {
                    return Ok(Finish::Rollback(None));
                }
                budget.release(tx, &key, now)?;
                let previous = tx.user(user_id)?.and_then(|u| u.seen_at);
                tx.set_seen_at(user_id, now)?;
                open_session(tx, &new_session, MAX_SESSIONS_PER_USER)?;
                tx.insert_event(&event)?;
                Ok(Finish::Commit(Some(previous)))
            })
            .await?;
        // The user was deleted between the password check and now.
        let Some(previous) = previous_seen else {
            return Err(AppError::PasswordMismatch(MismatchKind::Login));
        };
        user.seen_at = previous;
        Ok(LoginOutcome {
            user,
            session,
            expires_at,
        })
    }

    /// Records an event that belongs to no change (a refused attempt).
    async fn record(&self, event: NewEvent) -> Result<(), AppError> {
        self.store
            .write(move |tx| {
                tx.insert_event(&event)?;
                Ok(Finish::Commit(()))
            })
            .await
            .map_err(AppError::from)
    }

    /// Ends this session, if there is one.
    pub async fn end_session(&self, session: Option<&SecretKey>) -> Result<(), AppError> {
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
    pub async fn log_out(&self, session: Option<&SecretKey>) -> Result<(), AppError> {
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
    pub async fn validate_token(
        &self,
        token: Option<&str>,
        caller_session: Option<&SecretKey>,
    ) -> Result<(TokenRecord, User), AppError> {
        let found = self.live_token(token).await?;
        self.end_session(caller_session).await?;
        Ok(found)
    }

    async fn live_token(&self, token: Option<&str>) -> Result<(TokenRecord, User), AppError> {
        let token = token
            .filter(|t| !t.is_empty())
            .ok_or(AppError::InvalidToken)?;
        let key = SecretKey::of(token);
        let now = self.clock.now_ms();
        self.store
            .read(move |tx| tx.token(&key))
            .await?
            .filter(|(record, _)| is_live(record, now))
            .ok_or(AppError::InvalidToken)
    }

    /// `POST /auth/reset/password`: session, policy, token, history, then the atomic change.
    pub async fn reset_password(
        &self,
        token: &str,
        password: String,
        caller_session: Option<&SecretKey>,
        origin: &Origin,
    ) -> Result<User, AppError> {
        self.end_session(caller_session).await?;
        self.check_policy(&password)?;
        let (_, user) = self.live_token(Some(token)).await?;
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
                Some(SecretKey::of(token)),
                event,
            )
            .await?
        {
            ChangeOutcome::Changed => Ok(user),
            ChangeOutcome::TokenNotLive | ChangeOutcome::UserGone => Err(AppError::InvalidToken),
        }
    }

    async fn refuse_reused(&self, user: UserId, password: &str) -> Result<(), AppError> {
        let history = self
            .store
            .read(move |tx| tx.password_history(user))
            .await?
            .into_iter()
            .take(PASSWORD_HISTORY)
            .map(|e| e.hash)
            .collect();
        if self
            .hasher
            .matches_any(password.to_string(), history)
            .await?
        {
            return Err(AppError::PasswordPreviouslyUsed);
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
    ) -> Result<IssueOutcome, AppError> {
        let outcome = self
            .store
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
            .await?;
        Ok(outcome)
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
    pub async fn request_reset_email(&self, email: &str, origin: &Origin) -> Result<(), AppError> {
        let floor = tokio::time::Instant::now() + RESET_EMAIL_FLOOR;
        let answer = self.reset_email_work(email, origin).await;
        tokio::time::sleep_until(floor).await;
        answer
    }

    async fn reset_email_work(&self, email: &str, origin: &Origin) -> Result<(), AppError> {
        let address = Email::parse(email);
        let user = match address.clone() {
            Some(a) => self.store.read(move |tx| tx.user_by_email(&a)).await?,
            None => None,
        };
        let (value, token) = self.new_token(TokenKind::Reset, SYSTEM_USER)?;
        let link = self.link(TokenKind::Reset, &value);
        let typed = email.trim().to_lowercase();
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
            IssueOutcome::NoUser => no_user(),
            IssueOutcome::Throttled { retry_after_ms } => throttled(retry_after_ms),
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
        email: &str,
        created_by: &str,
        throttle: bool,
        origin: &Origin,
    ) -> Result<String, AppError> {
        let address = Email::parse(email).ok_or_else(no_user)?;
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
            IssueOutcome::Throttled { retry_after_ms } => Err(throttled(retry_after_ms)),
            IssueOutcome::NoUser => Err(no_user()),
        }
    }

    /// `POST /api/admin/user/change-password` for the logged-in caller.
    pub async fn change_own_password(
        &self,
        caller: &Caller,
        password: String,
        confirm: Option<&str>,
        old: Option<String>,
        origin: &Origin,
    ) -> Result<(), AppError> {
        let Caller::User { user, session } = caller else {
            return Err(AppError::bad_request(
                "Only a logged-in user can change their own password; use the admin call for others.",
            ));
        };
        if confirm != Some(password.as_str()) {
            return Err(AppError::bad_data(vec![FieldError {
                path: "/body/confirmPassword".into(),
                message:
                    "The `/body/confirmPassword` property must be the same as `/body/password`."
                        .into(),
            }]));
        }
        let Some(old) = old else {
            return Err(AppError::bad_data(vec![FieldError {
                path: "/body/oldPassword".into(),
                message: "The `/body/oldPassword` property is required. It was not present on the data you sent.".into(),
            }]));
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
        reserved.map_err(account_throttled)?;
        let current = current.ok_or_else(no_user)?;
        if !self
            .hasher
            .verify(old, current.password_hash.clone())
            .await?
        {
            return Err(AppError::PasswordMismatch(MismatchKind::OldPassword));
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
        password: String,
        sessions: SessionsAfterChange,
        redeem: Option<SecretKey>,
        event: NewEvent,
    ) -> Result<ChangeOutcome, AppError> {
        let hash = self.hasher.hash(password).await?;
        let change = PasswordChange {
            user: user.id,
            hash,
            now: self.clock.now_ms(),
            sessions,
            redeem,
            notice: self.changed_notice(user)?,
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
    pub async fn admin_change_password(
        &self,
        id: UserId,
        password: String,
        origin: &Origin,
    ) -> Result<(), AppError> {
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
    pub async fn admin_reset_link(
        &self,
        caller: &Caller,
        email: &str,
        origin: &Origin,
    ) -> Result<String, AppError> {
        self.reset_link(email, &caller.token_creator(), true, origin)
            .await
    }

    /// A reset link for the operator's CLI (no throttle: the operator is recovering an account).
    pub async fn operator_reset_link(&self, email: &str) -> Result<String, AppError> {
        self.reset_link(email, SYSTEM_USER, false, &Origin::cli())
            .await
    }

    pub async fn get_user(&self, id: UserId) -> Result<User, AppError> {
        self.store
            .read(move |tx| tx.user(id))
            .await?
            .ok_or_else(no_user)
    }

    pub async fn list_users(&self) -> Result<Vec<User>, AppError> {
        Ok(self.store.scan(|tx| tx.users()).await?)
    }

    /// Deletes the user (freeing its e-mail and username) and ends its sessions, tokens and
    /// password history.
    pub async fn delete_user(&self, id: UserId, origin: &Origin) -> Result<(), AppError> {
        let now = self.clock.now_ms();
        let event = origin.event(EventKind::UserDeleted, Some(format!("user {id}")), now);
        let deleted = self
            .store
            .write(move |tx| {
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
            Err(no_user())
        }
    }

    /// `POST /api/admin/user-admin`. The invite token, the welcome mail and the event are stored
    /// in the same transaction as the user. A password given here is not checked by the policy
    /// (Unleash's behaviour), but one that bcrypt would truncate is refused.
    pub async fn create_user(
        &self,
        created_by: &str,
        request: CreateUserRequest,
        origin: &Origin,
    ) -> Result<CreatedUser, AppError> {
        // No stored text holds a NUL character (PostgreSQL refuses one): a clear 400, on every
        // backend alike.
        for (field, value) in [
            ("email", &request.email),
            ("username", &request.username),
            ("name", &request.name),
        ] {
            if value.as_deref().is_some_and(|v| v.contains('\0')) {
                return Err(AppError::bad_data(vec![FieldError {
                    path: format!("/body/{field}"),
                    message: format!(
                        "The `/body/{field}` property must not contain a NUL character."
                    ),
                }]));
            }
        }
        let email = non_empty(request.email);
        let username = non_empty(request.username);
        if email.is_none() && username.is_none() {
            return Err(AppError::bad_request("You must specify username or email"));
        }
        let email = match email {
            Some(raw) => Some(Email::parse(&raw).ok_or_else(|| {
                AppError::bad_data(vec![FieldError {
                    path: "/body/email".into(),
                    message: "The `/body/email` property must be a valid e-mail address.".into(),
                }])
            })?),
            None => None,
        };
        let root_role = request.root_role.ok_or_else(|| {
            AppError::bad_data(vec![FieldError {
                path: "/body/rootRole".into(),
                message: "The `/body/rootRole` property must be 1 (Admin), 2 (Editor), 3 (Viewer) or one of those names.".into(),
            }])
        })?;
        let password_hash = match non_empty(request.password) {
            Some(p) if p.len() > password_policy::BCRYPT_MAX_BYTES => {
                return Err(AppError::PasswordPolicy(vec![password_policy::MAX_BYTES]))
            }
            Some(p) => Some(self.hasher.hash(p).await?),
            None => None,
        };
        let (value, invite) = self.new_token(TokenKind::Invite, created_by)?;
        let invite_link = self.link(TokenKind::Invite, &value);
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
        let now = invite.created_at;
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
                store_token(tx, user.id, &invite)?;
                if let Some(mail) = &welcome {
                    tx.enqueue_mail(mail, now)?;
                }
                let mut event = origin.event(EventKind::UserCreated, Some(label(&user)), now);
                event.about = Some(user.id);
                tx.insert_event(&event)?;
                Ok(Finish::Commit(user))
            })
            .await
            .map_err(|e| match e {
                StoreError::Conflict => AppError::bad_request("User already exists"),
                other => AppError::from(other),
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
    pub async fn ensure_initial_admin(
        &self,
        username: &str,
        password: Option<&str>,
    ) -> Result<Option<String>, AppError> {
        if self.store.scan(|tx| tx.count_users()).await? > 0 {
            return Ok(None);
        }
        let (password, generated) = match password.filter(|p| !p.is_empty()) {
            Some(p) => (p.to_string(), false),
            None => (secrets::generate_password()?, true),
        };
        if password.len() > password_policy::BCRYPT_MAX_BYTES {
            return Err(AppError::PasswordPolicy(vec![password_policy::MAX_BYTES]));
        }
        let hash = self.hasher.hash(password.clone()).await?;
        let now = self.clock.now_ms();
        let admin = NewUser {
            email: None,
            username: Some(username.to_string()),
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

fn throttled(retry_after_ms: i64) -> AppError {
    AppError::RateLimited {
        message: RESET_THROTTLE_MESSAGE,
        retry_after_secs: u64::try_from((retry_after_ms + 999) / 1000)
            .unwrap_or(1)
            .max(1),
    }
}

fn account_throttled(wait_ms: Millis) -> AppError {
    AppError::RateLimited {
        message: ACCOUNT_THROTTLE_MESSAGE,
        retry_after_secs: u64::try_from((wait_ms + 999) / 1000).unwrap_or(1).max(1),
    }
}

/// A change without a token either happened or found the user gone.
fn user_changed(outcome: ChangeOutcome) -> Result<(), AppError> {
    match outcome {
        ChangeOutcome::Changed => Ok(()),
        _ => Err(no_user()),
    }
}
