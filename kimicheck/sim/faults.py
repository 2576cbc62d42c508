"""Faults: the ways a provider fails, as data an account or the whole simulator carries.

A fault names what it does (`kind`), where (`endpoint`, every endpoint when unset) and how often (`rate`,
rolled on the simulator's seeded random generator, and `times`). Latency faults add up and then the request
goes on; of the other faults, the first one that fires decides the response. Stream and model faults act on
chat only, and only on the requests they can change (a stream, a request with tools, JSON mode): on any other
chat request they fire, and count, but the answer stays the real one.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

__all__ = [
    "CHAT_KINDS",
    "DEFAULT_OVERSIZED_BYTES",
    "MODEL_KINDS",
    "POST_KINDS",
    "STREAM_KINDS",
    "Endpoint",
    "Fault",
    "FaultKind",
    "choose_faults",
]

DEFAULT_OVERSIZED_BYTES = 50 * 1024 * 1024


class Endpoint(StrEnum):
    """The simulator's endpoints by role, whatever path a provider gives them."""

    MODELS = "models"
    CHAT = "chat"
    #: Moonshot `/users/me/balance`, OpenRouter `/key` and `/credits`, AIMLAPI `/v2/billing`, DeepSeek
    #: `/user/balance`.
    BALANCE = "balance"
    FILES = "files"
    BATCHES = "batches"


class FaultKind(StrEnum):
    """What a fault does to a response."""

    LATENCY = "latency"  # wait `seconds` (default 1), then answer normally
    HANG = "hang"  # answer nothing until the client gives up (or `seconds`, default 3600, pass)
    STATUS = "status"  # `status` with the provider's error body (`error_type`, `message`, `retry_after`)
    HTML = "html"  # a CDN's HTML error page (`status`, default 502)
    NON_JSON = "non_json"  # 200, `Content-Type: application/json`, a body that is not JSON (`body`)
    TRUNCATED_JSON = "truncated_json"  # 200 with the first half of the real body
    WRONG_SHAPE = "wrong_shape"  # 200 with valid JSON of another shape (`body`)
    OVERSIZED = "oversized"  # 200 with a streamed body of `size` bytes (default 50 MiB)
    DRIP = "drip"  # the real body, one byte every `seconds` (default 0.05)
    RESET = "reset"  # the TCP connection is reset before any response
    REDIRECT = "redirect"  # `status` (default 307) to `location`
    SLOW_STREAM = "slow_stream"  # a stream's first token after `seconds` (1), then `tokens_per_second`
    STREAM_CUT = "stream_cut"  # a stream's connection reset halfway through its tokens
    STREAM_WITHOUT_USAGE = "stream_without_usage"  # a stream that ends normally but carries no usage
    TOOL_CALL_MISSING = "tool_call_missing"  # tools offered: the model answers in prose instead
    TOOL_ARGUMENTS_NOT_JSON = "tool_arguments_not_json"  # the call's arguments cut off: not JSON
    TOOL_ARGUMENTS_INVALID = "tool_arguments_invalid"  # JSON arguments the tool's schema rejects
    TOOL_WRONG_NAME = "tool_wrong_name"  # a call to a function that was not offered
    JSON_PROSE = "json_prose"  # JSON mode: prose before the object, so the content is not JSON
    OVERLOADED = "overloaded"  # the provider out of capacity, in its dialect (`retry_after`)
    CONTENT_FILTER = "content_filter"  # chat only: the dialect's content-filter refusal or filtered completion


#: Kinds that transform the real response rather than replace it.
POST_KINDS = frozenset({FaultKind.TRUNCATED_JSON, FaultKind.DRIP})
#: Kinds that change how a streamed chat is sent (timing, an early end).
STREAM_KINDS = frozenset({FaultKind.SLOW_STREAM, FaultKind.STREAM_CUT})
#: Kinds that change what a chat answer carries (tool calls, JSON mode, a stream's usage).
MODEL_KINDS = frozenset({
    FaultKind.TOOL_CALL_MISSING, FaultKind.TOOL_ARGUMENTS_NOT_JSON, FaultKind.TOOL_ARGUMENTS_INVALID,
    FaultKind.TOOL_WRONG_NAME, FaultKind.JSON_PROSE, FaultKind.STREAM_WITHOUT_USAGE,
})
#: Kinds the chat handler applies itself.
CHAT_KINDS = STREAM_KINDS | MODEL_KINDS

_DEFAULT_SECONDS = {FaultKind.LATENCY: 1.0, FaultKind.HANG: 3600.0, FaultKind.DRIP: 0.05,
                    FaultKind.SLOW_STREAM: 1.0}


class Fault(BaseModel):
    """One way to fail; see `FaultKind` for what each field means to each kind."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    kind: FaultKind
    endpoint: Endpoint | None = None
    rate: float = Field(default=1.0, ge=0.0, le=1.0)
    times: int | None = Field(default=None, ge=0)
    seconds: float | None = Field(default=None, ge=0.0)
    status: int | None = Field(default=None, ge=100, le=599)
    error_type: str | None = None
    message: str | None = None
    retry_after: int | None = Field(default=None, ge=0)
    size: int = Field(default=DEFAULT_OVERSIZED_BYTES, ge=1)
    location: str | None = None
    body: str | None = None
    #: `slow_stream`: tokens sent per second after the first (None: as fast as the connection takes them).
    tokens_per_second: float | None = Field(default=None, gt=0.0)
    _fired: int = PrivateAttr(default=0)

    @model_validator(mode="before")
    @classmethod
    def _chat_only(cls, data: Any) -> Any:
        # a content filter judges completions: it has nothing to say about /models or the balance
        if isinstance(data, dict) and data.get("kind") == FaultKind.CONTENT_FILTER and data.get("endpoint") is None:
            return {**data, "endpoint": Endpoint.CHAT}
        return data

    @model_validator(mode="after")
    def _check_required(self) -> Fault:
        if self.kind is FaultKind.STATUS and self.status is None:
            raise ValueError("a 'status' fault needs 'status' (the HTTP status code)")
        if self.kind is FaultKind.REDIRECT and not self.location:
            raise ValueError("a 'redirect' fault needs 'location' (the URL to redirect to)")
        if self.kind is FaultKind.CONTENT_FILTER and self.endpoint is not Endpoint.CHAT:
            raise ValueError("a 'content_filter' fault applies to the chat endpoint only")
        return self

    @property
    def delay(self) -> float:
        """The seconds this fault waits (latency, hang limit, drip interval, time to first token)."""
        return self.seconds if self.seconds is not None else _DEFAULT_SECONDS.get(self.kind, 0.0)

    @property
    def fired(self) -> int:
        """How many times this fault has fired."""
        return self._fired

    def applies_to(self, endpoint: Endpoint) -> bool:
        """True when the fault targets `endpoint` and has not used up its `times`."""
        if self.endpoint is not None and self.endpoint is not endpoint:
            return False
        if self.kind in CHAT_KINDS and endpoint is not Endpoint.CHAT:
            return False
        return self.times is None or self._fired < self.times

    def roll(self, rng: random.Random) -> bool:
        """Decide whether the fault fires on this request (and count it when it does)."""
        if self.rate < 1.0 and rng.random() >= self.rate:
            return False
        self._fired += 1
        return True


def choose_faults(faults: Iterable[Fault], endpoint: Endpoint, rng: random.Random) -> tuple[float, Fault | None]:
    """The total added latency and the one response-deciding fault (if any) for a request."""
    latency = 0.0
    chosen: Fault | None = None
    for fault in faults:
        if not fault.applies_to(endpoint):
            continue
        if fault.kind is FaultKind.LATENCY:
            if fault.roll(rng):
                latency += fault.delay
        elif chosen is None and fault.roll(rng):
            chosen = fault
    return latency, chosen
