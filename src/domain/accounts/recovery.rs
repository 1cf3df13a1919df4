//! Reset links and what they open: validating and redeeming a token, the forgotten-password
//! e-mail (the same work for known and unknown addresses), admin-made links, and the "this
//! wasn't me" link that ends a takeover.

use crate::base::types::{normalise, Email, EventKind, Secret, TokenKind};
use crate::domain::caller::SYSTEM_USER;
use crate::mail::templates::Template;
use crate::mail::Recipient;
use crate::store::{
    Finish, NewEvent, NewToken, OutgoingMail, SecretKey, StoreResult, TokenRecord, User,
};

use super::error::{AccountError, Throttle};
use super::service::{
    display_name, is_live, label, Accounts, ChangeOutcome, Origin, SessionsAfterChange, NOBODY,
    RESET_EMAIL_FLOOR, RESET_THROTTLE_MS, TAKEOVER_REASON,
};
use super::sessions::live_sessions;

/// How a token request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IssueOutcome {
    Issued,
    Throttled { retry_after_ms: i64 },
    NoUser,
}

impl Accounts {
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
            .token(key)
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

    /// Stores a token (and its mail) for the user with this address, unless the per-user throttle
    /// refuses. For an address nobody has, the very same work runs and is undone.
    ///
    /// With `audit_refusal`, the three outcomes run the same statements in one transaction, so
    /// that none takes measurably longer than another: the work runs after a savepoint, which a
    /// refusal rolls back to (and a success simply ends), then the event is inserted and the
    /// transaction commits. Without it, a refusal rolls the whole transaction back, event and
    /// all. The savepoint is the transaction's first statement, before the user's row is locked
    /// (a refusal releases that lock early, having written nothing), so that a backend can open
    /// the transaction and the savepoint at once.
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
                tx.savepoint()?;
                let (id, exists) = match &email {
                    Some(email) => match tx.lock_user_by_email(email)? {
                        Some(user) => (user.id, true),
                        None => (NOBODY, false),
                    },
                    None => (NOBODY, tx.lock_user(NOBODY)?),
                };
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
                // A newer token expires every older live token of the user.
                tx.replace_tokens(id, &token)?;
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
            Some(a) => self.store.user_by_email(a).await?,
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
    pub(super) async fn reset_link(
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
}
