#!/usr/bin/env bash
# make contract: schemathesis, from openapi.yaml, against a live Unlatch on a temporary database:
# SQLite, or with CONTRACT_BACKEND=postgres (under scripts/with-postgres.sh) a fresh PostgreSQL
# database. Fails on any 5xx, any answer that contradicts the spec, or a crash.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${UNLATCH_BIN:-target/debug/unlatch}
ST=${SCHEMATHESIS:-.tools/venv/bin/schemathesis}
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
TOKEN='*:*.contract-admin-token'

DB="sqlite://$WORK/unlatch.db"
if [ "${CONTRACT_BACKEND:-sqlite}" = postgres ]; then
  [ -n "${UNLATCH_TEST_PG_URL:-}" ] || { echo "contract: run under scripts/with-postgres.sh" >&2; exit 1; }
  NAME="contract_$(date +%s%N)"
  psql -q "$UNLATCH_TEST_PG_URL" -c "CREATE DATABASE $NAME" >/dev/null
  DB="${UNLATCH_TEST_PG_URL/\/postgres\?//$NAME?}"
fi
echo "contract: against $(cut -d: -f1 <<<"$DB")" >&2

HTTP_PORT=$PORT MANAGEMENT_HTTP_PORT=0 DATABASE_URL="$DB" BCRYPT_COST=4 LOG_LEVEL=warn \
  INIT_ADMIN_API_TOKENS="$TOKEN" UNLEASH_DEFAULT_ADMIN_PASSWORD='Contract-Adm1n!' \
  SIMPLE_LOGIN_LIMIT_PER_MINUTE=0 PASSWORD_RESET_LIMIT_PER_MINUTE=0 \
  CREATE_USER_RATE_LIMIT_PER_MINUTE=0 ACCOUNT_FAILURE_LIMIT=0 HASH_QUEUE=1024 \
  "$BIN" serve > "$WORK/server.log" 2>&1 &
SERVER=$!
cleanup() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  cp "$WORK/server.log" target/contract-server.log 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.1
done

run_st() {
  local config=$1
  shift
  "$ST" --no-color --config-file "$config" run openapi.yaml \
    --url "http://127.0.0.1:$PORT" \
    --max-examples "${CONTRACT_EXAMPLES:-40}" \
    --workers 2 \
    --seed "${CONTRACT_SEED:-20261122}" "$@"
}

# Pass 1: what a logged-in person uses, with a session cookie (taken first: pass 2 may change or
# delete any user, the admin included).
SESSION=$(curl -fsS -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"Contract-Adm1n!"}' "http://127.0.0.1:$PORT/auth/simple/login" \
  | sed -n 's/^[Ss]et-[Cc]ookie: unleash-session=\([^;]*\).*/\1/p' | tr -d '\r')
[ -n "$SESSION" ] || { echo "contract: could not log in" >&2; exit 1; }
export UNLATCH_CONTRACT_SESSION="$SESSION"
run_st scripts/schemathesis-session.toml --include-operation-id getMe \
  --include-operation-id getProfile --include-operation-id changeMyPassword \
  --include-operation-id getMySessions --include-operation-id endMySession \
  --include-operation-id endMyOtherSessions

# Pass 2: every operation but log-out, with the admin API token.
UNLATCH_CONTRACT_TOKEN="$TOKEN" run_st scripts/schemathesis.toml --exclude-operation-id logout

# Pass 3: log-out, alone and last (it ends every session of the user).
run_st scripts/schemathesis-session.toml --include-operation-id logout

# The server must still be up: no crash under the run.
kill -0 "$SERVER" 2>/dev/null || { echo "unlatch died during the contract run" >&2; exit 1; }
