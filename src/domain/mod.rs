//! The rules. Knows nothing of HTTP (no headers, cookies, statuses or paths): it is handed parsed
//! values and a caller, and answers values or an `accounts::AccountError`. Below it: `mail`,
//! `store`, `base`.

pub mod accounts;
pub mod blocklist;
pub mod caller;
pub mod devices;
pub mod hashing;
pub mod password_policy;
pub mod secrets;
pub mod throttle;
