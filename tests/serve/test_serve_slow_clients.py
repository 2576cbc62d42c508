"""`kimicheck serve` against clients that open connections and never finish a request or a TLS handshake."""

from __future__ import annotations

import contextlib
import socket
import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.serve.certs import make_certs
from tests.serve.process import Served, serve, sim_config

#: with 256 descriptors the default cap is 96 connections: these are three times as many
SLOW_CLIENTS = 300
#: the default header and handshake timeouts (10 s), plus slack for a loaded machine
CLOSED_WITHIN = 16.0


def address(served: Served) -> tuple[str, int]:
    host, port = served.url.split("://")[1].rsplit(":", 1)
    return host, int(port)


@contextlib.contextmanager
def slow_clients(served: Served, count: int, first_bytes: bytes) -> Iterator[list[socket.socket]]:
    """`count` connections that each send `first_bytes` of a request and then nothing."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.create_connection(address(served), timeout=10)
            with contextlib.suppress(OSError):  # a connection dropped at the cap may already be reset
                sock.sendall(first_bytes)
            sockets.append(sock)
        yield sockets
    finally:
        for sock in sockets:
            sock.close()


def closed_by_server(sock: socket.socket, within: float) -> float | None:
    """Seconds until the server closed `sock` (EOF or reset), or None if it was still open after `within`."""
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


def noise(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "a connection" in line or "accept" in line]


def test_slow_clients_above_the_cap_do_not_stop_health_and_metrics(tmp_path: Path) -> None:
    config = tmp_path / "kimicheck.yaml"
    config.write_text(sim_config("http://127.0.0.1:9/v1"))
    with serve(config, open_files=256) as served, slow_clients(served, SLOW_CLIENTS, b"GET /metrics HTTP/1.1\r\n"):
        with httpx.Client(timeout=5) as client:
            assert client.get(served.url + "/healthz").status_code == 200
            assert "kimicheck_build_info" in client.get(served.url + "/metrics").text
        assert served.process.poll() is None
    assert "Traceback" not in served.stderr
    assert 1 <= len(noise(served.stderr)) <= 3, served.stderr
    assert len(served.stderr) < 5_000


def test_unfinished_requests_and_tls_handshakes_are_closed(tmp_path: Path) -> None:
    make_certs(tmp_path)
    web = tmp_path / "web.yml"
    web.write_text("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n")
    config = tmp_path / "kimicheck.yaml"
    config.write_text(sim_config("http://127.0.0.1:9/v1"))
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with serve(config, "--web-config", str(web)) as served:
        no_hello = socket.create_connection(address(served))
        tls = context.wrap_socket(socket.create_connection(address(served)))
        tls.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")  # the headers never end
        with no_hello, tls:
            assert closed_by_server(no_hello, CLOSED_WITHIN) is not None, "a TLS client without ClientHello stays"
            assert closed_by_server(tls, CLOSED_WITHIN) is not None, "an unfinished request stays open"
        with httpx.Client(verify=False) as client:
            assert client.get(served.url + "/healthz").status_code == 200
    assert "Traceback" not in served.stderr


def test_accept_errors_are_logged_once_without_a_traceback(tmp_path: Path) -> None:
    config = tmp_path / "kimicheck.yaml"
    config.write_text(sim_config("http://127.0.0.1:9/v1"))
    # a cap far above what 128 descriptors allow: the loop runs out of descriptors while accepting
    with serve(config, "--max-connections", "1000", open_files=128) as served:
        with slow_clients(served, 150, b"GET / HTTP/1.1\r\n"):
            served.wait_for_log("cannot accept connections: Too many open files")
            time.sleep(2.5)  # the loop retries accepting every second
        with httpx.Client(timeout=5) as client:
            deadline = time.monotonic() + 10
            while client.get(served.url + "/healthz").status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.2)
    assert "Traceback" not in served.stderr
    assert served.stderr.count("cannot accept connections") == 1, served.stderr
