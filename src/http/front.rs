//! The HTTP front: the one outer layer every request passes through, and the one place that
//! routes. In order: request id and the request's span; routing from `openapi.yaml` (JSON
//! 404/405); cross-site state changes (403, below); credentials for secured operations (401/403);
//! content type (415); body size (413); UTF-8, JSON and the operation's schema (400
//! BadDataError); then the operation, called through `dispatch` with a [`RequestContext`]. On the
//! way out security headers are set (`finish`: `Strict-Transport-Security` too when `UNLEASH_URL`
//! is https) and one access-log line is written.
//!
//! **Cross-site state changes.** A call that can change something (any method but GET, HEAD and
//! OPTIONS) and carries the `unleash-session` cookie is refused with 403 `CrossSiteRequestError`
//! when the browser says it comes from another site, before its credentials are looked up, its
//! body is read or its operation runs. (`SameSite=Lax` on the cookie is not enough: a page of a
//! sibling subdomain is the same site and gets the cookie sent, and browsers that do not enforce
//! `SameSite` send it from anywhere.)
//! The browser's own word comes first: `Sec-Fetch-Site` (which no page can set) `cross-site` is
//! refused, `same-origin` and `none` (typed by the user) pass. Otherwise (`same-site`, or an older
//! browser that sends none) the `Origin` decides: none (scripts, non-browser clients) passes;
//! `null`, several, or one that is neither the origin of `UNLEASH_URL` nor `UNLEASH_URL`'s scheme
//! with the request's own `Host` is refused. The `Host` a browser sends is the address it is
//! talking to, which no page can choose, so an `Origin` equal to it is this very origin (the UI
//! reached through a proxy under another name than `UNLEASH_URL`'s); the scheme is `UNLEASH_URL`'s,
//! so that a plain-http page of the same host does not pass for the https one. A request without
//! the cookie (an admin API token in `Authorization`, say) is not concerned: nothing of the user's
//! is sent along with it by the browser.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use hyper::body::Body as _;

use bytes::Bytes;
use http_body_util::{BodyExt, Either, Full};
use hyper::body::Incoming;
use hyper::header::{
    HeaderName, HeaderValue, ALLOW, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, HOST, ORIGIN,
    RETRY_AFTER, STRICT_TRANSPORT_SECURITY,
};
use hyper::{Request, Response, StatusCode};
use serde_json::Value;
use tracing::Instrument as _;

use crate::base::metrics::Metrics;
use crate::base::types::PublicUrl;
use crate::http::api::Handlers;
use crate::http::auth::{carries_session_cookie, Authenticator};
use crate::http::context::RequestContext;
use crate::http::dispatch::{self, JSON_UTF8};
use crate::http::docs::Docs;
use crate::http::errors::{AppError, FieldError, RATE_LIMIT_MESSAGE};
use crate::http::pages::Pages;
use crate::http::ratelimit::{Decision, RateLimits};
use crate::http::spec::{Operation, RateLimitClass, Route, Spec};
use crate::http::user_list::{UserListBody, Window};

/// Request bodies above this many bytes get 413 (Unleash's `100kb`).
pub const BODY_LIMIT: usize = 100 * 1024;

/// After an answer sent before the request body was read (413, 415, 401…), the rest of the body
/// is read and thrown away, up to this many bytes and this long, before the connection closes:
/// a client still writing its body (Python's `urllib`, for one) would otherwise get a broken pipe
/// instead of the answer. nginx's "lingering close" does the same.
const DRAIN_LIMIT: usize = 16 * 1024 * 1024;
const DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(5);

/// `Strict-Transport-Security` on every answer when `UNLEASH_URL` is https: a year, the value
/// browsers' preload lists ask for as a minimum (no `includeSubDomains`: the other hosts of the
/// domain are not Unlatch's to speak for).
pub const HSTS: &str = "max-age=31536000";

/// What the front answers with: a whole body, or the streamed user list.
pub type ResponseBody = Either<Full<Bytes>, UserListBody>;

/// Which listener a request came in on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Port {
    /// `HTTP_PORT`: the whole API, with its credentials.
    Main,
    /// The management listener (`MANAGEMENT_HTTP_PORT`): only the operations `openapi.yaml` marks
    /// `x-unlatch-management`, without credentials; anything else is a 404.
    Management,
}

/// The operation whose answer is streamed by the front (see `user_list`) rather than built
/// whole by its `Api` method.
const STREAMED_USER_LIST: dispatch::Operation = dispatch::Operation::GetUsers;

pub struct Front {
    metrics: Arc<Metrics>,
    body_timeout: std::time::Duration,
    spec: Spec,
    pages: Option<Pages>,
    /// The browsable API docs (`/docs/openapi/`), on the main port whatever `PAGES` says.
    docs: Docs,
    auth: Authenticator,
    limits: RateLimits,
    /// The generated `Api` trait's implementation, called through `dispatch`.
    handlers: Handlers,
    /// The settings turned on that make an operation public (`x-unlatch-public-with`).
    public_settings: Vec<String>,
    /// The public URL's origin and scheme (see `with_public_url`).
    site: Site,
}

/// What the front takes from `UNLEASH_URL`: the origin that may change state with the session
/// cookie, and whether answers carry `Strict-Transport-Security`.
#[derive(Debug, Clone, Default)]
struct Site {
    /// `scheme://host[:port]`; empty (before `with_public_url`): no `Origin` is this one.
    origin: String,
    /// `https://` or `http://`; empty: the request's `Host` is no origin either.
    scheme: &'static str,
    /// `UNLEASH_URL` is https.
    https: bool,
}

impl Site {
    /// Whether a request that changes state comes from another site (the module comment says how
    /// that is decided). `authority`: the request's target, an HTTP/2 request's `Host`.
    fn is_cross_site(&self, headers: &hyper::HeaderMap, authority: Option<&str>) -> bool {
        match headers.get("sec-fetch-site").map(HeaderValue::as_bytes) {
            Some(b"cross-site") => return true,
            Some(b"same-origin" | b"none") => return false,
            // `same-site` is another origin of the same site (a sibling subdomain): the Origin
            // decides, as it does for a browser that does not send the header.
            _ => {}
        }
        let mut origins = headers.get_all(ORIGIN).iter();
        let (Some(origin), None) = (origins.next(), origins.next()) else {
            // none: not a browser's cross-site call; several: no browser sends that
            return headers.contains_key(ORIGIN);
        };
        let Some(origin) = origin.to_str().ok().and_then(normalised_origin) else {
            // `null` (a sandboxed frame, a redirect from elsewhere, …) or no origin at all
            return true;
        };
        if !self.origin.is_empty() && origin == self.origin {
            return false;
        }
        let host = headers
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .or(authority);
        let own = host
            .filter(|_| !self.scheme.is_empty())
            .and_then(|host| normalised_origin(&format!("{}{host}", self.scheme)));
        own.is_none_or(|own| own != origin)
    }
}

/// An origin as a browser serialises it (`scheme://host[:port]`, lower case, no default port), or
/// `None` for `null` and anything that is not a URL with a host.
fn normalised_origin(text: &str) -> Option<String> {
    let url = url::Url::parse(text).ok()?;
    let origin = url.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

impl Front {
    pub fn new(
        spec: Spec,
        pages: Option<Pages>,
        auth: Authenticator,
        limits: RateLimits,
        handlers: Handlers,
        body_timeout: std::time::Duration,
        metrics: Arc<Metrics>,
    ) -> Self {
        Front {
            metrics,
            body_timeout,
            spec,
            pages,
            docs: Docs::default(),
            auth,
            limits,
            handlers,
            public_settings: Vec::new(),
            site: Site::default(),
        }
    }

    /// Takes the trusted origin of cross-site checks and `Strict-Transport-Security` from
    /// `UNLEASH_URL` (without it, no `Origin` passes the check and no answer carries HSTS).
    pub fn with_public_url(mut self, public_url: &PublicUrl) -> Self {
        self.site = Self::site_of(public_url);
        self
    }

    fn site_of(public_url: &PublicUrl) -> Site {
        Site {
            origin: public_url.origin().to_string(),
            scheme: if public_url.is_https() {
                "https://"
            } else {
                "http://"
            },
            https: public_url.is_https(),
        }
    }

    /// Turns on `setting` (`METRICS_PUBLIC`): the operations whose `x-unlatch-public-with` names
    /// it need no credentials.
    pub fn with_public_setting(mut self, setting: &str) -> Self {
        self.public_settings.push(setting.to_string());
        self
    }

    pub fn rate_limits(&self) -> &RateLimits {
        &self.limits
    }

    /// Counts the request against its operation's limit; a refusal is the JSON 429.
    fn count(
        &self,
        class: RateLimitClass,
        client_ip: IpAddr,
        decision: &mut Option<Decision>,
    ) -> Result<(), AppError> {
        *decision = self.limits.check(class, client_ip);
        match decision {
            Some(d) if !d.allowed => Err(AppError::RateLimited {
                message: RATE_LIMIT_MESSAGE,
                retry_after_secs: d.retry_after_secs,
            }),
            _ => Ok(()),
        }
    }

    /// Answers one request inside its span (`request`, with the request id and the operation),
    /// so every line logged while serving it carries both. The request is routed first (a page,
    /// an operation of the spec, or neither), so the span is made once with both fields. Every
    /// request is answered (`Infallible`: hyper's service signature, returned from here so that
    /// no wrapping future is moved around per request).
    pub async fn handle(
        self: Arc<Self>,
        request: Request<Incoming>,
        peer: SocketAddr,
        port: Port,
    ) -> Result<Response<ResponseBody>, std::convert::Infallible> {
        // Written straight into its text (`Uuid`'s `Display` goes through `format_args!`).
        let request_id = String::from(
            uuid::Uuid::new_v4()
                .hyphenated()
                .encode_lower(&mut uuid::Uuid::encode_buffer()),
        );
        let target = self.target(request.method(), request.uri().path(), port);
        let span = tracing::info_span!(
            "request",
            request_id = %request_id,
            operation = target.label()
        );
        Ok(self
            .serve(request, peer, port, request_id, target)
            .instrument(span)
            .await)
    }

    /// What the request is for: one of the pages, an operation of the spec, or neither. The
    /// management listener routes only the operations marked `x-unlatch-management`.
    fn target(&self, method: &hyper::Method, path: &str, port: Port) -> Target<'_> {
        if port == Port::Management {
            let served = self
                .spec
                .operations()
                .any(|(_, template, operation)| template == path && operation.management);
            return Target::Api(if served {
                self.spec.route(method, path)
            } else {
                Route::NotFound
            });
        }
        let page = self
            .docs
            .handle(method, path)
            .or_else(|| self.pages.as_ref().and_then(|p| p.handle(method, path)));
        match page {
            Some(page) => Target::Page(page),
            None => Target::Api(self.spec.route(method, path)),
        }
    }

    async fn serve(
        &self,
        request: Request<Incoming>,
        peer: SocketAddr,
        port: Port,
        request_id: String,
        target: Target<'_>,
    ) -> Response<ResponseBody> {
        let started = Instant::now();
        let method = request.method().clone();
        // Logged by its path only: a query string may carry a token and is never logged. (A
        // `Uri` clone shares its bytes.)
        let uri = request.uri().clone();
        let path = uri.path();
        let client_ip = self.limits.client_ip(peer.ip(), request.headers());
        let operation = target.label();

        let mut decision = None;
        let (parts, body) = request.into_parts();
        let mut unread = Some(body);
        let mut response = match target {
            Target::Page(page) => page.map(Either::Left),
            Target::Api(route) => match self
                .process(parts, route, port, &mut unread, client_ip, &mut decision)
                .await
            {
                Ok(response) => response,
                Err(error) => error_response(&error).map(Either::Left),
            },
        };
        if let Some(body) = unread.filter(|b| !b.is_end_stream()) {
            tokio::spawn(drain(body));
        }
        finish(&mut response, &request_id, self.site.https);
        if let Some(decision) = decision {
            decision.apply(response.headers_mut());
        }

        let elapsed = started.elapsed();
        let micros = elapsed.as_micros();
        self.metrics
            .observe(operation, response.status().as_u16(), elapsed.as_secs_f64());
        tracing::info!(
            method = %method,
            path = %path,
            status = response.status().as_u16(),
            duration_ms = format_args!("{}.{:03}", micros / 1000, micros % 1000),
            client_ip = %client_ip,
            "request"
        );
        response
    }

    /// Answers a request for the API. `body` is taken when it is read; if it is still there
    /// afterwards, the caller drains it.
    async fn process(
        &self,
        parts: hyper::http::request::Parts,
        route: Route<'_>,
        port: Port,
        body: &mut Option<Incoming>,
        client_ip: IpAddr,
        decision: &mut Option<Decision>,
    ) -> Result<Response<ResponseBody>, AppError> {
        let path = parts.uri.path();
        // Under /api/, authentication comes before routing, as in Unleash: a path Unlatch does not
        // serve is a 401 to a caller without credentials (Unleash's UI relies on it), and a JSON
        // 404 or 405 only to an authenticated one.
        if !matches!(route, Route::Found { .. })
            && port == Port::Main
            && (path == "/api" || path.starts_with("/api/"))
        {
            self.auth.require(&parts.headers).await?;
        }
        let (operation, params) = match route {
            Route::Found { operation, params } => (operation, params),
            Route::MethodNotAllowed { allowed } => {
                return Err(AppError::MethodNotAllowed {
                    method: parts.method.to_string(),
                    allowed,
                })
            }
            Route::NotFound => return Err(AppError::path_not_found(path)),
        };

        // A state change with the session cookie from another site, before anything else of it
        // is looked at (the module comment says why and how).
        let safe = matches!(
            parts.method,
            hyper::Method::GET | hyper::Method::HEAD | hyper::Method::OPTIONS
        );
        if !safe
            && carries_session_cookie(&parts.headers)
            && self
                .site
                .is_cross_site(&parts.headers, parts.uri.authority().map(|a| a.as_str()))
        {
            return Err(AppError::CrossSite);
        }

        // Log-in attempts count before anything else (as Unleash's limiter sits in front of the
        // router); the others count once the request is known to be well-formed.
        if operation.rate_limit == Some(RateLimitClass::Login) {
            self.count(RateLimitClass::Login, client_ip, decision)?;
        }

        // The management listener serves its operations without credentials; on the main port an
        // operation is public by the spec, or by a setting the operator turned on.
        let public = port == Port::Management
            || operation.public
            || operation
                .public_with
                .as_ref()
                .is_some_and(|setting| self.public_settings.contains(setting));
        let caller = if public {
            None
        } else {
            let caller = self.auth.require(&parts.headers).await?;
            if operation.admin_only && !caller.is_admin() {
                return Err(AppError::PermissionDenied);
            }
            Some(caller)
        };

        let body = if operation.takes_body() {
            check_content_type(&parts.headers)?;
            let incoming = body
                .as_mut()
                .ok_or_else(|| AppError::internal("the request body was taken twice"))?;
            let bytes =
                tokio::time::timeout(self.body_timeout, read_body(&parts.headers, incoming))
                    .await
                    .map_err(|_| AppError::RequestTimeout)??;
            *body = None;
            Some(validate(operation, &bytes)?)
        } else {
            None
        };
        operation.validate_params(&params, parts.uri.query())?;
        if let Some(class) = operation.rate_limit.filter(|c| *c != RateLimitClass::Login) {
            self.count(class, client_ip, decision)?;
        }
        if operation.call == STREAMED_USER_LIST {
            let window = user_list_window(parts.uri.query())?;
            let body = crate::http::user_list::stream(Arc::clone(self.handlers.accounts()), window);
            let mut response = Response::new(Either::Right(body));
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8));
            return Ok(response);
        }

        let mut context = RequestContext::new(
            client_ip,
            caller,
            self.auth.cookies().from_headers(&parts.headers),
            accepts_html(&parts.headers),
        );
        context.device = self.auth.cookies().device_from_headers(&parts.headers);
        context.from_browser = parts.headers.contains_key("sec-fetch-site");
        // Only a log-in keeps it (with its session).
        if operation.call == dispatch::Operation::Login {
            context.user_agent = parts
                .headers
                .get(hyper::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
        }
        let mut inputs = dispatch::Inputs {
            params: &params,
            query: parts.uri.query(),
            body,
        };
        let mut response = dispatch::call(&self.handlers, operation.call, &mut inputs, &context)
            .await?
            .into_response()?;
        if let Some(cookie) = context.extra_cookie.get() {
            let value = HeaderValue::try_from(cookie.as_str())
                .map_err(|_| AppError::internal("a Set-Cookie value is not a header value"))?;
            response
                .headers_mut()
                .append(hyper::header::SET_COOKIE, value);
        }
        Ok(response.map(Either::Left))
    }
}

/// What a request is for, decided before it is served.
enum Target<'a> {
    /// One of the pages (`Pages`), already answered.
    Page(Response<Full<Bytes>>),
    /// The API: an operation of the spec, or a 404/405.
    Api(Route<'a>),
}

impl<'a> Target<'a> {
    /// The request's operation as the log and the metrics name it.
    fn label(&self) -> &'a str {
        match self {
            Target::Page(_) => "page",
            Target::Api(Route::Found { operation, .. }) => operation.id.as_str(),
            Target::Api(_) => "none",
        }
    }
}

/// `limit` and `offset` of the user list (already checked against the spec's schema), read as
/// `dispatch` reads them for the `Api` method.
fn user_list_window(query: Option<&str>) -> Result<Window, AppError> {
    let inputs = dispatch::Inputs {
        params: &[],
        query,
        body: None,
    };
    Ok(Window {
        limit: inputs.query("limit")?,
        offset: inputs.query("offset")?.unwrap_or_default(),
    })
}

fn accepts_html(headers: &hyper::HeaderMap) -> bool {
    headers
        .get_all(hyper::header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("text/html"))
}

fn check_content_type(headers: &hyper::HeaderMap) -> Result<(), AppError> {
    let Some(value) = headers.get(CONTENT_TYPE) else {
        return Err(AppError::ContentType { provided: None });
    };
    let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
    let essence = text.split(';').next().unwrap_or_default().trim();
    if essence.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        Err(AppError::ContentType {
            provided: Some(text),
        })
    }
}

/// Reads the whole body, up to [`BODY_LIMIT`]; on a refusal, what was not read stays in `body`.
async fn read_body(headers: &hyper::HeaderMap, body: &mut Incoming) -> Result<Bytes, AppError> {
    let too_large = AppError::PayloadTooLarge {
        limit_bytes: BODY_LIMIT,
    };
    // A body declared too large is refused before any of it is read.
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        return Err(too_large);
    }
    match http_body_util::Limited::new(body, BODY_LIMIT)
        .collect()
        .await
    {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(too_large),
        Err(e) => Err(AppError::bad_data(vec![FieldError {
            path: "/body".into(),
            message: format!("The request body could not be read: {e}."),
        }])),
    }
}

/// Reads and discards what is left of a refused request's body (bounded in bytes and time), so
/// that the client gets to read the answer rather than a broken pipe.
async fn drain(mut body: Incoming) {
    let mut left = DRAIN_LIMIT;
    let _ = tokio::time::timeout(DRAIN_TIME, async {
        while let Some(Ok(frame)) = body.frame().await {
            let size = frame.data_ref().map_or(0, |d| d.len());
            if size >= left {
                return;
            }
            left -= size;
        }
    })
    .await;
}

/// UTF-8, then JSON, then the operation's schema. An empty body is `{}` (as Express reads it), so
/// it is answered with the first missing property.
fn validate(operation: &Operation, bytes: &Bytes) -> Result<Value, AppError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        AppError::bad_data(vec![FieldError {
            path: "/body".into(),
            message: format!(
                "The request body is not valid UTF-8 (invalid byte at offset {}).",
                e.valid_up_to()
            ),
        }])
    })?;
    let value: Value = if text.trim().is_empty() {
        Value::Object(Default::default())
    } else {
        serde_json::from_str(text).map_err(|e| {
            AppError::bad_data(vec![FieldError {
                path: "/body".into(),
                message: format!(
                    "The request body is not valid JSON: {} at line {}, column {}.",
                    json_error_kind(&e),
                    e.line(),
                    e.column()
                ),
            }])
        })?
    };
    operation.validate_body(&value)?;
    Ok(value)
}

/// serde_json's description without any excerpt of the input (which could be a password).
fn json_error_kind(e: &serde_json::Error) -> &'static str {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => "the body ends too early",
        Category::Syntax => "a syntax error",
        Category::Data => "unexpected data",
        Category::Io => "a read error",
    }
}

pub fn error_response(error: &AppError) -> Response<Full<Bytes>> {
    error.log_if_server_error();
    let body = serde_json::to_vec(&error.body()).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() =
        StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8));
    if let Some(seconds) = error.retry_after() {
        headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    if let AppError::MethodNotAllowed { allowed, .. } = error {
        if let Ok(value) = HeaderValue::from_str(&allowed.join(", ")) {
            headers.insert(ALLOW, value);
        }
    }
    response
}

/// The way out: the headers every answer carries, and [`HSTS`] when `UNLEASH_URL` is `https`.
/// (Every JSON body, the front's errors and the operations' answers alike, is labelled
/// [`JSON_UTF8`] where it is made.)
fn finish(response: &mut Response<ResponseBody>, request_id: &str, https: bool) {
    let headers = response.headers_mut();
    if https {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert(HeaderName::from_static("x-request-id"), value);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        HeaderName::from_static("x-content-type-options"),
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        HeaderName::from_static("referrer-policy"),
        HeaderValue::from_static("no-referrer"),
    );
}

#[cfg(test)]
mod cross_site {
    use super::*;

    fn site(url: &str) -> Site {
        let url = PublicUrl::parse(url).expect("a URL");
        Front::site_of(&url)
    }

    fn cross(site: &Site, headers: &[(&str, &str)]) -> bool {
        let mut map = hyper::HeaderMap::new();
        for (name, value) in headers {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).expect("a name"),
                HeaderValue::from_str(value).expect("a value"),
            );
        }
        site.is_cross_site(&map, None)
    }

    #[test]
    fn the_browser_s_word_then_the_origin_decide() {
        let site = site("https://flags.example.com/ui");
        let host = ("host", "unlatch.internal:4242");
        // same-origin and none pass whatever the Origin (a form POST of a no-referrer page sends
        // `Origin: null`); cross-site never does
        assert!(!cross(
            &site,
            &[("sec-fetch-site", "same-origin"), ("origin", "null")]
        ));
        assert!(!cross(&site, &[("sec-fetch-site", "none")]));
        assert!(cross(&site, &[("sec-fetch-site", "cross-site")]));
        assert!(cross(
            &site,
            &[
                ("sec-fetch-site", "cross-site"),
                ("origin", "https://flags.example.com")
            ]
        ));
        // otherwise the Origin: none passes, the public URL's origin passes (in any spelling)
        assert!(!cross(&site, &[host]));
        assert!(!cross(&site, &[("origin", "https://flags.example.com")]));
        assert!(!cross(
            &site,
            &[("origin", "https://FLAGS.example.com:443")]
        ));
        assert!(!cross(
            &site,
            &[
                ("sec-fetch-site", "same-site"),
                ("origin", "https://flags.example.com")
            ]
        ));
        // so does the request's own Host under the public URL's scheme
        assert!(!cross(
            &site,
            &[host, ("origin", "https://unlatch.internal:4242")]
        ));
        // and nothing else
        for origin in [
            "null",
            "https://evil.example.com",
            "https://other.example.com",
            "http://flags.example.com",
            "https://flags.example.com:8443",
            "http://unlatch.internal:4242",
            "https://unlatch.internal",
            "flags.example.com",
            "",
        ] {
            assert!(cross(&site, &[host, ("origin", origin)]), "{origin}");
            assert!(
                cross(
                    &site,
                    &[host, ("sec-fetch-site", "same-site"), ("origin", origin)]
                ),
                "{origin}"
            );
        }
        assert!(cross(
            &site,
            &[
                ("origin", "https://flags.example.com"),
                ("origin", "https://evil.example.com")
            ]
        ));
        // without a public URL, no Origin passes
        assert!(cross(
            &Site::default(),
            &[host, ("origin", "https://unlatch.internal:4242")]
        ));
        assert!(!cross(&Site::default(), &[host]));
    }
}

#[cfg(test)]
mod fuzz {
    //! Property tests over the request front: whatever bytes arrive, parsing and validation answer
    //! with a contract error or success, never a panic.
    use super::*;
    use proptest::prelude::*;

    /// Compiled once: compiling the schemas is the expensive part, not what is under test.
    fn operation(method: hyper::Method, path: &str) -> &'static Operation {
        static SPEC: std::sync::OnceLock<Spec> = std::sync::OnceLock::new();
        let spec = SPEC.get_or_init(|| Spec::load().expect("spec"));
        match spec.route(&method, path) {
            Route::Found { operation, .. } => operation,
            _ => panic!("{path} is not routed"),
        }
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            ".*".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::hash_map("[a-zA-Z]{0,12}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            for (method, path) in [
                (hyper::Method::POST, "/auth/simple/login"),
                (hyper::Method::POST, "/api/admin/user-admin"),
                (hyper::Method::POST, "/auth/reset/password"),
            ] {
                let op = operation(method, path);
                if let Err(e) = validate(op, &Bytes::from(bytes.clone())) {
                    prop_assert_eq!(e.status(), 400);
                }
            }
        }

        #[test]
        fn arbitrary_json_never_panics_and_errors_name_a_body_path(value in json_value()) {
            let op = operation(hyper::Method::POST, "/api/admin/user-admin");
            let bytes = Bytes::from(serde_json::to_vec(&value).expect("serializes"));
            match validate(op, &bytes) {
                Ok(_) => {}
                Err(AppError::BadData { details, .. }) => {
                    prop_assert_eq!(details.len(), 1);
                    prop_assert!(details[0].path.starts_with("/body"), "{}", details[0].path);
                }
                Err(other) => prop_assert!(false, "unexpected {other:?}"),
            }
        }

        #[test]
        fn the_policy_never_panics_and_lists_what_it_says(password in ".{0,200}") {
            match crate::domain::password_policy::check(&password) {
                Ok(()) => prop_assert!(password.len() <= 72 && password.encode_utf16().count() >= 10),
                Err(crate::domain::password_policy::PolicyError::Undefined) => prop_assert!(password.is_empty()),
                Err(crate::domain::password_policy::PolicyError::Weak(rules)) => prop_assert!(!rules.is_empty()),
            }
        }

        #[test]
        fn arbitrary_params_never_panic(id in ".{0,40}", limit in ".{0,20}") {
            let op = operation(hyper::Method::GET, "/api/admin/user-admin/1");
            let _ = op.validate_params(&[("id".to_string(), id)], None);
            let events = operation(hyper::Method::GET, "/api/admin/events");
            let _ = events.validate_params(&[], Some(&format!("limit={limit}&offset={limit}")));
        }
    }
}
