"""Rate-limit headroom as providers announce it: `X-RateLimit-*` headers and OpenRouter's key `rate_limit`.

Every value is the provider's word and untrusted: a count is kept only when it is a plain non-negative
integer of at most 15 digits, a reset or interval only when it is a duration with units (`6m0s`, `20ms`,
`10s`). Anything else (a sign, a fraction, a repeated header joined with a comma, a bare number whose unit
is unknown) is ignored, never guessed at: an absent value means an absent series.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from kimicheck.probe.result import RateLimit, RateLimits

__all__ = ["from_headers", "from_openrouter_key", "merged"]

_COUNT = re.compile(r"[0-9]{1,15}")
_DURATION = re.compile(r"(?:[0-9]{1,9}(?:\.[0-9]{1,9})?(?:ms|h|m|s))+")
_DURATION_PART = re.compile(r"([0-9]{1,9}(?:\.[0-9]{1,9})?)(ms|h|m|s)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
#: header suffixes per resource; the un-suffixed headers count requests
_SUFFIXES = {"requests": ("-Requests", ""), "tokens": ("-Tokens",)}


def _count(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < 10**15 else None
    if isinstance(value, str) and value.isascii() and _COUNT.fullmatch(value.strip()):
        return int(value.strip())
    return None


def _duration(value: object) -> float | None:
    if not isinstance(value, str) or not value.isascii():
        return None
    text = value.strip()
    if len(text) > 40 or not _DURATION.fullmatch(text):
        return None
    return sum(float(number) * _UNIT_SECONDS[unit] for number, unit in _DURATION_PART.findall(text))


def _resource(headers: Mapping[str, str], suffixes: tuple[str, ...]) -> RateLimit | None:
    """The first suffix whose headers give a usable limit or remaining count wins."""
    for suffix in suffixes:
        limit = _count(headers.get(f"x-ratelimit-limit{suffix}"))
        remaining = _count(headers.get(f"x-ratelimit-remaining{suffix}"))
        if limit is not None or remaining is not None:
            return RateLimit(limit, remaining, _duration(headers.get(f"x-ratelimit-reset{suffix}")))
    return None


def from_headers(headers: Mapping[str, str]) -> RateLimits | None:
    """The headroom a response's headers announce (`headers` case-insensitive, as httpx's); None if none."""
    found = RateLimits(**{name: _resource(headers, suffixes) for name, suffixes in _SUFFIXES.items()})
    return found if found.by_resource() else None


def from_openrouter_key(data: object) -> RateLimits | None:
    """The request limit in OpenRouter's `/key` answer (`data.rate_limit: {requests, interval}`), if usable."""
    inner = data.get("data") if isinstance(data, dict) else None
    rate_limit = inner.get("rate_limit") if isinstance(inner, dict) else None
    if not isinstance(rate_limit, dict):
        return None
    limit = _count(rate_limit.get("requests"))
    if limit is None:
        return None
    return RateLimits(requests=RateLimit(limit=limit, interval_seconds=_duration(rate_limit.get("interval"))))


def merged(newer: RateLimits | None, older: RateLimits | None) -> RateLimits | None:
    """`newer`'s resources, and `older`'s where `newer` says nothing (a resource is replaced whole)."""
    if newer is None or older is None:
        return newer or older
    return RateLimits(requests=newer.requests or older.requests, tokens=newer.tokens or older.tokens)
