"""The custom collector: a `Snapshot` in, metric families out. Pure: it never formats text or calls out.

`families(snapshot)` yields one family per entry of the contract, in the contract's order;
`SnapshotCollector` hands them to a private `CollectorRegistry` on every scrape, reading whatever snapshot
its getter returns at that moment (a scrape never triggers a probe).

A few series come from the config rather than from results (thresholds, counters shown at 0 before they
count). A `scope` limits those to the (provider, check) pairs a one-shot run probed, so two filtered runs
written to two textfiles never both show the same series; `kimicheck serve` shows everything its config checks.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterator
from datetime import UTC, datetime, time
from decimal import Decimal

from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    InfoMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from kimicheck import __version__
from kimicheck.config.models import Provider
from kimicheck.metrics.batch_families import batch_families
from kimicheck.metrics.contract import CONTRACT, SkipReason, spec
from kimicheck.metrics.quality_families import quality_families
from kimicheck.metrics.snapshot import CheckKey, Snapshot, run_duration, run_reason, run_succeeded
from kimicheck.probe.result import BalanceData, Check, ModelsData, RateLimit
from kimicheck.providers import Catalog, account_currency, current_catalog, described_kind

__all__ = ["Scope", "SnapshotCollector", "currency_of", "families"]

#: an ISO 4217 code, matched whole (with `$`, "USD\n" would pass and put a line break into a label)
_CURRENCY = re.compile(r"[A-Z]{3}")
UNKNOWN_CURRENCY = "unknown"

#: The (provider, check) pairs whose config-derived series are shown; None: every check of the config.
Scope = Collection[CheckKey]


def _in_scope(scope: Scope | None, provider: str, check: Check) -> bool:
    return scope is None or (provider, check) in scope


def _gauge(name: str) -> GaugeMetricFamily:
    entry = spec(name)
    return GaugeMetricFamily(entry.family_name, entry.help, labels=entry.labels)


def _counter(name: str) -> CounterMetricFamily:
    entry = spec(name)
    return CounterMetricFamily(entry.family_name, entry.help, labels=entry.labels)


def currency_of(provider: Provider, data: BalanceData | None) -> str:
    """The `currency` label: the balance result's ISO code, else the account currency the host, kind or
    config gives, else `unknown`."""
    if data is not None and data.currency and _CURRENCY.fullmatch(data.currency):
        return data.currency
    configured = provider.balance.currency if provider.balance is not None else None
    return account_currency(provider.base_url, provider.kind, configured=configured) or UNKNOWN_CURRENCY


def _available_value(value: Decimal | None) -> float:
    """The gauge value of an available balance: None is a key without a spending limit, +Inf."""
    return math.inf if value is None else float(value)


def _balance_data(snapshot: Snapshot, provider: str) -> BalanceData | None:
    for result in snapshot.runs.get((provider, Check.BALANCE), ()):
        if isinstance(result.data, BalanceData):
            return result.data
    return None


def _probe_families(snapshot: Snapshot, scope: Scope | None) -> Iterator[Metric]:
    success = _gauge("kimicheck_probe_success")
    last_reason = _gauge("kimicheck_probe_last_reason")
    duration = _gauge("kimicheck_probe_duration_seconds")
    last_run = _gauge("kimicheck_probe_last_run_timestamp_seconds")
    last_success = _gauge("kimicheck_probe_last_success_timestamp_seconds")
    for (provider, check), results in sorted(snapshot.runs.items()):
        labels = [provider, check.value]
        success.add_metric(labels, 1.0 if run_succeeded(results) else 0.0)
        if results:
            # one series per check: a reason-based alert reads the same thing from serve, a textfile or a push
            last_reason.add_metric([*labels, run_reason(results).value], 1.0)
        duration.add_metric(labels, run_duration(results))
        last_run.add_metric(labels, snapshot.last_run_at.get((provider, check), 0.0))
    for (provider, check), at in sorted(snapshot.last_success_at.items()):
        last_success.add_metric([provider, check.value], at)
    failures = _counter("kimicheck_probe_failures_total")
    for (provider, check, reason), count in sorted(snapshot.failures.items()):
        failures.add_metric([provider, check.value, reason.value], count)
    skipped = _counter("kimicheck_probe_skipped_total")
    skips = dict(snapshot.skips)
    for configured in snapshot.config.providers:
        if _in_scope(scope, configured.name, Check.CHAT) and any(m.chat for m in configured.model_entries()):
            for skip in (SkipReason.BUDGET_EXHAUSTED, SkipReason.BALANCE_CRITICAL):
                skips.setdefault((configured.name, Check.CHAT, skip), 0)
    for (provider_name, check, skip_reason), count in sorted(skips.items()):
        skipped.add_metric([provider_name, check.value, skip_reason.value], count)
    yield from (success, last_reason, duration, last_run, last_success, failures, skipped)


def _model_families(snapshot: Snapshot, scope: Scope | None) -> Iterator[Metric]:
    listed = _gauge("kimicheck_model_listed")
    chat_success = _gauge("kimicheck_chat_success")
    tokens_total = _counter("kimicheck_chat_tokens_total")
    tokens = dict(snapshot.tokens)
    for provider in snapshot.config.providers:
        chat_in_scope = _in_scope(scope, provider.name, Check.CHAT)
        models_data = next(
            (r.data for r in snapshot.runs.get((provider.name, Check.MODELS), ()) if isinstance(r.data, ModelsData)),
            None,
        )
        chats = {r.model: r for r in snapshot.runs.get((provider.name, Check.CHAT), ()) if r.model is not None}
        for entry in provider.model_entries():
            if models_data is not None and entry.id in models_data.present:
                listed.add_metric([provider.name, entry.id], 1.0 if models_data.present[entry.id] else 0.0)
            if entry.chat:
                if entry.id in chats:
                    chat_success.add_metric([provider.name, entry.id], 1.0 if chats[entry.id].ok else 0.0)
                if chat_in_scope:
                    for kind in ("prompt", "completion"):
                        tokens.setdefault((provider.name, entry.id, kind), 0)
    for (provider_name, model, kind), count in sorted(tokens.items()):
        tokens_total.add_metric([provider_name, model, kind], count)
    yield from (listed, chat_success, tokens_total)


def _lifecycle_families(snapshot: Snapshot, scope: Scope | None, catalog: Catalog) -> Iterator[Metric]:
    """The retirement dates and replacements the catalog gives for the configured models (in the models
    check's scope: one textfile per filtered run never repeats them)."""
    retires = _gauge("kimicheck_model_retirement_timestamp_seconds")
    info_spec = spec("kimicheck_model_info")
    info = InfoMetricFamily(info_spec.family_name, info_spec.help, labels=info_spec.labels[:2])
    for provider in snapshot.config.providers:
        kind = described_kind(provider.base_url, provider.kind)
        if kind is None or not _in_scope(scope, provider.name, Check.MODELS):
            continue
        for model_id in dict.fromkeys(entry.id for entry in provider.model_entries()):
            entry = catalog.entry(kind, model_id)
            if entry is None or entry.retires_on is None:
                continue
            # the day the catalog names, from its first second (UTC): the id stops answering that day
            at = datetime.combine(entry.retires_on, time(), tzinfo=UTC).timestamp()
            retires.add_metric([provider.name, model_id], at)
            info.add_metric([provider.name, model_id], {"replacement": entry.replacement or ""})
    yield from (retires, info)


def _balance_families(snapshot: Snapshot, scope: Scope | None) -> Iterator[Metric]:
    balance = _gauge("kimicheck_balance")
    threshold = _gauge("kimicheck_balance_threshold")
    for provider in snapshot.config.providers:
        data = _balance_data(snapshot, provider.name)
        if data is not None:
            currency = currency_of(provider, data)
            balance.add_metric([provider.name, "available", currency], _available_value(data.available))
            for kind, amount in (("voucher", data.voucher), ("cash", data.cash), ("account", data.account)):
                if amount is not None:
                    balance.add_metric([provider.name, kind, currency], float(amount))
        limits = provider.balance
        if limits is not None and _in_scope(scope, provider.name, Check.BALANCE):
            # the same currency label as the balance, so alert rules can join `on (provider, currency)`
            currency = currency_of(provider, data)
            for level, amount in (("warning", limits.warn_below), ("critical", limits.critical_below)):
                if amount is not None:
                    threshold.add_metric([provider.name, level, currency], float(amount))
    yield from (balance, threshold)


def _last_announced(snapshot: Snapshot, provider: str) -> dict[str, RateLimit]:
    """Per resource, what the provider announced in the latest result (of any check) that announced it."""
    results = [r for check in Check for r in snapshot.runs.get((provider, check), ()) if r.ratelimit is not None]
    announced: dict[str, RateLimit] = {}
    for result in sorted(results, key=lambda r: r.finished_at):
        assert result.ratelimit is not None
        announced.update(result.ratelimit.by_resource())
    return announced


def _ratelimit_families(snapshot: Snapshot) -> Iterator[Metric]:
    limit = _gauge("kimicheck_ratelimit_limit")
    remaining = _gauge("kimicheck_ratelimit_remaining")
    for provider in snapshot.config.providers:
        for resource, announced in sorted(_last_announced(snapshot, provider.name).items()):
            if announced.limit is not None:
                limit.add_metric([provider.name, resource], float(announced.limit))
            if announced.remaining is not None:
                remaining.add_metric([provider.name, resource], float(announced.remaining))
    yield from (limit, remaining)


def _meta_families(snapshot: Snapshot, version: str) -> Iterator[Metric]:
    build = spec("kimicheck_build_info")
    yield InfoMetricFamily(build.family_name, build.help, value={"version": version})
    config = spec("kimicheck_config_info")
    yield InfoMetricFamily(config.family_name, config.help, value={"sha256": snapshot.config_sha256})
    if snapshot.reload is not None:
        ok = _gauge("kimicheck_config_last_reload_successful")
        ok.add_metric([], 1.0 if snapshot.reload.successful else 0.0)
        at = _gauge("kimicheck_config_last_reload_success_timestamp_seconds")
        at.add_metric([], snapshot.reload.last_success_at)
        yield from (ok, at)


def families(snapshot: Snapshot, version: str = __version__, scope: Scope | None = None,
             catalog: Catalog | None = None) -> list[Metric]:
    """Every metric family of the contract for `snapshot`, in the contract's order (config-derived series
    only within `scope`; model lifecycles from `catalog`, else the catalog in use)."""
    produced = {
        m.name: m
        for m in (
            *_probe_families(snapshot, scope),
            *_model_families(snapshot, scope),
            *_lifecycle_families(snapshot, scope, catalog or current_catalog()),
            *_balance_families(snapshot, scope),
            *_ratelimit_families(snapshot),
            *batch_families(snapshot),
            *quality_families(snapshot, scope),
            *_meta_families(snapshot, version),
        )
    }
    return [produced[entry.family_name] for entry in CONTRACT if entry.family_name in produced]


class SnapshotCollector(Collector):
    """A prometheus_client collector over whatever snapshot `get_snapshot` returns at scrape time."""

    def __init__(self, get_snapshot: Callable[[], Snapshot], version: str = __version__,
                 scope: Scope | None = None) -> None:
        self._get_snapshot = get_snapshot
        self._version = version
        self._scope = scope

    def collect(self) -> Iterator[Metric]:
        """The families of the current snapshot."""
        yield from families(self._get_snapshot(), self._version, self._scope)
