//! The admin calls on users: create (with the welcome mail), read, list, delete, hand out a
//! reset link; the operator's link and the first admin.

use crate::base::types::{Email, EventKind, RootRole, Secret, TokenKind, UserId, Username};
use crate::domain::caller::{Caller, SYSTEM_USER};
use crate::domain::password_policy::{self, PolicyError};
use crate::domain::secrets;
use crate::mail::templates::Template;
use crate::mail::Recipient;
use crate::store::{Finish, Millis, NewUser, StoreError, StoreResult, Tx, User};

use super::error::{AccountError, Field, Problem};
use super::service::{label, non_empty, user_data, Accounts, Origin};
use super::sessions::password_login_disabled;

/// A user as the admin user list shows one.
#[derive(Debug, Clone)]
pub struct ListedUser {
    pub user: User,
    /// How many live sessions the user has, when the list shows it (0 for none, as Unleash).
    pub active_sessions: Option<i64>,
}

pub struct CreatedUser {
    pub user: User,
    /// The link carries the invite token.
    pub invite_link: Secret,
    pub email_sent: bool,
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

impl Accounts {
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
                    // A newer token expires every older live token of the user.
                    tx.replace_tokens(user.id, invite)?;
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
