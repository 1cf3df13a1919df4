//! Beside Unleash: the PostgreSQL store on Unleash 8.2.0's own database (CONTRACT §6; the facts in
//! UNLEASH-DATABASE.md). Users, root roles, sessions, reset tokens and password history live in
//! Unleash's tables, read and written as Unleash reads and writes them, so that each side honours
//! what the other did. Unlatch's own rows (outbox, audit log, failure counters, leases, "this wasn't
//! me" tokens) live in the schema `unlatch` of the same database, never in Unleash's; their
//! operations are those of Unlatch's own PostgreSQL layout (`postgres.rs`, run on the same
//! `Pg`), which finds them through the connection's search path.
//!
//! How Unleash's rows are kept (representation only; every rule stays in the domain):
//! - a session is a `unleash_session` row keyed by its id in clear (Unleash looks it up so), its
//!   `sess` the JSON Unleash's express-session writes: a `cookie` object and the user, and the
//!   client's `ip` and `userAgent` where Unleash's own middleware keeps them;
//! - a token Unlatch makes is stored as `unlatch:<kind>:<hex SHA-256>`, never in clear, with
//!   `used_at` at the epoch while unused: Unleash answers "used" for such a row, so the stored
//!   value is no token at Unleash's `/auth/reset/*`. Spent, it gets the real time. A token Unleash
//!   made is stored in clear (Unleash's way) and is found by its value, `used_at` NULL while unused;
//! - a `user-created` audit event is also written to Unleash's `events`, so that its event log and
//!   integrations see the user;
//! - Unleash's foreign keys are checked at once, not at commit: a token or session for a user that
//!   does not exist is not written, and the unit of work that asked for it cannot commit (the
//!   store's promise: such a unit is rolled back, as the unknown-address run of the reset e-mail
//!   is, up to its savepoint).

use ::postgres::error::SqlState;
use ::postgres::{Client, Row};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq;

use async_trait::async_trait;

use super::pg::{applied_version, apply_migrations, pg, Layout, Pg, Reader};
use super::sql;
use super::*;

/// The newest Unleash migration this Unlatch knows the tables of: Unleash 8.2.0's.
pub const SUPPORTED_UNLEASH_MIGRATION: &str = "/20260902120000-add-user-agent-to-login-history";

/// Unlatch's own tables first, Unleash's (`public`, its default schema) after.
pub const SEARCH_PATH: &str = "-c search_path=unlatch,public";

/// Any number no other program uses for its own advisory lock.
const MIGRATION_LOCK: i64 = 0x756e_6c61_7463_6802;

/// Unlatch's own tables, in the schema `unlatch`. Append only.
const OWN_MIGRATIONS: &[&str] = &[
    r#"
    CREATE TABLE unlatch.outbox (
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
        sent_at         BIGINT,
        seen_at         BIGINT
    );
    CREATE INDEX outbox_due ON unlatch.outbox (state, next_attempt_at);
    CREATE INDEX outbox_sent ON unlatch.outbox (state, sent_at);
    CREATE INDEX outbox_pending_recipient ON unlatch.outbox (recipient, id) WHERE state = 'pending';

    CREATE TABLE unlatch.events (
        id         BIGSERIAL PRIMARY KEY,
        kind       TEXT NOT NULL,
        actor      TEXT NOT NULL,
        subject    TEXT,
        ip         TEXT,
        created_at BIGINT NOT NULL
    );
    CREATE INDEX events_created ON unlatch.events (created_at);

    CREATE TABLE unlatch.attempts (
        key_sha256 BYTEA PRIMARY KEY CHECK (octet_length(key_sha256) = 32),
        started_at BIGINT NOT NULL,
        count      BIGINT NOT NULL
    );
    CREATE INDEX attempts_started ON unlatch.attempts (started_at);

    CREATE TABLE unlatch.leases (
        name       TEXT PRIMARY KEY,
        holder     TEXT NOT NULL,
        expires_at BIGINT NOT NULL
    );
    "#,
    // The purge's indexes, as in `postgres.rs` (why there). Unleash's own tables get none.
    r#"
    CREATE INDEX events_purge ON unlatch.events (created_at, id);
    DROP INDEX unlatch.events_created;
    CREATE INDEX attempts_purge ON unlatch.attempts (started_at, key_sha256);
    DROP INDEX unlatch.attempts_started;
    CREATE INDEX outbox_sent_purge ON unlatch.outbox (sent_at, id) WHERE state = 'sent';
    DROP INDEX unlatch.outbox_sent;
    CREATE INDEX outbox_dead_purge ON unlatch.outbox (seen_at, id) WHERE state = 'dead';
    "#,
    // Counted events, as in `postgres.rs`.
    r#"
    ALTER TABLE unlatch.events ADD COLUMN count BIGINT;
    CREATE UNIQUE INDEX events_counted ON unlatch.events (kind, created_at) WHERE count IS NOT NULL;
    "#,
    // Keys the instances share, as in `postgres.rs`.
    r#"
    CREATE TABLE unlatch.keys (
        name  TEXT PRIMARY KEY,
        value BYTEA NOT NULL
    );
    "#,
    // Counted events keep a period of their own, as in `postgres.rs`.
    r#"
    ALTER TABLE unlatch.events ADD COLUMN period BIGINT;
    UPDATE unlatch.events SET period = created_at WHERE count IS NOT NULL;
    DROP INDEX unlatch.events_counted;
    CREATE UNIQUE INDEX events_period ON unlatch.events (kind, period) WHERE period IS NOT NULL;
    "#,
    // Events as Unleash records them, as in `postgres.rs`.
    r#"
    ALTER TABLE unlatch.events ADD COLUMN actor_id BIGINT;
    ALTER TABLE unlatch.events ADD COLUMN data TEXT;
    ALTER TABLE unlatch.events ADD COLUMN pre_data TEXT;
    "#,
    // "This wasn't me" tokens, as in `postgres.rs`, for Unleash's users: no foreign key, so that
    // nothing of Unlatch's is attached to Unleash's tables (a token of a deleted user is found by
    // no join, and purged with the rest). Sessions' clients live in Unleash's own `sess` JSON.
    r#"
    CREATE TABLE unlatch.not_me_tokens (
        token_sha256 BYTEA PRIMARY KEY CHECK (octet_length(token_sha256) = 32),
        user_id      BIGINT NOT NULL,
        created_at   BIGINT NOT NULL,
        expires_at   BIGINT NOT NULL,
        used_at      BIGINT
    );
    CREATE INDEX not_me_tokens_user ON unlatch.not_me_tokens (user_id);
    "#,
    // The purge's index of "this wasn't me" tokens, as in `postgres.rs`.
    r#"
    CREATE INDEX not_me_tokens_purge ON unlatch.not_me_tokens (expires_at, token_sha256);
    "#,
];

/// What each of [`OWN_MIGRATIONS`] does, for `unlatch migrate --dry-run`.
const OWN_MIGRATION_NAMES: &[&str] = &[
    "the schema unlatch: outbox, events, failure counters and the purge's lease",
    "the purge's indexes in (value, key) order",
    "counted events (events.count)",
    "keys the instances share (the device-proof key)",
    "counted events' periods (events.period)",
    "events as Unleash records them (events.actor_id, data, pre_data)",
    "\"this wasn't me\" tokens (not_me_tokens)",
    "the purge's index of \"this wasn't me\" tokens",
];

const _: () = assert!(OWN_MIGRATIONS.len() == OWN_MIGRATION_NAMES.len());

/// The schema version of Unlatch's own tables this binary writes beside Unleash.
pub const SCHEMA_VERSION: u32 = OWN_MIGRATIONS.len() as u32;

/// The table that records which of [`OWN_MIGRATIONS`] were applied.
const LEDGER: &str = "unlatch.unlatch_migrations";

/// How Unlatch runs beside Unleash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Beside {
    /// Refuse an Unleash database at another schema version than [`SUPPORTED_UNLEASH_MIGRATION`].
    pub schema_check: bool,
    /// `secure` in a session row's `cookie` (the public URL is https).
    pub secure_cookie: bool,
    /// The sessions a user may have at once, as a session row shows it (`activeSessions`).
    pub max_sessions: i64,
}

/// Checks Unleash's schema version, then creates or updates Unlatch's own schema.
fn migrate(client: &mut Client, beside: &Beside) -> StoreResult<()> {
    let mut tx = client.transaction().map_err(pg)?;
    check_schema(&mut tx, beside)?;
    // The schema first: the ledger and the tables are named in it.
    apply_migrations(
        &mut tx,
        MIGRATION_LOCK,
        "CREATE SCHEMA IF NOT EXISTS unlatch;",
        LEDGER,
        OWN_MIGRATIONS,
    )?;
    tx.commit().map_err(pg)
}

/// Checks Unleash's schema version (refused unless it is [`SUPPORTED_UNLEASH_MIGRATION`] or
/// the check is turned off); answers the newest Unleash migration found.
fn check_schema(tx: &mut impl ::postgres::GenericClient, beside: &Beside) -> StoreResult<String> {
    let newest = match tx.query_opt(
        "SELECT name FROM public.migrations ORDER BY id DESC LIMIT 1",
        &[],
    ) {
        Ok(row) => row
            .map(|r| r.try_get::<_, String>(0))
            .transpose()
            .map_err(pg)?,
        Err(e) if e.code() == Some(&SqlState::UNDEFINED_TABLE) => {
            return Err(StoreError::backend(
                "this is not an Unleash database: it has no table public.migrations",
            ))
        }
        Err(e) => return Err(pg(e)),
    };
    let found = newest.as_deref().unwrap_or("no migration at all");
    if found != SUPPORTED_UNLEASH_MIGRATION {
        if beside.schema_check {
            return Err(StoreError::backend(format!(
                "Unleash's database is at migration {found}; this Unlatch supports \
                 {SUPPORTED_UNLEASH_MIGRATION} (Unleash 8.2.0). Set UNLEASH_SCHEMA_CHECK=false \
                 to start anyway, at your own risk"
            )));
        }
        tracing::warn!(found, supported = SUPPORTED_UNLEASH_MIGRATION,
            "Unleash's database is at another schema version; UNLEASH_SCHEMA_CHECK=false lets it pass");
    }
    Ok(found.to_string())
}

/// The one row of a query that aggregates (`SELECT count(*) …` always answers one).
fn aggregate(row: StoreResult<Option<Row>>) -> StoreResult<Row> {
    row?.ok_or_else(|| StoreError::backend("an aggregate answered no row"))
}

/// A `count(*)` in the first column.
fn count(row: &Row) -> StoreResult<u64> {
    let n: i64 = row.try_get(0).map_err(pg)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

#[async_trait]
impl Layout for Beside {
    /// Unlatch's own tables first, Unleash's after.
    fn options(&self) -> Option<&'static str> {
        Some(SEARCH_PATH)
    }

    fn migrate(&self, client: &mut Client) -> StoreResult<()> {
        migrate(client, self)
    }

    /// Unlatch's own schema, after the same check of Unleash's schema as at start-up.
    fn plan(&self, client: &mut Client) -> StoreResult<MigrationPlan> {
        let unleash = check_schema(client, self)?;
        let applied = applied_version(client, LEDGER)?;
        let mut plan = MigrationPlan::new(applied, OWN_MIGRATION_NAMES)?;
        plan.unleash_schema = Some(unleash);
        Ok(plan)
    }

    fn ledger(&self) -> (&'static str, u32) {
        (LEDGER, SCHEMA_VERSION)
    }

    fn run(&self, pg: Pg<'_>, work: Work) -> StoreResult<()> {
        let mut ops = Unleash {
            pg,
            beside: self,
            missing_user: false,
            missing_user_at_savepoint: false,
        };
        let finish = work(&mut ops)?;
        if matches!(finish, Finish::Commit(())) && ops.missing_user {
            // Dropping the transaction rolls it back.
            return Err(StoreError::backend(
                "a unit of work that refers to a missing user cannot commit",
            ));
        }
        ops.pg.end(finish)
    }

    async fn token(
        &self,
        db: &Reader<'_>,
        key: &SecretKey,
    ) -> StoreResult<Option<(TokenRecord, User)>> {
        let (own, theirs) = token_candidates(key);
        token_of(db.query_opt(TOKEN, &[&own, &theirs]).await?)
    }

    async fn user_by_email(&self, db: &Reader<'_>, email: &Email) -> StoreResult<Option<User>> {
        db.query_opt(USER_BY_EMAIL, &[&email.as_str()])
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
        let Some(sid) = key.value() else {
            return Ok(None);
        };
        session_of(db.query_opt(SESSION, &[&sid]).await?, key)
    }
}

struct Unleash<'c, 'b> {
    pg: Pg<'c>,
    beside: &'b Beside,
    /// A row for a user that does not exist was asked for (and not written).
    missing_user: bool,
    /// `missing_user` when the savepoint was taken.
    missing_user_at_savepoint: bool,
}

/// The user columns of Unleash's `users`, with the root role's name, as [`user_from_row`] reads
/// them (the first [`USER_COLUMNS`]); `$tail` names `users u` and the rest. Times are in whole
/// milliseconds rounded down, as Unleash's JavaScript `Date` reads them.
macro_rules! user_query {
    ($tail:literal) => {
        concat!(
            "SELECT u.id::int8, u.email, u.username, u.name, u.password_hash,
                (SELECT r.name FROM public.role_user ru JOIN public.roles r ON r.id = ru.role_id
                  WHERE ru.user_id = u.id AND ru.project = 'default'
                    AND r.type IN ('root', 'root-custom')
                  ORDER BY r.id LIMIT 1),
                coalesce(u.login_attempts, 0)::int8,
                coalesce(floor(extract(epoch FROM u.created_at) * 1000)::int8, 0),
                floor(extract(epoch FROM u.seen_at) * 1000)::int8,
                u.scim_id, u.seat_type, u.company_role, u.product_updates_email_consent ",
            $tail
        )
    };
}

/// The live user with this address.
macro_rules! user_by_email {
    () => {
        user_query!(
            "FROM public.users u WHERE u.email = $1 AND u.deleted_at IS NULL AND NOT u.is_service AND NOT u.is_system"
        )
    };
}
const USER_BY_EMAIL: &str = user_by_email!();

/// How many columns [`user_query`] selects before its `$tail`'s.
const USER_COLUMNS: usize = 13;

/// A user Unleash lets log in with a password: not deleted, not a service account or system row.
macro_rules! live {
    () => {
        "u.deleted_at IS NULL AND NOT u.is_service AND NOT u.is_system"
    };
}

/// The user id a session row belongs to (`sess.user.id`), or NULL when it has none readable.
macro_rules! session_user_id {
    () => {
        "(CASE WHEN (sess->'user'->>'id') ~ '^[0-9]{1,9}$' THEN (sess->'user'->>'id')::int8 END)"
    };
}

fn user_from_row(row: &Row) -> StoreResult<User> {
    let role: Option<String> = row.try_get(5).map_err(pg)?;
    // No root role row: Unleash treats the user as a Viewer.
    let root_role = match role.as_deref() {
        None => Ok(RootRole::Viewer),
        Some(name) => RootRole::parse(name)
            .filter(|r| r.name() == name)
            .ok_or_else(|| format!("root role {name:?}")),
    };
    let mut user = sql::user_with_role(row, root_role).map_err(pg)??;
    user.unleash = UnleashFields {
        scim_id: row.try_get(9).map_err(pg)?,
        seat_type: row.try_get(10).map_err(pg)?,
        company_role: row.try_get(11).map_err(pg)?,
        product_updates_email_consent: row.try_get(12).map_err(pg)?,
    };
    Ok(user)
}

/// A reset token by its stored forms (`$1`: Unlatch's, by kind; `$2`: Unleash's, the value
/// itself; see [`token_candidates`]), with its live user; read by [`token_of`].
const TOKEN: &str = user_query!(
    ", t.reset_token, t.created_by,
       coalesce((extract(epoch FROM t.created_at) * 1000)::int8, 0),
       (extract(epoch FROM t.expires_at) * 1000)::int8,
       (extract(epoch FROM t.used_at) * 1000)::int8
     FROM public.reset_tokens t JOIN public.users u ON u.id = t.user_id
     WHERE (t.reset_token = ANY($1) OR t.reset_token = $2)
       AND u.deleted_at IS NULL AND NOT u.is_service AND NOT u.is_system
     LIMIT 1"
);

/// A row of [`TOKEN`], if one was found.
fn token_of(row: Option<Row>) -> StoreResult<Option<(TokenRecord, User)>> {
    let Some(row) = row else {
        return Ok(None);
    };
    let user = user_from_row(&row)?;
    let stored: String = row.try_get(USER_COLUMNS).map_err(pg)?;
    let used_at: Option<Millis> = row.try_get(USER_COLUMNS + 4).map_err(pg)?;
    let (kind, used_at) = match stored.strip_prefix(OWN_TOKEN) {
        Some(rest) => {
            let kind = rest
                .split(':')
                .next()
                .and_then(TokenKind::parse)
                .ok_or_else(|| {
                    StoreError::Corrupt("a reset token of Unlatch's has no kind".into())
                })?;
            (kind, used_at.filter(|at| *at != 0))
        }
        // Unleash does not record the kind: a user without a password is being invited.
        None if user.password_hash.is_none() => (TokenKind::Invite, used_at),
        None => (TokenKind::Reset, used_at),
    };
    let record = TokenRecord {
        kind,
        created_by: row
            .try_get::<_, Option<String>>(USER_COLUMNS + 1)
            .map_err(pg)?
            .unwrap_or_default(),
        created_at: row.try_get(USER_COLUMNS + 2).map_err(pg)?,
        expires_at: row.try_get(USER_COLUMNS + 3).map_err(pg)?,
        used_at,
    };
    Ok(Some((record, user)))
}

/// A session by its id (`$1`, in clear, as Unleash keeps it), with its live user; read by
/// [`session_of`].
const SESSION: &str = user_query!(
    ", coalesce((extract(epoch FROM s.created_at) * 1000)::int8, 0),
       (extract(epoch FROM s.expired) * 1000)::int8,
       s.sess->>'userAgent', s.sess->>'ip'
     FROM public.unleash_session s
     JOIN public.users u ON u.id = (CASE WHEN (s.sess->'user'->>'id') ~ '^[0-9]{1,9}$'
                                          THEN (s.sess->'user'->>'id')::int8 END)
     WHERE s.sid = $1
       AND u.deleted_at IS NULL AND NOT u.is_service AND NOT u.is_system"
);

/// A row of [`SESSION`] for `key`, if one was found.
fn session_of(row: Option<Row>, key: &SecretKey) -> StoreResult<Option<(SessionRecord, User)>> {
    let Some(row) = row else {
        return Ok(None);
    };
    let record = sql::session_from_row(&row, key.clone(), USER_COLUMNS).map_err(pg)?;
    Ok(Some((record, user_from_row(&row)?)))
}

const OWN_TOKEN: &str = "unlatch:";

/// How a token Unlatch made is stored in `reset_tokens.reset_token`.
fn stored_token(kind: TokenKind, digest: &Digest) -> String {
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{OWN_TOKEN}{}:{hex}", kind.as_str())
}

/// The stored forms a presented token may have: Unlatch's (by kind), and Unleash's (the value
/// itself, unless it has Unlatch's form: a stored value presented is no token).
fn token_candidates(key: &SecretKey) -> (Vec<String>, Option<String>) {
    let own = [TokenKind::Reset, TokenKind::Invite]
        .iter()
        .map(|kind| stored_token(*kind, key.digest()))
        .collect();
    let theirs = key
        .value()
        .filter(|v| !v.starts_with(OWN_TOKEN) && !v.contains('\0'))
        .map(str::to_string);
    (own, theirs)
}

fn iso(ms: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// `sess` as express-session writes it for a logged-in user (UNLEASH-DATABASE.md §2.2): the cookie
/// and the user, without anything that would widen the user's permissions in Unleash.
fn session_json(user: &User, session: &NewSession, beside: &Beside) -> String {
    let mut shown = user.identity();
    shown.insert("accountType".into(), "User".into());
    shown.insert("imageUrl".into(), user.image_url().into());
    if let Some(seen) = user.seen_at {
        shown.insert("seenAt".into(), iso(seen).into());
    }
    shown.insert("loginAttempts".into(), user.login_attempts.into());
    shown.insert("createdAt".into(), iso(user.created_at).into());
    let extra = &user.unleash;
    shown.insert("scimId".into(), extra.scim_id.clone().into());
    shown.insert("seatType".into(), extra.seat_type.clone().into());
    shown.insert("companyRole".into(), extra.company_role.clone().into());
    shown.insert(
        "productUpdatesEmailConsent".into(),
        extra.product_updates_email_consent.into(),
    );
    shown.insert("deletedSessions".into(), 0.into());
    shown.insert("activeSessions".into(), beside.max_sessions.into());
    let mut sess = serde_json::json!({
        "cookie": {
            "originalMaxAge": session.expires_at - session.created_at,
            "expires": iso(session.expires_at),
            "secure": beside.secure_cookie,
            "httpOnly": true,
            "path": "/",
            "sameSite": "lax",
        },
        "user": shown,
    });
    // Where Unleash's own session-context middleware keeps them (it stamps only missing ones).
    if let Some(fields) = sess.as_object_mut() {
        if let Some(ip) = &session.client.ip {
            fields.insert("ip".into(), ip.clone().into());
        }
        if let Some(agent) = &session.client.user_agent {
            fields.insert("userAgent".into(), agent.clone().into());
        }
    }
    sess.to_string()
}

/// An Unleash v2 credential (`<prefix>v2_<22-character selector>_<43-character secret>`): its
/// selector.
fn v2_selector(secret: &str) -> Option<&str> {
    let start = secret.rfind("v2_")?;
    let rest = &secret[start + 3..];
    let (selector, tail) = rest.split_at_checked(22)?;
    let tail = tail.strip_prefix('_')?;
    let url_safe = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    (tail.len() == 43 && url_safe(selector) && url_safe(tail)).then_some(selector)
}

/// Unleash's verifier of a v2 credential: base64url (unpadded) of its SHA-256.
fn verifies(secret: &str, verifier: &str) -> bool {
    let expected = URL_SAFE_NO_PAD.encode(Sha256::digest(secret.as_bytes()));
    bool::from(expected.as_bytes().ct_eq(verifier.as_bytes()))
}

impl Unleash<'_, '_> {
    fn one_user(&mut self, row: Option<Row>) -> StoreResult<Option<User>> {
        row.as_ref().map(user_from_row).transpose()
    }

    fn user_exists(&mut self, id: UserId) -> StoreResult<bool> {
        Ok(self
            .pg
            .query_opt("SELECT 1 FROM public.users WHERE id = $1::int8", &[&id.0])?
            .is_some())
    }
}

impl Tx for Unleash<'_, '_> {
    fn count_users(&mut self) -> StoreResult<i64> {
        let row = self.pg.query_opt(
            concat!("SELECT count(*) FROM public.users u WHERE ", live!()),
            &[],
        )?;
        row.map_or(Ok(0), |r| r.try_get(0).map_err(pg))
    }

    fn user(&mut self, id: UserId) -> StoreResult<Option<User>> {
        let row = self.pg.query_opt(
            user_query!("FROM public.users u WHERE u.id = $1::int8 AND u.deleted_at IS NULL AND NOT u.is_service AND NOT u.is_system"),
            &[&id.0],
        )?;
        self.one_user(row)
    }

    fn user_by_email(&mut self, email: &Email) -> StoreResult<Option<User>> {
        let row = self.pg.query_opt(USER_BY_EMAIL, &[&email.as_str()])?;
        self.one_user(row)
    }

    fn user_by_username(&mut self, username: &Username) -> StoreResult<Option<User>> {
        let row = self.pg.query_opt(
            user_query!("FROM public.users u WHERE u.username = $1 AND u.deleted_at IS NULL AND NOT u.is_service AND NOT u.is_system"),
            &[&username.as_str()],
        )?;
        self.one_user(row)
    }

    fn users(&mut self) -> StoreResult<Vec<User>> {
        self.pg
            .query(
                user_query!("FROM public.users u WHERE u.deleted_at IS NULL AND NOT u.is_service AND NOT u.is_system ORDER BY u.id"),
                &[],
            )?
            .iter()
            .map(user_from_row)
            .collect()
    }

    fn users_page(&mut self, after: i64, skip: u64, limit: usize) -> StoreResult<Vec<User>> {
        let (limit, skip) = (limit as i64, i64::try_from(skip).unwrap_or(i64::MAX));
        self.pg
            .query(
                user_query!(
                    "FROM public.users u WHERE u.id > $1::int8 AND u.deleted_at IS NULL
                       AND NOT u.is_service AND NOT u.is_system
                     ORDER BY u.id LIMIT $2 OFFSET $3"
                ),
                &[&after, &limit, &skip],
            )?
            .iter()
            .map(user_from_row)
            .collect()
    }

    fn lock_user_by_email(&mut self, email: &Email) -> StoreResult<Option<User>> {
        let row = self.pg.query_opt(
            concat!(user_by_email!(), " FOR UPDATE OF u"),
            &[&email.as_str()],
        )?;
        self.one_user(row)
    }

    fn lock_user(&mut self, id: UserId) -> StoreResult<bool> {
        Ok(self
            .pg
            .query_opt(
                concat!(
                    "SELECT 1 FROM public.users u WHERE u.id = $1::int8 AND ",
                    live!(),
                    " FOR UPDATE"
                ),
                &[&id.0],
            )?
            .is_some())
    }

    fn insert_user(&mut self, user: &NewUser) -> StoreResult<UserId> {
        let email = user.email.as_ref().map(Email::as_str);
        let row = self.pg.query_opt(
            "INSERT INTO public.users (name, username, email, email_hash, password_hash, created_at)
             VALUES ($1, $2, $3::text,
                     CASE WHEN $3::text IS NULL THEN NULL
                          ELSE encode(sha256(convert_to($3::text, 'UTF8')), 'hex') END,
                     $4, to_timestamp($5::int8::float8 / 1000) AT TIME ZONE 'UTC')
             RETURNING id::int8",
            &[
                &user.name,
                &user.username.as_ref().map(Username::as_str),
                &email,
                &user.password_hash.as_ref().map(|h| h.0.as_str()),
                &user.created_at,
            ],
        )?;
        let id: i64 = row
            .ok_or_else(|| StoreError::Corrupt("an insert answered no id".into()))?
            .try_get(0)
            .map_err(pg)?;
        let placed = self.pg.exec(
            "INSERT INTO public.role_user (role_id, user_id, project)
             SELECT r.id, $2::int8, 'default' FROM public.roles r
              WHERE r.type = 'root' AND r.name = $1
             ON CONFLICT DO NOTHING",
            &[&user.root_role.name(), &id],
        )?;
        if placed == 0 {
            return Err(StoreError::Corrupt(format!(
                "Unleash has no root role named {}",
                user.root_role.name()
            )));
        }
        Ok(UserId(id))
    }

    fn set_seen_at(&mut self, id: UserId, at: Millis) -> StoreResult<()> {
        // As Unleash's successful log-in writes it.
        self.pg
            .exec(
                "UPDATE public.users
                    SET seen_at = to_timestamp($2::int8::float8 / 1000) AT TIME ZONE 'UTC',
                        first_seen_at = coalesce(first_seen_at,
                            to_timestamp($2::int8::float8 / 1000) AT TIME ZONE 'UTC'),
                        login_attempts = 0
                  WHERE id = $1::int8",
                &[&id.0, &at],
            )
            .map(drop)
    }

    fn set_password_hash(&mut self, id: UserId, hash: &PasswordHash) -> StoreResult<bool> {
        self.pg
            .exec(
                concat!(
                    "UPDATE public.users u SET password_hash = $2 WHERE u.id = $1::int8 AND ",
                    live!()
                ),
                &[&id.0, &hash.0],
            )
            .map(|n| n > 0)
    }

    fn clear_password_hash(&mut self, id: UserId) -> StoreResult<bool> {
        // Unleash's own log-in then refuses every password too.
        self.pg
            .exec(
                concat!(
                    "UPDATE public.users u SET password_hash = NULL WHERE u.id = $1::int8 AND ",
                    live!()
                ),
                &[&id.0],
            )
            .map(|n| n > 0)
    }

    fn mark_user_deleted(&mut self, id: UserId, at: Millis) -> StoreResult<bool> {
        // As Unleash's own delete does it.
        self.pg
            .exec(
                "UPDATE public.users
                    SET deleted_at = to_timestamp($2::int8::float8 / 1000), email = NULL,
                        username = NULL, scim_id = NULL, scim_external_id = NULL,
                        name = name || '(Deleted)'
                  WHERE id = $1::int8 AND deleted_at IS NULL",
                &[&id.0, &at],
            )
            .map(|n| n > 0)
    }

    fn password_history(&mut self, id: UserId) -> StoreResult<Vec<HistoryEntry>> {
        self.pg
            .query(
                "SELECT password_hash FROM public.used_passwords
                  WHERE user_id = $1::int8 ORDER BY used_at DESC",
                &[&id.0],
            )?
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
        self.pg
            .exec(
                "INSERT INTO public.used_passwords (user_id, password_hash, used_at)
                 VALUES ($1::int8, $2, to_timestamp($3::int8::float8 / 1000))",
                &[&id.0, &hash.0, &at],
            )
            .map(drop)
    }

    fn delete_password_history(&mut self, id: UserId, hashes: &[PasswordHash]) -> StoreResult<()> {
        let hashes: Vec<&str> = hashes.iter().map(|h| h.0.as_str()).collect();
        self.pg
            .exec(
                "DELETE FROM public.used_passwords WHERE user_id = $1::int8 AND password_hash = ANY($2)",
                &[&id.0, &hashes],
            )
            .map(drop)
    }

    fn delete_password_history_of(&mut self, id: UserId) -> StoreResult<()> {
        self.pg
            .exec(
                "DELETE FROM public.used_passwords WHERE user_id = $1::int8",
                &[&id.0],
            )
            .map(drop)
    }

    fn insert_token(&mut self, user: UserId, token: &NewToken) -> StoreResult<()> {
        if !self.user_exists(user)? {
            self.missing_user = true;
            return Ok(());
        }
        self.pg
            .exec(
                "INSERT INTO public.reset_tokens
                    (reset_token, user_id, expires_at, created_at, created_by, used_at)
                 VALUES ($1, $2::int8, to_timestamp($3::int8::float8 / 1000),
                         to_timestamp($4::int8::float8 / 1000), $5, 'epoch')",
                &[
                    &stored_token(token.kind, &token.digest),
                    &user.0,
                    &token.expires_at,
                    &token.created_at,
                    &token.created_by,
                ],
            )
            .map(drop)
    }

    fn token(&mut self, key: &SecretKey) -> StoreResult<Option<(TokenRecord, User)>> {
        let (own, theirs) = token_candidates(key);
        token_of(self.pg.query_opt(TOKEN, &[&own, &theirs])?)
    }

    fn newest_token_at(&mut self, user: UserId, kind: TokenKind) -> StoreResult<Option<Millis>> {
        // Unlatch's own tokens of this kind only: Unleash's rows do not say their kind (Unleash
        // writes an invite token for every user it creates), and Unleash keeps its own throttle.
        let own = format!("{OWN_TOKEN}{}:%", kind.as_str());
        let row = self.pg.query_opt(
            "SELECT (extract(epoch FROM max(created_at)) * 1000)::int8 FROM public.reset_tokens
              WHERE user_id = $1::int8 AND reset_token LIKE $2",
            &[&user.0, &own],
        )?;
        Ok(match row {
            Some(r) => r.try_get(0).map_err(pg)?,
            None => None,
        })
    }

    fn expire_tokens_of(&mut self, user: UserId, at: Millis) -> StoreResult<u64> {
        self.pg.exec(
            "UPDATE public.reset_tokens SET expires_at = to_timestamp($2::int8::float8 / 1000)
              WHERE user_id = $1::int8 AND (used_at IS NULL OR used_at = 'epoch')
                AND expires_at > to_timestamp($2::int8::float8 / 1000)",
            &[&user.0, &at],
        )
    }

    fn use_token(&mut self, key: &SecretKey, user: UserId, at: Millis) -> StoreResult<bool> {
        let (own, theirs) = token_candidates(key);
        self.pg
            .exec(
                "UPDATE public.reset_tokens
                    SET used_at = to_timestamp($4::int8::float8 / 1000),
                        expires_at = to_timestamp($4::int8::float8 / 1000)
                  WHERE user_id = $3::int8 AND expires_at > to_timestamp($4::int8::float8 / 1000)
                    AND ((reset_token = ANY($1) AND used_at = 'epoch')
                      OR (reset_token = $2 AND used_at IS NULL))",
                &[&own, &theirs, &user.0, &at],
            )
            .map(|n| n > 0)
    }

    fn delete_tokens_of(&mut self, user: UserId) -> StoreResult<()> {
        self.pg
            .exec(
                "DELETE FROM public.reset_tokens WHERE user_id = $1::int8",
                &[&user.0],
            )
            .map(drop)
    }

    fn insert_not_me_token(&mut self, user: UserId, token: &NewNotMeToken) -> StoreResult<()> {
        if !self.user_exists(user)? {
            self.missing_user = true;
            return Ok(());
        }
        self.pg
            .exec(
                "INSERT INTO unlatch.not_me_tokens (token_sha256, user_id, created_at, expires_at)
                 VALUES ($1, $2, $3, $4)",
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
        let Some(row) = self.pg.query_opt(
            user_query!(
                ", t.created_at, t.expires_at, t.used_at
                 FROM unlatch.not_me_tokens t JOIN public.users u ON u.id = t.user_id
                 WHERE t.token_sha256 = $1
                   AND u.deleted_at IS NULL AND NOT u.is_service AND NOT u.is_system"
            ),
            &[&key.digest().as_slice()],
        )?
        else {
            return Ok(None);
        };
        let record = NotMeTokenRecord {
            created_at: row.try_get(USER_COLUMNS).map_err(pg)?,
            expires_at: row.try_get(USER_COLUMNS + 1).map_err(pg)?,
            used_at: row.try_get(USER_COLUMNS + 2).map_err(pg)?,
        };
        Ok(Some((record, user_from_row(&row)?)))
    }

    fn use_not_me_token(&mut self, key: &SecretKey, user: UserId, at: Millis) -> StoreResult<bool> {
        // Unlatch's own table (schema `unlatch`, first on the search path): as on PostgreSQL.
        self.pg.use_not_me_token(key, user, at)
    }

    fn insert_session(&mut self, session: &NewSession) -> StoreResult<()> {
        let sid = session
            .key
            .value()
            .ok_or_else(|| StoreError::backend("a session to store has no id"))?
            .to_string();
        let Some(user) = self.user(session.user_id)? else {
            self.missing_user = true;
            return Ok(());
        };
        let sess = session_json(&user, session, self.beside);
        self.pg
            .exec(
                "INSERT INTO public.unleash_session (sid, sess, created_at, expired)
                 VALUES ($1, CAST($2::text AS json), to_timestamp($3::int8::float8 / 1000),
                         to_timestamp($4::int8::float8 / 1000))",
                &[&sid, &sess, &session.created_at, &session.expires_at],
            )
            .map(drop)
    }

    fn session(&mut self, key: &SecretKey) -> StoreResult<Option<(SessionRecord, User)>> {
        let Some(sid) = key.value() else {
            return Ok(None);
        };
        session_of(self.pg.query_opt(SESSION, &[&sid])?, key)
    }

    fn sessions_of(&mut self, user: UserId) -> StoreResult<Vec<SessionRecord>> {
        self.pg
            .query(
                concat!(
                    "SELECT sid, coalesce((extract(epoch FROM created_at) * 1000)::int8, 0),
                            (extract(epoch FROM expired) * 1000)::int8,
                            sess->>'userAgent', sess->>'ip'
                       FROM public.unleash_session WHERE ",
                    session_user_id!(),
                    " = $1::int8 ORDER BY created_at, sid"
                ),
                &[&user.0],
            )?
            .iter()
            .map(|r| {
                let sid: String = r.try_get(0).map_err(pg)?;
                sql::session_from_row(r, SecretKey::of(&sid), 1).map_err(pg)
            })
            .collect()
    }

    fn session_counts(
        &mut self,
        users: &[UserId],
        live_at: Millis,
    ) -> StoreResult<Vec<(UserId, i64)>> {
        let ids: Vec<i64> = users.iter().map(|u| u.0).collect();
        self.pg
            .query(
                concat!(
                    "SELECT ",
                    session_user_id!(),
                    " AS user_id, count(*) FROM public.unleash_session
                     WHERE ",
                    session_user_id!(),
                    " = ANY($1) AND expired > to_timestamp($2::int8::float8 / 1000)
                     GROUP BY 1"
                ),
                &[&ids, &live_at],
            )?
            .iter()
            .map(|r| Ok((UserId(r.try_get(0).map_err(pg)?), r.try_get(1).map_err(pg)?)))
            .collect()
    }

    fn delete_sessions(&mut self, keys: &[SecretKey]) -> StoreResult<()> {
        let sids: Vec<&str> = keys.iter().filter_map(SecretKey::value).collect();
        if sids.len() != keys.len() {
            return Err(StoreError::backend("a session to delete has no id"));
        }
        self.pg
            .exec(
                "DELETE FROM public.unleash_session WHERE sid = ANY($1)",
                &[&sids],
            )
            .map(drop)
    }

    fn delete_sessions_of(&mut self, user: UserId, keep: Option<&SecretKey>) -> StoreResult<()> {
        let keep = match keep {
            Some(key) => Some(
                key.value()
                    .ok_or_else(|| StoreError::backend("a session to keep has no id"))?,
            ),
            None => None,
        };
        self.pg
            .exec(
                concat!(
                    "DELETE FROM public.unleash_session WHERE ",
                    session_user_id!(),
                    " = $1::int8 AND ($2::text IS NULL OR sid <> $2::text)"
                ),
                &[&user.0, &keep],
            )
            .map(drop)
    }

    fn password_login_setting(&mut self) -> StoreResult<Option<serde_json::Value>> {
        let row = self.pg.query_opt(
            "SELECT content::text FROM public.settings WHERE name = 'unleash.auth.simple'",
            &[],
        )?;
        let Some(text) = row
            .map(|r| r.try_get::<_, Option<String>>(0))
            .transpose()
            .map_err(pg)?
            .flatten()
        else {
            return Ok(None);
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(StoreError::backend)
    }

    fn credential(
        &mut self,
        key: &SecretKey,
        now: Millis,
    ) -> StoreResult<Option<StoredCredential>> {
        let Some(secret) = key.value() else {
            return Ok(None);
        };
        if secret.starts_with("user:") {
            // A personal access token: v2 by its selector and verifier, v1 by its value.
            let row = match v2_selector(secret) {
                Some(selector) => self.pg.query_opt(
                    "SELECT user_id::int8, verifier FROM public.personal_access_tokens
                      WHERE selector = $1 AND expires_at > to_timestamp($2::int8::float8 / 1000)",
                    &[&selector, &now],
                )?,
                None => self.pg.query_opt(
                    "SELECT user_id::int8, NULL::text FROM public.personal_access_tokens
                      WHERE secret = $1 AND selector IS NULL
                        AND expires_at > to_timestamp($2::int8::float8 / 1000)",
                    &[&secret, &now],
                )?,
            };
            let Some(row) = row else { return Ok(None) };
            let verifier: Option<String> = row.try_get(1).map_err(pg)?;
            if let Some(verifier) = verifier {
                if !verifies(secret, &verifier) {
                    return Ok(None);
                }
            }
            return Ok(Some(StoredCredential::User(UserId(
                row.try_get(0).map_err(pg)?,
            ))));
        }
        // An admin API token: v2 by its selector and verifier, v1 by its value; with its name
        // (v1: `token_name`, else `username`, as Unleash reads it).
        let found = match v2_selector(secret) {
            Some(selector) => {
                let row = self.pg.query_opt(
                    "SELECT verifier, token_name FROM public.api_tokens_v2
                      WHERE selector = $1 AND type = 'admin'
                        AND (expires_at IS NULL OR expires_at > to_timestamp($2::int8::float8 / 1000))",
                    &[&selector, &now],
                )?;
                match row {
                    Some(r) if verifies(secret, &r.try_get::<_, String>(0).map_err(pg)?) => {
                        Some(r.try_get::<_, String>(1).map_err(pg)?)
                    }
                    _ => None,
                }
            }
            None => self
                .pg
                .query_opt(
                    "SELECT coalesce(nullif(token_name, ''), username) FROM public.api_tokens
                      WHERE secret = $1 AND type = 'admin'
                        AND (expires_at IS NULL OR expires_at > to_timestamp($2::int8::float8 / 1000))",
                    &[&secret, &now],
                )?
                .map(|r| r.try_get::<_, String>(0).map_err(pg))
                .transpose()?,
        };
        Ok(found.map(|name| StoredCredential::AdminToken { name }))
    }

    fn lock_attempts(&mut self, key: &Digest) -> StoreResult<AttemptWindow> {
        self.pg.lock_attempts(key)
    }

    fn set_attempts(&mut self, key: &Digest, window: AttemptWindow) -> StoreResult<()> {
        self.pg.set_attempts(key, window)
    }

    fn enqueue_mail(&mut self, mail: &OutgoingMail, at: Millis) -> StoreResult<()> {
        self.pg.enqueue_mail(mail, at)
    }

    fn due_mail(&mut self, now: Millis, limit: usize) -> StoreResult<Vec<QueuedMail>> {
        self.pg.due_mail(now, limit)
    }

    fn lease_mail(&mut self, id: i64, until: Millis) -> StoreResult<()> {
        self.pg.lease_mail(id, until)
    }

    fn renew_mail_lease(&mut self, id: i64, attempts: i64, until: Millis) -> StoreResult<bool> {
        self.pg.renew_mail_lease(id, attempts, until)
    }

    fn mark_mail_sent(&mut self, id: i64, at: Millis) -> StoreResult<()> {
        self.pg.mark_mail_sent(id, at)
    }

    fn schedule_mail(&mut self, id: i64, next_attempt_at: Millis, error: &str) -> StoreResult<()> {
        self.pg.schedule_mail(id, next_attempt_at, error)
    }

    fn mark_mail_dead(&mut self, id: i64, error: &str) -> StoreResult<()> {
        self.pg.mark_mail_dead(id, error)
    }

    fn outbox_counts(&mut self) -> StoreResult<(i64, i64)> {
        self.pg.outbox_counts()
    }

    fn outbox(&mut self, limit: usize) -> StoreResult<Vec<OutboxEntry>> {
        self.pg.outbox(limit)
    }

    fn insert_event(&mut self, event: &NewEvent) -> StoreResult<()> {
        self.pg.insert_event(event)?;
        if !event.shared {
            return Ok(());
        }
        // Unleash's own event log gets the same event, as Unleash's `EventStore` writes one: no
        // tags, `data` and `pre_data` as given (absent ones NULL).
        let data = event.data.as_ref().map(|d| d.to_string());
        let pre_data = event.pre_data.as_ref().map(|d| d.to_string());
        self.pg
            .exec(
                "INSERT INTO public.events
                        (type, created_by, created_by_user_id, data, pre_data, tags, ip, created_at)
                 VALUES ($1, $2, $3::int8, CAST($4::text AS json), CAST($5::text AS jsonb),
                         '[]'::json, $6, to_timestamp($7::int8::float8 / 1000))",
                &[
                    &event.kind,
                    &event.actor,
                    &event.actor_id,
                    &data,
                    &pre_data,
                    &event.ip,
                    &event.created_at,
                ],
            )
            .map(drop)
    }

    fn count_event(&mut self, event: &NewEvent, period: Millis) -> StoreResult<()> {
        self.pg.count_event(event, period)
    }

    fn events(&mut self, limit: usize, offset: u64) -> StoreResult<(Vec<Event>, i64)> {
        self.pg.events(limit, offset)
    }

    // Unleash's tables have no index in the order of the other backends' purge (Unleash's own
    // tables get none of Unlatch's), so each batch here walks the index there is, from where the
    // previous batch stopped; the database names the last row (`max`), in its own collation.
    fn delete_tokens_expired_before(
        &mut self,
        before: Millis,
        after: Option<&PurgeCursor>,
        limit: usize,
    ) -> StoreResult<Purged> {
        // Only Unlatch's own: Unleash's rows are Unleash's to keep. Nothing indexes `expires_at`:
        // by the primary key, a run reads the index once, where an order by expiry would make
        // every batch read and sort the whole table.
        let after = PurgeCursor::text_after(after)?;
        let row = aggregate(self.pg.query_opt(
            "WITH gone AS (
                 DELETE FROM public.reset_tokens WHERE reset_token = ANY(ARRAY(
                     SELECT reset_token FROM public.reset_tokens
                      WHERE reset_token LIKE 'unlatch:%'
                        AND expires_at < to_timestamp($1::int8::float8 / 1000)
                        AND reset_token > COALESCE($2::text, '')
                      ORDER BY reset_token LIMIT $3))
                 RETURNING reset_token)
             SELECT count(*), max(reset_token) FROM gone",
            &[&before, &after, &(limit as i64)],
        ))?;
        Ok(Purged::of_text(count(&row)?, row.try_get(1).map_err(pg)?))
    }

    fn delete_not_me_tokens_expired_before(
        &mut self,
        before: Millis,
        after: Option<&PurgeCursor>,
        limit: usize,
    ) -> StoreResult<Purged> {
        // Unlatch's own table (schema `unlatch`, first on the search path): as on PostgreSQL.
        self.pg
            .delete_not_me_tokens_expired_before(before, after, limit)
    }

    fn delete_sessions_expired_before(
        &mut self,
        before: Millis,
        after: Option<&PurgeCursor>,
        limit: usize,
    ) -> StoreResult<Purged> {
        // Unleash indexes `expired` alone: the bound is on the value (`>=`, so that rows of the
        // last deleted value that did not fit in the batch come next), in whole milliseconds
        // rounded down (the column keeps microseconds), so that it never passes a row.
        let after = PurgeCursor::value_after(after)?;
        let row = aggregate(self.pg.query_opt(
            "WITH gone AS (
                 DELETE FROM public.unleash_session WHERE sid = ANY(ARRAY(
                     SELECT sid FROM public.unleash_session
                      WHERE expired < to_timestamp($1::int8::float8 / 1000)
                        AND expired >= COALESCE(to_timestamp($2::int8::float8 / 1000), '-infinity')
                      ORDER BY expired LIMIT $3))
                 RETURNING expired)
             SELECT count(*), floor(extract(epoch FROM max(expired)) * 1000)::int8 FROM gone",
            &[&before, &after, &(limit as i64)],
        ))?;
        Ok(Purged::of_value(count(&row)?, row.try_get(1).map_err(pg)?))
    }

    fn delete_sent_mail_before(
        &mut self,
        before: Millis,
        after: Option<&PurgeCursor>,
        limit: usize,
    ) -> StoreResult<Purged> {
        self.pg.delete_sent_mail_before(before, after, limit)
    }

    fn mark_mail_seen(&mut self, ids: &[i64], at: Millis) -> StoreResult<()> {
        self.pg.mark_mail_seen(ids, at)
    }

    fn delete_dead_mail_seen_before(
        &mut self,
        before: Millis,
        after: Option<&PurgeCursor>,
        limit: usize,
    ) -> StoreResult<Purged> {
        self.pg.delete_dead_mail_seen_before(before, after, limit)
    }

    fn delete_events_before(
        &mut self,
        before: Millis,
        after: Option<&PurgeCursor>,
        limit: usize,
    ) -> StoreResult<Purged> {
        self.pg.delete_events_before(before, after, limit)
    }

    fn delete_attempts_before(
        &mut self,
        before: Millis,
        after: Option<&PurgeCursor>,
        limit: usize,
    ) -> StoreResult<Purged> {
        self.pg.delete_attempts_before(before, after, limit)
    }

    fn lock_lease(&mut self, name: &str) -> StoreResult<Lease> {
        self.pg.lock_lease(name)
    }

    fn set_lease(&mut self, name: &str, lease: &Lease) -> StoreResult<()> {
        self.pg.set_lease(name, lease)
    }

    fn keep_key(&mut self, name: &str, candidate: &[u8]) -> StoreResult<Vec<u8>> {
        self.pg.keep_key(name, candidate)
    }

    fn savepoint(&mut self) -> StoreResult<()> {
        self.missing_user_at_savepoint = self.missing_user;
        self.pg.savepoint()
    }

    fn end_savepoint(&mut self, undo: bool) -> StoreResult<()> {
        if undo {
            self.missing_user = self.missing_user_at_savepoint;
        }
        self.pg.end_savepoint(undo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_token_is_no_token_and_unleash_values_are_looked_up_as_they_are() {
        let key = SecretKey::of("a-token-handed-out-by-unlatch");
        let (own, theirs) = token_candidates(&key);
        assert_eq!(own.len(), 2);
        assert!(own.iter().all(|s| s.starts_with("unlatch:")));
        assert!(!own.iter().any(|s| s.contains("a-token-handed-out")));
        assert_eq!(theirs.as_deref(), Some("a-token-handed-out-by-unlatch"));
        // Presenting what is stored finds nothing of ours, and is not looked up as Unleash's.
        let stolen = SecretKey::of(&own[0]);
        let (own_again, theirs_again) = token_candidates(&stolen);
        assert!(!own_again.contains(&own[0]));
        assert_eq!(theirs_again, None);
    }

    #[test]
    fn v2_credentials_are_recognised_by_shape() {
        let selector = "abcdefghijklmnopqrstuv";
        let secret_part = "A".repeat(43);
        assert_eq!(
            v2_selector(&format!("user:v2_{selector}_{secret_part}")),
            Some(selector)
        );
        assert_eq!(
            v2_selector(&format!("*:*.v2_{selector}_{secret_part}")),
            Some(selector)
        );
        assert_eq!(v2_selector("*:*.some-v1-secret"), None);
        assert_eq!(v2_selector(&format!("user:v2_{selector}_short")), None);
    }
}
