"""Guarding a uvicorn server against clients that hold connections without finishing a request.

uvicorn bounds a request's size and the idle time between keep-alive requests, but not how long a client may
take to send its request line and headers, nor how many connections may stay open: a few hundred clients that
never finish a request would hold the server's file descriptors for ever. Here:

- a connection must deliver a request's headers within `header_timeout` of opening (or of its previous
  response plus uvicorn's keep-alive time), else it is dropped;
- at most `max_connections` stay open; a new one at the limit drops the connection that has waited longest
  for its request, or, when every connection is busy with a request, is answered 503 and closed;
- accept errors (out of file descriptors) and dropped connections are logged once per interval, without a
  traceback, instead of once per attempt; the accept retries asyncio leaves scheduled when the server closes
  are dropped instead of logged as errors.

The TLS handshake timeout is given to the event loop when the server starts (see `kimicheck.asgi`).
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
import traceback
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = [
    "DEFAULT_HANDSHAKE_TIMEOUT",
    "DEFAULT_HEADER_TIMEOUT",
    "ConnectionLimits",
    "ThrottledLog",
    "default_max_connections",
    "guarded_protocol",
    "install_accept_error_log",
]

log = logging.getLogger("kimicheck.serve")

DEFAULT_HEADER_TIMEOUT = 10.0
DEFAULT_HANDSHAKE_TIMEOUT = 10.0
#: descriptors kept for everything but inbound connections: the interpreter, logs, provider connections
_RESERVED_FDS = 64
_MIN_CONNECTIONS = 16
_MAX_CONNECTIONS = 1024
_MAX_BACKLOG = 128
_LOG_INTERVAL_SECONDS = 60.0
_REFUSED_LINGER_SECONDS = 1.0
_BUSY = b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
_ACCEPT_ERROR = "socket.accept() out of system resource"


def default_max_connections(soft_limit: int | None = None) -> int:
    """A connection cap that leaves file descriptors to spare: half of what the soft RLIMIT_NOFILE leaves
    after a reserve (connections being accepted or handshaking are not counted yet), from 16 to 1024."""
    if soft_limit is None:
        soft_limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft_limit == resource.RLIM_INFINITY:
        return _MAX_CONNECTIONS
    return max(_MIN_CONNECTIONS, min(_MAX_CONNECTIONS, (soft_limit - _RESERVED_FDS) // 2))


@dataclass(frozen=True)
class ConnectionLimits:
    """How long a client may take to start a request or a TLS session, and how many connections stay open."""

    max_connections: int
    header_timeout: float = DEFAULT_HEADER_TIMEOUT
    handshake_timeout: float = DEFAULT_HANDSHAKE_TIMEOUT

    @property
    def backlog(self) -> int:
        """The listen backlog, which is also how many connections the loop accepts in one go: kept below the
        cap, so a burst cannot take more descriptors than the cap leaves spare before any is dropped."""
        return max(8, min(_MAX_BACKLOG, self.max_connections // 2))


class ThrottledLog:
    """A warning logged at most once per interval, counting the occurrences it did not log."""

    def __init__(self, interval: float = _LOG_INTERVAL_SECONDS) -> None:
        self._interval = interval
        self._last = float("-inf")
        self._unlogged = 0

    def warning(self, message: str) -> None:
        """Log `message` unless a line was logged less than an interval ago (then count it)."""
        now = time.monotonic()
        if now - self._last < self._interval:
            self._unlogged += 1
            return
        more = f" ({self._unlogged} more since the last such line)" if self._unlogged else ""
        log.warning("%s%s; logged at most once every %gs", message, more, self._interval)
        self._last, self._unlogged = now, 0


def _is_stale_accept_retry(context: dict[str, Any]) -> bool:
    """Whether the loop's error is a retry of accepting that ran after its server had closed.

    After a failed accept (out of descriptors or memory) asyncio stops watching the listening socket and
    schedules `_start_serving` to watch it again a second later; one per failed attempt of the accept loop
    (CPython gh-151615), and closing the server cancels none of them. A retry that runs once the socket is
    closed fails to watch descriptor -1 with a ValueError from its callback: nothing is lost by dropping it."""
    error = context.get("exception")
    if not isinstance(error, ValueError) or not isinstance(context.get("handle"), asyncio.Handle):
        return False
    return any(
        frame.f_code.co_name == "_start_serving" and Path(frame.f_code.co_filename).parent.name == "asyncio"
        for frame, _ in traceback.walk_tb(error.__traceback__)
    )


def install_accept_error_log(loop: asyncio.AbstractEventLoop, throttle: ThrottledLog | None = None) -> None:
    """Log the loop's accept failures (out of descriptors or memory) through `throttle`, without traceback,
    and drop the accept retries they leave behind that run after the server closed (see
    `_is_stale_accept_retry`); any other unhandled error goes to the loop's default handler as before."""
    throttled = throttle if throttle is not None else ThrottledLog()

    def handle(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        if context.get("message") == _ACCEPT_ERROR and isinstance(error, OSError):
            throttled.warning(f"cannot accept connections: {error.strerror or type(error).__name__}")
            return
        if _is_stale_accept_retry(context):
            log.debug("a retry of accepting connections ran after the server closed: ignored")
            return
        loop.default_exception_handler(context)

    loop.set_exception_handler(handle)


class _Connections:
    """The open connections of one server; those waiting for a request, longest-waiting first."""

    def __init__(self, limits: ConnectionLimits) -> None:
        self.limits = limits
        self.open: set[_GuardedH11Protocol] = set()
        self.waiting: OrderedDict[_GuardedH11Protocol, None] = OrderedDict()
        self.log = ThrottledLog()


class _GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a request-start deadline and a place under the connection cap."""

    guard: ClassVar[_Connections]
    _refused = False
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Take a place under the cap (dropping the longest-waiting connection if need be), or refuse."""
        connections = self.guard
        if len(connections.open) >= connections.limits.max_connections:
            if not connections.waiting:
                self._refuse(transport)
                return
            next(iter(connections.waiting))._drop("at the connection limit")
        super().connection_made(transport)
        connections.open.add(self)
        self._await_request(connections.limits.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        """Free the place under the cap."""
        self._stop_waiting()
        if self._refused:
            return
        self.guard.open.discard(self)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """Read requests, unless refused (then what the client sends is discarded)."""
        if not self._refused:
            super().data_received(data)

    def eof_received(self) -> None:
        """A refused client that read its 503 and closed: close too."""
        if self._refused:
            self.transport.close()
        else:
            super().eof_received()

    def handle_events(self) -> None:
        """A new request cycle means the request's headers arrived: stop the deadline."""
        cycle = self.cycle
        super().handle_events()
        if self.cycle is not cycle:
            self._stop_waiting()

    def on_response_complete(self) -> None:
        """Wait for the next request: uvicorn's keep-alive time, then the header timeout once it starts."""
        super().on_response_complete()
        if not self.transport.is_closing():
            self._await_request(self.timeout_keep_alive + self.guard.limits.header_timeout)

    def _refuse(self, transport: asyncio.Transport) -> None:
        # Answer 503 and half-close, reading until the client closes: closing with its request unread would
        # send a reset that can destroy the answer before the client reads it.
        self._refused, self.transport = True, transport
        self.guard.log.warning("refused a connection: every connection is busy with a request")
        transport.write(_BUSY)
        if not transport.can_write_eof():  # TLS
            transport.close()
            return
        transport.write_eof()
        self._deadline = self.loop.call_later(_REFUSED_LINGER_SECONDS, transport.abort)

    def _await_request(self, seconds: float) -> None:
        self._stop_waiting()
        self._deadline = self.loop.call_later(seconds, self._drop, "no request in time")
        self.guard.waiting[self] = None

    def _stop_waiting(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        self.guard.waiting.pop(self, None)

    def _drop(self, why: str) -> None:
        self._stop_waiting()
        self.guard.open.discard(self)
        self.guard.log.warning(f"dropped a connection that sent no complete request ({why})")
        self.transport.abort()


def guarded_protocol(limits: ConnectionLimits) -> type[asyncio.Protocol]:
    """An h11 protocol class for one server (each call: its own count of connections) that keeps `limits`."""

    class GuardedH11Protocol(_GuardedH11Protocol):
        guard = _Connections(limits)

    return GuardedH11Protocol
