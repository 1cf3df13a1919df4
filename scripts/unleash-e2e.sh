#!/usr/bin/env bash
# Unleash 8.2.0's own end-to-end tests of the password API, twice (make unleash-e2e):
#   scripts/with-postgres.sh scripts/unleash-e2e.sh
# 1. the control: the three files unpatched, against Unleash itself (in process, as Unleash runs
#    them), on the pinned npm package in .tools/unleash-e2e-8.2.0/node_modules/unleash-server;
# 2. Unlatch: the same files on a copy of that package whose test helpers are patched
#    (unleash-e2e/test-helper.patch + unleash-e2e/unlatch-beside.js) so that the requests of
#    openapi.yaml's operations go to a real `unlatch serve` beside Unleash on each test's own
#    database, everything else still to Unleash in process.
# Then unleash-e2e/summary.mjs compares both runs with unleash-e2e/deliberate-differences.json and
# fails unless the control passes every test and Unlatch passes every test but the ones named
# there (each printed with its reason, and counted).
# Needs UNLATCH_TEST_PG_URL (scripts/with-postgres.sh): Unleash's global set-up makes its template
# database there and drops the test databases of earlier runs, so the two runs go one after the
# other on a cluster of their own. Logs and results go to target/unleash-e2e/.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VERSION=8.2.0
E2E="$ROOT/.tools/unleash-e2e-$VERSION"
PRISTINE="$E2E/node_modules/unleash-server"
PATCHED="$E2E/patched/unleash-server"
OUT="$ROOT/target/unleash-e2e"
BIN="${UNLATCH_BIN:-$ROOT/target/debug/unlatch}"
PY="${PYTHON:-$ROOT/.tools/venv/bin/python}"

if [ -z "${UNLATCH_TEST_PG_URL:-}" ]; then
  echo "unleash-e2e: UNLATCH_TEST_PG_URL is not set: run me under scripts/with-postgres.sh" >&2
  exit 2
fi
[ -d "$PRISTINE/dist/test/e2e" ] || { echo "unleash-e2e: $PRISTINE is missing: make unleash-e2e installs it" >&2; exit 1; }
[ -x "$BIN" ] || { echo "unleash-e2e: $BIN is missing: cargo build --bin unlatch" >&2; exit 1; }

rm -rf "$OUT" "$E2E/patched"
mkdir -p "$OUT/logs" "$E2E/patched"

# The two files Unleash's test app reads that the npm package leaves out of its tests: the page
# and icon its test configuration serves as the UI (publicFolder dist/test/examples/; no test reads
# them). Fixtures, not test code: both runs get the ones of the UI build the package ships.
for file in index.html favicon.ico; do
  [ -f "$PRISTINE/dist/test/examples/$file" ] ||
    cp "$PRISTINE/frontend/build/$file" "$PRISTINE/dist/test/examples/$file"
done

# The patched copy: beside the pristine one, so that it finds the same dependencies.
cp -a "$PRISTINE" "$PATCHED"
patch --quiet --forward -p1 -d "$PATCHED" <"$ROOT/unleash-e2e/test-helper.patch"
cp "$ROOT/unleash-e2e/unlatch-beside.js" "$PATCHED/dist/test/e2e/helpers/unlatch-beside.js"
"$PY" -c 'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2], "w"))' \
  "$ROOT/openapi.yaml" "$OUT/openapi.json"

# Unleash's tests read the cluster from TEST_DATABASE_URL (without libpq's query parameters).
export TEST_DATABASE_URL="${UNLATCH_TEST_PG_URL%%\?*}"
export TZ=UTC

run() {
  local name="$1" package="$2"
  echo "== unleash-e2e: $name ($package)"
  local status=0
  (cd "$package" && UNLEASH_E2E_RESULTS="$OUT/$name.json" \
    "$E2E/node_modules/.bin/vitest" run --config "$ROOT/unleash-e2e/vitest.config.mjs" \
    >"$OUT/$name.log" 2>&1) || status=$?
  tail -n 8 "$OUT/$name.log"
  [ -s "$OUT/$name.json" ] || { echo "unleash-e2e: $name gave no results (exit $status); see $OUT/$name.log" >&2; exit 1; }
}

# Every Unlatch the patched helpers started and that is still running once vitest is done.
stop_unlatches() {
  local pid
  [ -f "$OUT/logs/pids.txt" ] || return 0
  while read -r pid; do
    # Only if that id is still one of ours (an id is reused once its process is gone).
    if { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF "$BIN serve"; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done <"$OUT/logs/pids.txt"
}
trap stop_unlatches EXIT

started=$(date +%s)
run control "$PRISTINE"
UNLATCH_BIN="$BIN" UNLATCH_E2E_OPENAPI_JSON="$OUT/openapi.json" UNLATCH_E2E_LOG_DIR="$OUT/logs" \
  run unlatch "$PATCHED"
node "$ROOT/unleash-e2e/summary.mjs" "$OUT/control.json" "$OUT/unlatch.json" \
  "$ROOT/unleash-e2e/deliberate-differences.json" "$OUT/logs/forwarded.txt"
echo "unleash-e2e: both runs took $(($(date +%s) - started)) s; logs in $OUT"
