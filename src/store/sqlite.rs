//! The SQLite backend (the embedded default): bundled SQLite in WAL mode with foreign keys on.
//!
//! Every connection lives on its own thread (`tokio-rusqlite`), so no SQL ever runs on an async
//! worker thread. Writes go through one writer connection, so they never contend for SQLite's lock;
//! reads are spread over a few reader connections, which WAL lets run beside the writer.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use rusqlite_migration::{Migrations, M};

use super::*;

/// The versioned schema. Append only: a released migration is never edited.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(
            r#"
        CREATE TABLE users (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            email          TEXT,
            username       TEXT,
            name           TEXT,
            password_hash  TEXT,
            root_role      INTEGER NOT NULL CHECK (root_role IN (1, 2, 3)),
            login_attempts INTEGER NOT NULL DEFAULT 0,
            created_at     INTEGER NOT NULL,
            seen_at        INTEGER,
            deleted_at     INTEGER,
            CHECK (email IS NULL OR email = lower(email))
        );
        CREATE UNIQUE INDEX users_email ON users (email) WHERE deleted_at IS NULL;
        CREATE UNIQUE INDEX users_username ON users (username) WHERE deleted_at IS NULL;

        CREATE TABLE password_history (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            password_hash TEXT NOT NULL,
            created_at    INTEGER NOT NULL
        );
        CREATE INDEX password_history_user ON password_history (user_id, id);

        CREATE TABLE tokens (
            token_sha256 BLOB PRIMARY KEY CHECK (length(token_sha256) = 32),
            user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            kind         TEXT NOT NULL CHECK (kind IN ('reset', 'invite')),
            created_by   TEXT NOT NULL,
            created_at   INTEGER NOT NULL,
            expires_at   INTEGER NOT NULL,
            used_at      INTEGER
        ) WITHOUT ROWID;
        CREATE INDEX tokens_user ON tokens (user_id, kind, created_at);

        CREATE TABLE sessions (
            session_sha256 BLOB PRIMARY KEY CHECK (length(session_sha256) = 32),
            user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            created_at     INTEGER NOT NULL,
            expires_at     INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX sessions_user ON sessions (user_id, created_at);
        "#,
        ),
        M::up(
            r#"
        CREATE TABLE outbox (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            idempotency_key TEXT NOT NULL UNIQUE,
            template        TEXT NOT NULL,
            recipient       TEXT NOT NULL,
            subject         TEXT NOT NULL,
            html            TEXT,
            text            TEXT,
            state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dead')),
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            last_error      TEXT,
            created_at      INTEGER NOT NULL,
            sent_at         INTEGER
        );
        CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
        "#,
        ),
        M::up(
            r#"
        CREATE TABLE events (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            kind       TEXT NOT NULL,
            actor      TEXT NOT NULL,
            subject    TEXT,
            ip         TEXT,
            created_at INTEGER NOT NULL
        );
        "#,
        ),
    ])
}

const READERS: usize = 4;

pub struct SqliteStore {
    writer: tokio_rusqlite::Connection,
    readers: Vec<tokio_rusqlite::Connection>,
    next_reader: AtomicUsize,
}

fn backend(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Erased rows (spent mail bodies, deleted users) are overwritten, not left in free pages.
    conn.pragma_update(None, "secure_delete", true)?;
    Ok(())
}

/// Creates the file if needed, switches it to WAL and applies every pending migration.
pub fn migrate(path: &Path) -> Result<(), StoreError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(backend)?;
    }
    let mut conn = Connection::open(path).map_err(backend)?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(backend)?;
    configure(&conn).map_err(backend)?;
    migrations().to_latest(&mut conn).map_err(backend)
}

impl SqliteStore {
    /// Opens (creating and migrating as needed) the database at `path`.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let owned = path.to_path_buf();
        tokio::task::spawn_blocking(move || migrate(&owned))
            .await
            .map_err(backend)??;
        let writer = open_configured(path).await?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            readers.push(open_configured(path).await?);
        }
        Ok(SqliteStore {
            writer,
            readers,
            next_reader: AtomicUsize::new(0),
        })
    }

    async fn read<R, F>(&self, f: F) -> StoreResult<R>
    where
        F: FnOnce(&mut Connection) -> rusqlite::Result<R> + Send + 'static,
        R: Send + 'static,
    {
        let i = self.next_reader.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        self.readers[i].call(f).await.map_err(backend)
    }

    async fn write<R, F>(&self, f: F) -> StoreResult<R>
    where
        F: FnOnce(&mut Connection) -> Result<R, StoreError> + Send + 'static,
        R: Send + 'static,
    {
        self.writer.call(f).await.map_err(|e| match e {
            tokio_rusqlite::Error::Error(inner) => inner,
            other => backend(other),
        })
    }
}

async fn open_configured(path: &Path) -> Result<tokio_rusqlite::Connection, StoreError> {
    let conn = tokio_rusqlite::Connection::open(path)
        .await
        .map_err(backend)?;
    conn.call(|c| configure(c)).await.map_err(backend)?;
    Ok(conn)
}

const USER_COLUMNS: &str =
    "id, email, username, name, password_hash, root_role, login_attempts, created_at, seen_at";

fn user_from_row(row: &Row<'_>) -> rusqlite::Result<User> {
    let role: i64 = row.get(5)?;
    Ok(User {
        id: row.get(0)?,
        email: row.get(1)?,
        username: row.get(2)?,
        name: row.get(3)?,
        password_hash: row.get::<_, Option<String>>(4)?.map(PasswordHash),
        // The CHECK constraint keeps root_role in 1..=3.
        root_role: RootRole::from_id(role).unwrap_or(RootRole::Viewer),
        login_attempts: row.get(6)?,
        created_at: row.get(7)?,
        seen_at: row.get(8)?,
    })
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(err, _)
            if err.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
    )
}

fn insert_token(
    tx: &rusqlite::Transaction<'_>,
    user_id: i64,
    token: &NewToken,
) -> rusqlite::Result<()> {
    // A newer token expires every older live token of the user.
    tx.prepare_cached(
        "UPDATE tokens SET expires_at = ?2 WHERE user_id = ?1 AND used_at IS NULL AND expires_at > ?2",
    )?
    .execute(params![user_id, token.created_at])?;
    tx.prepare_cached(
        "INSERT INTO tokens (token_sha256, user_id, kind, created_by, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        token.digest.as_slice(),
        user_id,
        token.kind.as_str(),
        token.created_by,
        token.created_at,
        token.expires_at
    ])?;
    Ok(())
}

fn insert_mail(
    tx: &rusqlite::Transaction<'_>,
    mail: &OutgoingMail,
    now: Millis,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO outbox (idempotency_key, template, recipient, subject, html, text, state,
                             next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?7)",
    )?
    .execute(params![
        mail.key,
        mail.template,
        mail.recipient,
        mail.subject,
        mail.html,
        mail.text,
        now
    ])?;
    Ok(())
}

/// The write-ahead log still holds the frames written when a mail was queued, bodies and links
/// included; once a mail is done they are checkpointed into the (securely overwritten) database
/// file and the log is truncated. Mail is rare, so the cost is not on any hot path. Best effort:
/// a busy reader can keep the log for a while, and the next checkpoint takes it.
fn erase_old_frames(conn: &Connection) {
    if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())) {
        tracing::warn!(error = %e, "outbox: could not checkpoint the write-ahead log");
    }
}

fn mail_state(text: &str) -> MailState {
    match text {
        "sent" => MailState::Sent,
        "dead" => MailState::Dead,
        _ => MailState::Pending,
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        self.read(|c| c.query_row("SELECT 1", [], |_| Ok(()))).await
    }

    async fn count_users(&self) -> StoreResult<i64> {
        self.read(|c| {
            c.prepare_cached("SELECT count(*) FROM users WHERE deleted_at IS NULL")?
                .query_row([], |r| r.get(0))
        })
        .await
    }

    async fn find_user_by_login(&self, login: &str) -> StoreResult<Option<User>> {
        if login.contains('@') {
            return self.find_user_by_email(login).await;
        }
        let login = login.to_string();
        self.read(move |c| {
            c.prepare_cached(&format!(
                "SELECT {USER_COLUMNS} FROM users WHERE username = ?1 AND deleted_at IS NULL"
            ))?
            .query_row([login], user_from_row)
            .optional()
        })
        .await
    }

    async fn find_user_by_email(&self, email: &str) -> StoreResult<Option<User>> {
        let email = email.trim().to_lowercase();
        self.read(move |c| {
            c.prepare_cached(&format!(
                "SELECT {USER_COLUMNS} FROM users WHERE email = ?1 AND deleted_at IS NULL"
            ))?
            .query_row([email], user_from_row)
            .optional()
        })
        .await
    }

    async fn find_user(&self, id: i64) -> StoreResult<Option<User>> {
        self.read(move |c| {
            c.prepare_cached(&format!(
                "SELECT {USER_COLUMNS} FROM users WHERE id = ?1 AND deleted_at IS NULL"
            ))?
            .query_row([id], user_from_row)
            .optional()
        })
        .await
    }

    async fn list_users(&self) -> StoreResult<Vec<User>> {
        self.read(|c| {
            c.prepare_cached(&format!(
                "SELECT {USER_COLUMNS} FROM users WHERE deleted_at IS NULL ORDER BY id"
            ))?
            .query_map([], user_from_row)?
            .collect()
        })
        .await
    }

    async fn create_user(
        &self,
        user: NewUser,
        invite: Option<NewToken>,
        welcome: Option<OutgoingMail>,
    ) -> StoreResult<User> {
        self.write(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let inserted = tx
                .prepare_cached(
                    "INSERT INTO users (email, username, name, password_hash, root_role, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        user.email,
                        user.username,
                        user.name,
                        user.password_hash.as_ref().map(|h| h.0.as_str()),
                        user.root_role.id(),
                        user.created_at
                    ])
                });
            match inserted {
                Err(e) if is_unique_violation(&e) => return Err(StoreError::Conflict),
                other => other.map_err(backend)?,
            };
            let id = tx.last_insert_rowid();
            if let Some(hash) = &user.password_hash {
                tx.prepare_cached(
                    "INSERT INTO password_history (user_id, password_hash, created_at) VALUES (?1, ?2, ?3)",
                )
                .and_then(|mut s| s.execute(params![id, hash.0, user.created_at]))
                .map_err(backend)?;
            }
            if let Some(token) = &invite {
                insert_token(&tx, id, token).map_err(backend)?;
            }
            if let Some(mail) = &welcome {
                insert_mail(&tx, mail, user.created_at).map_err(backend)?;
            }
            let created = tx
                .query_row(
                    &format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"),
                    [id],
                    user_from_row,
                )
                .map_err(backend)?;
            tx.commit().map_err(backend)?;
            Ok(created)
        })
        .await
    }

    async fn delete_user(&self, id: i64, now: Millis) -> StoreResult<bool> {
        self.write(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let changed = tx
                .execute(
                    "UPDATE users SET deleted_at = ?2, email = NULL, username = NULL, password_hash = NULL
                     WHERE id = ?1 AND deleted_at IS NULL",
                    params![id, now],
                )
                .map_err(backend)?;
            if changed > 0 {
                tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id])
                    .map_err(backend)?;
                tx.execute("DELETE FROM tokens WHERE user_id = ?1", [id])
                    .map_err(backend)?;
                tx.execute("DELETE FROM password_history WHERE user_id = ?1", [id])
                    .map_err(backend)?;
            }
            tx.commit().map_err(backend)?;
            Ok(changed > 0)
        })
        .await
    }

    async fn record_login(&self, user_id: i64, now: Millis) -> StoreResult<Option<Millis>> {
        self.write(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let previous: Option<Millis> = tx
                .prepare_cached("SELECT seen_at FROM users WHERE id = ?1")
                .and_then(|mut s| s.query_row([user_id], |r| r.get(0)))
                .map_err(backend)?;
            tx.prepare_cached("UPDATE users SET seen_at = ?2 WHERE id = ?1")
                .and_then(|mut s| s.execute(params![user_id, now]))
                .map_err(backend)?;
            tx.commit().map_err(backend)?;
            Ok(previous)
        })
        .await
    }

    async fn create_session(&self, session: NewSession, max_per_user: usize) -> StoreResult<()> {
        self.write(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            tx.prepare_cached(
                "INSERT INTO sessions (session_sha256, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    session.digest.as_slice(),
                    session.user_id,
                    session.created_at,
                    session.expires_at
                ])
            })
            .map_err(backend)?;
            // Expired sessions go, then the oldest beyond the per-user limit.
            tx.prepare_cached("DELETE FROM sessions WHERE user_id = ?1 AND expires_at <= ?2")
                .and_then(|mut s| s.execute(params![session.user_id, session.created_at]))
                .map_err(backend)?;
            tx.prepare_cached(
                "DELETE FROM sessions WHERE user_id = ?1 AND session_sha256 NOT IN (
                     SELECT session_sha256 FROM sessions WHERE user_id = ?1
                     ORDER BY created_at DESC LIMIT ?2)",
            )
            .and_then(|mut s| s.execute(params![session.user_id, max_per_user as i64]))
            .map_err(backend)?;
            tx.commit().map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn session_user(&self, digest: Digest, now: Millis) -> StoreResult<Option<User>> {
        self.read(move |c| {
            c.prepare_cached(
                "SELECT u.id, u.email, u.username, u.name, u.password_hash, u.root_role, u.login_attempts,
                        u.created_at, u.seen_at
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.session_sha256 = ?1 AND s.expires_at > ?2 AND u.deleted_at IS NULL",
            )?
            .query_row(params![digest.as_slice(), now], user_from_row)
            .optional()
        })
        .await
    }

    async fn delete_session(&self, digest: Digest) -> StoreResult<()> {
        self.write(move |c| {
            c.prepare_cached("DELETE FROM sessions WHERE session_sha256 = ?1")
                .and_then(|mut s| s.execute([digest.as_slice()]))
                .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn issue_token(&self, issue: IssueToken) -> StoreResult<IssueOutcome> {
        self.write(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            // Foreign keys are checked at commit, so the decoy run for an unknown address goes
            // through the very same statements before it is rolled back.
            tx.pragma_update(None, "defer_foreign_keys", true)
                .map_err(backend)?;
            let user_id = issue.user_id.unwrap_or(0);
            let now = issue.token.created_at;
            let last: Option<Millis> = tx
                .prepare_cached(
                    "SELECT max(created_at) FROM tokens WHERE user_id = ?1 AND kind = ?2",
                )
                .and_then(|mut s| {
                    s.query_row(params![user_id, issue.token.kind.as_str()], |r| r.get(0))
                })
                .map_err(backend)?;
            let throttled = match (issue.throttle_ms, last) {
                (Some(window), Some(at)) if now - at < window => Some(window - (now - at)),
                _ => None,
            };
            insert_token(&tx, user_id, &issue.token).map_err(backend)?;
            if let Some(mail) = &issue.mail {
                insert_mail(&tx, mail, now).map_err(backend)?;
            }
            let outcome = match (issue.user_id, throttled) {
                (None, _) => IssueOutcome::NoUser,
                (Some(_), Some(retry_after_ms)) => IssueOutcome::Throttled { retry_after_ms },
                (Some(_), None) => IssueOutcome::Issued,
            };
            if outcome == IssueOutcome::Issued {
                tx.commit().map_err(backend)?;
            } else {
                tx.rollback().map_err(backend)?;
            }
            Ok(outcome)
        })
        .await
    }

    async fn find_live_token(
        &self,
        digest: Digest,
        now: Millis,
    ) -> StoreResult<Option<(TokenRecord, User)>> {
        self.read(move |c| {
            c.prepare_cached(
                "SELECT u.id, u.email, u.username, u.name, u.password_hash, u.root_role, u.login_attempts,
                        u.created_at, u.seen_at, t.kind, t.created_by, t.created_at, t.expires_at
                 FROM tokens t JOIN users u ON u.id = t.user_id
                 WHERE t.token_sha256 = ?1 AND t.used_at IS NULL AND t.expires_at > ?2
                   AND u.deleted_at IS NULL",
            )?
            .query_row(params![digest.as_slice(), now], |row| {
                let user = user_from_row(row)?;
                let kind: String = row.get(9)?;
                let token = TokenRecord {
                    // The CHECK constraint keeps kind in ('reset', 'invite').
                    kind: TokenKind::parse(&kind).unwrap_or(TokenKind::Reset),
                    created_by: row.get(10)?,
                    created_at: row.get(11)?,
                    expires_at: row.get(12)?,
                };
                Ok((token, user))
            })
            .optional()
        })
        .await
    }

    async fn password_history(&self, user_id: i64) -> StoreResult<Vec<PasswordHash>> {
        self.read(move |c| {
            c.prepare_cached(
                "SELECT password_hash FROM password_history WHERE user_id = ?1 ORDER BY id DESC",
            )?
            .query_map([user_id], |r| r.get::<_, String>(0).map(PasswordHash))?
            .collect()
        })
        .await
    }

    async fn change_password(&self, change: PasswordChange) -> StoreResult<ChangeOutcome> {
        self.write(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            if let Some(digest) = change.redeem {
                // The one conditional UPDATE that makes redemption atomic: of concurrent
                // redemptions of one token exactly one sees a row to change.
                let redeemed = tx
                    .prepare_cached(
                        "UPDATE tokens SET used_at = ?3
                         WHERE token_sha256 = ?1 AND user_id = ?2 AND used_at IS NULL AND expires_at > ?3",
                    )
                    .and_then(|mut s| s.execute(params![digest.as_slice(), change.user_id, change.now]))
                    .map_err(backend)?;
                if redeemed == 0 {
                    return Ok(ChangeOutcome::TokenNotLive);
                }
            }
            let updated = tx
                .prepare_cached(
                    "UPDATE users SET password_hash = ?2, login_attempts = 0 WHERE id = ?1 AND deleted_at IS NULL",
                )
                .and_then(|mut s| s.execute(params![change.user_id, change.new_hash.0]))
                .map_err(backend)?;
            if updated == 0 {
                return Ok(ChangeOutcome::UserGone);
            }
            tx.prepare_cached(
                "INSERT INTO password_history (user_id, password_hash, created_at) VALUES (?1, ?2, ?3)",
            )
            .and_then(|mut s| s.execute(params![change.user_id, change.new_hash.0, change.now]))
            .map_err(backend)?;
            tx.prepare_cached(
                "DELETE FROM password_history WHERE user_id = ?1 AND id NOT IN (
                     SELECT id FROM password_history WHERE user_id = ?1 ORDER BY id DESC LIMIT ?2)",
            )
            .and_then(|mut s| s.execute(params![change.user_id, change.history_len as i64]))
            .map_err(backend)?;
            // Any password change expires every live token of the user.
            tx.prepare_cached(
                "UPDATE tokens SET expires_at = ?2 WHERE user_id = ?1 AND used_at IS NULL AND expires_at > ?2",
            )
            .and_then(|mut s| s.execute(params![change.user_id, change.now]))
            .map_err(backend)?;
            if let Some(mail) = &change.notify {
                insert_mail(&tx, mail, change.now).map_err(backend)?;
            }
            match change.sessions {
                SessionsAfterChange::EndAll => tx
                    .prepare_cached("DELETE FROM sessions WHERE user_id = ?1")
                    .and_then(|mut s| s.execute([change.user_id])),
                SessionsAfterChange::KeepOnly(keep) => tx
                    .prepare_cached(
                        "DELETE FROM sessions WHERE user_id = ?1 AND session_sha256 <> ?2",
                    )
                    .and_then(|mut s| s.execute(params![change.user_id, keep.as_slice()])),
            }
            .map_err(backend)?;
            tx.commit().map_err(backend)?;
            Ok(ChangeOutcome::Changed)
        })
        .await
    }

    async fn claim_due_mail(
        &self,
        now: Millis,
        limit: usize,
        lease_ms: i64,
    ) -> StoreResult<Vec<QueuedMail>> {
        self.write(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let due: Vec<QueuedMail> = tx
                .prepare_cached(
                    "SELECT id, attempts, idempotency_key, template, recipient, subject, html, text
                     FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?1
                     ORDER BY next_attempt_at, id LIMIT ?2",
                )
                .and_then(|mut s| {
                    s.query_map(params![now, limit as i64], |r| {
                        Ok(QueuedMail {
                            id: r.get(0)?,
                            // This claim is one more attempt.
                            attempts: r.get::<_, i64>(1)? + 1,
                            mail: OutgoingMail {
                                key: r.get(2)?,
                                template: r.get(3)?,
                                recipient: r.get(4)?,
                                subject: r.get(5)?,
                                html: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                                text: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
                            },
                        })
                    })?
                    .collect()
                })
                .map_err(backend)?;
            for mail in &due {
                tx.prepare_cached(
                    "UPDATE outbox SET next_attempt_at = ?2, attempts = attempts + 1 WHERE id = ?1",
                )
                .and_then(|mut s| s.execute(params![mail.id, now + lease_ms]))
                .map_err(backend)?;
            }
            tx.commit().map_err(backend)?;
            Ok(due)
        })
        .await
    }

    async fn mail_sent(&self, id: i64, now: Millis) -> StoreResult<()> {
        self.write(move |c| {
            c.prepare_cached(
                "UPDATE outbox SET state = 'sent', sent_at = ?2, html = NULL, text = NULL, last_error = NULL
                 WHERE id = ?1",
            )
            .and_then(|mut s| s.execute(params![id, now]))
            .map_err(backend)?;
            erase_old_frames(c);
            Ok(())
        })
        .await
    }

    async fn mail_retry(&self, id: i64, next_attempt_at: Millis, error: &str) -> StoreResult<()> {
        let error = error.to_string();
        self.write(move |c| {
            c.prepare_cached(
                "UPDATE outbox SET next_attempt_at = ?2, last_error = ?3 WHERE id = ?1",
            )
            .and_then(|mut s| s.execute(params![id, next_attempt_at, error]))
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn mail_dead(&self, id: i64, error: &str) -> StoreResult<()> {
        let error = error.to_string();
        self.write(move |c| {
            c.prepare_cached(
                "UPDATE outbox SET state = 'dead', last_error = ?2, html = NULL, text = NULL WHERE id = ?1",
            )
            .and_then(|mut s| s.execute(params![id, error]))
            .map_err(backend)?;
            erase_old_frames(c);
            Ok(())
        })
        .await
    }

    async fn outbox(&self, limit: usize) -> StoreResult<Vec<OutboxEntry>> {
        self.read(move |c| {
            c.prepare_cached(
                "SELECT id, template, recipient, state, attempts, last_error, created_at, next_attempt_at
                 FROM outbox ORDER BY id DESC LIMIT ?1",
            )?
            .query_map([limit as i64], |r| {
                Ok(OutboxEntry {
                    id: r.get(0)?,
                    template: r.get(1)?,
                    recipient: r.get(2)?,
                    state: mail_state(&r.get::<_, String>(3)?),
                    attempts: r.get(4)?,
                    last_error: r.get(5)?,
                    created_at: r.get(6)?,
                    next_attempt_at: r.get(7)?,
                })
            })?
            .collect()
        })
        .await
    }

    async fn outbox_counts(&self) -> StoreResult<(i64, i64)> {
        self.read(|c| {
            c.prepare_cached(
                "SELECT coalesce(sum(state = 'pending'), 0), coalesce(sum(state = 'dead'), 0) FROM outbox",
            )?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        })
        .await
    }

    async fn record_event(&self, event: NewEvent) -> StoreResult<()> {
        self.write(move |c| {
            c.prepare_cached(
                "INSERT INTO events (kind, actor, subject, ip, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut s| {
                s.execute(params![event.kind, event.actor, event.subject, event.ip, event.created_at])
            })
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn events(&self, limit: usize, offset: u64) -> StoreResult<(Vec<Event>, i64)> {
        self.read(move |c| {
            let total: i64 = c
                .prepare_cached("SELECT count(*) FROM events")?
                .query_row([], |r| r.get(0))?;
            let events = c
                .prepare_cached(
                    "SELECT id, kind, actor, subject, ip, created_at FROM events
                     ORDER BY id DESC LIMIT ?1 OFFSET ?2",
                )?
                .query_map(params![limit as i64, offset as i64], |r| {
                    Ok(Event {
                        id: r.get(0)?,
                        kind: r.get(1)?,
                        actor: r.get(2)?,
                        subject: r.get(3)?,
                        ip: r.get(4)?,
                        created_at: r.get(5)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok((events, total))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }
}
