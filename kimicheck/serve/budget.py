"""The guard in front of the paid chat check: a daily token budget and the balance. Pure.

A chat run is skipped when the tokens spent today (UTC) plus what the last run cost would pass the
provider's `daily_token_budget` (0 turns chat off), or while the last balance seen is critical or empty.

A chat call that may have been billed but says nothing about how much counts as its model's completion cap
plus `PROMPT_TOKENS_ESTIMATE`, a deliberate overestimate: one cancelled while in flight (a reload that
changed the provider, a shutdown: `unanswered_chat_cost`), and one that ended without `usage`
(`chat_run_cost`): a timeout, a broken connection, a 5xx, or a 2xx without usage. A probe result does not
say whether a timeout or a connection error came before or after the request left, so both count. Nothing
counts for a call that was refused (a 3xx or 4xx answer) or never sent (a TLS failure, a bad base URL).
"""

from __future__ import annotations

from dataclasses import dataclass

from kimicheck.config.models import Config, Provider
from kimicheck.metrics.contract import SkipReason
from kimicheck.probe.caps import default_cap
from kimicheck.probe.result import BalanceData, BalanceLevel, ChatData, Check, ProbeResult, Reason

__all__ = [
    "PROMPT_TOKENS_ESTIMATE",
    "ChatSpend",
    "add_spend",
    "chat_guard",
    "chat_run_cost",
    "unanswered_chat_cost",
    "utc_day",
]

_DAY_SECONDS = 86400
#: The chat probe's one-line prompt with the chat template around it: well under this many tokens.
PROMPT_TOKENS_ESTIMATE = 32
#: Failures without an HTTP status that prove the chat request never left kimicheck: a TLS failure, a
#: base URL it refused to send to, a key it could not read.
_NEVER_SENT = frozenset({Reason.TLS_ERROR, Reason.BAD_REQUEST, Reason.AUTH_FAILED})


def utc_day(now: float) -> int:
    """The number of the UTC day `now` (Unix seconds) falls in."""
    return int(now // _DAY_SECONDS)


@dataclass(frozen=True)
class ChatSpend:
    """Tokens one provider's chat probes spent on `day`, and what the latest run cost."""

    day: int
    tokens: int = 0
    last_run_tokens: int = 0


def _estimate(config: Config, provider: Provider, model_id: str | None, check: Check = Check.CHAT) -> int:
    """What one unanswered paid call to `model_id` counts: its completion cap and the prompt estimate."""
    cap = config.effective_chat(provider).max_tokens or 0
    entry = next((m for m in provider.model_entries() if m.id == model_id), None)
    if check is not Check.CHAT:  # the other paid checks default their cap by the model's thinking nature
        cap = default_cap(model_id or "")
    return (entry.max_tokens if entry is not None and entry.max_tokens else cap) + PROMPT_TOKENS_ESTIMATE


def _call_cost(config: Config, provider: Provider, result: ProbeResult) -> int:
    # a broken stream's token counts are not believed: it may have ended before its usage
    if isinstance(result.data, ChatData) and result.reason is not Reason.STREAM_BROKEN:
        return result.data.prompt_tokens + result.data.completion_tokens
    if result.status_code is not None and 300 <= result.status_code < 500:
        return 0  # refused, not run
    if result.status_code is None and result.reason in _NEVER_SENT:
        return 0
    return _estimate(config, provider, result.model, result.check)


def chat_run_cost(config: Config, provider: Provider, results: list[ProbeResult]) -> int:
    """The tokens a finished chat run of `provider` counts: the usage reported, the estimate where none was."""
    return sum(_call_cost(config, provider, result) for result in results)


def unanswered_chat_cost(config: Config, provider: Provider, check: Check = Check.CHAT) -> int:
    """What a paid run of `provider` that was sent but never answered counts: every model's cap and prompt."""
    return sum(_estimate(config, provider, model.id, check) for model in provider.model_entries()
               if model.wants(check))


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
