#!/usr/bin/env python3
"""The mail scenario of `make bench`: bulk invites through a relay that is slow and sometimes
says "slow down" (standard library only).

    mail.py BIN OUT_DIR

Starts a local mail relay (the `json` provider's API) that answers every call after
BENCH_MAIL_RELAY_MS (200) and every BENCH_MAIL_429_EVERY-th call (100; 0: never) with 429 and
`Retry-After: 1`, recording each call's Idempotency-Key and how many calls are under way at once.
Then starts BIN (`unlatch serve`) on a fresh SQLite database with the relay configured and every
other mail setting at its default (MAIL_CONCURRENCY etc. pass through from the environment),
invites BENCH_MAILS (500) people through the admin API (each invitation queues a welcome mail),
waits until the relay accepted every mail, then 2 s more for any duplicate, scrapes the
Prometheus metrics and stops the server with SIGTERM.

Prints one line, `MAIL key=value ...`; the exit status is 1 when a mail was lost or delivered twice.
The server's log goes to OUT_DIR/mail-server.log.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAILS = int(os.environ.get("BENCH_MAILS", "500"))
RELAY_MS = int(os.environ.get("BENCH_MAIL_RELAY_MS", "200"))
EVERY_429 = int(os.environ.get("BENCH_MAIL_429_EVERY", "100"))
ADMIN_TOKEN = "*:*.bench-mail-admin"
WAIT_S = 300


class Relay:
    def __init__(self):
        self.lock = threading.Lock()
        self.calls = 0
        self.throttled = 0
        self.in_flight = 0
        self.most_in_flight = 0
        self.accepted = {}  # key -> times accepted
        self.first_call = None
        self.last_accept = None
        self.busy = 0.0  # seconds of calls under way, summed: over the span, the mean in flight

    def call(self, key):
        """Answers (status, headers) for one call, after the relay's delay."""
        with self.lock:
            self.calls += 1
            n = self.calls
            if self.first_call is None:
                self.first_call = time.monotonic()
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        started = time.monotonic()
        try:
            if EVERY_429 and n % EVERY_429 == 0:
                with self.lock:
                    self.throttled += 1
                return 429, {"Retry-After": "1"}
            time.sleep(RELAY_MS / 1000)
            with self.lock:
                self.accepted[key] = self.accepted.get(key, 0) + 1
                self.last_accept = time.monotonic()
            return 200, {}
        finally:
            with self.lock:
                self.in_flight -= 1
                self.busy += time.monotonic() - started


RELAY = Relay()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The head and the body are written separately: without TCP_NODELAY, Nagle's algorithm and
    # the client's delayed ACK hold the body back for tens of milliseconds, a relay artefact.
    disable_nagle_algorithm = True

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        status, headers = RELAY.call(self.headers.get("Idempotency-Key", ""))
        body = b'{"id":"bench"}' if status == 200 else b'{"error":"slow down"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": ADMIN_TOKEN}
    if body is not None:
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, data


def metric(text, name):
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


def quantile(text, q):
    """The upper bound of the delivery-latency bucket holding quantile q."""
    buckets = []
    for line in text.splitlines():
        if line.startswith("unlatch_mail_delivery_seconds_bucket{le="):
            le = line.split('le="')[1].split('"')[0]
            buckets.append((float("inf") if le == "+Inf" else float(le), float(line.split()[1])))
    if not buckets or buckets[-1][1] == 0:
        return None
    total = buckets[-1][1]
    for le, count in buckets:
        if count >= q * total:
            return le
    return None


def main():
    binary, out = sys.argv[1], sys.argv[2]
    relay = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    relay.daemon_threads = True
    threading.Thread(target=relay.serve_forever, daemon=True).start()
    relay_url = f"http://127.0.0.1:{relay.server_address[1]}/emails"

    tmp = tempfile.mkdtemp(prefix="unlatch-bench-mail.")
    port = free_port()
    env = dict(os.environ)
    env.update(
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=str(port),
        MANAGEMENT_HTTP_PORT="0",
        UNLEASH_URL=f"http://127.0.0.1:{port}",
        DATABASE_URL=f"sqlite://{tmp}/mail.db",
        LOG_LEVEL=os.environ.get("BENCH_MAIL_LOG_LEVEL", "warn"),
        INIT_ADMIN_API_TOKENS=ADMIN_TOKEN,
        UNLEASH_DEFAULT_ADMIN_PASSWORD="Bench-Admin-Passw0rd!7",
        CREATE_USER_RATE_LIMIT_PER_MINUTE="0",
        MAIL_PROVIDER="json",
        MAIL_RELAY_URL=relay_url,
        MAIL_RELAY_TOKEN="bench-relay-key",
    )
    log = open(f"{out}/mail-server.log", "ab")
    server = subprocess.Popen([binary, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if request(port, "GET", "/health")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("mail bench: the server did not start; see mail-server.log")
            time.sleep(0.01)

        def invite(i):
            status, data = request(
                port, "POST", "/api/admin/user-admin",
                {"email": f"bench{i}@example.com", "rootRole": 3},
            )
            if status != 201 or not json.loads(data).get("emailSent"):
                raise RuntimeError(f"invite {i}: {status} {data[:200]!r}")

        queued_from = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(invite, range(MAILS)))
        queued_in = time.monotonic() - queued_from

        deadline = time.monotonic() + WAIT_S
        while len(RELAY.accepted) < MAILS and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(2)  # time for a duplicate to show up
        status, data = request(port, "GET", "/internal-backstage/prometheus")
        metrics = data.decode() if status == 200 else ""
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        relay.shutdown()

    with RELAY.lock:
        delivered = len(RELAY.accepted)
        duplicates = sum(n - 1 for n in RELAY.accepted.values())
        span = (RELAY.last_accept or 0) - (RELAY.first_call or 0)
        end_to_end = (RELAY.last_accept or queued_from) - queued_from
        fields = dict(
            mails=MAILS,
            delivered=delivered,
            duplicates=duplicates,
            calls=RELAY.calls,
            throttled=RELAY.throttled,
            relay_ms=RELAY_MS,
            every_429=EVERY_429,
            concurrency=os.environ.get("MAIL_CONCURRENCY", "default"),
            most_in_flight=RELAY.most_in_flight,
            mean_in_flight=f"{RELAY.busy / span:.1f}" if span > 0 else "0",
            queued_s=f"{queued_in:.2f}",
            span_s=f"{span:.2f}",
            end_to_end_s=f"{end_to_end:.2f}",
            mails_per_s=f"{delivered / span:.1f}" if span > 0 else "0",
            latency_p50_le=quantile(metrics, 0.5),
            latency_p99_le=quantile(metrics, 0.99),
            latency_mean_s=(
                f"{metric(metrics, 'unlatch_mail_delivery_seconds_sum') / metric(metrics, 'unlatch_mail_delivery_seconds_count'):.2f}"
                if metric(metrics, "unlatch_mail_delivery_seconds_count") else None
            ),
            pending=metric(metrics, "unlatch_outbox_pending"),
            dead=metric(metrics, "unlatch_outbox_dead"),
        )
    print("MAIL " + " ".join(f"{k}={v}" for k, v in fields.items()))
    sys.exit(0 if delivered == MAILS and duplicates == 0 else 1)


if __name__ == "__main__":
    main()
