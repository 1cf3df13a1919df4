//! The per-request context the HTTP front hands to the generated service, and through it to every
//! handler: request id, client IP and the authenticated caller.

use std::net::IpAddr;

use swagger::auth::{Authorization, Scopes};
use swagger::{Has, XSpanIdString};

use crate::auth::Caller;

#[derive(Debug, Clone)]
pub struct RequestContext {
    span: XSpanIdString,
    authorization: Option<Authorization>,
    pub request_id: String,
    pub client_ip: IpAddr,
    /// Who is calling, when the request carried valid credentials.
    pub caller: Option<Caller>,
    /// The raw `unleash-session` cookie, if any (some public calls end the caller's session).
    pub session_cookie: Option<String>,
}

impl RequestContext {
    pub fn new(
        request_id: String,
        client_ip: IpAddr,
        caller: Option<Caller>,
        session_cookie: Option<String>,
    ) -> Self {
        // The generated service refuses secured operations without an `Authorization`; the front
        // has already authenticated the caller, so it is granted here, once, for every scope.
        let authorization = caller.as_ref().map(|c| Authorization {
            subject: c.display_name(),
            scopes: Scopes::All,
            issuer: None,
        });
        RequestContext {
            span: XSpanIdString(request_id.clone()),
            authorization,
            request_id,
            client_ip,
            caller,
            session_cookie,
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
