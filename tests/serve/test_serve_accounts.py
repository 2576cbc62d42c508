"""`kimicheck serve` sends one account one request at a time, however many config entries share its key."""

from collections import deque
from pathlib import Path

import pytest

from kimicheck.sim import Endpoint, Fault, FaultKind, SimState, serve_in_thread
from kimicheck.sim.state import RecordedRequest
from tests.serve.inprocess import serve_in_process
from tests.serve.process import KEY, sim_config, wait_ready

#: waits on real timers (the simulator's latency)
pytestmark = pytest.mark.slow

class OverlapCounter(deque[RecordedRequest]):
    """The simulator's request log, counting requests that arrive while another on the same key is unanswered."""

    def __init__(self) -> None:
        super().__init__()
        self.overlaps: dict[str | None, int] = {}

    def append(self, record: RecordedRequest) -> None:
        # a record's status stays 0 until its response starts, so those are still in flight
        in_flight = sum(1 for earlier in self if earlier.key == record.key and earlier.status == 0)
        self.overlaps[record.key] = self.overlaps.get(record.key, 0) + in_flight
        super().append(record)


def entry(name: str, base_url: str) -> str:
    return (f"  - name: {name}\n    kind: moonshot\n    base_url: {base_url}\n    api_key_env: SIM_KEY\n"
            f"    models: [kimi-k2.5]\n")


def test_entries_sharing_a_key_on_one_host_never_overlap(tmp_path: Path) -> None:
    state = SimState.default()
    state.faults = [Fault(kind=FaultKind.LATENCY, endpoint=endpoint, seconds=0.2)
                    for endpoint in (Endpoint.MODELS, Endpoint.BALANCE, Endpoint.CHAT)]
    counter = OverlapCounter()
    state.requests = counter
    with serve_in_thread(state, port=0) as sim:
        config = tmp_path / "kimicheck.yaml"
        # the same account spelled three ways: one key, one origin
        others = entry("sim2", sim.base_url + "/") + entry("sim3", sim.base_url.replace("http://", "HTTP://"))
        config.write_text(sim_config(sim.base_url, extra_providers=others))
        with serve_in_process(config) as served:
            wait_ready(served.url)
            assert sim.state.count(key=KEY) == 3 + 2 + 2  # sim: models, balance, chat; the others: models, balance
            assert counter.overlaps == {KEY: 0}
