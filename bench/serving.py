"""Starting and stopping a server for the Python benchmarks (standard library only).

`start.py`, `reset_timing.py` and `instructions.py` import it (they run as
`python3 bench/NAME.py`, so this directory is on the import path).
"""

import http.client
import random
import socket
import subprocess
import sys
import time


def free_port(who):
    """A free port below Linux's ephemeral range (32768+), so no client socket can take it first
    (or self-connect to it) before the server binds it."""
    for port in random.sample(range(20000, 32000), 200):
        try:
            with socket.socket() as s:
                s.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
    sys.exit(f"{who}: no free port")


def wait_healthy(proc, port, seconds, who, interval=0.01):
    """Returns once GET /health answers 200, asking every `interval` seconds over a fresh
    connection; exits if the server dies or does not answer within `seconds` (then it is
    killed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"{who}: the server exited with status {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/health")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except (OSError, http.client.HTTPException):
            # Not listening yet (or, before the bind, a rare TCP self-connect to the port).
            pass
        time.sleep(interval)
    proc.kill()
    sys.exit(f"{who}: the server did not answer on /health within {seconds} s")


def stop(proc, seconds):
    """SIGTERM (the server finishes in-flight requests), then SIGKILL after `seconds`."""
    proc.terminate()
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
