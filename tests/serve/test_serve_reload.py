"""Reloading a running `kimicheck serve` (in-process): it costs the providers nothing unless the config changed, and the
metrics afterwards show only what the new config checks."""

import time
from pathlib import Path

import httpx
import pytest

from kimicheck.sim import Endpoint, Fault, FaultKind, SimState, serve_in_thread
from tests.serve.inprocess import serve_in_process
from tests.serve.process import KEY, samples, sim_config, wait_ready, wait_until

#: waits out the first round's spread to see that nothing more was called
pytestmark = pytest.mark.slow

CHAT_PATH = "/v1/chat/completions"
OTHER_KEY = "sk-sim-serve-other-000000000000000"
#: longer than the first round's spread (1 s), so a check restarted by a reload would have been sent
SETTLE_SECONDS = 1.5


def test_reloads_of_an_unchanged_config_call_no_provider(tmp_path: Path) -> None:
    with serve_in_thread(SimState.default(), port=0) as sim:
        sim.state.faults = [Fault(kind=FaultKind.LATENCY, endpoint=Endpoint.CHAT, seconds=2)]
        config = tmp_path / "kimicheck.yaml"
        config.write_text(sim_config(sim.base_url))
        with serve_in_process(config) as served, httpx.Client(timeout=10) as client:

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
        with serve_in_process(config, env={"SIM2_KEY": OTHER_KEY}) as served, httpx.Client(timeout=10) as client:
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


def series(text: str, **wanted: str) -> list[str]:
    """The series of an exposition whose labels include every `wanted` label, as `name{label=value,...}`."""
    found = []
    for (name, labels), _ in samples(text).items():
        if all((key, value) in labels for key, value in wanted.items()):
            found.append(name + "{" + ",".join(f"{k}={v}" for k, v in labels) + "}")
    return sorted(found)


def reloaded(url: str, client: httpx.Client, config: Path, text: str) -> str:
    """Write `text` as the config, reload, and return /metrics."""
    config.write_text(text)
    answer = client.post(url + "/-/reload")
    assert (answer.status_code, answer.text) == (200, "config reloaded\n")
    return client.get(url + "/metrics").text


def two_chat_models(base_url: str) -> str:
    """The simulator config with `chat: true` on both models; its first chat call fails with a 500."""
    return sim_config(base_url).replace("[kimi-k3, {id: kimi-k2.6", "[{id: kimi-k3, chat: true}, {id: kimi-k2.6")


def first_chat_fails() -> Fault:
    """A fresh fault each time: a fault counts how often it fired."""
    return Fault(kind=FaultKind.STATUS, endpoint=Endpoint.CHAT, status=500, times=1)

CHAT_SUCCESS = ("kimicheck_probe_success", (("check", "chat"), ("provider", "sim")))


def test_a_check_dropped_by_a_reload_leaves_no_series_behind(tmp_path: Path) -> None:
    with serve_in_thread(SimState.default(), port=0) as sim:
        sim.state.faults = [first_chat_fails()]
        config = tmp_path / "kimicheck.yaml"
        config.write_text(two_chat_models(sim.base_url))
        with serve_in_process(config) as served, httpx.Client(timeout=10) as client:
            wait_ready(served.url, client)
            text = client.get(served.url + "/metrics").text
            per_result = ("kimicheck_probe_runs_total", "kimicheck_probe_latency_seconds")
            assert {"kimicheck_probe_runs_total{check=chat,provider=sim}",
                    "kimicheck_probe_latency_seconds_count{check=chat,provider=sim}"} <= set(series(text, check="chat"))
            assert [line for line in series(text, check="chat") if not line.startswith(per_result)] == [
                "kimicheck_probe_duration_seconds{check=chat,provider=sim}",
                "kimicheck_probe_failures_total{check=chat,provider=sim,reason=server_error}",
                "kimicheck_probe_last_reason{check=chat,provider=sim,reason=server_error}",
                "kimicheck_probe_last_run_timestamp_seconds{check=chat,provider=sim}",
                "kimicheck_probe_skipped_total{check=chat,provider=sim,reason=balance_critical}",
                "kimicheck_probe_skipped_total{check=chat,provider=sim,reason=budget_exhausted}",
                "kimicheck_probe_success{check=chat,provider=sim}",
            ]
            completion = ("kimicheck_chat_tokens_total", (("model", "kimi-k2.6"), ("provider", "sim"),
                                                          ("type", "completion")))
            assert samples(text)[completion] > 0
            # both models stay, no `chat: true` is left: the provider no longer has a chat check
            no_chat = sim_config(sim.base_url).replace("{id: kimi-k2.6, chat: true}", "kimi-k2.6")
            text = reloaded(served.url, client, config, no_chat)
            assert series(text, check="chat") == []
            assert series(text, model="kimi-k3") == ["kimicheck_model_listed{model=kimi-k3,provider=sim}"]
            assert series(text, model="kimi-k2.6") == ["kimicheck_model_listed{model=kimi-k2.6,provider=sim}"]
            kept = [[line for line in series(text, check=check) if not line.startswith(per_result)]
                    for check in ("models", "balance")]
            assert len(kept[0]) == len(kept[1]) == 5
            assert sim.state.count(key=KEY) == 4  # models, balance, two chat calls: the first round only


def test_a_chat_model_dropped_by_a_reload_leaves_no_series_behind(tmp_path: Path) -> None:
    with serve_in_thread(SimState.default(), port=0) as sim:
        sim.state.faults = [first_chat_fails()]
        config = tmp_path / "kimicheck.yaml"
        config.write_text(two_chat_models(sim.base_url))
        with serve_in_process(config) as served, httpx.Client(timeout=10) as client:
            wait_ready(served.url, client)
            text = client.get(served.url + "/metrics").text
            assert samples(text)[CHAT_SUCCESS] == 0  # kimi-k3 failed
            assert series(text, model="kimi-k3") == [
                "kimicheck_chat_success{model=kimi-k3,provider=sim}",
                "kimicheck_chat_tokens_total{model=kimi-k3,provider=sim,type=completion}",
                "kimicheck_chat_tokens_total{model=kimi-k3,provider=sim,type=prompt}",
                "kimicheck_model_listed{model=kimi-k3,provider=sim}",
            ]
            text = reloaded(served.url, client, config, sim_config(sim.base_url))  # kimi-k3 without chat
            assert series(text, model="kimi-k3") == ["kimicheck_model_listed{model=kimi-k3,provider=sim}"]
            assert series(text, model="kimi-k2.6") == [
                "kimicheck_chat_success{model=kimi-k2.6,provider=sim}",
                "kimicheck_chat_tokens_total{model=kimi-k2.6,provider=sim,type=completion}",
                "kimicheck_chat_tokens_total{model=kimi-k2.6,provider=sim,type=prompt}",
                "kimicheck_model_listed{model=kimi-k2.6,provider=sim}",
            ]
            assert samples(text)[CHAT_SUCCESS] == 1  # the check now stands for kimi-k2.6 alone
