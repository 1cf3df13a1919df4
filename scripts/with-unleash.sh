#!/usr/bin/env bash
# Runs a command beside a real Unleash 8.2.0 and stops Unleash afterwards:
#   scripts/with-postgres.sh scripts/with-unleash.sh <command> [args…]
# Needs the throwaway cluster of scripts/with-postgres.sh (UNLATCH_TEST_PG_URL): makes a fresh
# database there, starts Unleash from the pinned npm package in .tools/ (installed through the
# Makefile when missing) with node, in the background, on a free port, and waits until it answers
# /health. Unleash runs as it does by default: password login on, the admin user admin/unleash4all
# it creates on an empty database, UNLEASH_SECRET unset (so its cookies are signed with
# `super-secret`) unless the caller sets it, plus an admin API token (INIT_ADMIN_API_TOKENS), its
# rate limits lifted, and mail sent by SMTP to 127.0.0.1:UNLEASH_TEST_SMTP_PORT, where nothing
# listens unless a test does (Unleash then logs a warning and carries on). With mail configured,
# Unleash's UI offers "send an email" when a user is created.
# The command sees:
#   UNLEASH_TEST_URL           http://127.0.0.1:<port>, Unleash itself
#   UNLEASH_TEST_DATABASE_URL  the postgres:// URL of its database
#   UNLEASH_TEST_ADMIN_TOKEN   an admin API token (send it as the Authorization header)
#   UNLEASH_TEST_PACKAGE       the unleash-server package directory
#   UNLEASH_TEST_SMTP_PORT     the port Unleash sends its own mail to
#   UNLEASH_TEST_LOG           Unleash's log
# Unleash's own UNLEASH_URL (the base of the links in its mails and invite links) is
# UNLEASH_TEST_URL. Its log goes to target/unleash-sidecar.log (UNLEASH_SIDECAR_LOG to change);
# UNLEASH_START_TIMEOUT (seconds, default 180) bounds the start. The command's exit status is passed
# through.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VERSION=8.2.0
PACKAGE="$ROOT/.tools/unleash-server-$VERSION/node_modules/unleash-server"
ADMIN_TOKEN='*:*.unlatch-sidecar-admin-token'
TIMEOUT="${UNLEASH_START_TIMEOUT:-180}"
LOG="${UNLEASH_SIDECAR_LOG:-target/unleash-sidecar.log}"
case "$LOG" in /*) ;; *) LOG="$ROOT/$LOG" ;; esac

if [ $# -eq 0 ]; then
  echo "usage: scripts/with-postgres.sh scripts/with-unleash.sh <command> [args…]" >&2
  exit 2
fi
if [ -z "${UNLATCH_TEST_PG_URL:-}" ]; then
  echo "with-unleash: UNLATCH_TEST_PG_URL is not set: run me under scripts/with-postgres.sh" >&2
  exit 2
fi
command -v node >/dev/null || { echo "with-unleash: Unleash needs Node.js 20+ on PATH" >&2; exit 1; }
if [ ! -f "$ROOT/.tools/unleash-server-$VERSION/.installed" ]; then
  echo "with-unleash: installing unleash-server@$VERSION into .tools/" >&2
  make -C "$ROOT" --no-print-directory ".tools/unleash-server-$VERSION/.installed" >&2
fi

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# psql of the cluster's own version when it has one (Debian puts it beside the server)
PSQL="${UNLATCH_TEST_PG_BIN:+$UNLATCH_TEST_PG_BIN/psql}"
[ -n "$PSQL" ] && [ -x "$PSQL" ] || PSQL=psql

# A database of its own, named for this run, in the throwaway cluster: the same URL with another path.
DATABASE="unleash_sidecar_$$_$(date +%s)"
PG_QUERY=
case "$UNLATCH_TEST_PG_URL" in *\?*) PG_QUERY="?${UNLATCH_TEST_PG_URL#*\?}" ;; esac
PG_BASE="${UNLATCH_TEST_PG_URL%%\?*}"
DATABASE_URL="${PG_BASE%/*}/$DATABASE$PG_QUERY"
"$PSQL" "$UNLATCH_TEST_PG_URL" -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE $DATABASE" >&2

mkdir -p "$(dirname "$LOG")"
: >"$LOG"
PID=
stop_unleash() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  PID=
}
cleanup() {
  stop_unleash
  "$PSQL" "$UNLATCH_TEST_PG_URL" -q -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
  echo "with-unleash: $1; the last lines of $LOG:" >&2
  tail -n 40 "$LOG" >&2 || true
  exit 1
}

answers() {
  node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"
}

# Unleash sees only the variables set here (nothing of the caller's DATABASE_URL, HTTP_PORT, …),
# and runs with TZ=UTC as its own `npm start` does. A port taken between the choice and the
# listen is retried with another.
SMTP_PORT="$(free_port)"
for attempt in 1 2 3; do
  PORT="$(free_port)"
  URL="http://127.0.0.1:$PORT"
  echo "== with-unleash: attempt $attempt, Unleash $VERSION on $URL, database $DATABASE" >>"$LOG"
  env -i PATH="$PATH" HOME="${HOME:-/tmp}" TZ=UTC \
    ${UNLEASH_SECRET:+UNLEASH_SECRET="$UNLEASH_SECRET"} \
    DATABASE_URL="$DATABASE_URL" DATABASE_SSL=false \
    HTTP_HOST=127.0.0.1 HTTP_PORT="$PORT" MANAGEMENT_HTTP_PORT=0 UNLEASH_URL="$URL" \
    INIT_ADMIN_API_TOKENS="$ADMIN_TOKEN" \
    EMAIL_HOST=127.0.0.1 EMAIL_PORT="$SMTP_PORT" EMAIL_SECURE=false \
    EMAIL_SENDER='Unleash <unleash@example.com>' \
    SIMPLE_LOGIN_LIMIT_PER_MINUTE=1000000 PASSWORD_RESET_LIMIT_PER_MINUTE=1000000 \
    CREATE_USER_RATE_LIMIT_PER_MINUTE=1000000 AUTHENTICATION_RATE_LIMIT_PER_MINUTE=1000000 \
    CHECK_VERSION=false SEND_TELEMETRY=false LOG_LEVEL="${UNLEASH_LOG_LEVEL:-info}" \
    node "$PACKAGE/dist/server.js" >>"$LOG" 2>&1 &
  PID=$!
  started=
  for _ in $(seq 1 $((TIMEOUT * 2))); do
    if ! kill -0 "$PID" 2>/dev/null; then break; fi
    if answers "$URL/health"; then started=1; break; fi
    sleep 0.5
  done
  [ -n "$started" ] && break
  if kill -0 "$PID" 2>/dev/null; then
    stop_unleash
    fail "Unleash did not answer $URL/health within ${TIMEOUT} s (UNLEASH_START_TIMEOUT)"
  fi
  wait "$PID" 2>/dev/null || true
  PID=
  if [ "$attempt" -lt 3 ] && grep -q EADDRINUSE "$LOG"; then continue; fi
  fail "Unleash exited before it answered $URL/health"
done

# the admin token works (INIT_ADMIN_API_TOKENS is applied during the start)
node -e '
  fetch(process.argv[1] + "/api/admin/user-admin", { headers: { Authorization: process.argv[2] } })
    .then((r) => { if (!r.ok) { console.error(`GET /api/admin/user-admin with the admin token: ${r.status}`); process.exit(1); } })
' "$URL" "$ADMIN_TOKEN" || fail "the admin API token was not accepted"

export UNLEASH_TEST_URL="$URL"
export UNLEASH_TEST_DATABASE_URL="$DATABASE_URL"
export UNLEASH_TEST_ADMIN_TOKEN="$ADMIN_TOKEN"
export UNLEASH_TEST_PACKAGE="$PACKAGE"
export UNLEASH_TEST_SMTP_PORT="$SMTP_PORT"
export UNLEASH_TEST_LOG="$LOG"
echo "with-unleash: Unleash $VERSION on $URL (database $DATABASE, log $LOG)" >&2
set +e
"$@"
status=$?
set -e
exit $status
