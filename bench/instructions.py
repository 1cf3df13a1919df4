#!/usr/bin/env python3
"""User-space instructions per request of the cheap calls, counted by valgrind's callgrind.

    instructions.py UNLATCH_BIN [REQUESTS]

`make bench-instructions` runs it on the release build. Unlike wrk's req/s on this shared VM
(bare hyper alone has swung from 38,000 to 137,000 req/s), the counts repeat to within about 1% on
a quiet machine, so they show a change of a few percent in the work a request costs. They count
every thread, so the background threads' periodic work (the log's flusher, the checkpointer) is
in them too, and a busy machine (valgrind slowed, more of that work per request) adds a few
percent. They do not show the kernel (system calls, wake-ups) or two cores contending for a
lock: `make bench` measures those.

The server runs under callgrind on a free port with a temporary SQLite database and the
production log (`LOG_LEVEL=info`, unless set). One user with a live reset token is made through
the admin API. For each call: 50 requests to warm up on one keep-alive connection, counters
zeroed (`callgrind_control -z`), REQUESTS (2,000) requests, counters dumped (`-d`); the dump's
total over REQUESTS is printed. Every answer must be 200. With INSTRUCTIONS_KEEP=DIR the three
dumps are copied there (`health.out`, `validate-password.out`, `token.out`) for
`callgrind_annotate --inclusive=yes`.
"""

import glob
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

import serving

ADMIN_TOKEN = "*:*.instructions-admin"
PASSWORD = "Instructions-Passw0rd!7"


def reset_token(port):
    """A live invite token of a new user (the admin API's inviteLink)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = {"email": "instructions@example.com", "name": "Counted", "rootRole": "Viewer",
            "sendEmail": False}
    conn.request("POST", "/api/admin/user-admin", body=json.dumps(body),
                 headers={"Content-Type": "application/json", "Authorization": ADMIN_TOKEN})
    resp = conn.getresponse()
    data = resp.read()
    if resp.status != 201:
        sys.exit(f"instructions: creating the user answered {resp.status}: {data[:200]!r}")
    link = json.loads(data)["inviteLink"]
    return urllib.parse.parse_qs(urllib.parse.urlparse(link).query)["token"][0]


def count(port, pid, out_dir, method, path, body, requests, keep_as):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"} if body else {}

    def one():
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        resp.read()
        if resp.status != 200:
            sys.exit(f"instructions: {method} {path} answered {resp.status}")

    for _ in range(50):
        one()
    before = set(glob.glob(os.path.join(out_dir, "callgrind.out*")))
    subprocess.run(["callgrind_control", "-z", str(pid)], check=True, capture_output=True)
    for _ in range(requests):
        one()
    subprocess.run(["callgrind_control", "-d", str(pid)], check=True, capture_output=True)
    dumps = set(glob.glob(os.path.join(out_dir, "callgrind.out*"))) - before
    if len(dumps) != 1:
        sys.exit(f"instructions: expected one new dump, found {sorted(dumps)}")
    dump = dumps.pop()
    keep = os.environ.get("INSTRUCTIONS_KEEP")
    if keep:
        os.makedirs(keep, exist_ok=True)
        shutil.copy(dump, os.path.join(keep, keep_as))
    with open(dump) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1]) / requests
    sys.exit("instructions: the dump has no total")


def main():
    binary = os.path.abspath(sys.argv[1])
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    with tempfile.TemporaryDirectory(prefix="unlatch-instructions.") as tmp:
        port = serving.free_port("instructions")
        env = dict(os.environ,
                   HTTP_HOST="127.0.0.1", HTTP_PORT=str(port), MANAGEMENT_HTTP_PORT="0",
                   UNLEASH_URL=f"http://127.0.0.1:{port}",
                   DATABASE_URL=f"sqlite://{tmp}/unlatch.db",
                   LOG_LEVEL=os.environ.get("LOG_LEVEL", "info"), BCRYPT_COST="4",
                   INIT_ADMIN_API_TOKENS=ADMIN_TOKEN,
                   UNLEASH_DEFAULT_ADMIN_PASSWORD=PASSWORD,
                   SIMPLE_LOGIN_LIMIT_PER_MINUTE="0", PASSWORD_RESET_LIMIT_PER_MINUTE="0",
                   CREATE_USER_RATE_LIMIT_PER_MINUTE="0", ACCOUNT_FAILURE_LIMIT="0")
        log = open(os.path.join(tmp, "server.log"), "wb")
        proc = subprocess.Popen(
            ["valgrind", "--tool=callgrind",
             f"--callgrind-out-file={tmp}/callgrind.out", binary, "serve"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            # Valgrind slows the start-up tenfold or more.
            serving.wait_healthy(proc, port, 120, "instructions")
            token = reset_token(port)
            rows = [
                ("GET /health", "health.out", "GET", "/health", None),
                ("POST /auth/reset/validate-password", "validate-password.out", "POST",
                 "/auth/reset/validate-password",
                 json.dumps({"password": "Bench-Reset-Passw0rd!99"})),
                ("GET /auth/reset/validate?token=(valid)", "token.out", "GET",
                 f"/auth/reset/validate?token={token}", None),
            ]
            print(f"| call | instructions a request (callgrind, {requests} requests, "
                  f"LOG_LEVEL={env['LOG_LEVEL']}) |")
            print("|---|---:|")
            for name, keep_as, method, path, body in rows:
                n = count(port, proc.pid, tmp, method, path, body, requests, keep_as)
                print(f"| {name} | {n:,.0f} |", flush=True)
        finally:
            serving.stop(proc, 60)


if __name__ == "__main__":
    main()
