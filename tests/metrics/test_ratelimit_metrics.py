"""Rate-limit headroom and account credits as metrics: the last announced value, absent means absent."""

import dataclasses
from decimal import Decimal

from prometheus_client import CollectorRegistry

from kimicheck.metrics.collector import SnapshotCollector
from kimicheck.metrics.exposition import render_snapshot
from kimicheck.metrics.snapshot import Snapshot, record_run, snapshot_of
from kimicheck.probe.result import BalanceData, BalanceLevel, Check, ProbeResult, RateLimit, RateLimits, Reason
from tests.metrics.binaries import promtool_problems
from tests.metrics.samples import CONFIG, RESULTS, SHA

LIMIT, REMAINING = "kimicheck_ratelimit_limit", "kimicheck_ratelimit_remaining"


def registry_of(snapshot: Snapshot) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SnapshotCollector(lambda: snapshot))
    return registry


def announcing(result: ProbeResult, limits: RateLimits, at: float) -> ProbeResult:
    return dataclasses.replace(result, ratelimit=limits, finished_at=at)


def test_no_announcement_no_series() -> None:
    text = render_snapshot(snapshot_of(RESULTS, CONFIG, SHA, now=0.0)).decode()
    assert not [line for line in text.splitlines() if line.startswith("kimicheck_ratelimit_")]


def test_the_last_announcement_of_any_check_wins_per_resource() -> None:
    models, balance, chat = RESULTS[0], RESULTS[1], RESULTS[2]
    results = [
        announcing(models, RateLimits(requests=RateLimit(200, 150), tokens=RateLimit(40000, 1000)), 10.0),
        announcing(balance, RateLimits(requests=RateLimit(200, 180)), 20.0),
        chat,  # said nothing: the older values stand
    ]
    registry = registry_of(snapshot_of(results, CONFIG, SHA, now=30.0))
    value = registry.get_sample_value
    assert value(LIMIT, {"provider": "moonshot-intl", "resource": "requests"}) == 200
    assert value(REMAINING, {"provider": "moonshot-intl", "resource": "requests"}) == 180
    assert value(REMAINING, {"provider": "moonshot-intl", "resource": "tokens"}) == 1000
    assert value(LIMIT, {"provider": "openrouter", "resource": "requests"}) is None


def test_a_limit_without_remaining_is_only_a_limit() -> None:
    result = announcing(RESULTS[4], RateLimits(requests=RateLimit(limit=20, interval_seconds=10.0)), 5.0)
    registry = registry_of(snapshot_of([result], CONFIG, SHA, now=6.0))
    assert registry.get_sample_value(LIMIT, {"provider": "openrouter", "resource": "requests"}) == 20
    assert registry.get_sample_value(REMAINING, {"provider": "openrouter", "resource": "requests"}) is None


def test_a_newer_run_replaces_the_announcement() -> None:
    first = announcing(RESULTS[0], RateLimits(requests=RateLimit(200, 150)), 10.0)
    snapshot = snapshot_of([first], CONFIG, SHA, now=10.0)
    later = announcing(RESULTS[0], RateLimits(requests=RateLimit(200, 199)), 70.0)
    snapshot = record_run(snapshot, ("moonshot-intl", Check.MODELS), [later], 70.0)
    assert registry_of(snapshot).get_sample_value(REMAINING, {"provider": "moonshot-intl",
                                                              "resource": "requests"}) == 199


def test_account_credits_are_a_balance_type() -> None:
    data = BalanceData("USD", BalanceLevel.CRITICAL, None, account=Decimal("0.5"))
    result = ProbeResult("openrouter", Check.BALANCE, False, Reason.BALANCE_CRITICAL, 0.1, data=data, finished_at=1.0)
    registry = registry_of(snapshot_of([result], CONFIG, SHA, now=2.0))
    labels = {"provider": "openrouter", "currency": "USD"}
    assert registry.get_sample_value("kimicheck_balance", {**labels, "type": "account"}) == 0.5
    assert registry.get_sample_value("kimicheck_balance", {**labels, "type": "available"}) == float("inf")


def test_promtool_accepts_the_new_series() -> None:
    results = [announcing(RESULTS[0], RateLimits(requests=RateLimit(200, 180), tokens=RateLimit(40000, 39000)), 1.0),
               dataclasses.replace(RESULTS[4], data=BalanceData("USD", BalanceLevel.OK, None, account=Decimal("7")))]
    assert promtool_problems(render_snapshot(snapshot_of(results, CONFIG, SHA, now=2.0))) == ""
