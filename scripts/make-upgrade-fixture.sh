#!/usr/bin/env bash
# Writes the upgrade fixtures of one schema version with the release that wrote it:
#   scripts/with-postgres.sh scripts/make-upgrade-fixture.sh <commit> <sqlite|postgres|both>
# The commit is exported with `git archive` into a scratch directory (FIXTURE_WORK, by default
# /tmp/unlatch-fixture-build, whose target/ is shared by every commit built there), built there,
# and scripts/upgrade_fixture.py runs that build's `unlatch serve` to write users, passwords,
# sessions, an open invite and reset link, queued mail and events. The results go to
# tests/fixtures/upgrade/ as sqlite-v<N>.sqlite3 and postgres-v<N>.sql (pg_dump), each with its
# .json manifest (the commit, when, and what tests/upgrade.rs must find). `current` builds the
# working tree instead of a commit.
set -euo pipefail
cd "$(dirname "$0")/.."
commit=${1:?usage: make-upgrade-fixture.sh <commit|current> <sqlite|postgres|both>}
backends=${2:-both}
work=${FIXTURE_WORK:-/tmp/unlatch-fixture-build}
mkdir -p "$work"
if [ "$commit" = current ]; then
  cargo build --quiet --bin unlatch
  bin=target/debug/unlatch
  revision=$(git rev-parse HEAD)
else
  revision=$(git rev-parse "$commit^{commit}")
  src="$work/src-${revision:0:12}"
  rm -rf "$src" && mkdir -p "$src"
  git archive "$revision" | tar -x -C "$src"
  # git archive dates every file at its commit: older than what an earlier commit built in the
  # shared target/, which cargo (whose artifacts do not depend on the source path) would then
  # take as fresh and reuse. Dated now, this commit's sources are built.
  find "$src" -exec touch {} +
  CARGO_TARGET_DIR="$work/target" cargo build --quiet --bin unlatch --manifest-path "$src/Cargo.toml"
  bin="$work/unlatch-${revision:0:12}"
  cp "$work/target/debug/unlatch" "$bin"
fi
if [ "$backends" = sqlite ] || [ "$backends" = both ]; then
  python3 scripts/upgrade_fixture.py "$bin" "$revision" sqlite tests/fixtures/upgrade
fi
if [ "$backends" = postgres ] || [ "$backends" = both ]; then
  python3 scripts/upgrade_fixture.py "$bin" "$revision" postgres tests/fixtures/upgrade
fi
