"""What a chat call that may have been billed without saying how much costs the daily budget of `kimicheck serve`."""

from pathlib import Path

import pytest

from kimicheck.sim import Endpoint, Fault, FaultKind, SimState, serve_in_thread
from tests.serve.inprocess import serve_in_process
from tests.serve.process import KEY, sim_config, value, wait_until

#: waits on real timers (the chat interval)
pytestmark = pytest.mark.slow

CHAT_PATH = "/v1/chat/completions"
#: a call without usage counts max_tokens 16 + 32 for the prompt: 48 spent, and 48 more would pass 90
BUDGET = 90

NO_USAGE = {
    "timeout": Fault(kind=FaultKind.HANG, endpoint=Endpoint.CHAT),
    "connection reset after sending": Fault(kind=FaultKind.RESET, endpoint=Endpoint.CHAT),
    "5xx": Fault(kind=FaultKind.STATUS, endpoint=Endpoint.CHAT, status=500, error_type="server_error"),
}


@pytest.mark.parametrize("fault", NO_USAGE.values(), ids=NO_USAGE.keys())
def test_a_chat_call_sent_without_usage_in_return_counts_against_the_budget(tmp_path: Path, fault: Fault) -> None:
    with serve_in_thread(SimState.default(), port=0) as sim:
        sim.state.faults = [fault]
        config = tmp_path / "kimicheck.yaml"
        config.write_text(sim_config(sim.base_url, chat="300ms", timeout="300ms", budget=BUDGET))
        with serve_in_process(config) as served:
            skipped = {"provider": "sim", "check": "chat", "reason": "budget_exhausted"}
            wait_until(lambda: value(served.url, "kimicheck_probe_skipped_total", **skipped) == 1,
                       what="a chat run skipped for the budget")
            assert sim.state.count(path=CHAT_PATH, key=KEY) == 1
            assert value(served.url, "kimicheck_probe_success", provider="sim", check="chat") == 0
