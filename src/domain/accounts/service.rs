//! The `Accounts` service and what its use cases share: its settings, the audit log's origin,
//! the limits, a token's life, the rules of a password change and of a session's start.

use std::sync::Arc;

use crate::base::clock::Clock;
use crate::base::types::{ActorId, EventKind, PublicUrl, Secret, TokenKind, UserId};
use crate::domain::hashing::Hasher;
use crate::domain::password_policy::{self, PolicyError};
use crate::domain::secrets::{self, RandomError};
use crate::domain::throttle::FailureBudget;
use crate::mail::templates::Template;
use crate::mail::{Mailer, Recipient};
use crate::store::{
    Event, Finish, Millis, NewEvent, NewNotMeToken, NewToken, OutgoingMail, PasswordHash,
    SchemaVersion, SecretKey, SessionClient, Store, StoreResult, TokenRecord, Tx, User,
};

use super::error::AccountError;

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
pub(super) const TAKEOVER_REASON: &str = "takeover-reported";
/// The id the unknown-address run of the reset e-mail writes its token for (no user has it; the
/// run is rolled back).
pub(super) const NOBODY: UserId = UserId(0);

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

pub struct Accounts {
    pub(super) store: Arc<dyn Store>,
    pub(super) hasher: Arc<Hasher>,
    pub(super) mailer: Arc<Mailer>,
    pub(super) clock: Clock,
    pub(super) config: AccountsConfig,
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
    pub(super) fn session_client(&self) -> SessionClient {
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
    pub(super) fn shared_event(
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

    pub(super) fn event(&self, kind: EventKind, subject: Option<String>, at: Millis) -> NewEvent {
        self.event_by(self.actor.clone(), kind, subject, at)
    }

    pub(super) fn event_by(
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

/// Which sessions survive a password change.
#[derive(Debug, Clone)]
pub(super) enum SessionsAfterChange {
    EndAll,
    KeepOnly(SecretKey),
}

/// How a password change ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ChangeOutcome {
    Changed,
    /// The token to redeem was spent, expired or unknown (e.g. a concurrent redemption won).
    TokenNotLive,
    UserGone,
}

/// An empty string counts as absent, as in Unleash.
pub(super) fn non_empty(value: Option<String>) -> Option<String> {
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
pub(super) fn is_live(token: &TokenRecord, now: Millis) -> bool {
    token.used_at.is_none() && token.expires_at > now
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

/// Everything a password change does, in one transaction (CONTRACT §3, §4).
pub(super) struct PasswordChange {
    pub(super) user: UserId,
    pub(super) hash: PasswordHash,
    pub(super) now: Millis,
    pub(super) sessions: SessionsAfterChange,
    pub(super) redeem: Option<SecretKey>,
    pub(super) notice: Option<OutgoingMail>,
    /// The token of the notice's "this wasn't me" link.
    pub(super) not_me: Option<NewNotMeToken>,
    pub(super) event: NewEvent,
}

pub(super) fn change_password(
    tx: &mut dyn Tx,
    change: PasswordChange,
) -> StoreResult<Finish<ChangeOutcome>> {
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

/// How a mail greets the user: its name, else its username.
pub(super) fn display_name(user: &User) -> Option<&str> {
    user.name.as_deref().or(user.username.as_deref())
}

/// A change without a token either happened or found the user gone.
pub(super) fn user_changed(outcome: ChangeOutcome) -> Result<(), AccountError> {
    match outcome {
        ChangeOutcome::Changed => Ok(()),
        _ => Err(AccountError::UserNotFound),
    }
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
    pub(super) fn changed_notice(
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

    pub(super) fn new_token(
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
    pub(super) fn link(&self, kind: TokenKind, token: &Secret) -> Secret {
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

    pub(super) fn check_policy(&self, password: &Secret) -> Result<(), PolicyError> {
        self.config.policy.check(password.expose())
    }

    /// Records an event that belongs to no change (a refused attempt).
    pub(super) async fn record(&self, event: NewEvent) -> StoreResult<()> {
        self.store
            .write(move |tx| {
                tx.insert_event(&event)?;
                Ok(Finish::Commit(()))
            })
            .await
    }
}
