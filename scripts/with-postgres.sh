#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL cluster and tears the cluster down afterwards:
#   scripts/with-postgres.sh <command> [args…]
# The command sees UNLATCH_TEST_PG_URL (a superuser URL of the cluster) and UNLATCH_TEST_PG_BIN
# (the server's binaries, for tests that stop and restart it). Installs Debian's `postgresql`
# package when its binaries are missing. initdb refuses to run as root, so as root the cluster
# belongs to the `postgres` user the package creates.
set -euo pipefail

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

BIN="$(find_bin || true)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "with-postgres: installing Debian's postgresql package" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
  BIN="$(find_bin)"
fi

DIR="$(mktemp -d /tmp/unlatch-pg.XXXXXX)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [ "$(id -u)" -eq 0 ]; then chown postgres "$DIR"; fi

cleanup() {
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

as_owner "$BIN/initdb" -D "$DIR/data" --username=unlatch --auth=trust --encoding=UTF8 \
  --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
# fsync=off: the machine does not crash under test, so what PostgreSQL wrote survives a stopped
# server (tests stop it at once to prove that nothing acknowledged is lost). Many test processes
# connect at once. Tests that stop the cluster start it again with the same options.
OPTIONS="-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=600"
as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -o "$OPTIONS" \
  start >/dev/null || { cat "$DIR/server.log" >&2; exit 1; }

export UNLATCH_TEST_PG_URL="postgres://unlatch@127.0.0.1:$PORT/postgres?sslmode=disable"
export UNLATCH_TEST_PG_BIN="$BIN"
export UNLATCH_TEST_PG_DATA="$DIR/data"
export UNLATCH_TEST_PG_OPTIONS="$OPTIONS"
export UNLATCH_TEST_PG_LOG="$DIR/server.log"
echo "with-postgres: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on port $PORT" >&2
set +e
"$@"
status=$?
set -e
exit $status
