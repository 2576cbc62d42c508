"""Running the simulator: uvicorn in a background thread, in the current event loop, or in the foreground.

The socket is bound before uvicorn starts, so port 0 gives a free port that is known at once. The uvicorn
access log is off (request lines would show paths and clients) and uvicorn never installs signal handlers:
the foreground runner installs its own, so SIGINT and SIGTERM end it cleanly. uvicorn adds a `Date` header
but no `Server` header, so only a fault that plays a CDN names a server.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from kimicheck.asgi import CallerSignalsServer, bind_socket, uvicorn_config
from kimicheck.providers import Kind
from kimicheck.sim.app import SimApp
from kimicheck.sim.control import CONTROL_PREFIX
from kimicheck.sim.routes import base_path
from kimicheck.sim.state import SimState

__all__ = ["RunningSimulator", "bind_socket", "serve_async", "serve_in_thread"]

_STARTUP_TIMEOUT_SECONDS = 10.0
_SHUTDOWN_GRACE_SECONDS = 2


@dataclass(frozen=True)
class RunningSimulator:
    """A simulator that is serving: its URLs and its live state."""

    state: SimState
    host: str
    port: int

    @property
    def root_url(self) -> str:
        """`http://HOST:PORT`."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The Moonshot (and AIMLAPI) base URL, `http://HOST:PORT/v1`."""
        return self.base_url_for(Kind.MOONSHOT)

    @property
    def control_url(self) -> str:
        """The control API's root."""
        return self.root_url + CONTROL_PREFIX

    def base_url_for(self, kind: Kind) -> str:
        """The base URL a client of `kind` uses (OpenRouter `/api/v1`, DeepSeek the root)."""
        return self.root_url + base_path(kind)


def _server(app: SimApp) -> CallerSignalsServer:
    config = uvicorn_config(
        app,
        grace_seconds=_SHUTDOWN_GRACE_SECONDS,
        # no `server: uvicorn`: a CDN fault page sends its own Server header, and a provider names no uvicorn
        server_header=False,
    )
    return CallerSignalsServer(config)


def _stop(app: SimApp, server: CallerSignalsServer) -> None:
    app.stopping = True
    server.should_exit = True


def _wait_started(server: CallerSignalsServer, alive: Callable[[], bool]) -> None:
    deadline = time.monotonic() + _STARTUP_TIMEOUT_SECONDS
    while not server.started:
        if not alive() or time.monotonic() > deadline:
            raise RuntimeError("the simulator did not start")
        time.sleep(0.01)


@contextlib.contextmanager
def serve_in_thread(
    state: SimState | None = None, host: str = "127.0.0.1", port: int = 0
) -> Iterator[RunningSimulator]:
    """Serve `state` (default: `SimState.default()`) from a background thread until the block ends."""
    state = state if state is not None else SimState.default()
    app = SimApp(state)
    sock = bind_socket(host, port)
    server = _server(app)
    thread = threading.Thread(
        target=lambda: asyncio.run(server.serve(sockets=[sock])), name="kimicheck-simulator", daemon=True
    )
    try:
        thread.start()
        _wait_started(server, thread.is_alive)
        yield RunningSimulator(state, host, sock.getsockname()[1])
    finally:
        _stop(app, server)
        thread.join(timeout=_SHUTDOWN_GRACE_SECONDS + 5)
        sock.close()


@contextlib.asynccontextmanager
async def serve_async(
    state: SimState | None = None, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[RunningSimulator]:
    """Serve `state` on the running event loop until the block ends (for asyncio tests)."""
    state = state if state is not None else SimState.default()
    app = SimApp(state)
    sock = bind_socket(host, port)
    server = _server(app)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        deadline = time.monotonic() + _STARTUP_TIMEOUT_SECONDS
        while not server.started:
            if task.done() or time.monotonic() > deadline:
                raise RuntimeError("the simulator did not start")
            await asyncio.sleep(0.01)
        yield RunningSimulator(state, host, sock.getsockname()[1])
    finally:
        _stop(app, server)
        await task
        sock.close()


def run_foreground(
    state: SimState, sock: socket.socket, on_started: Callable[[RunningSimulator], Any]
) -> None:
    """Serve on the calling (main) thread until SIGINT or SIGTERM; `on_started` runs once it listens."""
    import signal

    app = SimApp(state)
    server = _server(app)
    host = sock.getsockname()[0]

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, _stop, app, server)
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not task.done():
            await asyncio.sleep(0.01)
        if server.started:
            on_started(RunningSimulator(state, host, sock.getsockname()[1]))
        await task

    asyncio.run(main())
