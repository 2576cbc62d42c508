"""Fixtures for the simulator's tests: the package's own `simulator` fixture and a scenario-driven one."""

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from kimicheck.sim import RunningSimulator, load_scenario, serve_in_thread
from kimicheck.sim.pytest_plugin import simulator  # the packaged fixture, tested as users get it

__all__ = ["simulator"]

KEY = "sk-test-0123456789abcdefghij"


@pytest.fixture
def scenario_sim() -> Iterator[Callable[[dict[str, Any]], RunningSimulator]]:
    """Start simulators from scenario mappings; all are torn down after the test."""
    with ExitStack() as stack:

        def start(scenario: dict[str, Any]) -> RunningSimulator:
            return stack.enter_context(serve_in_thread(load_scenario(scenario)))

        yield start
