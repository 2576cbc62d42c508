"""`kimicheck models`: argument order and lint errors as a user reads them, against the simulator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kimicheck.sim import Account, RunningSimulator, SimState, serve_in_thread

from .clirun import kimicheck
from .test_probe_cli import ENV, KEY, write_config


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSimulator]:
    state = SimState.default()
    state.add(Account(key=KEY, name="few", models=["kimi-k2.6", "kimi-k2.5"]))
    with serve_in_thread(state, host="127.0.0.1", port=0) as running:
        yield running


def test_usage_line_names_provider_then_config() -> None:
    result = kimicheck("models", "--help")
    assert result.out.startswith("usage: kimicheck models PROVIDER [CONFIG] [options]\n")
    assert "PROVIDER and CONFIG may come in either order" in result.out


def test_provider_and_config_in_either_order(tmp_path: Path, sim: RunningSimulator) -> None:
    path = write_config(tmp_path, sim)
    for argv in (["sim", path], [path, "sim"]):
        result = kimicheck("models", *argv, environ=ENV)
        assert (result.code, result.out, result.err) == (0, "kimi-k2.6\nkimi-k2.5\n", "")


def test_options_may_stand_between_provider_and_config(tmp_path: Path, sim: RunningSimulator) -> None:
    path = write_config(tmp_path, sim)
    result = kimicheck("models", "sim", "--format", "json", path, environ=ENV)
    assert (result.code, result.err) == (0, "")
    assert '"kimi-k2.6"' in result.out


def test_a_config_without_yaml_suffix_is_found_in_either_order(tmp_path: Path, sim: RunningSimulator) -> None:
    path = Path(write_config(tmp_path, sim)).rename(tmp_path / "monitoring-config")
    result = kimicheck("models", str(path), "sim", environ=ENV)
    assert (result.code, result.out, result.err) == (0, "kimi-k2.6\nkimi-k2.5\n", "")


def test_two_names_that_are_not_files_are_provider_then_config(tmp_path: Path) -> None:
    result = kimicheck("models", "sim", str(tmp_path / "other"))
    assert (result.code, result.out) == (2, "")
    assert result.err == f"kimicheck models: error: {tmp_path / 'other'}: no such file or directory\n"


def test_a_config_alone_asks_for_the_provider(tmp_path: Path, sim: RunningSimulator) -> None:
    path = write_config(tmp_path, sim)
    sim.state.clear_requests()
    result = kimicheck("models", path, environ=ENV)
    assert (result.code, result.out) == (2, "")
    assert result.err == ("kimicheck models: error: name the provider whose models to list: "
                          f"kimicheck models PROVIDER {path} (it has: sim)\n")
    assert list(sim.state.requests) == []


def test_lint_errors_name_the_command(tmp_path: Path, sim: RunningSimulator) -> None:
    path = write_config(tmp_path, sim)
    Path(path).write_text(Path(path).read_text().replace(f"base_url: {sim.base_url}", "base_url: ftp://x"))
    result = kimicheck("models", "sim", path, environ=ENV)
    assert (result.code, result.out) == (2, "")
    assert result.err.endswith(f"kimicheck models: {path} has lint errors; fix them before listing models\n")
    assert "kimicheck: " not in result.err
