"""The connection guard on a real uvicorn server on loopback, with short timeouts and a small cap."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import resource
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kimicheck.asgi import CallerSignalsServer, bind_socket, uvicorn_config
from kimicheck.conn_guard import ConnectionLimits, ThrottledLog, default_max_connections, install_accept_error_log
from tests.serve.certs import make_certs

REQUEST = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"


class App:
    """Answers `ok`; `/slow` waits until `release` is set."""

    def __init__(self) -> None:
        self.release = threading.Event()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        while scope["path"] == "/slow" and not self.release.is_set():
            await asyncio.sleep(0.01)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
        await send({"type": "http.response.body", "body": b"ok"})


@contextlib.contextmanager
def running(limits: ConnectionLimits, app: App | None = None, **options: Any) -> Iterator[tuple[str, int]]:
    """A guarded uvicorn server in a thread, until the block ends."""
    app = app if app is not None else App()
    sock = bind_socket("127.0.0.1", 0)
    config = uvicorn_config(app, grace_seconds=1, limits=limits, timeout_keep_alive=1, **options)
    server = CallerSignalsServer(config, handshake_timeout=limits.handshake_timeout)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.01)
        yield sock.getsockname()[:2]
    finally:
        app.release.set()
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def closed_after(sock: socket.socket, within: float) -> float | None:
    """Seconds until the server closed `sock`, or None when it is still open after `within` seconds."""
    started = time.monotonic()
    sock.settimeout(within)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return None
    except OSError:
        pass
    return time.monotonic() - started


def fetch(address: tuple[str, int], path: str = "/") -> bytes:
    with socket.create_connection(address, timeout=5) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        return b"".join(iter(lambda: sock.recv(4096), b""))


@pytest.mark.parametrize("first_bytes", [b"", b"GET / HT", b"GET / HTTP/1.1\r\nHost: x\r\n"])
def test_a_request_that_never_ends_is_dropped_after_the_header_timeout(first_bytes: bytes) -> None:
    with running(ConnectionLimits(max_connections=8, header_timeout=0.5)) as address, \
            socket.create_connection(address) as sock:
        sock.sendall(first_bytes)
        seconds = closed_after(sock, 5)
    assert seconds is not None and 0.3 < seconds < 5


def test_an_unfinished_request_after_a_keep_alive_response_is_dropped() -> None:
    # uvicorn's keep-alive timer stops at the first byte of the next request; the header timeout then runs
    with running(ConnectionLimits(max_connections=8, header_timeout=0.5)) as address, \
            socket.create_connection(address) as sock:
        sock.sendall(REQUEST)
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET / HT")
        seconds = closed_after(sock, 6)
    assert seconds is not None


def test_a_tls_client_that_never_says_hello_is_dropped(tmp_path: Path) -> None:
    certs = make_certs(tmp_path)
    limits = ConnectionLimits(max_connections=8, handshake_timeout=0.5)
    with running(limits, ssl_certfile=str(certs.server_cert), ssl_keyfile=str(certs.server_key)) as address:
        with socket.create_connection(address) as sock:
            seconds = closed_after(sock, 5)
        context = ssl.create_default_context(cafile=str(certs.ca))
        with context.wrap_socket(socket.create_connection(address, timeout=5), server_hostname="127.0.0.1") as tls:
            tls.sendall(REQUEST)
            assert tls.recv(4096).startswith(b"HTTP/1.1 200")
    assert seconds is not None and seconds < 5


def test_at_the_cap_the_connection_waiting_longest_makes_room() -> None:
    with running(ConnectionLimits(max_connections=4, header_timeout=30)) as address:
        idle = [socket.create_connection(address) for _ in range(4)]
        time.sleep(0.3)  # all four are open and waiting
        try:
            assert fetch(address).endswith(b"ok")
            assert closed_after(idle[0], 2) is not None
            assert all(closed_after(sock, 0.2) is None for sock in idle[1:])
        finally:
            for sock in idle:
                sock.close()


def test_when_every_connection_is_busy_a_new_one_is_answered_503() -> None:
    app = App()
    with running(ConnectionLimits(max_connections=2, header_timeout=30), app) as address:
        busy = [socket.create_connection(address) for _ in range(2)]
        try:
            for sock in busy:
                sock.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            time.sleep(0.3)
            assert fetch(address).startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
            app.release.set()
            assert all(sock.recv(4096).startswith(b"HTTP/1.1 200") for sock in busy)
        finally:
            for sock in busy:
                sock.close()


@pytest.mark.parametrize(
    ("soft_limit", "cap"),
    [(1024, 480), (256, 96), (20_000, 1024), (40, 16), (resource.RLIM_INFINITY, 1024)],
)
def test_the_default_cap_leaves_descriptors_to_spare(soft_limit: int, cap: int) -> None:
    assert default_max_connections(soft_limit) == cap
    assert ConnectionLimits(cap).backlog <= cap // 2 or cap < 16


def test_the_default_cap_reads_the_process_limit() -> None:
    assert default_max_connections() == default_max_connections(resource.getrlimit(resource.RLIMIT_NOFILE)[0])


def test_a_throttled_warning_is_logged_once_per_interval(caplog: pytest.LogCaptureFixture) -> None:
    throttled = ThrottledLog(interval=0.2)
    with caplog.at_level(logging.WARNING, logger="kimicheck.serve"):
        for _ in range(50):
            throttled.warning("cannot accept connections: Too many open files")
        time.sleep(0.25)
        throttled.warning("cannot accept connections: Too many open files")
    assert [record.getMessage() for record in caplog.records] == [
        "cannot accept connections: Too many open files; logged at most once every 0.2s",
        "cannot accept connections: Too many open files (49 more since the last such line); "
        "logged at most once every 0.2s",
    ]
    assert all(record.exc_info is None for record in caplog.records)


def test_other_loop_errors_still_reach_the_default_handler(caplog: pytest.LogCaptureFixture) -> None:
    loop = asyncio.new_event_loop()
    try:
        install_accept_error_log(loop, ThrottledLog(interval=60))
        with caplog.at_level(logging.WARNING):
            loop.call_exception_handler({"message": "socket.accept() out of system resource",
                                         "exception": OSError(24, "Too many open files")})
            loop.call_exception_handler({"message": "socket.accept() out of system resource",
                                         "exception": OSError(24, "Too many open files")})
            loop.call_exception_handler({"message": "something else broke"})
    finally:
        loop.close()
    assert [(record.name, record.getMessage()) for record in caplog.records] == [
        ("kimicheck.serve", "cannot accept connections: Too many open files; logged at most once every 60s"),
        ("asyncio", "something else broke"),
    ]


class _OutOfDescriptors(socket.socket):
    """A listening socket whose every accept fails as it does when the process is out of descriptors."""

    def accept(self) -> tuple[socket.socket, Any]:
        raise OSError(errno.EMFILE, os.strerror(errno.EMFILE))


def test_accept_retries_still_pending_when_the_server_closes_log_no_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # asyncio answers each failed accept with a retry a second later (one per attempt, see CPython gh-151615)
    # and cancels none when the server closes: those retries then run on the closed listening socket
    async def accept_fails_then_close() -> None:
        loop = asyncio.get_running_loop()
        install_accept_error_log(loop, ThrottledLog(interval=60))
        with _OutOfDescriptors(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            server = await loop.create_server(asyncio.Protocol, sock=sock, backlog=8)
            with socket.create_connection(sock.getsockname()[:2]):
                deadline = time.monotonic() + 5
                while not caplog.records and time.monotonic() < deadline:
                    await asyncio.sleep(0.01)
                server.close()
                await server.wait_closed()
            await asyncio.sleep(1.5)  # asyncio's ACCEPT_RETRY_DELAY is 1 s

    with caplog.at_level(logging.WARNING):
        asyncio.run(accept_fails_then_close())
    assert [(record.name, record.getMessage()) for record in caplog.records] == [
        ("kimicheck.serve", "cannot accept connections: Too many open files; logged at most once every 60s"),
    ]
    assert all(record.exc_info is None for record in caplog.records)
