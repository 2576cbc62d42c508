"""Content codings are decoded in bounded steps, so the body cap counts decoded bytes as they arrive."""

from __future__ import annotations

import tracemalloc
import zlib
from collections.abc import Callable

import httpx
import pytest
import respx

from kimicheck.probe.decoding import MAX_CODINGS, STEP_BYTES, body_decoder
from kimicheck.probe.result import Reason

from .helpers import MOONSHOT, config, only, probe, provider
from .hostile import Hostile, MiB, chunks, deflate_bomb, gzip, gzip_bomb, serve_hostile

MODELS_URL = f"{MOONSHOT}/models"
LIMIT_DETAIL = "response body is larger than the 4194304-byte limit; stopped reading"


def decode_all(encoding: str, body: bytes, chunk: int = 1000) -> bytes:
    decoder = body_decoder(encoding)
    out = bytearray()
    for start in range(0, len(body), chunk):
        out += b"".join(decoder.feed(body[start:start + chunk]))
    out += b"".join(decoder.finish())
    return bytes(out)


BOMBS: dict[str, Callable[[], tuple[str, bytes]]] = {
    "gzip": lambda: ("gzip", gzip_bomb()),
    "deflate": lambda: ("deflate", deflate_bomb()),
    "raw deflate": lambda: ("deflate", deflate_bomb()[2:-4]),
    "gzip, gzip": lambda: ("gzip, gzip", gzip(gzip_bomb())),
    "deflate, gzip": lambda: ("Deflate, GZIP", gzip(deflate_bomb())),
    "x-gzip, identity": lambda: ("x-gzip, identity", gzip_bomb()),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_a_compression_bomb_stops_at_the_cap_with_little_memory(name: str) -> None:
    encoding, body = BOMBS[name]()
    answer = Hostile(chunks(body, 1024 * 1024), headers=(("Content-Encoding", encoding),))
    with serve_hostile(answer) as server:
        tracemalloc.start()
        try:
            result = only(probe(config(provider(kind="openai-compatible", base_url=server.base_url))))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert (result.reason, result.status_code, result.detail) == (Reason.INVALID_RESPONSE, 200, LIMIT_DETAIL)
    assert peak < 16 * MiB


@respx.mock
def test_a_compressed_body_within_the_cap_is_decoded() -> None:
    listing = b'{"object": "list", "data": [{"id": "kimi-k2-0905-preview", "object": "model"}]}'
    body = gzip(zlib.compress(listing))
    stream = httpx.ByteStream(body)
    respx.get(MODELS_URL).mock(
        return_value=httpx.Response(200, headers={"Content-Encoding": "deflate, gzip"}, stream=stream))
    result = only(probe(config(provider())))
    assert (result.ok, result.reason) == (True, Reason.OK)


@respx.mock
@pytest.mark.parametrize("encoding", ["br", "zstd", "compress", "gzip, br", ", ".join(["gzip"] * (MAX_CODINGS + 1))])
def test_an_encoding_that_is_not_decoded_is_invalid_response(encoding: str) -> None:
    stream = httpx.ByteStream(b"{}")
    route = respx.get(MODELS_URL).mock(
        return_value=httpx.Response(200, headers={"Content-Encoding": encoding}, stream=stream))
    result = only(probe(config(provider())))
    assert (result.ok, result.reason) == (False, Reason.INVALID_RESPONSE)
    assert result.detail.startswith("the answer cannot be decoded: ")
    assert route.calls.last.request.headers["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "gzip, gzip", "deflate, gzip, gzip, deflate", "identity",
                                      "", "gzip, identity"])
def test_every_piece_is_bounded_and_the_data_survives(encoding: str) -> None:
    data = bytes(range(256)) * 20_000 + bytes(3 * MiB)
    body = data
    codings = [coding.strip() for coding in encoding.split(",") if coding.strip() not in {"", "identity"}]
    for coding in codings:
        body = gzip(body) if coding == "gzip" else zlib.compress(body)
    assert decode_all(encoding, body) == data
    if codings:
        assert max(len(piece) for piece in body_decoder(encoding).feed(body)) <= STEP_BYTES


def test_corrupt_data_is_a_decoding_error() -> None:
    with pytest.raises(httpx.DecodingError):
        decode_all("gzip", b"\x1f\x8b garbage that is not gzip")
    with pytest.raises(httpx.DecodingError):
        decode_all("gzip, gzip", gzip(b"inner is not gzip"))
