"""The responses faults produce, as ASGI responses served over a real socket."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from kimicheck.sim.dialects import DEFAULT_ERROR_TYPES, Dialect
from kimicheck.sim.faults import CHAT_KINDS, POST_KINDS, Fault, FaultKind
from kimicheck.sim.sse import SSEResponse

__all__ = [
    "RAW_SEND_SCOPE_KEY",
    "CutStreamResponse",
    "HangResponse",
    "ResetResponse",
    "fault_response",
    "post_fault_response",
    "stream_fault_response",
    "transforms",
]

#: Where the app keeps the server's own `send`, whose owner holds the connection's transport.
RAW_SEND_SCOPE_KEY = "kimicheck.sim.raw_send"
_CHUNK = 64 * 1024
_POLL_SECONDS = 0.1

_CDN_PAGE = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>"
    "\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n"
)
_REASONS = {403: "Forbidden", 502: "Bad Gateway", 503: "Service Temporarily Unavailable", 504: "Gateway Time-out"}


async def _abort_connection(scope: Scope) -> None:
    """Reset the TCP connection (RST, not FIN): SO_LINGER 0, then close."""
    raw_send = scope.get(RAW_SEND_SCOPE_KEY)
    transport: Any = getattr(getattr(raw_send, "__self__", None), "transport", None)
    if transport is None:
        raise ConnectionAbortedError("simulated connection reset")
    if transport.is_closing():
        return
    sock = transport.get_extra_info("socket")
    with contextlib.suppress(OSError):
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    # let the server see the connection lost, so it does not try to answer on it
    await asyncio.sleep(0)


class ResetResponse(Response):
    """No response at all: the connection is reset."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _abort_connection(scope)


class HangResponse(Response):
    """Say nothing until the client disconnects, the server stops or `limit` seconds pass; then reset."""

    def __init__(self, limit: float, stopping: Callable[[], bool]) -> None:
        super().__init__(status_code=200)
        self.limit = limit
        self.stopping = stopping

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.limit
        message = asyncio.ensure_future(receive())
        try:
            while not self.stopping() and loop.time() < deadline:
                done, _ = await asyncio.wait({message}, timeout=_POLL_SECONDS)
                if done:
                    if message.result().get("type") == "http.disconnect":
                        return
                    message = asyncio.ensure_future(receive())
        finally:
            message.cancel()
        await _abort_connection(scope)


def _error_response(fault: Fault, dialect: Dialect) -> Response:
    status = fault.status or 500
    error_type = fault.error_type or DEFAULT_ERROR_TYPES.get(status, "server_error")
    message = fault.message or f"simulated {status} {error_type}"
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else None
    return JSONResponse(dialect.error(status, error_type, message), status_code=status, headers=headers)


async def _oversized(size: int, stopping: Callable[[], bool]) -> AsyncIterator[bytes]:
    head, tail = b'{"object":"list","data":[', b"]}"
    yield head
    left = size - len(head) - len(tail)
    while left > 0 and not stopping():
        chunk = min(left, _CHUNK)
        yield b" " * chunk
        left -= chunk
    yield tail


async def _drip(body: bytes, interval: float, stopping: Callable[[], bool]) -> AsyncIterator[bytes]:
    for index in range(len(body)):
        if stopping():
            return
        yield body[index : index + 1]
        await asyncio.sleep(interval)


def transforms(fault: Fault, dialect: Dialect) -> bool:
    """Whether `fault` reworks the real response (True) or replaces it (False) in `dialect`."""
    if fault.kind is FaultKind.CONTENT_FILTER:
        return dialect.content_filter_refusal() is None
    return fault.kind in POST_KINDS | CHAT_KINDS


def _retry_after(fault: Fault) -> dict[str, str] | None:
    return {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else None


def _dialect_answer(answer: tuple[int, dict[str, Any]] | None, fault: Fault) -> Response:
    assert answer is not None, "a fault that replaces the answer needs the dialect's answer"
    status, body = answer
    return JSONResponse(body, status_code=status, headers=_retry_after(fault))


def fault_response(fault: Fault, dialect: Dialect, stopping: Callable[[], bool]) -> Response:
    """The response of a fault that replaces the real one."""
    kind = fault.kind
    if kind is FaultKind.STATUS:
        return _error_response(fault, dialect)
    if kind is FaultKind.OVERLOADED:
        return _dialect_answer(dialect.overloaded(), fault)
    if kind is FaultKind.CONTENT_FILTER:
        return _dialect_answer(dialect.content_filter_refusal(), fault)
    if kind is FaultKind.HTML:
        status = fault.status or 502
        page = fault.body or _CDN_PAGE.format(status=status, reason=_REASONS.get(status, "Error"))
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else None
        return HTMLResponse(page, status_code=status, headers={"Server": "cloudflare", **(headers or {})})
    if kind is FaultKind.NON_JSON:
        return Response(fault.body or "OK: upstream answered", status_code=200, media_type="application/json")
    if kind is FaultKind.WRONG_SHAPE:
        return Response(fault.body or json.dumps({"result": "ok", "items": None}), media_type="application/json")
    if kind is FaultKind.OVERSIZED:
        return StreamingResponse(_oversized(fault.size, stopping), media_type="application/json")
    if kind is FaultKind.RESET:
        return ResetResponse()
    if kind is FaultKind.REDIRECT:
        assert fault.location is not None
        return RedirectResponse(fault.location, status_code=fault.status or 307)
    if kind is FaultKind.HANG:
        return HangResponse(fault.delay, stopping)
    raise ValueError(f"{kind.value} is not a replacing fault")


def _filtered(payload: Any) -> Any:
    """A completion (or one streamed chunk of it) as the content filter leaves it: every finished choice
    ends with `finish_reason: content_filter`, and a whole message loses its text."""
    if not isinstance(payload, dict) or not isinstance(payload.get("choices"), list):
        return payload
    for choice in payload["choices"]:
        if isinstance(choice, dict) and choice.get("finish_reason") is not None:
            choice["finish_reason"] = "content_filter"
            if isinstance(choice.get("message"), dict):
                choice["message"]["content"] = ""
    return payload


def _compact(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _filter_body(body: bytes, streamed: bool) -> bytes:
    if not streamed:
        return _compact(_filtered(json.loads(body)))
    events = []
    for event in body.split(b"\n\n"):
        if event.startswith(b"data: {"):
            event = b"data: " + _compact(_filtered(json.loads(event[6:])))
        events.append(event)
    return b"\n\n".join(events)


def post_fault_response(fault: Fault, real: Response, stopping: Callable[[], bool]) -> Response:
    """The response of a fault that transforms the real (non-streaming) one."""
    whole = getattr(real, "whole_body", None)
    body = whole if isinstance(whole, bytes) else bytes(real.body)
    media_type = real.media_type or "application/json"
    if fault.kind is FaultKind.CONTENT_FILTER:
        if real.status_code != 200:
            return real  # a refusal (unknown model, empty account) is answered before any filter runs
        filtered = _filter_body(body, streamed=whole is not None)
        return Response(filtered, status_code=real.status_code, media_type=media_type)
    if fault.kind is FaultKind.TRUNCATED_JSON:
        return Response(body[: len(body) // 2], status_code=real.status_code, media_type=media_type)
    if fault.kind is FaultKind.DRIP:
        return StreamingResponse(
            _drip(body, fault.delay, stopping),
            status_code=real.status_code,
            media_type=media_type,
            headers={"Content-Length": str(len(body))},
        )
    raise ValueError(f"{fault.kind.value} is not a transforming fault")


async def _sleep(seconds: float, stopping: Callable[[], bool]) -> None:
    """Sleep `seconds`, waking early when the server stops."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not stopping() and (left := deadline - loop.time()) > 0:
        await asyncio.sleep(min(left, _POLL_SECONDS))


async def _paced(stream: SSEResponse, fault: Fault, stopping: Callable[[], bool]) -> AsyncIterator[bytes]:
    interval = 1.0 / fault.tokens_per_second if fault.tokens_per_second else 0.0
    for index, event in enumerate(stream.events):
        if index == stream.first_token:
            await _sleep(fault.delay, stopping)
        elif stream.first_token < index < stream.token_end and interval:
            await _sleep(interval, stopping)
        yield event


class CutStreamResponse(Response):
    """The first half of a stream's tokens, then the connection reset: no finish chunk, no `[DONE]`."""

    def __init__(self, stream: SSEResponse) -> None:
        super().__init__(status_code=200, media_type=stream.media_type)
        self.raw_headers = stream.raw_headers
        self.events = stream.events[: (stream.first_token + stream.token_end) // 2]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        for event in self.events:
            await send({"type": "http.response.body", "body": event, "more_body": True})
        await _abort_connection(scope)


def stream_fault_response(fault: Fault, real: Response, stopping: Callable[[], bool]) -> Response:
    """The response of a fault that changes how a stream is sent; any other response stays as it is."""
    if not isinstance(real, SSEResponse):
        return real
    if fault.kind is FaultKind.STREAM_CUT:
        return CutStreamResponse(real)
    if fault.kind is FaultKind.SLOW_STREAM:
        return StreamingResponse(_paced(real, fault, stopping), media_type=real.media_type,
                                 headers={"Cache-Control": "no-cache"})
    raise ValueError(f"{fault.kind.value} is not a stream fault")
