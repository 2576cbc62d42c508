"""What the collector reads: a frozen snapshot of the latest results and the counters, and pure updates.

The scheduler of `kimicheck serve` replaces its snapshot with `record_run`/`record_skip` after every check;
a one-shot `kimicheck probe` builds one with `snapshot_of`. Nothing here does IO or reads a clock: every
time comes in as an argument.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, TypeVar

from kimicheck.config.models import Config
from kimicheck.metrics.contract import SkipReason
from kimicheck.metrics.quality import QualityState, prune_quality, record_quality
from kimicheck.probe.result import ChatData, Check, ProbeResult, Reason

__all__ = [
    "CheckKey",
    "ReloadStatus",
    "Snapshot",
    "record_reload",
    "record_run",
    "record_skip",
    "run_duration",
    "run_reason",
    "run_succeeded",
    "snapshot_of",
    "with_config",
]

#: (provider name, check)
CheckKey = tuple[str, Check]


@dataclass(frozen=True)
class ReloadStatus:
    """The outcome of the last config load or reload (`kimicheck serve` only)."""

    successful: bool
    last_success_at: float


_K = TypeVar("_K", bound=tuple[Any, ...])
_V = TypeVar("_V")


def _frozen(mapping: Mapping[_K, _V]) -> Mapping[_K, _V]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Snapshot:
    """Everything the metrics show, at one moment."""

    config: Config
    config_sha256: str
    #: the results of the latest run of each check
    runs: Mapping[CheckKey, tuple[ProbeResult, ...]] = field(default_factory=dict)
    #: when each check last finished a run, and last finished a successful one
    last_run_at: Mapping[CheckKey, float] = field(default_factory=dict)
    last_success_at: Mapping[CheckKey, float] = field(default_factory=dict)
    failures: Mapping[tuple[str, Check, Reason], int] = field(default_factory=dict)
    skips: Mapping[tuple[str, Check, SkipReason], int] = field(default_factory=dict)
    #: (provider, model, "prompt" | "completion") -> tokens
    tokens: Mapping[tuple[str, str, str], int] = field(default_factory=dict)
    reload: ReloadStatus | None = None
    #: probe runs and latencies, time to first token and tool-call results, accumulated
    quality: QualityState = field(default_factory=QualityState)


def run_succeeded(results: Sequence[ProbeResult]) -> bool:
    """A run succeeds when it produced results and every one of them is ok."""
    return bool(results) and all(r.ok for r in results)


def run_reason(results: Sequence[ProbeResult]) -> Reason:
    """The reason a run ended with: its first failure's, else its first notable one (`balance_low`), else ok."""
    failed = [r.reason for r in results if not r.ok]
    notable = [r.reason for r in results if r.reason is not Reason.OK]
    return next(iter(failed or notable), Reason.OK)


def run_duration(results: Sequence[ProbeResult]) -> float:
    """The wall-clock time a run took: from its earliest start to its last finish."""
    if not results:
        return 0.0
    if all(r.finished_at for r in results):
        start = min(r.finished_at - r.duration_seconds for r in results)
        return max(0.0, max(r.finished_at for r in results) - start)
    return max(r.duration_seconds for r in results)


def record_run(snapshot: Snapshot, key: CheckKey, results: Sequence[ProbeResult], now: float) -> Snapshot:
    """The snapshot after one run of the check `key` produced `results` (`now`: when it ended)."""
    finished = max((r.finished_at for r in results), default=0.0) or now
    failures = Counter(snapshot.failures)
    tokens = Counter(snapshot.tokens)
    for result in results:
        if not result.ok:
            failures[(key[0], key[1], result.reason)] += 1
        if isinstance(result.data, ChatData) and result.model is not None:
            tokens[(key[0], result.model, "prompt")] += result.data.prompt_tokens
            tokens[(key[0], result.model, "completion")] += result.data.completion_tokens
    last_success = dict(snapshot.last_success_at)
    if run_succeeded(results):
        last_success[key] = finished
    return replace(
        snapshot,
        runs=_frozen({**snapshot.runs, key: tuple(results)}),
        last_run_at=_frozen({**snapshot.last_run_at, key: finished}),
        last_success_at=_frozen(last_success),
        failures=_frozen(failures),
        tokens=_frozen(tokens),
        quality=record_quality(snapshot.quality, key, results),
    )


def record_skip(snapshot: Snapshot, key: CheckKey, reason: SkipReason) -> Snapshot:
    """The snapshot after a scheduled run of `key` was skipped for `reason`."""
    skips = Counter(snapshot.skips)
    skips[(key[0], key[1], reason)] += 1
    return replace(snapshot, skips=_frozen(skips))


def record_reload(snapshot: Snapshot, *, successful: bool, now: float) -> Snapshot:
    """The snapshot after a config load or reload attempt (a failed one keeps the last success time)."""
    last = now if successful else (snapshot.reload.last_success_at if snapshot.reload else 0.0)
    return replace(snapshot, reload=ReloadStatus(successful=successful, last_success_at=last))


class _Configured:
    """What a config checks: models and balance of every provider, chat of the models marked `chat: true`."""

    def __init__(self, config: Config) -> None:
        self._chat_models = {p.name: {m.id for m in p.model_entries() if m.chat} for p in config.providers}

    def has(self, provider: str, check: Check) -> bool:
        return provider in self._chat_models and (check is not Check.CHAT or bool(self._chat_models[provider]))

    def chats(self, provider: str, model: str | None) -> bool:
        return model in self._chat_models.get(provider, ())

    def results(self, key: CheckKey, results: tuple[ProbeResult, ...]) -> tuple[ProbeResult, ...]:
        if key[1] is not Check.CHAT:
            return results
        return tuple(r for r in results if self.chats(key[0], r.model))


def _kept(mapping: Mapping[_K, _V], configured: _Configured) -> Mapping[_K, _V]:
    return _frozen({k: v for k, v in mapping.items() if configured.has(k[0], k[1])})


def with_config(snapshot: Snapshot, config: Config, config_sha256: str) -> Snapshot:
    """The snapshot under a newly loaded config: only the state of what the config still checks is kept.

    A provider that is gone, a check it no longer has (no model with `chat: true` left) and a chat model
    that is gone or no longer chats lose their results, counters and token counts, so the metrics never
    show a series the running config does not produce.
    """
    configured = _Configured(config)
    runs = {key: configured.results(key, results) for key, results in _kept(snapshot.runs, configured).items()}
    return replace(
        snapshot,
        config=config,
        config_sha256=config_sha256,
        runs=_frozen({key: results for key, results in runs.items() if results}),
        last_run_at=_kept(snapshot.last_run_at, configured),
        last_success_at=_kept(snapshot.last_success_at, configured),
        failures=_kept(snapshot.failures, configured),
        skips=_kept(snapshot.skips, configured),
        tokens=_frozen({k: v for k, v in snapshot.tokens.items() if configured.chats(k[0], k[1])}),
        quality=prune_quality(snapshot.quality, config),
    )


def snapshot_of(results: Iterable[ProbeResult], config: Config, config_sha256: str, now: float) -> Snapshot:
    """A snapshot of one run of every check in `results` (what `kimicheck probe` exports)."""
    grouped: dict[CheckKey, list[ProbeResult]] = {}
    for result in results:
        grouped.setdefault((result.provider, result.check), []).append(result)
    snapshot = Snapshot(config=config, config_sha256=config_sha256)
    for key, group in grouped.items():
        snapshot = record_run(snapshot, key, group, now)
    return snapshot
