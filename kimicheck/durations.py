"""Durations as the config writes them: "500ms", "10s", "5m", "1h", "1d", or a number of seconds."""

from __future__ import annotations

import math
import re
from decimal import Decimal

__all__ = ["DURATION_PATTERN", "format_duration", "parse_duration"]

DURATION_PATTERN = r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h|d)\s*$"
_DURATION_RE = re.compile(DURATION_PATTERN)
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(value: object) -> float:
    """Return `value` in seconds; raise ValueError with a readable reason when it is not a duration.

    >>> parse_duration("5m")
    300.0
    """
    if isinstance(value, bool):
        raise ValueError("a duration is a number of seconds or a string such as '10s', '5m', '1h'")
    if isinstance(value, int | float | Decimal):
        seconds = float(value)
    elif isinstance(value, str):
        match = _DURATION_RE.match(value)
        if match is None:
            raise ValueError(
                f"{value!r} is not a duration: write a number with a unit, e.g. '500ms', '10s', '5m', '1h', '1d'"
            )
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    else:
        raise ValueError("a duration is a number of seconds or a string such as '10s', '5m', '1h'")
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError("a duration must be greater than zero")
    return seconds


def format_duration(seconds: float) -> str:
    """The shortest exact spelling of `seconds` in the config's units ("90s", "5m", "1h", "250ms")."""
    for unit in ("d", "h", "m", "s"):
        size = _UNIT_SECONDS[unit]
        if seconds >= size and (seconds / size).is_integer():
            return f"{int(seconds / size)}{unit}"
    if (seconds * 1000).is_integer():
        return f"{int(seconds * 1000)}ms"
    return f"{seconds:g}s"
