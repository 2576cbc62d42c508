"""What `kimicheck serve` and the simulator share to run an ASGI app under uvicorn.

A socket bound before the server starts (so port 0 gives the real port at once), and a uvicorn server
that leaves signal handling to its caller: `serve` stops its scheduler on SIGTERM, the simulator in a
thread must not touch the process's handlers at all. The server stops as soon as it is told to: uvicorn
itself notices `should_exit` only at its next 100 ms tick and sleeps another 100 ms before draining, which
every test starting a simulator paid once more.
With `ConnectionLimits`, the server also drops clients that do not finish a request or a TLS
handshake in time (see `kimicheck.conn_guard`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator
from typing import Any

import uvicorn

from kimicheck.conn_guard import ConnectionLimits, guarded_protocol

__all__ = ["CallerSignalsServer", "bind_socket", "uvicorn_config"]


# uvicorn's own logger: its shutdown messages read as they always did
_uvicorn_log = logging.getLogger("uvicorn.error")
_TICK_SECONDS = 0.1  # uvicorn's tick: it refreshes the Date header every tenth one
_DRAIN_POLL_SECONDS = 0.01


class CallerSignalsServer(uvicorn.Server):
    """uvicorn without its own signal handling: the caller decides how the server stops, and it stops at once.

    Setting `should_exit` (from any thread) wakes the main loop, and the shutdown drains connections and tasks
    as uvicorn does, within the same `timeout_graceful_shutdown`, but polling every 10 ms instead of 100 ms.
    It serves only sockets it is given, and drops a TLS client that has not finished its handshake in
    `handshake_timeout` seconds (asyncio's default of 60 otherwise).
    """

    def __init__(self, config: uvicorn.Config, *, handshake_timeout: float | None = None) -> None:
        self._exit_requested = False
        self._wake: tuple[asyncio.AbstractEventLoop, asyncio.Event] | None = None
        super().__init__(config)
        self._handshake_timeout = handshake_timeout
    @property
    def should_exit(self) -> bool:
        """Whether the server was told to stop."""
        return self._exit_requested

    @should_exit.setter
    def should_exit(self, value: bool) -> None:
        self._exit_requested = value
        if value and self._wake is not None:
            loop, event = self._wake
            with contextlib.suppress(RuntimeError):  # the loop has closed: nothing is left to wake
                loop.call_soon_threadsafe(event.set)

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Listen on `sockets` (uvicorn's own startup cannot pass a TLS handshake timeout to the loop)."""
        if not sockets:
            raise ValueError("CallerSignalsServer serves the sockets it is given")
        await self.lifespan.startup()  # "off" in both servers: a no-op, kept so a lifespan would still run
        config = self.config
        loop = asyncio.get_running_loop()

        def protocol() -> asyncio.Protocol:
            return config.http_protocol_class(  # type: ignore[call-arg]
                config=config, server_state=self.server_state, app_state=self.lifespan.state, _loop=loop
            )

        handshake = self._handshake_timeout if config.ssl is not None else None  # only meaningful with TLS
        self.servers = [
            await loop.create_server(
                protocol, sock=sock, ssl=config.ssl, backlog=config.backlog, ssl_handshake_timeout=handshake
            )
            for sock in sockets
        ]
        self.started = True

    async def main_loop(self) -> None:
        """uvicorn's loop of ticks, each cut short when `should_exit` is set."""
        event = asyncio.Event()
        self._wake = (asyncio.get_running_loop(), event)
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), _TICK_SECONDS)
            should_exit = await self.on_tick(counter)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """uvicorn's shutdown: stop accepting, let connections and tasks finish within the grace period, then
        cancel what is left."""
        _uvicorn_log.info("Shutting down")
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        try:
            await asyncio.wait_for(self._drain(), timeout=self.config.timeout_graceful_shutdown)
        except TimeoutError:
            _uvicorn_log.error("Cancel %s running task(s), timeout graceful shutdown exceeded",
                               len(self.server_state.tasks))
            for task in self.server_state.tasks:
                task.cancel(msg="Task cancelled, timeout graceful shutdown exceeded")
        if not self.force_exit:
            await self.lifespan.shutdown()

    async def _drain(self) -> None:
        state = self.server_state
        for what, pending in (("connections to close", state.connections),
                              ("background tasks to complete", state.tasks)):
            if pending and not self.force_exit:
                _uvicorn_log.info("Waiting for %s. (CTRL+C to force quit)", what)
            while pending and not self.force_exit:
                await asyncio.sleep(_DRAIN_POLL_SECONDS)
        for server in self.servers:
            await server.wait_closed()


def bind_socket(host: str, port: int) -> socket.socket:
    """A bound TCP socket on `host:port` (port 0: a free port); OSError when it cannot bind."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted sockets only then (no 40 ms delayed-ACK stalls)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def uvicorn_config(
    app: Any, *, grace_seconds: int, limits: ConnectionLimits | None = None, **options: Any
) -> uvicorn.Config:
    """uvicorn settings both servers use: HTTP/1.1 only, no lifespan, no access log, no log config of its own
    (the command sets up logging), and a bounded graceful shutdown. With `limits`, requests must start in
    time and connections are capped. `options` add TLS or header settings."""
    guard: dict[str, Any] = {"http": "h11"}
    if limits is not None:
        guard = {"http": guarded_protocol(limits), "backlog": limits.backlog}
    return uvicorn.Config(
        app,
        lifespan="off",
        access_log=False,
        log_config=None,
        log_level="warning",
        ws="none",
        timeout_graceful_shutdown=grace_seconds,
        **guard,
        **options,
    )
