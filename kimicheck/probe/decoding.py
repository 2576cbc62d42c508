"""Decoding a response body's Content-Encoding in bounded steps, so a size cap can count decoded bytes.

httpx's own decoders inflate each network chunk in one call: 64 KiB of gzip can become 64 MiB before any
cap sees it, and stacked codings (`gzip, gzip`) multiply that. Here every inflate step emits at most
`STEP_BYTES`, each stacked layer feeds the next piece by piece, and the reader counts as pieces arrive, so
an abandoned body never costs more than a few steps of memory whatever its compression ratio.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator, Sequence

import httpx

__all__ = ["ACCEPT_ENCODING", "MAX_CODINGS", "STEP_BYTES", "BodyDecoder", "body_decoder"]

#: The most one inflate step may emit.
STEP_BYTES = 64 * 1024
#: The most content codings one body may stack (real servers use one).
MAX_CODINGS = 4


class _ZlibLayer:
    """One gzip or deflate coding, inflated at most STEP_BYTES at a time."""

    def __init__(self, wbits: int, *, raw_fallback: bool = False) -> None:
        self._inflater = zlib.decompressobj(wbits)
        self._raw_fallback = raw_fallback  # "deflate" is sent both zlib-wrapped and raw, as httpx accepts
        self._started = False

    def _inflate(self, data: bytes) -> bytes:
        try:
            out = self._inflater.decompress(data, STEP_BYTES)
        except zlib.error as exc:
            if not (self._raw_fallback and not self._started):
                raise httpx.DecodingError(f"invalid compressed data ({exc})") from None
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._inflater.decompress(data, STEP_BYTES)
        self._started = True
        return out

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The decoded pieces of `data`, each at most STEP_BYTES; data after the end of the stream is ignored."""
        while data and not self._inflater.eof:
            out = self._inflate(data)
            data = self._inflater.unconsumed_tail
            if out:
                yield out
            # A full step may leave output pending inside the inflater: ask again with no new input.
            while len(out) == STEP_BYTES and not data:
                out = self._inflate(b"")
                if out:
                    yield out

    def finish(self) -> Iterator[bytes]:
        """Whatever the inflater still holds (feed already drained it, so at most a small remainder)."""
        rest = self._inflater.flush(STEP_BYTES)
        if rest:
            yield rest


_LAYERS: dict[str, Callable[[], _ZlibLayer]] = {
    "gzip": lambda: _ZlibLayer(zlib.MAX_WBITS | 16),
    "x-gzip": lambda: _ZlibLayer(zlib.MAX_WBITS | 16),
    "deflate": lambda: _ZlibLayer(zlib.MAX_WBITS, raw_fallback=True),
}

#: What the probes' client asks for: exactly the codings decoded here.
ACCEPT_ENCODING = "gzip, deflate"


class BodyDecoder:
    """The decoder of one response body: raw chunks in, decoded pieces of at most STEP_BYTES out."""

    def __init__(self, layers: Sequence[_ZlibLayer]) -> None:
        self._layers = tuple(layers)

    def _through(self, index: int, piece: bytes) -> Iterator[bytes]:
        if index == len(self._layers):
            yield piece
            return
        for decoded in self._layers[index].feed(piece):
            yield from self._through(index + 1, decoded)

    def feed(self, raw: bytes) -> Iterator[bytes]:
        """The decoded pieces of the next raw chunk (decoded lazily: stop iterating to stop decoding)."""
        return self._through(0, raw)

    def finish(self) -> Iterator[bytes]:
        """The pieces the layers still hold once the raw body has ended, outermost layer first."""
        for index, layer in enumerate(self._layers):
            for piece in layer.finish():
                yield from self._through(index + 1, piece)


def body_decoder(content_encoding: str) -> BodyDecoder:
    """The decoder for a Content-Encoding header value; httpx.DecodingError for one kimicheck will not decode."""
    codings = [token.strip().lower() for token in content_encoding.split(",")]
    codings = [coding for coding in codings if coding not in {"", "identity"}]
    unknown = sorted({coding for coding in codings if coding not in _LAYERS})
    if unknown:
        shown = ", ".join(repr(coding[:20]) for coding in unknown[:3])
        raise httpx.DecodingError(f"unsupported Content-Encoding {shown} (kimicheck asks for {ACCEPT_ENCODING})")
    if len(codings) > MAX_CODINGS:
        raise httpx.DecodingError(f"{len(codings)} stacked content codings (at most {MAX_CODINGS} are decoded)")
    # The header lists codings in the order they were applied: undo the last one first.
    return BodyDecoder([_LAYERS[coding]() for coding in reversed(codings)])
