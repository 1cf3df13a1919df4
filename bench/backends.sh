#!/usr/bin/env bash
# `make bench`, second part: the storage backends side by side. Runs the same three scenarios
# (token validation, log-in, reset e-mail) against one instance on SQLite, one on PostgreSQL and
# two on one PostgreSQL database (one wrk per instance, at the same time; no load balancer in
# between), and writes target/bench/backends.md; after each PostgreSQL token validation, pgbench's
# read-only figure on the same cluster with as many clients. Run beside a throwaway PostgreSQL:
#   scripts/with-postgres.sh bench/backends.sh
# Knobs (environment): BENCH_DURATION (s, 8), BENCH_HASH_DURATION (s, 10), BENCH_CONNECTIONS (64),
# BENCH_HASH_CONNECTIONS (32), BENCH_LOGIN_USERS (100), BENCH_RESET_TOKENS (20), BENCH_BACKENDS
# (which of "sqlite postgres postgres2" to measure; all three).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
BIN=${UNLATCH_BIN:-$ROOT/target/release/unlatch}
OUT=$ROOT/target/bench
DURATION=${BENCH_DURATION:-8}
HASH_DURATION=${BENCH_HASH_DURATION:-10}
CONNS=${BENCH_CONNECTIONS:-64}
HASH_CONNS=${BENCH_HASH_CONNECTIONS:-32}
N_LOGIN=${BENCH_LOGIN_USERS:-100}
N_RESET=${BENCH_RESET_TOKENS:-20}
ADMIN_TOKEN='*:*.bench-admin'
USER_PASSWORD='Bench-User-Passw0rd!42'

[ -x "$BIN" ] || { echo "backends: $BIN is missing; run 'make bench'" >&2; exit 1; }
[ -n "${UNLATCH_TEST_PG_URL:-}" ] || { echo "backends: run me under scripts/with-postgres.sh" >&2; exit 1; }
mkdir -p "$OUT"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/unlatch-backends.XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 0.5
  rm -rf "$TMP"
}
trap cleanup EXIT
log() { echo "backends: $*" >&2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start DATABASE_URL: one instance; prints its URL.
start() {
  local port url
  port=$(free_port)
  url=http://127.0.0.1:$port
  HTTP_HOST=127.0.0.1 HTTP_PORT=$port MANAGEMENT_HTTP_PORT=0 UNLEASH_URL=$url DATABASE_URL=$1 LOG_LEVEL=warn \
    BCRYPT_COST=10 INIT_ADMIN_API_TOKENS=$ADMIN_TOKEN UNLEASH_DEFAULT_ADMIN_PASSWORD='Bench-Admin-Passw0rd!7' \
    SIMPLE_LOGIN_LIMIT_PER_MINUTE=0 PASSWORD_RESET_LIMIT_PER_MINUTE=0 \
    CREATE_USER_RATE_LIMIT_PER_MINUTE=0 ACCOUNT_FAILURE_LIMIT=0 \
    python3 "$BENCH/start.py" "$port" "$TMP/pid" "$OUT/backends-server.log" -- "$BIN" serve >/dev/null
  PIDS+=("$(cat "$TMP/pid")")
  echo "$url"
}

stop_all() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  done
  PIDS=()
}

# run NAME LUA PATH SECONDS CONNS URL...: one wrk per URL at once, the connections split between
# them; prints "rps p99_ms non2xx" (summed, the worst p99).
run() {
  local name=$1 lua=$2 path=$3 seconds=$4 conns=$5
  shift 5
  local n=$# i=0 files=()
  for url in "$@"; do
    i=$((i + 1))
    wrk -t1 -c"$((conns / n))" -d"${seconds}s" --timeout 10s --latency -s "$BENCH/lua/$lua" \
      "$url$path" > "$TMP/wrk-$name-$i.txt" 2>&1 &
    files+=("$TMP/wrk-$name-$i.txt")
  done
  wait
  for f in "${files[@]}"; do grep '^BENCH ' "$f" | tail -n 1; done | awk '
    { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      rps += v["rps"]; bad += v["non2xx"] + v["sock_err"]; if (v["p99_ms"] > p99) p99 = v["p99_ms"] }
    END { printf "%.0f %.2f %d\n", rps, p99, bad }'
}

export BENCH_LUA=$BENCH/lua BENCH_THREADS=1
RESULTS=$TMP/results.txt
PGBENCH=$TMP/pgbench.txt
: > "$RESULTS"
: > "$PGBENCH"

# PostgreSQL's own figure for what token validation asks of it (one primary-key lookup): pgbench's
# read-only script, each statement prepared once per connection, with as many clients as wrk has
# connections, on a database of its own in the same cluster; run right after each PostgreSQL
# token-validation scenario, so that both see the same machine (others' load swings here).
pgbench_tps() {
  pgbench -S -M prepared -n -c "$CONNS" -j 2 -T "$DURATION" "$PGBENCH_DB" 2>/dev/null |
    awk '/^tps = / { printf "%.0f\n", $3 }'
}

# setup LABEL DATABASE_URL INSTANCES
measure() {
  local label=$1 db=$2 count=$3 urls=() line
  for _ in $(seq "$count"); do urls+=("$(start "$db")"); done
  log "$label: seeding through ${urls[0]}"
  python3 "$BENCH/seed.py" "${urls[0]}" "$ADMIN_TOKEN" "$TMP" "$N_LOGIN" "$N_RESET" "$USER_PASSWORD" >&2
  local token
  token=$(cat "$TMP/validate_token.txt")
  line=$(run "$label-token" get.lua "/auth/reset/validate?token=$token" "$DURATION" "$CONNS" "${urls[@]}")
  echo "$label|token validation|$line" >> "$RESULTS"; log "$label token: $line"
  if [[ "$db" == postgres* ]]; then
    local tps
    tps=$(pgbench_tps)
    echo "$label|${line%% *}|$tps" >> "$PGBENCH"; log "$label pgbench: $tps tps"
  fi
  line=$(BENCH_USERS=$TMP/login_users.txt BENCH_PASSWORD=$USER_PASSWORD \
    run "$label-login" login.lua /auth/simple/login "$HASH_DURATION" "$HASH_CONNS" "${urls[@]}")
  echo "$label|log-in|$line" >> "$RESULTS"; log "$label login: $line"
  sleep 2
  line=$(BENCH_EMAILS=$TMP/login_users.txt \
    run "$label-email" password_email.lua /auth/reset/password-email "$DURATION" "$CONNS" "${urls[@]}")
  echo "$label|reset e-mail|$line" >> "$RESULTS"; log "$label email: $line"
  stop_all
}

new_pg_database() {
  local name
  name="bench_$(date +%s%N)"
  psql -q "$UNLATCH_TEST_PG_URL" -c "CREATE DATABASE $name" >/dev/null
  echo "${UNLATCH_TEST_PG_URL/\/postgres\?//$name?}"
}

PGBENCH_DB=$(new_pg_database)
pgbench -q -i -s 10 "$PGBENCH_DB" >/dev/null 2>&1
BACKENDS=" ${BENCH_BACKENDS:-sqlite postgres postgres2} "
[[ "$BACKENDS" == *" sqlite "* ]] && measure "SQLite, 1 instance" "sqlite://$TMP/bench.db" 1
[[ "$BACKENDS" == *" postgres "* ]] && measure "PostgreSQL, 1 instance" "$(new_pg_database)" 1
[[ "$BACKENDS" == *" postgres2 "* ]] && measure "PostgreSQL, 2 instances" "$(new_pg_database)" 2

{
  echo "| backend | scenario | req/s | p99 ms | non-2xx |"
  echo "|---|---|---:|---:|---:|"
  while IFS='|' read -r label scenario line; do
    read -r rps p99 bad <<<"$line"
    echo "| $label | $scenario | $rps | $p99 | $bad |"
  done < "$RESULTS"
  echo
  echo "Token validation beside PostgreSQL's own figure for one key lookup a transaction (\`pgbench -S"
  echo "-M prepared\`, $CONNS clients, 2 threads, on the same cluster, run right after it):"
  echo
  while IFS='|' read -r label rps tps; do
    awk -v l="$label" -v r="$rps" -v p="$tps" \
      'BEGIN { if (p > 0) printf "- %s: %d req/s, pgbench %d tps: %.0f%%\n", l, r, p, 100 * r / p }'
  done < "$PGBENCH"
} > "$OUT/backends.md"
cat "$OUT/backends.md"
