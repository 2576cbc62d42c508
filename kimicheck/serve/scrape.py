"""What serve's `/metrics` answers: the cached results, then the standard `process_*` metrics of this process.

The results come from a snapshot the scheduler replaces when a check finishes, so their exposition is rendered
once per snapshot and reused. The process metrics (CPU seconds, resident memory, open file descriptors, start
time) describe the running exporter and change between any two scrapes, so they are read on every scrape,
through a registry of their own. They belong to a long-running process only: a textfile or a push
(`kimicheck.metrics.exposition`) would describe a process that has already exited, so they have none.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, ProcessCollector, generate_latest

from kimicheck.metrics.collector import SnapshotCollector
from kimicheck.metrics.snapshot import Snapshot

__all__ = ["MetricsPage"]


class MetricsPage:
    """The body of `/metrics` for the snapshot `current()` returns."""

    def __init__(self, current: Callable[[], Snapshot]) -> None:
        self._current = current
        self._results = CollectorRegistry(auto_describe=False)
        self._results.register(SnapshotCollector(current))
        self._process = CollectorRegistry(auto_describe=False)
        self._process.register(ProcessCollector(registry=None))
        self._rendered: tuple[Snapshot, bytes] | None = None

    def render(self) -> bytes:
        """The text exposition (format 0.0.4): the results of the current snapshot, then the process metrics."""
        snapshot = self._current()
        if self._rendered is None or self._rendered[0] is not snapshot:
            self._rendered = (snapshot, generate_latest(self._results))
        return self._rendered[1] + generate_latest(self._process)
