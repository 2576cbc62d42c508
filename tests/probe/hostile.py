"""A loopback HTTP server that answers every request with one hostile body, and the bodies it sends.

Raw sockets, not the simulator: the point is to send what no well-behaved server would, byte for byte
(compression bombs with correct checksums, endless and dripping bodies, absurd JSON).
"""

from __future__ import annotations

import functools
import socket
import socketserver
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

MiB = 1024 * 1024

Body = Callable[[], Iterable[bytes]]


@dataclass(frozen=True)
class Hostile:
    """What the server answers: extra headers, the body's chunks, and a pause after each chunk."""

    body: Body
    headers: tuple[tuple[str, str], ...] = ()
    pause: float = 0.0
    status: str = "200 OK"


@dataclass
class HostileServer:
    """A running server: its `/v1` base URL and the requests it has seen (raw head bytes)."""

    base_url: str
    requests: list[bytes] = field(default_factory=list)


def _read_head(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


@contextmanager
def serve_hostile(answer: Hostile) -> Iterator[HostileServer]:
    """Serve `answer` on 127.0.0.1 (a free port) in background threads until the block ends."""
    running = HostileServer(base_url="")

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            running.requests.append(_read_head(self.request))
            head = [f"HTTP/1.1 {answer.status}", "Content-Type: application/json", "Connection: close"]
            head += [f"{name}: {value}" for name, value in answer.headers]
            try:
                self.request.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
                for chunk in answer.body():
                    self.request.sendall(chunk)
                    if answer.pause:
                        time.sleep(answer.pause)
            except OSError:
                return  # the client gave up: what a cap or a deadline is for

    socketserver.ThreadingTCPServer.allow_reuse_address = True
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler) as server:
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        running.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        try:
            yield running
        finally:
            server.shutdown()


def _flushed_zero_blocks(count: int) -> bytes:
    # Each full-flushed MiB of zeros compresses to the same bytes, so a GiB bomb costs one MiB of work.
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = packer.compress(bytes(MiB)) + packer.flush(zlib.Z_FULL_FLUSH)
    return block * count + packer.flush()


@functools.cache
def gzip_bomb(mebibytes: int = 1024) -> bytes:
    """A valid gzip member of about `mebibytes` KB that decodes to `mebibytes` MiB of zeros."""
    crc = 0
    zeros = bytes(MiB)
    for _ in range(mebibytes):
        crc = zlib.crc32(zeros, crc)
    trailer = crc.to_bytes(4, "little") + ((mebibytes * MiB) % 2**32).to_bytes(4, "little")
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + _flushed_zero_blocks(mebibytes) + trailer


@functools.cache
def deflate_bomb(mebibytes: int = 1024) -> bytes:
    """A valid zlib-wrapped deflate stream that decodes to `mebibytes` MiB of zeros."""
    adler = 1
    zeros = bytes(MiB)
    for _ in range(mebibytes):
        adler = zlib.adler32(zeros, adler)
    return b"\x78\xda" + _flushed_zero_blocks(mebibytes) + adler.to_bytes(4, "big")


def gzip(data: bytes) -> bytes:
    """`data` as one gzip member."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return packer.compress(data) + packer.flush()


def chunks(data: bytes, size: int = 64 * 1024) -> Body:
    """A body that sends `data` in `size`-byte writes."""
    return lambda: (data[start:start + size] for start in range(0, len(data), size))


def endless(chunk: bytes) -> Body:
    """A body that never ends."""

    def forever() -> Iterator[bytes]:
        while True:
            yield chunk

    return forever
