"""Text exposition of probe results, for the textfile collector and the Pushgateway.

A one-shot run shows only what it probed: `kimicheck probe --provider a --checks models` writes no series of
another provider or check (no threshold, no counter at 0), so several filtered runs can each write their
own textfile without two files holding the same series.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence

from prometheus_client import CollectorRegistry, generate_latest

from kimicheck.config.models import Config
from kimicheck.metrics.collector import Scope, SnapshotCollector
from kimicheck.metrics.snapshot import Snapshot, snapshot_of
from kimicheck.probe.result import ProbeResult

__all__ = ["config_digest", "render_results", "render_snapshot"]


def config_digest(text: str | bytes) -> str:
    """The `sha256` label of `kimicheck_config_info`: the hex SHA-256 of the config file's bytes."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def render_snapshot(snapshot: Snapshot, scope: Scope | None = None) -> bytes:
    """The Prometheus text exposition (format 0.0.4) of `snapshot`, through a private registry; the
    config-derived series only of the (provider, check) pairs in `scope` (None: all)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SnapshotCollector(lambda: snapshot, scope=scope))
    return generate_latest(registry)


def render_results(results: Sequence[ProbeResult], config: Config, *, config_sha256: str) -> bytes:
    """The text exposition of one run of `results` under `config` (what `--textfile` and `--pushgateway` write):
    series only of the (provider, check) pairs that have a result."""
    probed = frozenset((result.provider, result.check) for result in results)
    return render_snapshot(snapshot_of(results, config, config_sha256, time.time()), scope=probed)
