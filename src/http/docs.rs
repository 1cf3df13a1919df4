//! The API docs where Unleash keeps its own: the browsable page at `/docs/openapi/` (Swagger UI
//! over `GET /docs/openapi.json`, this service's own contract). Swagger UI comes from its npm
//! package, `swagger-ui-dist`, copied into `assets/swagger-ui/` by `make swagger-ui` and built
//! into the binary by `build.rs`; the page's own files are `assets/docs/`. Nothing is loaded
//! from elsewhere and nothing is inline, so every file carries the pages'
//! [`CONTENT_SECURITY_POLICY`]. `/docs/openapi` (no slash) is sent to the page, as Unleash
//! does. Served on the main port, whether or not `PAGES` is on.

use std::collections::HashMap;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CONTENT_SECURITY_POLICY as CSP, CONTENT_TYPE, LOCATION};
use hyper::{Method, Response, StatusCode};

use crate::http::pages::CONTENT_SECURITY_POLICY;

include!(concat!(env!("OUT_DIR"), "/swagger-ui.rs"));

/// Where the page lives.
pub const PAGE: &str = "/docs/openapi/";

/// The page's own files, by path under [`PAGE`] (`""`: the page itself).
const OWN: [(&str, &[u8]); 4] = [
    ("", include_bytes!("../../assets/docs/index.html")),
    ("docs.js", include_bytes!("../../assets/docs/docs.js")),
    ("docs.css", include_bytes!("../../assets/docs/docs.css")),
    ("favicon.svg", include_bytes!("../../assets/favicon.svg")),
];

struct File {
    content_type: &'static str,
    body: Bytes,
}

pub struct Docs {
    files: HashMap<&'static str, File>,
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map_or("", |(_, ext)| ext) {
        "" | "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" => "image/jpeg",
        "gif" => "image/gif",
        _ => "application/octet-stream",
    }
}

impl Default for Docs {
    fn default() -> Self {
        let files = OWN
            .iter()
            .chain(SWAGGER_UI.iter())
            .map(|(path, body)| {
                (
                    *path,
                    File {
                        content_type: content_type(path),
                        body: Bytes::from_static(body),
                    },
                )
            })
            .collect();
        Docs { files }
    }
}

impl Docs {
    /// The answer for `path`, or `None` when it is not one of the docs' files.
    pub fn handle(&self, method: &Method, path: &str) -> Option<Response<Full<Bytes>>> {
        if method != Method::GET && method != Method::HEAD {
            return None;
        }
        if path == PAGE.trim_end_matches('/') {
            let mut response = Response::new(Full::new(Bytes::new()));
            *response.status_mut() = StatusCode::MOVED_PERMANENTLY;
            response
                .headers_mut()
                .insert(LOCATION, HeaderValue::from_static(PAGE));
            return Some(response);
        }
        let file = self.files.get(path.strip_prefix(PAGE)?)?;
        let mut response = Response::new(Full::new(file.body.clone()));
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(file.content_type));
        headers.insert(CSP, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
        Some(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_its_files_and_nothing_else() {
        let docs = Docs::default();
        let page = docs
            .handle(&Method::GET, "/docs/openapi/")
            .expect("the page");
        assert_eq!(page.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
        assert_eq!(page.headers()[CSP], CONTENT_SECURITY_POLICY);
        for file in [
            "swagger-ui.css",
            "swagger-ui-bundle.js",
            "docs.js",
            "docs.css",
        ] {
            let path = format!("{PAGE}{file}");
            assert!(docs.handle(&Method::GET, &path).is_some(), "{path}");
        }
        let images: Vec<&&str> = docs
            .files
            .keys()
            .filter(|k| k.starts_with("img/"))
            .collect();
        assert!(!images.is_empty(), "the stylesheet's images are files");
        let redirect = docs
            .handle(&Method::GET, "/docs/openapi")
            .expect("a redirect");
        assert_eq!(redirect.status(), StatusCode::MOVED_PERMANENTLY);
        assert_eq!(redirect.headers()[LOCATION], PAGE);
        for other in [
            "/docs/openapi.json",
            "/docs/openapi.yaml",
            "/docs/openapi/x.js",
            "/docs/",
        ] {
            assert!(docs.handle(&Method::GET, other).is_none(), "{other}");
        }
        assert!(docs.handle(&Method::POST, PAGE).is_none());
    }

    #[test]
    fn the_stylesheet_needs_no_data_urls() {
        let css = SWAGGER_UI
            .iter()
            .find(|(path, _)| *path == "swagger-ui.css")
            .expect("the stylesheet");
        let text = std::str::from_utf8(css.1).expect("UTF-8");
        assert!(!text.contains("data:"), "img-src 'self' would block it");
    }
}
