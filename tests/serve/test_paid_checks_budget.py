"""serve with all four paid checks on: each on its own interval, one daily token budget for them all."""

import asyncio

from kimicheck.config.models import Config
from kimicheck.probe.result import Check
from kimicheck.serve.scheduler import Scheduler, scheduled_checks
from kimicheck.serve.state import ServeState
from tests.serve.fakes import FakeProbes, loaded
from tests.serve.test_scheduler import run, sample, until

PAID = (Check.CHAT, Check.STREAM, Check.TOOLS, Check.JSON)


def all_paid(budget: int, interval: str = "20ms") -> Config:
    return Config.model_validate({
        "version": 1,
        "defaults": {"intervals": {"models": "1h", "balance": "1h", "chat": interval, "stream": interval,
                                   "tools": interval, "json": interval},
                     "chat": {"daily_token_budget": budget}},
        "providers": [{"name": "p0", "kind": "moonshot", "base_url": "http://127.0.0.1:9/v1",
                       "api_key_env": "SIM_KEY",
                       "models": [{"id": "kimi-k2.6", "chat": True, "stream": True, "tools": True, "json": True}],
                       "balance": {"warn_below": 10, "critical_below": 2}}],
    })


def test_every_paid_check_is_scheduled_for_the_models_that_want_it() -> None:
    [provider] = all_paid(100).providers
    assert scheduled_checks(provider) == [Check.MODELS, Check.BALANCE, *PAID]


def test_the_daily_budget_holds_with_all_four_paid_checks_on() -> None:
    async def body(scheduler: Scheduler, state: ServeState, probes: FakeProbes) -> None:
        def skips() -> float:
            return sum(sample(state, "kimicheck_probe_skipped_total",
                              {"provider": "p0", "check": c.value, "reason": "budget_exhausted"}) or 0 for c in PAID)
        await until(lambda: skips() >= 8)
        await asyncio.sleep(0.1)
        runs = sum(probes.calls[("p0", c)] for c in PAID)
        # 25 tokens a run against a budget of 110: four runs fit, whichever checks they were, then none
        assert runs == 4
        assert runs * 25 <= 110

    run(body, loaded(all_paid(110)), FakeProbes(tokens=25))
