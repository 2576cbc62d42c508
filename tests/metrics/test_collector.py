"""The collector: families from a snapshot, read back through a private registry."""

import dataclasses
import math
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from kimicheck import __version__
from kimicheck.config.models import ModelEntry
from kimicheck.metrics.collector import SnapshotCollector
from kimicheck.metrics.contract import CONTRACT, SkipReason
from kimicheck.metrics.exposition import render_results, render_snapshot
from kimicheck.metrics.snapshot import (
    Snapshot,
    record_reload,
    record_run,
    record_skip,
    snapshot_of,
    with_config,
)
from kimicheck.probe.result import ChatData, Check, ProbeResult, Reason
from tests.metrics.samples import CONFIG, MODEL_GONE, RESULTS, SHA

GOLDEN = Path(__file__).parent / "data" / "golden.prom"


def registry_of(snapshot: Snapshot) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SnapshotCollector(lambda: snapshot))
    return registry


@pytest.fixture
def registry() -> CollectorRegistry:
    return registry_of(snapshot_of(RESULTS, CONFIG, SHA, now=0.0))


def test_probe_success_per_check(registry: CollectorRegistry) -> None:
    value = registry.get_sample_value
    assert value("kimicheck_probe_success", {"provider": "moonshot-intl", "check": "models"}) == 1
    assert value("kimicheck_probe_success", {"provider": "openrouter", "check": "models"}) == 0
    assert value("kimicheck_probe_success", {"provider": "openrouter", "check": "chat"}) == 0
    assert value("kimicheck_probe_duration_seconds", {"provider": "openrouter", "check": "chat"}) == 1.5


def test_last_success_only_for_checks_that_succeeded(registry: CollectorRegistry) -> None:
    value = registry.get_sample_value
    labels = {"provider": "moonshot-intl", "check": "chat"}
    assert value("kimicheck_probe_last_success_timestamp_seconds", labels) == 1700000002.0
    assert value("kimicheck_probe_last_run_timestamp_seconds", labels) == 1700000002.0
    failed = {"provider": "openrouter", "check": "models"}
    assert value("kimicheck_probe_last_run_timestamp_seconds", failed) == 1700000000.0
    assert value("kimicheck_probe_last_success_timestamp_seconds", failed) is None


def test_failures_are_counted_by_fixed_reason(registry: CollectorRegistry) -> None:
    labels = {"provider": "openrouter", "check": "models", "reason": "auth_failed"}
    assert registry.get_sample_value("kimicheck_probe_failures_total", labels) == 1


def test_models_listed_for_every_configured_model(registry: CollectorRegistry) -> None:
    value = registry.get_sample_value
    assert value("kimicheck_model_listed", {"provider": "moonshot-intl", "model": "kimi-k2.6"}) == 1
    assert value("kimicheck_model_listed", {"provider": "moonshot-intl", "model": "kimi-k2.5"}) == 1
    # the models check failed without a list: unknown, not "missing" (an outage is not a vanished model)
    assert value("kimicheck_model_listed", {"provider": "openrouter", "model": "moonshotai/kimi-k2.6"}) is None


def test_a_model_no_longer_listed_fails_the_check_and_shows_as_0() -> None:
    # exactly what the alert KimicheckModelNotListed sees: listed 0 next to a failed models check
    registry = registry_of(snapshot_of([MODEL_GONE], CONFIG, SHA, now=0.0))
    value = registry.get_sample_value
    assert value("kimicheck_model_listed", {"provider": "moonshot-intl", "model": "kimi-k2.5"}) == 0
    assert value("kimicheck_model_listed", {"provider": "moonshot-intl", "model": "kimi-k2.6"}) == 1
    assert value("kimicheck_probe_success", {"provider": "moonshot-intl", "check": "models"}) == 0
    labels = {"provider": "moonshot-intl", "check": "models", "reason": "model_not_found"}
    assert value("kimicheck_probe_failures_total", labels) == 1
    assert last_reasons(registry) == {("moonshot-intl", "models"): "model_not_found"}


def test_an_outage_after_a_vanished_model_drops_the_listing() -> None:
    key = ("moonshot-intl", Check.MODELS)
    timeout = ProbeResult("moonshot-intl", Check.MODELS, False, Reason.TIMEOUT, 10.0)
    snapshot = record_run(snapshot_of([MODEL_GONE], CONFIG, SHA, now=0.0), key, [timeout], now=300.0)
    registry = registry_of(snapshot)
    listed = {"provider": "moonshot-intl", "model": "kimi-k2.5"}
    assert registry.get_sample_value("kimicheck_model_listed", listed) is None
    assert last_reasons(registry) == {("moonshot-intl", "models"): "timeout"}


def last_reasons(registry: CollectorRegistry) -> dict[tuple[str, str], str]:
    """(provider, check) -> reason of every `kimicheck_probe_last_reason` series, each checked to be 1."""
    found: dict[tuple[str, str], str] = {}
    for family in registry.collect():
        for sample in family.samples:
            if sample.name == "kimicheck_probe_last_reason":
                key = (sample.labels["provider"], sample.labels["check"])
                assert key not in found and sample.value == 1
                found[key] = sample.labels["reason"]
    return found


def test_last_reason_one_series_per_check(registry: CollectorRegistry) -> None:
    assert last_reasons(registry) == {
        ("moonshot-intl", "models"): "ok",
        ("moonshot-intl", "balance"): "ok",
        ("moonshot-intl", "chat"): "ok",
        ("openrouter", "models"): "auth_failed",
        ("openrouter", "balance"): "ok",
        ("openrouter", "chat"): "rate_limited",
    }


def test_last_reason_keeps_a_rejected_key_visible_run_after_run_of_the_one_shot_path() -> None:
    # every `kimicheck probe --textfile/--pushgateway` run starts its counters afresh: failures_total is 1 on
    # each, so increase() sees nothing from the second run on; last_reason says auth_failed every time
    rejected = [r for r in RESULTS if r.provider == "openrouter" and r.check is Check.MODELS]
    runs = [text_string_to_metric_families(render_results(rejected, CONFIG, config_sha256=SHA).decode())
            for _ in range(2)]
    seen = [
        {(s.name, s.labels.get("reason")): s.value for f in families for s in f.samples
         if s.name in {"kimicheck_probe_last_reason", "kimicheck_probe_failures_total"}}
        for families in runs
    ]
    expected = {("kimicheck_probe_last_reason", "auth_failed"): 1.0,
                ("kimicheck_probe_failures_total", "auth_failed"): 1.0}
    assert seen == [expected, expected]


def test_last_reason_follows_the_latest_run_of_serve() -> None:
    key = ("openrouter", Check.CHAT)
    failed = ProbeResult("openrouter", Check.CHAT, False, Reason.QUOTA_EXHAUSTED, 1.0, model="moonshotai/kimi-k2.6")
    ok = dataclasses.replace(failed, ok=True, reason=Reason.OK, data=ChatData(10, 5))
    snapshot = record_run(Snapshot(config=CONFIG, config_sha256=SHA), key, [failed], now=100.0)
    assert last_reasons(registry_of(snapshot)) == {("openrouter", "chat"): "quota_exhausted"}
    # a skipped run is not a run: the reason of the last completed one stays
    snapshot = record_skip(snapshot, key, SkipReason.BALANCE_CRITICAL)
    assert last_reasons(registry_of(snapshot)) == {("openrouter", "chat"): "quota_exhausted"}
    snapshot = record_run(snapshot, key, [ok], now=200.0)
    assert last_reasons(registry_of(snapshot)) == {("openrouter", "chat"): "ok"}


@pytest.mark.parametrize(
    ("reasons", "expected"),
    [
        ([(True, Reason.OK)], "ok"),
        ([(True, Reason.BALANCE_LOW)], "balance_low"),
        ([(False, Reason.BALANCE_CRITICAL)], "balance_critical"),
        ([(True, Reason.UNSUPPORTED)], "unsupported"),
        ([(True, Reason.OK), (False, Reason.TIMEOUT), (False, Reason.SERVER_ERROR)], "timeout"),
    ],
)
def test_last_reason_of_a_run(reasons: list[tuple[bool, Reason]], expected: str) -> None:
    results = [ProbeResult("moonshot-intl", Check.CHAT, ok, reason, 0.5, model=f"m{i}")
               for i, (ok, reason) in enumerate(reasons)]
    snapshot = snapshot_of(results, CONFIG, SHA, now=0.0)
    assert last_reasons(registry_of(snapshot)) == {("moonshot-intl", "chat"): expected}


def test_chat_success_and_tokens(registry: CollectorRegistry) -> None:
    value = registry.get_sample_value
    assert value("kimicheck_chat_success", {"provider": "moonshot-intl", "model": "kimi-k2.6"}) == 1
    assert value("kimicheck_chat_success", {"provider": "openrouter", "model": "moonshotai/kimi-k2.6"}) == 0
    tokens = {"provider": "moonshot-intl", "model": "kimi-k2.6"}
    assert value("kimicheck_chat_tokens_total", {**tokens, "type": "prompt"}) == 19
    assert value("kimicheck_chat_tokens_total", {**tokens, "type": "completion"}) == 16
    # every chat model has its token counters from the start, so rate() works from the first sample
    zero = {"provider": "openrouter", "model": "moonshotai/kimi-k2.6", "type": "prompt"}
    assert value("kimicheck_chat_tokens_total", zero) == 0


def test_balance_and_thresholds(registry: CollectorRegistry) -> None:
    value = registry.get_sample_value
    base = {"provider": "moonshot-intl", "currency": "USD"}
    assert value("kimicheck_balance", {**base, "type": "available"}) == 49.58894
    assert value("kimicheck_balance", {**base, "type": "voucher"}) == 46.58893
    assert value("kimicheck_balance", {**base, "type": "cash"}) == 3.00001
    assert value("kimicheck_balance_threshold", {**base, "level": "warning"}) == 10
    assert value("kimicheck_balance_threshold", {**base, "level": "critical"}) == 2.5


def test_an_unlimited_key_is_positive_infinity(registry: CollectorRegistry) -> None:
    labels = {"provider": "openrouter", "currency": "USD", "type": "available"}
    assert registry.get_sample_value("kimicheck_balance", labels) == math.inf
    assert registry.get_sample_value("kimicheck_balance", {**labels, "type": "voucher"}) is None


def test_info_metrics(registry: CollectorRegistry) -> None:
    assert registry.get_sample_value("kimicheck_build_info", {"version": __version__}) == 1
    assert registry.get_sample_value("kimicheck_config_info", {"sha256": SHA}) == 1
    # reload state belongs to `kimicheck serve` only
    assert registry.get_sample_value("kimicheck_config_last_reload_successful") is None


def test_no_label_value_comes_from_provider_text() -> None:
    text = render_results(RESULTS, CONFIG, config_sha256=SHA).decode()
    assert "sk-test" not in text
    assert "invalid key" not in text
    assert "https://" not in text


def test_counters_accumulate_across_runs() -> None:
    key = ("openrouter", Check.CHAT)
    failed = ProbeResult("openrouter", Check.CHAT, False, Reason.TIMEOUT, 10.0, model="moonshotai/kimi-k2.6")
    ok = dataclasses.replace(
        failed, ok=True, reason=Reason.OK, duration_seconds=1.0, data=ChatData(10, 5), finished_at=0.0
    )
    snapshot = Snapshot(config=CONFIG, config_sha256=SHA)
    snapshot = record_run(snapshot, key, [failed], now=100.0)
    snapshot = record_run(snapshot, key, [failed], now=200.0)
    snapshot = record_run(snapshot, key, [ok], now=300.0)
    snapshot = record_skip(snapshot, key, SkipReason.BUDGET_EXHAUSTED)
    registry = registry_of(snapshot)
    value = registry.get_sample_value
    labels = {"provider": "openrouter", "check": "chat"}
    assert value("kimicheck_probe_failures_total", {**labels, "reason": "timeout"}) == 2
    assert value("kimicheck_probe_success", labels) == 1
    assert value("kimicheck_probe_last_run_timestamp_seconds", labels) == 300.0
    assert value("kimicheck_probe_last_success_timestamp_seconds", labels) == 300.0
    assert value("kimicheck_probe_skipped_total", {**labels, "reason": "budget_exhausted"}) == 1
    assert value("kimicheck_probe_skipped_total", {**labels, "reason": "balance_critical"}) == 0
    tokens = {"provider": "openrouter", "model": "moonshotai/kimi-k2.6", "type": "completion"}
    assert value("kimicheck_chat_tokens_total", tokens) == 5


def test_reload_state() -> None:
    snapshot = record_reload(Snapshot(config=CONFIG, config_sha256=SHA), successful=True, now=50.0)
    snapshot = record_reload(snapshot, successful=False, now=90.0)
    registry = registry_of(snapshot)
    assert registry.get_sample_value("kimicheck_config_last_reload_successful") == 0
    assert registry.get_sample_value("kimicheck_config_last_reload_success_timestamp_seconds") == 50.0


def test_a_new_config_drops_providers_that_are_gone() -> None:
    snapshot = snapshot_of(RESULTS, CONFIG, SHA, now=0.0)
    smaller = CONFIG.model_copy(update={"providers": CONFIG.providers[:1]})
    registry = registry_of(with_config(snapshot, smaller, "cd" * 32))
    assert registry.get_sample_value("kimicheck_probe_success", {"provider": "openrouter", "check": "chat"}) is None
    assert registry.get_sample_value("kimicheck_probe_success", {"provider": "moonshot-intl", "check": "chat"}) == 1
    assert registry.get_sample_value("kimicheck_config_info", {"sha256": "cd" * 32}) == 1


def moonshot_series(registry: CollectorRegistry) -> list[tuple[str, dict[str, str]]]:
    """Every series of the provider moonshot-intl that names a check or a model, in exposition order."""
    return [
        (sample.name, {k: v for k, v in sample.labels.items() if k != "provider"})
        for family in registry.collect()
        for sample in family.samples
        if sample.labels.get("provider") == "moonshot-intl" and {"check", "model"} & sample.labels.keys()
    ]


def test_a_new_config_drops_a_check_and_the_chat_models_it_no_longer_has() -> None:
    snapshot = snapshot_of(RESULTS, CONFIG, SHA, now=0.0)
    snapshot = record_skip(snapshot, ("moonshot-intl", Check.CHAT), SkipReason.BUDGET_EXHAUSTED)
    failed = ProbeResult("moonshot-intl", Check.CHAT, False, Reason.SERVER_ERROR, 1.0, model="kimi-k2.6")
    snapshot = record_run(snapshot, ("moonshot-intl", Check.CHAT), [failed], now=10.0)
    moonshot, openrouter = CONFIG.providers
    no_chat = moonshot.model_copy(update={"models": ["kimi-k2.5", "kimi-k2.6"]})
    smaller = CONFIG.model_copy(update={"providers": [no_chat, openrouter]})
    before = registry_of(snapshot)
    after = registry_of(with_config(snapshot, smaller, SHA))
    models_and_balance = [s for s in moonshot_series(before) if s[1].get("check") in {"models", "balance"}]
    listed = [("kimicheck_model_listed", {"model": "kimi-k2.5"}), ("kimicheck_model_listed", {"model": "kimi-k2.6"})]
    assert moonshot_series(after) == models_and_balance + listed
    assert len(moonshot_series(before)) > len(moonshot_series(after))
    # the other provider's chat check is untouched
    labels = {"provider": "openrouter", "check": "chat", "reason": "rate_limited"}
    assert after.get_sample_value("kimicheck_probe_failures_total", labels) == 1


def test_a_new_config_keeps_only_the_chat_results_of_models_it_still_chats_with() -> None:
    moonshot, openrouter = CONFIG.providers
    two = moonshot.model_copy(update={"models": [ModelEntry(id="kimi-k2.5", chat=True),
                                                 ModelEntry(id="kimi-k2.6", chat=True)]})
    config = CONFIG.model_copy(update={"providers": [two, openrouter]})
    key = ("moonshot-intl", Check.CHAT)
    failed = ProbeResult("moonshot-intl", Check.CHAT, False, Reason.SERVER_ERROR, 1.0, model="kimi-k2.5")
    ok = ProbeResult("moonshot-intl", Check.CHAT, True, Reason.OK, 0.5, model="kimi-k2.6", data=ChatData(19, 16))
    gone = ProbeResult("moonshot-intl", Check.CHAT, True, Reason.OK, 0.5, model="kimi-k2.5", data=ChatData(19, 7))
    snapshot = record_run(record_run(Snapshot(config, SHA), key, [gone, ok], now=5.0), key, [failed, ok], now=10.0)
    assert registry_of(snapshot).get_sample_value("kimicheck_probe_success", {"provider": "moonshot-intl",
                                                                               "check": "chat"}) == 0
    registry = registry_of(with_config(snapshot, CONFIG, SHA))
    value = registry.get_sample_value
    assert value("kimicheck_probe_success", {"provider": "moonshot-intl", "check": "chat"}) == 1
    assert last_reasons(registry)[("moonshot-intl", "chat")] == "ok"
    assert value("kimicheck_probe_duration_seconds", {"provider": "moonshot-intl", "check": "chat"}) == 0.5
    tokens = {"provider": "moonshot-intl", "type": "completion"}
    assert value("kimicheck_chat_tokens_total", {**tokens, "model": "kimi-k2.5"}) is None
    assert value("kimicheck_chat_tokens_total", {**tokens, "model": "kimi-k2.6"}) == 32
    failures = {"provider": "moonshot-intl", "check": "chat", "reason": "server_error"}
    assert value("kimicheck_probe_failures_total", failures) == 1  # counted per check, not per model


def test_every_family_is_in_the_contract_order() -> None:
    snapshot = record_reload(snapshot_of(RESULTS, CONFIG, SHA, now=0.0), successful=True, now=1.0)
    text = render_snapshot(snapshot).decode()
    typed = [line.split()[2] for line in text.splitlines() if line.startswith("# TYPE ")]
    assert typed == [m.name for m in CONTRACT]


def test_golden_exposition() -> None:
    snapshot = record_reload(snapshot_of(RESULTS, CONFIG, SHA, now=0.0), successful=True, now=1700000000.0)
    text = render_snapshot(snapshot).decode().replace(f'version="{__version__}"', 'version="VERSION"')
    assert text == GOLDEN.read_text()


def test_threshold_currency_follows_the_balance_so_alert_joins_match() -> None:
    provider = CONFIG.providers[0].model_copy(update={"base_url": "http://127.0.0.1:8080/v1"})
    config = CONFIG.model_copy(update={"providers": [provider]})
    before = registry_of(Snapshot(config=config, config_sha256=SHA))
    labels = {"provider": "moonshot-intl", "level": "critical"}
    assert before.get_sample_value("kimicheck_balance_threshold", {**labels, "currency": "unknown"}) == 2.5
    after = registry_of(snapshot_of(RESULTS[1:2], config, SHA, now=0.0))
    assert after.get_sample_value("kimicheck_balance_threshold", {**labels, "currency": "USD"}) == 2.5


def test_threshold_currency_is_the_host_one_before_and_after_the_first_balance() -> None:
    # the config's currency contradicts the host (balance-currency-mismatch): the balance will be in CNY
    balance = CONFIG.providers[0].balance
    assert balance is not None
    provider = CONFIG.providers[0].model_copy(update={
        "base_url": "https://api.moonshot.cn/v1", "balance": balance.model_copy(update={"currency": "USD"}),
    })
    config = CONFIG.model_copy(update={"providers": [provider]})
    labels = {"provider": "moonshot-intl", "level": "critical", "currency": "CNY"}
    before = registry_of(Snapshot(config=config, config_sha256=SHA))
    assert before.get_sample_value("kimicheck_balance_threshold", labels) == 2.5
    result = dataclasses.replace(RESULTS[1], data=dataclasses.replace(RESULTS[1].data, currency="CNY"))
    after = registry_of(snapshot_of([result], config, SHA, now=0.0))
    assert after.get_sample_value("kimicheck_balance_threshold", labels) == 2.5
