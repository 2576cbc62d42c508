"""A running `kimicheck serve` whose config is swapped for a device or a FIFO: a reload refuses it at once,
every endpoint keeps answering, and the old config stays in use."""

import os
import resource
import signal
from pathlib import Path

import httpx
import pytest

from kimicheck.sim import SimState, serve_in_thread
from tests.serve.process import serve, sim_config, value, wait_ready, wait_until

pytestmark = pytest.mark.slow

#: far above what serve needs: reading a device without a bound would pass it (and fail) instead of the machine
ADDRESS_SPACE_LIMIT = 2 << 30


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def link_to_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


@pytest.mark.parametrize("swap", [link_to_zero, make_fifo], ids=["dev-zero", "fifo"])
@pytest.mark.parametrize("trigger", ["post", "sighup"])
def test_a_reload_onto_a_device_or_fifo_keeps_the_old_config(tmp_path: Path, swap: object, trigger: str) -> None:
    with serve_in_thread(SimState.default(), port=0) as sim:
        config = tmp_path / "kimicheck.yaml"
        config.write_text(sim_config(sim.base_url))
        with serve(config) as served, httpx.Client(timeout=5) as client:
            resource.prlimit(served.process.pid, resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))
            wait_ready(served.url, client)
            before = client.get(served.url + "/metrics").text
            config.unlink()
            swap(config)  # type: ignore[operator]
            problem = f"{config}: is not a regular file (a device, pipe or socket)"
            if trigger == "post":
                answer = client.post(served.url + "/-/reload")
                assert (answer.status_code, answer.text) == (
                    500, f"config not reloaded, the old one stays in use: {problem}\n")
            else:
                served.signal(signal.SIGHUP)
            served.wait_for_log(f"config reload failed, the old config stays in use: {problem}\n")
            wait_until(lambda: value(served.url, "kimicheck_config_last_reload_successful", client) == 0,
                       what="the reload gauge")
            assert client.get(served.url + "/healthz").status_code == 200
            after = client.get(served.url + "/metrics").text
            kept = [line for line in before.splitlines()
                    if line.startswith(("kimicheck_config_info", "kimicheck_probe_success"))]
            assert kept and all(line in after.splitlines() for line in kept)
            assert served.process.poll() is None
