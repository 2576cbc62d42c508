"""Fixtures for the simulator's tests: the package's own `simulator` fixture and a scenario-driven one."""

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from kimicheck.sim import RunningSimulator, SimState, load_scenario, serve_in_thread
from kimicheck.sim.pytest_plugin import simulator  # the packaged fixture, tested as users get it

__all__ = ["simulator"]

KEY = "sk-test-0123456789abcdefghij"


@pytest.fixture(scope="module")
def scenario_server() -> Iterator[RunningSimulator]:
    """One server per test module for `scenario_sim` (starting and stopping one costs a few tenths of a second)."""
    with serve_in_thread(SimState(), host="127.0.0.1", port=0) as running:
        yield running


@pytest.fixture
def scenario_sim(scenario_server: RunningSimulator) -> Iterator[Callable[[dict[str, Any]], RunningSimulator]]:
    """Simulators from scenario mappings. The first of a test is the module's server holding a state freshly
    loaded from its scenario; any further one is a server of its own, torn down after the test."""
    shared_used = False
    with ExitStack() as stack:

        def start(scenario: dict[str, Any]) -> RunningSimulator:
            nonlocal shared_used
            state = load_scenario(scenario)
            if shared_used:
                return stack.enter_context(serve_in_thread(state))
            shared_used = True
            # the app and its control routes hold the state object itself: give that object the new state
            vars(scenario_server.state).update(vars(state))
            return scenario_server

        yield start
