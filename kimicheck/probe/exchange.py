"""What one request of a probe looked like on the wire, kept for `kimicheck serve`'s debug view.

`send` fills an `ExchangeRecording` as the exchange goes (the request, the answer's status and headers, the
first few KiB of its body, httpx's trace events) and hands the finished `Exchange` to a sink. Everything
kept is safe to show: the key is masked in the request headers (never a prefix of it), and every header
value, the URL and the body are redacted through `kimicheck.secrets.redact`; escaping is the renderer's job.

Who keeps the exchanges decides it by setting the sink around a check with `recording` (a context
variable, so the signature of `run_check` and the scheduler's probes stay as they are); a `ProbeSession`
picks up the sink in force when it is made. Without a sink nothing is kept and nothing costs anything.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from kimicheck.probe.errors import ProbeError
from kimicheck.secrets import Secret, redact

__all__ = [
    "BODY_HEAD_BYTES",
    "Exchange",
    "ExchangeRecording",
    "ExchangeSink",
    "Timings",
    "Tracer",
    "current_sink",
    "recording",
]

#: how much of a body is kept and shown
BODY_HEAD_BYTES = 4096
#: redaction reads this much past the cut, so a key straddling it is masked whole and no prefix survives
_REDACT_MARGIN = 512
#: headers whose whole value is a credential: only the scheme is shown
_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "x-api-key", "api-key", "cookie"})
MASK = "[REDACTED]"


@dataclass(frozen=True)
class Timings:
    """Seconds from the moment the request was handed to httpx; None for a phase that did not happen
    (`connect` and `tls` on a reused connection, `tls` over plain http, everything after a failure)."""

    connect: float | None
    tls: float | None
    first_byte: float | None
    total: float


@dataclass(frozen=True)
class BodyHead:
    """The first `BODY_HEAD_BYTES` of a body as redacted text, and how big the whole was."""

    text: str
    size: int
    truncated: bool


@dataclass(frozen=True)
class Exchange:
    """One request and what came back, all of it redacted."""

    at: float
    method: str
    url: str
    request_headers: tuple[tuple[str, str], ...]
    request_body: BodyHead | None
    model: str | None
    status_code: int | None = None
    reason_phrase: str = ""
    http_version: str = ""
    response_headers: tuple[tuple[str, str], ...] = ()
    response_body: BodyHead | None = None
    error_reason: str | None = None
    error_detail: str = ""
    timings: Timings = field(default_factory=lambda: Timings(None, None, None, 0.0))
    #: None when the transport reported no phases (a mocked one)
    connection_reused: bool | None = None


ExchangeSink = Callable[[Exchange], None]

_SINK: ContextVar[ExchangeSink | None] = ContextVar("kimicheck_exchange_sink", default=None)


def current_sink() -> ExchangeSink | None:
    """The sink set by the innermost `recording`, if any."""
    return _SINK.get()


@contextmanager
def recording(sink: ExchangeSink) -> Iterator[None]:
    """Within the block (and tasks started from it), every probe request is handed to `sink` once done."""
    token = _SINK.set(sink)
    try:
        yield
    finally:
        _SINK.reset(token)


class Tracer:
    """httpx's `trace` extension: the monotonic time each phase of the exchange started and completed."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self._clock = clock
        self.started = clock()
        self.events: dict[str, float] = {}

    async def __call__(self, name: str, info: dict[str, Any]) -> None:
        """Note the time of `name` (e.g. `connection.connect_tcp.started`) by its last two parts."""
        stage, _, phase = name.rpartition(".")
        self.events.setdefault(f"{stage.rpartition('.')[2]}.{phase}", self._clock())

    def now(self) -> float:
        """Seconds since the request was handed to httpx."""
        return self._clock() - self.started

    def _span(self, stage: str) -> float | None:
        start, end = self.events.get(f"{stage}.started"), self.events.get(f"{stage}.complete")
        return None if start is None or end is None else max(0.0, end - start)

    def timings(self, headers_at: float | None, total: float) -> Timings:
        """The phases seen; the first byte from the trace's response headers, else when they reached us."""
        complete = self.events.get("receive_response_headers.complete")
        first_byte = max(0.0, complete - self.started) if complete is not None else headers_at
        return Timings(self._span("connect_tcp"), self._span("start_tls"), first_byte, max(0.0, total))


def _head(body: bytes, secrets: tuple[Secret, ...]) -> BodyHead:
    text = redact(body[: BODY_HEAD_BYTES + _REDACT_MARGIN].decode("utf-8", "replace"), secrets)
    return BodyHead(text[:BODY_HEAD_BYTES], len(body), len(body) > BODY_HEAD_BYTES)


def _header(name: str, value: str, secrets: tuple[Secret, ...]) -> tuple[str, str]:
    if name.lower() in _CREDENTIAL_HEADERS:
        scheme = value.split(" ", 1)[0] if " " in value else ""
        return name, f"{scheme} {MASK}".strip() if len(scheme) < 16 else MASK
    return name, redact(value, secrets)


def _headers(headers: httpx.Headers, secrets: tuple[Secret, ...]) -> tuple[tuple[str, str], ...]:
    return tuple(_header(name, value, secrets) for name, value in headers.multi_items())


def _model(json_body: object) -> str | None:
    model = json_body.get("model") if isinstance(json_body, dict) else None
    return model if isinstance(model, str) else None


class ExchangeRecording:
    """An exchange being recorded by `send`: fed as it goes, finished once with `done` or `failed`."""

    def __init__(self, sink: ExchangeSink, request: httpx.Request, tracer: Tracer, secrets: tuple[Secret, ...],
                 json_body: object | None) -> None:
        self._sink = sink
        self._secrets = secrets
        self._tracer = tracer
        body = request.content if json_body is not None else b""
        self._exchange = Exchange(
            at=time.time(), method=request.method, url=redact(str(request.url), secrets),
            request_headers=_headers(request.headers, secrets),
            request_body=_head(body, secrets) if body else None, model=redact(_model(json_body) or "") or None,
        )
        self._headers_at: float | None = None

    def answered(self, response: httpx.Response) -> None:
        """The status line and headers arrived."""
        self._headers_at = self._tracer.now()
        self._exchange = replace(
            self._exchange, status_code=response.status_code, reason_phrase=redact(response.reason_phrase),
            http_version=response.http_version, response_headers=_headers(response.headers, self._secrets),
        )

    def done(self, body: bytes) -> None:
        """Hand the exchange, its whole (capped) body read, to the sink."""
        self._finish(response_body=_head(body, self._secrets))

    def failed(self, error: ProbeError) -> None:
        """Hand the exchange as far as it got before `error` to the sink."""
        self._finish(error_reason=str(error.reason), error_detail=redact(error.detail, self._secrets))

    def _finish(self, **changes: Any) -> None:
        events = self._tracer.events
        reused = None if not events else "connect_tcp.started" not in events
        self._sink(replace(self._exchange, timings=self._tracer.timings(self._headers_at, self._tracer.now()),
                           connection_reused=reused, **changes))
