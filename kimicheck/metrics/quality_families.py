"""The quality families: probe runs and latency of every check, time to first token, tokens/s, tool calls.

Counters and histograms come from the snapshot's accumulated `QualityState`; the tokens/s gauge from the
latest stream results. Tool-call results start at 0 for every model with `tools: true` (within `scope`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)

from kimicheck.metrics.contract import TOOL_CALL_RESULTS, spec
from kimicheck.metrics.snapshot import CheckKey, Snapshot
from kimicheck.probe.result import Check, StreamData

__all__ = ["quality_families"]


def _labels(name: str) -> list[str]:
    return list(spec(name).labels)


def _histogram(name: str) -> HistogramMetricFamily:
    return HistogramMetricFamily(spec(name).family_name, spec(name).help, labels=_labels(name))


def _run_families(snapshot: Snapshot) -> Iterator[Metric]:
    name = "kimicheck_probe_runs_total"
    runs = CounterMetricFamily(spec(name).family_name, spec(name).help, labels=_labels(name))
    for (provider, check), count in sorted(snapshot.quality.runs.items()):
        runs.add_metric([provider, check.value], count)
    latency = _histogram("kimicheck_probe_latency_seconds")
    for (provider, check), histogram in sorted(snapshot.quality.latency.items()):
        latency.add_metric([provider, check.value], histogram.cumulative(), histogram.total)
    yield from (runs, latency)


def _stream_families(snapshot: Snapshot) -> Iterator[Metric]:
    ttft = _histogram("kimicheck_stream_time_to_first_token_seconds")
    for (provider, model), histogram in sorted(snapshot.quality.ttft.items()):
        ttft.add_metric([provider, model], histogram.cumulative(), histogram.total)
    name = "kimicheck_stream_output_tokens_per_second"
    rate = GaugeMetricFamily(spec(name).family_name, spec(name).help, labels=_labels(name))
    for configured in snapshot.config.providers:
        for result in snapshot.runs.get((configured.name, Check.STREAM), ()):
            data = result.data
            if isinstance(data, StreamData) and data.output_tokens_per_second is not None and result.model:
                rate.add_metric([configured.name, result.model], data.output_tokens_per_second)
    yield from (ttft, rate)


def _tool_call_family(snapshot: Snapshot, scope: Collection[CheckKey] | None) -> Metric:
    name = "kimicheck_tool_calls_total"
    family = CounterMetricFamily(spec(name).family_name, spec(name).help, labels=_labels(name))
    counts = dict(snapshot.quality.tool_calls)
    for provider in snapshot.config.providers:
        if scope is not None and (provider.name, Check.TOOLS) not in scope:
            continue
        for entry in provider.model_entries():
            if entry.tools:
                for result in TOOL_CALL_RESULTS:
                    counts.setdefault((provider.name, entry.id, result), 0)
    for (provider_name, model, result), count in sorted(counts.items()):
        family.add_metric([provider_name, model, result], count)
    return family


def quality_families(snapshot: Snapshot, scope: Collection[CheckKey] | None = None) -> Iterator[Metric]:
    """The quality families of `snapshot` (tool-call zeros only for the checks in `scope`, None: all)."""
    yield from _run_families(snapshot)
    yield from _stream_families(snapshot)
    yield _tool_call_family(snapshot, scope)
