//! Password changes other than by a reset link: a user's own (with the current password) and
//! an admin's; the policy, the history and what a change ends.

use crate::base::types::{EventKind, Secret, UserId};
use crate::domain::caller::Caller;
use crate::domain::throttle;
use crate::store::{Finish, NewEvent, SecretKey, User};

use super::error::{AccountError, Field, PasswordCheck, Problem, Throttle};
use super::service::{
    change_password, user_changed, Accounts, ChangeOutcome, Origin, PasswordChange,
    SessionsAfterChange, PASSWORD_HISTORY,
};

impl Accounts {
    pub(super) async fn refuse_reused(
        &self,
        user: UserId,
        password: &Secret,
    ) -> Result<(), AccountError> {
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
    pub(super) async fn set_password(
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
}
