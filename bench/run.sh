#!/usr/bin/env bash
# `make bench`: load-tests a release build of Unlatch with wrk and writes target/bench/results.md.
#
# Expects target/release/unlatch and wrk (the Makefile provides both). Starts the server on a free
# port with a temporary database and the rate limits lifted, seeds users and tokens through the
# admin API, runs one wrk per scenario, and always stops the server. Everything it writes goes to
# target/bench/ (the wrk outputs, the server's log, results.md).
#
# Knobs (environment): BENCH_DURATION (s, cheap scenarios, 10), BENCH_HASH_DURATION (s, bcrypt
# scenarios, 15), BENCH_THREADS (2), BENCH_CONNECTIONS (64), BENCH_HASH_CONNECTIONS (32),
# BENCH_MIXED_CONNECTIONS (16), BENCH_LOGIN_USERS (200), BENCH_RESET_TOKENS (3000),
# BENCH_MAILS (500), BENCH_MAIL_RELAY_MS (200), BENCH_MAIL_429_EVERY (100),
# BENCH_PAIR_ROUNDS (3: bare hyper / cheap call pairs for issue 13's shares), BENCH_PAIR_DURATION
# (s, 5), UNLATCH_BIN (target/release/unlatch). Exits 1 when a scenario had unexpected answers.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
BIN=${UNLATCH_BIN:-$ROOT/target/release/unlatch}
OUT=$ROOT/target/bench
DURATION=${BENCH_DURATION:-10}
HASH_DURATION=${BENCH_HASH_DURATION:-15}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-64}
HASH_CONNS=${BENCH_HASH_CONNECTIONS:-32}
MIXED_CONNS=${BENCH_MIXED_CONNECTIONS:-16}
PAIR_ROUNDS=${BENCH_PAIR_ROUNDS:-3}
PAIR_DURATION=${BENCH_PAIR_DURATION:-5}
N_LOGIN=${BENCH_LOGIN_USERS:-200}
N_RESET=${BENCH_RESET_TOKENS:-3000}

ADMIN_TOKEN='*:*.bench-admin'
ADMIN_PASSWORD='Bench-Admin-Passw0rd!7'
USER_PASSWORD='Bench-User-Passw0rd!42'
RESET_PASSWORD='Bench-Reset-Passw0rd!99'

[ -x "$BIN" ] || { echo "bench: $BIN is missing; run 'make bench' (it builds it)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk is missing; run 'make bench' (it installs it)" >&2; exit 1; }

mkdir -p "$OUT"
rm -f "$OUT"/wrk-*.txt "$OUT"/results.tsv "$OUT"/metrics.txt "$OUT"/results.md "$OUT"/mail-server.log
TMP=$(mktemp -d "${TMPDIR:-/tmp}/unlatch-bench.XXXXXX")
SERVER_PID=
BG_PID=
BARE_PID= BAREH_PID=

stop_server() {
  local pid=$SERVER_PID
  SERVER_PID=
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.05
  done
  echo "bench: the server did not stop within 5 s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  [ -z "$BG_PID" ] || kill "$BG_PID" 2>/dev/null || true
  [ -z "$BARE_PID" ] || kill "$BARE_PID" 2>/dev/null || true
  [ -z "$BAREH_PID" ] || kill "$BAREH_PID" 2>/dev/null || true
  stop_server
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

metric() { echo "$1=$2" >> "$OUT/metrics.txt"; }
log() { echo "bench: $*" >&2; }

# --- the machine and the bcrypt ceiling (before the server runs, on a quiet machine) ----------
metric cores "$(nproc)"
metric cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
metric mem_mb "$(awk '/^MemTotal/ { printf "%d", $2 / 1024 }' /proc/meminfo)"
metric date "$(date -u '+%Y-%m-%d %H:%M UTC')"
metric wrk "$(wrk -v 2>&1 | head -n 1 | awk '{ print $2 }')"

# Other work on the machine skews every number: sample how busy the CPUs are before we start.
read -r _ u1 n1 s1 i1 w1 q1 sq1 st1 _ < /proc/stat
sleep 1
read -r _ u2 n2 s2 i2 w2 q2 sq2 st2 _ < /proc/stat
BUSY=$(( (u2 + n2 + s2 + q2 + sq2 + st2) - (u1 + n1 + s1 + q1 + sq1 + st1) ))
IDLE=$(( (i2 + w2) - (i1 + w1) ))
metric busy_before_pct "$(( 100 * BUSY / (BUSY + IDLE + 1) ))"
metric loadavg_before "$(cut -d' ' -f1 /proc/loadavg)"
[ "$(( 100 * BUSY / (BUSY + IDLE + 1) ))" -lt 10 ] \
  || log "WARNING: the CPUs were $(( 100 * BUSY / (BUSY + IDLE + 1) ))% busy before the run; results will be low"

log "building bench/hashtime (bcrypt timing)"
CARGO_TARGET_DIR=$OUT/hashtime-target cargo build --quiet --release \
  --manifest-path "$BENCH/hashtime/Cargo.toml"
HASHTIME=$("$OUT/hashtime-target/release/hashtime" 10 10)
log "bcrypt: $HASHTIME"
for kv in $HASHTIME; do metric "bcrypt_${kv%%=*}" "${kv#*=}"; done
HASH_MS=$(sed -n 's/.*hash_ms=\([0-9.]*\).*/\1/p' <<<"$HASHTIME")

# The HTTP ceiling of this machine: a bare hyper server (bench/barehyper, the same hyper and tokio)
# answering a fixed JSON body. Unlatch's cheap calls are reported as a share of it.
log "building bench/barehyper (the HTTP ceiling)"
CARGO_TARGET_DIR=$OUT/barehyper-target cargo build --quiet --release \
  --manifest-path "$BENCH/barehyper/Cargo.toml"
BAREHYPER=$OUT/barehyper-target/release/barehyper

# --- start --------------------------------------------------------------------------------------
# A free port below Linux's ephemeral range (32768+), so that no client socket of this script can
# take it (or self-connect to it) before the server binds it.
PORT=$(python3 -c '
import random, socket
for port in random.sample(range(20000, 32000), 200):
    try:
        socket.socket().bind(("127.0.0.1", port))
    except OSError:
        continue
    print(port)
    break
')
[ -n "$PORT" ] || { log "no free port found"; exit 1; }
URL=http://127.0.0.1:$PORT
export HTTP_HOST=127.0.0.1 HTTP_PORT=$PORT MANAGEMENT_HTTP_PORT=0 UNLEASH_URL=$URL
export DATABASE_URL=sqlite://$TMP/bench.db
# Production defaults: the access log is on (a line per request, to the server's log file).
export LOG_LEVEL=info BCRYPT_COST=10
export INIT_ADMIN_API_TOKENS=$ADMIN_TOKEN UNLEASH_DEFAULT_ADMIN_PASSWORD=$ADMIN_PASSWORD
export SIMPLE_LOGIN_LIMIT_PER_MINUTE=0 PASSWORD_RESET_LIMIT_PER_MINUTE=0
export CREATE_USER_RATE_LIMIT_PER_MINUTE=0 ACCOUNT_FAILURE_LIMIT=0
: > "$OUT/server.log"

# start_server: starts it, sets SERVER_PID and STARTUP (ms to the first 200 on /health).
start_server() {
  rm -f "$TMP/pid"
  local status=0
  STARTUP=$(python3 "$BENCH/start.py" "$PORT" "$TMP/pid" "$OUT/server.log" -- "$BIN" serve) \
    || status=$?
  [ ! -s "$TMP/pid" ] || SERVER_PID=$(cat "$TMP/pid")
  if [ "$status" != 0 ]; then
    tail -n 30 "$OUT/server.log" >&2
    exit 1
  fi
}

start_server
log "started on $URL (pid $SERVER_PID) in $STARTUP ms (empty database)"
metric startup_fresh_ms "$STARTUP"
metric rss_idle_kb "$(awk '/^VmRSS/ { print $2 }' "/proc/$SERVER_PID/status")"

# --- seed ---------------------------------------------------------------------------------------
log "seeding $N_LOGIN users with a password and $N_RESET reset tokens"
SEED_START=$(date +%s%N)
python3 "$BENCH/seed.py" "$URL" "$ADMIN_TOKEN" "$TMP" "$N_LOGIN" "$N_RESET" "$USER_PASSWORD" >&2
metric seed_ms "$((($(date +%s%N) - SEED_START) / 1000000))"
metric seeded_login_users "$N_LOGIN"
metric seeded_reset_tokens "$(wc -l < "$TMP/reset_tokens.txt")"
VALID_TOKEN=$(cat "$TMP/validate_token.txt")

# --- scenarios ----------------------------------------------------------------------------------
export BENCH_LUA=$BENCH/lua BENCH_THREADS=$THREADS
FLAGGED=0

# record NAME EXPECT THREADS CONNS SECONDS WRK_OUTPUT_FILE: appends the parsed BENCH line.
# EXPECT is 2xx (every answer 2xx) or 401 (every answer 401, wrk counts those as non-2xx).
record() {
  local name=$1 expect=$2 t=$3 c=$4 d=$5 file=$6 line
  line=$(grep '^BENCH ' "$file" | tail -n 1 | cut -d' ' -f2-) || true
  if [ -z "$line" ]; then
    log "$name: wrk printed no summary; see $file"
    line="requests=0 rps=0 p50_ms=0 p99_ms=0 non2xx=0 sock_err=0 statuses=-"
    FLAGGED=1
  fi
  line="$line others_cpu_pct=$(sed -n 's/^OTHERS //p' "$file" | tail -n 1)"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$expect" "$t" "$c" "$d" "$line" >> "$OUT/results.tsv"
  local requests non2xx sock
  requests=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$line")
  non2xx=$(sed -n 's/.*non2xx=\([0-9]*\).*/\1/p' <<<"$line")
  sock=$(sed -n 's/.*sock_err=\([0-9]*\).*/\1/p' <<<"$line")
  if [ "$sock" != 0 ] || { [ "$expect" = 2xx ] && [ "$non2xx" != 0 ]; } \
    || { [ "$expect" = 401 ] && [ "$non2xx" != "$requests" ]; }; then
    log "$name: UNEXPECTED ANSWERS (requests=$requests non2xx=$non2xx socket errors=$sock)"
    FLAGGED=1
  fi
  log "$name: $(sed -n 's/.*rps=\([0-9.]*\).*p50_ms=\([0-9.]*\).*p99_ms=\([0-9.]*\).*/\1 req\/s, p50 \2 ms, p99 \3 ms/p' <<<"$line")"
}

# drain: waits until hash jobs left over by the last bcrypt scenario are done (wrk stops with
# requests in flight, and the server finishes their hashes anyway), so they do not slow or shed
# the next scenario. A login probe answered within 3 hash times means the queue is empty.
drain() {
  local user limit answer
  user=$(head -n 1 "$TMP/login_users.txt")
  limit=$(awk -v ms="$HASH_MS" 'BEGIN { printf "%.3f", 3 * ms / 1000 }')
  for _ in $(seq 30); do
    answer=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H 'Content-Type: application/json' \
      -d "{\"username\":\"$user\",\"password\":\"$USER_PASSWORD\"}" "$URL/auth/simple/login") || true
    if awk -v a="$answer" -v l="$limit" 'BEGIN { split(a, f, " "); exit !(f[1] == 200 && f[2] < l) }'; then
      return 0
    fi
  done
  log "the hash queue did not drain (last probe: $answer)"
}

# CPU time in clock ticks: of the whole machine (busy), and of the server.
machine_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
server_cpu() { awk '{ print $14 + $15 }' "/proc/${MEASURED_PID:-$SERVER_PID}/stat"; }

# scenario NAME EXPECT THREADS CONNS SECONDS LUA URL
# Also measures how much CPU others (neither the server nor this wrk) took meanwhile, as a share of
# the machine: another build or test run on the box makes the numbers meaningless, and it shows.
scenario() {
  local name=$1 expect=$2 t=$3 c=$4 d=$5 lua=$6 url=$7 m0 s0 m1 s1 wrk_cpu hz
  log "running $name ($t threads, $c connections, ${d}s)"
  m0=$(machine_busy) s0=$(server_cpu)
  wrk_cpu=$( { TIMEFORMAT='%U %S'; time wrk -t"$t" -c"$c" -d"${d}s" --timeout 10s --latency \
    -s "$BENCH/lua/$lua" "$url" > "$OUT/wrk-$name.txt" 2>&1 || log "$name: wrk exited with an error"; } 2>&1 )
  m1=$(machine_busy) s1=$(server_cpu)
  hz=$(getconf CLK_TCK)
  awk -v m="$((m1 - m0))" -v s="$((s1 - s0))" -v w="$wrk_cpu" -v hz="$hz" -v d="$d" -v n="$(nproc)" \
    'BEGIN { split(w, f, " "); o = m - s - (f[1] + f[2]) * hz; if (o < 0) o = 0;
             printf "OTHERS %.0f\n", 100 * o / (d * n * hz) }' >> "$OUT/wrk-$name.txt"
  record "$name" "$expect" "$t" "$c" "$d" "$OUT/wrk-$name.txt"
}

# The bare hyper server, measured the same way as the cheap calls, just before them (its CPU is
# the measured server's for the others' CPU column).
BARE_PORT_FILE=$TMP/barehyper.port
"$BAREHYPER" 0 > "$BARE_PORT_FILE" &
BARE_PID=$!
for _ in $(seq 100); do [ -s "$BARE_PORT_FILE" ] && break; sleep 0.05; done
MEASURED_PID=$BARE_PID scenario bare-hyper 2xx "$THREADS" "$CONNS" "$DURATION" get.lua \
  "http://127.0.0.1:$(head -n 1 "$BARE_PORT_FILE")/"
kill "$BARE_PID" 2>/dev/null || true
wait "$BARE_PID" 2>/dev/null || true
BARE_PID=

scenario health 2xx "$THREADS" "$CONNS" "$DURATION" get.lua "$URL/health"

BENCH_BODY="{\"password\":\"$RESET_PASSWORD\"}" \
  scenario validate-password 2xx "$THREADS" "$CONNS" "$DURATION" post_json.lua \
  "$URL/auth/reset/validate-password"

scenario validate-token-valid 2xx "$THREADS" "$CONNS" "$DURATION" get.lua \
  "$URL/auth/reset/validate?token=$VALID_TOKEN"

scenario validate-token-bogus 401 "$THREADS" "$CONNS" "$DURATION" get.lua \
  "$URL/auth/reset/validate?token=bogus0000000000000000000000000000000000000000000"

# The whole password policy (the blocklist included) on a real path, without bcrypt: the policy is
# checked before the token, so a bogus token answers 401 after it.
BENCH_BODY="{\"token\":\"bogus0000000000000000000000000000000000000000000\",\"password\":\"$RESET_PASSWORD\"}" \
  scenario reset-policy-bogus 401 "$THREADS" "$CONNS" "$DURATION" post_json.lua \
  "$URL/auth/reset/password"

# Issue 13's shares, in pairs: this is a shared VM whose speed swings from one minute to the next
# (bare hyper alone has measured 38,000 and 99,000 req/s a minute apart), so a share taken from
# two runs minutes apart can be off by tens of points. Here each cheap call runs right after bare
# hyper, PAIR_ROUNDS times; the report takes each pair's ratio and gives their median. Each round
# also runs bare hyper answering with Unlatch's headers (`--unlatch-headers`: as many bytes as
# Unlatch's `/health`), after the call: wrk, on the same cores, spends more on a longer answer,
# and the share of that second ceiling leaves that cost out.
"$BAREHYPER" 0 > "$BARE_PORT_FILE" &
BARE_PID=$!
"$BAREHYPER" 0 --unlatch-headers > "$BARE_PORT_FILE.headers" &
BAREH_PID=$!
for _ in $(seq 100); do
  [ -s "$BARE_PORT_FILE" ] && [ -s "$BARE_PORT_FILE.headers" ] && break
  sleep 0.05
done
BARE_URL="http://127.0.0.1:$(head -n 1 "$BARE_PORT_FILE")/"
BAREH_URL="http://127.0.0.1:$(head -n 1 "$BARE_PORT_FILE.headers")/"
for round in $(seq "$PAIR_ROUNDS"); do
  for call in health validate-password validate-token-valid; do
    MEASURED_PID=$BARE_PID scenario "pair$round-bare-$call" 2xx "$THREADS" "$CONNS" \
      "$PAIR_DURATION" get.lua "$BARE_URL"
    case $call in
      health) scenario "pair$round-$call" 2xx "$THREADS" "$CONNS" "$PAIR_DURATION" get.lua \
        "$URL/health" ;;
      validate-password) BENCH_BODY="{\"password\":\"$RESET_PASSWORD\"}" \
        scenario "pair$round-$call" 2xx "$THREADS" "$CONNS" "$PAIR_DURATION" post_json.lua \
        "$URL/auth/reset/validate-password" ;;
      validate-token-valid) scenario "pair$round-$call" 2xx "$THREADS" "$CONNS" \
        "$PAIR_DURATION" get.lua "$URL/auth/reset/validate?token=$VALID_TOKEN" ;;
    esac
    MEASURED_PID=$BAREH_PID scenario "pair$round-bareh-$call" 2xx "$THREADS" "$CONNS" \
      "$PAIR_DURATION" get.lua "$BAREH_URL"
  done
done
kill "$BARE_PID" "$BAREH_PID" 2>/dev/null || true
wait "$BARE_PID" "$BAREH_PID" 2>/dev/null || true
BARE_PID= BAREH_PID=

BENCH_USERS=$TMP/login_users.txt BENCH_PASSWORD=$USER_PASSWORD \
  scenario login 2xx "$THREADS" "$HASH_CONNS" "$HASH_DURATION" login.lua "$URL/auth/simple/login"
drain

BENCH_TOKENS=$TMP/reset_tokens.txt BENCH_PASSWORD=$RESET_PASSWORD \
  scenario reset 2xx "$THREADS" "$HASH_CONNS" "$HASH_DURATION" reset.lua "$URL/auth/reset/password"
drain

BENCH_EMAILS=$TMP/login_users.txt \
  scenario password-email 2xx "$THREADS" "$CONNS" "$DURATION" password_email.lua \
  "$URL/auth/reset/password-email"

# Mixed: validate-password measured by its own wrk (1 thread) alone, then again while a second wrk
# keeps the hash pool saturated with logins. The login wrk starts 2 s earlier and ends 2 s later.
BENCH_BODY="{\"password\":\"$RESET_PASSWORD\"}" \
  scenario mixed-baseline 2xx 1 "$MIXED_CONNS" "$DURATION" post_json.lua \
  "$URL/auth/reset/validate-password"

log "running mixed (logins: 1 thread, $HASH_CONNS connections, $((DURATION + 4))s in the background)"
BENCH_USERS=$TMP/login_users.txt BENCH_PASSWORD=$USER_PASSWORD BENCH_THREADS=1 \
  wrk -t1 -c"$HASH_CONNS" -d"$((DURATION + 4))s" --timeout 10s --latency -s "$BENCH/lua/login.lua" \
  "$URL/auth/simple/login" > "$OUT/wrk-mixed-logins.txt" 2>&1 &
BG_PID=$!
sleep 2
BENCH_BODY="{\"password\":\"$RESET_PASSWORD\"}" \
  scenario mixed-validate-password 2xx 1 "$MIXED_CONNS" "$DURATION" post_json.lua \
  "$URL/auth/reset/validate-password"
wait "$BG_PID" || log "mixed logins: wrk exited with an error"
BG_PID=
record mixed-logins 2xx 1 "$HASH_CONNS" "$((DURATION + 4))" "$OUT/wrk-mixed-logins.txt"
drain

# --- memory after all load, then a second start on the now populated database -----------------
metric vmhwm_kb "$(awk '/^VmHWM/ { print $2 }' "/proc/$SERVER_PID/status")"
metric vmrss_kb "$(awk '/^VmRSS/ { print $2 }' "/proc/$SERVER_PID/status")"
metric threads "$(awk '/^Threads/ { print $2 }' "/proc/$SERVER_PID/status")"
metric loadavg_after "$(cut -d' ' -f1 /proc/loadavg)"
stop_server
start_server
log "restarted on the populated database in $STARTUP ms"
metric startup_existing_ms "$STARTUP"
stop_server

# --- mail: bulk invites through a slow relay that sometimes answers 429 -------------------------
# bench/mail.py starts its own relay and its own server (a fresh database, mail settings at their
# defaults unless set in the environment), invites BENCH_MAILS people and checks that every
# welcome mail reached the relay exactly once.
log "running mail (${BENCH_MAILS:-500} invitations; the relay answers in ${BENCH_MAIL_RELAY_MS:-200} ms, 429 on every ${BENCH_MAIL_429_EVERY:-100}th call)"
M0=$(machine_busy)
T0=$(date +%s%N)
MAIL_LINE=$(python3 "$BENCH/mail.py" "$BIN" "$OUT") \
  || { log "mail: UNEXPECTED: a mail was lost or delivered twice (or the run failed)"; FLAGGED=1; }
M1=$(machine_busy)
T1=$(date +%s%N)
for kv in ${MAIL_LINE#MAIL }; do metric "mail_${kv%%=*}" "${kv#*=}"; done
metric mail_machine_busy_pct "$(awk -v m="$((M1 - M0))" -v t="$(((T1 - T0) / 1000000))" \
  -v hz="$(getconf CLK_TCK)" -v n="$(nproc)" 'BEGIN { printf "%.0f", 100 * m / hz / (t / 1000) / n }')"
log "mail: ${MAIL_LINE#MAIL }"

# The access log of the load runs is hundreds of MB: keep its count and its last lines.
metric access_log_lines "$(grep -c ' request method=' "$OUT/server.log" || true)"
tail -n 2000 "$OUT/server.log" > "$OUT/server.log.tail" && mv "$OUT/server.log.tail" "$OUT/server.log"

# --- report -------------------------------------------------------------------------------------
python3 "$BENCH/report.py" "$OUT" > "$OUT/results.md"
cat "$OUT/results.md"
echo
echo "written to ${OUT#"$ROOT"/}/results.md (wrk outputs and the server's log beside it)"
if [ "$FLAGGED" != 0 ]; then
  echo "bench: some scenarios had unexpected answers (marked in the table)" >&2
  exit 1
fi
