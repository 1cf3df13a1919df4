#!/usr/bin/env bash
# make image-test: the image under podman, as an operator runs it (under scripts/with-postgres.sh,
# for the PostgreSQL part):
#   1. SQLite on a named volume, the port published: the image's HEALTHCHECK passes, it runs as
#      its non-root user, and a whole reset (an admin's user, a reset link, a new password, a
#      log-in) works;
#   2. that container stopped with SIGTERM (it exits 0 within the 30 s graceful shutdown) and
#      replaced by a new one on the same volume: the users, the password and the session are
#      still there;
#   3. two containers on one PostgreSQL database (the throwaway cluster, on the host's network):
#      a session made on one is valid on the other.
# This machine's containers cannot raise their open-file or process limits, so every container
# gets --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 (IMAGE_TEST_ULIMITS to change).
# Containers run with runc (Debian's package, which make image-test installs): crun refuses a
# host whose cgroups are in hybrid mode, as on this machine. HEALTHCHECK is run with `podman
# healthcheck run` (its timer needs systemd, which a CI container may not have: podman logs an
# error about it and goes on). Every container and volume made here is removed at the end,
# whatever happens.
set -euo pipefail
podman() { command podman --runtime "${IMAGE_TEST_RUNTIME:-runc}" "$@"; }
cd "$(dirname "$0")/.."
image=${1:?usage: image-test.sh <image>}
: "${UNLATCH_TEST_PG_URL:?run under scripts/with-postgres.sh}"
read -r -a ulimits <<< "${IMAGE_TEST_ULIMITS:---ulimit nofile=1024:1024 --ulimit nproc=1024:1024}"
run_id="unlatch-image-test-$$"
token='*:*.image-test-admin-token'
admin_password='Image-Adm1n-Passw0rd!'
containers=()
volume="$run_id-data"
volumes=("$volume")

cleanup() {
  for c in "${containers[@]}"; do podman rm -f -v -t 0 "$c" >/dev/null 2>&1 || true; done
  for v in "${volumes[@]}"; do podman volume rm -f "$v" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

fail() {
  echo "image-test: $*" >&2
  for c in "${containers[@]}"; do
    echo "--- log of $c" >&2
    podman logs --tail 30 "$c" >&2 2>&1 || true
  done
  exit 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits (up to 30 s) until GET $1 answers 200.
wait_ready() {
  for _ in $(seq 1 300); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ]; then return 0; fi
    sleep 0.1
  done
  fail "$1 did not answer 200 within 30 s"
}

# http METHOD URL [JSON body] [extra curl args...]: prints the body, then the status on a line.
http() {
  local method=$1 url=$2 body=${3:-}
  shift 3 || shift $#
  if [ -n "$body" ]; then
    curl -s -X "$method" -H 'content-type: application/json' -d "$body" -w '\n%{http_code}' "$@" "$url"
  else
    curl -s -X "$method" -w '\n%{http_code}' "$@" "$url"
  fi
}

expect() { # expect STATUS "what" <output of http>
  local want=$1 what=$2 out=$3
  [ "$(tail -n 1 <<<"$out")" = "$want" ] || fail "$what: expected $want, got: $out"
}

json() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }

# --- 1. SQLite on a volume -----------------------------------------------------------------------
podman volume create "$volume" >/dev/null
port=$(free_port)
base="http://127.0.0.1:$port"
start_sqlite() {
  podman run -d --name "$1" "${ulimits[@]}" -v "$volume:/data" -p "127.0.0.1:$port:4242" \
    -e UNLEASH_URL="$base" -e UNLEASH_DEFAULT_ADMIN_PASSWORD="$admin_password" \
    -e INIT_ADMIN_API_TOKENS="$token" -e BCRYPT_COST=4 "$image" >/dev/null
  containers+=("$1")
  wait_ready "$base/health/ready"
}
first="$run_id-first"
start_sqlite "$first"
podman healthcheck run "$first" >/dev/null || fail "the image's HEALTHCHECK failed"
user=$(podman top "$first" user | tail -n 1 | tr -d ' ')
[ "$user" = unlatch ] || fail "the service runs as '$user', not the image's user unlatch"

auth=(-H "authorization: $token")
out=$(http POST "$base/api/admin/user-admin" '{"email":"ada@example.com","name":"Ada","rootRole":"Editor"}' "${auth[@]}")
expect 201 "creating a user" "$out"
out=$(http POST "$base/api/admin/user-admin/reset-password" '{"id":"ada@example.com"}' "${auth[@]}")
expect 200 "an admin's reset link" "$out"
reset_token=$(head -n -1 <<<"$out" | json '["resetPasswordUrl"].split("token=")[1]')
out=$(http GET "$base/auth/reset/validate?token=$reset_token" '')
expect 200 "validating the reset token" "$out"
out=$(http POST "$base/auth/reset/password" "{\"token\":\"$reset_token\",\"password\":\"Ada-Image-Passw0rd!\"}")
expect 200 "resetting the password" "$out"
jar=$(mktemp)
out=$(http POST "$base/auth/simple/login" '{"username":"ada@example.com","password":"Ada-Image-Passw0rd!"}' -c "$jar")
expect 200 "logging in with the new password" "$out"
session=$(awk '$6 == "unleash-session" { print $7 }' "$jar")
rm -f "$jar"
[ -n "$session" ] || fail "no session cookie"
out=$(http GET "$base/api/admin/user" '' -H "cookie: unleash-session=$session")
expect 200 "the session" "$out"
echo "image-test: SQLite on a volume: healthy, runs as unlatch, a whole reset works"

# --- 2. SIGTERM, and a new container on the same volume -------------------------------------------
stop_in_time() { # the container exits 0 on SIGTERM within the 30 s graceful shutdown
  local started elapsed code
  started=$(date +%s.%N)
  podman stop -t 60 "$1" >/dev/null
  elapsed=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  code=$(podman inspect --format '{{.State.ExitCode}}' "$1")
  [ "$code" = 0 ] || fail "$1 exited $code on SIGTERM (137: it had to be killed)"
  awk -v t="$elapsed" 'BEGIN { exit !(t < 30) }' || fail "$1 took ${elapsed}s to stop"
  echo "image-test: $1 stopped on SIGTERM in ${elapsed}s, exit 0"
}
stop_in_time "$first"
second="$run_id-second"
start_sqlite "$second"
out=$(http GET "$base/api/admin/user" '' -H "cookie: unleash-session=$session")
expect 200 "the session, in the new container" "$out"
out=$(http POST "$base/auth/simple/login" '{"username":"ada@example.com","password":"Ada-Image-Passw0rd!"}')
expect 200 "the password, in the new container" "$out"
out=$(http GET "$base/api/admin/user-admin" '' "${auth[@]}")
expect 200 "the user list" "$out"
emails=$(head -n -1 <<<"$out" | json '["users"]' | tr -d ' ')
grep -q "ada@example.com" <<<"$emails" || fail "ada is gone: $emails"
stop_in_time "$second"
echo "image-test: a new container on the same volume has the users, the password and the session"

# --- 3. Two containers on one PostgreSQL database -------------------------------------------------
db="image_test_$$_$(date +%s)"
psql_bin="${UNLATCH_TEST_PG_BIN:+$UNLATCH_TEST_PG_BIN/}psql"
"$psql_bin" -X -q "$UNLATCH_TEST_PG_URL" -c "CREATE DATABASE $db" >/dev/null
db_url="${UNLATCH_TEST_PG_URL/\/postgres\?//$db?}"
pg_bases=()
for n in 1 2; do
  p=$(free_port) m=$(free_port)
  name="$run_id-pg$n"
  volumes+=("$name-data") # the image's /data, unused on PostgreSQL
  podman run -d --name "$name" "${ulimits[@]}" --network host -v "$name-data:/data" \
    -e HTTP_HOST=127.0.0.1 -e HTTP_PORT="$p" -e MANAGEMENT_HTTP_HOST=127.0.0.1 \
    -e MANAGEMENT_HTTP_PORT="$m" -e DATABASE_URL="$db_url" -e UNLEASH_URL="http://127.0.0.1:$p" \
    -e UNLEASH_DEFAULT_ADMIN_PASSWORD="$admin_password" -e BCRYPT_COST=4 "$image" >/dev/null
  containers+=("$name")
  wait_ready "http://127.0.0.1:$p/health/ready"
  podman healthcheck run "$name" >/dev/null || fail "$name: the HEALTHCHECK failed"
  pg_bases+=("http://127.0.0.1:$p")
done
jar=$(mktemp)
out=$(http POST "${pg_bases[0]}/auth/simple/login" "{\"username\":\"admin\",\"password\":\"$admin_password\"}" -c "$jar")
expect 200 "logging in on the first PostgreSQL container" "$out"
session=$(awk '$6 == "unleash-session" { print $7 }' "$jar")
rm -f "$jar"
out=$(http GET "${pg_bases[1]}/api/admin/user" '' -H "cookie: unleash-session=$session")
expect 200 "the first container's session on the second" "$out"
for n in 1 2; do stop_in_time "$run_id-pg$n"; done
"$psql_bin" -X -q "$UNLATCH_TEST_PG_URL" -c "DROP DATABASE $db" >/dev/null
echo "image-test: two containers on one PostgreSQL database share the session"
echo "image-test: passed"
