//! `barehyper [PORT] [--unlatch-headers]`: serves `{"health":"GOOD"}` to every request on
//! 127.0.0.1, with the same connection builder Unlatch uses (hyper-util's `auto`: HTTP/1.1 and
//! HTTP/2) and a multi-thread tokio runtime. It prints the bound port on its first line (0 picks a
//! free one). With `--unlatch-headers` every answer also carries the headers Unlatch adds to each
//! of its own (a request id of the same length, `cache-control`, `x-content-type-options`,
//! `referrer-policy`), so that its answer to `/health` is as long as Unlatch's: wrk, on the same
//! cores, spends more on a longer answer, and this ceiling leaves that cost out of the share.

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;

const BODY: &[u8] = br#"{"health":"GOOD"}"#;

async fn answer(
    _request: Request<hyper::body::Incoming>,
    unlatch_headers: bool,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let mut response = Response::new(Full::new(Bytes::from_static(BODY)));
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    if unlatch_headers {
        headers.insert(
            "x-request-id",
            HeaderValue::from_static("0206a538-1995-4653-aee0-968a60133b9f"),
        );
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
        headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    }
    Ok(response)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    let unlatch_headers = std::env::args().nth(2).as_deref() == Some("--unlatch-headers");
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    println!("{}", listener.local_addr()?.port());
    loop {
        let (stream, _) = listener.accept().await?;
        tokio::spawn(async move {
            let _ = auto::Builder::new(TokioExecutor::new())
                .serve_connection(
                    TokioIo::new(stream),
                    service_fn(move |request| answer(request, unlatch_headers)),
                )
                .await;
        });
    }
}
