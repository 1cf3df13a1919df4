//! Unlatch: the password and account-recovery part of Unleash's API.
//!
//! Six layers, each a folder; a file imports only from its own layer or the ones below it, and
//! no two files import each other, directly or round a loop:
//!
//! - [`process`]: the program around the service: `cli` (the `unlatch` commands), `config`
//!   (settings from the environment and flags), `server` (wiring, listeners, graceful shutdown),
//!   `connections` (timeouts from accept, the connection cap), `retention` (the purge),
//!   `telemetry` (logging).
//! - [`http`]: the edge, the only place that knows HTTP: `front` (the one outer layer and the
//!   router), `spec` (`openapi.yaml` loaded once), `dispatch` (inputs into the generated types and
//!   response variants into bytes, written from the spec by `make regen`), `api` (the generated
//!   `Api` trait, implemented), `auth` (cookies and tokens into a caller), `errors` (every
//!   contract error, and the one mapping of the domain's refusals to them), `context`, `pages`,
//!   `docs`, `ratelimit`, `user_list`.
//! - [`domain`]: the rules: `accounts` (what each operation does and refuses, as units of work
//!   over the store), `caller`, `password_policy` and `blocklist`, `hashing` (the bcrypt pool),
//!   `secrets`, `devices`, `throttle` (failure budgets).
//! - [`mail`]: composing mail into the outbox and delivering it (`templates`, `outbox`, `relay`,
//!   `smtp`).
//! - [`store`]: the storage boundary and its backends; stores and loads, decides nothing.
//! - [`base`]: what every layer uses and which uses nothing else of Unlatch: the value types
//!   parsed once (`types`), time (`clock`), error chains (`causes`), the metrics registry.

pub mod base;
pub mod domain;
pub mod http;
pub mod mail;
pub mod process;
pub mod store;
