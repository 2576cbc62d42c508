"""Reloading a running `kimicheck serve` costs the providers nothing unless the config changed."""

import time
from pathlib import Path

import httpx

from kimicheck.sim import Endpoint, Fault, FaultKind, SimState, serve_in_thread
from tests.serve.process import KEY, serve, sim_config, wait_ready, wait_until

CHAT_PATH = "/v1/chat/completions"
OTHER_KEY = "sk-sim-serve-other-000000000000000"
#: longer than the first round's spread (1 s), so a check restarted by a reload would have been sent
SETTLE_SECONDS = 1.5


def test_reloads_of_an_unchanged_config_call_no_provider(tmp_path: Path) -> None:
    with serve_in_thread(SimState.default(), port=0) as sim:
        sim.state.faults = [Fault(kind=FaultKind.LATENCY, endpoint=Endpoint.CHAT, seconds=2)]
        config = tmp_path / "kimicheck.yaml"
        config.write_text(sim_config(sim.base_url))
        with serve(config) as served, httpx.Client(timeout=10) as client:

            def reload() -> None:
                answer = client.post(served.url + "/-/reload")
                assert (answer.status_code, answer.text) == (200, "config reloaded\n")

            wait_until(lambda: sim.state.count(path=CHAT_PATH, key=KEY) == 1, what="the chat call")
            for _ in range(4):  # while the slow chat call is in flight
                reload()
                time.sleep(0.2)
            wait_ready(served.url, client)
            for _ in range(4):  # after it
                reload()
            time.sleep(SETTLE_SECONDS)
            assert sim.state.count(path=CHAT_PATH, key=KEY) == 1
            assert sim.state.count(key=KEY) == 3  # models, balance, chat: the first round only
            served.wait_for_log("config reloaded: 1 providers")


def test_a_reload_restarts_only_the_checks_whose_settings_changed(tmp_path: Path) -> None:
    with serve_in_thread(SimState.default(), port=0) as sim:
        config = tmp_path / "kimicheck.yaml"
        good = sim_config(sim.base_url)
        config.write_text(good)
        with serve(config, env={"SIM2_KEY": OTHER_KEY}) as served, httpx.Client(timeout=10) as client:
            wait_ready(served.url, client)
            assert sim.state.count(key=KEY) == 3
            # a second provider on another key: only its checks start, the first provider's wait their hour
            other = good.split("providers:\n", 1)[1].replace("name: sim", "name: sim2").replace("SIM_KEY", "SIM2_KEY")
            config.write_text(good + other)
            assert client.post(served.url + "/-/reload").status_code == 200
            wait_until(lambda: sim.state.count(key=OTHER_KEY) == 3, what="sim2's checks")
            time.sleep(SETTLE_SECONDS)
            assert sim.state.count(key=KEY) == 3
            assert sim.state.count(key=OTHER_KEY) == 3
