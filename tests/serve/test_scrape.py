"""serve's `/metrics` carries the standard `process_*` metrics, read afresh on every scrape; a textfile or
push, describing a process that has exited, carries none."""

from __future__ import annotations

import sys
import tempfile

import pytest
from starlette.testclient import TestClient

from kimicheck.metrics.exposition import render_results
from kimicheck.metrics.snapshot import snapshot_of
from kimicheck.serve.app import build_app
from tests.metrics.binaries import promtool_problems
from tests.metrics.samples import CONFIG, RESULTS, SHA
from tests.serve.process import samples
from tests.serve.test_app import make_state, reload_ok

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process metrics read /proc")

PROCESS_METRICS = {
    "process_cpu_seconds_total", "process_open_fds", "process_max_fds", "process_resident_memory_bytes",
    "process_virtual_memory_bytes", "process_start_time_seconds",
}


def _values(text: str) -> dict[str, float]:
    return {name: value for (name, labels), value in samples(text).items() if name.startswith("process_")}


def test_metrics_shows_the_process_metrics_of_serve() -> None:
    state = make_state()
    state.snapshot = snapshot_of(RESULTS, CONFIG, SHA, now=0.0)
    text = TestClient(build_app(state, reload_ok)).get("/metrics").text
    values = _values(text)
    assert set(values) == PROCESS_METRICS
    assert values["process_resident_memory_bytes"] > 0
    assert values["process_open_fds"] >= 3
    assert 'kimicheck_probe_success{check="models",provider="moonshot-intl"} 1.0' in text


def test_process_metrics_are_read_on_every_scrape_while_the_results_stay_cached() -> None:
    client = TestClient(build_app(make_state(), reload_ok))
    before = _values(client.get("/metrics").text)["process_open_fds"]
    files = [tempfile.TemporaryFile() for _ in range(5)]  # noqa: SIM115 - closed below
    try:
        after = _values(client.get("/metrics").text)["process_open_fds"]
    finally:
        for file in files:
            file.close()
    assert after >= before + 5


def test_promtool_accepts_the_whole_metrics_page() -> None:
    state = make_state()
    state.snapshot = snapshot_of(RESULTS, CONFIG, SHA, now=0.0)
    assert promtool_problems(TestClient(build_app(state, reload_ok)).get("/metrics").content) == ""


def test_a_textfile_or_push_has_no_process_metrics() -> None:
    text = render_results(RESULTS, CONFIG, config_sha256=SHA).decode()
    assert "process_" not in text
