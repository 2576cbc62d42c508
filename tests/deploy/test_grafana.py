"""deploy/grafana: the dashboard is complete and portable (datasource variable, a query in every panel,
only contract metrics), its PromQL parses, and the provisioning files refer to each other correctly."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from kimicheck.metrics.contract import CONTRACT
from tests.deploy.tools import GRAFANA, grafana_exprs, load_yaml, require_tool, run, runbook_anchors

DASHBOARD = GRAFANA / "dashboards" / "kimicheck.json"
PROVISIONING = GRAFANA / "provisioning"
DATASOURCE_VARIABLE = {"type": "prometheus", "uid": "${datasource}"}


def dashboard() -> dict[str, Any]:
    return json.loads(DASHBOARD.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def query_panels() -> list[dict[str, Any]]:
    return [p for p in dashboard()["panels"] if p["type"] != "row"]


def datasources() -> list[dict[str, Any]]:
    return load_yaml(PROVISIONING / "datasources" / "datasources.yml")["datasources"]  # type: ignore[no-any-return]


def alert_rules() -> list[dict[str, Any]]:
    doc = load_yaml(PROVISIONING / "alerting" / "low-balance.yml")
    return [rule for group in doc["groups"] for rule in group["rules"]]


def test_dashboard_has_a_prometheus_datasource_variable() -> None:
    variables = {v["name"]: v for v in dashboard()["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    assert variables["provider"]["datasource"] == DATASOURCE_VARIABLE


@pytest.mark.parametrize("panel", query_panels(), ids=lambda p: p["title"])
def test_every_panel_queries_through_the_datasource_variable(panel: dict[str, Any]) -> None:
    assert panel["datasource"] == DATASOURCE_VARIABLE
    assert panel["targets"], "a panel without a query"
    for target in panel["targets"]:
        assert target["datasource"] == DATASOURCE_VARIABLE
        assert target["expr"].strip()
    assert panel["description"]


def test_dashboard_never_names_a_datasource_directly() -> None:
    text = DASHBOARD.read_text(encoding="utf-8")
    uids = set(re.findall(r'"uid":\s*"([^"]+)"', text))
    assert uids == {"${datasource}", dashboard()["uid"]}


def test_panel_ids_are_unique_and_panels_fit_the_grid() -> None:
    panels = dashboard()["panels"]
    assert len({p["id"] for p in panels}) == len(panels)
    assert all(p["gridPos"]["x"] + p["gridPos"]["w"] <= 24 for p in panels)


def test_dashboard_shows_what_the_on_call_person_needs() -> None:
    exprs = " ".join(t["expr"] for p in query_panels() for t in p["targets"])
    for needed in (
        "kimicheck_balance{",
        "kimicheck_balance_threshold",
        "deriv(kimicheck_balance",
        "kimicheck_probe_success",
        "kimicheck_probe_duration_seconds",
        "kimicheck_probe_last_reason",
        "kimicheck_model_listed",
        "kimicheck_chat_success",
        "kimicheck_chat_tokens_total",
    ):
        assert needed in exprs, needed
    # a one-shot textfile or push restarts the failure counters: the failures panel reads the last reason
    failures = next(p for p in query_panels() if p["title"] == "Failures by reason")
    assert [t["expr"] for t in failures["targets"]] == [
        'max by (provider, check, reason) (kimicheck_probe_last_reason'
        '{reason!~"ok|balance_low|unsupported", provider=~"$provider"})'
    ]
    units = {p["title"]: p["fieldConfig"]["defaults"].get("unit") for p in query_panels()}
    assert units["Probe latency per check"] == "s"
    assert units["Runway at the 6h burn rate"] == "d"


def test_every_query_uses_only_contract_metrics() -> None:
    names = {m.name for m in CONTRACT}
    # a histogram is queried through its _bucket, _sum and _count series
    names |= {f"{m.name}_{s}" for m in CONTRACT if m.type == "histogram" for s in ("bucket", "sum", "count")}
    for where, expr in grafana_exprs():
        for metric in re.findall(r"\bkimicheck_[a-z_]+\b", expr):
            assert metric in names, (where, metric)


def test_every_promql_expression_parses(tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    exprs = grafana_exprs()
    rules = {"groups": [{"name": "grafana", "rules": [
        {"record": f"grafana:query_{i}", "expr": expr} for i, (_, expr) in enumerate(exprs)
    ]}]}
    path = tmp_path / "grafana-queries.yml"
    path.write_text(yaml.safe_dump(rules), encoding="utf-8")
    result = run([promtool, "check", "rules", str(path)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(exprs)} rules found" in result.stdout


def test_datasources_let_grafana_show_the_prometheus_rules() -> None:
    by_type = {d["type"]: d for d in datasources()}
    prometheus, alertmanager = by_type["prometheus"], by_type["alertmanager"]
    assert prometheus["jsonData"]["manageAlerts"] is True
    assert prometheus["jsonData"]["alertmanagerUid"] == alertmanager["uid"]
    assert alertmanager["jsonData"]["implementation"] == "prometheus"


@pytest.mark.parametrize("rule", alert_rules(), ids=lambda r: r["uid"])
def test_grafana_rules_are_wired_and_compare_with_the_exported_thresholds(rule: dict[str, Any]) -> None:
    uids = {d["uid"] for d in datasources()} | {"__expr__"}
    refs = {q["refId"] for q in rule["data"]}
    assert rule["condition"] in refs
    for query in rule["data"]:
        assert query["datasourceUid"] in uids
        assert query["model"]["refId"] == query["refId"]
        if "expression" in query["model"]:
            assert query["model"]["expression"] in refs
    expr = next(q["model"]["expr"] for q in rule["data"] if "expr" in q["model"])
    assert "kimicheck_balance_threshold" in expr and "on (provider, currency)" in expr
    assert rule["labels"]["severity"] in {"warning", "critical"}
    assert rule["annotations"]["runbook_url"].rsplit("#", 1)[1] in runbook_anchors()


def test_dashboard_provider_loads_json_files() -> None:
    provider = load_yaml(PROVISIONING / "dashboards" / "dashboards.yml")["providers"][0]
    assert provider["type"] == "file"
    assert provider["options"]["path"].startswith("/etc/grafana/dashboards")


#: what kimicheck exports for three providers (warning 10, critical 2): fine, below warning, below critical
BALANCES = {"fine": "50", "low": "8", "empty": "1"}


def balance_series() -> list[dict[str, str]]:
    series = []
    for provider, available in BALANCES.items():
        labels = f'provider="{provider}",currency="USD"'
        series += [
            {"series": f'kimicheck_balance{{{labels},type="available"}}', "values": f"{available}x10"},
            {"series": f'kimicheck_balance{{{labels},type="voucher"}}', "values": "0x10"},
            {"series": f'kimicheck_balance{{{labels},type="cash"}}', "values": f"{available}x10"},
            {"series": f'kimicheck_balance_threshold{{{labels},level="warning"}}', "values": "10x10"},
            {"series": f'kimicheck_balance_threshold{{{labels},level="critical"}}', "values": "2x10"},
        ]
    return series


@pytest.mark.parametrize(
    ("uid", "headroom"),
    [
        # below critical, only the critical rule fires: one page, as with the Prometheus rules
        ("kimicheck-balance-warning", {"fine": 40, "low": -2}),
        ("kimicheck-balance-critical", {"fine": 48, "low": 6, "empty": -1}),
    ],
)
def test_grafana_rule_queries_page_once_per_level(uid: str, headroom: dict[str, int], tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    rule = next(r for r in alert_rules() if r["uid"] == uid)
    expr = next(q["model"]["expr"] for q in rule["data"] if "expr" in q["model"])
    samples = [
        {"labels": f'{{currency="USD",provider="{provider}"}}', "value": value}
        for provider, value in headroom.items()
    ]
    tests = {
        "rule_files": [],
        "evaluation_interval": "1m",
        "tests": [{
            "interval": "1m",
            "input_series": balance_series(),
            "promql_expr_test": [{"expr": expr, "eval_time": "5m", "exp_samples": samples}],
        }],
    }
    path = tmp_path / "grafana_rule_test.yml"
    path.write_text(yaml.safe_dump(tests), encoding="utf-8")
    result = run([promtool, "test", "rules", str(path)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_dashboard_shows_the_days_until_a_configured_model_retires_with_its_replacement() -> None:
    panel = next(p for p in query_panels() if p["title"] == "Days until a configured model retires")
    [target] = panel["targets"]
    assert "kimicheck_model_retirement_timestamp_seconds" in target["expr"]
    assert "group_left (replacement) kimicheck_model_info" in target["expr"]
    assert panel["fieldConfig"]["defaults"]["unit"] == "d"


def test_the_quality_row_shows_first_token_tool_calls_and_slos() -> None:
    panels = dashboard()["panels"]
    row = next(i for i, p in enumerate(panels) if p["type"] == "row" and p["title"] == "Quality")
    rows_after = [i for i, p in enumerate(panels) if p["type"] == "row" and i > row]
    quality = panels[row + 1:rows_after[0] if rows_after else len(panels)]
    assert quality and all(p["type"] != "row" for p in quality)
    assert all(p["gridPos"]["y"] > panels[row]["gridPos"]["y"] for p in quality)
    exprs = " ".join(t["expr"] for p in quality for t in p["targets"])
    for needed in (
        "kimicheck_stream_time_to_first_token_seconds_bucket",
        "kimicheck_stream_output_tokens_per_second",
        "kimicheck_tool_calls_total",
        "kimicheck_probe_runs_total",
        "kimicheck_probe_latency_seconds_bucket",
    ):
        assert needed in exprs, needed
    units = {p["title"]: p["fieldConfig"]["defaults"].get("unit") for p in quality}
    assert units["Time to first token p90"] == "s"
    assert units["Tool-call schema accuracy (6h)"] == "percentunit"
