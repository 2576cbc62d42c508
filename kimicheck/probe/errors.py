"""Every way a probe request can fail, translated to a `Reason` in this one place.

Transport exceptions (httpx, asyncio timeouts, TLS) and HTTP error answers both become a `ProbeError`:
an exception that carries a reason, a human detail, the status code and whether the request may have
reached the server, raised inside the probe package and turned into a `ProbeResult` by the runner. Only a
failure to connect (refused, connect timeout, no free connection in the pool) proves nothing was sent; a
connection dropped later keeps the reason `connect_error` but may have reached the server, so a paid
call must not be repeated after it. Error answers are classified by the provider's `error.type`
where it sends one, by status otherwise: a Moonshot 429 `exceeded_current_quota_error` is an empty
account (`quota_exhausted`, never retried), not a rate limit.
"""

from __future__ import annotations

import asyncio
import ssl
from datetime import UTC, datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from enum import StrEnum
from urllib.parse import urlsplit

import httpx

from kimicheck.amounts import parse_amount
from kimicheck.probe.result import Reason
from kimicheck.providers import Kind
from kimicheck.wire_json import decode_json

__all__ = [
    "RETRYABLE",
    "ProbeEndpoint",
    "ProbeError",
    "from_exception",
    "from_status",
    "parse_retry_after",
]

#: Reasons worth another attempt: transient by nature.
RETRYABLE = frozenset({Reason.CONNECT_ERROR, Reason.SERVER_ERROR, Reason.RATE_LIMITED})

_MESSAGE_LIMIT = 200

#: error.type values whose meaning overrides the status code.
_ERROR_TYPES: dict[str, Reason] = {
    "exceeded_current_quota_error": Reason.QUOTA_EXHAUSTED,
    "insufficient_quota": Reason.QUOTA_EXHAUSTED,
    "rate_limit_reached_error": Reason.RATE_LIMITED,
    "engine_overloaded_error": Reason.RATE_LIMITED,
    "invalid_authentication_error": Reason.AUTH_FAILED,
    "incorrect_api_key_error": Reason.AUTH_FAILED,
    "permission_denied_error": Reason.PERMISSION_DENIED,
    "resource_not_found_error": Reason.MODEL_NOT_FOUND,
    "invalid_request_error": Reason.BAD_REQUEST,
    "content_filter": Reason.BAD_REQUEST,
    "server_error": Reason.SERVER_ERROR,
    "unexpected_output": Reason.SERVER_ERROR,
}

_STATUSES: dict[int, Reason] = {
    401: Reason.AUTH_FAILED,
    402: Reason.QUOTA_EXHAUSTED,
    403: Reason.PERMISSION_DENIED,
    408: Reason.TIMEOUT,
    429: Reason.RATE_LIMITED,
}

_REGION_NOTE = (
    "a Moonshot key works only in the region that issued it: a key from platform.moonshot.cn gets 401 on "
    "api.moonshot.ai and a platform.moonshot.ai key gets 401 on api.moonshot.cn"
)


class ProbeEndpoint(StrEnum):
    """Which endpoint a request went to: a 404 means a wrong model on `chat`, a wrong URL elsewhere."""

    MODELS = "models"
    KEY = "key"
    BALANCE = "balance"
    CHAT = "chat"


class ProbeError(Exception):
    """A probe request failed for a known reason; `detail` is already safe to show."""

    def __init__(
        self,
        reason: Reason,
        detail: str,
        *,
        status_code: int | None = None,
        retry_after: float | None = None,
        maybe_sent: bool = True,
    ) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.status_code = status_code
        self.retry_after = retry_after
        #: False only when the request provably never left kimicheck (so repeating it cannot bill twice).
        self.maybe_sent = maybe_sent


def _is_tls(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, ssl.SSLError | ssl.CertificateError):
            return True
        text = str(seen)
        if "SSL" in text or "CERTIFICATE" in text.upper() or "TLS" in text:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def from_exception(exc: BaseException) -> ProbeError:
    """The `ProbeError` for an exception raised while sending a request or reading its answer."""
    if isinstance(exc, ProbeError):
        return exc
    unsent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    if isinstance(exc, httpx.TimeoutException | asyncio.TimeoutError | TimeoutError):
        return ProbeError(Reason.TIMEOUT, "no complete answer within the timeout", maybe_sent=not unsent)
    if isinstance(exc, httpx.ConnectError) and _is_tls(exc):
        return ProbeError(Reason.TLS_ERROR, f"TLS handshake failed: {_first_line(exc)}", maybe_sent=False)
    if isinstance(exc, httpx.ConnectError):
        return ProbeError(Reason.CONNECT_ERROR, f"cannot connect: {_first_line(exc)}", maybe_sent=False)
    if isinstance(exc, httpx.TransportError):
        return ProbeError(
            Reason.CONNECT_ERROR,
            f"the connection broke during the request ({type(exc).__name__}): {_first_line(exc)}",
        )
    if isinstance(exc, httpx.DecodingError):
        return ProbeError(Reason.INVALID_RESPONSE, f"the answer cannot be decoded: {_first_line(exc)}")
    if isinstance(exc, httpx.HTTPError | httpx.InvalidURL):
        return ProbeError(Reason.BAD_REQUEST, f"the request cannot be made: {_first_line(exc)}", maybe_sent=False)
    raise TypeError(f"not a request failure: {type(exc).__name__}") from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:_MESSAGE_LIMIT] if text else type(exc).__name__


def _error_fields(body: bytes) -> tuple[str | None, str]:
    """`(error.type, error.message)` from an OpenAI-style error body; `(None, "")` when absent."""
    try:
        data = decode_json(body)
    except ValueError:
        return None, ""
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, str):
        return None, error
    if not isinstance(error, dict):
        message = data.get("message") if isinstance(data, dict) else None
        return None, message if isinstance(message, str) else ""
    kind = error.get("type") or error.get("code")
    message = error.get("message")
    return (
        kind if isinstance(kind, str) else None,
        message if isinstance(message, str) else "",
    )


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta seconds or an HTTP date); None when absent/bad.

    Seconds are read as a provider's amounts are (plain ASCII decimal, bounded): `float()` would also take
    `nan`, `inf`, `1_0` and other scripts' digits.
    """
    if not value:
        return None
    value = value.strip()
    seconds = parse_amount(value)
    if isinstance(seconds, Decimal):
        return max(0.0, float(seconds))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _redirect(response_status: int, location: str | None) -> ProbeError:
    target = "another address"
    if location:
        parts = urlsplit(location)
        # the host and port only: a userinfo part (user:password@) is never repeated
        netloc = parts.netloc.rpartition("@")[2]
        target = f"{parts.scheme}://{netloc}{parts.path}" if netloc else parts.path or location
    return ProbeError(
        Reason.REDIRECT,
        f"HTTP {response_status} redirect to {target[:_MESSAGE_LIMIT]}; not followed, so the key was not "
        "sent there",
        status_code=response_status,
    )


def from_status(
    status_code: int,
    body: bytes,
    headers: httpx.Headers,
    *,
    kind: Kind,
    endpoint: ProbeEndpoint,
) -> ProbeError:
    """The `ProbeError` for an HTTP answer outside 2xx. `detail` still needs `secrets.redact`."""
    if 300 <= status_code < 400:
        return _redirect(status_code, headers.get("location"))
    error_type, message = _error_fields(body)
    reason = _ERROR_TYPES.get(error_type or "")
    if reason is None:
        reason = _STATUSES.get(status_code)
    if reason is None and status_code == 404:
        reason = Reason.MODEL_NOT_FOUND if endpoint is ProbeEndpoint.CHAT else Reason.BAD_REQUEST
    if reason is None:
        reason = Reason.SERVER_ERROR if status_code >= 500 else Reason.BAD_REQUEST
    if reason is Reason.MODEL_NOT_FOUND and endpoint is not ProbeEndpoint.CHAT:
        reason = Reason.BAD_REQUEST  # only a chat request names a model: elsewhere a 404 is a wrong URL
    summary = f"HTTP {status_code}"
    if error_type:
        summary += f" {error_type}"
    if message:
        summary += f": {' '.join(message.split())[:_MESSAGE_LIMIT]}"
    if status_code == 404 and endpoint is not ProbeEndpoint.CHAT and reason is Reason.BAD_REQUEST:
        summary += f" (the {endpoint} endpoint is not at this address: check base_url)"
    if reason is Reason.AUTH_FAILED and kind is Kind.MOONSHOT:
        summary += f" ({_REGION_NOTE})"
    retry_after = parse_retry_after(headers.get("retry-after")) if reason in RETRYABLE else None
    return ProbeError(reason, summary, status_code=status_code, retry_after=retry_after)
