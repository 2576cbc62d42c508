"""What the `batch` check found: the batches of its window by status, the bad ones, and the file store."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["BatchData", "BatchSummary"]


@dataclass(frozen=True)
class BatchSummary:
    """One batch as a list answer gave it (times in Unix seconds, None where the provider gave none)."""

    id: str
    status: str
    total: int
    completed: int
    failed: int
    created_at: float
    expires_at: float | None = None
    #: when it completed, failed, expired or was cancelled
    ended_at: float | None = None

    @property
    def failed_share(self) -> float:
        """Failed requests as a share of the total (0 for an empty batch)."""
        return self.failed / self.total if self.total else 0.0


@dataclass(frozen=True)
class BatchData:
    """The batches created within the window (as far as the bounded paging reached) and the account's files."""

    window_seconds: float
    #: every status -> how many batches of the window have it
    by_status: dict[str, int] = field(default_factory=dict)
    requests_completed: int = 0
    requests_failed: int = 0
    #: the age of the oldest batch still in progress (None: none is)
    oldest_in_progress_seconds: float | None = None
    #: failed, expired, or completed with too many failed requests
    ended_badly: tuple[BatchSummary, ...] = ()
    #: unfinished and close to `expires_at`
    expiring: tuple[BatchSummary, ...] = ()
    files: int | None = None
    file_bytes: int | None = None
    max_files: int = 0
    max_file_bytes: int = 0
    #: False when paging stopped at its bound before the window's end
    complete: bool = True
    #: every batch read, newest first (shown by `kimicheck batches`)
    batches: tuple[BatchSummary, ...] = ()

    def redacted(self, clean: Callable[[str], str]) -> BatchData:
        """This data with every text the provider sent (ids, statuses) passed through `clean`."""
        def each(batches: tuple[BatchSummary, ...]) -> tuple[BatchSummary, ...]:
            return tuple(dataclasses.replace(b, id=clean(b.id), status=clean(b.status)) for b in batches)

        return dataclasses.replace(
            self, by_status={clean(k): v for k, v in self.by_status.items()}, ended_badly=each(self.ended_badly),
            expiring=each(self.expiring), batches=each(self.batches),
        )

    def to_json(self) -> dict[str, object]:
        """The JSON output's `data` of a batch result (without the full list of batches read)."""
        def each(batches: tuple[BatchSummary, ...]) -> list[dict[str, object]]:
            return [dataclasses.asdict(b) for b in batches]

        return {
            "window_seconds": self.window_seconds, "by_status": dict(self.by_status),
            "requests": {"completed": self.requests_completed, "failed": self.requests_failed},
            "oldest_in_progress_seconds": self.oldest_in_progress_seconds,
            "ended_badly": each(self.ended_badly), "expiring": each(self.expiring),
            "files": {"count": self.files, "bytes": self.file_bytes,
                      "limits": {"count": self.max_files, "bytes": self.max_file_bytes}},
            "complete": self.complete,
        }
