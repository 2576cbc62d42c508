"""Accumulated quality state: probe runs and latencies of every check, time to first token, tool-call results.

Pure and frozen like the snapshot that holds it: `record_quality` folds one run's results in, `prune_quality`
drops what a reloaded config no longer checks. Histograms keep one count per bucket of the contract.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, TypeVar

from kimicheck.config.models import Config
from kimicheck.metrics.contract import PROBE_LATENCY_BUCKETS, TTFT_BUCKETS
from kimicheck.probe.result import Check, ProbeResult, StreamData, ToolCallData

__all__ = ["Histogram", "QualityState", "prune_quality", "record_quality"]

_K = TypeVar("_K", bound=tuple[Any, ...])
_V = TypeVar("_V")


def _frozen(mapping: Mapping[_K, _V]) -> Mapping[_K, _V]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Histogram:
    """Observations against fixed upper bounds: per-bucket (not cumulative) counts, their sum and count."""

    bounds: tuple[float, ...]
    counts: tuple[int, ...] = ()
    total: float = 0.0
    count: int = 0

    def observe(self, value: float) -> Histogram:
        """The histogram with `value` observed (one above every bound only counts in +Inf)."""
        counts = list(self.counts or (0,) * len(self.bounds))
        index = next((i for i, bound in enumerate(self.bounds) if value <= bound), None)
        if index is not None:
            counts[index] += 1
        return replace(self, counts=tuple(counts), total=self.total + value, count=self.count + 1)

    def cumulative(self) -> list[tuple[str, float]]:
        """The buckets as Prometheus wants them: cumulative counts by `le`, ending with +Inf."""
        counts = self.counts or (0,) * len(self.bounds)
        buckets, running = [], 0
        for bound, count in zip(self.bounds, counts, strict=True):
            running += count
            buckets.append((repr(float(bound)), float(running)))
        buckets.append(("+Inf", float(self.count)))
        return buckets


@dataclass(frozen=True)
class QualityState:
    """What accumulates across runs (in serve; a one-shot run counts its one run)."""

    #: (provider, check) -> probe results produced
    runs: Mapping[tuple[str, Check], int] = field(default_factory=dict)
    #: (provider, check) -> histogram of every result's duration
    latency: Mapping[tuple[str, Check], Histogram] = field(default_factory=dict)
    #: (provider, model) -> histogram of the stream check's time to first token
    ttft: Mapping[tuple[str, str], Histogram] = field(default_factory=dict)
    #: (provider, model, result) -> tool calls judged so
    tool_calls: Mapping[tuple[str, str, str], int] = field(default_factory=dict)


def record_quality(state: QualityState, key: tuple[str, Check], results: Sequence[ProbeResult]) -> QualityState:
    """The state after one run of the check `key` produced `results`."""
    runs = Counter(state.runs)
    latency = dict(state.latency)
    ttft = dict(state.ttft)
    tool_calls = Counter(state.tool_calls)
    for result in results:
        runs[key] += 1
        latency[key] = latency.get(key, Histogram(PROBE_LATENCY_BUCKETS)).observe(result.duration_seconds)
        if result.model is None:
            continue
        model_key = (key[0], result.model)
        if isinstance(result.data, StreamData) and result.data.time_to_first_token is not None:
            ttft[model_key] = ttft.get(model_key, Histogram(TTFT_BUCKETS)).observe(result.data.time_to_first_token)
        if isinstance(result.data, ToolCallData):
            tool_calls[(key[0], result.model, result.data.result)] += 1
    return QualityState(runs=_frozen(runs), latency=_frozen(latency), ttft=_frozen(ttft),
                        tool_calls=_frozen(tool_calls))


def prune_quality(state: QualityState, config: Config) -> QualityState:
    """The state under `config`: series of a provider, check or model the config no longer checks are dropped."""
    checks = {
        p.name: {Check.MODELS, Check.BALANCE, Check.BATCH}
        | {Check(c) for c in ("chat", "stream", "tools", "json") if any(m.wants(c) for m in p.model_entries())}
        for p in config.providers
    }
    streams = {(p.name, m.id) for p in config.providers for m in p.model_entries() if m.stream}
    tools = {(p.name, m.id) for p in config.providers for m in p.model_entries() if m.tools}
    return QualityState(
        runs=_frozen({k: v for k, v in state.runs.items() if k[1] in checks.get(k[0], ())}),
        latency=_frozen({k: v for k, v in state.latency.items() if k[1] in checks.get(k[0], ())}),
        ttft=_frozen({k: v for k, v in state.ttft.items() if k in streams}),
        tool_calls=_frozen({k: v for k, v in state.tool_calls.items() if (k[0], k[1]) in tools}),
    )
