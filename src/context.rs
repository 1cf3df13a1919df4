//! The per-request context the HTTP front hands to the generated service, and through it to every
//! handler: request id, client IP and the authenticated caller.

use std::net::IpAddr;

use swagger::auth::{Authorization, Scopes};
use swagger::{Has, XSpanIdString};

use crate::auth::Caller;
use crate::store::SecretKey;

#[derive(Debug, Clone)]
pub struct RequestContext {
    /// The request id (the generated service calls it the span id).
    span: XSpanIdString,
    authorization: Option<Authorization>,
    pub client_ip: IpAddr,
    /// Who is calling, when the request carried valid credentials.
    pub caller: Option<Caller>,
    /// The session of the request's cookie, if it carries one that reads (some public calls end
    /// the caller's session).
    pub session: Option<SecretKey>,
    /// The request is a browser navigation (`Accept` includes `text/html`).
    pub accepts_html: bool,
}

impl RequestContext {
    pub fn new(
        request_id: String,
        client_ip: IpAddr,
        caller: Option<Caller>,
        session: Option<SecretKey>,
        accepts_html: bool,
    ) -> Self {
        // The generated service refuses secured operations without an `Authorization`. The front
        // has already decided (credentials where the spec requires them, none where it makes them
        // optional), so every request that reaches the generated layer is granted here.
        let authorization = Some(Authorization {
            subject: caller
                .as_ref()
                .map_or_else(|| "anonymous".to_string(), Caller::display_name),
            scopes: Scopes::All,
            issuer: None,
        });
        RequestContext {
            span: XSpanIdString(request_id),
            authorization,
            client_ip,
            caller,
            session,
            accepts_html,
        }
    }
}

// The generated service asks for these two.
impl Has<XSpanIdString> for RequestContext {
    fn get(&self) -> &XSpanIdString {
        &self.span
    }
    fn get_mut(&mut self) -> &mut XSpanIdString {
        &mut self.span
    }
    fn set(&mut self, value: XSpanIdString) {
        self.span = value;
    }
}

impl Has<Option<Authorization>> for RequestContext {
    fn get(&self) -> &Option<Authorization> {
        &self.authorization
    }
    fn get_mut(&mut self) -> &mut Option<Authorization> {
        &mut self.authorization
    }
    fn set(&mut self, value: Option<Authorization>) {
        self.authorization = value;
    }
}
