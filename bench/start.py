#!/usr/bin/env python3
"""Starts the server and times it to its first 200 on GET /health.

    start.py PORT PIDFILE LOGFILE -- COMMAND...

The environment is passed through. Spawning from here (rather than from bash, then polling with
curl processes) keeps the measurement to the server's own start-up: the clock starts right before
the exec and /health is polled every 0.5 ms over fresh connections (`serving.wait_healthy`). Prints
the milliseconds. The server keeps running after this script exits; its pid is in PIDFILE. A
server that exits, or does not answer within 30 s (it is then killed), fails the script.
"""

import subprocess
import sys
import time

import serving


def main():
    port, pidfile, logfile = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    command = sys.argv[sys.argv.index("--") + 1 :]
    log = open(logfile, "ab")
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    with open(pidfile, "w") as f:
        f.write(f"{proc.pid}\n")
    serving.wait_healthy(proc, port, 30, "start", interval=0.0005)
    print(f"{(time.perf_counter() - start) * 1000:.1f}")


if __name__ == "__main__":
    main()
