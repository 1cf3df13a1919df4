//! One test suite for every storage backend: each operation of `Tx`, the atomicity of a unit of
//! work, concurrent token redemption and the outbox lease, run on SQLite, on PostgreSQL (the
//! throwaway cluster of `scripts/with-postgres.sh`) and beside Unleash, on a copy of the database
//! Unleash 8.2.0 itself migrated (the Unleash of `scripts/with-unleash.sh`). These tests fail
//! without either, never skip.

mod common;

use std::sync::Arc;

use unlatch::base::types::{Email, RootRole, TokenKind, UserId, Username};
use unlatch::store::unleash::Beside;
use unlatch::store::{
    self, AttemptWindow, Finish, Lease, Location, MailState, NewEvent, NewNotMeToken, NewSession,
    NewToken, NewUser, OutgoingMail, PasswordHash, PurgeCursor, Purged, SecretKey, SessionClient,
    Store, StoreError, StoreResult, Tx,
};

/// The key of secret `n`, as handed out: with its value, which a backend that shares its rows
/// with Unleash keeps where Unleash does (a session's id); Unlatch's own keep its digest only.
fn key(n: u8) -> SecretKey {
    SecretKey::of(&format!("secret-{n}"))
}

/// The `n` of a key loaded from a backend (with its value or by its digest only).
fn n_of(loaded: &SecretKey) -> u8 {
    (0..=u8::MAX)
        .find(|n| key(*n).digest() == loaded.digest())
        .expect("a test key")
}

async fn sqlite() -> (Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("dir");
    let location = Location::Sqlite(dir.path().join("store.db"));
    (store::open(&location, 4).await.expect("sqlite opens"), dir)
}

async fn postgres() -> (Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("dir");
    let location = Location::Postgres(common::pg::fresh_database());
    (
        store::open(&location, 20).await.expect("postgres opens"),
        dir,
    )
}

/// Beside Unleash, on a database of its own with the schema Unleash 8.2.0 migrated (its own
/// schema check on, as in production).
async fn unleash() -> (Arc<dyn Store>, common::pg::UnleashCopy) {
    let database = common::pg::unleash_database();
    let location = Location::Unleash {
        url: database.url.clone(),
        beside: Beside {
            schema_check: true,
            secure_cookie: false,
            max_sessions: 5,
        },
    };
    (
        store::open(&location, 20)
            .await
            .expect("the store beside Unleash opens"),
        database,
    )
}

/// Each check runs once per backend; those of `not_beside_unleash` on Unlatch's own two only.
macro_rules! on_every_backend {
    (everywhere: [$($check:ident),* $(,)?], not_beside_unleash: [$($own:ident),* $(,)?] $(,)?) => {
        mod on_sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $check() {
                let (store, _dir) = super::sqlite().await;
                super::$check(store).await;
            })*
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $own() {
                let (store, _dir) = super::sqlite().await;
                super::$own(store).await;
            })*
        }
        mod on_postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $check() {
                let (store, _dir) = super::postgres().await;
                super::$check(store).await;
            })*
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $own() {
                let (store, _dir) = super::postgres().await;
                super::$own(store).await;
            })*
        }
        mod on_unleash {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $check() {
                let (store, _database) = super::unleash().await;
                super::$check(store).await;
            })*
        }
    };
}

on_every_backend!(
    everywhere: [
        users_are_stored_found_and_deleted,
        a_taken_address_or_username_is_a_conflict,
        password_history_is_newest_first,
        tokens_are_found_expired_and_used_once,
        sessions_are_listed_oldest_first_and_ended,
        failure_counters_start_empty_and_keep_their_window,
        outbox_claims_lease_and_finishes_mail,
        a_claim_is_renewed_until_it_is_taken_over_or_finished,
        events_are_paged_newest_first,
        a_unit_of_work_is_all_or_nothing,
        a_rolled_back_unit_may_refer_to_a_missing_user,
        a_savepoint_undoes_only_what_came_after_it,
        of_concurrent_redemptions_exactly_one_wins,
        concurrent_claims_never_share_a_mail,
        concurrent_reservations_never_exceed_the_counter,
        a_recipients_later_mail_is_due_only_after_the_earlier_one,
        concurrent_claims_take_one_mail_per_recipient,
        users_are_paged_by_id,
        old_tokens_and_sessions_are_deleted_in_batches,
        old_mail_events_and_counters_are_deleted_in_batches,
        a_purge_in_batches_deletes_every_old_row_and_no_other,
        a_lease_starts_empty_and_keeps_its_holder,
        concurrent_lease_claims_are_serialised,
        a_token_looked_up_alone_is_the_one_a_read_finds,
        a_session_looked_up_alone_is_the_one_a_read_finds,
        a_user_looked_up_alone_is_the_one_a_read_finds,
        a_user_locked_by_address_is_the_one_found_by_it,
        a_new_token_replaces_the_users_live_ones,
        a_write_that_fails_unread_still_undoes_the_unit,
    ],
    // Where a batch stops and the next starts is each layout's own: Unlatch's own tables are
    // purged in (value, key) order after a (value, key) cursor, which this check follows row by
    // row. Beside Unleash, Unleash's reset tokens are purged in the order of their primary key
    // (nothing indexes their expiry) and its sessions by expiry alone, from the last value
    // deleted on (`>=`: Unleash indexes `expired` alone), as `unleash.rs` documents: their
    // batches end and resume elsewhere, and rows behind a cursor are not left to the next run
    // as this check expects. That every old row and no other goes, in full batches, holds there
    // too (`a_purge_in_batches_deletes_every_old_row_and_no_other`).
    not_beside_unleash: [a_batch_starts_after_where_the_previous_one_stopped],
);

const NOW: i64 = 1_700_000_000_000;

fn email(text: &str) -> Email {
    Email::parse(text).expect("address")
}

fn new_user(address: Option<&str>, username: Option<&str>) -> NewUser {
    NewUser {
        email: address.map(email),
        username: username.map(|name| Username::parse(name).expect("a username")),
        name: Some("Ada".into()),
        password_hash: Some(PasswordHash("$2b$04$hash".into())),
        root_role: RootRole::Editor,
        created_at: NOW,
    }
}

async fn insert(store: &Arc<dyn Store>, user: NewUser) -> UserId {
    store
        .write(move |tx| tx.insert_user(&user).map(Finish::Commit))
        .await
        .expect("insert")
}

fn token(byte: u8, at: i64) -> NewToken {
    NewToken {
        digest: *key(byte).digest(),
        kind: TokenKind::Reset,
        created_by: "admin".into(),
        created_at: at,
        expires_at: at + 86_400_000,
    }
}

/// A forgotten-password request's audit event, by `actor`.
fn reset_event(actor: &str) -> NewEvent {
    NewEvent {
        kind: "reset-requested".into(),
        actor: actor.into(),
        subject: None,
        ip: None,
        created_at: NOW,
        actor_id: None,
        data: None,
        pre_data: None,
        shared: false,
    }
}

/// A mail to its own recipient (`<key>@example.com`).
fn mail(key: &str) -> OutgoingMail {
    mail_to(key, &format!("{key}@example.com"))
}

fn mail_to(key: &str, recipient: &str) -> OutgoingMail {
    OutgoingMail {
        key: key.into(),
        template: "reset-password".into(),
        recipient: recipient.into(),
        subject: "Unleash - Reset your password".into(),
        html: "<p>link</p>".into(),
        text: "link".into(),
    }
}

async fn users_are_stored_found_and_deleted(store: Arc<dyn Store>) {
    let id = insert(&store, new_user(Some("ada@example.com"), Some("ada"))).await;
    let (by_id, by_email, by_name, count, all) = store
        .read(move |tx| {
            Ok((
                tx.user(id)?,
                tx.user_by_email(&email("ada@example.com"))?,
                tx.user_by_username(&Username::parse("ada").expect("a username"))?,
                tx.count_users()?,
                tx.users()?,
            ))
        })
        .await
        .expect("read");
    let user = by_id.expect("by id");
    assert_eq!(user.email, Some(email("ada@example.com")));
    assert_eq!(user.root_role, RootRole::Editor);
    assert_eq!(user.created_at, NOW);
    assert_eq!(user.seen_at, None);
    assert_eq!(by_email.map(|u| u.id), Some(id));
    assert_eq!(by_name.map(|u| u.id), Some(id));
    assert_eq!(count, 1);
    assert_eq!(all.len(), 1);

    let changed = store
        .write(move |tx| {
            tx.set_seen_at(id, NOW + 5)?;
            let set = tx.set_password_hash(id, &PasswordHash("$2b$04$new".into()))?;
            let locked = tx.lock_user(id)?;
            let missing = tx.lock_user(UserId(id.0 + 1000))?;
            Ok(Finish::Commit((set, locked, missing)))
        })
        .await
        .expect("write");
    assert_eq!(changed, (true, true, false));
    let user = store
        .read(move |tx| tx.user(id))
        .await
        .expect("read")
        .expect("user");
    assert_eq!(user.seen_at, Some(NOW + 5));
    assert_eq!(user.password_hash, Some(PasswordHash("$2b$04$new".into())));

    let deleted = store
        .write(move |tx| {
            let first = tx.mark_user_deleted(id, NOW)?;
            let again = tx.mark_user_deleted(id, NOW)?;
            Ok(Finish::Commit((first, again)))
        })
        .await
        .expect("delete");
    assert_eq!(deleted, (true, false));
    let (gone, count) = store
        .read(move |tx| Ok((tx.user(id)?, tx.count_users()?)))
        .await
        .expect("read");
    assert!(gone.is_none());
    assert_eq!(count, 0);
    // The address is free again.
    insert(&store, new_user(Some("ada@example.com"), Some("ada"))).await;
}

async fn a_taken_address_or_username_is_a_conflict(store: Arc<dyn Store>) {
    insert(&store, new_user(Some("ada@example.com"), Some("ada"))).await;
    for user in [
        new_user(Some("ada@example.com"), None),
        new_user(None, Some("ada")),
    ] {
        let result = store
            .write(move |tx| tx.insert_user(&user).map(Finish::Commit))
            .await;
        assert!(matches!(result, Err(StoreError::Conflict)), "{result:?}");
    }
}

async fn password_history_is_newest_first(store: Arc<dyn Store>) {
    let id = insert(&store, new_user(Some("ada@example.com"), None)).await;
    let history = store
        .write(move |tx| {
            for n in 0..4 {
                tx.add_password_history(id, &PasswordHash(format!("h{n}")), NOW + n)?;
            }
            let all = tx.password_history(id)?;
            tx.delete_password_history(id, &[all[3].hash.clone(), all[2].hash.clone()])?;
            Ok(Finish::Commit(tx.password_history(id)?))
        })
        .await
        .expect("history");
    let hashes: Vec<String> = history.into_iter().map(|e| e.hash.0).collect();
    assert_eq!(hashes, ["h3", "h2"]);
    let left = store
        .write(move |tx| {
            tx.delete_password_history_of(id)?;
            Ok(Finish::Commit(tx.password_history(id)?))
        })
        .await
        .expect("clear");
    assert!(left.is_empty());
}

async fn tokens_are_found_expired_and_used_once(store: Arc<dyn Store>) {
    let id = insert(&store, new_user(Some("ada@example.com"), None)).await;
    let (found, newest) = store
        .write(move |tx| {
            tx.insert_token(id, &token(1, NOW))?;
            tx.insert_token(id, &token(2, NOW + 10))?;
            Ok(Finish::Commit((
                tx.token(&key(1))?,
                tx.newest_token_at(id, TokenKind::Reset)?,
            )))
        })
        .await
        .expect("tokens");
    let (record, user) = found.expect("found");
    assert_eq!(user.id, id);
    assert_eq!(record.created_by, "admin");
    assert_eq!(record.used_at, None);
    assert_eq!(newest, Some(NOW + 10));

    let (expired, first_use, second_use, after) = store
        .write(move |tx| {
            let expired = tx.expire_tokens_of(id, NOW + 20)?;
            let first = tx.use_token(&key(1), id, NOW + 5)?;
            let second = tx.use_token(&key(1), id, NOW + 6)?;
            Ok(Finish::Commit((expired, first, second, tx.token(&key(1))?)))
        })
        .await
        .expect("use");
    assert_eq!(expired, 2);
    assert!(first_use, "expired at NOW + 20, so usable at NOW + 5");
    assert!(!second_use, "a token is used once");
    let (record, _) = after.expect("still stored");
    assert_eq!(record.used_at, Some(NOW + 5));
    // Unlatch's own backends keep the expiry of a used token; beside Unleash, a use also moves
    // it to the time of use, as Unleash's own use of a token writes the row.
    assert!(
        [NOW + 20, NOW + 5].contains(&record.expires_at),
        "{}",
        record.expires_at
    );
    let (late, gone) = store
        .write(move |tx| {
            let late = tx.use_token(&key(2), id, NOW + 20)?;
            tx.delete_tokens_of(id)?;
            Ok(Finish::Commit((late, tx.token(&key(2))?)))
        })
        .await
        .expect("late");
    assert!(!late, "an expired token cannot be used");
    assert!(gone.is_none());
}

/// What a unit of work's read of the token with key `n` finds, and what `Store::token` answers,
/// each as its `Debug` shows it (every field, secrets redacted).
async fn token_both_ways(store: &Arc<dyn Store>, n: u8) -> (String, String) {
    let read = store.read(move |tx| tx.token(&key(n))).await.expect("read");
    let alone = store.token(key(n)).await.expect("token");
    (format!("{read:?}"), format!("{alone:?}"))
}

async fn a_token_looked_up_alone_is_the_one_a_read_finds(store: Arc<dyn Store>) {
    let id = insert(&store, new_user(Some("ada@example.com"), None)).await;
    store
        .write(move |tx| {
            tx.insert_token(id, &token(1, NOW))?;
            tx.insert_token(id, &token(2, NOW + 10))?;
            Ok(Finish::Commit(()))
        })
        .await
        .expect("tokens");
    let (record, user) = store.token(key(1)).await.expect("token").expect("found");
    assert_eq!(user.id, id);
    assert_eq!(user.email, Some(email("ada@example.com")));
    assert_eq!(record.kind, TokenKind::Reset);
    assert_eq!(record.created_by, "admin");
    assert_eq!(record.created_at, NOW);
    assert_eq!(record.expires_at, NOW + 86_400_000);
    assert_eq!(record.used_at, None);
    let (read, alone) = token_both_ways(&store, 1).await;
    assert_eq!(read, alone);
    assert!(store.token(key(9)).await.expect("unknown").is_none());

    // Used and expired tokens are found as they are: the domain decides what they are worth.
    store
        .write(move |tx| {
            assert!(tx.use_token(&key(1), id, NOW + 5)?);
            tx.expire_tokens_of(id, NOW + 20)?;
            Ok(Finish::Commit(()))
        })
        .await
        .expect("use and expire");
    let (used, _) = store.token(key(1)).await.expect("token").expect("used");
    assert_eq!(used.used_at, Some(NOW + 5));
    let (expired, _) = store.token(key(2)).await.expect("token").expect("expired");
    assert_eq!(expired.expires_at, NOW + 20);
    assert_eq!(expired.used_at, None);
    for n in [1, 2] {
        let (read, alone) = token_both_ways(&store, n).await;
        assert_eq!(read, alone, "token {n}");
    }

    // A deleted user's tokens are found by neither.
    store
        .write(move |tx| tx.mark_user_deleted(id, NOW + 30).map(Finish::Commit))
        .await
        .expect("delete");
    assert!(store.token(key(2)).await.expect("gone").is_none());
    assert_eq!(token_both_ways(&store, 2).await.0, "None");
}

/// As [`token_both_ways`], for the session with key `n`.
async fn session_both_ways(store: &Arc<dyn Store>, n: u8) -> (String, String) {
    let read = store
        .read(move |tx| tx.session(&key(n)))
        .await
        .expect("read");
    let alone = store.session(key(n)).await.expect("session");
    (format!("{read:?}"), format!("{alone:?}"))
}

async fn a_session_looked_up_alone_is_the_one_a_read_finds(store: Arc<dyn Store>) {
    let id = insert(&store, new_user(Some("ada@example.com"), None)).await;
    store
        .write(move |tx| {
            tx.insert_session(&NewSession {
                key: key(1),
                user_id: id,
                created_at: NOW,
                expires_at: NOW + 1000,
                client: SessionClient {
                    user_agent: Some("curl/8".into()),
                    ip: Some("192.0.2.1".into()),
                },
            })?;
            // Expired already: found all the same, with its expiry.
            tx.insert_session(&NewSession {
                key: key(2),
                user_id: id,
                created_at: NOW - 2000,
                expires_at: NOW - 1000,
                client: Default::default(),
            })?;
            Ok(Finish::Commit(()))
        })
        .await
        .expect("sessions");
    let (session, user) = store
        .session(key(1))
        .await
        .expect("session")
        .expect("found");
    assert_eq!(user.id, id);
    assert_eq!(user.email, Some(email("ada@example.com")));
    assert_eq!(session.key.digest(), key(1).digest());
    assert_eq!(session.created_at, NOW);
    assert_eq!(session.expires_at, NOW + 1000);
    assert_eq!(session.client.user_agent.as_deref(), Some("curl/8"));
    assert_eq!(session.client.ip.as_deref(), Some("192.0.2.1"));
    let (expired, _) = store
        .session(key(2))
        .await
        .expect("session")
        .expect("expired");
    assert_eq!(expired.expires_at, NOW - 1000);
    for n in [1, 2] {
        let (read, alone) = session_both_ways(&store, n).await;
        assert_eq!(read, alone, "session {n}");
    }
    assert!(store.session(key(9)).await.expect("unknown").is_none());

    // A deleted user's sessions are found by neither.
    store
        .write(move |tx| tx.mark_user_deleted(id, NOW + 30).map(Finish::Commit))
        .await
        .expect("delete");
    assert!(store.session(key(1)).await.expect("gone").is_none());
    assert_eq!(session_both_ways(&store, 1).await.0, "None");
}

async fn sessions_are_listed_oldest_first_and_ended(store: Arc<dyn Store>) {
    let id = insert(&store, new_user(Some("ada@example.com"), None)).await;
    let sessions = store
        .write(move |tx| {
            for n in 0..4u8 {
                tx.insert_session(&NewSession {
                    key: key(n + 1),
                    user_id: id,
                    created_at: NOW + i64::from(n),
                    expires_at: NOW + 1000,
                    client: Default::default(),
                })?;
            }
            tx.delete_sessions(&[key(1)])?;
            Ok(Finish::Commit(tx.sessions_of(id)?))
        })
        .await
        .expect("sessions");
    let ns: Vec<u8> = sessions.iter().map(|s| n_of(&s.key)).collect();
    assert_eq!(ns, [2, 3, 4]);
    let (found, user) = store
        .read(|tx| tx.session(&key(3)))
        .await
        .expect("read")
        .expect("session");
    assert_eq!(found.created_at, NOW + 2);
    assert_eq!(found.expires_at, NOW + 1000);
    assert_eq!(user.id, id);
    let left = store
        .write(move |tx| {
            tx.delete_sessions_of(id, Some(&key(4)))?;
            let kept = tx.sessions_of(id)?;
            tx.delete_sessions_of(id, None)?;
            Ok(Finish::Commit((kept, tx.sessions_of(id)?)))
        })
        .await
        .expect("end");
    assert_eq!(left.0.len(), 1);
    assert_eq!(n_of(&left.0[0].key), 4);
    assert!(left.1.is_empty());
}

async fn failure_counters_start_empty_and_keep_their_window(store: Arc<dyn Store>) {
    let windows = store
        .write(|tx| {
            let fresh = tx.lock_attempts(&[7; 32])?;
            tx.set_attempts(
                &[7; 32],
                AttemptWindow {
                    started_at: NOW,
                    count: 3,
                },
            )?;
            Ok(Finish::Commit((fresh, tx.lock_attempts(&[7; 32])?)))
        })
        .await
        .expect("attempts");
    assert_eq!(windows.0.count, 0);
    assert_eq!(
        windows.1,
        AttemptWindow {
            started_at: NOW,
            count: 3
        }
    );
}

async fn outbox_claims_lease_and_finishes_mail(store: Arc<dyn Store>) {
    store
        .write(|tx| {
            tx.enqueue_mail(&mail("a"), NOW)?;
            tx.enqueue_mail(&mail("b"), NOW + 1)?;
            tx.enqueue_mail(&mail("c"), NOW + 50)?;
            Ok(Finish::Commit(()))
        })
        .await
        .expect("enqueue");
    let due = store
        .write(|tx| {
            let due = tx.due_mail(NOW + 10, 10)?;
            for m in &due {
                tx.lease_mail(m.id, NOW + 100)?;
            }
            Ok(Finish::Commit(due))
        })
        .await
        .expect("claim");
    let keys: Vec<&str> = due.iter().map(|m| m.mail.key.as_str()).collect();
    assert_eq!(keys, ["a", "b"], "due ones only, in order");
    assert_eq!(due[0].attempts, 0);
    assert_eq!(due[0].queued_at, NOW);
    assert_eq!(due[1].queued_at, NOW + 1);
    assert_eq!(due[0].mail.text, "link");
    assert_eq!(due[0].mail.recipient, "a@example.com");
    let (a, b) = (due[0].id, due[1].id);
    let during_lease = store
        .read(|tx| tx.due_mail(NOW + 60, 10))
        .await
        .expect("due");
    let keys: Vec<String> = during_lease.into_iter().map(|m| m.mail.key).collect();
    assert_eq!(keys, ["c"], "leased mail is not due");
    store
        .write(move |tx| {
            tx.mark_mail_sent(a, NOW + 20)?;
            tx.schedule_mail(b, NOW + 30, "503 from the relay")?;
            Ok(Finish::Commit(()))
        })
        .await
        .expect("finish");
    let after = store
        .read(|tx| tx.due_mail(NOW + 200, 10))
        .await
        .expect("due");
    let keys: Vec<&str> = after.iter().map(|m| m.mail.key.as_str()).collect();
    assert_eq!(keys, ["b", "c"]);
    assert_eq!(after[0].attempts, 1, "the lease counted an attempt");
    store
        .write(move |tx| {
            tx.mark_mail_dead(b, "550 no such mailbox")
                .map(Finish::Commit)
        })
        .await
        .expect("dead");
    let (counts, listing) = store
        .read(|tx| Ok((tx.outbox_counts()?, tx.outbox(10)?)))
        .await
        .expect("outbox");
    assert_eq!(counts, (1, 1));
    let states: Vec<(MailState, Option<String>)> = listing
        .into_iter()
        .map(|e| (e.state, e.last_error))
        .collect();
    assert_eq!(
        states,
        [
            (MailState::Pending, None),
            (MailState::Dead, Some("550 no such mailbox".into())),
            (MailState::Sent, None),
        ]
    );
}

async fn a_claim_is_renewed_until_it_is_taken_over_or_finished(store: Arc<dyn Store>) {
    store
        .write(|tx| tx.enqueue_mail(&mail("a"), NOW).map(Finish::Commit))
        .await
        .expect("enqueue");
    let renew = |attempts: i64, until: i64| {
        let store = Arc::clone(&store);
        async move {
            store
                .write(move |tx| {
                    let id = tx.outbox(1)?[0].id;
                    tx.renew_mail_lease(id, attempts, until).map(Finish::Commit)
                })
                .await
                .expect("renew")
        }
    };
    // The first claim (attempt 1), renewed before its lease ends: not due at its first end.
    assert_eq!(claim(&store, NOW, NOW + 100).await, ["a"]);
    assert!(renew(1, NOW + 300).await, "the claim holds");
    assert!(claim(&store, NOW + 200, NOW + 300).await.is_empty());
    // Not renewed in time: claimed again (attempt 2); the first claim's renewal changes nothing.
    assert_eq!(claim(&store, NOW + 300, NOW + 400).await, ["a"]);
    assert!(
        !renew(1, NOW + 1_000).await,
        "the first claim was taken over"
    );
    assert_eq!(claim(&store, NOW + 400, NOW + 500).await, ["a"]);
    // Sent: nothing to renew.
    store
        .write(|tx| {
            let id = tx.outbox(1)?[0].id;
            tx.mark_mail_sent(id, NOW + 450).map(Finish::Commit)
        })
        .await
        .expect("sent");
    assert!(!renew(3, NOW + 1_000).await, "a sent mail is not renewed");
}

async fn events_are_paged_newest_first(store: Arc<dyn Store>) {
    store
        .write(|tx| {
            for n in 0..5 {
                tx.insert_event(&NewEvent {
                    kind: "login-failed".into(),
                    actor: format!("actor {n}"),
                    subject: None,
                    ip: Some("127.0.0.1".into()),
                    created_at: NOW + n,
                    actor_id: None,
                    data: None,
                    pre_data: None,
                    shared: false,
                })?;
            }
            Ok(Finish::Commit(()))
        })
        .await
        .expect("events");
    let (page, total) = store.events(2, 1).await.expect("page");
    assert_eq!(total, 5);
    let actors: Vec<&str> = page.iter().map(|e| e.event.actor.as_str()).collect();
    assert_eq!(actors, ["actor 3", "actor 2"]);
}

async fn a_user_looked_up_alone_is_the_one_a_read_finds(store: Arc<dyn Store>) {
    let id = insert(&store, new_user(Some("ada@example.com"), Some("ada"))).await;
    let alone = store
        .user_by_email(email("ada@example.com"))
        .await
        .expect("lookup")
        .expect("found");
    assert_eq!(alone.id, id);
    assert_eq!(alone.name.as_deref(), Some("Ada"));
    let read = store
        .read(|tx| tx.user_by_email(&email("ada@example.com")))
        .await
        .expect("read");
    assert_eq!(
        format!("{:?}", Some(&alone)),
        format!("{:?}", read.as_ref())
    );
    assert!(store
        .user_by_email(email("bob@example.com"))
        .await
        .expect("unknown")
        .is_none());
    store
        .write(move |tx| tx.mark_user_deleted(id, NOW + 1).map(Finish::Commit))
        .await
        .expect("delete");
    assert!(store
        .user_by_email(email("ada@example.com"))
        .await
        .expect("deleted")
        .is_none());
}

async fn a_user_locked_by_address_is_the_one_found_by_it(store: Arc<dyn Store>) {
    let id = insert(&store, new_user(Some("ada@example.com"), Some("ada"))).await;
    let (locked, found, unknown) = store
        .write(|tx| {
            Ok(Finish::Commit((
                tx.lock_user_by_email(&email("ada@example.com"))?,
                tx.user_by_email(&email("ada@example.com"))?,
                tx.lock_user_by_email(&email("bob@example.com"))?,
            )))
        })
        .await
        .expect("lock");
    assert_eq!(locked.as_ref().map(|u| u.id), Some(id));
    assert_eq!(format!("{locked:?}"), format!("{found:?}"));
    assert!(unknown.is_none());

    // The lock holds until the transaction ends: a second unit that locks the same user waits
    // for the first, so the two cannot both read the user's newest token before either writes
    // one (the forgotten-password throttle counts on it).
    let (held, release) = std::sync::mpsc::channel::<()>();
    let (locked_tx, locked_rx) = std::sync::mpsc::channel::<()>();
    let first = {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            store
                .write(move |tx| {
                    tx.lock_user_by_email(&email("ada@example.com"))?;
                    let _ = locked_tx.send(());
                    // Held until the test lets go (at most 10 s).
                    let _ = release.recv_timeout(std::time::Duration::from_secs(10));
                    tx.insert_token(id, &token(1, NOW))?;
                    Ok(Finish::Commit(()))
                })
                .await
        })
    };
    tokio::task::spawn_blocking(move || locked_rx.recv_timeout(std::time::Duration::from_secs(10)))
        .await
        .expect("join")
        .expect("the first unit locks the user");
    let second = {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            store
                .write(move |tx| {
                    tx.lock_user_by_email(&email("ada@example.com"))?;
                    tx.newest_token_at(id, TokenKind::Reset).map(Finish::Commit)
                })
                .await
        })
    };
    // Time for the second unit to reach the lock. Were the user not locked, it would read no
    // token meanwhile and end, and the assertion below would fail; a slow host can only make
    // it reach the lock later, after the first unit ended, which passes whether or not the
    // lock holds.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    drop(held);
    first.await.expect("join").expect("first unit");
    let newest = second.await.expect("join").expect("second unit");
    assert_eq!(
        newest,
        Some(NOW),
        "the second unit saw the first one's token"
    );
}

async fn a_new_token_replaces_the_users_live_ones(store: Arc<dyn Store>) {
    let ada = insert(&store, new_user(Some("ada@example.com"), None)).await;
    let bob = insert(&store, new_user(Some("bob@example.com"), None)).await;
    store
        .write(move |tx| {
            tx.insert_token(ada, &token(1, NOW))?;
            tx.insert_token(ada, &token(2, NOW + 1))?;
            assert!(tx.use_token(&key(2), ada, NOW + 2)?);
            tx.insert_token(bob, &token(3, NOW))?;
            tx.replace_tokens(ada, &token(4, NOW + 10))?;
            Ok(Finish::Commit(()))
        })
        .await
        .expect("replace");
    let found = |n: u8| {
        let store = Arc::clone(&store);
        async move { store.token(key(n)).await.expect("token").expect("found").0 }
    };
    // The live one expires when the new one is made; a used one is left as it was.
    assert_eq!(found(1).await.expires_at, NOW + 10);
    assert_eq!(found(2).await.used_at, Some(NOW + 2));
    // The new one is live for its own time, and another user's token is not touched.
    let new = found(4).await;
    assert_eq!((new.expires_at, new.used_at), (NOW + 10 + 86_400_000, None));
    assert_eq!(found(3).await.expires_at, NOW + 86_400_000);
}

async fn a_unit_of_work_is_all_or_nothing(store: Arc<dyn Store>) {
    // An error half-way: nothing of the unit stays.
    let failed = store
        .write(|tx| {
            tx.insert_user(&new_user(Some("ada@example.com"), None))?;
            tx.enqueue_mail(&mail("k"), NOW)?;
            tx.insert_user(&new_user(Some("ada@example.com"), None))?;
            Ok(Finish::Commit(()))
        })
        .await;
    assert!(matches!(failed, Err(StoreError::Conflict)), "{failed:?}");
    // A rollback asked for by the domain: nothing stays either.
    let answer = store
        .write(|tx| {
            tx.insert_user(&new_user(Some("bob@example.com"), None))?;
            tx.enqueue_mail(&mail("k"), NOW)?;
            Ok(Finish::Rollback("answered anyway"))
        })
        .await
        .expect("rollback");
    assert_eq!(answer, "answered anyway");
    let (users, outbox) = store
        .read(|tx| Ok((tx.count_users()?, tx.outbox(10)?)))
        .await
        .expect("read");
    assert_eq!(users, 0);
    assert!(outbox.is_empty());
}

async fn a_write_that_fails_unread_still_undoes_the_unit(store: Arc<dyn Store>) {
    // PostgreSQL sends writes whose answer the unit does not read together with the next
    // statement that answers: a failed one is still the unit's failure, and nothing stays.
    let id = insert(&store, new_user(Some("ada@example.com"), None)).await;
    let failed = store
        .write(move |tx| {
            tx.insert_token(id, &token(1, NOW))?;
            tx.enqueue_mail(&mail("first"), NOW)?;
            tx.insert_token(id, &token(1, NOW + 1))?;
            tx.enqueue_mail(&mail("after"), NOW)?;
            tx.insert_event(&reset_event("ada"))?;
            Ok(Finish::Commit(()))
        })
        .await;
    assert!(matches!(failed, Err(StoreError::Conflict)), "{failed:?}");
    // Writes read later are seen by the unit's own later reads, in order.
    let seen = store
        .write(move |tx| {
            tx.insert_token(id, &token(2, NOW))?;
            Ok(Finish::Rollback(tx.newest_token_at(id, TokenKind::Reset)?))
        })
        .await
        .expect("read after write");
    assert_eq!(seen, Some(NOW));
    let (kept, outbox, events) = store
        .read(|tx| Ok((tx.token(&key(1))?, tx.outbox(10)?, tx.events(10, 0)?)))
        .await
        .expect("read");
    assert!(kept.is_none());
    assert!(outbox.is_empty(), "{outbox:?}");
    assert!(events.0.is_empty());
}

async fn a_rolled_back_unit_may_refer_to_a_missing_user(store: Arc<dyn Store>) {
    // The unknown-address run of the reset e-mail: the same writes, for nobody, rolled back.
    let result = store
        .write(|tx| {
            tx.expire_tokens_of(UserId(0), NOW)?;
            tx.insert_token(UserId(0), &token(9, NOW))?;
            Ok(Finish::Rollback(()))
        })
        .await;
    assert!(result.is_ok(), "{result:?}");
    // Committed, it is refused.
    let committed = store
        .write(|tx| {
            tx.insert_token(UserId(0), &token(9, NOW))
                .map(Finish::Commit)
        })
        .await;
    assert!(committed.is_err(), "a token for nobody is not kept");
}

async fn a_savepoint_undoes_only_what_came_after_it(store: Arc<dyn Store>) {
    let ada = insert(&store, new_user(Some("ada@example.com"), None)).await;
    let event = reset_event;
    // The unknown-address run of the reset e-mail: writes for nobody after the savepoint, undone;
    // the event before and after it committed (the undone token no longer refers to anyone).
    store
        .write(move |tx| {
            tx.insert_event(&event("before"))?;
            tx.savepoint()?;
            tx.expire_tokens_of(UserId(0), NOW)?;
            tx.insert_token(UserId(0), &token(9, NOW))?;
            tx.enqueue_mail(&mail("undone"), NOW)?;
            tx.end_savepoint(true)?;
            tx.insert_event(&event("after"))?;
            Ok(Finish::Commit(()))
        })
        .await
        .expect("undone, then committed");
    // Ended without undoing, the writes stay.
    store
        .write(move |tx| {
            tx.savepoint()?;
            tx.insert_token(ada, &token(7, NOW))?;
            tx.end_savepoint(false)?;
            Ok(Finish::Commit(()))
        })
        .await
        .expect("kept, then committed");
    // A savepoint can be marked again after it ended, in the same transaction.
    store
        .write(move |tx| {
            tx.savepoint()?;
            tx.enqueue_mail(&mail("twice"), NOW)?;
            tx.end_savepoint(true)?;
            tx.savepoint()?;
            tx.end_savepoint(false)?;
            Ok(Finish::Commit(()))
        })
        .await
        .expect("twice");
    let (events, outbox, kept, undone) = store
        .read(|tx| {
            Ok((
                tx.events(10, 0)?,
                tx.outbox(10)?,
                tx.token(&SecretKey::from_digest(token(7, NOW).digest))?,
                tx.token(&SecretKey::from_digest(token(9, NOW).digest))?,
            ))
        })
        .await
        .expect("read");
    let actors: Vec<&str> = events.0.iter().map(|e| e.event.actor.as_str()).collect();
    assert_eq!(actors, ["after", "before"]);
    assert!(outbox.is_empty(), "{outbox:?}");
    assert!(undone.is_none());
    assert_eq!(kept.expect("kept token").1.id, ada);
}

async fn of_concurrent_redemptions_exactly_one_wins(store: Arc<dyn Store>) {
    let id = insert(&store, new_user(Some("ada@example.com"), None)).await;
    store
        .write(move |tx| tx.insert_token(id, &token(5, NOW)).map(Finish::Commit))
        .await
        .expect("token");
    let attempts = (0..16).map(|_| {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            store
                .write(move |tx| {
                    let used = tx.use_token(&key(5), id, NOW + 1)?;
                    Ok(if used {
                        Finish::Commit(true)
                    } else {
                        Finish::Rollback(false)
                    })
                })
                .await
                .expect("redeem")
        })
    });
    let wins = futures::future::join_all(attempts)
        .await
        .into_iter()
        .filter(|r| *r.as_ref().expect("task"))
        .count();
    assert_eq!(wins, 1);
}

async fn concurrent_claims_never_share_a_mail(store: Arc<dyn Store>) {
    store
        .write(|tx| {
            for n in 0..40 {
                tx.enqueue_mail(&mail(&format!("m{n}")), NOW)?;
            }
            Ok(Finish::Commit(()))
        })
        .await
        .expect("enqueue");
    let claims = (0..8).map(|_| {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            store
                .write(|tx| {
                    let due = tx.due_mail(NOW, 5)?;
                    for m in &due {
                        tx.lease_mail(m.id, NOW + 60_000)?;
                    }
                    Ok(Finish::Commit(due))
                })
                .await
                .expect("claim")
        })
    });
    let mut ids: Vec<i64> = futures::future::join_all(claims)
        .await
        .into_iter()
        .flat_map(|r| r.expect("task"))
        .map(|m| m.id)
        .collect();
    let claimed = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), claimed, "no mail was claimed twice");
    assert_eq!(claimed, 40, "every mail was claimed once");
}

async fn concurrent_reservations_never_exceed_the_counter(store: Arc<dyn Store>) {
    // Thirty read-modify-write units on one counter at once: the lock serialises them.
    let units = (0..30).map(|_| {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            store
                .write(|tx| {
                    let mut window = tx.lock_attempts(&[3; 32])?;
                    window.count += 1;
                    tx.set_attempts(&[3; 32], window)?;
                    Ok(Finish::Commit(()))
                })
                .await
                .expect("reserve")
        })
    });
    for unit in futures::future::join_all(units).await {
        unit.expect("task");
    }
    let window = store
        .write(|tx| tx.lock_attempts(&[3; 32]).map(Finish::Commit))
        .await
        .expect("read");
    assert_eq!(window.count, 30, "no increment was lost");
}

async fn users_are_paged_by_id(store: Arc<dyn Store>) {
    let mut ids = Vec::new();
    for n in 0..7 {
        ids.push(insert(&store, new_user(Some(&format!("u{n}@example.com")), None)).await);
    }
    let gone = ids[3];
    store
        .write(move |tx| tx.mark_user_deleted(gone, NOW).map(Finish::Commit))
        .await
        .expect("delete");
    let live: Vec<i64> = ids
        .iter()
        .filter(|id| **id != gone)
        .map(|id| id.0)
        .collect();
    let (first, next, skipped, rest) = store
        .read(move |tx| {
            let first = tx.users_page(0, 0, 2)?;
            let after = first.last().map_or(0, |u| u.id.0);
            let next = tx.users_page(after, 0, 3)?;
            let skipped = tx.users_page(0, 4, 10)?;
            let rest = tx.users_page(i64::MAX, 0, 10)?;
            Ok((first, next, skipped, rest))
        })
        .await
        .expect("pages");
    let ids_of = |users: &[unlatch::store::User]| users.iter().map(|u| u.id.0).collect::<Vec<_>>();
    assert_eq!(ids_of(&first), live[..2]);
    assert_eq!(
        ids_of(&next),
        live[2..5],
        "keyset: after the last id, deleted skipped"
    );
    assert_eq!(ids_of(&skipped), live[4..], "the offset skips live users");
    assert!(rest.is_empty());
}

async fn old_tokens_and_sessions_are_deleted_in_batches(store: Arc<dyn Store>) {
    let user = insert(&store, new_user(Some("ada@example.com"), None)).await;
    store
        .write(move |tx| {
            // Tokens 1..=5 expire at NOW + n; 9 much later.
            for n in 1..=5u8 {
                let mut t = token(n, NOW);
                t.expires_at = NOW + i64::from(n);
                tx.insert_token(user, &t)?;
            }
            tx.insert_token(user, &token(9, NOW + 1_000_000))?;
            for n in 1..=3u8 {
                tx.insert_session(&NewSession {
                    key: key(n),
                    user_id: user,
                    created_at: NOW,
                    expires_at: NOW + i64::from(n),
                    client: Default::default(),
                })?;
            }
            Ok(Finish::Commit(()))
        })
        .await
        .expect("seed");
    // Strictly before: expiring at NOW + 4 is not "before NOW + 4".
    let first = store
        .write(|tx| {
            Ok(Finish::Commit(
                tx.delete_tokens_expired_before(NOW + 4, None, 2)?.count,
            ))
        })
        .await
        .expect("batch");
    let second = store
        .write(|tx| {
            Ok(Finish::Commit(
                tx.delete_tokens_expired_before(NOW + 4, None, 2)?.count,
            ))
        })
        .await
        .expect("batch");
    let third = store
        .write(|tx| {
            Ok(Finish::Commit(
                tx.delete_tokens_expired_before(NOW + 4, None, 2)?.count,
            ))
        })
        .await
        .expect("batch");
    assert_eq!(
        (first, second, third),
        (2, 1, 0),
        "at most the limit per call"
    );
    let left = store
        .read(|tx| {
            let mut left = Vec::new();
            for n in [1u8, 2, 3, 4, 5, 9] {
                if tx.token(&key(n))?.is_some() {
                    left.push(n);
                }
            }
            Ok(left)
        })
        .await
        .expect("tokens");
    assert_eq!(left, [4, 5, 9]);

    let deleted = store
        .write(|tx| {
            Ok(Finish::Commit(
                tx.delete_sessions_expired_before(NOW + 3, None, 10)?.count,
            ))
        })
        .await
        .expect("sessions");
    assert_eq!(deleted, 2);
    let left = store
        .read(move |tx| tx.sessions_of(user))
        .await
        .expect("sessions");
    assert_eq!(left.len(), 1);
    assert_eq!(n_of(&left[0].key), 3);
}

async fn old_mail_events_and_counters_are_deleted_in_batches(store: Arc<dyn Store>) {
    let ids = store
        .write(|tx| {
            for key in [
                "sent-old",
                "sent-new",
                "dead-seen",
                "dead-unseen",
                "pending",
            ] {
                tx.enqueue_mail(&mail(key), NOW)?;
            }
            let due = tx.due_mail(NOW, 10)?;
            let id = |key: &str| due.iter().find(|m| m.mail.key == key).map(|m| m.id);
            let ids: Vec<i64> = [
                "sent-old",
                "sent-new",
                "dead-seen",
                "dead-unseen",
                "pending",
            ]
            .iter()
            .filter_map(|k| id(k))
            .collect();
            tx.mark_mail_sent(ids[0], NOW + 10)?;
            tx.mark_mail_sent(ids[1], NOW + 100)?;
            tx.mark_mail_dead(ids[2], "550")?;
            tx.mark_mail_dead(ids[3], "550")?;
            Ok(Finish::Commit(ids))
        })
        .await
        .expect("mail");
    let (seen, unseen) = (ids[2], ids[3]);
    let (sent, dead_before_seen) = store
        .write(move |tx| {
            let sent = tx.delete_sent_mail_before(NOW + 50, None, 10)?.count;
            let dead = tx.delete_dead_mail_seen_before(i64::MAX, None, 10)?.count;
            tx.mark_mail_seen(&[seen], NOW + 20)?;
            // Seen once: a second listing does not move it.
            tx.mark_mail_seen(&[seen], NOW + 90)?;
            Ok(Finish::Commit((sent, dead)))
        })
        .await
        .expect("purge");
    assert_eq!(sent, 1, "the mail sent before the cut-off only");
    assert_eq!(dead_before_seen, 0, "dead mail nobody saw is kept");
    let dead = store
        .write(|tx| {
            let early = tx.delete_dead_mail_seen_before(NOW + 20, None, 10)?.count;
            let due = tx.delete_dead_mail_seen_before(NOW + 21, None, 10)?.count;
            Ok(Finish::Commit((early, due)))
        })
        .await
        .expect("dead");
    assert_eq!(dead, (0, 1));
    let left: Vec<i64> = store
        .outbox(10)
        .await
        .expect("outbox")
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(
        left,
        [ids[4], unseen, ids[1]],
        "pending, unseen dead, recent sent"
    );

    let (events, attempts) = store
        .write(|tx| {
            for n in 0..5 {
                tx.insert_event(&NewEvent {
                    kind: "login-failed".into(),
                    actor: format!("actor {n}"),
                    subject: None,
                    ip: None,
                    created_at: NOW + n,
                    actor_id: None,
                    data: None,
                    pre_data: None,
                    shared: false,
                })?;
            }
            for n in 0..4u8 {
                tx.set_attempts(
                    key(n).digest(),
                    AttemptWindow {
                        started_at: NOW + i64::from(n),
                        count: 1,
                    },
                )?;
            }
            let events = (
                tx.delete_events_before(NOW + 3, None, 2)?.count,
                tx.delete_events_before(NOW + 3, None, 2)?.count,
            );
            let attempts = tx.delete_attempts_before(NOW + 2, None, 10)?.count;
            Ok(Finish::Commit((events, attempts)))
        })
        .await
        .expect("events");
    assert_eq!(events, (2, 1));
    assert_eq!(attempts, 2);
    let (page, total) = store.events(10, 0).await.expect("events");
    assert_eq!(total, 2);
    assert_eq!(page[1].event.actor, "actor 3");
    let windows = store
        .write(|tx| {
            Ok(Finish::Rollback((
                tx.lock_attempts(key(1).digest())?,
                tx.lock_attempts(key(2).digest())?,
            )))
        })
        .await
        .expect("attempts");
    assert_eq!(windows.0, AttemptWindow::default(), "deleted");
    assert_eq!(windows.1.count, 1, "kept");
}

/// Adds row `n` with this value of the purge's ordering column.
type AddRow = Box<dyn Fn(&mut dyn Tx, u8, i64) -> StoreResult<()> + Send + Sync>;

/// Rows of one kind that the purge deletes, each named by a small number `n`, with what it takes
/// to make one, list them and purge them.
struct Purgeable {
    name: &'static str,
    add: AddRow,
    /// The rows left, by `n`, in ascending order.
    left: fn(&mut dyn Tx) -> StoreResult<Vec<u8>>,
    delete: fn(&mut dyn Tx, i64, Option<&PurgeCursor>, usize) -> StoreResult<Purged>,
    /// Rows of one value go in the order they were added (their key is an id the database
    /// gives), not in the order of the digest of `key(n)` (their key).
    by_id: bool,
}

/// Every kind, on a store with one user (`ada@example.com`) for the tokens and sessions.
async fn purgeables(store: &Arc<dyn Store>) -> Vec<Arc<Purgeable>> {
    let user = insert(store, new_user(Some("ada@example.com"), None)).await;
    // A mail of its own recipient, `s<n>@example.com` delivered or `d<n>@example.com` dead:
    // `at` is when it was delivered, or when an operator saw it dead.
    fn mail_n(tx: &mut dyn Tx, n: u8, at: i64, dead: bool) -> StoreResult<()> {
        let key = format!("{}{n}", if dead { 'd' } else { 's' });
        tx.enqueue_mail(&mail(&key), NOW)?;
        let id = tx
            .due_mail(NOW, 1000)?
            .into_iter()
            .find(|m| m.mail.key == key)
            .map(|m| m.id)
            .expect("due");
        if dead {
            tx.mark_mail_dead(id, "550")?;
            tx.mark_mail_seen(&[id], at)
        } else {
            tx.mark_mail_sent(id, at)
        }
    }
    vec![
        Arc::new(Purgeable {
            name: "tokens",
            add: Box::new(move |tx, n, at| {
                let mut t = token(n, NOW);
                t.expires_at = at;
                tx.insert_token(user, &t)
            }),
            left: |tx| {
                let mut left = Vec::new();
                for n in 0..=u8::MAX {
                    if tx.token(&key(n))?.is_some() {
                        left.push(n);
                    }
                }
                Ok(left)
            },
            delete: |tx, before, after, limit| {
                tx.delete_tokens_expired_before(before, after, limit)
            },
            by_id: false,
        }),
        Arc::new(Purgeable {
            name: "\"this wasn't me\" tokens",
            add: Box::new(move |tx, n, at| {
                tx.insert_not_me_token(
                    user,
                    &NewNotMeToken {
                        digest: *key(n).digest(),
                        created_at: NOW,
                        expires_at: at,
                    },
                )
            }),
            left: |tx| {
                let mut left = Vec::new();
                for n in 0..=u8::MAX {
                    if tx.not_me_token(&key(n))?.is_some() {
                        left.push(n);
                    }
                }
                Ok(left)
            },
            delete: |tx, before, after, limit| {
                tx.delete_not_me_tokens_expired_before(before, after, limit)
            },
            by_id: false,
        }),
        Arc::new(Purgeable {
            name: "sessions",
            add: Box::new(move |tx, n, at| {
                tx.insert_session(&NewSession {
                    key: key(n),
                    user_id: user,
                    created_at: NOW,
                    expires_at: at,
                    client: Default::default(),
                })
            }),
            left: |tx| {
                // Every session in these tests is Ada's, the only user.
                let mut left: Vec<u8> = tx
                    .users()?
                    .into_iter()
                    .map(|u| tx.sessions_of(u.id))
                    .collect::<StoreResult<Vec<_>>>()?
                    .into_iter()
                    .flatten()
                    .map(|s| n_of(&s.key))
                    .collect();
                left.sort_unstable();
                Ok(left)
            },
            delete: |tx, before, after, limit| {
                tx.delete_sessions_expired_before(before, after, limit)
            },
            by_id: false,
        }),
        Arc::new(Purgeable {
            name: "sent mail",
            add: Box::new(|tx, n, at| mail_n(tx, n, at, false)),
            left: |tx| {
                let mut left: Vec<u8> = tx
                    .outbox(1000)?
                    .into_iter()
                    .filter(|e| e.state == MailState::Sent)
                    .map(|e| mail_number(&e.recipient))
                    .collect();
                left.sort_unstable();
                Ok(left)
            },
            delete: |tx, before, after, limit| tx.delete_sent_mail_before(before, after, limit),
            by_id: true,
        }),
        Arc::new(Purgeable {
            name: "dead mail",
            add: Box::new(|tx, n, at| mail_n(tx, n, at, true)),
            left: |tx| {
                let mut left: Vec<u8> = tx
                    .outbox(1000)?
                    .into_iter()
                    .filter(|e| e.state == MailState::Dead)
                    .map(|e| mail_number(&e.recipient))
                    .collect();
                left.sort_unstable();
                Ok(left)
            },
            delete: |tx, before, after, limit| {
                tx.delete_dead_mail_seen_before(before, after, limit)
            },
            by_id: true,
        }),
        Arc::new(Purgeable {
            name: "audit events",
            add: Box::new(|tx, n, at| {
                tx.insert_event(&NewEvent {
                    kind: "login-failed".into(),
                    actor: n.to_string(),
                    subject: None,
                    ip: None,
                    created_at: at,
                    actor_id: None,
                    data: None,
                    pre_data: None,
                    shared: false,
                })
            }),
            left: |tx| {
                let mut left: Vec<u8> = tx
                    .events(1000, 0)?
                    .0
                    .into_iter()
                    .map(|e| e.event.actor.parse().expect("a test event"))
                    .collect();
                left.sort_unstable();
                Ok(left)
            },
            delete: |tx, before, after, limit| tx.delete_events_before(before, after, limit),
            by_id: true,
        }),
        Arc::new(Purgeable {
            name: "failure counters",
            add: Box::new(|tx, n, at| {
                tx.set_attempts(
                    key(n).digest(),
                    AttemptWindow {
                        started_at: at,
                        count: 1,
                    },
                )
            }),
            left: |tx| {
                let mut left = Vec::new();
                for n in 0..=u8::MAX {
                    // Locking a missing counter answers an empty window (and this unit of
                    // work is rolled back).
                    if tx.lock_attempts(key(n).digest())?.count > 0 {
                        left.push(n);
                    }
                }
                Ok(left)
            },
            delete: |tx, before, after, limit| tx.delete_attempts_before(before, after, limit),
            by_id: false,
        }),
    ]
}

/// The `n` of a test mail's recipient, `s<n>@example.com` or `d<n>@example.com`.
fn mail_number(recipient: &str) -> u8 {
    recipient
        .get(1..)
        .and_then(|r| r.split('@').next())
        .and_then(|n| n.parse().ok())
        .expect("a test mail")
}

/// Adds these rows, `(n, value)`, in this order.
async fn add(store: &Arc<dyn Store>, kind: &Arc<Purgeable>, rows: &[(u8, i64)]) {
    let (kind, rows) = (kind.clone(), rows.to_vec());
    store
        .write(move |tx| {
            for (n, at) in rows {
                (kind.add)(tx, n, at)?;
            }
            Ok(Finish::Commit(()))
        })
        .await
        .expect("rows");
}

async fn left(store: &Arc<dyn Store>, kind: &Arc<Purgeable>) -> Vec<u8> {
    let kind = kind.clone();
    store
        .write(move |tx| Ok(Finish::Rollback((kind.left)(tx)?)))
        .await
        .expect("left")
}

/// One batch, in its own transaction.
async fn batch(
    store: &Arc<dyn Store>,
    kind: &Arc<Purgeable>,
    before: i64,
    after: Option<PurgeCursor>,
    limit: usize,
) -> Purged {
    let kind = kind.clone();
    store
        .write(move |tx| (kind.delete)(tx, before, after.as_ref(), limit).map(Finish::Commit))
        .await
        .expect("batch")
}

/// Batches as `retention.rs` runs them, from `after` on: each starts where the previous one
/// stopped, until one comes back short. Answers each batch's count.
async fn run_from(
    store: &Arc<dyn Store>,
    kind: &Arc<Purgeable>,
    before: i64,
    mut after: Option<PurgeCursor>,
    limit: usize,
) -> Vec<u64> {
    let mut counts = Vec::new();
    loop {
        let purged = batch(store, kind, before, after.clone(), limit).await;
        counts.push(purged.count);
        if (purged.count as usize) < limit {
            return counts;
        }
        after = purged.last;
        assert!(
            after.is_some(),
            "{}: a full batch says where it stopped",
            kind.name
        );
    }
}

const E: i64 = NOW + 1_000;

/// Old rows: one before `E`, six at `E` (added out of key order) and one after, so that with
/// batches of three the rows of one value span two batch boundaries. Then rows that are not old:
/// one at the cut-off (`E + 2`, not before it) and one long after.
const OLD: [(u8, i64); 8] = [
    (40, E),
    (20, E),
    (60, E - 1),
    (50, E),
    (10, E),
    (70, E + 1),
    (30, E),
    (45, E),
];
const NOT_OLD: [(u8, i64); 2] = [(80, E + 2), (5, E + 100)];

async fn a_purge_in_batches_deletes_every_old_row_and_no_other(store: Arc<dyn Store>) {
    for kind in purgeables(&store).await {
        add(&store, &kind, &OLD).await;
        add(&store, &kind, &NOT_OLD).await;
        let counts = run_from(&store, &kind, E + 2, None, 3).await;
        assert_eq!(counts, batches_of_three(OLD.len()), "{}", kind.name);
        assert_eq!(left(&store, &kind).await, [5, 80], "{}", kind.name);
        assert_eq!(
            run_from(&store, &kind, E + 2, None, 3).await,
            [0],
            "{}: nothing old is left",
            kind.name
        );
    }
}

/// The `n` of these rows, `(n, value)` added in this order, in the order a purge takes them:
/// by value, then by key.
fn purge_order(kind: &Purgeable, rows: &[(u8, i64)]) -> Vec<u8> {
    let mut keyed: Vec<(i64, Vec<u8>, u8)> = rows
        .iter()
        .enumerate()
        .map(|(i, (n, at))| {
            let order = if kind.by_id {
                i.to_be_bytes().to_vec()
            } else {
                key(*n).digest().to_vec()
            };
            (*at, order, *n)
        })
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, _, n)| n).collect()
}

fn sorted(mut ns: Vec<u8>) -> Vec<u8> {
    ns.sort_unstable();
    ns
}

/// The counts of a run of batches of three over this many rows: full ones, then a short one.
fn batches_of_three(rows: usize) -> Vec<u64> {
    let mut counts = vec![3; rows / 3];
    counts.push((rows % 3) as u64);
    counts
}

async fn a_batch_starts_after_where_the_previous_one_stopped(store: Arc<dyn Store>) {
    for kind in purgeables(&store).await {
        add(&store, &kind, &OLD).await;
        let first = batch(&store, &kind, E + 2, None, 3).await;
        assert_eq!(first.count, 3, "{}", kind.name);
        let order = purge_order(&kind, &OLD);
        let (deleted, rest) = order.split_at(3);
        assert_eq!(
            left(&store, &kind).await,
            sorted(rest.to_vec()),
            "{}: the first rows in (value, key) order",
            kind.name
        );
        // An old row behind the cursor, and one at the cursor's value: the run goes on after the
        // cursor, so it leaves the first to the next run, and the second too where its key comes
        // before the cursor's (a digest's can; an id given now comes after it).
        let late = [(1, E - 5), (15, E)];
        add(&store, &kind, &late).await;
        let all: Vec<(u8, i64)> = OLD.iter().chain(&late).copied().collect();
        let order = purge_order(&kind, &all);
        let stopped = order
            .iter()
            .position(|n| *n == deleted[2])
            .expect("the cursor's row");
        let behind: Vec<u8> = order[..stopped]
            .iter()
            .filter(|n| !deleted.contains(n))
            .copied()
            .collect();
        assert!(behind.contains(&1), "{}", kind.name);
        let ahead = order.len() - stopped - 1;
        assert_eq!(
            run_from(&store, &kind, E + 2, first.last, 3).await,
            batches_of_three(ahead),
            "{}",
            kind.name
        );
        assert_eq!(
            left(&store, &kind).await,
            sorted(behind.clone()),
            "{}",
            kind.name
        );
        assert_eq!(
            run_from(&store, &kind, E + 2, None, 3).await,
            batches_of_three(behind.len()),
            "{}: the next run",
            kind.name
        );
        assert!(left(&store, &kind).await.is_empty(), "{}", kind.name);
    }
}

async fn a_lease_starts_empty_and_keeps_its_holder(store: Arc<dyn Store>) {
    let (fresh, held, other) = store
        .write(|tx| {
            let fresh = tx.lock_lease("purge")?;
            tx.set_lease(
                "purge",
                &Lease {
                    holder: "a".into(),
                    expires_at: NOW,
                },
            )?;
            let held = tx.lock_lease("purge")?;
            let other = tx.lock_lease("other")?;
            Ok(Finish::Commit((fresh, held, other)))
        })
        .await
        .expect("lease");
    assert_eq!(fresh, Lease::default());
    assert_eq!(
        held,
        Lease {
            holder: "a".into(),
            expires_at: NOW
        }
    );
    assert_eq!(other, Lease::default());
    let after = store
        .read(|tx| tx.lock_lease("purge"))
        .await
        .expect("lease");
    assert_eq!(after.holder, "a", "committed");
}

/// Of many claims at once on a free lease, exactly one finds it free: the lock holds until commit.
async fn concurrent_lease_claims_are_serialised(store: Arc<dyn Store>) {
    let claims = (0..8).map(|n| {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            store
                .write(move |tx| {
                    let lease = tx.lock_lease("purge")?;
                    if !lease.holder.is_empty() {
                        return Ok(Finish::Rollback(false));
                    }
                    tx.set_lease(
                        "purge",
                        &Lease {
                            holder: format!("instance {n}"),
                            expires_at: NOW,
                        },
                    )?;
                    Ok(Finish::Commit(true))
                })
                .await
                .expect("claim")
        })
    });
    let won = futures::future::join_all(claims)
        .await
        .into_iter()
        .filter(|r| *r.as_ref().expect("task"))
        .count();
    assert_eq!(won, 1);
}

/// Keys of the mail due at `at`, as claimed (and leased until `lease`) in one unit of work.
async fn claim(store: &Arc<dyn Store>, at: i64, lease: i64) -> Vec<String> {
    store
        .write(move |tx| {
            let due = tx.due_mail(at, 10)?;
            for m in &due {
                tx.lease_mail(m.id, lease)?;
            }
            Ok(Finish::Commit(
                due.into_iter().map(|m| m.mail.key).collect(),
            ))
        })
        .await
        .expect("claim")
}

async fn a_recipients_later_mail_is_due_only_after_the_earlier_one(store: Arc<dyn Store>) {
    let ids = store
        .write(|tx| {
            tx.enqueue_mail(&mail_to("ada-1", "ada@example.com"), NOW)?;
            tx.enqueue_mail(&mail_to("ada-2", "ada@example.com"), NOW + 1)?;
            tx.enqueue_mail(&mail_to("bob-1", "bob@example.com"), NOW + 2)?;
            tx.enqueue_mail(&mail_to("ada-3", "ada@example.com"), NOW + 3)?;
            // The listing is newest first.
            let ids: Vec<i64> = tx.outbox(10)?.iter().rev().map(|e| e.id).collect();
            Ok(Finish::Commit(ids))
        })
        .await
        .expect("enqueue");
    let (ada1, ada2, bob1) = (ids[0], ids[1], ids[2]);
    assert_eq!(
        claim(&store, NOW + 10, NOW + 100).await,
        ["ada-1", "bob-1"],
        "only the oldest mail of each recipient"
    );
    // While Ada's first mail is leased, her later ones stay back even when the lease ends.
    assert!(claim(&store, NOW + 50, NOW + 150).await.is_empty());
    assert_eq!(
        claim(&store, NOW + 100, NOW + 200).await,
        ["ada-1", "bob-1"],
        "a lease that ran out frees its mail, not the recipient's next"
    );
    // Waiting for a retry also holds them back.
    store
        .write(move |tx| {
            tx.schedule_mail(ada1, NOW + 1_000, "503")?;
            tx.mark_mail_dead(bob1, "550")?;
            Ok(Finish::Commit(()))
        })
        .await
        .expect("finish");
    assert!(claim(&store, NOW + 300, NOW + 400).await.is_empty());
    // Delivered (or dead): the next one is due, in the order they were queued.
    store
        .write(move |tx| tx.mark_mail_sent(ada1, NOW + 500).map(Finish::Commit))
        .await
        .expect("sent");
    assert_eq!(claim(&store, NOW + 500, NOW + 600).await, ["ada-2"]);
    store
        .write(move |tx| tx.mark_mail_dead(ada2, "550").map(Finish::Commit))
        .await
        .expect("dead");
    assert_eq!(claim(&store, NOW + 600, NOW + 700).await, ["ada-3"]);
}

async fn concurrent_claims_take_one_mail_per_recipient(store: Arc<dyn Store>) {
    store
        .write(|tx| {
            for n in 0..5 {
                for who in ["ada", "bob", "cy", "dee"] {
                    tx.enqueue_mail(
                        &mail_to(&format!("{who}-{n}"), &format!("{who}@example.com")),
                        NOW,
                    )?;
                }
            }
            Ok(Finish::Commit(()))
        })
        .await
        .expect("enqueue");
    let claims = (0..8).map(|_| {
        let store = Arc::clone(&store);
        tokio::spawn(async move { claim(&store, NOW, NOW + 60_000).await })
    });
    let mut keys: Vec<String> = futures::future::join_all(claims)
        .await
        .into_iter()
        .flat_map(|r| r.expect("task"))
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["ada-0", "bob-0", "cy-0", "dee-0"],
        "each recipient's first mail, claimed once"
    );
}
