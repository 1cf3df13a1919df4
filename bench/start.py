#!/usr/bin/env python3
"""Starts the server and times it to its first 200 on GET /health.

    start.py PORT PIDFILE LOGFILE -- COMMAND...

The environment is passed through. Spawning from here (rather than from bash, then polling with
curl processes) keeps the measurement to the server's own start-up: the clock starts right before
the exec and /health is polled every 0.5 ms over fresh connections. Prints the milliseconds. The
server keeps running after this script exits; its pid is in PIDFILE.
"""

import http.client
import subprocess
import sys
import time


def main():
    port, pidfile, logfile = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    command = sys.argv[sys.argv.index("--") + 1 :]
    log = open(logfile, "ab")
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    with open(pidfile, "w") as f:
        f.write(f"{proc.pid}\n")
    deadline = start + 30
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the server exited with status {proc.returncode} during start-up")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/health")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                print(f"{(time.perf_counter() - start) * 1000:.1f}")
                return
        except (OSError, http.client.HTTPException):
            # Not listening yet (or, before the bind, a rare TCP self-connect to the port).
            pass
        time.sleep(0.0005)
    sys.exit("the server did not answer 200 on /health within 30 s")


if __name__ == "__main__":
    main()
