"""pytest fixtures for the simulator.

Use with `pytest_plugins = ["kimicheck.sim.pytest_plugin"]` in a top-level conftest.py, or import the fixture
(`from kimicheck.sim.pytest_plugin import simulator`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kimicheck.sim.server import RunningSimulator, serve_in_thread
from kimicheck.sim.state import SimState

__all__ = ["simulator"]


@pytest.fixture
def simulator() -> Iterator[RunningSimulator]:
    """A simulator with default state (any `sk-` key is a healthy account) on a free loopback port."""
    with serve_in_thread(SimState.default(), host="127.0.0.1", port=0) as sim:
        yield sim
