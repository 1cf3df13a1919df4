//! The throwaway PostgreSQL cluster that `scripts/with-postgres.sh` (run by `make test`) starts:
//! a fresh database per test service, and the cluster's own controls for outage tests.

use std::process::Command;

/// The cluster's superuser URL; tests that need PostgreSQL fail (never skip) without it.
pub fn admin_url() -> String {
    std::env::var("UNLATCH_TEST_PG_URL").unwrap_or_else(|_| {
        panic!(
            "UNLATCH_TEST_PG_URL is not set: run the tests with `make test`, or wrap the command in \
             scripts/with-postgres.sh, which starts a throwaway PostgreSQL"
        )
    })
}

/// Does the HTTP suite run on PostgreSQL (`UNLATCH_TEST_BACKEND=postgres`)?
pub fn enabled() -> bool {
    std::env::var("UNLATCH_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

/// Runs `f` on a thread of its own: the synchronous client must not run inside the test's
/// runtime.
fn off_runtime<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::spawn(f)
        .join()
        .expect("postgres helper thread")
}

/// Creates an empty database and answers its URL.
pub fn fresh_database() -> String {
    let admin = admin_url();
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let create = name.clone();
    let admin_for_thread = admin.clone();
    off_runtime(move || {
        let mut client = postgres::Client::connect(&admin_for_thread, postgres::NoTls)
            .expect("connect to the test cluster");
        client
            .batch_execute(&format!("CREATE DATABASE {create}"))
            .expect("create a test database");
    });
    admin.replacen("/postgres?", &format!("/{name}?"), 1)
}

/// A database of its own with Unleash 8.2.0's schema as Unleash itself migrated it: a copy of the
/// database of the Unleash that `scripts/with-unleash.sh` runs (`UNLEASH_TEST_DATABASE_URL`),
/// without Unlatch's schema `unlatch` and without the users anyone made there (the rows Unleash's
/// own migrations made, its system users among them, stay), so that a test starts from no user as
/// on the other backends. The first call copies it (with the cluster's own `pg_dump` and `psql`)
/// into a template; each call answers a new database made from that template. Tests that need it
/// fail (never skip) without Unleash. The copy is dropped with the answer.
pub fn unleash_database() -> UnleashCopy {
    static TEMPLATE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let template = TEMPLATE.get_or_init(unleash_template);
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let admin = admin_url();
    let (create, admin_for_thread) = (
        format!("CREATE DATABASE {name} TEMPLATE {template}"),
        admin.clone(),
    );
    off_runtime(move || {
        let mut client = postgres::Client::connect(&admin_for_thread, postgres::NoTls)
            .expect("connect to the test cluster");
        client
            .batch_execute(&create)
            .expect("a copy of Unleash's database");
    });
    UnleashCopy {
        url: admin.replacen("/postgres?", &format!("/{name}?"), 1),
        name,
    }
}

/// A copy of Unleash's database (see [`unleash_database`]), dropped with this.
pub struct UnleashCopy {
    pub url: String,
    name: String,
}

impl Drop for UnleashCopy {
    fn drop(&mut self) {
        let (admin, drop) = (
            admin_url(),
            format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
        off_runtime(move || {
            if let Ok(mut client) = postgres::Client::connect(&admin, postgres::NoTls) {
                // Best effort: the throwaway cluster goes anyway.
                let _ = client.batch_execute(&drop);
            }
        });
    }
}

/// Copies Unleash's database into a new one, as [`unleash_database`] says, and answers its name.
fn unleash_template() -> String {
    let unleash = std::env::var("UNLEASH_TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "UNLEASH_TEST_DATABASE_URL is not set: run the tests with `make test`, or wrap the \
             command in scripts/with-postgres.sh scripts/with-unleash.sh, which start a real Unleash"
        )
    });
    let bin = std::env::var("UNLATCH_TEST_PG_BIN").expect("UNLATCH_TEST_PG_BIN");
    let name = format!("unleash_template_{}", uuid::Uuid::new_v4().simple());
    let admin = admin_url();
    let url = admin.replacen("/postgres?", &format!("/{name}?"), 1);
    let psql = format!("{bin}/psql");
    let status = Command::new(&psql)
        .args(["-q", "-v", "ON_ERROR_STOP=1", &admin, "-c"])
        .arg(format!("CREATE DATABASE {name}"))
        .status()
        .expect("psql runs");
    assert!(status.success(), "the template database is created");
    let dump = Command::new(format!("{bin}/pg_dump"))
        .args([
            "--no-owner",
            "--no-privileges",
            "--exclude-schema=unlatch",
            &unleash,
        ])
        .output()
        .expect("pg_dump runs");
    assert!(
        dump.status.success(),
        "pg_dump of Unleash's database: {}",
        String::from_utf8_lossy(&dump.stderr)
    );
    let mut restore = Command::new(&psql)
        .args(["-q", "-v", "ON_ERROR_STOP=1", "-o", "/dev/null", &url])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("psql runs");
    {
        use std::io::Write as _;
        let mut input = restore.stdin.take().expect("psql's input");
        input
            .write_all(&dump.stdout)
            .expect("the dump reaches psql");
    }
    assert!(
        restore.wait().expect("psql ends").success(),
        "Unleash's database is copied"
    );
    // Users have positive ids; Unleash's system users (negative ids) are its migrations'.
    execute(
        &url,
        "DELETE FROM public.users WHERE id > 0; TRUNCATE public.unleash_session",
    );
    name
}

/// Runs one SQL statement on the database at `url`.
pub fn execute(url: &str, sql: &str) {
    let (url, sql) = (url.to_string(), sql.to_string());
    off_runtime(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
        client.batch_execute(&sql).expect("statement runs");
    });
}

/// The number a `SELECT count(*) …` answers on the database at `url`.
pub fn count(url: &str, sql: &str) -> i64 {
    let (url, sql) = (url.to_string(), sql.to_string());
    off_runtime(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
        client.query_one(&sql, &[]).expect("a count").get(0)
    })
}

/// Every row of every table of the database at `url`, as text.
pub fn dump(url: &str) -> String {
    let url = url.to_string();
    off_runtime(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
        let tables: Vec<String> = client
            .query(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
                &[],
            )
            .expect("tables")
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut text = String::new();
        for table in tables {
            for row in client
                .query(&format!("SELECT row_to_json(t)::text FROM {table} t"), &[])
                .expect("rows")
            {
                text.push_str(row.get::<_, &str>(0));
                text.push('\n');
            }
        }
        text
    })
}

pub fn as_owner(program: &str) -> Command {
    let bin = std::env::var("UNLATCH_TEST_PG_BIN").expect("UNLATCH_TEST_PG_BIN");
    let path = format!("{bin}/{program}");
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if root {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--", &path]);
        cmd
    } else {
        Command::new(path)
    }
}

/// Stops the whole cluster at once (as a crash or a lost network would).
pub fn stop_cluster() {
    let data = std::env::var("UNLATCH_TEST_PG_DATA").expect("UNLATCH_TEST_PG_DATA");
    let status = as_owner("pg_ctl")
        .args(["-D", &data, "-m", "immediate", "-w", "stop"])
        .status()
        .expect("pg_ctl runs");
    assert!(status.success(), "the cluster stops");
}

/// Starts the cluster again, as `scripts/with-postgres.sh` first started it.
pub fn start_cluster() {
    let data = std::env::var("UNLATCH_TEST_PG_DATA").expect("UNLATCH_TEST_PG_DATA");
    let options = std::env::var("UNLATCH_TEST_PG_OPTIONS").expect("UNLATCH_TEST_PG_OPTIONS");
    let log = std::env::var("UNLATCH_TEST_PG_LOG").expect("UNLATCH_TEST_PG_LOG");
    let status = as_owner("pg_ctl")
        .args(["-D", &data, "-l", &log, "-w", "-o", &options, "start"])
        .status()
        .expect("pg_ctl runs");
    assert!(status.success(), "the cluster starts");
}
