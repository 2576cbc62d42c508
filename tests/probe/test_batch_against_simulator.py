"""The `batch` check against the simulator: each bad case gets its reason and names its batch; GETs only."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kimicheck.config.models import Config
from kimicheck.probe.batch import BATCH_PAGE_SIZE, MAX_BATCH_PAGES
from kimicheck.probe.batch_result import BatchData
from kimicheck.probe.result import Check, ProbeResult, Reason
from kimicheck.probe.runner import run_probes
from kimicheck.sim import RunningSimulator, load_scenario, serve_in_thread

from .helpers import FAST_RETRY

SCENARIO = Path(__file__).parents[1] / "data" / "sim" / "batch-scenario.yaml"
TIMEOUT = 3.0


@pytest.fixture(scope="module")
def batch_sim() -> Iterator[RunningSimulator]:
    with serve_in_thread(load_scenario(SCENARIO), host="127.0.0.1", port=0) as running:
        yield running


def run(sim: RunningSimulator, key: str, batch: object = True) -> ProbeResult:
    entry = {"name": "sim", "kind": "moonshot", "base_url": sim.base_url, "api_key_env": "SIM_KEY",
             "batch": batch}
    config = Config.model_validate({"version": 1, "providers": [entry]})
    [result] = asyncio.run(run_probes(config, checks=(Check.BATCH,), environ={"SIM_KEY": key}, timeout=TIMEOUT,
                                      retry=FAST_RETRY))
    return result


def test_a_healthy_batch_account_is_ok(batch_sim: RunningSimulator) -> None:
    result = run(batch_sim, "sk-sim-batch-ok-00000000000000")
    assert (result.check, result.ok, result.reason) == (Check.BATCH, True, Reason.OK)
    assert isinstance(result.data, BatchData)
    assert result.data.by_status == {"completed": 1, "in_progress": 1}
    assert (result.data.requests_completed, result.data.requests_failed) == (119, 1)
    assert (result.data.files, result.data.file_bytes) == (3, 120_000)
    assert result.detail == "2 batches in the last 86400s; 3/1000 files, 120000/10000000000 bytes"


def test_failed_expired_and_mostly_failed_batches_are_named(batch_sim: RunningSimulator) -> None:
    result = run(batch_sim, "sk-sim-batch-bad-0000000000000", {"window": "2d"})
    assert (result.ok, result.reason) == (False, Reason.BATCH_FAILED)
    assert result.detail.startswith(
        "8 batches in the last 172800s; ended badly: batch_failed (failed, 0/0 requests failed), batch_mostly_failed "
        "(completed, 80/100 requests failed), batch_expired (expired, 0/10 requests failed); about to expire "
        "unfinished: batch_near_expiry expires in ")
    assert result.detail.endswith("s with 190/200 requests left; 0/1000 files, 0/10000000000 bytes")
    assert isinstance(result.data, BatchData)
    assert [b.id for b in result.data.ended_badly] == ["batch_failed", "batch_mostly_failed", "batch_expired"]
    assert [b.id for b in result.data.expiring] == ["batch_near_expiry"]


def test_a_batch_about_to_expire_unfinished_is_a_warning_naming_it(batch_sim: RunningSimulator) -> None:
    # a window that leaves out the batches that ended badly (created 3,000 s ago and earlier) but one
    result = run(batch_sim, "sk-sim-batch-bad-0000000000000", {"window": "2000s", "expiry_margin": "2h"})
    assert isinstance(result.data, BatchData)
    assert result.data.ended_badly == ()
    assert result.data.expiring == ()  # the near-expiry batch is older than the window
    result = run(batch_sim, "sk-sim-batch-bad-0000000000000",
                 {"window": "86000s", "expiry_margin": "2h", "failed_share": 0.9})
    assert isinstance(result.data, BatchData)
    assert [b.id for b in result.data.expiring] == ["batch_near_expiry"]
    assert [b.id for b in result.data.ended_badly] == ["batch_failed"]


@pytest.mark.parametrize(("key", "words"), [
    ("sk-sim-files-count-00000000000", "file storage near its limit: 950/1000 files"),
    ("sk-sim-files-bytes-00000000000", "file storage near its limit: 20/1000 files, 9500000000/10000000000 bytes"),
])
def test_file_storage_near_either_limit_is_a_warning(batch_sim: RunningSimulator, key: str, words: str) -> None:
    result = run(batch_sim, key)
    assert (result.ok, result.reason) == (True, Reason.FILES_NEAR_LIMIT)
    assert words in result.detail


def test_paging_stops_at_its_bound_within_the_timeout(batch_sim: RunningSimulator) -> None:
    batch_sim.state.clear_requests()
    started = time.monotonic()
    result = run(batch_sim, "sk-sim-batch-many-000000000000", {"window": "30d"})
    assert time.monotonic() - started < TIMEOUT
    assert batch_sim.state.count(path="/v1/batches") == MAX_BATCH_PAGES
    assert isinstance(result.data, BatchData)
    assert len(result.data.batches) == MAX_BATCH_PAGES * BATCH_PAGE_SIZE and not result.data.complete
    assert "paging stopped at its bound" in result.detail


def test_the_check_sends_only_gets_to_the_batch_and_file_endpoints(batch_sim: RunningSimulator) -> None:
    batch_sim.state.clear_requests()
    for key in ("sk-sim-batch-ok-00000000000000", "sk-sim-batch-bad-0000000000000", "sk-sim-files-count-00000000000",
                "sk-sim-batch-many-000000000000"):
        run(batch_sim, key)
    records = list(batch_sim.state.select())
    assert {r.path for r in records} == {"/v1/batches", "/v1/files"}
    assert {r.method for r in records} == {"GET"}
