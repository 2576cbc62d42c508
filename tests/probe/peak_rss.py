"""Run a command and report its peak RSS: `python peak_rss.py REPORT AS_LIMIT SECONDS COMMAND...`.

A forked child starts with its parent's resident set counted in its own `ru_maxrss`, so a command started
straight from a large test process reports that process's size. Started from this small launcher instead
(stdlib only), the command's own peak is what `wait4` reports. REPORT gets `exit-code peak-bytes`; the
command gets an address-space limit and is killed after SECONDS.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time


def main(report: str, limit: int, seconds: float, command: list[str]) -> None:
    """Run `command`, wait for it with wait4, and write its exit code and peak RSS to `report`."""

    def limit_address_space() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    started = time.monotonic()
    process = subprocess.Popen(command, preexec_fn=limit_address_space)
    pid, status, usage = os.wait4(process.pid, os.WNOHANG)
    while pid == 0:
        if time.monotonic() - started > seconds:
            process.kill()
        time.sleep(0.01)
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
    process.returncode = os.waitstatus_to_exitcode(status)
    with open(report, "w", encoding="ascii") as out:
        out.write(f"{process.returncode} {usage.ru_maxrss * 1024}\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4:])
