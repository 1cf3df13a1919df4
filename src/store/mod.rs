//! The storage boundary. A backend stores and loads; it decides nothing.
//!
//! Every rule (which tokens a new token expires, how many sessions a user keeps, what a password
//! change ends, the throttles) lives in the domain (`accounts`, `throttle`, the outbox worker),
//! written once as a *unit of work*: a closure over [`Tx`], a transaction's small, plain
//! operations. [`Store::run`] runs one unit of work in one transaction on a backend's own thread,
//! committing it when the closure answers [`Finish::Commit`] and rolling it back otherwise (or on
//! any error). A new backend implements [`Tx`] and [`Store`]: storage only.
//!
//! Two guarantees every backend gives, because the domain's rules rely on them:
//! - [`Tx::lock_user`] and [`Tx::lock_attempts`] serialise the units of work that touch one user
//!   or one throttle key until commit, across every instance on the database;
//! - foreign keys are checked at commit, so a unit of work that is rolled back may refer to a user
//!   that does not exist (the unknown-address run of the reset e-mail does exactly the work of a
//!   real one, then rolls it back).

mod pg;
pub mod postgres;
mod sql;
pub mod sqlite;
pub mod unleash;

use std::sync::Arc;

use async_trait::async_trait;

use crate::base::types::{normalise, Email, RootRole, TokenKind, UserId, Username};

pub use crate::base::clock::Millis;

/// A SHA-256 digest of a secret (session id, token, throttle key); secrets are never stored.
pub type Digest = [u8; 32];

/// A session id or token as presented (or handed out), and its SHA-256. Backends look it up and
/// keep it by its digest; the value itself is there only for a backend that shares its rows with
/// another program that reads them as they are (Unleash's own session and token tables, see
/// `unleash.rs`). A key loaded from a backend that keeps digests only has no value. `Debug` shows
/// neither.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey {
    value: Option<Arc<str>>,
    digest: Digest,
}

impl SecretKey {
    /// The key of a secret as handed out or presented.
    pub fn of(value: &str) -> Self {
        use sha2::Digest as _;
        SecretKey {
            value: Some(Arc::from(value)),
            digest: sha2::Sha256::digest(value.as_bytes()).into(),
        }
    }

    /// A key known only by its digest (as a digest-keeping backend loads it).
    pub fn from_digest(digest: Digest) -> Self {
        SecretKey {
            value: None,
            digest,
        }
    }

    pub fn digest(&self) -> &Digest {
        &self.digest
    }

    /// The secret itself, when this key was made from it.
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

type Cause = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the row (e.g. an e-mail that is taken).
    #[error("already exists")]
    Conflict,
    /// The database cannot be reached right now (connection lost, pool exhausted, shutting down).
    /// Worth retrying later; nothing was changed.
    #[error("database unavailable: {0}")]
    Unavailable(#[source] Cause),
    /// A stored value the domain cannot read (e.g. an unknown root role): never guessed.
    #[error("corrupt row: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Backend(#[source] Cause),
    /// The database was migrated by a newer Unlatch than this one: refused, never written to.
    #[error(
        "the database is at schema version {found}, newer than this Unlatch's ({supported}): it \
         was upgraded by a newer release. Run that release (or one at least as new), or restore \
         the backup taken before the upgrade"
    )]
    NewerSchema { found: u32, supported: u32 },
}

impl StoreError {
    pub fn backend(cause: impl Into<Cause>) -> Self {
        StoreError::Backend(cause.into())
    }

    pub fn unavailable(cause: impl Into<Cause>) -> Self {
        StoreError::Unavailable(cause.into())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A bcrypt hash. Its `Debug` is redacted so it can never reach a log line.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(pub String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(..)")
    }
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub email: Option<Email>,
    pub username: Option<String>,
    pub name: Option<String>,
    pub password_hash: Option<PasswordHash>,
    pub root_role: RootRole,
    pub login_attempts: i64,
    pub created_at: Millis,
    pub seen_at: Option<Millis>,
    /// What Unleash keeps of a user beyond the password part, shown as it is (`null` when unset):
    /// only a backend that shares Unleash's `users` has them; Unlatch's own never set them.
    pub unleash: UnleashFields,
}

/// The columns of Unleash's `users` that its user JSON shows (`scimId`, `seatType`, `companyRole`,
/// `productUpdatesEmailConsent`), set by Unleash (or its enterprise edition), never by Unlatch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnleashFields {
    pub scim_id: Option<String>,
    pub seat_type: Option<String>,
    pub company_role: Option<String>,
    pub product_updates_email_consent: Option<bool>,
}

impl User {
    /// Its id, and its name, username and e-mail where it has them, as Unleash's JSON of a user
    /// (a session's, an event's) carries them: an absent one is left out.
    pub fn identity(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut fields = serde_json::Map::new();
        fields.insert("id".into(), self.id.0.into());
        if let Some(name) = &self.name {
            fields.insert("name".into(), name.clone().into());
        }
        if let Some(username) = &self.username {
            fields.insert("username".into(), username.clone().into());
        }
        if let Some(email) = &self.email {
            fields.insert("email".into(), email.as_str().into());
        }
        fields
    }

    /// The avatar Unleash shows for a user: Gravatar, keyed by the SHA-256 of the e-mail (else the
    /// username, else the id), trimmed and lower-cased.
    pub fn image_url(&self) -> String {
        use sha2::Digest as _;
        let key = self
            .email
            .as_ref()
            .map(|e| e.as_str().to_string())
            .or_else(|| self.username.clone())
            .unwrap_or_else(|| self.id.to_string());
        let digest = sha2::Sha256::digest(normalise(&key).as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("https://gravatar.com/avatar/{hex}?s=42&d=retro&r=g")
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Option<Email>,
    pub username: Option<Username>,
    pub name: Option<String>,
    pub password_hash: Option<PasswordHash>,
    pub root_role: RootRole,
    pub created_at: Millis,
}

#[derive(Debug, Clone)]
pub struct NewToken {
    pub digest: Digest,
    pub kind: TokenKind,
    pub created_by: String,
    pub created_at: Millis,
    pub expires_at: Millis,
}

/// A stored token, live or not: the domain decides.
#[derive(Debug, Clone)]
pub struct TokenRecord {
    pub kind: TokenKind,
    pub created_by: String,
    pub created_at: Millis,
    pub expires_at: Millis,
    pub used_at: Option<Millis>,
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub key: SecretKey,
    pub user_id: UserId,
    pub created_at: Millis,
    pub expires_at: Millis,
    /// Where the log-in came from, shown to the user in their list of sessions.
    pub client: SessionClient,
}

/// What a session remembers of the client that logged in: its `User-Agent` and its address (as
/// the rate limits see it), each as sent, bounded by the domain. Neither is a secret.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionClient {
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

/// A stored session of a user (its key identifies it).
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub key: SecretKey,
    pub created_at: Millis,
    pub expires_at: Millis,
    /// As recorded at log-in (beside Unleash: what Unleash or Unlatch put in the row).
    pub client: SessionClient,
}

/// A "this wasn't me" token to store: single use, of its own kind (a password change does not
/// void it, so that every link mailed about a change works once).
#[derive(Debug, Clone)]
pub struct NewNotMeToken {
    pub digest: Digest,
    pub created_at: Millis,
    pub expires_at: Millis,
}

/// A stored "this wasn't me" token, live or not: the domain decides.
#[derive(Debug, Clone)]
pub struct NotMeTokenRecord {
    pub created_at: Millis,
    pub expires_at: Millis,
    pub used_at: Option<Millis>,
}

/// One remembered password of a user (a bcrypt hash is unique: its salt is random).
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub hash: PasswordHash,
}

/// A failure counter's window, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AttemptWindow {
    pub started_at: Millis,
    pub count: i64,
}

/// A rendered e-mail, ready for the outbox. `Debug` is redacted: the parts carry links.
#[derive(Clone)]
pub struct OutgoingMail {
    /// Sent as `Idempotency-Key`, so a relay can drop a repeat after a crash.
    pub key: String,
    pub template: String,
    pub recipient: String,
    pub subject: String,
    pub html: String,
    pub text: String,
}

impl std::fmt::Debug for OutgoingMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutgoingMail")
            .field("key", &self.key)
            .field("template", &self.template)
            .finish_non_exhaustive()
    }
}

/// A due mail, as loaded for one delivery attempt.
#[derive(Debug, Clone)]
pub struct QueuedMail {
    pub id: i64,
    /// Attempts made before this one.
    pub attempts: i64,
    /// When it was queued.
    pub queued_at: Millis,
    pub mail: OutgoingMail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailState {
    Pending,
    Sent,
    Dead,
}

impl MailState {
    pub fn as_str(self) -> &'static str {
        match self {
            MailState::Pending => "pending",
            MailState::Sent => "sent",
            MailState::Dead => "dead",
        }
    }

    pub fn parse(text: &str) -> StoreResult<Self> {
        match text {
            "pending" => Ok(MailState::Pending),
            "sent" => Ok(MailState::Sent),
            "dead" => Ok(MailState::Dead),
            other => Err(StoreError::Corrupt(format!("outbox state {other:?}"))),
        }
    }
}

/// What the outbox shows an operator (never the bodies).
#[derive(Debug, Clone)]
pub struct OutboxEntry {
    pub id: i64,
    pub template: String,
    pub recipient: String,
    pub state: MailState,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: Millis,
    pub next_attempt_at: Millis,
}

/// An audit event as recorded. Never carries a secret.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub kind: String,
    /// Who acted (Unleash's `created_by`).
    pub actor: String,
    /// The acting user's id as Unleash's event log records it (`created_by_user_id`).
    pub actor_id: Option<i64>,
    pub subject: Option<String>,
    pub ip: Option<String>,
    pub created_at: Millis,
    /// The event's `data` and `preData`, as the domain made them (Unleash's shapes).
    pub data: Option<serde_json::Value>,
    pub pre_data: Option<serde_json::Value>,
    /// Unleash writes this same event for the same call: a backend that shares Unleash's event
    /// log (`events`) records it there as well. Not loaded back.
    pub shared: bool,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub id: i64,
    pub event: NewEvent,
    /// How many times it happened (events recorded with [`Tx::count_event`]; 1 for the others).
    pub count: i64,
}

/// What a stored credential stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredCredential {
    /// An admin API token, with its name (Unleash's `token_name`, else its `username`).
    AdminToken {
        name: String,
    },
    User(UserId),
}

/// Who holds a named lease, and until when (an empty holder: nobody yet).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Lease {
    pub holder: String,
    pub expires_at: Millis,
}

/// Where a purge batch stopped: the ordering value and the key of the last row it deleted. The
/// next batch of the same kind starts after it instead of at the start of the index, where on
/// PostgreSQL the entries of the rows earlier batches deleted stay until vacuum and every batch
/// would step over all of them again. The key breaks ties: many rows may share one value (a bulk
/// import's tokens all expire at once), and a bound on the value alone would start at the first of
/// them. Made and read by the backend that deleted the rows (each has its own ordering, key and
/// unit); the domain only carries it from one batch to the next. Keys are digests and ids, never
/// secrets, yet `Debug` shows the value only.
#[derive(Clone, PartialEq, Eq)]
pub struct PurgeCursor {
    at: i64,
    key: PurgeKey,
}

#[derive(Clone, PartialEq, Eq)]
enum PurgeKey {
    /// The backend bounds the value alone (`>=`): see `unleash.rs`.
    None,
    Id(i64),
    Bytes(Vec<u8>),
    Text(String),
}

impl PurgeCursor {
    fn mismatch() -> StoreError {
        StoreError::backend("a purge cursor made for another kind of row")
    }

    /// A cursor after no row of an integer-keyed table: below every real (value, id).
    fn id_after(after: Option<&PurgeCursor>) -> StoreResult<(i64, i64)> {
        match after {
            None => Ok((i64::MIN, i64::MIN)),
            Some(PurgeCursor {
                at,
                key: PurgeKey::Id(id),
            }) => Ok((*at, *id)),
            Some(_) => Err(Self::mismatch()),
        }
    }

    /// The same for a table keyed by bytes (the empty key sorts first).
    fn bytes_after(after: Option<&PurgeCursor>) -> StoreResult<(i64, &[u8])> {
        match after {
            None => Ok((i64::MIN, &[])),
            Some(PurgeCursor {
                at,
                key: PurgeKey::Bytes(key),
            }) => Ok((*at, key)),
            Some(_) => Err(Self::mismatch()),
        }
    }

    /// The same for a table keyed by text (`None`: from the start).
    fn text_after(after: Option<&PurgeCursor>) -> StoreResult<Option<&str>> {
        match after {
            None => Ok(None),
            Some(PurgeCursor {
                key: PurgeKey::Text(key),
                ..
            }) => Ok(Some(key)),
            Some(_) => Err(Self::mismatch()),
        }
    }

    /// The same for a bound on the value alone (`None`: from the start).
    fn value_after(after: Option<&PurgeCursor>) -> StoreResult<Option<i64>> {
        match after {
            None => Ok(None),
            Some(PurgeCursor {
                at,
                key: PurgeKey::None,
            }) => Ok(Some(*at)),
            Some(_) => Err(Self::mismatch()),
        }
    }
}

impl std::fmt::Debug for PurgeCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PurgeCursor")
            .field("at", &self.at)
            .finish_non_exhaustive()
    }
}

/// What one purge batch deleted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Purged {
    pub count: u64,
    /// Where it stopped; `None` when it deleted nothing.
    pub last: Option<PurgeCursor>,
}

impl Purged {
    /// A batch of an integer-keyed table, from the (value, id) of each row it deleted, in any
    /// order (a `RETURNING` clause promises none).
    fn of_ids(rows: impl IntoIterator<Item = (i64, i64)>) -> Purged {
        let (count, last) = count_and_max(rows);
        Purged {
            count,
            last: last.map(|(at, id)| PurgeCursor {
                at,
                key: PurgeKey::Id(id),
            }),
        }
    }

    /// The same for a table keyed by bytes: compared as the databases compare them (bytewise,
    /// a prefix first), which is `Vec<u8>`'s order.
    fn of_bytes(rows: impl IntoIterator<Item = (i64, Vec<u8>)>) -> Purged {
        let (count, last) = count_and_max(rows);
        Purged {
            count,
            last: last.map(|(at, key)| PurgeCursor {
                at,
                key: PurgeKey::Bytes(key),
            }),
        }
    }

    /// A batch whose last row the database itself named (text keys: only the database knows its
    /// collation's order).
    fn of_text(count: u64, last: Option<String>) -> Purged {
        Purged {
            count,
            last: last.map(|key| PurgeCursor {
                at: 0,
                key: PurgeKey::Text(key),
            }),
        }
    }

    /// A batch bounded on the value alone.
    fn of_value(count: u64, last: Option<i64>) -> Purged {
        Purged {
            count,
            last: last.map(|at| PurgeCursor {
                at,
                key: PurgeKey::None,
            }),
        }
    }
}

/// The key a purge batch orders its rows by after their value (an id, or a digest's bytes): where
/// a batch after a cursor starts, and the cursor of the rows it deleted.
trait BatchKey: Sized {
    fn after(after: Option<&PurgeCursor>) -> StoreResult<(i64, Self)>;
    fn purged(rows: Vec<(i64, Self)>) -> Purged;
}

impl BatchKey for i64 {
    fn after(after: Option<&PurgeCursor>) -> StoreResult<(i64, i64)> {
        PurgeCursor::id_after(after)
    }

    fn purged(rows: Vec<(i64, i64)>) -> Purged {
        Purged::of_ids(rows)
    }
}

impl BatchKey for Vec<u8> {
    fn after(after: Option<&PurgeCursor>) -> StoreResult<(i64, Vec<u8>)> {
        PurgeCursor::bytes_after(after).map(|(at, key)| (at, key.to_vec()))
    }

    fn purged(rows: Vec<(i64, Vec<u8>)>) -> Purged {
        Purged::of_bytes(rows)
    }
}

fn count_and_max<T: Ord>(rows: impl IntoIterator<Item = T>) -> (u64, Option<T>) {
    rows.into_iter()
        .fold((0, None), |(count, max), row| match max {
            Some(max) if max >= row => (count + 1, Some(max)),
            _ => (count + 1, Some(row)),
        })
}

/// The operations of one transaction. Each is plain storage: it loads or changes exactly the rows
/// it names and applies no rule of its own.
pub trait Tx {
    // --- users --------------------------------------------------------------------------------
    /// Live (not deleted) users.
    fn count_users(&mut self) -> StoreResult<i64>;
    fn user(&mut self, id: UserId) -> StoreResult<Option<User>>;
    fn user_by_email(&mut self, email: &Email) -> StoreResult<Option<User>>;
    fn user_by_username(&mut self, username: &Username) -> StoreResult<Option<User>>;
    /// Live users, by id.
    fn users(&mut self) -> StoreResult<Vec<User>>;
    /// Up to `limit` live users with an id above `after`, by id, after skipping the first `skip`
    /// of them (a keyset page: `after` is the last id of the previous page, or 0).
    fn users_page(&mut self, after: i64, skip: u64, limit: usize) -> StoreResult<Vec<User>>;
    /// Locks the user's row until the end of the transaction; false when there is no such live
    /// user.
    fn lock_user(&mut self, id: UserId) -> StoreResult<bool>;
    /// [`Tx::user_by_email`], its row locked as [`Tx::lock_user`] locks it: the two in one
    /// statement.
    fn lock_user_by_email(&mut self, email: &Email) -> StoreResult<Option<User>>;
    /// [`StoreError::Conflict`] when the e-mail or username belongs to a live user.
    fn insert_user(&mut self, user: &NewUser) -> StoreResult<UserId>;
    fn set_seen_at(&mut self, id: UserId, at: Millis) -> StoreResult<()>;
    /// False when there is no such live user.
    fn set_password_hash(&mut self, id: UserId, hash: &PasswordHash) -> StoreResult<bool>;
    /// Removes the user's password hash (no password log-in until one is set again); false when
    /// there is no such live user.
    fn clear_password_hash(&mut self, id: UserId) -> StoreResult<bool>;
    /// Marks the user deleted, freeing its e-mail and username; false when already gone.
    fn mark_user_deleted(&mut self, id: UserId, at: Millis) -> StoreResult<bool>;

    // --- password history ---------------------------------------------------------------------
    /// Newest first.
    fn password_history(&mut self, id: UserId) -> StoreResult<Vec<HistoryEntry>>;
    fn add_password_history(
        &mut self,
        id: UserId,
        hash: &PasswordHash,
        at: Millis,
    ) -> StoreResult<()>;
    fn delete_password_history(&mut self, id: UserId, hashes: &[PasswordHash]) -> StoreResult<()>;
    fn delete_password_history_of(&mut self, id: UserId) -> StoreResult<()>;

    // --- tokens -------------------------------------------------------------------------------
    fn insert_token(&mut self, user: UserId, token: &NewToken) -> StoreResult<()>;
    /// The token with this key and its user (live or not).
    fn token(&mut self, key: &SecretKey) -> StoreResult<Option<(TokenRecord, User)>>;
    /// When the user's newest token of this kind was made.
    fn newest_token_at(&mut self, user: UserId, kind: TokenKind) -> StoreResult<Option<Millis>>;
    /// Sets `expires_at = at` on the user's unused tokens that expire after `at`.
    fn expire_tokens_of(&mut self, user: UserId, at: Millis) -> StoreResult<u64>;
    /// [`Tx::expire_tokens_of`] at the new token's creation, then [`Tx::insert_token`]: by
    /// default the two in turn; a backend may do both in one statement.
    fn replace_tokens(&mut self, user: UserId, token: &NewToken) -> StoreResult<()> {
        self.expire_tokens_of(user, token.created_at)?;
        self.insert_token(user, token)
    }
    /// Sets `used_at = at` on this token of this user if it is unused and expires after `at`,
    /// as one conditional write (so concurrent redemptions find it used); answers whether it did.
    fn use_token(&mut self, key: &SecretKey, user: UserId, at: Millis) -> StoreResult<bool>;
    fn delete_tokens_of(&mut self, user: UserId) -> StoreResult<()>;

    // --- "this wasn't me" tokens --------------------------------------------------------------
    fn insert_not_me_token(&mut self, user: UserId, token: &NewNotMeToken) -> StoreResult<()>;
    /// The token with this key and its live user (live token or not).
    fn not_me_token(&mut self, key: &SecretKey) -> StoreResult<Option<(NotMeTokenRecord, User)>>;
    /// Sets `used_at = at` on this token of this user if it is unused and expires after `at`, as
    /// one conditional write; answers whether it did.
    fn use_not_me_token(&mut self, key: &SecretKey, user: UserId, at: Millis) -> StoreResult<bool>;

    // --- sessions -----------------------------------------------------------------------------
    fn insert_session(&mut self, session: &NewSession) -> StoreResult<()>;
    /// The session with this key and its live user (expired or not).
    fn session(&mut self, key: &SecretKey) -> StoreResult<Option<(SessionRecord, User)>>;
    /// The user's sessions, oldest first.
    fn sessions_of(&mut self, user: UserId) -> StoreResult<Vec<SessionRecord>>;
    /// How many sessions each of `users` has that expire after `live_at` (users with none are
    /// left out).
    fn session_counts(
        &mut self,
        users: &[UserId],
        live_at: Millis,
    ) -> StoreResult<Vec<(UserId, i64)>>;
    fn delete_sessions(&mut self, keys: &[SecretKey]) -> StoreResult<()>;
    /// Deletes every session of the user except `keep`.
    fn delete_sessions_of(&mut self, user: UserId, keep: Option<&SecretKey>) -> StoreResult<()>;

    // --- credentials kept by another program -------------------------------------------------
    /// The live credential stored for this secret presented in `Authorization`: beside Unleash,
    /// its admin API tokens and its users' personal access tokens. Unlatch's own backends keep
    /// none (their admin tokens are configured, `INIT_ADMIN_API_TOKENS`).
    fn credential(
        &mut self,
        key: &SecretKey,
        now: Millis,
    ) -> StoreResult<Option<StoredCredential>> {
        let _ = (key, now);
        Ok(None)
    }

    // --- keys ---------------------------------------------------------------------------------
    /// Stores `candidate` as the key named `name` unless one is stored under that name already,
    /// and answers the stored one: every instance on one database ends up with the same key.
    fn keep_key(&mut self, name: &str, candidate: &[u8]) -> StoreResult<Vec<u8>>;

    // --- settings kept by another program ------------------------------------------------------
    /// Unleash's `unleash.auth.simple` setting as stored (its JSON), read fresh: beside Unleash,
    /// what Unleash's admin UI wrote (`{"disabled": true}` turns password log-in off). Unlatch's
    /// own backends keep no such setting.
    fn password_login_setting(&mut self) -> StoreResult<Option<serde_json::Value>> {
        Ok(None)
    }

    // --- failure counters ---------------------------------------------------------------------
    /// Locks the counter for `key` until the end of the transaction (creating it empty) and
    /// answers its window.
    fn lock_attempts(&mut self, key: &Digest) -> StoreResult<AttemptWindow>;
    fn set_attempts(&mut self, key: &Digest, window: AttemptWindow) -> StoreResult<()>;

    // --- outbox -------------------------------------------------------------------------------
    fn enqueue_mail(&mut self, mail: &OutgoingMail, at: Millis) -> StoreResult<()>;
    /// Up to `limit` pending mails due at `now`, in due order, locked until the end of the
    /// transaction (rows another transaction holds are skipped), each the oldest pending mail of
    /// its recipient: a recipient's later mail is not returned while an earlier one is pending
    /// (due, waiting for a retry, or leased by anyone).
    fn due_mail(&mut self, now: Millis, limit: usize) -> StoreResult<Vec<QueuedMail>>;
    /// One more attempt, and not due again before `until`.
    fn lease_mail(&mut self, id: i64, until: Millis) -> StoreResult<()>;
    /// The claim that made `attempts` attempts still holds the pending mail: it is not due again
    /// before `until`. `false` when the mail was sent, died or was claimed again meanwhile.
    fn renew_mail_lease(&mut self, id: i64, attempts: i64, until: Millis) -> StoreResult<bool>;
    /// Delivered: the bodies (which carry links) are erased.
    fn mark_mail_sent(&mut self, id: i64, at: Millis) -> StoreResult<()>;
    fn schedule_mail(&mut self, id: i64, next_attempt_at: Millis, error: &str) -> StoreResult<()>;
    /// Failed for good: kept with its last error; the bodies are erased.
    fn mark_mail_dead(&mut self, id: i64, error: &str) -> StoreResult<()>;
    /// (pending, dead).
    fn outbox_counts(&mut self) -> StoreResult<(i64, i64)>;
    /// Newest first, without bodies.
    fn outbox(&mut self, limit: usize) -> StoreResult<Vec<OutboxEntry>>;

    // --- audit --------------------------------------------------------------------------------
    fn insert_event(&mut self, event: &NewEvent) -> StoreResult<()>;
    /// Adds one to the count of the counted event of the same kind and `period` (the caller
    /// names the period, e.g. the start of a minute), or records it, at its own time, with a
    /// count of one: one row a period, however many times it happens.
    fn count_event(&mut self, event: &NewEvent, period: Millis) -> StoreResult<()>;
    /// A page, newest first, and how many there are in all.
    fn events(&mut self, limit: usize, offset: u64) -> StoreResult<(Vec<Event>, i64)>;

    // --- retention ----------------------------------------------------------------------------
    // Each delete removes at most `limit` of the rows that match, the first in the order of its
    // kind's purge index (below), starting after `after` (the `last` of the previous batch of the
    // same kind; `None`: from the start), and answers how many and where it stopped. A row that a
    // request holds locked may be passed over (PostgreSQL's `SKIP LOCKED`): behind the cursor, it
    // is left to the next run.
    /// Tokens with `expires_at < before`, by expiry.
    fn delete_tokens_expired_before(
        &mut self,
        before: Millis,
        after: Option<&PurgeCursor>,
        limit: usize,
    ) -> StoreResult<Purged>;
    /// "This wasn't me" tokens with `expires_at < before`, by expiry.
    fn delete_not_me_tokens_expired_before(
        &mut self,
        before: Millis,
        after: Option<&PurgeCursor>,
        limit: usize,
    ) -> StoreResult<Purged>;
    /// Sessions with `expires_at < before`, by expiry.
    fn delete_sessions_expired_before(
        &mut self,
        before: Millis,
        after: Option<&PurgeCursor>,
        limit: usize,
    ) -> StoreResult<Purged>;
    /// Sent mail with `sent_at < before`, by delivery.
    fn delete_sent_mail_before(
        &mut self,
        before: Millis,
        after: Option<&PurgeCursor>,
        limit: usize,
    ) -> StoreResult<Purged>;
    /// Sets `seen_at = at` on these mails where it is not set yet.
    fn mark_mail_seen(&mut self, ids: &[i64], at: Millis) -> StoreResult<()>;
    /// Dead mail with `seen_at < before` (never-seen dead mail has no `seen_at`), by `seen_at`.
    fn delete_dead_mail_seen_before(
        &mut self,
        before: Millis,
        after: Option<&PurgeCursor>,
        limit: usize,
    ) -> StoreResult<Purged>;
    /// Audit events with `created_at < before`, by age.
    fn delete_events_before(
        &mut self,
        before: Millis,
        after: Option<&PurgeCursor>,
        limit: usize,
    ) -> StoreResult<Purged>;
    /// Failure counters whose window started before `before`, by start.
    fn delete_attempts_before(
        &mut self,
        before: Millis,
        after: Option<&PurgeCursor>,
        limit: usize,
    ) -> StoreResult<Purged>;
    /// Locks the lease `name` until the end of the transaction (creating it empty) and answers
    /// it, as [`Tx::lock_attempts`] does for a counter.
    fn lock_lease(&mut self, name: &str) -> StoreResult<Lease>;
    fn set_lease(&mut self, name: &str, lease: &Lease) -> StoreResult<()>;

    // --- savepoints ---------------------------------------------------------------------------
    /// Marks a point inside the transaction that [`Tx::end_savepoint`] (with `undo`) can return to.
    /// One level: end it with [`Tx::end_savepoint`] before marking another.
    fn savepoint(&mut self) -> StoreResult<()>;
    /// Undoes everything written since [`Tx::savepoint`] (keeping what was written before it);
    /// the transaction goes on, and commits or rolls back as its unit of work says. Ends the
    /// savepoint either way. Without `undo`, keeps the writes and only ends the savepoint, so that
    /// both outcomes run the same statements.
    fn end_savepoint(&mut self, undo: bool) -> StoreResult<()>;
}

/// How a unit of work ends.
#[derive(Debug)]
pub enum Finish<T> {
    Commit(T),
    Rollback(T),
}

impl<T> Finish<T> {
    /// How it ends, apart from its answer.
    fn split(self) -> (Finish<()>, T) {
        match self {
            Finish::Commit(value) => (Finish::Commit(()), value),
            Finish::Rollback(value) => (Finish::Rollback(()), value),
        }
    }
}

/// Whether a unit of work writes, and how much a read reads. Each backend runs each where it is
/// cheapest (SQLite: a point read in place, a scan on the blocking pool; see `sqlite.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A few rows found by key (a token, a session, a user). Writes nothing, takes no lock and no
    /// savepoint: it may run without a transaction (see [`Store::run`]).
    Read,
    /// Pages of rows or counts over a table (lists, the start-up count).
    Scan,
    Write,
}

/// A database's schema version (the migrations applied to it) beside this binary's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaVersion {
    pub database: u32,
    pub binary: u32,
}

/// What `unlatch migrate --dry-run` reports: the database's schema version, this binary's, and
/// the migrations that would run (each its version and what it does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationPlan {
    pub version: SchemaVersion,
    pub pending: Vec<(u32, &'static str)>,
    /// Beside Unleash: what the check of Unleash's own schema found (it is not migrated).
    pub unleash_schema: Option<String>,
}

impl MigrationPlan {
    /// The plan from `database` to the last of `names` (one per migration, in order); a
    /// database at a newer version than `names` knows is refused.
    pub fn new(database: u32, names: &[&'static str]) -> StoreResult<Self> {
        let binary = u32::try_from(names.len()).unwrap_or(u32::MAX);
        if database > binary {
            return Err(StoreError::NewerSchema {
                found: database,
                supported: binary,
            });
        }
        Ok(MigrationPlan {
            version: SchemaVersion { database, binary },
            pending: (database + 1..=binary)
                .zip(names.iter().skip(database as usize).copied())
                .collect(),
            unleash_schema: None,
        })
    }
}

/// A unit of work as a backend runs it: it says how it ends (commit or roll back); its answer
/// goes back to the caller by a channel of its own type (see `write`, `read` and `scan` below),
/// so that [`Store`] stays usable as a trait object without the answer's type being erased.
pub type Work = Box<dyn FnOnce(&mut dyn Tx) -> StoreResult<Finish<()>> + Send>;

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which backend this is, for logs and `/health`.
    fn kind(&self) -> &'static str;
    /// A trivial query: is the database answering?
    async fn ping(&self) -> StoreResult<()>;
    /// The database's schema version as it is now (another instance may have moved it since
    /// start-up), beside this binary's.
    async fn schema_version(&self) -> StoreResult<SchemaVersion>;
    /// Runs `work` in one transaction; a [`Mode::Read`] unit may run without one where that
    /// changes no answer (PostgreSQL at READ COMMITTED, where each statement has its own snapshot
    /// either way). Nothing that can wait on the database for long (a write's commit, a scan, a
    /// network round trip) runs on an async worker thread.
    async fn run(&self, mode: Mode, work: Work) -> StoreResult<()>;
    /// The token with this key and its user, live or not ([`Tx::token`]), read on its own: by
    /// default a [`Mode::Read`] unit of work; a backend with a cheaper way to run one statement
    /// (PostgreSQL's async pool) answers the same from it.
    async fn token(&self, key: SecretKey) -> StoreResult<Option<(TokenRecord, User)>> {
        run_typed(self, Mode::Read, move |tx| {
            tx.token(&key).map(Finish::Rollback)
        })
        .await
    }
    /// The live user with this address ([`Tx::user_by_email`]), read on its own, as
    /// [`Store::token`] is.
    async fn user_by_email(&self, email: Email) -> StoreResult<Option<User>> {
        run_typed(self, Mode::Read, move |tx| {
            tx.user_by_email(&email).map(Finish::Rollback)
        })
        .await
    }
    /// The session with this key and its live user, expired or not ([`Tx::session`]), read on
    /// its own, as [`Store::token`] is.
    async fn session(&self, key: SecretKey) -> StoreResult<Option<(SessionRecord, User)>> {
        run_typed(self, Mode::Read, move |tx| {
            tx.session(&key).map(Finish::Rollback)
        })
        .await
    }
    /// Finishes housekeeping a backend deferred (at shutdown): nothing by default.
    async fn flush(&self) -> StoreResult<()> {
        Ok(())
    }
    /// Called by bulk work (the purge) between its batches: a backend whose writes pile up
    /// somewhere before they reach their place (SQLite's write-ahead log) puts them there first,
    /// so bulk work goes at the pace the database absorbs it. Nothing by default.
    async fn settle(&self) -> StoreResult<()> {
        Ok(())
    }
}

impl dyn Store {
    /// Runs a unit of work that writes: committed on [`Finish::Commit`], rolled back otherwise.
    pub async fn write<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Tx) -> StoreResult<Finish<T>> + Send + 'static,
    {
        run_typed(self, Mode::Write, work).await
    }

    /// Runs a unit of work that only reads a few rows by key.
    pub async fn read<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Tx) -> StoreResult<T> + Send + 'static,
    {
        run_typed(self, Mode::Read, move |tx| work(tx).map(Finish::Rollback)).await
    }

    /// Runs a unit of work that reads pages of rows or counts over a table.
    pub async fn scan<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Tx) -> StoreResult<T> + Send + 'static,
    {
        run_typed(self, Mode::Scan, move |tx| work(tx).map(Finish::Rollback)).await
    }

    /// The outbox, newest first, without bodies (for operators and tests).
    pub async fn outbox(&self, limit: usize) -> StoreResult<Vec<OutboxEntry>> {
        self.scan(move |tx| tx.outbox(limit)).await
    }

    pub async fn outbox_counts(&self) -> StoreResult<(i64, i64)> {
        self.scan(|tx| tx.outbox_counts()).await
    }

    pub async fn events(&self, limit: usize, offset: u64) -> StoreResult<(Vec<Event>, i64)> {
        self.scan(move |tx| tx.events(limit, offset)).await
    }
}

/// Runs `work` on `store` as [`Store::run`] does, its answer handed back through a channel of its
/// type.
async fn run_typed<S, T, F>(store: &S, mode: Mode, work: F) -> StoreResult<T>
where
    S: Store + ?Sized,
    T: Send + 'static,
    F: FnOnce(&mut dyn Tx) -> StoreResult<Finish<T>> + Send + 'static,
{
    let (answer, mut answered) = tokio::sync::oneshot::channel();
    let work: Work = Box::new(move |tx| {
        let (finish, value) = work(tx)?.split();
        // The receiver lives until `run` has returned: the send cannot fail.
        let _ = answer.send(value);
        Ok(finish)
    });
    store.run(mode, work).await?;
    answered
        .try_recv()
        .map_err(|_| StoreError::backend("a unit of work ended without an answer"))
}

/// Which database `DATABASE_URL` names.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(std::path::PathBuf),
    Postgres(String),
    /// Unleash's own database (`UNLEASH_DATABASE_URL`): see `unleash.rs`.
    Unleash {
        url: String,
        beside: unleash::Beside,
    },
}

impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "Sqlite({})", path.display()),
            // The URL may carry a password.
            Location::Postgres(_) => f.write_str("Postgres(..)"),
            Location::Unleash { .. } => f.write_str("Unleash(..)"),
        }
    }
}

/// Opens (and migrates) the store `location` names.
pub async fn open(location: &Location, pool_size: u32) -> StoreResult<Arc<dyn Store>> {
    Ok(match location {
        Location::Sqlite(path) => Arc::new(sqlite::SqliteStore::open(path).await?),
        Location::Postgres(url) => {
            Arc::new(pg::PostgresStore::open(url, pool_size, Arc::new(postgres::Own)).await?)
        }
        Location::Unleash { url, beside } => {
            Arc::new(pg::PostgresStore::open(url, pool_size, Arc::new(beside.clone())).await?)
        }
    })
}

/// What [`migrate`] would do, without changing anything (a SQLite file that does not exist is
/// not created).
pub async fn plan_migrations(location: &Location) -> StoreResult<MigrationPlan> {
    match location {
        Location::Sqlite(path) => {
            let path = path.clone();
            tokio::task::spawn_blocking(move || sqlite::plan(&path))
                .await
                .map_err(StoreError::backend)?
        }
        Location::Postgres(url) => pg::plan(url, Arc::new(postgres::Own)).await,
        Location::Unleash { url, beside } => pg::plan(url, Arc::new(beside.clone())).await,
    }
}

/// Applies pending migrations and answers (without serving).
pub async fn migrate(location: &Location) -> StoreResult<()> {
    match location {
        Location::Sqlite(path) => {
            let path = path.clone();
            tokio::task::spawn_blocking(move || sqlite::migrate(&path))
                .await
                .map_err(StoreError::backend)?
        }
        Location::Postgres(_) | Location::Unleash { .. } => open(location, 1).await.map(drop),
    }
}
