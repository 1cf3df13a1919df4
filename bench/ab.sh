#!/usr/bin/env bash
# A/B of two builds on the cheap, CPU-bound calls, for a before/after comparison on a shared machine:
#
#   bench/ab.sh BEFORE_BIN AFTER_BIN [ROUNDS]
#
# Runs the rounds interleaved (A, B, A, B, ...), so that other work on the machine weighs on both
# builds alike, instead of on whichever ran while someone else was compiling. Each round starts the
# build on a fresh temporary database (start-up to the first 200 on /health, as in `make bench`),
# reads its RSS once started, runs wrk (2 threads, 64 connections, BENCH_DURATION seconds, default 5)
# on POST /auth/reset/validate-password and on POST /auth/reset/password with a bogus token (the
# whole policy, then a 401), with the server's CPU time per request for each, reads the RSS again,
# and stops it (LOG_LEVEL, default warn; `info` adds the access log). Prints one line per round and the
# median of each column per build. Needs wrk (`make bench` installs it) and python3.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
A=$(realpath "$1")
B=$(realpath "$2")
ROUNDS=${3:-5}
DURATION=${BENCH_DURATION:-5}
PASSWORD='Bench-Reset-Passw0rd!99'
export BENCH_LUA=$ROOT/bench/lua LOG_LEVEL=${LOG_LEVEL:-warn}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/unlatch-ab.XXXXXX")
PID=
cleanup() {
  [ -z "$PID" ] || kill -TERM "$PID" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

rss() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
rps() { grep '^BENCH ' "$1" | sed 's/.* rps=\([0-9.]*\).*/\1/'; }
requests() { grep '^BENCH ' "$1" | sed 's/.* requests=\([0-9]*\).*/\1/'; }
# The server's CPU time (user + system) in clock ticks: CPU per request is far steadier than req/s
# on a machine that others share.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# wrk NAME BODY URL: runs one wrk and prints "req/s µs-of-server-CPU-per-request".
load() {
  local name=$1 body=$2 url=$3 c0 c1
  c0=$(cpu_ticks "$PID")
  BENCH_BODY=$body wrk -t2 -c64 -d"${DURATION}s" -s "$ROOT/bench/lua/post_json.lua" "$url" \
    > "$TMP/wrk-$name" 2>&1
  c1=$(cpu_ticks "$PID")
  awk -v r="$(rps "$TMP/wrk-$name")" -v n="$(requests "$TMP/wrk-$name")" -v t="$((c1 - c0))" \
    -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f\t%.1f", r, 1e6 * t / hz / n }'
}

round() {
  local label=$1 bin=$2 n=$3 port startup rss0 rss1 validate policy
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  rm -f "$TMP/db"*
  startup=$(HTTP_PORT=$port MANAGEMENT_HTTP_PORT=0 DATABASE_URL="sqlite://$TMP/db" \
    python3 "$ROOT/bench/start.py" "$port" "$TMP/pid" "$TMP/server-$label.log" -- "$bin" serve)
  PID=$(cat "$TMP/pid")
  rss0=$(rss "$PID")
  validate=$(load validate "{\"password\":\"$PASSWORD\"}" \
    "http://127.0.0.1:$port/auth/reset/validate-password")
  policy=$(load policy \
    "{\"token\":\"bogus0000000000000000000000000000000000000000000\",\"password\":\"$PASSWORD\"}" \
    "http://127.0.0.1:$port/auth/reset/password")
  rss1=$(rss "$PID")
  kill -TERM "$PID"
  while kill -0 "$PID" 2>/dev/null; do sleep 0.05; done
  PID=
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$n" "$startup" "$rss0" "$rss1" "$validate" "$policy" \
    | tee -a "$TMP/rows"
}

printf 'build\tround\tstart-up ms\tRSS started MiB\tRSS after load MiB\tvalidate-password req/s\tits CPU us/req\treset (policy, bogus token) req/s\tits CPU us/req\n'
for n in $(seq "$ROUNDS"); do
  round A "$A" "$n"
  round B "$B" "$n"
done
echo
echo "medians (A = $A, B = $B):"
python3 - "$TMP/rows" <<'EOF'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
names = ["start-up ms", "RSS started MiB", "RSS after load MiB", "validate-password req/s",
         "validate-password server CPU us/request", "reset (policy, bogus token) req/s",
         "reset (policy, bogus token) server CPU us/request"]
medians = {}
for build in ("A", "B"):
    cols = [[float(r[i]) for r in rows if r[0] == build] for i in range(2, 9)]
    medians[build] = [statistics.median(c) for c in cols]
for i, name in enumerate(names):
    a, b = medians["A"][i], medians["B"][i]
    print(f"{name}: A {a:,.1f}  B {b:,.1f}  ({(b - a) / a * 100:+.1f}%)")
EOF
