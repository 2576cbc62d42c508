"""The reloader on its own: a good config is applied and counted, a bad one leaves the old one in use."""

import asyncio
import threading
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

import kimicheck.serve.reload as reload_module
from kimicheck.metrics.collector import SnapshotCollector
from kimicheck.serve.loading import UsableConfig
from kimicheck.serve.reload import ConfigReloader, initial_state
from kimicheck.serve.state import ServeState
from tests.serve.fakes import config, loaded

GOOD = """\
version: 1
providers:
  - name: kimi
    kind: moonshot
    base_url: https://api.moonshot.ai/v1
    api_key_env: KIMI_KEY
"""


def gauge(state: ServeState, name: str) -> float | None:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SnapshotCollector(lambda: state.snapshot))
    return registry.get_sample_value(name)


def reload_once(path: Path, clock: float) -> tuple[str | None, ServeState, list[UsableConfig]]:
    state = initial_state(loaded(config()), now=100.0)
    applied: list[UsableConfig] = []

    async def apply(new: UsableConfig) -> None:
        applied.append(new)
        state.loaded = new

    reloader = ConfigReloader(path, state, apply, clock=lambda: clock)
    problem = asyncio.run(reloader.reload())
    assert reloader.current is state.loaded
    return problem, state, applied


def test_the_first_load_counts_as_a_successful_reload() -> None:
    state = initial_state(loaded(config()), now=100.0)
    assert gauge(state, "kimicheck_config_last_reload_successful") == 1
    assert gauge(state, "kimicheck_config_last_reload_success_timestamp_seconds") == 100.0


def test_a_good_config_is_applied_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "kimicheck.yaml"
    path.write_text(GOOD)
    problem, state, applied = reload_once(path, clock=200.0)
    assert problem is None
    assert [new.config.providers[0].name for new in applied] == ["kimi"]
    assert gauge(state, "kimicheck_config_last_reload_successful") == 1
    assert gauge(state, "kimicheck_config_last_reload_success_timestamp_seconds") == 200.0


def test_a_bad_config_keeps_the_old_one(tmp_path: Path) -> None:
    path = tmp_path / "kimicheck.yaml"
    path.write_text(GOOD.replace("version: 1", "version: 2"))
    problem, state, applied = reload_once(path, clock=200.0)
    assert problem is not None and problem.startswith(f"{path}:1:")
    assert applied == []
    assert [p.name for p in state.loaded.config.providers] == ["p0"]
    assert gauge(state, "kimicheck_config_last_reload_successful") == 0
    assert gauge(state, "kimicheck_config_last_reload_success_timestamp_seconds") == 100.0


def test_a_missing_file_is_a_failed_reload(tmp_path: Path) -> None:
    problem, state, applied = reload_once(tmp_path / "gone.yaml", clock=200.0)
    assert problem is not None and "cannot be read" in problem
    assert applied == []
    assert gauge(state, "kimicheck_config_last_reload_successful") == 0


def test_a_reload_reads_and_lints_off_the_event_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "kimicheck.yaml"
    path.write_text(GOOD)
    release = threading.Event()
    real_load = reload_module.load_config

    def slow_load(config_path: Path) -> object:
        release.wait(timeout=5)  # a slow disk: the loop must keep serving meanwhile
        return real_load(config_path)

    monkeypatch.setattr(reload_module, "load_config", slow_load)
    state = initial_state(loaded(config()), now=100.0)

    async def apply(new: UsableConfig) -> None:
        state.loaded = new

    async def scenario() -> tuple[bool, str | None]:
        reloading = asyncio.create_task(ConfigReloader(path, state, apply, clock=lambda: 200.0).reload())
        await asyncio.sleep(0.05)
        served_meanwhile = not reloading.done()  # this line runs only if the loop was free
        release.set()
        return served_meanwhile, await reloading

    assert asyncio.run(scenario()) == (True, None)
    assert [p.name for p in state.loaded.config.providers] == ["kimi"]
