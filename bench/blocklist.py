#!/usr/bin/env python3
"""What the password blocklist costs: start-up and memory, with and without it.

    bench/blocklist.py [BINARY]     (default target/release/unlatch; `make bench` builds it)

BENCH_CHECKS (20000) sets the number of policy checks per case.

Starts the server once per case on a free port with a temporary database (every case starts on a
fresh, empty one, so migrations are part of each start-up) and reports, per case:
- start-up: milliseconds from exec to the first 200 on GET /health (bench/start.py);
- RSS (VmRSS) right after start-up, and again after 20,000 policy checks of distinct random
  passwords that pass Unleash's rules (POST /auth/reset/password with a bogus token: the policy,
  blocklist included, runs before the token is looked at, so every call does the full lookup and
  answers 401). The random passwords land all over the sorted built-in list, so the second figure
  is close to its resident worst case, not a lucky one;
- for the operator's file: the lines it held.

Cases: PASSWORD_BLOCKLIST=false; the built-in list (the default); the built-in list plus a file of
1 million and of 10 million distinct random lines (8 to 16 characters, like a breach corpus).
The files are generated into a temporary folder and removed afterwards. Prints a Markdown table.
BASELINE_BIN (e.g. a build from before the blocklist) adds a first case with that binary, to see
what the built-in list costs: the binary carries it whether or not it is switched on.
"""

import http.client
import json
import os
import random
import shutil
import socket
import string
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECKS = int(os.environ.get("BENCH_CHECKS", "20000"))
ALPHABET = string.ascii_letters + string.digits + "!@#$%&*-_"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def write_corpus(path, lines, rng):
    # Random bytes mapped onto the alphabet, cut into lines of 8 to 16 characters (cycling): fast
    # enough for 10 million lines, and practically free of duplicates.
    table = bytes(ord(ALPHABET[b % len(ALPHABET)]) for b in range(256))
    chunk = 100_000
    with open(path, "wb") as f:
        for start in range(0, lines, chunk):
            count = min(chunk, lines - start)
            lengths = [8 + (start + i) % 9 for i in range(count)]
            raw = rng.randbytes(sum(lengths)).translate(table)
            out, at = [], 0
            for n in lengths:
                out.append(raw[at : at + n])
                at += n
            f.write(b"\n".join(out) + b"\n")


def strong(rng):
    # Passes Unleash's seven rules: a lower, an upper, a digit, a symbol, 12 characters, no triples.
    while True:
        # The random part comes first, so the look-ups land all over the sorted list.
        body = "".join(rng.choice(ALPHABET) for _ in range(8))
        candidate = f"{body}aZ7!"
        if not any(candidate[i] == candidate[i + 1] == candidate[i + 2] for i in range(len(candidate) - 2)):
            return candidate


def run_case(binary, env_extra, rng):
    """Start-up ms, RSS KiB after start and after the checks."""
    work = tempfile.mkdtemp(prefix="unlatch-blocklist.")
    port = free_port()
    env = dict(os.environ)
    env.update(
        {
            "HTTP_PORT": str(port), "MANAGEMENT_HTTP_PORT": "0",
            "DATABASE_URL": f"sqlite://{work}/unlatch.db",
            "LOG_LEVEL": "warn",
            "UNLEASH_DEFAULT_ADMIN_PASSWORD": "Bench-Admin-Passw0rd!7",
        }
    )
    env.update(env_extra)
    pidfile, logfile = f"{work}/pid", f"{work}/server.log"
    started = subprocess.run(
        [sys.executable, f"{ROOT}/bench/start.py", str(port), pidfile, logfile, "--", binary, "serve"],
        env=env,
        capture_output=True,
        text=True,
    )
    if started.returncode != 0:
        raise SystemExit(f"start failed: {started.stderr}\n{open(logfile).read()}")
    pid = int(open(pidfile).read())
    try:
        startup_ms = float(started.stdout.strip())
        rss_start = rss_kib(pid)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for _ in range(CHECKS):
            body = json.dumps({"token": "bogus", "password": strong(rng)})
            conn.request("POST", "/auth/reset/password", body, {"Content-Type": "application/json"})
            reply = conn.getresponse()
            reply.read()
            if reply.status not in (400, 401):
                raise SystemExit(f"unexpected status {reply.status}")
        conn.close()
        rss_after = rss_kib(pid)
    finally:
        os.kill(pid, 15)
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        shutil.rmtree(work, ignore_errors=True)
    return startup_ms, rss_start, rss_after


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else f"{ROOT}/target/release/unlatch")
    rng = random.Random(20261201)
    corpora = tempfile.mkdtemp(prefix="unlatch-corpus.")
    try:
        cases = []
        if os.environ.get("BASELINE_BIN"):
            cases.append((f"baseline build {os.environ['BASELINE_BIN']}", {}, os.environ["BASELINE_BIN"]))
        cases.append(("off (PASSWORD_BLOCKLIST=false)", {"PASSWORD_BLOCKLIST": "false"}, binary))
        cases.append(("built-in list (default)", {}, binary))
        for lines in (1_000_000, 10_000_000):
            path = f"{corpora}/corpus-{lines}.txt"
            write_corpus(path, lines, rng)
            size = os.path.getsize(path) / 2**20
            cases.append(
                (f"built-in + file of {lines:,} lines ({size:.0f} MiB)", {"PASSWORD_BLOCKLIST_FILE": path}, binary)
            )
        print(f"| case | start-up ms | RSS after start MiB | RSS after {CHECKS:,} checks MiB |")
        print("|---|---:|---:|---:|")
        for name, env, case_binary in cases:
            startup_ms, rss_start, rss_after = run_case(case_binary, env, rng)
            print(f"| {name} | {startup_ms:.0f} | {rss_start / 1024:.1f} | {rss_after / 1024:.1f} |", flush=True)
    finally:
        shutil.rmtree(corpora, ignore_errors=True)


if __name__ == "__main__":
    main()
