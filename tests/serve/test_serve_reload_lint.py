"""A reload lints the new config off serve's event loop: a large file does not stall /healthz meanwhile."""

import threading
import time
from pathlib import Path

import httpx
import pytest

from kimicheck.sim import SimState, serve_in_thread
from tests.lint.scaling_inputs import SHAPES
from tests.serve.process import serve, sim_config, wait_ready

#: starts `kimicheck serve` as a real process
pytestmark = pytest.mark.slow


def test_healthz_answers_while_a_reload_lints_a_large_config(tmp_path: Path) -> None:
    with serve_in_thread(SimState.default(), port=0) as sim:
        config = tmp_path / "kimicheck.yaml"
        config.write_text(sim_config(sim.base_url))
        with serve(config) as served, httpx.Client(timeout=60) as client:
            wait_ready(served.url, client)
            # tens of thousands of unknown keys: seconds of lint, and errors, so the old config stays
            config.write_text(SHAPES["unknown keys in one mapping"](30_000))
            answers: list[httpx.Response] = []
            reloading = threading.Thread(target=lambda: answers.append(client.post(served.url + "/-/reload")))
            started = time.monotonic()
            reloading.start()
            longest = 0.0
            while reloading.is_alive():
                before = time.monotonic()
                assert client.get(served.url + "/healthz").status_code == 200
                longest = max(longest, time.monotonic() - before)
                time.sleep(0.05)
            reload_seconds = time.monotonic() - started
            reloading.join()
            assert answers[0].status_code == 500
            assert "config not reloaded, the old one stays in use" in answers[0].text
    assert longest < reload_seconds / 3, f"/healthz took {longest:.1f}s during a {reload_seconds:.1f}s reload"
