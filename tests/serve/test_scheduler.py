"""The scheduler with a fake run_check: first round, single-flight, the chat guard, reload, stop."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx
from prometheus_client import CollectorRegistry

from kimicheck.metrics.collector import SnapshotCollector
from kimicheck.metrics.snapshot import Snapshot
from kimicheck.probe.result import BalanceLevel, Check
from kimicheck.serve.loading import Loaded
from kimicheck.serve.scheduler import Scheduler
from kimicheck.serve.state import ServeState
from tests.serve.fakes import FakeProbes, config, loaded

ENV = {"SIM_KEY": "sk-test-scheduler-0000000000000000"}
T = TypeVar("T")


def state_of(load: Loaded) -> ServeState:
    return ServeState(loaded=load, snapshot=Snapshot(load.config, load.sha256))


def sample(state: ServeState, name: str, labels: dict[str, str]) -> float | None:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SnapshotCollector(lambda: state.snapshot))
    return registry.get_sample_value(name, labels)


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.005)


def run(body: Callable[[Scheduler, ServeState, FakeProbes], Awaitable[T]], load: Loaded,
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
