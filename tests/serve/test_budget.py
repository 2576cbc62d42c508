"""The chat guard: daily token budget and critical balance, and what a chat run counts against it."""

from decimal import Decimal

import pytest

from kimicheck.config.models import Config
from kimicheck.metrics.contract import SkipReason
from kimicheck.probe.result import BalanceData, BalanceLevel, ChatData, Check, ProbeResult, Reason
from kimicheck.serve.budget import (
    PROMPT_TOKENS_ESTIMATE,
    ChatSpend,
    add_spend,
    chat_guard,
    chat_run_cost,
    unanswered_chat_cost,
)

DAY = 86400.0
HEALTHY = BalanceData("USD", BalanceLevel.OK, Decimal("40"))
CONFIG = Config.model_validate({
    "version": 1,
    "defaults": {"chat": {"max_tokens": 16}},
    "providers": [{"name": "p", "kind": "moonshot", "base_url": "https://api.moonshot.ai/v1",
                   "api_key_env": "K", "models": ["kimi-k2.5", {"id": "kimi-k2.6", "chat": True},
                                                  {"id": "kimi-k2-thinking", "chat": True, "max_tokens": 64}]}],
})
PROVIDER = CONFIG.providers[0]


def chat(tokens: int) -> list[ProbeResult]:
    data = ChatData(prompt_tokens=tokens - 16, completion_tokens=16)
    return [ProbeResult("p", Check.CHAT, True, Reason.OK, 0.1, model="kimi-k2.6", data=data)]


def test_the_first_run_may_go() -> None:
    assert chat_guard(spend=None, budget=100, balance=HEALTHY, now=DAY) is None


def test_a_zero_budget_turns_chat_off() -> None:
    assert chat_guard(spend=None, budget=0, balance=HEALTHY, now=DAY) is SkipReason.BUDGET_EXHAUSTED


def spend_after(spend: ChatSpend | None, results: list[ProbeResult], now: float) -> ChatSpend:
    return add_spend(spend, chat_run_cost(CONFIG, PROVIDER, results), now)


def test_a_run_that_would_pass_the_budget_is_skipped() -> None:
    spend = spend_after(None, chat(40), now=DAY + 10)
    spend = spend_after(spend, chat(40), now=DAY + 20)
    assert spend == ChatSpend(day=1, tokens=80, last_run_tokens=40)
    assert chat_guard(spend=spend, budget=120, balance=HEALTHY, now=DAY + 30) is None
    assert chat_guard(spend=spend, budget=119, balance=HEALTHY, now=DAY + 30) is SkipReason.BUDGET_EXHAUSTED


def test_the_budget_starts_again_on_the_next_utc_day() -> None:
    spend = spend_after(None, chat(100), now=DAY + 10)
    assert chat_guard(spend=spend, budget=100, balance=HEALTHY, now=DAY + 20) is SkipReason.BUDGET_EXHAUSTED
    assert chat_guard(spend=spend, budget=100, balance=HEALTHY, now=2 * DAY) is None
    assert spend_after(spend, chat(30), now=2 * DAY) == ChatSpend(day=2, tokens=30, last_run_tokens=30)


def test_a_critical_or_empty_balance_stops_chat() -> None:
    critical = BalanceData("USD", BalanceLevel.CRITICAL, Decimal("1"))
    empty = BalanceData("USD", BalanceLevel.OK, Decimal("0"))
    unlimited = BalanceData("USD", BalanceLevel.OK, None)
    assert chat_guard(spend=None, budget=100, balance=critical, now=DAY) is SkipReason.BALANCE_CRITICAL
    assert chat_guard(spend=None, budget=100, balance=empty, now=DAY) is SkipReason.BALANCE_CRITICAL
    assert chat_guard(spend=None, budget=100, balance=unlimited, now=DAY) is None


def test_an_unanswered_chat_run_counts_every_models_cap_and_prompt() -> None:
    cost = unanswered_chat_cost(CONFIG, PROVIDER)
    assert cost == (16 + PROMPT_TOKENS_ESTIMATE) + (64 + PROMPT_TOKENS_ESTIMATE)
    spend = add_spend(spend_after(None, chat(40), now=DAY + 10), cost, now=DAY + 20)
    assert spend == ChatSpend(day=1, tokens=40 + cost, last_run_tokens=cost)


def failed(reason: Reason, status: int | None, model: str = "kimi-k2-thinking") -> ProbeResult:
    return ProbeResult("p", Check.CHAT, False, reason, 5.0, model=model, status_code=status)


MAYBE_BILLED = {
    "timeout": failed(Reason.TIMEOUT, None),
    "connection broken after sending": failed(Reason.CONNECT_ERROR, None),
    "5xx": failed(Reason.SERVER_ERROR, 500),
    "200 without usage": failed(Reason.INVALID_RESPONSE, 200),
}
REFUSED_OR_UNSENT = {
    "rate limited": failed(Reason.RATE_LIMITED, 429),
    "bad key": failed(Reason.AUTH_FAILED, 401),
    "unknown model": failed(Reason.MODEL_NOT_FOUND, 404),
    "redirect": failed(Reason.REDIRECT, 307),
    "TLS handshake": failed(Reason.TLS_ERROR, None),
    "plain http refused": failed(Reason.BAD_REQUEST, None),
    "unreadable key": failed(Reason.AUTH_FAILED, None),
}


@pytest.mark.parametrize("result", MAYBE_BILLED.values(), ids=MAYBE_BILLED.keys())
def test_a_call_that_may_have_been_billed_without_usage_counts_its_cap_and_prompt(result: ProbeResult) -> None:
    answered = chat(40)
    assert chat_run_cost(CONFIG, PROVIDER, [*answered, result]) == 40 + 64 + PROMPT_TOKENS_ESTIMATE
    other_model = failed(result.reason, result.status_code, model="kimi-k2.6")
    assert chat_run_cost(CONFIG, PROVIDER, [other_model]) == 16 + PROMPT_TOKENS_ESTIMATE


@pytest.mark.parametrize("result", REFUSED_OR_UNSENT.values(), ids=REFUSED_OR_UNSENT.keys())
def test_a_refused_or_unsent_call_counts_nothing(result: ProbeResult) -> None:
    assert chat_run_cost(CONFIG, PROVIDER, [*chat(40), result]) == 40
