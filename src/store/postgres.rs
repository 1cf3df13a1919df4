//! Unlatch's own schema on PostgreSQL, for several instances on one database: its migrations and
//! the operations of a unit of work over its tables. The connections, the pool and the
//! transactions are PostgreSQL's plumbing (`pg.rs`), shared with the layout beside Unleash.
//!
//! Concurrency across instances comes from the database itself: row locks (`FOR UPDATE`) for
//! [`Tx::lock_user`] and [`Tx::lock_attempts`], `FOR UPDATE SKIP LOCKED` for claiming mail, and a
//! conditional `UPDATE` for redeeming a token.

use ::postgres::types::ToSql;
use ::postgres::{Client, Row};

use async_trait::async_trait;

use super::pg::{applied_version, apply_migrations, pg, Layout, Param, Pg, Reader};
use super::sql;
use super::*;

/// The versioned schema. Append only: a released migration is never edited.
const MIGRATIONS: &[&str] = &[
    r#"
    CREATE TABLE users (
        id             BIGSERIAL PRIMARY KEY,
        email          TEXT,
        username       TEXT,
        name           TEXT,
        password_hash  TEXT,
        root_role      INTEGER NOT NULL CHECK (root_role IN (1, 2, 3)),
        login_attempts BIGINT NOT NULL DEFAULT 0,
        created_at     BIGINT NOT NULL,
        seen_at        BIGINT,
        deleted_at     BIGINT,
        CHECK (email IS NULL OR email = lower(email))
    );
    CREATE UNIQUE INDEX users_email ON users (email) WHERE deleted_at IS NULL;
    CREATE UNIQUE INDEX users_username ON users (username) WHERE deleted_at IS NULL;

    CREATE TABLE password_history (
        id            BIGSERIAL PRIMARY KEY,
        user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        password_hash TEXT NOT NULL,
        created_at    BIGINT NOT NULL
    );
    CREATE INDEX password_history_user ON password_history (user_id, id);

    CREATE TABLE tokens (
        token_sha256 BYTEA PRIMARY KEY CHECK (octet_length(token_sha256) = 32),
        user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        kind         TEXT NOT NULL CHECK (kind IN ('reset', 'invite')),
        created_by   TEXT NOT NULL,
        created_at   BIGINT NOT NULL,
        expires_at   BIGINT NOT NULL,
        used_at      BIGINT
    );
    CREATE INDEX tokens_user ON tokens (user_id, kind, created_at);

    CREATE TABLE sessions (
        session_sha256 BYTEA PRIMARY KEY CHECK (octet_length(session_sha256) = 32),
        user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        created_at     BIGINT NOT NULL,
        expires_at     BIGINT NOT NULL
    );
    CREATE INDEX sessions_user ON sessions (user_id, created_at);

    CREATE TABLE outbox (
        id              BIGSERIAL PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        template        TEXT NOT NULL,
        recipient       TEXT NOT NULL,
        subject         TEXT NOT NULL,
        html            TEXT,
        text            TEXT,
        state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dead')),
        attempts        BIGINT NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        last_error      TEXT,
        created_at      BIGINT NOT NULL,
        sent_at         BIGINT
    );
    CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

    CREATE TABLE events (
        id         BIGSERIAL PRIMARY KEY,
        kind       TEXT NOT NULL,
        actor      TEXT NOT NULL,
        subject    TEXT,
        ip         TEXT,
        created_at BIGINT NOT NULL
    );

    CREATE TABLE attempts (
        key_sha256 BYTEA PRIMARY KEY CHECK (octet_length(key_sha256) = 32),
        started_at BIGINT NOT NULL,
        count      BIGINT NOT NULL
    );
    "#,
    // Retention: what the purge looks for is indexed, so each of its batches reads only the rows
    // it deletes; dead mail remembers when an operator saw it; the purge's lease.
    r#"
    CREATE INDEX tokens_expiry ON tokens (expires_at);
    CREATE INDEX sessions_expiry ON sessions (expires_at);
    CREATE INDEX events_created ON events (created_at);
    CREATE INDEX attempts_started ON attempts (started_at);
    ALTER TABLE outbox ADD COLUMN seen_at BIGINT;
    CREATE INDEX outbox_sent ON outbox (state, sent_at);
    CREATE TABLE leases (
        name       TEXT PRIMARY KEY,
        holder     TEXT NOT NULL,
        expires_at BIGINT NOT NULL
    );
    "#,
    r#"
    CREATE INDEX outbox_pending_recipient ON outbox (recipient, id) WHERE state = 'pending';
    "#,
    // The purge's indexes, each in the (value, key) order its batches take
    // (`Tx::delete_*_before`): a batch starts where the previous one stopped, after the index
    // entries of the rows earlier batches deleted (they stay until vacuum). The key is there for
    // ties: bounded on the value alone, a batch among many rows of one value (a bulk import's
    // tokens all expire at once) would start at the first of them, deleted or not. They replace
    // the indexes on the value alone, which nothing else reads. Dead mail had none (each batch
    // sorted every dead row); its own is as small as dead mail is.
    r#"
    CREATE INDEX tokens_purge ON tokens (expires_at, token_sha256);
    DROP INDEX tokens_expiry;
    CREATE INDEX sessions_purge ON sessions (expires_at, session_sha256);
    DROP INDEX sessions_expiry;
    CREATE INDEX events_purge ON events (created_at, id);
    DROP INDEX events_created;
    CREATE INDEX attempts_purge ON attempts (started_at, key_sha256);
    DROP INDEX attempts_started;
    CREATE INDEX outbox_sent_purge ON outbox (sent_at, id) WHERE state = 'sent';
    DROP INDEX outbox_sent;
    CREATE INDEX outbox_dead_purge ON outbox (seen_at, id) WHERE state = 'dead';
    "#,
    // Counted events (`Tx::count_event`): one row per kind and period, with its count; the others
    // have none (they happened once).
    r#"
    ALTER TABLE events ADD COLUMN count BIGINT;
    CREATE UNIQUE INDEX events_counted ON events (kind, created_at) WHERE count IS NOT NULL;
    "#,
    // Keys the instances share (`Tx::keep_key`): the key that signs device proofs.
    r#"
    CREATE TABLE keys (
        name  TEXT PRIMARY KEY,
        value BYTEA NOT NULL
    );
    "#,
    // A counted event keeps the time of its period's first occurrence (the audit log is in time
    // order as in id order); its period is a column of its own.
    r#"
    ALTER TABLE events ADD COLUMN period BIGINT;
    UPDATE events SET period = created_at WHERE count IS NOT NULL;
    DROP INDEX events_counted;
    CREATE UNIQUE INDEX events_period ON events (kind, period) WHERE period IS NOT NULL;
    "#,
    // Events as Unleash records them: the acting user's id, and `data`/`preData` (JSON text).
    r#"
    ALTER TABLE events ADD COLUMN actor_id BIGINT;
    ALTER TABLE events ADD COLUMN data TEXT;
    ALTER TABLE events ADD COLUMN pre_data TEXT;
    "#,
    // "This wasn't me" tokens: single use, apart from the reset and invite tokens (a password
    // change voids those, never these). Sessions remember the client that logged in.
    r#"
    CREATE TABLE not_me_tokens (
        token_sha256 BYTEA PRIMARY KEY CHECK (octet_length(token_sha256) = 32),
        user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        created_at   BIGINT NOT NULL,
        expires_at   BIGINT NOT NULL,
        used_at      BIGINT
    );
    CREATE INDEX not_me_tokens_user ON not_me_tokens (user_id);
    ALTER TABLE sessions ADD COLUMN user_agent TEXT;
    ALTER TABLE sessions ADD COLUMN ip TEXT;
    "#,
    // The purge's index of "this wasn't me" tokens, in the (value, key) order its batches take.
    r#"
    CREATE INDEX not_me_tokens_purge ON not_me_tokens (expires_at, token_sha256);
    "#,
];

/// What each of [`MIGRATIONS`] does, for `unlatch migrate --dry-run`: one line each, in order.
const MIGRATION_NAMES: &[&str] = &[
    "users, password history, tokens, sessions, outbox, events and failure counters",
    "retention: the purge's indexes, dead mail seen_at, the purge's lease",
    "the outbox's pending mail by recipient (per-recipient order)",
    "the purge's indexes in (value, key) order",
    "counted events (events.count)",
    "keys the instances share (the device-proof key)",
    "counted events' periods (events.period)",
    "events as Unleash records them (events.actor_id, data, pre_data)",
    "\"this wasn't me\" tokens (not_me_tokens); sessions.user_agent and ip",
    "the purge's index of \"this wasn't me\" tokens",
];

const _: () = assert!(MIGRATIONS.len() == MIGRATION_NAMES.len());

/// The schema version this binary writes: the number of its migrations.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Any number, as long as no other program on the database uses it for its own advisory lock.
const MIGRATION_LOCK: i64 = 0x756e_6c61_7463_6801;

/// The ledger of Unlatch's own migrations.
const LEDGER: &str = "unlatch_migrations";

/// Unlatch's own tables, in the database's default schema.
#[derive(Debug, Clone, Copy, Default)]
pub struct Own;

#[async_trait]
impl Layout for Own {
    fn migrate(&self, client: &mut Client) -> StoreResult<()> {
        let mut tx = client.transaction().map_err(pg)?;
        apply_migrations(&mut tx, MIGRATION_LOCK, "", LEDGER, MIGRATIONS)?;
        tx.commit().map_err(pg)
    }

    fn plan(&self, client: &mut Client) -> StoreResult<MigrationPlan> {
        MigrationPlan::new(applied_version(client, LEDGER)?, MIGRATION_NAMES)
    }

    fn ledger(&self) -> (&'static str, u32) {
        (LEDGER, SCHEMA_VERSION)
    }

    fn run(&self, mut ops: Pg<'_>, work: Work) -> StoreResult<()> {
        let finish = work(&mut ops)?;
        ops.end(finish)
    }

    async fn token(
        &self,
        db: &Reader<'_>,
        key: &SecretKey,
    ) -> StoreResult<Option<(TokenRecord, User)>> {
        token_of(
            db.query_opt(sql::TOKEN, &[&key.digest().as_slice()])
                .await?,
        )
    }

    async fn user_by_email(&self, db: &Reader<'_>, email: &Email) -> StoreResult<Option<User>> {
        db.query_opt(sql::USER_BY_EMAIL, &[&email.as_str()])
            .await?
            .as_ref()
            .map(user_from_row)
            .transpose()
    }

    async fn session(
        &self,
        db: &Reader<'_>,
        key: &SecretKey,
    ) -> StoreResult<Option<(SessionRecord, User)>> {
        session_of(
            db.query_opt(sql::SESSION, &[&key.digest().as_slice()])
                .await?,
            key,
        )
    }
}

/// [`sql::INSERT_TOKEN`]'s parameters, owned (the statement's answer is read later).
fn token_params(user: UserId, token: &NewToken) -> Vec<Param> {
    vec![
        Box::new(token.digest.to_vec()),
        Box::new(user.0),
        Box::new(token.kind.as_str()),
        Box::new(token.created_by.clone()),
        Box::new(token.created_at),
        Box::new(token.expires_at),
    ]
}

/// A row of [`sql::TOKEN`], if one was found.
fn token_of(row: Option<Row>) -> StoreResult<Option<(TokenRecord, User)>> {
    let Some(row) = row else {
        return Ok(None);
    };
    let record = sql::token_from_row(&row).map_err(pg)??;
    Ok(Some((record, user_from_row(&row)?)))
}

/// A row of [`sql::SESSION`] for `key`, if one was found.
fn session_of(row: Option<Row>, key: &SecretKey) -> StoreResult<Option<(SessionRecord, User)>> {
    let Some(row) = row else {
        return Ok(None);
    };
    let record = sql::session_from_row(&row, key.clone(), 9).map_err(pg)?;
    Ok(Some((record, user_from_row(&row)?)))
}

/// A user from a row of a [`sql`] user query.
fn user_from_row(row: &Row) -> StoreResult<User> {
    sql::user_from_row(row).map_err(pg)?
}

fn digest_of(row: &Row, index: usize) -> StoreResult<Digest> {
    let bytes: &[u8] = row.try_get(index).map_err(pg)?;
    Digest::try_from(bytes).map_err(|_| StoreError::Corrupt("a digest is not 32 bytes".into()))
}

/// The type of a purge cursor's key: an id, or else a digest (given as a token tree, so that
/// it can be matched here).
macro_rules! purge_key_type {
    ("id") => {
        "int8"
    };
    ($digest:literal) => {
        "bytea"
    };
}

/// One purge batch of Unlatch's own table `$table`: up to `$4` rows whose `$value` is before
/// `$1` (and that match `$filter`), the first in (`$value`, `$key`) order after (`$2`, `$3`),
/// taken from the purge index as an array (see `GENERIC_PLANS` in `pg.rs`) and deleted; each deleted
/// row's (value, key) is returned. Rows a request holds locked are passed over.
macro_rules! purge_batch {
    ($table:literal, $key:tt, $value:literal $(, $filter:literal)?) => {
        concat!(
            "DELETE FROM ", $table, " WHERE ", $key, " = ANY(ARRAY(
                 SELECT ", $key, " FROM ", $table, "
                  WHERE ", $($filter, " AND ",)? $value, " < $1
                    AND (", $value, ", ", $key, ") > ($2::int8, $3::", purge_key_type!($key), ")
                  ORDER BY ", $value, ", ", $key, " LIMIT $4 FOR UPDATE SKIP LOCKED))
             RETURNING ", $value, ", ", $key
        )
    };
}

impl Pg<'_> {
    /// One purge batch: `sql` ([`purge_batch`]) deletes up to `$4` rows older than `$1`, the
    /// first in (value, key) order after (`$2`, `$3`), and returns each deleted row's (value,
    /// key), of which the batch's cursor is made.
    fn purge<K: BatchKey + for<'r> ::postgres::types::FromSql<'r> + ToSql + Sync>(
        &mut self,
        sql: &'static str,
        before: Millis,
        after: Option<&PurgeCursor>,
        limit: usize,
    ) -> StoreResult<Purged> {
        let (at, key) = K::after(after)?;
        self.query(sql, &[&before, &at, &key, &(limit as i64)])?
            .iter()
            .map(|row| Ok((row.try_get(0).map_err(pg)?, row.try_get(1).map_err(pg)?)))
            .collect::<StoreResult<_>>()
            .map(K::purged)
    }

    /// Runs an insert of an event's columns (`$1` to `$8`: kind, actor, subject, ip, created_at,
    /// actor_id, data, pre_data) and its period (`$9`, counted events only).
    fn write_event(
        &mut self,
        sql: &'static str,
        event: &NewEvent,
        period: Option<Millis>,
    ) -> StoreResult<()> {
        self.exec_later(
            sql,
            vec![
                Box::new(event.kind.clone()),
                Box::new(event.actor.clone()),
                Box::new(event.subject.clone()),
                Box::new(event.ip.clone()),
                Box::new(event.created_at),
                Box::new(event.actor_id),
                Box::new(event.data.as_ref().map(|d| d.to_string())),
                Box::new(event.pre_data.as_ref().map(|d| d.to_string())),
                Box::new(period),
            ],
        )
    }
}

impl Tx for Pg<'_> {
    fn savepoint(&mut self) -> StoreResult<()> {
        self.tx.batch_later("SAVEPOINT unit");
        Ok(())
    }

    fn end_savepoint(&mut self, undo: bool) -> StoreResult<()> {
        self.tx.batch_later(if undo {
            "ROLLBACK TO SAVEPOINT unit; RELEASE SAVEPOINT unit"
        } else {
            "RELEASE SAVEPOINT unit"
        });
        Ok(())
    }

    fn count_users(&mut self) -> StoreResult<i64> {
        let row = self.query_opt(sql::COUNT_USERS, &[])?;
        row.map_or(Ok(0), |r| r.try_get(0).map_err(pg))
    }

    fn user(&mut self, id: UserId) -> StoreResult<Option<User>> {
        self.query_opt(sql::USER_BY_ID, &[&id.0])?
            .as_ref()
            .map(user_from_row)
            .transpose()
    }

    fn user_by_email(&mut self, email: &Email) -> StoreResult<Option<User>> {
        self.query_opt(sql::USER_BY_EMAIL, &[&email.as_str()])?
            .as_ref()
            .map(user_from_row)
            .transpose()
    }

    fn user_by_username(&mut self, username: &Username) -> StoreResult<Option<User>> {
        self.query_opt(sql::USER_BY_USERNAME, &[&username.as_str()])?
            .as_ref()
            .map(user_from_row)
            .transpose()
    }

    fn users(&mut self) -> StoreResult<Vec<User>> {
        self.query(sql::USERS, &[])?
            .iter()
            .map(user_from_row)
            .collect()
    }

    fn users_page(&mut self, after: i64, skip: u64, limit: usize) -> StoreResult<Vec<User>> {
        let (limit, skip) = (limit as i64, i64::try_from(skip).unwrap_or(i64::MAX));
        self.query(sql::USERS_PAGE, &[&after, &limit, &skip])?
            .iter()
            .map(user_from_row)
            .collect()
    }

    fn lock_user_by_email(&mut self, email: &Email) -> StoreResult<Option<User>> {
        self.query_opt(
            concat!(sql::user_by_email!(), " FOR UPDATE OF u"),
            &[&email.as_str()],
        )?
        .as_ref()
        .map(user_from_row)
        .transpose()
    }

    fn lock_user(&mut self, id: UserId) -> StoreResult<bool> {
        Ok(self
            .query_opt(
                "SELECT 1 FROM users WHERE id = $1 AND deleted_at IS NULL FOR UPDATE",
                &[&id.0],
            )?
            .is_some())
    }

    fn insert_user(&mut self, user: &NewUser) -> StoreResult<UserId> {
        let role = user.root_role.id() as i32;
        let row = self.query_opt(
            "INSERT INTO users (email, username, name, password_hash, root_role, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &user.email.as_ref().map(Email::as_str),
                &user.username.as_ref().map(Username::as_str),
                &user.name,
                &user.password_hash.as_ref().map(|h| h.0.as_str()),
                &role,
                &user.created_at,
            ],
        )?;
        let row = row.ok_or_else(|| StoreError::Corrupt("INSERT answered no id".into()))?;
        Ok(UserId(row.try_get(0).map_err(pg)?))
    }

    fn set_seen_at(&mut self, id: UserId, at: Millis) -> StoreResult<()> {
        self.exec(sql::SET_SEEN_AT, &[&at, &id.0]).map(drop)
    }

    fn set_password_hash(&mut self, id: UserId, hash: &PasswordHash) -> StoreResult<bool> {
        self.exec(sql::SET_PASSWORD_HASH, &[&hash.0, &id.0])
            .map(|n| n > 0)
    }

    fn clear_password_hash(&mut self, id: UserId) -> StoreResult<bool> {
        self.exec(sql::CLEAR_PASSWORD_HASH, &[&id.0]).map(|n| n > 0)
    }

    fn mark_user_deleted(&mut self, id: UserId, at: Millis) -> StoreResult<bool> {
        self.exec(sql::MARK_USER_DELETED, &[&at, &id.0])
            .map(|n| n > 0)
    }

    fn password_history(&mut self, id: UserId) -> StoreResult<Vec<HistoryEntry>> {
        self.query(sql::PASSWORD_HISTORY, &[&id.0])?
            .iter()
            .map(|r| {
                Ok(HistoryEntry {
                    hash: PasswordHash(r.try_get(0).map_err(pg)?),
                })
            })
            .collect()
    }

    fn add_password_history(
        &mut self,
        id: UserId,
        hash: &PasswordHash,
        at: Millis,
    ) -> StoreResult<()> {
        self.exec(sql::ADD_PASSWORD_HISTORY, &[&id.0, &hash.0, &at])
            .map(drop)
    }

    fn delete_password_history(&mut self, id: UserId, hashes: &[PasswordHash]) -> StoreResult<()> {
        let hashes: Vec<&str> = hashes.iter().map(|h| h.0.as_str()).collect();
        self.exec(
            "DELETE FROM password_history WHERE user_id = $1 AND password_hash = ANY($2)",
            &[&id.0, &hashes],
        )
        .map(drop)
    }

    fn delete_password_history_of(&mut self, id: UserId) -> StoreResult<()> {
        self.exec(sql::DELETE_PASSWORD_HISTORY_OF, &[&id.0])
            .map(drop)
    }

    fn insert_token(&mut self, user: UserId, token: &NewToken) -> StoreResult<()> {
        self.exec_later(sql::INSERT_TOKEN, token_params(user, token))
    }

    fn token(&mut self, key: &SecretKey) -> StoreResult<Option<(TokenRecord, User)>> {
        token_of(self.query_opt(sql::TOKEN, &[&key.digest().as_slice()])?)
    }

    fn newest_token_at(&mut self, user: UserId, kind: TokenKind) -> StoreResult<Option<Millis>> {
        let row = self.query_opt(sql::NEWEST_TOKEN_AT, &[&user.0, &kind.as_str()])?;
        Ok(match row {
            Some(r) => r.try_get(0).map_err(pg)?,
            None => None,
        })
    }

    // These two bound `expires_at`, the purge index's first column, by the time now. Planned for
    // that value, PostgreSQL estimates from its statistics how many tokens are still live: the
    // tokens issued since the last ANALYZE are not in them, so it chose to walk the purge index
    // over every live token rather than the user's few, and it read the index's far end (past
    // the entries of rows a purge deleted) to make the estimate. Measured with 2,000,000 old
    // tokens and reset links at 300/s: 5–10 ms a call until autovacuum analysed the table. The
    // one plan for any value (by the user, by the key) is right.
    fn expire_tokens_of(&mut self, user: UserId, at: Millis) -> StoreResult<u64> {
        self.exec(sql::EXPIRE_TOKENS_OF, &[&at, &user.0])
    }

    /// One statement: the update in a `WITH`, which does not see the row the insert adds.
    fn replace_tokens(&mut self, user: UserId, token: &NewToken) -> StoreResult<()> {
        self.exec_later(
            concat!(
                "WITH expired AS (UPDATE tokens SET expires_at = $5 WHERE user_id = $2 AND ",
                sql::live_token!("$5"),
                ") ",
                sql::insert_token!()
            ),
            token_params(user, token),
        )
    }

    fn use_token(&mut self, key: &SecretKey, user: UserId, at: Millis) -> StoreResult<bool> {
        self.exec(sql::USE_TOKEN, &[&at, &key.digest().as_slice(), &user.0])
            .map(|n| n > 0)
    }

    fn delete_tokens_of(&mut self, user: UserId) -> StoreResult<()> {
        self.exec(sql::DELETE_TOKENS_OF, &[&user.0]).map(drop)
    }

    fn insert_not_me_token(&mut self, user: UserId, token: &NewNotMeToken) -> StoreResult<()> {
        self.exec(
            sql::INSERT_NOT_ME_TOKEN,
            &[
                &token.digest.as_slice(),
                &user.0,
                &token.created_at,
                &token.expires_at,
            ],
        )
        .map(drop)
    }

    fn not_me_token(&mut self, key: &SecretKey) -> StoreResult<Option<(NotMeTokenRecord, User)>> {
        let Some(row) = self.query_opt(sql::NOT_ME_TOKEN, &[&key.digest().as_slice()])? else {
            return Ok(None);
        };
        let record = sql::not_me_token_from_row(&row).map_err(pg)?;
        Ok(Some((record, user_from_row(&row)?)))
    }

    fn use_not_me_token(&mut self, key: &SecretKey, user: UserId, at: Millis) -> StoreResult<bool> {
        self.exec(
            sql::USE_NOT_ME_TOKEN,
            &[&at, &key.digest().as_slice(), &user.0],
        )
        .map(|n| n > 0)
    }

    fn insert_session(&mut self, session: &NewSession) -> StoreResult<()> {
        self.exec(
            sql::INSERT_SESSION,
            &[
                &session.key.digest().as_slice(),
                &session.user_id.0,
                &session.created_at,
                &session.expires_at,
                &session.client.user_agent,
                &session.client.ip,
            ],
        )
        .map(drop)
    }

    fn session(&mut self, key: &SecretKey) -> StoreResult<Option<(SessionRecord, User)>> {
        session_of(
            self.query_opt(sql::SESSION, &[&key.digest().as_slice()])?,
            key,
        )
    }

    fn sessions_of(&mut self, user: UserId) -> StoreResult<Vec<SessionRecord>> {
        self.query(sql::SESSIONS_OF, &[&user.0])?
            .iter()
            .map(|r| {
                let key = SecretKey::from_digest(digest_of(r, 0)?);
                sql::session_from_row(r, key, 1).map_err(pg)
            })
            .collect()
    }

    fn session_counts(
        &mut self,
        users: &[UserId],
        live_at: Millis,
    ) -> StoreResult<Vec<(UserId, i64)>> {
        let ids: Vec<i64> = users.iter().map(|u| u.0).collect();
        self.query(
            "SELECT user_id, count(*) FROM sessions
              WHERE user_id = ANY($1) AND expires_at > $2 GROUP BY user_id",
            &[&ids, &live_at],
        )?
        .iter()
        .map(|r| Ok((UserId(r.try_get(0).map_err(pg)?), r.try_get(1).map_err(pg)?)))
        .collect()
    }

    fn delete_sessions(&mut self, keys: &[SecretKey]) -> StoreResult<()> {
        let digests: Vec<&[u8]> = keys.iter().map(|k| k.digest().as_slice()).collect();
        self.exec(
            "DELETE FROM sessions WHERE session_sha256 = ANY($1)",
            &[&digests],
        )
        .map(drop)
    }

    fn delete_sessions_of(&mut self, user: UserId, keep: Option<&SecretKey>) -> StoreResult<()> {
        match keep {
            None => self.exec(sql::DELETE_SESSIONS_OF, &[&user.0]),
            Some(keep) => self.exec(
                sql::DELETE_SESSIONS_OF_BUT,
                &[&user.0, &keep.digest().as_slice()],
            ),
        }
        .map(drop)
    }

    fn lock_attempts(&mut self, key: &Digest) -> StoreResult<AttemptWindow> {
        // The row must exist to be locked: two first attempts at once meet on its primary key.
        self.exec(
            "INSERT INTO attempts (key_sha256, started_at, count) VALUES ($1, 0, 0)
             ON CONFLICT (key_sha256) DO NOTHING",
            &[&key.as_slice()],
        )?;
        let row = self.query_opt(
            "SELECT started_at, count FROM attempts WHERE key_sha256 = $1 FOR UPDATE",
            &[&key.as_slice()],
        )?;
        Ok(match row {
            Some(r) => AttemptWindow {
                started_at: r.try_get(0).map_err(pg)?,
                count: r.try_get(1).map_err(pg)?,
            },
            None => AttemptWindow::default(),
        })
    }

    fn set_attempts(&mut self, key: &Digest, window: AttemptWindow) -> StoreResult<()> {
        self.exec(
            sql::SET_ATTEMPTS,
            &[&key.as_slice(), &window.started_at, &window.count],
        )
        .map(drop)
    }

    fn enqueue_mail(&mut self, mail: &OutgoingMail, at: Millis) -> StoreResult<()> {
        self.exec_later(
            sql::ENQUEUE_MAIL,
            vec![
                Box::new(mail.key.clone()),
                Box::new(mail.template.clone()),
                Box::new(mail.recipient.clone()),
                Box::new(mail.subject.clone()),
                Box::new(mail.html.clone()),
                Box::new(mail.text.clone()),
                Box::new(at),
            ],
        )
    }

    fn due_mail(&mut self, now: Millis, limit: usize) -> StoreResult<Vec<QueuedMail>> {
        let limit = limit as i64;
        self.query(
            // A mail leased by another instance is still pending, so it keeps hiding its
            // recipient's later mail, whatever this transaction's snapshot; and a mail never
            // returns to pending once sent or dead.
            "SELECT o.id, o.attempts, o.idempotency_key, o.template, o.recipient, o.subject,
                    o.html, o.text, o.created_at
             FROM outbox o
             WHERE o.state = 'pending' AND o.next_attempt_at <= $1
               AND NOT EXISTS (SELECT 1 FROM outbox p
                               WHERE p.state = 'pending' AND p.recipient = o.recipient
                                 AND p.id < o.id)
             ORDER BY o.next_attempt_at, o.id LIMIT $2
             FOR UPDATE OF o SKIP LOCKED",
            &[&now, &limit],
        )?
        .iter()
        .map(|r| sql::queued_mail_from_row(r).map_err(pg))
        .collect()
    }

    fn lease_mail(&mut self, id: i64, until: Millis) -> StoreResult<()> {
        self.exec(sql::LEASE_MAIL, &[&until, &id]).map(drop)
    }

    fn renew_mail_lease(&mut self, id: i64, attempts: i64, until: Millis) -> StoreResult<bool> {
        self.exec(sql::RENEW_MAIL_LEASE, &[&until, &id, &attempts])
            .map(|n| n > 0)
    }

    fn mark_mail_sent(&mut self, id: i64, at: Millis) -> StoreResult<()> {
        self.exec(sql::MARK_MAIL_SENT, &[&at, &id]).map(drop)
    }

    fn schedule_mail(&mut self, id: i64, next_attempt_at: Millis, error: &str) -> StoreResult<()> {
        self.exec(sql::SCHEDULE_MAIL, &[&next_attempt_at, &error, &id])
            .map(drop)
    }

    fn mark_mail_dead(&mut self, id: i64, error: &str) -> StoreResult<()> {
        self.exec(sql::MARK_MAIL_DEAD, &[&error, &id]).map(drop)
    }

    fn outbox_counts(&mut self) -> StoreResult<(i64, i64)> {
        let row = self.query_opt(
            "SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'dead')
             FROM outbox",
            &[],
        )?;
        match row {
            Some(r) => Ok((r.try_get(0).map_err(pg)?, r.try_get(1).map_err(pg)?)),
            None => Ok((0, 0)),
        }
    }

    fn outbox(&mut self, limit: usize) -> StoreResult<Vec<OutboxEntry>> {
        let limit = limit as i64;
        self.query(sql::OUTBOX, &[&limit])?
            .iter()
            .map(|r| sql::outbox_entry_from_row(r).map_err(pg)?)
            .collect()
    }

    fn insert_event(&mut self, event: &NewEvent) -> StoreResult<()> {
        self.write_event(sql::INSERT_EVENT, event, None)
    }

    fn count_event(&mut self, event: &NewEvent, period: Millis) -> StoreResult<()> {
        self.write_event(
            "INSERT INTO events (kind, actor, subject, ip, created_at, actor_id, data, pre_data,
                                 period, count)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1)
             ON CONFLICT (kind, period) WHERE period IS NOT NULL
             DO UPDATE SET count = events.count + 1",
            event,
            Some(period),
        )
    }

    fn events(&mut self, limit: usize, offset: u64) -> StoreResult<(Vec<Event>, i64)> {
        let total: i64 = match self.query_opt(sql::COUNT_EVENTS, &[])? {
            Some(r) => r.try_get(0).map_err(pg)?,
            None => 0,
        };
        let (limit, offset) = (limit as i64, i64::try_from(offset).unwrap_or(i64::MAX));
        let events = self
            .query(sql::EVENTS, &[&limit, &offset])?
            .iter()
            .map(|r| sql::event_from_row(r).map_err(pg)?)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((events, total))
    }

    // The purge's deletes skip rows that a request holds locked (`SKIP LOCKED`): neither waits
    // for the other beyond one small batch. Each batch takes the first rows in the order of its
    // kind's purge index, (value, key), after where the previous batch stopped: the row
    // comparison is a range on that index, so the scan starts past the entries of the rows earlier
    // batches deleted instead of stepping over all of them again (until vacuum, PostgreSQL keeps
    // them in the index).
    sql::purge_methods!(purge_batch);

    fn mark_mail_seen(&mut self, ids: &[i64], at: Millis) -> StoreResult<()> {
        self.exec(
            "UPDATE outbox SET seen_at = $2 WHERE id = ANY($1) AND seen_at IS NULL",
            &[&ids, &at],
        )
        .map(drop)
    }

    fn lock_lease(&mut self, name: &str) -> StoreResult<Lease> {
        // The row must exist to be locked: two first claims at once meet on its primary key.
        self.exec(
            "INSERT INTO leases (name, holder, expires_at) VALUES ($1, '', 0)
             ON CONFLICT (name) DO NOTHING",
            &[&name],
        )?;
        let row = self.query_opt(
            "SELECT holder, expires_at FROM leases WHERE name = $1 FOR UPDATE",
            &[&name],
        )?;
        Ok(match row {
            Some(r) => Lease {
                holder: r.try_get(0).map_err(pg)?,
                expires_at: r.try_get(1).map_err(pg)?,
            },
            None => Lease::default(),
        })
    }

    fn set_lease(&mut self, name: &str, lease: &Lease) -> StoreResult<()> {
        self.exec(sql::SET_LEASE, &[&name, &lease.holder, &lease.expires_at])
            .map(drop)
    }

    fn keep_key(&mut self, name: &str, candidate: &[u8]) -> StoreResult<Vec<u8>> {
        self.exec(sql::KEEP_KEY, &[&name, &candidate])?;
        let row = self
            .query_opt(sql::KEY, &[&name])?
            .ok_or_else(|| StoreError::backend(format!("the key {name:?} is gone")))?;
        row.try_get(0).map_err(pg)
    }
}
