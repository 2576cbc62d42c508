"""deploy/prometheus: the rules load and pass their unit tests, use only the metric contract, and each alert
is tested firing and not firing and links to its runbook entry."""

from __future__ import annotations

import re

import pytest

from kimicheck.metrics.contract import (
    BALANCE_TYPES,
    BATCH_REQUEST_RESULTS,
    CONTRACT,
    THRESHOLD_LEVELS,
    TOKEN_TYPES,
    TOOL_CALL_RESULTS,
    SkipReason,
)
from kimicheck.probe.result import Check, Reason
from tests.deploy.tools import PROMETHEUS, alert_rules, load_yaml, require_tool, run, runbook_anchors

RUNBOOK_BASE = "https://github.com/kimicheck/kimicheck/blob/main/README.md#"
#: a histogram is queried through its _bucket, _sum and _count series
HISTOGRAM_SERIES = {
    f"{m.name}_{suffix}": m for m in CONTRACT if m.type == "histogram" for suffix in ("bucket", "sum", "count")
}
CONTRACT_NAMES = {m.name for m in CONTRACT} | set(HISTOGRAM_SERIES)
#: label -> the values the contract allows (labels from the config, like provider or model, are open)
FIXED_LABEL_VALUES = {
    "check": {c.value for c in Check},
    "reason": {r.value for r in Reason} | {s.value for s in SkipReason},
    "type": set(BALANCE_TYPES) | set(TOKEN_TYPES),
    "level": set(THRESHOLD_LEVELS),
    "result": set(TOOL_CALL_RESULTS) | set(BATCH_REQUEST_RESULTS),
}


def test_promtool_check_rules() -> None:
    promtool = require_tool("promtool")
    result = run([promtool, "check", "rules", "alerts.yml"], cwd=PROMETHEUS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(alert_rules())} rules found" in result.stdout


def test_promtool_test_rules() -> None:
    promtool = require_tool("promtool")
    result = run([promtool, "test", "rules", "alerts_test.yml"], cwd=PROMETHEUS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


@pytest.mark.parametrize("name", ["prometheus.yml", "prometheus-textfile.yml", "prometheus-pushgateway.yml"])
def test_promtool_check_config(name: str) -> None:
    promtool = require_tool("promtool")
    result = run([promtool, "check", "config", name], cwd=PROMETHEUS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {name} is valid prometheus config file syntax" in result.stdout


def test_pushgateway_scrape_honors_pushed_labels() -> None:
    jobs = load_yaml(PROMETHEUS / "prometheus-pushgateway.yml")["scrape_configs"]
    assert [job.get("honor_labels") for job in jobs] == [True]


def test_exporter_down_watches_the_shipped_scrape_job() -> None:
    jobs = [job["job_name"] for job in load_yaml(PROMETHEUS / "prometheus.yml")["scrape_configs"]]
    down = next(r for r in alert_rules() if r["alert"] == "KimicheckExporterDown")
    assert jobs == ["kimicheck"]
    assert 'up{job="kimicheck"}' in down["expr"]


def test_amtool_check_config() -> None:
    amtool = require_tool("amtool")
    result = run([amtool, "check-config", "alertmanager.yml"], cwd=PROMETHEUS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_alertmanager_inhibitions_name_real_alerts() -> None:
    names = {r["alert"] for r in alert_rules()}
    config = load_yaml(PROMETHEUS / "alertmanager.yml")
    mentioned: set[str] = set()
    for rule in config["inhibit_rules"]:
        for matchers in (rule["source_matchers"], rule["target_matchers"]):
            value = re.fullmatch(r'alertname=~?"([^"]+)"', matchers[0])
            assert value, matchers
            mentioned |= set(value.group(1).split("|"))
            for other in matchers[1:]:
                label, values = re.fullmatch(r'(\w+)=~?"([^"]+)"', other).groups()  # type: ignore[union-attr]
                assert set(values.split("|")) <= FIXED_LABEL_VALUES[label], other
    assert mentioned <= names


def test_the_rules_cover_what_an_on_call_person_needs() -> None:
    assert {r["alert"] for r in alert_rules()} >= {
        "KimicheckBalanceWarning",
        "KimicheckBalanceCritical",
        "KimicheckBalanceRunwayShort",
        "KimicheckQuotaExhausted",
        "KimicheckKeyRejected",
        "KimicheckModelNotListed",
        "KimicheckChatFailing",
        "KimicheckProbeFailing",
        "KimicheckResultsStale",
        "KimicheckExporterDown",
        "KimicheckMetricsAbsent",
        "KimicheckToolCallSchemaAccuracyLow",
        "KimicheckStreamFirstTokenSlow",
        "KimicheckStreamBroken",
        "KimicheckJsonModeBroken",
        "KimicheckBatchFailed",
        "KimicheckBatchExpiring",
        "KimicheckFilesNearLimit",
    }


@pytest.mark.parametrize("rule", alert_rules(), ids=lambda r: r["alert"])
def test_each_alert_has_severity_summary_description_and_runbook(rule: dict[str, object]) -> None:
    labels = rule["labels"]
    annotations = rule["annotations"]
    assert isinstance(labels, dict) and isinstance(annotations, dict)
    assert labels["severity"] in {"warning", "critical"}
    assert set(annotations) == {"summary", "description", "runbook_url"}
    assert annotations["runbook_url"] == RUNBOOK_BASE + str(rule["alert"]).lower()
    assert str(rule["alert"]).lower() in runbook_anchors()


@pytest.mark.parametrize("rule", alert_rules(), ids=lambda r: r["alert"])
def test_each_alert_uses_only_contract_metrics_and_label_values(rule: dict[str, object]) -> None:
    expr = str(rule["expr"])
    for name in re.findall(r"\bkimicheck_[a-z_]+\b", expr):
        assert name in CONTRACT_NAMES, name
    for label, op, value in re.findall(r'\b(check|reason|type|level|result)\s*(=~|!=|=)\s*"([^"]*)"', expr):
        assert set(value.split("|")) <= FIXED_LABEL_VALUES[label], (label, op, value)


def test_balance_alerts_compare_with_the_exported_thresholds() -> None:
    for name in ("KimicheckBalanceWarning", "KimicheckBalanceCritical"):
        expr = next(r for r in alert_rules() if r["alert"] == name)["expr"]
        assert "kimicheck_balance_threshold" in expr
        assert "on (provider, currency)" in expr
        assert not re.search(r"[<>]=?\s*\d", expr), "a hard-coded amount"


def test_every_alert_is_tested_firing_and_not_firing() -> None:
    tests = load_yaml(PROMETHEUS / "alerts_test.yml")
    assert tests["rule_files"] == ["alerts.yml"]
    firing: set[str] = set()
    silent: set[str] = set()
    for case in tests["tests"]:
        for check in case["alert_rule_test"]:
            (firing if check["exp_alerts"] else silent).add(check["alertname"])
    names = {r["alert"] for r in alert_rules()}
    assert firing == names
    assert silent == names


#: labels Prometheus adds on the way in (scrape job and target; the Pushgateway's pushed job)
TARGET_LABELS = {"job", "instance"}


def test_alert_tests_feed_only_series_kimicheck_exports() -> None:
    # a rule tested on series kimicheck never writes proves nothing: names, label sets and fixed values
    by_name = {m.name: m for m in CONTRACT}
    tests = load_yaml(PROMETHEUS / "alerts_test.yml")
    wrong = []
    for case in tests["tests"]:
        for series in case["input_series"]:
            match = re.fullmatch(r"(\w+)\{(.*)\}", series["series"])
            assert match, series["series"]
            name, pairs = match.group(1), dict(re.findall(r'(\w+)="([^"]*)"', match.group(2)))
            if not name.startswith("kimicheck_"):
                continue
            spec = by_name.get(name) or HISTOGRAM_SERIES.get(name)
            bucket = {"le"} if name.endswith("_bucket") and name not in by_name else set()
            if spec is None or set(pairs) - TARGET_LABELS != set(spec.labels) | bucket:
                wrong.append(series["series"])
                continue
            for label, value in pairs.items():
                if label in FIXED_LABEL_VALUES and value not in FIXED_LABEL_VALUES[label]:
                    wrong.append(series["series"])
    assert wrong == []


def test_the_retirement_alert_names_the_replacement_from_the_info_metric() -> None:
    rule = next(r for r in alert_rules() if r["alert"] == "KimicheckModelRetiringSoon")
    assert "group_left (replacement)" in rule["expr"] and "kimicheck_model_info" in rule["expr"]
    assert "30 * 86400" in rule["expr"]
    assert "$labels.replacement" in rule["annotations"]["description"]
