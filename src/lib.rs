//! Unlatch: the password and account-recovery part of Unleash's API.
//!
//! A reader's map, one concern per file:
//! - `config`: settings (env + flags); `telemetry`: logging; `cli`: the `unlatch` commands.
//! - `spec`: `openapi.yaml`, loaded once: routes and request schemas.
//! - `front`: the outer HTTP layer (ids, access log, 404/405, 401/403, 415, 413, validation);
//!   `dispatch`: the call into the `Api` trait and each response variant's status and headers
//!   (written from `openapi.yaml` by `make regen` into `generated/dispatch.rs`).
//! - `errors`: every contract error and its wire form, in one place, with the one mapping of the
//!   domain's refusals (`accounts::AccountError`) to them.
//! - `api`: the generated `Api` trait, implemented; `accounts`: what each endpoint does, and
//!   `AccountError`, what it refuses; `domain`: the small types parsed once (`Email`, `Username`,
//!   `LoginName`, `UserId`, `PublicUrl`, `Secret`).
//! - `password_policy` (and `blocklist`, common and breached passwords), `hashing` (bcrypt pool), `secrets` (tokens, session ids), `devices` (proofs of a device that logged in before), `auth`.
//! - `store`: the storage boundary, with the SQLite backend in `store/sqlite.rs`.
//! - `retention`: what is old and the background purge; `user_list`: the streamed user list.
//! - `server`: wiring, listening (the main port and the management listener) and graceful
//!   shutdown; `connections`: timeouts from accept, the connection cap and idle connections.
//! - `pages`: Unlatch's own pages behind the mail links; `docs`: the API docs page (Swagger UI).
//! - `ratelimit`: per-IP limits and the client IP; `throttle`: the per-account failure budgets;
//!   `metrics`: Prometheus; `context`: what the front hands every handler.

pub mod accounts;
pub mod api;
pub mod auth;
pub mod blocklist;
pub mod cli;
pub mod clock;
pub mod config;
pub mod connections;
pub mod context;
pub mod devices;
pub mod dispatch;
pub mod docs;
pub mod domain;
pub mod errors;
pub mod front;
pub mod hashing;
pub mod mail;
pub mod metrics;
pub mod pages;
pub mod password_policy;
pub mod ratelimit;
pub mod retention;
pub mod secrets;
pub mod server;
pub mod spec;
pub mod store;
pub mod telemetry;
pub mod throttle;
pub mod user_list;
