"""The guard in front of the paid chat check: a daily token budget and the balance. Pure.

A chat run is skipped when the tokens spent today (UTC) plus what the last run cost would pass the
provider's `daily_token_budget` (0 turns chat off), or while the last balance seen is critical or empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from kimicheck.metrics.contract import SkipReason
from kimicheck.probe.result import BalanceData, BalanceLevel, ChatData, ProbeResult

__all__ = ["ChatSpend", "chat_guard", "spend_after", "utc_day"]

_DAY_SECONDS = 86400


def utc_day(now: float) -> int:
    """The number of the UTC day `now` (Unix seconds) falls in."""
    return int(now // _DAY_SECONDS)


@dataclass(frozen=True)
class ChatSpend:
    """Tokens one provider's chat probes spent on `day`, and what the latest run cost."""

    day: int
    tokens: int = 0
    last_run_tokens: int = 0


def spend_after(spend: ChatSpend | None, results: list[ProbeResult], now: float) -> ChatSpend:
    """The spend after a chat run with `results` ended at `now` (a new UTC day starts from zero)."""
    cost = sum(
        r.data.prompt_tokens + r.data.completion_tokens for r in results if isinstance(r.data, ChatData)
    )
    today = utc_day(now)
    spent_before = spend.tokens if spend is not None and spend.day == today else 0
    return ChatSpend(day=today, tokens=spent_before + cost, last_run_tokens=cost)


def chat_guard(
    *, spend: ChatSpend | None, budget: int, balance: BalanceData | None, now: float
) -> SkipReason | None:
    """Why the next chat run must be skipped, or None when it may run."""
    if balance is not None and (
        balance.level is BalanceLevel.CRITICAL or (balance.available is not None and balance.available <= 0)
    ):
        return SkipReason.BALANCE_CRITICAL
    spent = spend.tokens if spend is not None and spend.day == utc_day(now) else 0
    expected = spend.last_run_tokens if spend is not None else 0
    if budget <= 0 or spent >= budget or spent + expected > budget:
        return SkipReason.BUDGET_EXHAUSTED
    return None
