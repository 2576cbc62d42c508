"""`kimicheck simulate` processes for tests: always killed and reaped, and never read without a deadline.

A test that fails, or a child that hangs before printing, must not leave a simulator running after the
suite: every process started here is killed (if still running), waited for and has its pipes closed when
the block ends, whatever happened inside it; reads give up after a bounded wait instead of blocking forever.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator

__all__ = ["READ_TIMEOUT_SECONDS", "SimulateProcesses", "read_line", "simulate_processes"]

READ_TIMEOUT_SECONDS = 15.0


class SimulateProcesses:
    """Starts `kimicheck simulate` processes and remembers them for `simulate_processes` to reap."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen[str]] = []

    def start(self, *args: str, stdout: int = subprocess.PIPE) -> subprocess.Popen[str]:
        """`python -m kimicheck simulate ARGS` with unbuffered output; stderr is a pipe."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        process = subprocess.Popen([sys.executable, "-m", "kimicheck", "simulate", *args], stdout=stdout,
                                   stderr=subprocess.PIPE, text=True, env=env)
        self.started.append(process)
        return process

    def reap(self) -> None:
        """Kill what still runs, wait for every process, close every pipe."""
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=READ_TIMEOUT_SECONDS)
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()


@contextlib.contextmanager
def simulate_processes() -> Iterator[SimulateProcesses]:
    """A `SimulateProcesses` whose processes are all reaped when the block ends, even on an exception."""
    processes = SimulateProcesses()
    try:
        yield processes
    finally:
        processes.reap()


def read_line(process: subprocess.Popen[str], timeout: float = READ_TIMEOUT_SECONDS) -> str:
    """The next line of the process's stdout; `TimeoutError` if none comes within `timeout` seconds."""
    stdout = process.stdout
    assert stdout is not None
    lines: list[str] = []

    def read() -> None:
        with contextlib.suppress(ValueError):  # closed by `reap` after a timeout
            lines.append(stdout.readline())

    reader = threading.Thread(target=read, name="simulate-stdout", daemon=True)
    reader.start()
    reader.join(timeout)
    if not lines:
        raise TimeoutError(f"kimicheck simulate printed no line within {timeout:g} s")
    return lines[0]
