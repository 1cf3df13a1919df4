//! Build script: the built-in password blocklist, as data the dynamic loader never touches.
//!
//! The list is `assets/common-passwords/common-passwords.txt`: about 100,000 common passwords, the
//! ones the `passwords` crate ships, committed with their licence and provenance (written anew by
//! `scripts/refresh-blocklist.sh`), one a line, sorted in byte order. That crate compiles it into a
//! `&[&str]`: two words per entry, every pointer relocated by the loader at start-up, which made
//! 4.8 MiB of every process resident before the first request (issue 13). Here the list stays one
//! string of sorted, newline-ended entries, beside an array of `u32` offsets into it: plain bytes
//! in the binary's read-only data, of which only the pages a lookup touches are ever read in.
//!
//! Only files of this package are read: no other package's files, no network, no `cargo` run.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const DATA_FILE: &str = "assets/common-passwords/common-passwords.txt";

fn main() {
    version_info();
    swagger_ui();
    println!("cargo::rerun-if-changed=build.rs");
    let data =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it")).join(DATA_FILE);
    println!("cargo::rerun-if-changed={}", data.display());

    let text =
        fs::read_to_string(&data).unwrap_or_else(|e| panic!("cannot read {}: {e}", data.display()));
    assert!(
        text.ends_with('\n'),
        "{} does not end with a line break",
        data.display()
    );
    let mut offsets = String::with_capacity(text.len());
    writeln!(
        offsets,
        "/// Where each entry of `common-passwords.txt` starts (sorted, newline-ended).\n\
         pub static OFFSETS: [u32; {}] = [",
        text.lines().count()
    )
    .expect("writes to a String");
    let mut start = 0;
    let mut previous: Option<&str> = None;
    for entry in text.split_terminator('\n') {
        assert!(
            !entry.is_empty() && !entry.contains('\r'),
            "{}: an entry is empty or holds a carriage return, after {previous:?}",
            data.display()
        );
        // Byte order, as `str`'s `Ord`: the order the lookup binary-searches in.
        assert!(
            previous.is_none_or(|p| p < entry),
            "{}: {entry:?} is out of order or repeated (run scripts/refresh-blocklist.sh)",
            data.display()
        );
        let offset = u32::try_from(start).expect("the list is under 4 GiB");
        write!(offsets, "{offset},").expect("writes to a String");
        start += entry.len() + 1;
        previous = Some(entry);
    }
    offsets.push_str("];\n");
    let count = text.lines().count();
    assert!(
        count > 10_000,
        "{} has only {count} entries",
        data.display()
    );

    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    write(&out.join("common-passwords.txt"), text.as_bytes());
    write(&out.join("common-passwords.rs"), offsets.as_bytes());
}

/// What `unlatch --version` shows besides the package's version: the git revision it was built
/// from (`UNLATCH_GIT_REVISION` when set, as for a build outside a clone; else `git rev-parse`;
/// else `unknown`), and `info.version` of `openapi.yaml`, the API contract it serves.
fn version_info() {
    println!("cargo::rerun-if-changed=openapi.yaml");
    println!("cargo::rerun-if-env-changed=UNLATCH_GIT_REVISION");
    let spec = fs::read_to_string("openapi.yaml").expect("openapi.yaml is readable");
    let spec_version = spec
        .lines()
        .skip_while(|line| *line != "info:")
        .skip(1)
        .take_while(|line| line.is_empty() || line.starts_with(' '))
        .find_map(|line| line.strip_prefix("  version:"))
        .map(|v| v.trim().trim_matches('"').to_string())
        .expect("openapi.yaml has info.version");
    let revision = env::var("UNLATCH_GIT_REVISION")
        .ok()
        .filter(|r| !r.is_empty())
        .or_else(git_revision)
        .unwrap_or_else(|| "unknown".into());
    println!("cargo::rustc-env=UNLATCH_GIT_REVISION={revision}");
    println!("cargo::rustc-env=UNLATCH_SPEC_VERSION={spec_version}");
}

/// Swagger UI's files (`assets/swagger-ui/`, copied from its npm package by `make swagger-ui`)
/// as a table the binary embeds (`src/http/docs.rs`): the stylesheet, the script and the images.
fn swagger_ui() {
    let dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"))
        .join("assets/swagger-ui");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files = vec![
        "swagger-ui.css".to_string(),
        "swagger-ui-bundle.js".to_string(),
    ];
    let mut images: Vec<String> = fs::read_dir(dir.join("img"))
        .unwrap_or_else(|e| panic!("{}/img: {e} (run make swagger-ui)", dir.display()))
        .map(|entry| {
            let name = entry.expect("a directory entry").file_name();
            format!("img/{}", name.to_str().expect("a UTF-8 file name"))
        })
        .collect();
    images.sort();
    files.extend(images);
    let mut table = String::from(
        "/// Swagger UI's files by path under /docs/openapi/ (assets/swagger-ui/, from its npm package).\n\
         pub static SWAGGER_UI: &[(&str, &[u8])] = &[\n",
    );
    for file in &files {
        let path = dir.join(file);
        assert!(
            path.is_file(),
            "{} is missing (run make swagger-ui)",
            path.display()
        );
        writeln!(
            table,
            "    ({file:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .expect("writes to a String");
    }
    table.push_str("];\n");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    write(&out.join("swagger-ui.rs"), table.as_bytes());
}

/// The short revision of the clone's `HEAD`; the build script runs again when `HEAD` moves.
fn git_revision() -> Option<String> {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let revision = git(&["rev-parse", "--short=12", "HEAD"])?;
    let branch = git(&["symbolic-ref", "-q", "HEAD"]);
    let watched = [
        git(&["rev-parse", "--git-path", "HEAD"]),
        branch.and_then(|b| git(&["rev-parse", "--git-path", &b])),
        git(&["rev-parse", "--git-path", "packed-refs"]),
    ];
    for path in watched.into_iter().flatten() {
        // A path that does not exist would make Cargo run this script on every build.
        if Path::new(&path).exists() {
            println!("cargo::rerun-if-changed={path}");
        }
    }
    Some(revision)
}

fn write(path: &Path, bytes: &[u8]) {
    // Unchanged output is not rewritten, so what includes it is not rebuilt.
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return;
    }
    fs::write(path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
