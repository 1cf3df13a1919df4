//! `DATABASE_URL`'s `sslmode` and `sslrootcert` as libpq means them, against a cluster of its own
//! with TLS on (and only TLS let in), its certificate signed by a CA made here for
//! `localhost`: `require` encrypts without checking the certificate (unless `sslrootcert` names a
//! root, then it checks it, as libpq does), `verify-ca` checks it against the root, `verify-full`
//! also checks the host name. Each case is the real binary's `unlatch migrate`, which connects as
//! `serve` does at start-up: it succeeds, or exits with an error that says why. The store's async
//! pool, which `migrate` does not use, is checked over TLS last.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use unlatch::store::{self, Location, SecretKey};

const BIN: &str = env!("CARGO_BIN_EXE_unlatch");

fn run(program: &str, args: &[&str]) {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs: {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A CA (`<name>-ca.crt`, its key beside it) in `dir`.
fn make_ca(dir: &Path, name: &str) -> PathBuf {
    let (key, crt) = (
        dir.join(format!("{name}-ca.key")),
        dir.join(format!("{name}-ca.crt")),
    );
    run(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            &format!("/CN={name} test CA"),
            "-keyout",
            key.to_str().expect("path"),
            "-out",
            crt.to_str().expect("path"),
        ],
    );
    crt
}

/// The server's key and certificate for `localhost`, signed by the CA `ca` (made by [`make_ca`]).
fn server_certificate(dir: &Path, ca: &Path) -> (PathBuf, PathBuf) {
    let (key, csr, crt) = (
        dir.join("server.key"),
        dir.join("server.csr"),
        dir.join("server.crt"),
    );
    let ext = dir.join("server.ext");
    std::fs::write(
        &ext,
        "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n",
    )
    .expect("extensions written");
    run(
        "openssl",
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            key.to_str().expect("path"),
            "-out",
            csr.to_str().expect("path"),
        ],
    );
    let ca_key = ca.with_extension("key");
    run(
        "openssl",
        &[
            "x509",
            "-req",
            "-days",
            "2",
            "-in",
            csr.to_str().expect("path"),
            "-CA",
            ca.to_str().expect("path"),
            "-CAkey",
            ca_key.to_str().expect("path"),
            "-CAcreateserial",
            "-extfile",
            ext.to_str().expect("path"),
            "-out",
            crt.to_str().expect("path"),
        ],
    );
    (key, crt)
}

/// A cluster with TLS on that lets in TLS connections only; stopped when dropped.
struct TlsCluster {
    data: PathBuf,
    port: u16,
    _dir: tempfile::TempDir,
}

impl TlsCluster {
    fn start(dir: tempfile::TempDir, key: &Path, crt: &Path) -> TlsCluster {
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        // PostgreSQL refuses a key others can read, and runs as its own user under root.
        run("chmod", &["0755", dir.path().to_str().expect("path")]);
        run("chmod", &["0600", key.to_str().expect("path")]);
        if root {
            for file in [key, crt] {
                run("chown", &["postgres", file.to_str().expect("path")]);
            }
            run("chown", &["postgres", dir.path().to_str().expect("path")]);
        }
        let data = dir.path().join("data");
        let status = common::pg::as_owner("initdb")
            .args([
                "-D",
                data.to_str().expect("path"),
                "--username=unlatch",
                "--auth=trust",
            ])
            .output()
            .expect("initdb runs");
        assert!(
            status.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&status.stderr)
        );
        // Only TLS connections are let in: a connection that succeeds was encrypted.
        let hba = data.join("pg_hba.conf");
        let hba_text = "hostssl all all 127.0.0.1/32 trust\nhostssl all all ::1/128 trust\n";
        let written = common::pg::as_owner("postgres")
            .arg("--version")
            .output()
            .is_ok();
        assert!(written, "the server's binaries run");
        let tee = if root {
            Command::new("runuser")
                .args(["-u", "postgres", "--", "tee", hba.to_str().expect("path")])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .spawn()
        } else {
            Command::new("tee")
                .arg(hba.to_str().expect("path"))
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .spawn()
        };
        let mut tee = tee.expect("tee runs");
        {
            use std::io::Write;
            tee.stdin
                .take()
                .expect("stdin")
                .write_all(hba_text.as_bytes())
                .expect("pg_hba.conf written");
        }
        assert!(tee.wait().expect("tee ends").success());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c ssl=on \
             -c ssl_cert_file={} -c ssl_key_file={}",
            dir.path().display(),
            crt.display(),
            key.display()
        );
        let log = dir.path().join("server.log");
        let started = common::pg::as_owner("pg_ctl")
            .args([
                "-D",
                data.to_str().expect("path"),
                "-l",
                log.to_str().expect("path"),
            ])
            .args(["-w", "-o", &options, "start"])
            .output()
            .expect("pg_ctl runs");
        assert!(
            started.status.success(),
            "the TLS cluster starts: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        TlsCluster {
            data,
            port,
            _dir: dir,
        }
    }

    /// `unlatch migrate` on this cluster's database `postgres`, reached as `host`, with `query`.
    fn migrate(&self, host: &str, query: &str) -> Output {
        let url = format!("postgres://unlatch@{host}:{}/postgres?{query}", self.port);
        Command::new(BIN)
            .env_clear()
            .env("DATABASE_URL", &url)
            .env("LOG_LEVEL", "warn")
            .arg("migrate")
            .output()
            .expect("unlatch runs")
    }
}

impl Drop for TlsCluster {
    fn drop(&mut self) {
        let _ = common::pg::as_owner("pg_ctl")
            .args([
                "-D",
                self.data.to_str().unwrap_or_default(),
                "-m",
                "immediate",
                "stop",
            ])
            .output();
    }
}

fn assert_connects(output: &Output, case: &str) {
    assert!(
        output.status.success(),
        "{case}: refused: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Refused at start-up, with an error that says what was wrong with the certificate.
fn assert_refused(output: &Output, case: &str, says: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{case}: connected");
    eprintln!("{case}: {}", stderr.trim());
    assert!(
        stderr.to_lowercase().contains(says),
        "{case}: the error does not say {says:?}: {stderr}"
    );
}

#[test]
fn sslmode_and_sslrootcert_are_honoured_as_libpq_means_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ca = make_ca(dir.path(), "trusted");
    let unknown = make_ca(dir.path(), "unknown");
    let (key, crt) = server_certificate(dir.path(), &ca);
    let (ca, unknown) = (ca.display().to_string(), unknown.display().to_string());
    let cluster = TlsCluster::start(dir, &key, &crt);

    // The cluster lets in nothing unencrypted.
    assert_refused(
        &cluster.migrate("127.0.0.1", "sslmode=disable"),
        "disable",
        "no pg_hba.conf entry",
    );
    // require: encrypted, the certificate not checked (no root named).
    assert_connects(&cluster.migrate("127.0.0.1", "sslmode=require"), "require");
    assert_connects(&cluster.migrate("127.0.0.1", "sslmode=prefer"), "prefer");
    // require with a root named checks the certificate against it, as libpq does.
    assert_connects(
        &cluster.migrate("127.0.0.1", &format!("sslmode=require&sslrootcert={ca}")),
        "require, the right root",
    );
    assert_refused(
        &cluster.migrate(
            "127.0.0.1",
            &format!("sslmode=require&sslrootcert={unknown}"),
        ),
        "require, an unknown root",
        "certificate",
    );
    // verify-ca: the chain is checked, the host name is not.
    assert_connects(
        &cluster.migrate("127.0.0.1", &format!("sslmode=verify-ca&sslrootcert={ca}")),
        "verify-ca",
    );
    assert_refused(
        &cluster.migrate(
            "localhost",
            &format!("sslmode=verify-ca&sslrootcert={unknown}"),
        ),
        "verify-ca, an unknown CA",
        "certificate",
    );
    // verify-full: the chain and the host name.
    assert_connects(
        &cluster.migrate(
            "localhost",
            &format!("sslmode=verify-full&sslrootcert={ca}"),
        ),
        "verify-full, the right host name",
    );
    assert_refused(
        &cluster.migrate(
            "127.0.0.1",
            &format!("sslmode=verify-full&sslrootcert={ca}"),
        ),
        "verify-full, a wrong host name",
        "certificate",
    );
    // Another name for the same address (libpq's hostaddr): the certificate is not for it.
    assert_refused(
        &cluster.migrate(
            "db.example.invalid",
            &format!("hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert={ca}"),
        ),
        "verify-full, another host name",
        "hostname mismatch",
    );
    assert_refused(
        &cluster.migrate(
            "localhost",
            &format!("sslmode=verify-full&sslrootcert={unknown}"),
        ),
        "verify-full, an unknown CA",
        "certificate",
    );
    // A root that cannot be read is named in the error.
    assert_refused(
        &cluster.migrate(
            "localhost",
            "sslmode=verify-full&sslrootcert=/nonexistent/root.crt",
        ),
        "verify-full, a missing root file",
        "/nonexistent/root.crt",
    );

    // The lookups that run on the store's async pool (a token, a session) connect as its
    // blocking pool does: the cluster lets in nothing unencrypted, so an answer came over TLS,
    // with the certificate and the host name checked.
    let url = format!(
        "postgres://unlatch@localhost:{}/postgres?sslmode=verify-full&sslrootcert={ca}",
        cluster.port
    );
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let store = store::open(&Location::Postgres(url), 2)
            .await
            .expect("the store opens over TLS");
        let token = store.token(SecretKey::of("no such token")).await;
        assert!(token.expect("a token looked up over TLS").is_none());
        let session = store.session(SecretKey::of("no such session")).await;
        assert!(session.expect("a session looked up over TLS").is_none());
    });
}
