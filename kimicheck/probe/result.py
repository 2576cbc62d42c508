"""What a probe returns: frozen values that the text/JSON output, metrics and scheduler all read.

A probe never raises for a provider's failure; it returns a `ProbeResult` whose `reason` is one of the
fixed set below. That set is a contract: it is a metric label value and documented in the README.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from kimicheck.probe.batch_result import BatchData

__all__ = [
    "BalanceData",
    "BalanceLevel",
    "ChatData",
    "Check",
    "ContextMismatch",
    "MissingModel",
    "ModelsData",
    "ProbeResult",
    "RateLimit",
    "RateLimits",
    "Reason",
    "StreamData",
    "ToolCallData",
]


class Check(StrEnum):
    """The checks kimicheck runs against a provider."""

    MODELS = "models"
    BALANCE = "balance"
    CHAT = "chat"
    STREAM = "stream"
    TOOLS = "tools"
    JSON = "json"
    BATCH = "batch"


class Reason(StrEnum):
    """Why a check ended the way it did (the `reason` of every result and metric)."""

    OK = "ok"
    TIMEOUT = "timeout"
    CONNECT_ERROR = "connect_error"
    TLS_ERROR = "tls_error"
    REDIRECT = "redirect"
    AUTH_FAILED = "auth_failed"
    PERMISSION_DENIED = "permission_denied"
    QUOTA_EXHAUSTED = "quota_exhausted"
    RATE_LIMITED = "rate_limited"
    PROVIDER_OVERLOADED = "provider_overloaded"
    MODEL_NOT_FOUND = "model_not_found"
    ENDPOINT_NOT_FOUND = "endpoint_not_found"
    BAD_REQUEST = "bad_request"
    CONTENT_FILTERED = "content_filtered"
    SERVER_ERROR = "server_error"
    INVALID_RESPONSE = "invalid_response"
    BALANCE_LOW = "balance_low"
    BALANCE_CRITICAL = "balance_critical"
    UNSUPPORTED = "unsupported"
    STREAM_BROKEN = "stream_broken"
    SLOW = "slow"
    TOOL_CALL_MISSING = "tool_call_missing"
    TOOL_CALL_INVALID = "tool_call_invalid"
    JSON_INVALID = "json_invalid"
    BATCH_FAILED = "batch_failed"
    BATCH_EXPIRING = "batch_expiring"
    FILES_NEAR_LIMIT = "files_near_limit"


class BalanceLevel(StrEnum):
    """Where the available balance stands against the config's thresholds."""

    OK = "ok"
    WARNING = "warning"
    CRITICAL = "critical"


@dataclass(frozen=True)
class MissingModel:
    """A configured model id the provider does not list, with the closest ids it does list."""

    id: str
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContextMismatch:
    """A configured id whose context length in the provider's `/models` differs from the catalog's."""

    id: str
    listed: int
    catalog: int


@dataclass(frozen=True)
class ModelsData:
    """What the `models` check found."""

    listed_count: int
    #: every configured id -> whether the provider lists it
    present: dict[str, bool] = field(default_factory=dict)
    missing: tuple[MissingModel, ...] = ()
    #: every id the provider lists, in its order (shown by `kimicheck models`, not in probe output)
    listed: tuple[str, ...] = ()
    #: listed id -> the context length the provider states for it (bounded whole numbers only)
    context_lengths: dict[str, int] = field(default_factory=dict)
    #: configured ids whose stated context length differs from the catalog's (a note: the check stays ok)
    context_mismatches: tuple[ContextMismatch, ...] = ()


@dataclass(frozen=True)
class BalanceData:
    """What the `balance` check found; amounts are exact decimals."""

    currency: str | None
    level: BalanceLevel
    available: Decimal | None  # None: unlimited (an OpenRouter key without a limit)
    voucher: Decimal | None = None
    cash: Decimal | None = None
    #: the account's own credits where the key's cap is not them (OpenRouter with a management key)
    account: Decimal | None = None

    @property
    def in_arrears(self) -> bool:
        """A negative cash balance: the account owes money and runs on vouchers alone."""
        return self.cash is not None and self.cash < 0


@dataclass(frozen=True)
class ChatData:
    """Tokens one chat probe consumed."""

    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True)
class StreamData(ChatData):
    """What one `stream` probe measured (seconds from sending the request); None where nothing came."""

    #: to the first delta with non-empty content or reasoning (a role-only opening chunk is not a token)
    time_to_first_token: float | None = None
    #: to the first delta with non-empty answer content
    time_to_first_answer_token: float | None = None
    #: to the end of the stream
    total_seconds: float | None = None
    #: completion tokens from the usage over the time from the first token to the end
    output_tokens_per_second: float | None = None


@dataclass(frozen=True)
class ToolCallData(ChatData):
    """Tokens of one `tools` probe and how its tool call was judged (a `ToolCallResult` value)."""

    result: str = "missing"


@dataclass(frozen=True)
class RateLimit:
    """What a provider announced about one rate-limited resource; None where it said nothing usable."""

    limit: int | None = None
    remaining: int | None = None
    #: seconds until the window resets (a header value with a unit, `6m0s`, `20ms`)
    reset_seconds: float | None = None
    #: the window the limit counts in, in seconds (OpenRouter's key `rate_limit.interval`)
    interval_seconds: float | None = None


@dataclass(frozen=True)
class RateLimits:
    """The rate-limit headroom a provider announced in one check's exchanges (the last one seen)."""

    requests: RateLimit | None = None
    tokens: RateLimit | None = None

    def by_resource(self) -> tuple[tuple[str, RateLimit], ...]:
        """(resource, limit) for each resource the provider announced, `requests` first."""
        pairs = (("requests", self.requests), ("tokens", self.tokens))
        return tuple((name, value) for name, value in pairs if value is not None)


@dataclass(frozen=True)
class ProbeResult:
    """The outcome of one check of one provider (and one model, for `chat`)."""

    provider: str
    check: Check
    ok: bool
    reason: Reason
    duration_seconds: float
    detail: str = ""
    model: str | None = None
    status_code: int | None = None
    data: ModelsData | BalanceData | ChatData | BatchData | None = None
    #: wall-clock time the check finished (Unix seconds)
    finished_at: float = 0.0
    #: the rate-limit headroom the provider announced during the check, when it announced any
    ratelimit: RateLimits | None = None
