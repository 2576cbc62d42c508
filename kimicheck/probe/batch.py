"""The `batch` check: batches that ended badly or are about to expire, and a file store near its limits.

Only GET requests, to the list endpoints, which are free. Batches are paged newest first, at most
`MAX_BATCH_PAGES` pages of `BATCH_PAGE_SIZE`, and never past the first batch older than the window, so an
account with thousands of batches costs a few requests; whatever was read when the pages run out is judged,
and the detail says the window was not read to its end. Times are compared with the session's clock.
"""

from __future__ import annotations

import math
from decimal import Decimal
from urllib.parse import urlencode

from kimicheck.config.models import BatchSettings, Config, ModelEntry, Provider
from kimicheck.net import resolve_endpoint
from kimicheck.probe.batch_judge import judge, summarise
from kimicheck.probe.batch_result import BatchSummary
from kimicheck.probe.errors import ProbeEndpoint, ProbeError
from kimicheck.probe.result import Reason
from kimicheck.probe.session import Outcome, ProbeSession
from kimicheck.providers import KIND_PROFILES, BatchApi

__all__ = ["BATCH_PAGE_SIZE", "MAX_BATCH_PAGES", "MAX_FILE_PAGES", "parse_batch", "probe_batch", "read_batches"]

BATCH_PAGE_SIZE = 100
MAX_BATCH_PAGES = 5
MAX_FILE_PAGES = 3


def _number(item: dict[str, object], name: str) -> float | None:
    """A time field as seconds; answers are read with exact decimals, and a time may be any finite number."""
    value = item.get(name)
    if not isinstance(value, int | float | Decimal) or isinstance(value, bool):
        return None
    seconds = float(value)
    return seconds if math.isfinite(seconds) else None


def _count(counts: object, name: str) -> int:
    value = counts.get(name) if isinstance(counts, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def parse_batch(item: object) -> BatchSummary:
    """One Batch object of a list answer; `invalid_response` when it has no id, status or creation time."""
    if not isinstance(item, dict):
        raise ProbeError(Reason.INVALID_RESPONSE, "the /batches answer lists something that is not a batch")
    batch_id, status, created = item.get("id"), item.get("status"), _number(item, "created_at")
    if not isinstance(batch_id, str) or not isinstance(status, str) or created is None:
        raise ProbeError(Reason.INVALID_RESPONSE, "the /batches answer lists a batch without id, status or created_at")
    counts = item.get("request_counts")
    ended = next((t for t in (_number(item, f"{s}_at") for s in ("completed", "failed", "expired", "cancelled"))
                  if t is not None), None)
    return BatchSummary(id=batch_id[:100], status=status[:40], total=_count(counts, "total"),
                        completed=_count(counts, "completed"), failed=_count(counts, "failed"), created_at=created,
                        expires_at=_number(item, "expires_at"), ended_at=ended)


def _list_of(data: object, what: str) -> tuple[list[object], bool]:
    items = data.get("data") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ProbeError(Reason.INVALID_RESPONSE, f"the /{what} answer has no list")
    return items, isinstance(data, dict) and data.get("has_more") is True


async def read_batches(session: ProbeSession, provider: Provider, api: BatchApi, since: float,
                       max_pages: int = MAX_BATCH_PAGES) -> tuple[list[BatchSummary], bool]:
    """The batches created at `since` or later, newest first, and whether paging reached `since`."""
    url = resolve_endpoint(provider.base_url, api.batches_path)
    found: list[BatchSummary] = []
    after: str | None = None
    for _ in range(max_pages):
        # the cursor is the provider's text: encoded, so an id with `&` or `#` cannot reshape the query
        query = "?" + urlencode({"limit": BATCH_PAGE_SIZE, **({"after": after} if after else {})})
        reply = await session.call("GET", url + query, endpoint=ProbeEndpoint.BATCH)
        items, has_more = _list_of(reply.json(), "batches")
        page = [parse_batch(item) for item in items]
        found.extend(b for b in page if b.created_at >= since)
        if not has_more or not page or page[-1].created_at < since:
            return found, True
        after = page[-1].id
    return found, False


async def _read_files(session: ProbeSession, provider: Provider, api: BatchApi) -> tuple[int, int]:
    """How many files the account holds and their bytes (at most `MAX_FILE_PAGES` answers)."""
    url = resolve_endpoint(provider.base_url, api.files_path)
    count = size = 0
    query = ""
    for _ in range(MAX_FILE_PAGES):
        reply = await session.call("GET", url + query, endpoint=ProbeEndpoint.BATCH)
        items, has_more = _list_of(reply.json(), "files")
        files = [f for f in items if isinstance(f, dict)]
        count += len(files)
        size += sum(int(b) for f in files if isinstance(b := f.get("bytes"), int) and not isinstance(b, bool))
        last = files[-1].get("id") if files else None
        if not has_more or not isinstance(last, str):
            break
        query = "?" + urlencode({"after": last})
    return count, size


async def probe_batch(session: ProbeSession, config: Config, provider: Provider,
                      model: ModelEntry | None) -> Outcome:
    """The `batch` prober: list batches and files (GET only) and judge them against the settings."""
    api = KIND_PROFILES[provider.kind].batch_api
    if api is None:
        return Outcome(False, Reason.UNSUPPORTED, f"{provider.kind} has no batch and file list endpoints")
    settings = config.effective_batch(provider) or BatchSettings()
    now = session.clock()
    batches, complete = await read_batches(session, provider, api, now - settings.window)
    files = await _read_files(session, provider, api)
    data = summarise(batches, files, api, settings, now, complete)
    return judge(data, settings, now)

