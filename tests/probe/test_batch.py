"""The batch check's judgement with an injected clock, and its paging with respx (no sockets)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import respx

from kimicheck.config.models import BatchSettings, Config
from kimicheck.probe.batch import probe_batch
from kimicheck.probe.batch_judge import judge, summarise
from kimicheck.probe.batch_result import BatchSummary
from kimicheck.probe.result import Reason
from kimicheck.probe.session import ProbeSession
from kimicheck.providers import BatchApi, Kind
from kimicheck.secrets import Secret

NOW = 1_800_000_000.0
API = BatchApi()


def batch(status: str, total: int = 10, completed: int = 10, failed: int = 0, age: float = 60,
          expires_in: float = 86_000, batch_id: str = "b") -> BatchSummary:
    return BatchSummary(batch_id, status, total, completed, failed, NOW - age, NOW + expires_in)


@pytest.mark.parametrize(("batches", "files", "reason"), [
    ([batch("completed")], (1, 10), Reason.OK),
    ([batch("failed", 0, 0)], (1, 10), Reason.BATCH_FAILED),
    ([batch("expired", 10, 3)], (1, 10), Reason.BATCH_FAILED),
    ([batch("completed", 10, 4, 6)], (1, 10), Reason.BATCH_FAILED),
    ([batch("completed", 10, 5, 5)], (1, 10), Reason.OK),  # exactly the share: not above it
    ([batch("in_progress", 10, 1, expires_in=600)], (1, 10), Reason.BATCH_EXPIRING),
    ([batch("in_progress", 10, 9, 1, expires_in=600)], (1, 10), Reason.OK),  # all requests ran
    ([batch("finalizing", 10, 1, expires_in=600)], (1, 10), Reason.OK),
    ([batch("cancelled", 10, 1)], (901, 10), Reason.FILES_NEAR_LIMIT),
    ([], (1, 9_000_000_001), Reason.FILES_NEAR_LIMIT),
    ([], (900, 9_000_000_000), Reason.OK),
])
def test_each_kind_of_trouble_gets_its_reason(batches: list[BatchSummary], files: tuple[int, int],
                                              reason: Reason) -> None:
    settings = BatchSettings()
    outcome = judge(summarise(batches, files, API, settings, NOW, True), settings, NOW)
    assert outcome.reason is reason
    assert outcome.ok is (reason is not Reason.BATCH_FAILED)


def test_the_oldest_in_progress_is_measured_with_the_given_clock() -> None:
    data = summarise([batch("in_progress", age=500), batch("validating", age=900), batch("completed", age=5000)],
                     (0, 0), API, BatchSettings(), NOW, True)
    assert data.oldest_in_progress_seconds == 900
    assert data.by_status == {"in_progress": 1, "validating": 1, "completed": 1}


def _page(ids: range, created: float, has_more: bool) -> dict[str, object]:
    return {"object": "list", "has_more": has_more, "data": [
        {"id": f"batch_{i}", "status": "completed", "created_at": created - i,
         "request_counts": {"total": 1, "completed": 1, "failed": 0}} for i in ids]}


@respx.mock
def test_paging_stops_at_the_first_batch_older_than_the_window() -> None:
    config = Config.model_validate({"version": 1, "providers": [
        {"name": "m", "kind": "moonshot", "base_url": "https://api.moonshot.ai/v1", "batch": {"window": "1h"}}]})
    batches = respx.get("https://api.moonshot.ai/v1/batches").mock(side_effect=[
        httpx.Response(200, json=_page(range(0, 100), NOW, True)),
        httpx.Response(200, json=_page(range(3590, 3690), NOW, True)),
    ])
    respx.get("https://api.moonshot.ai/v1/files").mock(return_value=httpx.Response(200, json={"data": []}))

    async def go() -> object:
        async with httpx.AsyncClient() as client:
            session = ProbeSession(client=client, key=Secret("sk-x"), kind=Kind.MOONSHOT, deadline=1e12,
                                   clock=lambda: NOW)
            return await probe_batch(session, config, config.providers[0], None)

    outcome = asyncio.run(go())
    assert batches.call_count == 2
    assert batches.calls[1].request.url.params["after"] == "batch_99"
    assert getattr(outcome, "detail", "").startswith("111 batches in the last 3600s;")


@respx.mock
@pytest.mark.parametrize("last_id", ["batch a&limit=1", "batch_1#frag", "batch+1%2F/x?y=z", "batch_é"])
def test_the_after_cursor_reaches_the_provider_unchanged(last_id: str) -> None:
    config = Config.model_validate({"version": 1, "providers": [
        {"name": "m", "kind": "moonshot", "base_url": "https://api.moonshot.ai/v1", "batch": True}]})
    first = _page(range(1, 100), NOW, True)
    first["data"].append({**first["data"][-1], "id": last_id})
    batches = respx.get("https://api.moonshot.ai/v1/batches").mock(side_effect=[
        httpx.Response(200, json=first), httpx.Response(200, json={"data": [], "has_more": False})])
    files = respx.get("https://api.moonshot.ai/v1/files").mock(side_effect=[
        httpx.Response(200, json={"data": [{"id": last_id, "bytes": 1}], "has_more": True}),
        httpx.Response(200, json={"data": [], "has_more": False})])

    async def go() -> object:
        async with httpx.AsyncClient() as client:
            session = ProbeSession(client=client, key=Secret("sk-x"), kind=Kind.MOONSHOT, deadline=1e12,
                                   clock=lambda: NOW)
            return await probe_batch(session, config, config.providers[0], None)

    asyncio.run(go())
    assert [dict(c.request.url.params.multi_items()) for c in batches.calls][1] == {"limit": "100", "after": last_id}
    assert [list(c.request.url.params.multi_items()) for c in files.calls][1] == [("after", last_id)]
