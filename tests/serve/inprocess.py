"""`kimicheck serve` in this process: the exporter on an event loop of its own thread, for the tests about
what serve does rather than about the process (signals from outside, exit codes, start-up messages).

It runs the same `kimicheck.serve.server.serve` as the command, with the same config loading and prober,
and costs no interpreter start. Only the main thread may install signal handlers, so the thread's loop
keeps the handlers serve installs, and `InProcessServed.signal` runs one as if the signal had arrived.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kimicheck.asgi import bind_socket
from kimicheck.probe.runner import run_check
from kimicheck.serve.loading import LoadFailure, load_config
from kimicheck.serve.server import ServeOptions, serve
from kimicheck.serve.web_config import WebConfig
from tests.serve.process import KEY

__all__ = ["InProcessServed", "serve_in_process"]

_START_TIMEOUT = 20.0
_STOP_TIMEOUT = 10.0


class _KeptSignalsLoop(asyncio.SelectorEventLoop):
    """An event loop for a worker thread that keeps signal handlers instead of installing them."""

    def __init__(self) -> None:
        super().__init__()
        self.handlers: dict[int, tuple[Callable[..., object], tuple[Any, ...]]] = {}

    def add_signal_handler(self, sig: int, callback: Callable[..., object], *args: Any) -> None:
        self.handlers[sig] = (callback, args)

    def remove_signal_handler(self, sig: int) -> bool:
        return self.handlers.pop(sig, None) is not None

    def deliver(self, sig: int) -> None:
        """Run the handler of `sig` on the loop (from any thread)."""
        callback, args = self.handlers[sig]
        self.call_soon_threadsafe(callback, *args)


class _Lines(logging.Handler):
    """Keeps every formatted record, as the command's stderr would show it."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record) + "\n")


class InProcessServed:
    """A running in-process serve: its URL and what it logged (the `Served` of a process, in-process)."""

    def __init__(self, url: str, lines: list[str], loop: _KeptSignalsLoop) -> None:
        self.url = url
        self.lines = lines
        self._loop = loop

    @property
    def stderr(self) -> str:
        return "".join(self.lines)

    def signal(self, signum: signal.Signals) -> None:
        self._loop.deliver(signum)

    def wait_for_log(self, text: str, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.stderr:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not logged; log:\n{self.stderr}")
            time.sleep(0.02)


@contextmanager
def _kimicheck_log_kept() -> Iterator[_Lines]:
    """The "kimicheck" logger at info into a `_Lines`, as the command sets it up; restored afterwards."""
    logger = logging.getLogger("kimicheck")
    saved = (logger.handlers, logger.level, logger.propagate)
    lines = _Lines()
    logger.handlers, logger.propagate = [lines], False
    logger.setLevel(logging.INFO)
    try:
        yield lines
    finally:
        logger.handlers, logger.propagate = saved[0], saved[2]
        logger.setLevel(saved[1])


@contextmanager
def serve_in_process(config: Path, *, env: dict[str, str] | None = None) -> Iterator[InProcessServed]:
    """Serve `config` on a free loopback port (the key of SIM_KEY is `KEY`) until the block ends, then stop as
    SIGTERM does; fail if serve raised or did not stop."""
    loaded = load_config(config)
    assert not isinstance(loaded, LoadFailure), loaded.message
    options = ServeOptions(config_path=config, web_config=WebConfig(), environ={"SIM_KEY": KEY, **(env or {})})
    sock = bind_socket("127.0.0.1", 0)
    urls: list[str] = []
    failures: list[BaseException] = []
    runner = asyncio.Runner(loop_factory=_KeptSignalsLoop)
    loop = runner.get_loop()
    assert isinstance(loop, _KeptSignalsLoop)

    def run() -> None:
        try:
            with runner:
                runner.run(serve(options, loaded, sock, run_check, on_listening=urls.append))
        except BaseException as exc:  # handed to the test's thread
            failures.append(exc)

    with _kimicheck_log_kept() as lines:
        thread = threading.Thread(target=run, name="kimicheck-serve", daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + _START_TIMEOUT
            while not urls:
                if not thread.is_alive() or time.monotonic() > deadline:
                    raise AssertionError(f"serve did not start: {failures}\n{''.join(lines.lines)}")
                time.sleep(0.01)
            yield InProcessServed(urls[0], lines.lines, loop)
        finally:
            if thread.is_alive() and signal.SIGTERM in loop.handlers:
                loop.deliver(signal.SIGTERM)
            thread.join(timeout=_STOP_TIMEOUT)
            sock.close()
    assert not thread.is_alive(), "serve did not stop"
    if failures:
        raise failures[0]
