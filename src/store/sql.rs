//! What SQLite (`sqlite.rs`) and PostgreSQL (`postgres.rs`) share over Unlatch's own tables: the
//! statements whose text the two dialects agree on, the condition that a token is still live, the
//! reading of rows, and where the purge finds each kind of row (table, age, key). Each backend
//! keeps only what its dialect writes its own way (locks, `RETURNING`, arrays, the shape of a
//! purge batch).
//!
//! Placeholders are PostgreSQL's `$N`. SQLite takes `$N` too, as a named parameter, and numbers
//! named parameters in the order they first appear: so that both bind the same values to the same
//! places, each statement names `$1`, `$2`, … first in that order (a test holds every statement
//! here to it, and `sqlite.rs` tests SQLite's numbering).

use super::*;

/// A token (reset, invite, "this wasn't me") that can still be used at the time `$at`: not used,
/// not expired.
macro_rules! live_token {
    ($at:literal) => {
        concat!("used_at IS NULL AND expires_at > ", $at)
    };
}
pub(super) use live_token;

/// A query of users (`u`) that reads [`user_from_row`]'s nine columns first; `$tail` names `users u`
/// and the rest. The root role is read as a 64-bit integer in both dialects.
macro_rules! user_query {
    ($tail:literal) => {
        concat!(
            "SELECT u.id, u.email, u.username, u.name, u.password_hash, \
             CAST(u.root_role AS BIGINT), u.login_attempts, u.created_at, u.seen_at ",
            $tail
        )
    };
}
pub(super) use user_query;

/// The purge's deletes over Unlatch's own tables, as [`Tx`] methods of a backend whose
/// `purge::<K>(statement, before, after, limit)` runs one batch of a statement that its dialect's
/// `$batch!(table, key, value[, filter])` writes: which table each kind of row is in, the value
/// its age is read from, and its key (`K`: an id, or a digest's bytes).
macro_rules! purge_methods {
    ($batch:ident) => {
        fn delete_tokens_expired_before(
            &mut self,
            before: Millis,
            after: Option<&PurgeCursor>,
            limit: usize,
        ) -> StoreResult<Purged> {
            let statement = $batch!("tokens", "token_sha256", "expires_at");
            self.purge::<Vec<u8>>(statement, before, after, limit)
        }

        fn delete_not_me_tokens_expired_before(
            &mut self,
            before: Millis,
            after: Option<&PurgeCursor>,
            limit: usize,
        ) -> StoreResult<Purged> {
            let statement = $batch!("not_me_tokens", "token_sha256", "expires_at");
            self.purge::<Vec<u8>>(statement, before, after, limit)
        }

        fn delete_sessions_expired_before(
            &mut self,
            before: Millis,
            after: Option<&PurgeCursor>,
            limit: usize,
        ) -> StoreResult<Purged> {
            let statement = $batch!("sessions", "session_sha256", "expires_at");
            self.purge::<Vec<u8>>(statement, before, after, limit)
        }

        fn delete_sent_mail_before(
            &mut self,
            before: Millis,
            after: Option<&PurgeCursor>,
            limit: usize,
        ) -> StoreResult<Purged> {
            let statement = $batch!("outbox", "id", "sent_at", "state = 'sent'");
            self.purge::<i64>(statement, before, after, limit)
        }

        fn delete_dead_mail_seen_before(
            &mut self,
            before: Millis,
            after: Option<&PurgeCursor>,
            limit: usize,
        ) -> StoreResult<Purged> {
            let statement = $batch!("outbox", "id", "seen_at", "state = 'dead'");
            self.purge::<i64>(statement, before, after, limit)
        }

        fn delete_events_before(
            &mut self,
            before: Millis,
            after: Option<&PurgeCursor>,
            limit: usize,
        ) -> StoreResult<Purged> {
            let statement = $batch!("events", "id", "created_at");
            self.purge::<i64>(statement, before, after, limit)
        }

        fn delete_attempts_before(
            &mut self,
            before: Millis,
            after: Option<&PurgeCursor>,
            limit: usize,
        ) -> StoreResult<Purged> {
            let statement = $batch!("attempts", "key_sha256", "started_at");
            self.purge::<Vec<u8>>(statement, before, after, limit)
        }
    };
}
pub(super) use purge_methods;

pub const COUNT_USERS: &str = "SELECT count(*) FROM users WHERE deleted_at IS NULL";
pub const USER_BY_ID: &str = user_query!("FROM users u WHERE u.id = $1 AND u.deleted_at IS NULL");
/// [`USER_BY_EMAIL`]'s text, for a dialect's statement that builds on it.
macro_rules! user_by_email {
    () => {
        $crate::store::sql::user_query!("FROM users u WHERE u.email = $1 AND u.deleted_at IS NULL")
    };
}
pub(super) use user_by_email;
pub const USER_BY_EMAIL: &str = user_by_email!();
pub const USER_BY_USERNAME: &str =
    user_query!("FROM users u WHERE u.username = $1 AND u.deleted_at IS NULL");
pub const USERS: &str = user_query!("FROM users u WHERE u.deleted_at IS NULL ORDER BY u.id");
/// After id `$1`, `$2` users at most, skipping `$3`.
pub const USERS_PAGE: &str = user_query!(
    "FROM users u WHERE u.id > $1 AND u.deleted_at IS NULL
     ORDER BY u.id LIMIT $2 OFFSET $3"
);
pub const SET_SEEN_AT: &str = "UPDATE users SET seen_at = $1 WHERE id = $2";
pub const SET_PASSWORD_HASH: &str = "UPDATE users SET password_hash = $1, login_attempts = 0
     WHERE id = $2 AND deleted_at IS NULL";
pub const CLEAR_PASSWORD_HASH: &str =
    "UPDATE users SET password_hash = NULL WHERE id = $1 AND deleted_at IS NULL";
pub const MARK_USER_DELETED: &str =
    "UPDATE users SET deleted_at = $1, email = NULL, username = NULL, password_hash = NULL
     WHERE id = $2 AND deleted_at IS NULL";

pub const PASSWORD_HISTORY: &str =
    "SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY id DESC";
pub const ADD_PASSWORD_HISTORY: &str =
    "INSERT INTO password_history (user_id, password_hash, created_at) VALUES ($1, $2, $3)";
pub const DELETE_PASSWORD_HISTORY_OF: &str = "DELETE FROM password_history WHERE user_id = $1";

/// [`INSERT_TOKEN`]'s text, for a dialect's statement that builds on it.
macro_rules! insert_token {
    () => {
        "INSERT INTO tokens (token_sha256, user_id, kind, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)"
    };
}
pub(super) use insert_token;
pub const INSERT_TOKEN: &str = insert_token!();
/// The token's columns after the user's nine: kind, created_by, created_at, expires_at,
/// used_at.
pub const TOKEN: &str = user_query!(
    ", t.kind, t.created_by, t.created_at, t.expires_at, t.used_at
     FROM tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_sha256 = $1 AND u.deleted_at IS NULL"
);
pub const NEWEST_TOKEN_AT: &str =
    "SELECT max(created_at) FROM tokens WHERE user_id = $1 AND kind = $2";
/// Every live token of user `$2` expires at `$1`.
pub const EXPIRE_TOKENS_OF: &str = concat!(
    "UPDATE tokens SET expires_at = $1 WHERE user_id = $2 AND ",
    live_token!("$1")
);
/// Token `$2` of user `$3`, live at `$1`, is used then.
pub const USE_TOKEN: &str = concat!(
    "UPDATE tokens SET used_at = $1 WHERE token_sha256 = $2 AND user_id = $3 AND ",
    live_token!("$1")
);
pub const DELETE_TOKENS_OF: &str = "DELETE FROM tokens WHERE user_id = $1";

pub const INSERT_NOT_ME_TOKEN: &str =
    "INSERT INTO not_me_tokens (token_sha256, user_id, created_at, expires_at)
     VALUES ($1, $2, $3, $4)";
/// The token's columns after the user's nine: created_at, expires_at, used_at.
pub const NOT_ME_TOKEN: &str = user_query!(
    ", t.created_at, t.expires_at, t.used_at
     FROM not_me_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_sha256 = $1 AND u.deleted_at IS NULL"
);
/// As [`USE_TOKEN`].
pub const USE_NOT_ME_TOKEN: &str = concat!(
    "UPDATE not_me_tokens SET used_at = $1 WHERE token_sha256 = $2 AND user_id = $3 AND ",
    live_token!("$1")
);

pub const INSERT_SESSION: &str =
    "INSERT INTO sessions (session_sha256, user_id, created_at, expires_at, user_agent, ip)
     VALUES ($1, $2, $3, $4, $5, $6)";
/// The session's columns after the user's nine: created_at, expires_at, user_agent, ip.
pub const SESSION: &str = user_query!(
    ", s.created_at, s.expires_at, s.user_agent, s.ip
     FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.session_sha256 = $1 AND u.deleted_at IS NULL"
);
pub const SESSIONS_OF: &str =
    "SELECT session_sha256, created_at, expires_at, user_agent, ip FROM sessions
     WHERE user_id = $1 ORDER BY created_at, session_sha256";
pub const DELETE_SESSIONS_OF: &str = "DELETE FROM sessions WHERE user_id = $1";
pub const DELETE_SESSIONS_OF_BUT: &str =
    "DELETE FROM sessions WHERE user_id = $1 AND session_sha256 <> $2";

pub const SET_ATTEMPTS: &str = "INSERT INTO attempts (key_sha256, started_at, count) VALUES ($1, $2, $3)
     ON CONFLICT (key_sha256) DO UPDATE SET started_at = excluded.started_at, count = excluded.count";

pub const ENQUEUE_MAIL: &str =
    "INSERT INTO outbox (idempotency_key, template, recipient, subject, html, text, state,
                         next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7)";
/// Mail `$2` is not due before `$1`, one attempt more.
pub const LEASE_MAIL: &str =
    "UPDATE outbox SET next_attempt_at = $1, attempts = attempts + 1 WHERE id = $2";
/// Mail `$2`, still pending after `$3` attempts, is not due before `$1`.
pub const RENEW_MAIL_LEASE: &str = "UPDATE outbox SET next_attempt_at = $1
     WHERE id = $2 AND attempts = $3 AND state = 'pending'";
/// Mail `$2` was sent at `$1`.
pub const MARK_MAIL_SENT: &str =
    "UPDATE outbox SET state = 'sent', sent_at = $1, html = NULL, text = NULL, last_error = NULL
     WHERE id = $2";
/// Mail `$3` is due again at `$1`, after error `$2`.
pub const SCHEDULE_MAIL: &str =
    "UPDATE outbox SET next_attempt_at = $1, last_error = $2 WHERE id = $3";
/// Mail `$2` died of error `$1`.
pub const MARK_MAIL_DEAD: &str =
    "UPDATE outbox SET state = 'dead', last_error = $1, html = NULL, text = NULL WHERE id = $2";
pub const OUTBOX: &str =
    "SELECT id, template, recipient, state, attempts, last_error, created_at, next_attempt_at
     FROM outbox ORDER BY id DESC LIMIT $1";

/// An event's columns (`$1` to `$8`: kind, actor, subject, ip, created_at, actor_id, data,
/// pre_data) and its period (`$9`, counted events only).
pub const INSERT_EVENT: &str =
    "INSERT INTO events (kind, actor, subject, ip, created_at, actor_id, data, pre_data, period)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
pub const COUNT_EVENTS: &str = "SELECT count(*) FROM events";
pub const EVENTS: &str =
    "SELECT id, kind, actor, subject, ip, created_at, coalesce(count, 1), actor_id, data, pre_data
     FROM events ORDER BY id DESC LIMIT $1 OFFSET $2";

pub const SET_LEASE: &str = "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at";
pub const KEEP_KEY: &str =
    "INSERT INTO keys (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
pub const KEY: &str = "SELECT value FROM keys WHERE name = $1";

/// A result row, read the same way whichever driver answered it.
pub trait Columns {
    type Error;
    fn int(&self, column: usize) -> Result<i64, Self::Error>;
    fn opt_int(&self, column: usize) -> Result<Option<i64>, Self::Error>;
    fn text(&self, column: usize) -> Result<String, Self::Error>;
    fn opt_text(&self, column: usize) -> Result<Option<String>, Self::Error>;
}

/// A user from the first nine columns of a [`user_query`], or a corrupt-row error naming what
/// could not be read; outside, the driver's own error.
pub fn user_from_row<R: Columns>(row: &R) -> Result<StoreResult<User>, R::Error> {
    let role = row.int(5)?;
    let root_role = RootRole::from_id(role).ok_or_else(|| format!("root role {role}"));
    user_with_role(row, root_role)
}

/// A user from the nine columns of a user query but the root role's (the sixth), which the
/// caller read as its layout keeps it (or says what it found instead). Beside Unleash, the user
/// has Unleash's fields too, which the caller adds.
pub fn user_with_role<R: Columns>(
    row: &R,
    root_role: Result<RootRole, String>,
) -> Result<StoreResult<User>, R::Error> {
    let id = row.int(0)?;
    let root_role = match root_role {
        Ok(role) => role,
        Err(found) => return Ok(Err(StoreError::Corrupt(format!("user {id} has {found}")))),
    };
    let email = match row.opt_text(1)? {
        None => None,
        Some(text) => match Email::parse(&text) {
            Some(email) => Some(email),
            None => {
                return Ok(Err(StoreError::Corrupt(format!(
                    "user {id} has an unreadable e-mail"
                ))))
            }
        },
    };
    Ok(Ok(User {
        id: UserId(id),
        email,
        username: row.opt_text(2)?,
        name: row.opt_text(3)?,
        password_hash: row.opt_text(4)?.map(PasswordHash),
        root_role,
        login_attempts: row.int(6)?,
        created_at: row.int(7)?,
        seen_at: row.opt_int(8)?,
        unleash: UnleashFields::default(),
    }))
}

/// A token after the user's nine columns of [`TOKEN`].
pub fn token_from_row<R: Columns>(row: &R) -> Result<StoreResult<TokenRecord>, R::Error> {
    let kind = row.text(9)?;
    let Some(kind) = TokenKind::parse(&kind) else {
        return Ok(Err(StoreError::Corrupt(format!("token kind {kind:?}"))));
    };
    Ok(Ok(TokenRecord {
        kind,
        created_by: row.text(10)?,
        created_at: row.int(11)?,
        expires_at: row.int(12)?,
        used_at: row.opt_int(13)?,
    }))
}

/// A "this wasn't me" token after the user's nine columns of [`NOT_ME_TOKEN`].
pub fn not_me_token_from_row<R: Columns>(row: &R) -> Result<NotMeTokenRecord, R::Error> {
    Ok(NotMeTokenRecord {
        created_at: row.int(9)?,
        expires_at: row.int(10)?,
        used_at: row.opt_int(11)?,
    })
}

/// Session `key` from its four columns from `first` on: created_at, expires_at, user_agent, ip
/// (as [`SESSION`] and [`SESSIONS_OF`] read them, and the sessions beside Unleash).
pub fn session_from_row<R: Columns>(
    row: &R,
    key: SecretKey,
    first: usize,
) -> Result<SessionRecord, R::Error> {
    Ok(SessionRecord {
        key,
        created_at: row.int(first)?,
        expires_at: row.int(first + 1)?,
        client: SessionClient {
            user_agent: row.opt_text(first + 2)?,
            ip: row.opt_text(first + 3)?,
        },
    })
}

/// A due mail from a claim's columns: id, attempts, idempotency_key, template, recipient,
/// subject, html, text, created_at (the bodies of a mail that is done are gone).
pub fn queued_mail_from_row<R: Columns>(row: &R) -> Result<QueuedMail, R::Error> {
    Ok(QueuedMail {
        id: row.int(0)?,
        attempts: row.int(1)?,
        queued_at: row.int(8)?,
        mail: OutgoingMail {
            key: row.text(2)?,
            template: row.text(3)?,
            recipient: row.text(4)?,
            subject: row.text(5)?,
            html: row.opt_text(6)?.unwrap_or_default(),
            text: row.opt_text(7)?.unwrap_or_default(),
        },
    })
}

/// An entry of [`OUTBOX`].
pub fn outbox_entry_from_row<R: Columns>(row: &R) -> Result<StoreResult<OutboxEntry>, R::Error> {
    let state = match MailState::parse(&row.text(3)?) {
        Ok(state) => state,
        Err(e) => return Ok(Err(e)),
    };
    Ok(Ok(OutboxEntry {
        id: row.int(0)?,
        template: row.text(1)?,
        recipient: row.text(2)?,
        state,
        attempts: row.int(4)?,
        last_error: row.opt_text(5)?,
        created_at: row.int(6)?,
        next_attempt_at: row.int(7)?,
    }))
}

/// An event of [`EVENTS`].
pub fn event_from_row<R: Columns>(row: &R) -> Result<StoreResult<Event>, R::Error> {
    let json = |text: Option<String>| event_json(text.as_deref());
    let (data, pre_data) = match (json(row.opt_text(8)?), json(row.opt_text(9)?)) {
        (Ok(data), Ok(pre_data)) => (data, pre_data),
        (Err(e), _) | (_, Err(e)) => return Ok(Err(e)),
    };
    Ok(Ok(Event {
        id: row.int(0)?,
        event: NewEvent {
            kind: row.text(1)?,
            actor: row.text(2)?,
            actor_id: row.opt_int(7)?,
            subject: row.opt_text(3)?,
            ip: row.opt_text(4)?,
            created_at: row.int(5)?,
            data,
            pre_data,
            shared: false,
        },
        count: row.int(6)?,
    }))
}

/// An event's `data` or `preData` as a backend keeps it (JSON text), read back.
fn event_json(text: Option<&str>) -> StoreResult<Option<serde_json::Value>> {
    text.map(|t| {
        serde_json::from_str(t)
            .map_err(|e| StoreError::Corrupt(format!("an event's data is not JSON: {e}")))
    })
    .transpose()
}

/// Every statement above, for the test of their placeholders.
#[cfg(test)]
pub const ALL: &[&str] = &[
    COUNT_USERS,
    USER_BY_ID,
    USER_BY_EMAIL,
    USER_BY_USERNAME,
    USERS,
    USERS_PAGE,
    SET_SEEN_AT,
    SET_PASSWORD_HASH,
    CLEAR_PASSWORD_HASH,
    MARK_USER_DELETED,
    PASSWORD_HISTORY,
    ADD_PASSWORD_HISTORY,
    DELETE_PASSWORD_HISTORY_OF,
    INSERT_TOKEN,
    TOKEN,
    NEWEST_TOKEN_AT,
    EXPIRE_TOKENS_OF,
    USE_TOKEN,
    DELETE_TOKENS_OF,
    INSERT_NOT_ME_TOKEN,
    NOT_ME_TOKEN,
    USE_NOT_ME_TOKEN,
    INSERT_SESSION,
    SESSION,
    SESSIONS_OF,
    DELETE_SESSIONS_OF,
    DELETE_SESSIONS_OF_BUT,
    SET_ATTEMPTS,
    ENQUEUE_MAIL,
    LEASE_MAIL,
    RENEW_MAIL_LEASE,
    MARK_MAIL_SENT,
    SCHEDULE_MAIL,
    MARK_MAIL_DEAD,
    OUTBOX,
    INSERT_EVENT,
    COUNT_EVENTS,
    EVENTS,
    SET_LEASE,
    KEEP_KEY,
    KEY,
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The `N` of each `$N`, in the order they stand.
    fn placeholders(statement: &str) -> Vec<usize> {
        let mut found = Vec::new();
        let mut rest = statement;
        while let Some(at) = rest.find('$') {
            rest = &rest[at + 1..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse() {
                found.push(n);
            }
        }
        found
    }

    #[test]
    fn each_placeholder_first_stands_in_its_number_s_order() {
        for statement in ALL {
            let mut seen = 0;
            for n in placeholders(statement) {
                assert!(n <= seen + 1, "${n} before ${}: {statement}", seen + 1);
                seen = seen.max(n);
            }
        }
    }
}
