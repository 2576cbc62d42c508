"""The probes' one HTTP client and the one function that sends a request with it.

Safety lives here so no prober can forget it: redirects are never followed (a 3xx is reported, and the
key never reaches the other host), plain `http://` is refused before anything is sent unless the host is
loopback, a response body is read in chunks and abandoned past a size cap (counted on the wire and again
after decoding, see `decoding`), and one deadline bounds the
whole exchange (connect, headers and body), so a server that drips bytes cannot hold a probe past its
timeout.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from kimicheck import __version__
from kimicheck.net import is_loopback_host
from kimicheck.probe.decoding import ACCEPT_ENCODING, body_decoder
from kimicheck.probe.errors import ProbeError, from_exception
from kimicheck.probe.exchange import ExchangeRecording, ExchangeSink, Tracer
from kimicheck.probe.result import Reason
from kimicheck.proxies import build_async_client
from kimicheck.secrets import Secret
from kimicheck.wire_json import NestedTooDeeply, decode_json

__all__ = ["DEFAULT_MAX_BODY_BYTES", "BrokenBody", "Reply", "build_client", "check_url", "send"]

#: The largest response body a probe reads; /models lists are a few hundred KB at most.
DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Reply:
    """A complete HTTP answer: status, headers and the (capped) body."""

    status_code: int
    headers: httpx.Headers
    body: bytes
    #: event-loop time the request was handed to the client
    sent_at: float = 0.0
    #: (event-loop time, decoded body length so far) as each piece of the body arrived: a stream's timing
    arrivals: tuple[tuple[float, int], ...] = ()

    def json(self) -> object:
        """The body as JSON, numbers with a fraction as exact `Decimal`s; `invalid_response` if not JSON
        (a syntax error, bytes that are not UTF-8, nesting deeper than the decoder follows)."""
        try:
            return decode_json(self.body, exact=True)
        except NestedTooDeeply:
            what = "is JSON nested too deeply"
        except ValueError:
            what = "is not JSON"
        raise ProbeError(
            Reason.INVALID_RESPONSE,
            f"HTTP {self.status_code} answer {what} ({len(self.body)} bytes)",
            status_code=self.status_code,
        )


class BrokenBody(ProbeError):
    """The answer began (its status and headers came) but its body broke off: a stream cut mid-way."""

    def __init__(self, error: ProbeError, answer_status: int) -> None:
        super().__init__(error.reason, error.detail, retry_after=error.retry_after, maybe_sent=error.maybe_sent)
        #: the status of the answer whose body broke (`status_code` stays None: no complete answer came)
        self.answer_status = answer_status


def build_client(
    *, max_connections: int = 32, timeout: float = 10.0, environ: Mapping[str, str] | None = None
) -> httpx.AsyncClient:
    """The pooled client every probe shares: no redirects, bounded pool, per-request timeouts.

    Proxies follow `kimicheck.proxies` for the variables in `environ` (the process environment if None).
    """
    return build_async_client(
        os.environ if environ is None else environ,
        follow_redirects=False,
        timeout=httpx.Timeout(timeout),
        limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
        headers={
            "User-Agent": f"kimicheck/{__version__}",
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
        },
    )


def check_url(url: str) -> None:
    """Raise a ProbeError unless `url` is https, or http to a loopback host (nothing is sent otherwise)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return
    if parts.scheme == "http":
        if is_loopback_host(parts.hostname or ""):
            return
        raise ProbeError(
            Reason.TLS_ERROR,
            f"refused to send the key over plain http to {parts.hostname}: use an https:// base_url "
            "(plain http is allowed only to loopback hosts)",
            maybe_sent=False,
        )
    raise ProbeError(
        Reason.BAD_REQUEST, f"base_url must start with https:// (got scheme {parts.scheme!r})", maybe_sent=False
    )


def _too_large(response: httpx.Response, max_body_bytes: int) -> ProbeError:
    return ProbeError(
        Reason.INVALID_RESPONSE,
        f"response body is larger than the {max_body_bytes}-byte limit; stopped reading",
        status_code=response.status_code,
    )


async def _read_capped(response: httpx.Response, max_body_bytes: int,
                       arrivals: list[tuple[float, int]]) -> bytes:
    # Both the bytes on the wire and the decoded bytes count against the cap, the decoded ones as each
    # bounded inflate step produces them, so a compression bomb is abandoned after the limit.
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_body_bytes:
        raise ProbeError(
            Reason.INVALID_RESPONSE,
            f"response body of {int(declared)} bytes is larger than the {max_body_bytes}-byte limit",
            status_code=response.status_code,
        )
    decoder = body_decoder(response.headers.get("content-encoding", ""))
    loop = asyncio.get_running_loop()
    body = bytearray()
    raw_size = 0

    def take(pieces: Iterator[bytes]) -> None:
        for piece in pieces:
            if len(body) + len(piece) > max_body_bytes:
                raise _too_large(response, max_body_bytes)
            body.extend(piece)

    async for raw in response.aiter_raw():
        raw_size += len(raw)
        if raw_size > max_body_bytes:
            raise _too_large(response, max_body_bytes)
        take(decoder.feed(raw))
        arrivals.append((loop.time(), len(body)))
    take(decoder.finish())
    return bytes(body)


async def send(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    key: Secret,
    deadline: float,
    json_body: object | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    record: ExchangeSink | None = None,
) -> Reply:
    """Send one request and read its whole answer before `deadline` (event-loop time).

    Any status comes back as a Reply; transport failures, the deadline and an oversized body raise
    ProbeError. A redirect's body is not read. With `record`, the exchange (redacted, with its timings)
    is handed to it once it is over, however it ended.
    """
    check_url(url)
    remaining = deadline - asyncio.get_running_loop().time()
    if remaining <= 0:
        raise ProbeError(Reason.TIMEOUT, "no time left for this request within the timeout", maybe_sent=False)
    tracer = Tracer()
    try:
        request = client.build_request(
            method, url, headers={"Authorization": f"Bearer {key.reveal()}"}, json=json_body,
            timeout=httpx.Timeout(remaining), extensions={"trace": tracer},
        )
    except httpx.InvalidURL as exc:
        raise from_exception(exc) from None
    recorded = ExchangeRecording(record, request, tracer, (key,), json_body) if record is not None else None
    try:
        reply = await _exchange(client, request, deadline, max_body_bytes, recorded)
    except ProbeError as error:
        if recorded is not None:
            recorded.failed(error)
        raise
    if recorded is not None:
        recorded.done(reply.body)
    return reply


async def _exchange(client: httpx.AsyncClient, request: httpx.Request, deadline: float, max_body_bytes: int,
                    recorded: ExchangeRecording | None) -> Reply:
    sent_at = asyncio.get_running_loop().time()
    arrivals: list[tuple[float, int]] = []
    try:
        async with asyncio.timeout_at(deadline):
            response = await client.send(request, stream=True)
            try:
                if recorded is not None:
                    recorded.answered(response)
                if response.is_redirect:
                    return Reply(response.status_code, response.headers, b"", sent_at)
                try:
                    body = await _read_capped(response, max_body_bytes, arrivals)
                except httpx.TransportError as exc:
                    raise BrokenBody(from_exception(exc), response.status_code) from None
                return Reply(response.status_code, response.headers, body, sent_at, tuple(arrivals))
            finally:
                await response.aclose()
    except ProbeError:
        raise
    except (httpx.HTTPError, httpx.InvalidURL, TimeoutError) as exc:
        raise from_exception(exc) from None
