//! Build script: the built-in password blocklist, as data the dynamic loader never touches.
//!
//! The list is the one the `passwords` crate ships (about 100,000 common passwords, a JSON array
//! in its package's `data/` directory). That crate compiles it into a `&[&str]`: two words per
//! entry, every pointer relocated by the loader at start-up, which made 4.8 MiB of every
//! process resident before the first request (issue 13). Here the same list becomes one string
//! of sorted, newline-ended entries and an array of `u32` offsets into it: plain bytes in the
//! binary's read-only data, of which only the pages a lookup touches are ever read in.
//!
//! The crate is a build dependency only; its package directory comes from `cargo metadata`
//! (the way Cargo tells where a dependency's files are), run `--locked`: it never changes
//! `Cargo.lock`. It reads every locked package's manifest, so on a fresh machine it may first
//! fetch the packages this build does not compile (dev-dependencies), as `cargo fetch` would.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const PACKAGE: &str = "passwords";
const DATA_FILE: &str = "data/common-passwords.json";

fn main() {
    version_info();
    swagger_ui();
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.lock");
    let data = data_file();
    println!("cargo::rerun-if-changed={}", data.display());

    let text =
        fs::read_to_string(&data).unwrap_or_else(|e| panic!("cannot read {}: {e}", data.display()));
    let mut entries: Vec<String> = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not a JSON array of strings: {e}", data.display()));
    // Byte order, as `str`'s `Ord`: the order the lookup binary-searches in.
    entries.sort_unstable();
    entries.dedup();
    assert!(
        entries.len() > 10_000,
        "{} has only {} entries",
        data.display(),
        entries.len()
    );

    let mut joined = String::with_capacity(text.len());
    let mut offsets = String::with_capacity(entries.len() * 8);
    writeln!(
        offsets,
        "/// Where each entry of `common-passwords.txt` starts (sorted, newline-ended).\n\
         pub static OFFSETS: [u32; {}] = [",
        entries.len()
    )
    .expect("writes to a String");
    for entry in &entries {
        assert!(
            !entry.contains('\n'),
            "an entry of {} holds a line break",
            data.display()
        );
        let start = u32::try_from(joined.len()).expect("the list is under 4 GiB");
        write!(offsets, "{start},").expect("writes to a String");
        joined.push_str(entry);
        joined.push('\n');
    }
    offsets.push_str("];\n");

    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    write(&out.join("common-passwords.txt"), joined.as_bytes());
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

/// The `passwords` package's data file, wherever Cargo keeps the package's sources.
fn data_file() -> PathBuf {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join("Cargo.toml");
    let output = Command::new(&cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--manifest-path",
        ])
        .arg(&manifest)
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo metadata: {e}"));
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let package_manifest = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == PACKAGE)
        .and_then(|p| p["manifest_path"].as_str())
        .unwrap_or_else(|| panic!("the {PACKAGE} package is not among the dependencies"));
    Path::new(package_manifest)
        .parent()
        .expect("a manifest path has a parent directory")
        .join(DATA_FILE)
}

fn write(path: &Path, bytes: &[u8]) {
    // Unchanged output is not rewritten, so what includes it is not rebuilt.
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return;
    }
    fs::write(path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
