//! Server-rendered pages behind the links in the mails (`/reset-password`, `/new-user`,
//! `/forgotten-password`, `/login`, `/change-password`, `/signed-out`, `/not-me`, and `/profile`
//! with the user's sessions), for deployments without
//! Unleash's UI in front. Turned off with `PAGES=false`, except `/not-me` and its assets: Unleash's
//! UI has no such page, and every password-changed mail links to it.
//!
//! The pages are handlebars templates from `templates/pages/` (built into the binary), compiled in
//! strict mode and rendered once at start-up, so a broken template stops start-up and never fails
//! a request. Each page is a small form; the script in `assets/` calls the same JSON API as
//! Unleash's UI. Pages and assets are served at the root and, when `UNLEASH_URL` has a sub-path
//! `P`, also under `P`, so a mailed link works whether or not a proxy strips the prefix. Every URL
//! in a page is relative, so the same HTML works at either place. Nothing is inline and nothing
//! is loaded from elsewhere: the strict [`CONTENT_SECURITY_POLICY`] holds.

use std::collections::HashMap;

use bytes::Bytes;
use handlebars::Handlebars;
use http_body_util::Full;
use hyper::header::{HeaderValue, CONTENT_SECURITY_POLICY as CSP, CONTENT_TYPE};
use hyper::{Method, Response};
use serde::Serialize;

use crate::base::types::PublicUrl;

/// The policy every page and asset carries: only this origin's script, style, images and API.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; \
     frame-ancestors 'none'";

const HTML: &str = "text/html; charset=utf-8";

/// The templates, by registered name (pages are rendered into `layout` as a partial block).
const TEMPLATES: [(&str, &str); 9] = [
    ("layout", include_str!("../../templates/pages/layout.hbs")),
    (
        "password-fields",
        include_str!("../../templates/pages/password-fields.hbs"),
    ),
    (
        "forgotten-password",
        include_str!("../../templates/pages/forgotten-password.hbs"),
    ),
    (
        "set-password",
        include_str!("../../templates/pages/set-password.hbs"),
    ),
    ("login", include_str!("../../templates/pages/login.hbs")),
    (
        "change-password",
        include_str!("../../templates/pages/change-password.hbs"),
    ),
    (
        "signed-out",
        include_str!("../../templates/pages/signed-out.hbs"),
    ),
    ("not-me", include_str!("../../templates/pages/not-me.hbs")),
    ("profile", include_str!("../../templates/pages/profile.hbs")),
];

/// The templates that are partials (used by the pages), not pages of their own.
const PARTIALS: [&str; 2] = ["layout", "password-fields"];

/// One page: where it is served (without the leading `/`), its template and its title.
struct PageSpec {
    path: &'static str,
    template: &'static str,
    title: &'static str,
    heading: &'static str,
    invite: bool,
}

const PAGES: [PageSpec; 8] = [
    PageSpec {
        path: "forgotten-password",
        template: "forgotten-password",
        title: "Forgot your password?",
        heading: "Forgot your password?",
        invite: false,
    },
    PageSpec {
        path: "reset-password",
        template: "set-password",
        title: "Reset your password",
        heading: "Reset your password",
        invite: false,
    },
    PageSpec {
        path: "new-user",
        template: "set-password",
        title: "Welcome",
        heading: "Welcome to Unleash",
        invite: true,
    },
    PageSpec {
        path: "login",
        template: "login",
        title: "Log in",
        heading: "Log in",
        invite: false,
    },
    PageSpec {
        path: "change-password",
        template: "change-password",
        title: "Change your password",
        heading: "Change your password",
        invite: false,
    },
    PageSpec {
        path: "signed-out",
        template: "signed-out",
        title: "Logged out",
        heading: "You have logged out",
        invite: false,
    },
    PageSpec {
        path: "not-me",
        template: "not-me",
        title: "This wasn't me",
        heading: "Was this you?",
        invite: false,
    },
    PageSpec {
        path: "profile",
        template: "profile",
        title: "Your account",
        heading: "Your account",
        invite: false,
    },
];

/// The static files, served under `assets/`.
const ASSETS: [(&str, &str, &str); 3] = [
    (
        "assets/unlatch.css",
        "text/css; charset=utf-8",
        include_str!("../../assets/unlatch.css"),
    ),
    (
        "assets/unlatch.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/unlatch.js"),
    ),
    (
        "assets/favicon.svg",
        "image/svg+xml",
        include_str!("../../assets/favicon.svg"),
    ),
];

/// What every page template may use (strict mode: nothing else).
#[derive(Serialize)]
struct PageVars {
    /// The page's name, read by the script (`<body data-page>`).
    page: &'static str,
    title: &'static str,
    heading: &'static str,
    /// `/new-user` (an invitation) rather than `/reset-password`.
    invite: bool,
}

struct File {
    content_type: &'static str,
    body: Bytes,
}

/// The one page served with `PAGES=false`.
const ALWAYS: &str = "not-me";

pub struct Pages {
    /// `UNLEASH_URL`'s sub-path (such as `/ui`), if it has one.
    prefix: Option<String>,
    /// Every page (`PAGES=true`), or only [`ALWAYS`] and the assets.
    all: bool,
    /// By path without the leading `/`.
    files: HashMap<&'static str, File>,
}

impl Pages {
    pub fn new(public_url: &PublicUrl) -> anyhow::Result<Self> {
        Self::build(public_url, &TEMPLATES, true)
    }

    /// With `PAGES=false` (behind Unleash's own UI): only the "this wasn't me" page, which
    /// Unleash's UI does not have, and the assets it uses.
    pub fn not_me_only(public_url: &PublicUrl) -> anyhow::Result<Self> {
        Self::build(public_url, &TEMPLATES, false)
    }

    fn build(
        public_url: &PublicUrl,
        templates: &[(&str, &str)],
        all: bool,
    ) -> anyhow::Result<Self> {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.set_dev_mode(false);
        for (name, source) in templates {
            if PARTIALS.contains(name) {
                registry
                    .register_partial(name, *source)
                    .map_err(|e| anyhow::anyhow!("page template {name}: {e}"))?;
            } else {
                registry
                    .register_template_string(name, *source)
                    .map_err(|e| anyhow::anyhow!("page template {name}: {e}"))?;
            }
        }
        let mut files = HashMap::new();
        for page in PAGES.iter().filter(|p| all || p.path == ALWAYS) {
            let vars = PageVars {
                page: page.path,
                title: page.title,
                heading: page.heading,
                invite: page.invite,
            };
            let html = registry.render(page.template, &vars).map_err(|e| {
                anyhow::anyhow!("page template {} does not render: {e}", page.template)
            })?;
            files.insert(
                page.path,
                File {
                    content_type: HTML,
                    body: Bytes::from(html),
                },
            );
        }
        for (path, content_type, body) in ASSETS {
            files.insert(
                path,
                File {
                    content_type,
                    body: Bytes::from_static(body.as_bytes()),
                },
            );
        }
        Ok(Pages {
            prefix: public_url.sub_path().map(str::to_string),
            all,
            files,
        })
    }

    /// The page at `path`, or `None` when `path` is not a page (the API answers it).
    pub fn handle(&self, method: &Method, path: &str) -> Option<Response<Full<Bytes>>> {
        if method != Method::GET && method != Method::HEAD {
            return None;
        }
        // The service's root (or the base path's) sends a browser to the log-in page.
        let base = self.prefix.as_deref().unwrap_or_default();
        let root =
            path == "/" || (!base.is_empty() && (path == base || path == format!("{base}/")));
        if self.all && root {
            let mut response = Response::new(Full::new(Bytes::new()));
            *response.status_mut() = hyper::StatusCode::FOUND;
            let target = format!("{base}/login");
            if let Ok(location) = HeaderValue::from_str(&target) {
                response
                    .headers_mut()
                    .insert(hyper::header::LOCATION, location);
            }
            return Some(response);
        }
        let file = self.lookup(path)?;
        // hyper sends no body for HEAD but keeps the length of this one.
        let mut response = Response::new(Full::new(file.body.clone()));
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(file.content_type));
        headers.insert(CSP, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
        Some(response)
    }

    fn lookup(&self, path: &str) -> Option<&File> {
        let at_root = path.strip_prefix('/').and_then(|p| self.files.get(p));
        at_root.or_else(|| {
            let prefix = self.prefix.as_deref()?;
            let rest = path.strip_prefix(prefix)?.strip_prefix('/')?;
            self.files.get(rest)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(pages: &Pages, path: &str) -> Option<String> {
        let response = pages.handle(&Method::GET, path)?;
        let file = pages.lookup(path).expect("file");
        assert_eq!(
            response.headers()[CSP].to_str().unwrap(),
            CONTENT_SECURITY_POLICY
        );
        Some(String::from_utf8(file.body.to_vec()).expect("UTF-8"))
    }

    fn url(text: &str) -> PublicUrl {
        PublicUrl::parse(text).expect("a URL")
    }

    #[test]
    fn pages_at_the_root_and_under_the_sub_path() {
        let pages = Pages::new(&url("https://flags.example.com/ui")).expect("pages");
        for page in PAGES {
            let root = body(&pages, &format!("/{}", page.path)).expect(page.path);
            let under = body(&pages, &format!("/ui/{}", page.path)).expect(page.path);
            assert_eq!(root, under);
            assert!(root.contains(&format!("data-page=\"{}\"", page.path)));
            assert!(root.contains("<title>"), "{root}");
        }
        assert!(body(&pages, "/ui/assets/unlatch.js").is_some());
        assert!(body(&pages, "/assets/unlatch.css").is_some());
        for root in ["/", "/ui", "/ui/"] {
            let redirect = pages.handle(&Method::GET, root).expect("a redirect");
            assert_eq!(redirect.status(), hyper::StatusCode::FOUND, "{root}");
        }
        for missing in ["/uilogin", "/other/login", "/login/", "/assets/", "/health"] {
            assert!(pages.handle(&Method::GET, missing).is_none(), "{missing}");
        }
        assert!(pages.handle(&Method::POST, "/login").is_none());
        assert!(pages.handle(&Method::HEAD, "/login").is_some());
    }

    #[test]
    fn the_invitation_says_welcome() {
        let pages = Pages::new(&url("http://localhost:4242")).expect("pages");
        let invite = body(&pages, "/new-user").unwrap();
        let reset = body(&pages, "/reset-password").unwrap();
        assert!(invite.contains("Welcome to Unleash"));
        assert!(reset.contains("Reset your password"));
        assert!(!reset.contains("Welcome"));
    }

    #[test]
    fn a_broken_template_stops_start_up() {
        let with = |name: &str, source: &'static str| {
            let mut templates = TEMPLATES.to_vec();
            templates.iter_mut().find(|(n, _)| *n == name).unwrap().1 = source;
            Pages::build(&url("http://localhost:4242"), &templates, true)
        };
        assert!(Pages::build(&url("http://localhost:4242"), &TEMPLATES, true).is_ok());
        // An unknown variable fails in strict mode.
        let err = with("login", "{{#> layout}}{{nope}}{{/layout}}")
            .err()
            .expect("refused");
        assert!(err.to_string().contains("login"), "{err}");
        // So does bad syntax, in a page or in the layout.
        assert!(with("signed-out", "{{#if}}").is_err());
        assert!(with("layout", "{{> @partial-block}}{{/if}}").is_err());
    }
}
