"""`kimicheck serve` against the simulator on loopback: as a subprocess where signals and exit codes are tested,
in-process otherwise."""

import signal
import socket
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from kimicheck.sim import SimState, serve_in_thread
from tests.serve.inprocess import serve_in_process
from tests.serve.process import KEY, serve, sim_config, value, wait_ready, wait_until

#: starts `kimicheck serve` as a real process, or waits on real timers
pytestmark = pytest.mark.slow


def test_a_burst_of_scrapes_calls_no_provider(tmp_path: Path) -> None:
    with serve_in_thread(SimState.default(), port=0) as sim:
        config = tmp_path / "kimicheck.yaml"
        config.write_text(sim_config(sim.base_url))
        with serve_in_process(config) as served:
            wait_ready(served.url)
            calls = sim.state.count(key=KEY)
            assert calls == 3  # models, balance, one chat model: the first round

            def scrape_many(results: list[int]) -> None:
                with httpx.Client() as client:
                    results.extend(client.get(served.url + "/metrics").status_code for _ in range(25))

            statuses: list[int] = []
            threads = [threading.Thread(target=scrape_many, args=(statuses,)) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
            assert statuses == [200] * 100
            assert sim.state.count(key=KEY) == calls
            assert value(served.url, "kimicheck_probe_success", provider="sim", check="chat") == 1


def test_a_balance_change_shows_after_the_next_balance_interval(tmp_path: Path) -> None:
    with serve_in_thread(SimState.default(), port=0) as sim:
        config = tmp_path / "kimicheck.yaml"
        config.write_text(sim_config(sim.base_url, balance="1s", timeout="500ms"))
        with serve_in_process(config) as served:
            wait_ready(served.url)
            labels = {"provider": "sim", "type": "available", "currency": "USD"}
            before = value(served.url, "kimicheck_balance", **labels)
            assert before is not None and before > 40
            sim.state.account(KEY).cash = Decimal("7.5")
            wait_until(lambda: value(served.url, "kimicheck_balance", **labels) == 7.5, what="the new balance")


def test_a_broken_config_on_sighup_keeps_the_old_one(tmp_path: Path) -> None:
    with serve_in_thread(SimState.default(), port=0) as sim:
        config = tmp_path / "kimicheck.yaml"
        good = sim_config(sim.base_url)
        config.write_text(good)
        with serve(config) as served:
            wait_ready(served.url)
            before = httpx.get(served.url + "/metrics").text
            config.write_text(good.replace("kind: moonshot", "kind: moonshoot"))
            served.signal(signal.SIGHUP)
            wait_until(lambda: value(served.url, "kimicheck_config_last_reload_successful") == 0, what="reload 0")
            served.wait_for_log("config reload failed, the old config stays in use: ")
            after = httpx.get(served.url + "/metrics").text
            kept = [line for line in before.splitlines() if line.startswith(("kimicheck_probe_success",
                                                                              "kimicheck_config_info"))]
            assert kept and all(line in after.splitlines() for line in kept)
            config.write_text(good.replace("warn_below: 10", "warn_below: 12"))
            answer = httpx.post(served.url + "/-/reload")
            assert (answer.status_code, answer.text) == (200, "config reloaded\n")
            assert value(served.url, "kimicheck_config_last_reload_successful") == 1
            threshold = {"provider": "sim", "level": "warning", "currency": "USD"}
            assert value(served.url, "kimicheck_balance_threshold", **threshold) == 12


def test_sigterm_exits_zero_with_a_probe_in_flight(tmp_path: Path) -> None:
    # a server that accepts connections and never answers: the probe is in flight until cancelled
    with socket.socket() as blackhole:
        blackhole.bind(("127.0.0.1", 0))
        blackhole.listen(8)
        base_url = f"http://127.0.0.1:{blackhole.getsockname()[1]}/v1"
        config = tmp_path / "kimicheck.yaml"
        config.write_text(sim_config(base_url, timeout="60s"))
        with serve(config) as served:
            wait_until(lambda: httpx.get(served.url + "/healthz").status_code == 200, what="/healthz")
            assert httpx.get(served.url + "/ready").status_code == 503
            served.signal(signal.SIGTERM)
            assert served.process.wait(timeout=10) == 0
            served.wait_for_log("SIGTERM: stopping")


def test_a_config_with_lint_errors_does_not_start(tmp_path: Path) -> None:
    config = tmp_path / "kimicheck.yaml"
    config.write_text(sim_config("http://127.0.0.1:9/v1").replace("kind: moonshot", "kind: moonshoot"))
    done = subprocess.run(
        [sys.executable, "-m", "kimicheck", "serve", str(config)], capture_output=True, text=True, timeout=30,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"kimicheck serve: error: {config}:")
    assert done.stdout == ""


@pytest.mark.parametrize(
    ("listen", "message"),
    [("9961", "kimicheck serve: error: --listen '9961': expected HOST:PORT, e.g. 127.0.0.1:9961\n")],
)
def test_a_bad_listen_address(tmp_path: Path, listen: str, message: str) -> None:
    from tests.serve.test_cli import run_cli

    assert run_cli("serve", "x.yaml", "--listen", listen) == (2, "", message)
