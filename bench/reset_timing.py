#!/usr/bin/env python3
"""Does POST /auth/reset/password-email take the same time for known, unknown and throttled
addresses? (issue 18, item 5; Python 3.11 standard library only)

    reset_timing.py UNLATCH_BIN OUT_DIR

Starts UNLATCH_BIN serve on a free port with a temporary SQLite database, BCRYPT_COST=10,
LOG_LEVEL=warn, MAIL_PROVIDER at its default (log) and every rate limit off
(PASSWORD_RESET_LIMIT_PER_MINUTE=0 among them), and always stops it. Seeds users through the admin
API (INIT_ADMIN_API_TOKENS), throttles one of them by requesting its reset once, warms up, then
sends N requests of each kind, interleaved in one random order (a full shuffle: a block design
would put a known request before an unknown one more often than before another known one, and
skew what the previous request leaves behind), one after the other over one keep-alive connection,
RESET_TIMING_GAP_MS apart:

    known      a different seeded user each time (so none is throttled: a token and a mail each)
    unknown    a random address nobody has
    throttled  the same throttled user every time

Each response time is measured by the client with time.perf_counter_ns (request written to the
whole answer read). Every answer must be 200 with an empty body. Prints the medians and the three
pairwise two-sided Mann-Whitney p-values, and, as a second view, the same for the time of the
request that FOLLOWS each kind (work a request leaves behind, such as the mail worker's delivery
after a known address, shows there, not in its own answer). The raw times go to
OUT_DIR/reset_timing.tsv; the last line printed is a summary `RESET_TIMING key=value ...`.

Knobs (environment): RESET_TIMING_N (1000), RESET_TIMING_SEED (random; printed), RESET_TIMING_WARMUP
(100 requests of each kind, not measured), RESET_TIMING_GAP_MS (2: the pause after each answer, so that the
work a request leaves behind is done before the next one is timed; 0 sends back to back and the
leftover work then lands on whichever request comes next). Exits 1 if an answer was not 200 or the run took so long that the
throttle (60 s) could have lapsed; 0 otherwise, whatever the p-values (they are a measurement).
"""

import http.client
import json
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import serving

ADMIN_TOKEN = "*:*.bench-admin"
THROTTLE_S = 60
KINDS = ("known", "unknown", "throttled")


# --- statistics ------------------------------------------------------------------------------------
def mann_whitney(x, y):
    """Two-sided Mann-Whitney U test, normal approximation with tie and continuity correction
    (what scipy.stats.mannwhitneyu(x, y, method="asymptotic") computes). Answers (U of x, p)."""
    n1, n2 = len(x), len(y)
    n = n1 + n2
    pooled = sorted([(v, 0) for v in x] + [(v, 1) for v in y])
    rank_sum_x = 0.0
    tie_term = 0.0
    i = 0
    while i < n:
        j = i
        while j + 1 < n and pooled[j + 1][0] == pooled[i][0]:
            j += 1
        average_rank = (i + j + 2) / 2  # ranks i+1 .. j+1
        rank_sum_x += average_rank * sum(1 for k in range(i, j + 1) if pooled[k][1] == 0)
        t = j - i + 1
        tie_term += t**3 - t
        i = j + 1
    u = rank_sum_x - n1 * (n1 + 1) / 2
    mean = n1 * n2 / 2
    sigma = math.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))))
    if sigma == 0:
        return u, 1.0
    z = (abs(u - mean) - 0.5) / sigma
    return u, min(1.0, math.erfc(max(z, 0.0) / math.sqrt(2)))


def self_test():
    # The example of scipy's documentation for mannwhitneyu (from Conover, Practical
    # Nonparametric Statistics): males [19, 22, 16, 29, 24], females [20, 11, 17, 12];
    # method="asymptotic" gives U = 17.0, p = 0.11134688653314041. By hand: the males' ranks are
    # 3, 5, 7, 8, 9 (sum 32), U = 32 - 15 = 17, mean 10, sigma = sqrt(5 * 4 * 10 / 12) = 4.0825,
    # z = (7 - 0.5) / 4.0825 = 1.592, p = erfc(1.592 / sqrt 2) = 0.1113.
    u, p = mann_whitney([19, 22, 16, 29, 24], [20, 11, 17, 12])
    assert u == 17.0 and abs(p - 0.11134688653314041) < 1e-12, (u, p)
    # Ties, by hand: x = [1, 2, 2], y = [2, 3, 3]; average ranks 1 | 3 3 3 | 5.5 5.5, so the
    # rank sum of x is 7 and U = 1; mean 4.5; ties 3 and 2 give sum(t^3 - t) = 24 + 6 = 30, so
    # sigma^2 = 9 / 12 * (7 - 30 / 30) = 4.5; z = (3.5 - 0.5) / sqrt 4.5 = 1.4142, p = 0.1573.
    u, p = mann_whitney([1, 2, 2], [2, 3, 3])
    assert u == 1.0 and abs(p - math.erfc(1.0)) < 1e-12, (u, p)
    # Identical samples: no difference at all.
    assert mann_whitney([5, 5, 5], [5, 5, 5])[1] == 1.0


# --- the server ------------------------------------------------------------------------------------
def start_server(binary, port, tmp, log):
    env = dict(os.environ)
    for key in list(env):
        if key.startswith(("MAIL_", "SMTP_")):
            del env[key]
    env.update(
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=str(port), MANAGEMENT_HTTP_PORT="0",
        UNLEASH_URL=f"http://127.0.0.1:{port}",
        DATABASE_URL=f"sqlite://{tmp}/timing.db",
        LOG_LEVEL="warn",
        BCRYPT_COST="10",
        INIT_ADMIN_API_TOKENS=ADMIN_TOKEN,
        SIMPLE_LOGIN_LIMIT_PER_MINUTE="0",
        PASSWORD_RESET_LIMIT_PER_MINUTE="0",
        CREATE_USER_RATE_LIMIT_PER_MINUTE="0",
        ACCOUNT_FAILURE_LIMIT="0",
    )
    proc = subprocess.Popen(
        [binary, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    serving.wait_healthy(proc, port, 30, "reset_timing")
    return proc


def seed(port, emails):
    local = threading.local()

    def create(email):
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        body = {"email": email, "name": "Timing User", "rootRole": "Viewer", "sendEmail": False}
        local.conn.request(
            "POST",
            "/api/admin/user-admin",
            body=json.dumps(body),
            headers={"Content-Type": "application/json", "Authorization": ADMIN_TOKEN},
        )
        resp = local.conn.getresponse()
        data = resp.read()
        if resp.status != 201:
            raise RuntimeError(f"creating {email}: HTTP {resp.status}: {data[:200]!r}")

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(create, emails))


class Client:
    """One keep-alive connection; times each request client-side."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.conn.connect()
        self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def reset_email(self, email):
        body = json.dumps({"email": email}).encode()
        headers = {"Content-Type": "application/json", "Content-Length": str(len(body))}
        start = time.perf_counter_ns()
        self.conn.request("POST", "/auth/reset/password-email", body=body, headers=headers)
        resp = self.conn.getresponse()
        data = resp.read()
        elapsed = time.perf_counter_ns() - start
        if resp.status != 200 or data:
            raise RuntimeError(f"{email}: HTTP {resp.status}: {data[:200]!r}")
        if resp.will_close:
            raise RuntimeError("the server closed the keep-alive connection")
        return elapsed


# --- the run ---------------------------------------------------------------------------------------
def main():
    self_test()
    binary, out = sys.argv[1], sys.argv[2]
    n = int(os.environ.get("RESET_TIMING_N", "1000"))
    # Every answer takes at least the service's 10 ms floor: 3 × (N + warm-up) answers must fit
    # in the throttle's 60 s.
    warmup = int(os.environ.get("RESET_TIMING_WARMUP", "100"))
    gap = float(os.environ.get("RESET_TIMING_GAP_MS", "2")) / 1000
    seed_value = int(os.environ.get("RESET_TIMING_SEED", str(random.randrange(2**32))))
    rng = random.Random(seed_value)
    os.makedirs(out, exist_ok=True)

    def unknown_address():
        return f"nobody-{rng.getrandbits(64):016x}@example.com"

    known = [f"timing-{i:05d}@example.com" for i in range(n + warmup)]
    throttled = "timing-throttled@example.com"

    with tempfile.TemporaryDirectory(prefix="unlatch-timing.") as tmp, open(
        os.path.join(out, "reset-timing-server.log"), "wb"
    ) as log:
        port = serving.free_port("reset_timing")
        proc = start_server(binary, port, tmp, log)
        try:
            t0 = time.monotonic()
            seed(port, known + [throttled])
            print(f"reset_timing: seeded {len(known) + 1} users in {time.monotonic() - t0:.1f} s",
                  file=sys.stderr)
            client = Client(port)
            client.reset_email(throttled)  # its token is made now: throttled for 60 s
            throttled_since = time.monotonic()
            # Warm-up (not measured): every kind, with users of its own for the known kind.
            warm = [("known", a) for a in known[n:]]
            warm += [("unknown", unknown_address()) for _ in range(warmup)]
            warm += [("throttled", throttled) for _ in range(warmup)]
            rng.shuffle(warm)
            for _, address in warm:
                client.reset_email(address)
            time.sleep(0.5)  # the mail worker delivers the warm-up's mails
            # The measured run: N of each kind in one random order.
            order = [k for k in KINDS for _ in range(n)]
            rng.shuffle(order)
            known_left = iter(rng.sample(known[:n], n))
            rows = []
            for kind in order:
                address = {
                    "known": lambda: next(known_left),
                    "unknown": unknown_address,
                    "throttled": lambda: throttled,
                }[kind]()
                rows.append((kind, client.reset_email(address)))
                if gap:
                    time.sleep(gap)
            lasted = time.monotonic() - throttled_since
            if lasted > THROTTLE_S - 5:
                sys.exit(f"reset_timing: the run took {lasted:.0f} s since the throttled request; "
                         "its throttle may have lapsed, so the 'throttled' kind is not what it says")
        finally:
            serving.stop(proc, 5)

    with open(os.path.join(out, "reset_timing.tsv"), "w") as f:
        f.write("seq\tkind\tprevious\tns\n")
        for i, (kind, ns) in enumerate(rows):
            f.write(f"{i}\t{kind}\t{rows[i - 1][0] if i else '-'}\t{ns}\n")

    own = {k: [ns / 1e6 for kind, ns in rows if kind == k] for k in KINDS}
    after = {k: [rows[i][1] / 1e6 for i in range(1, len(rows)) if rows[i - 1][0] == k] for k in KINDS}
    summary = {"n": n, "seed": seed_value, "gap_ms": gap * 1000, "run_s": f"{lasted:.1f}"}
    print(f"POST /auth/reset/password-email, {n} interleaved requests of each kind "
          f"(seed {seed_value}, {gap * 1000:g} ms between requests); times in ms, client-side")
    for title, groups, prefix in (
        ("its own answer", own, ""),
        ("the NEXT request's answer (work left behind)", after, "next_"),
    ):
        print(f"\n{title}:")
        for k in KINDS:
            values = groups[k]
            s = sorted(values)
            p90 = s[int(0.9 * (len(s) - 1))]
            print(f"  {k:9s} n={len(values):5d} median {statistics.median(values):.4f}  p90 {p90:.4f}  "
                  f"mean {sum(values) / len(values):.4f}")
            summary[f"{prefix}median_{k}_ms"] = f"{statistics.median(values):.4f}"
        for a, b in (("known", "unknown"), ("known", "throttled"), ("unknown", "throttled")):
            _, p = mann_whitney(groups[a], groups[b])
            verdict = "DIFFERENT (p <= 0.01)" if p <= 0.01 else "no significant difference"
            print(f"  {a} vs {b}: two-sided Mann-Whitney p = {p:.4g}  {verdict}")
            summary[f"{prefix}p_{a}_{b}"] = f"{p:.4g}"
    print()
    print("RESET_TIMING " + " ".join(f"{k}={v}" for k, v in summary.items()))


if __name__ == "__main__":
    main()
