//! The per-request context the HTTP front hands to every handler of the `Api` trait: client IP,
//! the authenticated caller, the session cookie and whether the caller is a browser.

use std::net::IpAddr;

use std::sync::OnceLock;

use crate::base::types::Secret;
use crate::domain::caller::Caller;
use crate::store::SecretKey;

#[derive(Debug, Clone)]
pub struct RequestContext {
    pub client_ip: IpAddr,
    /// Who is calling, when the request carried valid credentials.
    pub caller: Option<Caller>,
    /// The session of the request's cookie, if it carries one that reads (some public calls end
    /// the caller's session).
    pub session: Option<SecretKey>,
    /// The request's `User-Agent`, if it sent one that is text (a log-in keeps it).
    pub user_agent: Option<String>,
    /// The request is a browser navigation (`Accept` includes `text/html`).
    pub accepts_html: bool,
    /// The device proof of the request's cookie, if it carries one (read by the log-in).
    pub device: Option<Secret>,
    /// The request comes from a browser: it carries Fetch Metadata (`Sec-Fetch-Site`), which
    /// browsers send and SDKs and scripts do not. Only a browser is given a device proof: other
    /// clients get the one `Set-Cookie` that `openapi.yaml` documents (a generated client keeps
    /// one `Set-Cookie` header).
    pub from_browser: bool,
    /// A second `Set-Cookie` the operation asks for (the log-in's device proof), appended by the
    /// front: the generated response types carry one `Set-Cookie` each.
    pub extra_cookie: OnceLock<String>,
}

impl RequestContext {
    pub fn new(
        client_ip: IpAddr,
        caller: Option<Caller>,
        session: Option<SecretKey>,
        accepts_html: bool,
    ) -> Self {
        RequestContext {
            client_ip,
            caller,
            session,
            user_agent: None,
            accepts_html,
            device: None,
            from_browser: false,
            extra_cookie: OnceLock::new(),
        }
    }
}
