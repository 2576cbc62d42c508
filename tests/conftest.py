"""Fixtures every test folder shares."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kimicheck.sim import RunningSimulator, SimState, serve_in_thread


@pytest.fixture(scope="module")
def shared_sim() -> Iterator[RunningSimulator]:
    """One simulator per test module, on a free loopback port."""
    with serve_in_thread(SimState.default(), host="127.0.0.1", port=0) as running:
        yield running


@pytest.fixture
def sim(shared_sim: RunningSimulator) -> RunningSimulator:
    """The module's simulator, reset to its default state (any `sk-` key is a healthy account)."""
    shared_sim.state.reset()
    return shared_sim


@pytest.fixture(autouse=True)
def _shipped_catalog() -> Iterator[None]:
    """Every test starts and ends with the shipped model catalog, whatever a `--catalog` run chose."""
    from kimicheck.providers import use_catalog

    use_catalog(None)
    yield
    use_catalog(None)
