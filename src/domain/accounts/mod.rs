//! What the password endpoints do (CONTRACT §3–§5), in the contract's order of checks, on top of
//! the store, the bcrypt pool and the clock. Every rule about users, tokens, sessions, history and
//! throttles is written here once, as units of work over the store's plain operations
//! (`store/mod.rs`), so it holds the same on every backend. Each change and its audit event (and
//! its mail) are written in one transaction. What the rules refuse is an [`AccountError`]; how
//! that looks on the wire is decided at the edge (`http/errors.rs`), and handlers in
//! `http/api.rs` only translate to and from the generated types.
//!
//! This file holds what every use case shares (the `Accounts` service, its settings, the audit
//! log's origin, the rules of a password change and a token's life); each use case has its file:
//! `sessions` (log-in, log-out, a user's sessions), `recovery` (reset links, the forgotten-password
//! e-mail, "this wasn't me"), `password` (a user's own and an admin's password change), `users`
//! (the admin calls on users, the first admin), and `error` (what the rules refuse).
//!
//! Each entry point has its span (`#[instrument(level = "debug", skip_all)]`, with the user id
//! where known): at `LOG_LEVEL=debug` the lines written inside carry it as well as the request
//! span's request id and operation; at `info` only the request span is made (one span per request,
//! BENCHMARKS.md, issue 13).

mod error;
mod password;
mod recovery;
mod service;
mod sessions;
mod users;

pub use error::{AccountError, Field, PasswordCheck, Problem, Throttle};
pub use service::{
    label, user_data, Accounts, AccountsConfig, Origin, ANONYMOUS, PASSWORD_HISTORY,
    RESET_EMAIL_FLOOR, RESET_THROTTLE_MS, TOKEN_TTL_MS, USER_AGENT_MAX_CHARS,
};
pub use sessions::{session_id, LoginOutcome, SessionView};
pub use users::{CreateUserRequest, CreatedUser, ListedUser};
