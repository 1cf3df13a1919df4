//! Log-in, log-out and a user's sessions: credentials the edge resolves, the log-in's checks
//! in the contract's order (CONTRACT §3), the session cap, and a user's own session list.

use crate::base::types::{EventKind, LoginName, Lookup, Secret, UserId};
use crate::domain::caller::Caller;
use crate::domain::secrets;
use crate::domain::throttle;
use crate::store::{
    Finish, Millis, NewEvent, NewSession, SecretKey, SessionClient, SessionRecord, StoreResult,
    StoredCredential, Tx, User,
};

use super::error::{AccountError, PasswordCheck, Throttle};
use super::service::{label, Accounts, Origin, ANONYMOUS};

/// A successful login: the user (with `seen_at` as it was before this login) and its new
/// session's id, for the caller's cookie, valid until `expires_at`.
pub struct LoginOutcome {
    pub user: User,
    pub session: secrets::NewSecret,
    pub expires_at: Millis,
    /// A fresh proof of this device (`devices`), for the caller to keep.
    pub device: Secret,
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
pub(super) fn live_sessions(
    tx: &mut dyn Tx,
    user: UserId,
    now: Millis,
) -> StoreResult<Vec<SessionRecord>> {
    Ok(tx
        .sessions_of(user)?
        .into_iter()
        .filter(|s| s.expires_at > now)
        .collect())
}

/// Is password log-in turned off (beside Unleash, by Unleash's own setting)? Read fresh in each
/// transaction that needs it, so that turning it on or off in Unleash's UI takes effect at once.
/// `disabled` counts as Unleash's JavaScript reads it (`if (settings?.disabled)`): any truthy value.
pub(super) fn password_login_disabled(tx: &mut dyn Tx) -> StoreResult<bool> {
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

impl Accounts {
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
        let found = self.store.session(key).await?;
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
}
