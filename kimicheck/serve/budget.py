"""The guard in front of the paid chat check: a daily token budget and the balance. Pure.

A chat run is skipped when the tokens spent today (UTC) plus what the last run cost would pass the
provider's `daily_token_budget` (0 turns chat off), or while the last balance seen is critical or empty.

A chat call that was sent and then cancelled (a reload that changed the provider, a shutdown) may still be
billed, but no `usage` says how much: it counts as `unanswered_chat_cost`, the completion cap of every chat
model of the run plus `PROMPT_TOKENS_ESTIMATE` each, a deliberate overestimate.
"""

from __future__ import annotations

from dataclasses import dataclass

from kimicheck.config.models import Config, Provider
from kimicheck.metrics.contract import SkipReason
from kimicheck.probe.result import BalanceData, BalanceLevel, ChatData, ProbeResult

__all__ = [
    "PROMPT_TOKENS_ESTIMATE",
    "ChatSpend",
    "add_spend",
    "chat_guard",
    "spend_after",
    "unanswered_chat_cost",
    "utc_day",
]

_DAY_SECONDS = 86400
#: The chat probe's one-line prompt with the chat template around it: well under this many tokens.
PROMPT_TOKENS_ESTIMATE = 32


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
    return add_spend(spend, cost, now)


def unanswered_chat_cost(config: Config, provider: Provider) -> int:
    """What a chat run of `provider` that was sent but never answered counts: every model's cap and prompt."""
    default_cap = config.effective_chat(provider).max_tokens or 0
    return sum(
        (model.max_tokens or default_cap) + PROMPT_TOKENS_ESTIMATE for model in provider.model_entries() if model.chat
    )


def add_spend(spend: ChatSpend | None, cost: int, now: float) -> ChatSpend:
    """The spend after a chat run that cost `cost` tokens ended at `now` (a new UTC day starts from zero)."""
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
