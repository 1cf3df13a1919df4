//! What the password endpoints do (CONTRACT §3–§5), in the contract's order of checks, on top of
//! the store, the bcrypt pool and the clock. Handlers in `api.rs` only translate to and from the
//! generated types.

use std::sync::Arc;

use crate::auth::{Caller, SESSION_COOKIE};
use crate::clock::{to_http_date, Clock};
use crate::domain::{Email, RootRole, TokenKind};
use crate::errors::{
    AppError, FieldError, MismatchKind, ACCOUNT_THROTTLE_MESSAGE, RESET_THROTTLE_MESSAGE,
};
use crate::hashing::Hasher;
use crate::mail::templates::Template;
use crate::mail::{Mailer, Recipient};
use crate::password_policy;
use crate::secrets;
use crate::store::{
    ChangeOutcome, IssueOutcome, IssueToken, NewSession, NewToken, NewUser, OutgoingMail,
    PasswordChange, SessionsAfterChange, Store, StoreError, TokenRecord, User,
};
use crate::throttle::FailureThrottle;

pub const MAX_SESSIONS_PER_USER: usize = 5;
pub const PASSWORD_HISTORY: usize = 5;
pub const TOKEN_TTL_MS: i64 = 24 * 3600 * 1000;
/// One reset link per user per minute.
pub const RESET_THROTTLE_MS: i64 = 60 * 1000;
/// Who created a self-service reset token.
pub const SYSTEM_USER: &str = "unleash_system_user";

pub struct AccountsConfig {
    /// `UNLEASH_URL` without a trailing slash.
    pub public_base: String,
    pub session_ttl_ms: i64,
    pub reveal_accounts: bool,
    /// `Secure` on the session cookie (the public URL is https).
    pub secure_cookie: bool,
    /// The password policy, blocklist included.
    pub policy: Arc<password_policy::PasswordPolicy>,
}

pub struct Accounts {
    store: Arc<dyn Store>,
    hasher: Arc<Hasher>,
    mailer: Arc<Mailer>,
    failures: Arc<FailureThrottle>,
    clock: Clock,
    config: AccountsConfig,
}

/// A successful login: the user (with `seen_at` as it was before this login) and the cookie.
pub struct LoginOutcome {
    pub user: User,
    pub set_cookie: String,
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

fn db(e: StoreError) -> AppError {
    AppError::internal(e)
}

/// An empty string counts as absent, as in Unleash.
fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl Accounts {
    pub fn new(
        store: Arc<dyn Store>,
        hasher: Arc<Hasher>,
        mailer: Arc<Mailer>,
        failures: Arc<FailureThrottle>,
        clock: Clock,
        config: AccountsConfig,
    ) -> Self {
        Accounts {
            store,
            hasher,
            mailer,
            failures,
            clock,
            config,
        }
    }

    /// The "password changed" notice for a user with an address.
    fn changed_notice(&self, user: &User) -> Result<Option<OutgoingMail>, AppError> {
        user.email
            .as_deref()
            .map(|email| {
                self.mailer.compose(
                    Template::PasswordChanged,
                    &Recipient {
                        email,
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

    pub fn now_ms(&self) -> crate::store::Millis {
        self.clock.now_ms()
    }

    fn session_cookie_header(&self, value: &str, expires_ms: i64) -> String {
        let secure = if self.config.secure_cookie {
            "; Secure"
        } else {
            ""
        };
        format!(
            "{SESSION_COOKIE}={value}; Path=/; Expires={}; HttpOnly; SameSite=Lax{secure}",
            to_http_date(expires_ms)
        )
    }

    pub fn cleared_cookie_header(&self) -> String {
        self.session_cookie_header("", 0)
    }

    pub fn link(&self, kind: TokenKind, token: &str) -> String {
        let page = match kind {
            TokenKind::Reset => "reset-password",
            TokenKind::Invite => "new-user",
        };
        format!("{}/{page}?token={token}", self.config.public_base)
    }

    pub fn public_url(&self, path: &str) -> String {
        format!("{}{path}", self.config.public_base)
    }

    pub fn check_policy(&self, password: &str) -> Result<(), AppError> {
        self.config.policy.check(password).map_err(AppError::from)
    }

    /// `POST /auth/simple/login`. Unknown user, no password and wrong password are one answer,
    /// and cost the same bcrypt time.
    pub async fn login(&self, login: &str, password: String) -> Result<LoginOutcome, AppError> {
        self.failures.check(login).map_err(account_throttled)?;
        let user = self
            .store
            .find_user_by_login(login.trim())
            .await
            .map_err(db)?;
        let hash = user.as_ref().and_then(|u| u.password_hash.clone());
        let matched = self.hasher.verify(password, hash).await?;
        let Some(mut user) = user.filter(|_| matched) else {
            self.failures.record_failure(login);
            return Err(AppError::PasswordMismatch(MismatchKind::Login));
        };
        let now = self.clock.now_ms();
        user.seen_at = self.store.record_login(user.id, now).await.map_err(db)?;
        let session = secrets::generate()?;
        let expires_at = now + self.config.session_ttl_ms;
        self.store
            .create_session(
                NewSession {
                    digest: session.digest,
                    user_id: user.id,
                    created_at: now,
                    expires_at,
                },
                MAX_SESSIONS_PER_USER,
            )
            .await
            .map_err(db)?;
        Ok(LoginOutcome {
            set_cookie: self.session_cookie_header(&session.value, expires_at),
            user,
        })
    }

    /// Ends the session behind this cookie value, if there is one.
    pub async fn end_session(&self, cookie: Option<&str>) -> Result<(), AppError> {
        if let Some(value) = cookie {
            self.store
                .delete_session(secrets::digest(value))
                .await
                .map_err(db)?;
        }
        Ok(())
    }

    /// `GET /auth/reset/validate`: the live token's user; a valid call ends the caller's session.
    pub async fn validate_token(
        &self,
        token: Option<&str>,
        caller_cookie: Option<&str>,
    ) -> Result<(TokenRecord, User), AppError> {
        let found = self.live_token(token).await?;
        self.end_session(caller_cookie).await?;
        Ok(found)
    }

    async fn live_token(&self, token: Option<&str>) -> Result<(TokenRecord, User), AppError> {
        let token = token
            .filter(|t| !t.is_empty())
            .ok_or(AppError::InvalidToken)?;
        self.store
            .find_live_token(secrets::digest(token), self.clock.now_ms())
            .await
            .map_err(db)?
            .ok_or(AppError::InvalidToken)
    }

    /// `POST /auth/reset/password`: session, policy, token, history, then the atomic change.
    pub async fn reset_password(
        &self,
        token: &str,
        password: String,
        caller_cookie: Option<&str>,
    ) -> Result<User, AppError> {
        self.end_session(caller_cookie).await?;
        self.check_policy(&password)?;
        let (_, user) = self.live_token(Some(token)).await?;
        self.refuse_reused(user.id, &password).await?;
        let redeem = Some(secrets::digest(token));
        match self
            .set_password(&user, password, SessionsAfterChange::EndAll, redeem)
            .await?
        {
            ChangeOutcome::Changed => Ok(user),
            ChangeOutcome::TokenNotLive | ChangeOutcome::UserGone => Err(AppError::InvalidToken),
        }
    }

    async fn refuse_reused(&self, user_id: i64, password: &str) -> Result<(), AppError> {
        let history = self.store.password_history(user_id).await.map_err(db)?;
        if self
            .hasher
            .matches_any(password.to_string(), history)
            .await?
        {
            return Err(AppError::PasswordPreviouslyUsed);
        }
        Ok(())
    }

    /// `POST /auth/reset/password-email`. By default an unknown address and a repeat within the
    /// throttle answer the same `Ok(())` as a real request, send nothing, and cost the same: the
    /// mail is rendered and the same transaction runs (and is rolled back).
    pub async fn request_reset_email(&self, email: &str) -> Result<(), AppError> {
        let user = self
            .store
            .find_user_by_email(email)
            .await
            .map_err(db)?
            .filter(|u| u.email.is_some());
        let (value, token) = self.new_token(TokenKind::Reset, SYSTEM_USER)?;
        let link = self.link(TokenKind::Reset, &value);
        let address = email.trim().to_lowercase();
        let recipient = match &user {
            Some(u) => Recipient {
                email: u.email.as_deref().unwrap_or(&address),
                name: display_name(u),
            },
            None => Recipient {
                email: &address,
                name: None,
            },
        };
        let mail = self
            .mailer
            .compose(Template::ResetPassword, &recipient, Some(&link))?;
        let outcome = self
            .store
            .issue_token(IssueToken {
                user_id: user.as_ref().map(|u| u.id),
                token,
                mail: Some(mail),
                throttle_ms: Some(RESET_THROTTLE_MS),
            })
            .await
            .map_err(db)?;
        let refusal = match outcome {
            IssueOutcome::Issued => {
                self.mailer.queued();
                return Ok(());
            }
            IssueOutcome::NoUser => AppError::NotFound("No user found".into()),
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
    ) -> Result<String, AppError> {
        let user = self
            .store
            .find_user_by_email(email)
            .await
            .map_err(db)?
            .ok_or_else(|| AppError::NotFound("No user found".into()))?;
        let (value, token) = self.new_token(TokenKind::Reset, created_by)?;
        let outcome = self
            .store
            .issue_token(IssueToken {
                user_id: Some(user.id),
                token,
                mail: None,
                throttle_ms: throttle.then_some(RESET_THROTTLE_MS),
            })
            .await
            .map_err(db)?;
        match outcome {
            IssueOutcome::Issued => Ok(self.link(TokenKind::Reset, &value)),
            IssueOutcome::Throttled { retry_after_ms } => Err(throttled(retry_after_ms)),
            IssueOutcome::NoUser => Err(AppError::NotFound("No user found".into())),
        }
    }

    /// `POST /api/admin/user/change-password` for the logged-in caller.
    pub async fn change_own_password(
        &self,
        caller: &Caller,
        password: String,
        confirm: Option<&str>,
        old: Option<String>,
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
        let throttle_key = format!("user:{}", user.id);
        self.failures
            .check(&throttle_key)
            .map_err(account_throttled)?;
        // Read afresh: the session's copy of the user may predate a change in another session.
        let current = self.get_user(user.id).await?;
        if !self
            .hasher
            .verify(old, current.password_hash.clone())
            .await?
        {
            self.failures.record_failure(&throttle_key);
            return Err(AppError::PasswordMismatch(MismatchKind::OldPassword));
        }
        self.refuse_reused(user.id, &password).await?;
        let keep = SessionsAfterChange::KeepOnly(*session);
        let outcome = self.set_password(&current, password, keep, None).await?;
        user_changed(outcome)
    }

    /// Hashes and stores a new password (redeeming `redeem`, if given) and queues the notice,
    /// all in one store transaction.
    async fn set_password(
        &self,
        user: &User,
        password: String,
        sessions: SessionsAfterChange,
        redeem: Option<crate::store::Digest>,
    ) -> Result<ChangeOutcome, AppError> {
        let new_hash = self.hasher.hash(password).await?;
        let outcome = self
            .store
            .change_password(PasswordChange {
                user_id: user.id,
                new_hash,
                now: self.clock.now_ms(),
                sessions,
                redeem,
                notify: self.changed_notice(user)?,
                history_len: PASSWORD_HISTORY,
            })
            .await
            .map_err(db)?;
        if outcome == ChangeOutcome::Changed {
            self.mailer.queued();
        }
        Ok(outcome)
    }

    /// `POST /api/admin/user-admin/{id}/change-password`: policy, no history; ends all sessions.
    pub async fn admin_change_password(&self, id: i64, password: String) -> Result<(), AppError> {
        self.check_policy(&password)?;
        let user = self.get_user(id).await?;
        let outcome = self
            .set_password(&user, password, SessionsAfterChange::EndAll, None)
            .await?;
        user_changed(outcome)
    }

    /// `POST /api/admin/user-admin/reset-password`: a reset link for the user with that e-mail.
    pub async fn admin_reset_link(&self, caller: &Caller, email: &str) -> Result<String, AppError> {
        self.reset_link(email, &caller.display_name(), true).await
    }

    /// A reset link for the operator's CLI (no throttle: the operator is recovering an account).
    pub async fn operator_reset_link(&self, email: &str) -> Result<String, AppError> {
        self.reset_link(email, SYSTEM_USER, false).await
    }

    pub async fn get_user(&self, id: i64) -> Result<User, AppError> {
        self.store
            .find_user(id)
            .await
            .map_err(db)?
            .ok_or_else(|| AppError::NotFound("No user found".into()))
    }

    pub async fn list_users(&self) -> Result<Vec<User>, AppError> {
        self.store.list_users().await.map_err(db)
    }

    pub async fn delete_user(&self, id: i64) -> Result<(), AppError> {
        if self
            .store
            .delete_user(id, self.clock.now_ms())
            .await
            .map_err(db)?
        {
            Ok(())
        } else {
            Err(AppError::NotFound("No user found".into()))
        }
    }

    /// `POST /api/admin/user-admin`. The invite token is stored in the same transaction as the
    /// user. A password given here is not checked by the policy (Unleash's behaviour), but one that
    /// bcrypt would truncate is refused.
    pub async fn create_user(
        &self,
        created_by: &str,
        request: CreateUserRequest,
    ) -> Result<CreatedUser, AppError> {
        let email = non_empty(request.email);
        let username = non_empty(request.username);
        if email.is_none() && username.is_none() {
            return Err(AppError::bad_request("You must specify username or email"));
        }
        let email = match email {
            Some(raw) => Some(
                Email::parse(&raw)
                    .ok_or_else(|| {
                        AppError::bad_data(vec![FieldError {
                            path: "/body/email".into(),
                            message: "The `/body/email` property must be a valid e-mail address."
                                .into(),
                        }])
                    })?
                    .into_string(),
            ),
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
                        email: address,
                        name: name.as_deref(),
                    },
                    Some(&invite_link),
                )?)
            }
            _ => None,
        };
        let email_sent = welcome.is_some();
        let now = invite.created_at;
        let user = self
            .store
            .create_user(
                NewUser {
                    email,
                    username,
                    name,
                    password_hash,
                    root_role,
                    created_at: now,
                },
                Some(invite),
                welcome,
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict => AppError::bad_request("User already exists"),
                other => db(other),
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
        if self.store.count_users().await.map_err(db)? > 0 {
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
        let created = self
            .store
            .create_user(
                NewUser {
                    email: None,
                    username: Some(username.to_string()),
                    name: None,
                    password_hash: Some(hash),
                    root_role: RootRole::Admin,
                    created_at: self.clock.now_ms(),
                },
                None,
                None,
            )
            .await;
        match created {
            Ok(_) => Ok(generated.then_some(password)),
            // Another instance created it first.
            Err(StoreError::Conflict) => Ok(None),
            Err(e) => Err(db(e)),
        }
    }
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

fn account_throttled(wait: std::time::Duration) -> AppError {
    AppError::RateLimited {
        message: ACCOUNT_THROTTLE_MESSAGE,
        retry_after_secs: wait.as_secs().max(1),
    }
}

/// A change without a token either happened or found the user gone.
fn user_changed(outcome: ChangeOutcome) -> Result<(), AppError> {
    match outcome {
        ChangeOutcome::Changed => Ok(()),
        _ => Err(AppError::NotFound("No user found".into())),
    }
}
