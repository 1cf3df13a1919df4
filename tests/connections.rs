//! Connections that never speak: the real `unlatch` binary closes a connection that sends nothing
//! within the header timeout, and with its open files limited it keeps answering while far more
//! idle connections are held open than it has file descriptors for.
#![cfg(unix)]

mod common;

use std::os::unix::process::CommandExt as _;
use std::process::Command;
use std::time::{Duration, Instant};

use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use common::child::{Kept, Running};

const BIN: &str = env!("CARGO_BIN_EXE_unlatch");

/// A running `unlatch serve`, killed when dropped if it still runs.
struct Served {
    child: Running,
    address: String,
    /// Every line the server wrote to its log.
    log: Kept,
}

impl Served {
    /// Starts the binary on a fresh SQLite database with `env`, its open files limited to
    /// `nofile` when given; returns once it logged its address.
    fn start(dir: &std::path::Path, env: &[(&str, &str)], nofile: Option<u64>) -> Served {
        let mut cmd = Command::new(BIN);
        cmd.env_clear()
            .env(
                "DATABASE_URL",
                format!("sqlite://{}", dir.join("unlatch.db").display()),
            )
            .env("HTTP_PORT", "0")
            .env("MANAGEMENT_HTTP_PORT", "0")
            .env("BCRYPT_COST", "4")
            .env("LOG_LEVEL", "info")
            .envs(env.iter().copied())
            .arg("serve");
        if let Some(limit) = nofile {
            // SAFETY: between fork and exec only `setrlimit` runs, one system call, which is
            // async-signal-safe; nothing is allocated or locked.
            unsafe {
                cmd.pre_exec(move || {
                    setrlimit(
                        Resource::Nofile,
                        Rlimit {
                            current: Some(limit),
                            maximum: Some(limit),
                        },
                    )
                    .map_err(std::io::Error::from)
                });
            }
        }
        let served = common::child::serve(cmd, None, Duration::from_secs(20));
        Served {
            child: served.child,
            address: served.address,
            log: Kept::from(served.lines, served.later),
        }
    }

    /// Sends SIGTERM and waits (up to 10 s) for the exit status.
    fn terminate(&mut self) -> std::process::ExitStatus {
        common::child::terminate(&mut self.child, Duration::from_secs(10))
    }
}

/// Reads until the server closes the connection (EOF or reset), for at most `within`; answers
/// how long that took, or `None` if the connection was still open.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buf = [0u8; 4096];
    tokio::time::timeout(within, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return started.elapsed(),
                Ok(_) => {}
            }
        }
    })
    .await
    .ok()
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
    let dir = tempfile::tempdir().expect("dir");
    let mut server = Served::start(dir.path(), &[("HTTP_HEADER_TIMEOUT_MS", "500")], None);

    let mut silent = TcpStream::connect(&server.address).await.expect("connects");
    let closed = closed_within(&mut silent, Duration::from_millis(500 + 3_000)).await;
    let closed = closed.expect("a silent connection is closed within the header timeout + 3 s");
    println!("silent connection closed after {closed:?}");
    assert!(
        closed >= Duration::from_millis(400),
        "not before the timeout: {closed:?}"
    );

    // After a request, a connection kept alive but silent is closed too.
    let mut kept = TcpStream::connect(&server.address).await.expect("connects");
    kept.write_all(b"GET /health HTTP/1.1\r\nHost: unlatch.test\r\n\r\n")
        .await
        .expect("request sent");
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&answer).contains("GOOD") {
        let n = tokio::time::timeout(Duration::from_secs(5), kept.read(&mut buf))
            .await
            .expect("an answer")
            .expect("read");
        assert!(n > 0, "closed before answering");
        answer.extend_from_slice(&buf[..n]);
    }
    assert!(answer.starts_with(b"HTTP/1.1 200"));
    let closed = closed_within(&mut kept, Duration::from_millis(500 + 3_000)).await;
    let closed = closed.expect("an idle kept-alive connection is closed within the timeout + 3 s");
    println!("idle kept-alive connection closed after {closed:?}");
    assert!(server.terminate().success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_4096_open_files_5000_idle_connections_do_not_stop_health() {
    // The test holds 5,000 sockets itself.
    let own = getrlimit(Resource::Nofile);
    setrlimit(
        Resource::Nofile,
        Rlimit {
            current: own.maximum,
            maximum: own.maximum,
        },
    )
    .expect("raise the test's own open-file limit");
    assert!(
        own.maximum.is_none_or(|m| m >= 5_200),
        "the test needs 5,200 open files; the hard limit is {own:?}"
    );

    let dir = tempfile::tempdir().expect("dir");
    // Long timeouts: what makes room is the connection cap, not a timeout.
    let mut server = Served::start(
        dir.path(),
        &[
            ("HTTP_HEADER_TIMEOUT_MS", "600000"),
            ("HTTP_IDLE_TIMEOUT_MS", "600000"),
        ],
        Some(4_096),
    );

    let started = Instant::now();
    let mut idle = Vec::with_capacity(5_000);
    for _ in 0..5_000 {
        // A server that stopped accepting fills its backlog, and then a connection is not
        // established at all: no use trying the rest (each would wait its 2 s).
        match tokio::time::timeout(Duration::from_secs(2), TcpStream::connect(&server.address))
            .await
        {
            Ok(Ok(stream)) => idle.push(stream),
            _ => break,
        }
    }
    let opened = idle.len();
    println!(
        "opened {opened} idle connections in {:?}",
        started.elapsed()
    );

    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .expect("client");
    let asked = Instant::now();
    let reply = client
        .get(format!("http://{}/health", server.address))
        .send()
        .await;
    let took = asked.elapsed();
    println!("GET /health with 5,000 idle connections held: {took:?}");
    let reply = reply.expect("/health answers within 2 s");
    assert_eq!(reply.status(), 200);
    assert_eq!(opened, 5_000, "every connection was established");
    // Room was made by the cap (the timeouts are ten minutes long).
    let log = server.log.text();
    let cap = log
        .lines()
        .find(|l| l.contains("connection cap (HTTP_MAX_CONNECTIONS)"))
        .unwrap_or_else(|| panic!("no cap in the log:\n{log}"));
    println!("{cap}");
    assert!(log.contains("connection cap reached"), "{log}");
    let files = std::fs::read_dir(format!("/proc/{}/fd", server.child.id()))
        .map(|entries| entries.count())
        .ok();
    println!("the server has {files:?} files open");
    assert!(files.is_none_or(|n| n < 4_096), "{files:?} files open");

    // Still serving, and it still shuts down gracefully.
    drop(idle);
    assert!(server.terminate().success());
}

/// Speaks HTTP/2 (prior knowledge) on `stream` and opens no stream: sends the preface and its
/// settings, acknowledges the server's settings and pings, and reads until the server closes the
/// connection. Answers how long that took and whether a GOAWAY came first, or `None` if the
/// connection was still open after `within`.
async fn h2_idle_until_closed(
    stream: &mut TcpStream,
    within: Duration,
) -> Option<(Duration, bool)> {
    const SETTINGS: u8 = 4;
    const PING: u8 = 6;
    const GOAWAY: u8 = 7;
    const ACK: u8 = 1;
    fn frame(kind: u8, flags: u8, payload: &[u8]) -> Vec<u8> {
        let len = u32::try_from(payload.len()).expect("short").to_be_bytes();
        let mut bytes = vec![len[1], len[2], len[3], kind, flags, 0, 0, 0, 0];
        bytes.extend_from_slice(payload);
        bytes
    }
    let started = Instant::now();
    let mut hello = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec();
    hello.extend(frame(SETTINGS, 0, &[]));
    stream.write_all(&hello).await.expect("preface sent");
    let mut goaway = false;
    tokio::time::timeout(within, async {
        loop {
            let mut header = [0u8; 9];
            if stream.read_exact(&mut header).await.is_err() {
                return (started.elapsed(), goaway);
            }
            let len =
                usize::from(header[0]) << 16 | usize::from(header[1]) << 8 | usize::from(header[2]);
            let mut payload = vec![0u8; len];
            if stream.read_exact(&mut payload).await.is_err() {
                return (started.elapsed(), goaway);
            }
            let reply = match (header[3], header[4] & ACK) {
                (SETTINGS, 0) => Some(frame(SETTINGS, ACK, &[])),
                (PING, 0) => Some(frame(PING, ACK, &payload)),
                (GOAWAY, _) => {
                    goaway = true;
                    None
                }
                _ => None,
            };
            if let Some(reply) = reply {
                // The server may have closed its side already.
                let _ = stream.write_all(&reply).await;
            }
        }
    })
    .await
    .ok()
}

#[tokio::test]
async fn an_http2_connection_with_no_stream_open_is_shut_down_after_the_idle_timeout() {
    let dir = tempfile::tempdir().expect("dir");
    let mut server = Served::start(
        dir.path(),
        &[
            ("HTTP_HEADER_TIMEOUT_MS", "600000"),
            ("HTTP_IDLE_TIMEOUT_MS", "500"),
        ],
        None,
    );
    let mut idle = TcpStream::connect(&server.address).await.expect("connects");
    let closed = h2_idle_until_closed(&mut idle, Duration::from_millis(500 + 3_000)).await;
    let (after, goaway) =
        closed.expect("an idle HTTP/2 connection is closed within the idle timeout + 3 s");
    println!("idle HTTP/2 connection closed after {after:?} (GOAWAY first: {goaway})");
    assert!(goaway, "shut down gracefully, with a GOAWAY");
    assert!(
        after >= Duration::from_millis(400),
        "not before the timeout: {after:?}"
    );
    assert!(server.terminate().success());
}
