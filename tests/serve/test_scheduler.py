"""The scheduler with a fake run_check: first round, single-flight, the chat guard, reload, stop."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx
from prometheus_client import CollectorRegistry

from kimicheck.metrics.collector import SnapshotCollector
from kimicheck.metrics.snapshot import Snapshot
from kimicheck.probe.result import BalanceLevel, Check
from kimicheck.serve.loading import UsableConfig
from kimicheck.serve.scheduler import Scheduler
from kimicheck.serve.state import ServeState
from tests.serve.fakes import FakeProbes, config, loaded

ENV = {"SIM_KEY": "sk-test-scheduler-0000000000000000"}
T = TypeVar("T")


def state_of(load: UsableConfig) -> ServeState:
    return ServeState(loaded=load, snapshot=Snapshot(load.config, load.sha256))


def sample(state: ServeState, name: str, labels: dict[str, str]) -> float | None:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SnapshotCollector(lambda: state.snapshot))
    return registry.get_sample_value(name, labels)


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.005)


def run(body: Callable[[Scheduler, ServeState, FakeProbes], Awaitable[T]], load: UsableConfig,
        probes: FakeProbes | None = None, environ: dict[str, str] = ENV) -> T:
    fake = probes or FakeProbes()

    async def main() -> T:
        state = state_of(load)
        async with httpx.AsyncClient() as client:
            scheduler = Scheduler(state, client, fake, environ=environ, first_round_spread=0.0)
            scheduler.start()
            try:
                return await body(scheduler, state, fake)
            finally:
                await scheduler.stop()

    return asyncio.run(main())


def test_first_round_runs_every_check_once_then_ready() -> None:
    async def body(scheduler: Scheduler, state: ServeState, probes: FakeProbes) -> None:
        assert not state.ready
        await until(lambda: state.ready)
        await asyncio.sleep(0.05)
        assert dict(probes.calls) == {
            (f"p{i}", check): 1 for i in range(3) for check in (Check.MODELS, Check.BALANCE, Check.CHAT)
        }
        assert probes.keys[0].reveal() == ENV["SIM_KEY"]

    run(body, loaded(config(providers=3)))


def test_checks_repeat_on_their_interval_one_at_a_time_per_provider() -> None:
    async def body(scheduler: Scheduler, state: ServeState, probes: FakeProbes) -> None:
        await until(lambda: all(probes.calls[("p0", c)] >= 3 for c in (Check.MODELS, Check.BALANCE)))
        assert probes.most_running_per_provider == 1

    run(body, loaded(config(interval="50ms", budget=10**6)), FakeProbes(delay=0.02))


def test_chat_is_skipped_when_the_budget_is_zero() -> None:
    async def body(scheduler: Scheduler, state: ServeState, probes: FakeProbes) -> None:
        await until(lambda: state.ready)
        labels = {"provider": "p0", "check": "chat", "reason": "budget_exhausted"}
        assert sample(state, "kimicheck_probe_skipped_total", labels) == 1
        assert probes.calls[("p0", Check.CHAT)] == 0

    run(body, loaded(config(budget=0)))


def test_chat_stops_once_the_days_budget_is_spent() -> None:
    async def body(scheduler: Scheduler, state: ServeState, probes: FakeProbes) -> None:
        labels = {"provider": "p0", "check": "chat", "reason": "budget_exhausted"}
        await until(lambda: (sample(state, "kimicheck_probe_skipped_total", labels) or 0) >= 2)
        # 25 tokens a run against a budget of 60: two runs fit, the third would pass it
        assert probes.calls[("p0", Check.CHAT)] == 2
        tokens = {"provider": "p0", "model": "kimi-k2.6", "type": "completion"}
        assert sample(state, "kimicheck_chat_tokens_total", tokens) == 26

    run(body, loaded(config(budget=60, interval="20ms")), FakeProbes(tokens=25))


def test_chat_is_skipped_while_the_balance_is_critical() -> None:
    async def body(scheduler: Scheduler, state: ServeState, probes: FakeProbes) -> None:
        await until(lambda: state.ready)
        labels = {"provider": "p0", "check": "chat", "reason": "balance_critical"}
        assert sample(state, "kimicheck_probe_skipped_total", labels) == 1
        assert probes.calls[("p0", Check.CHAT)] == 0

    run(body, loaded(config()), FakeProbes(level=BalanceLevel.CRITICAL))


def test_a_missing_key_is_an_auth_failure_without_a_call() -> None:
    async def body(scheduler: Scheduler, state: ServeState, probes: FakeProbes) -> None:
        await until(lambda: state.ready)
        assert sum(probes.calls.values()) == 0
        labels = {"provider": "p0", "check": "models"}
        assert sample(state, "kimicheck_probe_success", labels) == 0
        assert sample(state, "kimicheck_probe_failures_total", {**labels, "reason": "auth_failed"}) == 1
        (result,) = state.snapshot.runs[("p0", Check.MODELS)]
        assert result.detail == "cannot read the key: environment variable SIM_KEY is unset or empty"

    run(body, loaded(config()), environ={})


def test_reschedule_keeps_results_and_does_not_rerun_checks_early() -> None:
    async def body(scheduler: Scheduler, state: ServeState, probes: FakeProbes) -> None:
        await until(lambda: state.ready)
        await asyncio.sleep(0.05)
        bigger = loaded(config(providers=2))
        await scheduler.reschedule(bigger)
        await until(lambda: probes.calls[("p1", Check.CHAT)] == 1)
        await asyncio.sleep(0.05)
        assert probes.calls[("p0", Check.MODELS)] == 1  # its hour is not up
        assert state.loaded is bigger
        assert sample(state, "kimicheck_config_info", {"sha256": bigger.sha256}) == 1
        assert sample(state, "kimicheck_probe_success", {"provider": "p0", "check": "models"}) == 1

    run(body, loaded(config()))


def test_stop_cancels_checks_in_flight() -> None:
    async def body(scheduler: Scheduler, state: ServeState, probes: FakeProbes) -> None:
        await until(lambda: sum(probes.running.values()) > 0)
        async with asyncio.timeout(1):
            await scheduler.stop()
        assert sum(probes.running.values()) == 0
        assert not state.snapshot.runs

    run(body, loaded(config()), FakeProbes(delay=3600))


def test_reloads_of_an_unchanged_config_keep_checks_in_flight_and_their_schedule() -> None:
    async def body(scheduler: Scheduler, state: ServeState, probes: FakeProbes) -> None:
        await until(lambda: probes.running["p0"] > 0 and probes.calls[("p0", Check.CHAT)] == 1)
        for _ in range(5):
            await scheduler.reschedule(loaded(config()))  # equal to the running config, not the same object
        await until(lambda: state.ready)
        for _ in range(5):
            await scheduler.reschedule(loaded(config()))
        await asyncio.sleep(0.3)
        assert dict(probes.calls) == {("p0", check): 1 for check in (Check.MODELS, Check.BALANCE, Check.CHAT)}
        assert sample(state, "kimicheck_probe_success", {"provider": "p0", "check": "chat"}) == 1

    run(body, loaded(config()), FakeProbes(delay=0.2))


def test_a_chat_call_cancelled_by_a_reload_counts_against_the_budget() -> None:
    async def body(scheduler: Scheduler, state: ServeState, probes: FakeProbes) -> None:
        await until(lambda: probes.running["p0"] > 0 and probes.calls[("p0", Check.CHAT)] == 1)
        # a new budget changes the chat settings: the call in flight is cancelled and the check restarted;
        # the cancelled call counts as its cap (16) plus the prompt estimate (32): 48 spent, 48 more > 90
        await scheduler.reschedule(loaded(config(budget=90)))
        labels = {"provider": "p0", "check": "chat", "reason": "budget_exhausted"}
        await until(lambda: sample(state, "kimicheck_probe_skipped_total", labels) == 1)
        assert probes.calls[("p0", Check.CHAT)] == 1

    run(body, loaded(config(budget=1000)), FakeProbes(chat_delay=3600))


def test_a_reload_that_drops_a_check_does_not_hold_readiness() -> None:
    async def body(scheduler: Scheduler, state: ServeState, probes: FakeProbes) -> None:
        await until(lambda: probes.calls[("p0", Check.BALANCE)] == 1)
        await scheduler.reschedule(loaded(config(chat=False)))
        await until(lambda: state.ready)
        assert probes.calls[("p0", Check.CHAT)] == 0

    run(body, loaded(config()), FakeProbes(delay=0.2))


def test_providers_sharing_an_account_send_one_request_at_a_time() -> None:
    async def body(scheduler: Scheduler, state: ServeState, probes: FakeProbes) -> None:
        await until(lambda: state.ready)
        assert probes.most_running == 1

    # three config entries, one key on one host: one account, whatever the names and paths
    urls = ["http://127.0.0.1:9/v1", "http://127.0.0.1:9/v1/", "HTTP://127.0.0.1:9/other/v1"]
    run(body, loaded(config(providers=3, base_urls=urls)), FakeProbes(delay=0.05))


def test_different_accounts_are_checked_side_by_side() -> None:
    async def body(scheduler: Scheduler, state: ServeState, probes: FakeProbes) -> None:
        await until(lambda: state.ready)
        assert probes.most_running == 3

    # the same key on two hosts, and another key on the first host: three accounts
    urls = ["http://127.0.0.1:9/v1", "http://127.0.0.2:9/v1", "http://127.0.0.1:9/v1"]
    environ = {"SIM_KEY": ENV["SIM_KEY"], "OTHER_KEY": "sk-test-scheduler-1111111111111111"}
    load = loaded(config(providers=3, base_urls=urls, key_envs=["SIM_KEY", "SIM_KEY", "OTHER_KEY"]))
    run(body, load, FakeProbes(delay=0.05), environ=environ)


def test_a_reload_that_finishes_after_stop_starts_nothing() -> None:
    async def body(scheduler: Scheduler, state: ServeState, probes: FakeProbes) -> None:
        await until(lambda: sum(probes.running.values()) > 0)
        # SIGTERM's stop and a reload (to a config with a new provider) race: the reload waits on its cancels
        reload = asyncio.create_task(scheduler.reschedule(loaded(config(providers=2, interval="2h"))))
        await asyncio.sleep(0)
        await scheduler.stop()
        await reload
        await asyncio.sleep(0.05)
        assert sum(probes.running.values()) == 0
        assert not any(name == "p1" for name, _ in probes.calls)

    run(body, loaded(config()), FakeProbes(delay=3600))
