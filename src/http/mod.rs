//! The edge: the only layer that knows HTTP. A request enters at `front`, is routed by `spec`,
//! read into the generated types by `dispatch`, handled by `api` (which calls the domain), and
//! every refusal becomes a contract error in `errors`.

pub mod api;
pub mod auth;
pub mod context;
pub mod dispatch;
pub mod docs;
pub mod errors;
pub mod front;
pub mod pages;
pub mod ratelimit;
pub mod spec;
pub mod user_list;
