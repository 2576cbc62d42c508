"""What `kimicheck serve` and the simulator share to run an ASGI app under uvicorn.

A socket bound before the server starts (so port 0 gives the real port at once), and a uvicorn server
that leaves signal handling to its caller: `serve` stops its scheduler on SIGTERM, the simulator in a
thread must not touch the process's handlers at all.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from typing import Any

import uvicorn

__all__ = ["CallerSignalsServer", "bind_socket", "uvicorn_config"]


class CallerSignalsServer(uvicorn.Server):
    """uvicorn without its own signal handling: the caller decides how the server stops."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


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


def uvicorn_config(app: Any, *, grace_seconds: int, **options: Any) -> uvicorn.Config:
    """uvicorn settings both servers use: HTTP/1.1 only, no lifespan, no access log, no log config of its own
    (the command sets up logging), and a bounded graceful shutdown. `options` add TLS or header settings."""
    return uvicorn.Config(
        app,
        lifespan="off",
        access_log=False,
        log_config=None,
        log_level="warning",
        http="h11",
        ws="none",
        timeout_graceful_shutdown=grace_seconds,
        **options,
    )
