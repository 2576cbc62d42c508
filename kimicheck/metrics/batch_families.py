"""The batch check's families: batches by status, their requests, the oldest unfinished one, the file store."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily, Metric

from kimicheck.metrics.contract import spec
from kimicheck.metrics.snapshot import Snapshot
from kimicheck.probe.batch_result import BatchData
from kimicheck.probe.result import Check

__all__ = ["batch_families"]


def _gauge(name: str) -> GaugeMetricFamily:
    entry = spec(name)
    return GaugeMetricFamily(entry.family_name, entry.help, labels=list(entry.labels))


def _batch_data(snapshot: Snapshot, provider: str) -> BatchData | None:
    return next((r.data for r in snapshot.runs.get((provider, Check.BATCH), ()) if isinstance(r.data, BatchData)),
                None)


def batch_families(snapshot: Snapshot) -> Iterator[Metric]:
    """The families of the latest batch result of each provider (none for providers without one)."""
    names = ("kimicheck_batches", "kimicheck_batch_requests", "kimicheck_batch_oldest_in_progress_seconds",
             "kimicheck_files", "kimicheck_files_bytes", "kimicheck_files_limit")
    batches, requests, oldest, files, size, limit = (_gauge(name) for name in names)
    for provider in snapshot.config.providers:
        data = _batch_data(snapshot, provider.name)
        if data is None:
            continue
        for status, count in sorted(data.by_status.items()):
            batches.add_metric([provider.name, status], float(count))
        requests.add_metric([provider.name, "completed"], float(data.requests_completed))
        requests.add_metric([provider.name, "failed"], float(data.requests_failed))
        oldest.add_metric([provider.name], data.oldest_in_progress_seconds or 0.0)
        if data.files is not None and data.file_bytes is not None:
            files.add_metric([provider.name], float(data.files))
            size.add_metric([provider.name], float(data.file_bytes))
        limit.add_metric([provider.name, "count"], float(data.max_files))
        limit.add_metric([provider.name, "bytes"], float(data.max_file_bytes))
    yield from (batches, requests, oldest, files, size, limit)
