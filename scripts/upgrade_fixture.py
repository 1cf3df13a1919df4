#!/usr/bin/env python3
"""Writes one upgrade fixture with a given `unlatch` build (see scripts/make-upgrade-fixture.sh).

    upgrade_fixture.py <unlatch binary> <git revision> <sqlite|postgres> <out dir>

Runs `unlatch serve` on an empty database and, over HTTP, makes what an upgrade must keep: the
first admin (its password), a user invited and never started (an open invite), a user who set
a password with the invite and logged in (a live session), a reset link an admin made for that
user (open), and that user's forgotten-password request. Mail goes to a relay that refuses connections, so every
mail stays queued. The events these calls write are the audit log (schema 3 on). The service is
stopped with SIGTERM; then the database is written out: SQLite as the file itself (its log
checkpointed into it), PostgreSQL as a `pg_dump`. Beside it, a manifest (.json) says which
release wrote it, when, and what tests/upgrade.rs must find in it.
"""

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ADMIN_PASSWORD = "Fixture-Adm1n-Passw0rd!"
ADMIN_TOKEN = "*:*.fixture-admin-token"
BOB_PASSWORD = "Bob-fixture-Passw0rd!"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def call(base, method, path, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("content-type", "application/json")
    for k, v in (headers or {}).items():
        request.add_header(k, v)
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def expect(result, *statuses):
    status, _, text = result
    if status not in statuses:
        raise SystemExit(f"unexpected {status}: {text}")
    return result


def session_of(headers):
    for value in headers.get_all("set-cookie") or []:
        pair = value.split(";")[0]
        if pair.startswith("unleash-session="):
            return pair[len("unleash-session="):]
    raise SystemExit("no session cookie set")


def token_of(link):
    return urllib.parse.parse_qs(urllib.parse.urlparse(link).query)["token"][0]


def psql(url, *args):
    binary = os.path.join(os.environ["UNLATCH_TEST_PG_BIN"], "psql")
    return subprocess.run([binary, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, *args],
                          check=True, capture_output=True, text=True).stdout


def main():
    binary, revision, backend, out_dir = sys.argv[1:5]
    scratch = tempfile.mkdtemp(prefix="unlatch-fixture-")
    if backend == "sqlite":
        db_path = os.path.join(scratch, "unlatch.db")
        database_url = f"sqlite://{db_path}"
    else:
        admin_url = os.environ["UNLATCH_TEST_PG_URL"]
        name = f"fixture_{int(time.time() * 1000)}"
        psql(admin_url, "-c", f"CREATE DATABASE {name}")
        database_url = admin_url.replace("/postgres?", f"/{name}?", 1)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": database_url,
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": str(port),
        "MANAGEMENT_HTTP_ENABLED": "false",
        "UNLEASH_URL": "http://localhost:4242",
        "BCRYPT_COST": "4",
        "UNLEASH_DEFAULT_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "INIT_ADMIN_API_TOKENS": ADMIN_TOKEN,
        "LOG_LEVEL": "warn",
        # Every mail stays queued: the relay refuses connections, and the retry is an hour away.
        "MAIL_PROVIDER": "json",
        "MAIL_RELAY_URL": "http://127.0.0.1:9/emails",
        "MAIL_RETRY_BASE_MS": "3600000",
        "MAIL_RETRY_MAX_MS": "3600000",
    }
    log = open(os.path.join(scratch, "server.log"), "w")
    server = subprocess.Popen([binary, "serve"], env=env, stdout=log, stderr=log)
    try:
        deadline = time.time() + 60
        while True:
            try:
                if call(base, "GET", "/health")[0] == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise SystemExit("the server did not answer /health; log: " + open(log.name).read())
            time.sleep(0.1)
        made_at_ms = int(time.time() * 1000)
        auth = {"authorization": ADMIN_TOKEN}
        # The first admin is made just after the server answers: wait until its log-in works.
        for _ in range(200):
            login = call(base, "POST", "/auth/simple/login",
                         {"username": "admin", "password": ADMIN_PASSWORD})
            if login[0] == 200:
                break
            time.sleep(0.05)
        admin_session = session_of(expect(login, 200)[1])

        def create(email, name):
            result = call(base, "POST", "/api/admin/user-admin",
                          {"email": email, "name": name, "rootRole": "Editor"}, auth)
            if result[0] == 400:  # the earliest releases took the role's id only
                result = call(base, "POST", "/api/admin/user-admin",
                              {"email": email, "name": name, "rootRole": 2}, auth)
            return json.loads(expect(result, 201)[2])

        ada = create("ada@example.com", "Ada")
        bob = create("bob@example.com", "Bob")
        expect(call(base, "POST", "/auth/reset/password",
                    {"token": token_of(bob["inviteLink"]), "password": BOB_PASSWORD}), 200)
        bob_session = session_of(expect(call(base, "POST", "/auth/simple/login",
                                             {"username": "bob@example.com",
                                              "password": BOB_PASSWORD}), 200)[1])
        link = json.loads(expect(call(base, "POST", "/api/admin/user-admin/reset-password",
                                      {"id": "bob@example.com"}, auth), 200)[2])
        reset_token = token_of(link["resetPasswordUrl"])
        # Answered alike whether or not a mail is queued (a release with a per-user reset-mail
        # throttle queues none this soon after the link above): the manifest lists what is.
        expect(call(base, "POST", "/auth/reset/password-email", {"email": "bob@example.com"}), 200)
        events = call(base, "GET", "/api/admin/events?limit=100", headers=auth)
        event_kinds = ([e["type"] for e in json.loads(events[2])["events"]]
                       if events[0] == 200 else [])
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
    if server.returncode != 0:
        raise SystemExit(f"the server exited {server.returncode}; log: " + open(log.name).read())

    os.makedirs(out_dir, exist_ok=True)
    if backend == "sqlite":
        db = sqlite3.connect(db_path)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        pending = db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'outbox'").fetchone()[0]
        mails = (db.execute("SELECT recipient, template FROM outbox WHERE state = 'pending' "
                            "ORDER BY id").fetchall() if pending else [])
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        stem = f"sqlite-v{version}"
        shutil.copyfile(db_path, os.path.join(out_dir, stem + ".sqlite3"))
    else:
        version = int(psql(database_url, "-A", "-t", "-c",
                           "SELECT max(version) FROM unlatch_migrations").strip())
        rows = psql(database_url, "-A", "-t", "-F", "\t", "-c",
                    "SELECT recipient, template FROM outbox WHERE state = 'pending' ORDER BY id")
        mails = [tuple(line.split("\t")) for line in rows.splitlines() if line]
        stem = f"postgres-v{version}"
        dump = subprocess.run([os.path.join(os.environ["UNLATCH_TEST_PG_BIN"], "pg_dump"),
                               "--no-owner", "--no-privileges", "-d", database_url],
                              check=True, capture_output=True, text=True).stdout
        with open(os.path.join(out_dir, stem + ".sql"), "w") as f:
            f.write(dump)
        psql(os.environ["UNLATCH_TEST_PG_URL"], "-c",
             f"DROP DATABASE {urllib.parse.urlparse(database_url).path[1:]}")
    manifest = {
        "written_by": revision,
        "backend": backend,
        "schema_version": version,
        "made_at_ms": made_at_ms,
        "admin": {"username": "admin", "password": ADMIN_PASSWORD, "session": admin_session},
        "bob": {"email": "bob@example.com", "password": BOB_PASSWORD, "session": bob_session,
                "reset_token": reset_token, "id": bob["id"]},
        "ada": {"email": "ada@example.com", "invite_token": token_of(ada["inviteLink"]),
                "id": ada["id"]},
        "pending_mail": [{"recipient": r, "template": t} for r, t in mails],
        "event_kinds": event_kinds,
    }
    with open(os.path.join(out_dir, stem + ".json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    shutil.rmtree(scratch)
    print(f"{stem}: written by {revision[:12]}")


if __name__ == "__main__":
    main()
