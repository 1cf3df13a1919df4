#!/usr/bin/env bash
# Regenerates the built-in blocklist's data, assets/common-passwords/, from the `passwords` crate
# (crates.io, by Magic Len, MIT): the list it ships in its package's data/common-passwords.json
# becomes common-passwords.txt, one entry a line, sorted in byte order (the order the binary
# searches in), duplicates dropped; beside it the crate's LICENSE and VERSION (which release).
#   scripts/refresh-blocklist.sh            the version Cargo.lock holds
#   scripts/refresh-blocklist.sh 3.1.20     that version: Cargo.lock is updated to it first
# A maintainer's step, not the build's: build.rs reads only the committed file. It may use the
# network (to fetch the package). Review the diff, run `cargo test -p unlatch blocklist`, commit.
set -euo pipefail
cd "$(dirname "$0")/.."
out=assets/common-passwords

locked() { sed -n '/^name = "passwords"$/{n;s/^version = "\(.*\)"$/\1/p}' Cargo.lock; }
if [ $# -gt 0 ] && [ "$1" != "$(locked)" ]; then
  # Review Cargo.lock's diff too: the resolver may move other packages with it.
  cargo update --package passwords --precise "$1"
fi
# Where Cargo keeps the locked package's files (fetched first if they are not here).
dir=$(cargo metadata --format-version 1 --locked | python3 -c '
import json, os, sys
found = [p for p in json.load(sys.stdin)["packages"] if p["name"] == "passwords"]
if len(found) != 1:
    sys.exit("refresh-blocklist: expected one locked passwords package, found %d" % len(found))
print(found[0]["version"], os.path.dirname(found[0]["manifest_path"]))
')
version=${dir%% *} dir=${dir#* }

python3 - "$dir/data/common-passwords.json" "$out/common-passwords.txt" <<'PY'
import json, sys
source, target = sys.argv[1], sys.argv[2]
with open(source, encoding="utf-8") as f:
    entries = json.load(f)
if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
    sys.exit(f"refresh-blocklist: {source} is not a JSON array of strings")
bad = [e for e in entries if not e or "\n" in e or "\r" in e]
if bad:
    sys.exit(f"refresh-blocklist: {len(bad)} entries are empty or hold a line break")
# Byte order of the UTF-8 encoding, as Rust's `str` orders (and binary-searches).
entries = sorted(set(entries), key=lambda e: e.encode("utf-8"))
with open(target, "w", encoding="utf-8", newline="\n") as f:
    f.write("".join(e + "\n" for e in entries))
print(f"refresh-blocklist: {len(entries)} entries written to {target}")
PY
cp "$dir/LICENSE" "$out/LICENSE"
printf 'passwords %s\n' "$version" > "$out/VERSION"
echo "refresh-blocklist: from passwords $version ($dir)"
