"""A Kimi-compatible API simulator: Moonshot, OpenRouter, AIMLAPI and DeepSeek dialects, with faults.

    from kimicheck.sim import SimState, serve_in_thread
    with serve_in_thread(SimState.default()) as sim:
        ...  # point an OpenAI client at sim.base_url with any `sk-` key
"""

from __future__ import annotations

from kimicheck.sim.accounts import SIM_KINDS, Account
from kimicheck.sim.app import SimApp
from kimicheck.sim.control import CONTROL_TOKEN_HEADER
from kimicheck.sim.faults import Endpoint, Fault, FaultKind
from kimicheck.sim.scenario import ScenarioError, load_scenario
from kimicheck.sim.server import RunningSimulator, serve_async, serve_in_thread
from kimicheck.sim.state import RecordedRequest, SimState

__all__ = [
    "CONTROL_TOKEN_HEADER",
    "SIM_KINDS",
    "Account",
    "Endpoint",
    "Fault",
    "FaultKind",
    "RecordedRequest",
    "RunningSimulator",
    "ScenarioError",
    "SimApp",
    "SimState",
    "load_scenario",
    "serve_async",
    "serve_in_thread",
]
