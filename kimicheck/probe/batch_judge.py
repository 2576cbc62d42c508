"""Judging what the batch and file lists said (pure: values in, values out, the clock given)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from kimicheck.config.models import BatchSettings
from kimicheck.probe.batch_result import BatchData, BatchSummary
from kimicheck.probe.result import Reason
from kimicheck.probe.session import Outcome
from kimicheck.providers import BatchApi

__all__ = ["FILES_WARN_SHARE", "UNFINISHED", "batches_text", "judge", "summarise"]

#: A file store above this share of either limit gets `files_near_limit`.
FILES_WARN_SHARE = 0.9
#: Statuses of a batch whose requests may still run (finalizing ones have run them all).
UNFINISHED = frozenset({"validating", "in_progress"})


def _ended_badly(batch: BatchSummary, settings: BatchSettings) -> bool:
    if batch.status in ("failed", "expired"):
        return True
    return batch.status == "completed" and batch.failed_share > settings.failed_share


def _expiring(batch: BatchSummary, settings: BatchSettings, now: float) -> bool:
    if batch.status not in UNFINISHED or batch.expires_at is None:
        return False
    return batch.expires_at - now <= settings.expiry_margin and batch.completed + batch.failed < batch.total


def summarise(batches: Sequence[BatchSummary], files: tuple[int, int], api: BatchApi, settings: BatchSettings,
              now: float, complete: bool) -> BatchData:
    """The batches of the window (as read) and the file store, counted and sorted into the bad kinds."""
    in_progress = [now - b.created_at for b in batches if b.status in UNFINISHED]
    return BatchData(
        window_seconds=settings.window,
        by_status=dict(Counter(b.status for b in batches)),
        requests_completed=sum(b.completed for b in batches),
        requests_failed=sum(b.failed for b in batches),
        oldest_in_progress_seconds=max(in_progress) if in_progress else None,
        ended_badly=tuple(b for b in batches if _ended_badly(b, settings)),
        expiring=tuple(b for b in batches if _expiring(b, settings, now)),
        files=files[0], file_bytes=files[1], max_files=api.max_files, max_file_bytes=api.max_file_bytes,
        complete=complete, batches=tuple(batches),
    )


def batches_text(batches: Sequence[BatchSummary]) -> str:
    """`id (status, failed/total failed)` for each batch, comma-separated."""
    return ", ".join(f"{b.id} ({b.status}, {b.failed}/{b.total} requests failed)" for b in batches)


def _files_text(data: BatchData) -> str:
    return f"{data.files}/{data.max_files} files, {data.file_bytes}/{data.max_file_bytes} bytes"


def _near_limit(data: BatchData) -> bool:
    return (data.files or 0) > FILES_WARN_SHARE * data.max_files or \
        (data.file_bytes or 0) > FILES_WARN_SHARE * data.max_file_bytes


def judge(data: BatchData, settings: BatchSettings, now: float) -> Outcome:
    """The outcome: `batch_failed` over `batch_expiring` over `files_near_limit` over ok; every finding named."""
    window = f"{sum(data.by_status.values())} batches in the last {settings.window:g}s"
    parts = [window + ("" if data.complete else " (paging stopped at its bound before the window's end)")]
    if data.ended_badly:
        parts.append(f"ended badly: {batches_text(data.ended_badly)}")
    if data.expiring:
        until = ", ".join(f"{b.id} expires in {max((b.expires_at or now) - now, 0):.0f}s with "
                          f"{b.total - b.completed - b.failed}/{b.total} requests left" for b in data.expiring)
        parts.append(f"about to expire unfinished: {until}")
    near = _near_limit(data)
    parts.append(("file storage near its limit: " if near else "") + _files_text(data))
    detail = "; ".join(parts)
    if data.ended_badly:
        return Outcome(False, Reason.BATCH_FAILED, detail, data=data)
    if data.expiring:
        return Outcome(True, Reason.BATCH_EXPIRING, detail, data=data)
    if near:
        return Outcome(True, Reason.FILES_NEAR_LIMIT, detail, data=data)
    return Outcome(True, Reason.OK, detail, data=data)
