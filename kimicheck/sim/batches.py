"""An account's batches and files, as Moonshot's list endpoints answer them (OpenAI's Batch and File shapes).

Times in a scenario are relative to the moment of each request (`age`: seconds since the batch was
created), so a scenario never goes stale and a check reading the answers with its own clock sees the same
picture every day. `filler_batches` adds that many old, completed batches behind the listed ones (an account
with thousands of batches); `files` and `file_bytes` make up a file store of that size.
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["BATCH_STATUSES", "BatchBook", "SimBatch", "batch_list", "file_list", "find_batch"]

#: Every status a Batch can have (kimi-api-facts "Batch and Files").
BATCH_STATUSES = ("validating", "failed", "in_progress", "finalizing", "completed", "expired", "cancelling",
                  "cancelled")
BatchStatus = Literal["validating", "failed", "in_progress", "finalizing", "completed", "expired", "cancelling",
                      "cancelled"]

_DAY = 86_400.0
_DEFAULT_PAGE = 20
_MAX_PAGE = 100
_MAX_FILE_PAGE = 10_000  # OpenAI's files list takes a limit up to 10,000
_ENDED_AT = {"completed": "completed_at", "failed": "failed_at", "expired": "expired_at",
             "cancelled": "cancelled_at"}


class SimBatch(BaseModel):
    """One batch of the scenario; its id is made up from the account and its place when not given."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(default=None, min_length=1, max_length=64)
    status: BatchStatus = "completed"
    total: int = Field(default=10, ge=0, le=1_000_000)
    completed: int = Field(default=10, ge=0, le=1_000_000)
    failed: int = Field(default=0, ge=0, le=1_000_000)
    #: seconds since it was created
    age: float = Field(default=3600.0, ge=0, le=365 * _DAY)
    #: seconds from creation to `expires_at` (the completion window)
    window: float = Field(default=_DAY, gt=0, le=30 * _DAY)
    #: seconds from creation to its end, for a batch that ended
    ran_for: float = Field(default=600.0, ge=0, le=30 * _DAY)

    @model_validator(mode="after")
    def _counts_fit(self) -> SimBatch:
        if self.completed + self.failed > self.total:
            raise ValueError("completed + failed is more than total")
        return self


class BatchBook(BaseModel):
    """An account's batches and files."""

    model_config = ConfigDict(extra="forbid")

    batches: list[SimBatch] = Field(default_factory=list)
    #: old completed batches listed after `batches` (paging through thousands)
    filler_batches: int = Field(default=0, ge=0, le=100_000)
    files: int = Field(default=0, ge=0, le=100_000)
    #: the files' total size, spread evenly over them
    file_bytes: int = Field(default=0, ge=0, le=10**13)


def _batch_object(batch: SimBatch, batch_id: str, now: float) -> dict[str, Any]:
    created = int(now - batch.age)
    body: dict[str, Any] = {
        "id": batch_id, "object": "batch", "endpoint": "/v1/chat/completions", "errors": None,
        "input_file_id": f"file-{batch_id[6:]}", "completion_window": "24h", "status": batch.status,
        "output_file_id": None, "error_file_id": None, "created_at": created,
        "in_progress_at": None, "expires_at": int(created + batch.window), "finalizing_at": None,
        "completed_at": None, "failed_at": None, "expired_at": None, "cancelling_at": None, "cancelled_at": None,
        "request_counts": {"total": batch.total, "completed": batch.completed, "failed": batch.failed},
        "metadata": None,
    }
    ended = _ENDED_AT.get(batch.status)
    if ended is not None:
        body[ended] = int(created + min(batch.ran_for, batch.age))
    if batch.status == "failed":
        body["errors"] = {"object": "list", "data": [
            {"code": "invalid_request", "message": "the input file has an invalid line", "param": None, "line": 1}]}
    return body


def _all_batches(owner: str, book: BatchBook, now: float) -> list[dict[str, Any]]:
    """Every batch of the account, newest first."""
    stem = hashlib.sha256(owner.encode()).hexdigest()[:8]
    listed = [(b, b.id or f"batch_{stem}{i:06d}") for i, b in enumerate(book.batches)]
    oldest = max((b.age for b in book.batches), default=0.0)
    filler = [(SimBatch(age=oldest + 60.0 * (i + 1)), f"batch_{stem}f{i:06d}") for i in range(book.filler_batches)]
    objects = [_batch_object(batch, batch_id, now) for batch, batch_id in [*listed, *filler]]
    return sorted(objects, key=lambda b: -int(b["created_at"]))


def _page(items: list[dict[str, Any]], limit: str | None, after: str | None,
          most: int = _MAX_PAGE) -> tuple[list[dict[str, Any]], bool]:
    start = 0
    if after is not None:
        start = next((i + 1 for i, item in enumerate(items) if item["id"] == after), len(items))
    size = _DEFAULT_PAGE
    if limit is not None:
        size = min(max(int(limit), 1), most) if limit.isdigit() else _DEFAULT_PAGE
    page = items[start:start + size]
    return page, start + size < len(items)


def batch_list(owner: str, book: BatchBook, now: float, limit: str | None, after: str | None) -> dict[str, Any]:
    """`GET /v1/batches`: newest first, `limit` (1-100, default 20) after the batch `after`."""
    page, has_more = _page(_all_batches(owner, book, now), limit, after)
    return {"object": "list", "data": page, "first_id": page[0]["id"] if page else None,
            "last_id": page[-1]["id"] if page else None, "has_more": has_more}


def find_batch(owner: str, book: BatchBook, now: float, batch_id: str) -> dict[str, Any] | None:
    """`GET /v1/batches/{id}`, or None when the account has no such batch."""
    return next((b for b in _all_batches(owner, book, now) if b["id"] == batch_id), None)


def file_list(owner: str, book: BatchBook, now: float, limit: str | None, after: str | None) -> dict[str, Any]:
    """`GET /v1/files`: every file when no `limit` is asked (as Moonshot lists them), else a page of them."""
    stem = hashlib.sha256(owner.encode()).hexdigest()[:8]
    share, rest = divmod(book.file_bytes, book.files) if book.files else (0, 0)
    files = [
        {"id": f"file-{stem}{i:06d}", "object": "file", "bytes": share + (1 if i < rest else 0),
         "created_at": int(now) - 60 * (i + 1), "filename": f"batch-input-{i}.jsonl", "purpose": "batch",
         "status": "processed", "status_details": None}
        for i in range(book.files)
    ]
    if limit is None and after is None:
        return {"object": "list", "data": files}
    page, has_more = _page(files, limit, after, most=_MAX_FILE_PAGE)
    return {"object": "list", "data": page, "has_more": has_more}
