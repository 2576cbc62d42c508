"""Every way a probe request can fail, translated to a `Reason` in this one place.

Transport exceptions (httpx, asyncio timeouts, TLS) and HTTP error answers both become a `ProbeError`:
an exception that carries a reason, a human detail, the status code and whether the request may have
reached the server, raised inside the probe package and turned into a `ProbeResult` by the runner. Only a
failure to connect (refused, connect timeout, no free connection in the pool) proves nothing was sent; a
connection dropped later keeps the reason `connect_error` but may have reached the server, so a paid
call must not be repeated after it. Error answers (read by `error_bodies`, whatever their envelope) are
classified by the provider's `error.type` where it sends one, by status otherwise: a Moonshot 429
`exceeded_current_quota_error` is an empty account (`quota_exhausted`, never retried), not a rate limit, and
`engine_overloaded_error` is the provider out of capacity (`provider_overloaded`), not yours. A few answers
say more than their type: a 401 is always the key; a message about an empty account (AIMLAPI's flat 403)
is `quota_exhausted`; a 404 that is not the API's own error object (an HTML page, Moonshot's `url.not_found`)
means the path itself is wrong (`endpoint_not_found`), not the model.
"""

from __future__ import annotations

import asyncio
import re
import ssl
from datetime import UTC, datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from enum import StrEnum
from urllib.parse import urlsplit

import httpx

from kimicheck.amounts import parse_amount
from kimicheck.probe.error_bodies import ErrorBody, read_error_body
from kimicheck.probe.result import Reason
from kimicheck.providers import Kind

__all__ = [
    "RETRYABLE",
    "ProbeEndpoint",
    "ProbeError",
    "from_exception",
    "from_status",
    "parse_retry_after",
]

#: Reasons worth another attempt: transient by nature.
RETRYABLE = frozenset({Reason.CONNECT_ERROR, Reason.SERVER_ERROR, Reason.RATE_LIMITED, Reason.PROVIDER_OVERLOADED})

_MESSAGE_LIMIT = 200

#: error.type values whose meaning overrides the status code.
_ERROR_TYPES: dict[str, Reason] = {
    "exceeded_current_quota_error": Reason.QUOTA_EXHAUSTED,
    "insufficient_quota": Reason.QUOTA_EXHAUSTED,
    "rate_limit_reached_error": Reason.RATE_LIMITED,
    "engine_overloaded_error": Reason.PROVIDER_OVERLOADED,
    "invalid_authentication_error": Reason.AUTH_FAILED,
    "incorrect_api_key_error": Reason.AUTH_FAILED,
    "authentication_error": Reason.AUTH_FAILED,
    "permission_denied_error": Reason.PERMISSION_DENIED,
    "resource_not_found_error": Reason.MODEL_NOT_FOUND,
    "invalid_request_error": Reason.BAD_REQUEST,
    "content_filter": Reason.CONTENT_FILTERED,
    "server_error": Reason.SERVER_ERROR,
    "unexpected_output": Reason.SERVER_ERROR,
}

#: error.code values more specific than the type sent with them (OpenAI: `invalid_request_error` +
#: `model_not_found`; Azure: no type + `content_filter`).
_ERROR_CODES: dict[str, Reason] = {
    "model_not_found": Reason.MODEL_NOT_FOUND,
    "content_filter": Reason.CONTENT_FILTERED,
}

_STATUSES: dict[int, Reason] = {
    401: Reason.AUTH_FAILED,
    402: Reason.QUOTA_EXHAUSTED,
    403: Reason.PERMISSION_DENIED,
    408: Reason.TIMEOUT,
    429: Reason.RATE_LIMITED,
}

#: A 403 or 429 whose message says this is an empty account, whatever its type: AIMLAPI's out-of-credits 403
#: has no type at all, and Moonshot is reported to answer an insufficient balance with 403 as well as 429.
_OUT_OF_MONEY = re.compile(
    r"insufficient (account )?(balance|credits?|funds)|run out of credits|exceeded (your )?current quota|余额不足",
    re.IGNORECASE,
)
#: A 429 or 503 whose message says the provider has no capacity (OpenRouter: "no available model provider
#: that meets your routing requirements"; Moonshot: "the engine is currently overloaded").
_OUT_OF_CAPACITY = re.compile(r"overloaded|no (available )?(model )?providers? (is |are )?available|"
                              r"no available (model )?provider", re.IGNORECASE)

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
    BATCH = "batch"


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


def _classify(status_code: int, body: ErrorBody, kind: Kind, endpoint: ProbeEndpoint) -> Reason:
    """The reason of an error answer: its status where that is unambiguous, then what its body says."""
    if status_code == 401:
        return Reason.AUTH_FAILED  # about the key, whatever type or code a provider names (DeepSeek: both)
    if body.flagged:
        return Reason.CONTENT_FILTERED
    if status_code in (402, 403, 429) and _OUT_OF_MONEY.search(body.message):
        return Reason.QUOTA_EXHAUSTED
    if status_code == 404 and not body.envelope and "model" not in body.message.lower():
        return Reason.ENDPOINT_NOT_FOUND  # a web server's page or Moonshot's url.not_found, not the API's answer
    reason = _ERROR_CODES.get(body.code or "") or _ERROR_TYPES.get(body.type or "")
    if reason is None and status_code in (429, 503) and body.envelope and (
        _OUT_OF_CAPACITY.search(body.message) or (kind is Kind.OPENROUTER and status_code == 503)
    ):
        reason = Reason.PROVIDER_OVERLOADED
    if reason is None:
        reason = _STATUSES.get(status_code)
    if reason is None and status_code == 404:
        reason = Reason.MODEL_NOT_FOUND
    if reason is None:
        reason = Reason.SERVER_ERROR if status_code >= 500 else Reason.BAD_REQUEST
    if reason is Reason.MODEL_NOT_FOUND and endpoint is not ProbeEndpoint.CHAT:
        reason = Reason.BAD_REQUEST  # only a chat request names a model: elsewhere a 404 is a wrong URL
    return reason


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
    fields = read_error_body(body)
    reason = _classify(status_code, fields, kind, endpoint)
    summary = f"HTTP {status_code}"
    if fields.type:
        summary += f" {fields.type}"
    if fields.message:
        summary += f": {' '.join(fields.message.split())[:_MESSAGE_LIMIT]}"
    wrong_url = reason is Reason.ENDPOINT_NOT_FOUND or (status_code == 404 and reason is Reason.BAD_REQUEST)
    if wrong_url:
        summary += f" (the {endpoint} endpoint is not at this address: check base_url)"
    if reason is Reason.AUTH_FAILED and kind is Kind.MOONSHOT:
        summary += f" ({_REGION_NOTE})"
    retry_after = parse_retry_after(headers.get("retry-after")) if reason in RETRYABLE else None
    return ProbeError(reason, summary, status_code=status_code, retry_after=retry_after)
