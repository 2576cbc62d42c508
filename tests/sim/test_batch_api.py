"""Moonshot's batch and file lists in the simulator, as the OpenAI SDK pages through them."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openai
import pytest
import yaml

from kimicheck.sim import RunningSimulator
from kimicheck.sim.batches import BATCH_STATUSES

SCENARIO = Path(__file__).parents[1] / "data" / "sim" / "batch-scenario.yaml"
TROUBLED = "sk-sim-batch-bad-0000000000000"


@pytest.fixture
def batch_sim(scenario_sim: Callable[[dict[str, Any]], RunningSimulator]) -> RunningSimulator:
    return scenario_sim(yaml.safe_load(SCENARIO.read_text(encoding="utf-8")))


def client(sim: RunningSimulator, key: str) -> openai.OpenAI:
    return openai.OpenAI(api_key=key, base_url=sim.base_url, max_retries=0, timeout=10)


def test_batches_in_every_status_page_through_the_sdk(batch_sim: RunningSimulator) -> None:
    pages = client(batch_sim, TROUBLED).batches.list(limit=3)
    batches = list(pages)
    assert sorted(b.status for b in batches) == sorted(BATCH_STATUSES)
    created = [b.created_at for b in batches]
    assert created == sorted(created, reverse=True)
    assert batch_sim.state.count(path="/v1/batches") == 3  # 8 batches, 3 a page


def test_a_batch_is_retrieved_by_id_and_an_unknown_one_is_404(batch_sim: RunningSimulator) -> None:
    sdk = client(batch_sim, TROUBLED)
    mostly_failed = sdk.batches.retrieve("batch_mostly_failed")
    assert mostly_failed.status == "completed" and mostly_failed.completed_at is not None
    assert mostly_failed.request_counts is not None and mostly_failed.request_counts.failed == 80
    assert sdk.batches.retrieve("batch_near_expiry").expires_at - mostly_failed.created_at < 86_400
    with pytest.raises(openai.NotFoundError):
        sdk.batches.retrieve("batch_nowhere")


def test_thousands_of_batches_page_by_cursor(batch_sim: RunningSimulator) -> None:
    page = client(batch_sim, "sk-sim-batch-many-000000000000").batches.list(limit=100)
    assert len(page.data) == 100 and page.has_more
    following = page.get_next_page()
    assert following.data[0].created_at <= page.data[-1].created_at
    assert following.data[0].id != page.data[-1].id


@pytest.mark.parametrize(("key", "count", "total"), [
    ("sk-sim-files-count-00000000000", 950, 95_000_000),
    ("sk-sim-files-bytes-00000000000", 20, 9_500_000_000),
])
def test_files_near_each_limit_list_through_the_sdk(batch_sim: RunningSimulator, key: str, count: int,
                                                     total: int) -> None:
    files = list(client(batch_sim, key).files.list())
    assert len(files) == count
    assert sum(f.bytes for f in files) == total
    assert all(f.purpose == "batch" for f in files)


def test_files_page_when_a_limit_is_asked(batch_sim: RunningSimulator) -> None:
    files = list(client(batch_sim, "sk-sim-files-count-00000000000").files.list(limit=400))
    assert len(files) == 950 and len({f.id for f in files}) == 950
    assert batch_sim.state.count(path="/v1/files") == 3
