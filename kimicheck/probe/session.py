"""What one check works with: the shared client, the key, a deadline and a retry policy.

A prober asks its `ProbeSession` for a 2xx answer; anything else comes back as a `ProbeError` after
bounded, jittered retries of transient failures (connect errors, 5xx, rate limits) that fit in the
deadline. A paid call asks for `unsent_only`: it is repeated only when the failed try provably never
left kimicheck, so one probe can never be billed twice. A `Retry-After` the deadline cannot wait for ends
the check instead of being ignored.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from kimicheck.probe.batch_result import BatchData
from kimicheck.probe.errors import RETRYABLE, ProbeEndpoint, ProbeError, from_status
from kimicheck.probe.exchange import ExchangeSink, current_sink
from kimicheck.probe.http import DEFAULT_MAX_BODY_BYTES, Reply, send
from kimicheck.probe.ratelimits import from_headers, merged
from kimicheck.probe.result import BalanceData, ChatData, ModelsData, RateLimits, Reason
from kimicheck.providers import Kind
from kimicheck.secrets import KeyUnavailable, Secret

__all__ = ["DEFAULT_RETRY", "Outcome", "ProbeSession", "RetryPolicy"]

log = logging.getLogger("kimicheck.probe")


@dataclass(frozen=True)
class RetryPolicy:
    """At most `attempts` tries; the n-th wait is uniform in [0, min(max_delay, base_delay * 2**n)]."""

    attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 4.0

    def backoff(self, retry_number: int, rng: random.Random) -> float:
        """The jittered wait before retry `retry_number` (0-based)."""
        return rng.uniform(0, min(self.max_delay, self.base_delay * 2**retry_number))


DEFAULT_RETRY = RetryPolicy()


@dataclass(frozen=True)
class Outcome:
    """What a prober found; the runner adds the provider, check, model and timing."""

    ok: bool
    reason: Reason
    detail: str = ""
    status_code: int | None = None
    data: ModelsData | BalanceData | ChatData | BatchData | None = None


@dataclass
class ProbeSession:
    """One check's view of the network."""

    client: httpx.AsyncClient
    key: Secret
    kind: Kind
    deadline: float
    retry: RetryPolicy = DEFAULT_RETRY
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    rng: random.Random = field(default_factory=random.Random)
    #: the OpenRouter management key for the account's credits (unreadable: why), None when not configured
    management_key: Secret | KeyUnavailable | None = None
    #: the rate-limit headroom the last answers announced, newest first per resource
    ratelimits: RateLimits | None = None
    #: the wall clock (Unix seconds) a check compares the provider's times with; tests inject their own
    clock: Callable[[], float] = time.time
    #: where each exchange goes for `serve`'s debug view: the sink of the `recording` the session was made in
    record: ExchangeSink | None = field(default_factory=current_sink)

    def observe(self, fallback: RateLimits | None) -> None:
        """Keep `fallback`'s resources where no answer of this check announced them (OpenRouter's `/key`)."""
        self.ratelimits = merged(self.ratelimits, fallback)

    async def call(
        self,
        method: str,
        url: str,
        *,
        endpoint: ProbeEndpoint,
        json_body: object | None = None,
        retry_on: frozenset[Reason] = RETRYABLE,
        unsent_only: bool = False,
    ) -> Reply:
        """A 2xx answer to the request, or a ProbeError once retries are spent or not allowed.

        A failure is retried when its reason is in `retry_on` and, with `unsent_only`, only when the
        request provably was not sent (a refused connection, not a connection dropped mid-answer).
        """
        loop = asyncio.get_running_loop()
        for attempt in range(self.retry.attempts):
            try:
                reply = await send(
                    self.client, method, url, key=self.key, deadline=self.deadline,
                    json_body=json_body, max_body_bytes=self.max_body_bytes, record=self.record,
                )
                log.debug("%s %s -> HTTP %d", method, url, reply.status_code)
                self.ratelimits = merged(from_headers(reply.headers), self.ratelimits)
                if 200 <= reply.status_code < 300:
                    return reply
                error = from_status(
                    reply.status_code, reply.body, reply.headers, kind=self.kind, endpoint=endpoint
                )
            except ProbeError as exc:
                log.debug("%s %s -> %s", method, url, exc.reason)
                error = exc
            if error.reason not in retry_on or attempt + 1 >= self.retry.attempts:
                raise error
            if unsent_only and error.maybe_sent:
                error.detail += " (not retried: the request may have reached the provider and been billed)"
                raise error
            delay = error.retry_after
            if delay is None:
                delay = self.retry.backoff(attempt, self.rng)
            if loop.time() + delay >= self.deadline:
                if error.retry_after is not None:
                    error.detail += f" (Retry-After {error.retry_after:g}s is beyond the timeout)"
                raise error
            log.debug("retrying %s %s in %.2fs after %s", method, url, delay, error.reason)
            await asyncio.sleep(delay)
        raise AssertionError("unreachable: the loop returns or raises")
