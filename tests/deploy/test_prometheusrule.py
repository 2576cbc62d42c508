"""deploy/kubernetes/prometheusrule: the shipped alerts as a PrometheusRule, byte for byte what the generator
makes of deploy/prometheus/alerts.yml, shaped as the Prometheus Operator's CRD accepts, valid for promtool,
and built into the namespace by kustomize."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.prometheusrule import ALERTS, MANIFEST, render
from tests.deploy.tools import KUBERNETES, load_yaml, require_tool, run

COMPONENT = MANIFEST.parent
#: what the operator's PrometheusRule CRD (monitoring.coreos.com/v1) allows in a group and in a rule
GROUP_KEYS = {"name", "rules", "interval", "limit", "partial_response_strategy", "query_offset", "labels"}
RULE_KEYS = {"alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations"}
#: the CRD's pattern of a Prometheus duration
DURATION = re.compile(r"^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$")


def test_the_manifest_is_what_the_generator_makes_of_alerts_yml() -> None:
    expected = render(ALERTS.read_text(encoding="utf-8"))
    assert MANIFEST.read_text(encoding="utf-8") == expected, (
        "deploy/kubernetes/prometheusrule/prometheusrule.yaml is stale: run `python -m tests.deploy.prometheusrule`"
    )


def test_the_manifest_holds_exactly_the_shipped_groups() -> None:
    assert load_yaml(MANIFEST)["spec"]["groups"] == load_yaml(ALERTS)["groups"]


def test_any_change_to_the_alerts_changes_the_manifest() -> None:
    alerts = ALERTS.read_text(encoding="utf-8")
    changed = alerts.replace("for: 5m", "for: 6m", 1)
    assert changed != alerts
    assert yaml.safe_load(render(changed))["spec"]["groups"] == yaml.safe_load(changed)["groups"]
    assert render(changed) != render(alerts)


def _check_string_map(where: str, value: Any) -> None:
    assert isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()), where


def test_the_manifest_has_the_shape_the_operator_accepts() -> None:
    doc = load_yaml(MANIFEST)
    assert (doc["apiVersion"], doc["kind"], doc["metadata"]["name"]) == ("monitoring.coreos.com/v1", "PrometheusRule",
                                                                         "kimicheck")
    assert set(doc) == {"apiVersion", "kind", "metadata", "spec"} and set(doc["spec"]) == {"groups"}
    _check_string_map("metadata.labels", doc["metadata"]["labels"])
    names = [group["name"] for group in doc["spec"]["groups"]]
    assert len(names) == len(set(names)) and all(names)
    for group in doc["spec"]["groups"]:
        assert set(group) <= GROUP_KEYS and group["rules"], group["name"]
        for rule in group["rules"]:
            where = f"{group['name']}/{rule.get('alert') or rule.get('record')}"
            assert set(rule) <= RULE_KEYS and ("alert" in rule) != ("record" in rule), where
            assert isinstance(rule["expr"], str) and rule["expr"].strip(), where
            for key in ("for", "keep_firing_for"):
                assert key not in rule or DURATION.match(rule[key]), where
            for key in ("labels", "annotations"):
                if key in rule:
                    _check_string_map(f"{where} {key}", rule[key])


def test_promtool_accepts_the_wrapped_rules(tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    rules = tmp_path / "rules.yml"
    rules.write_text(yaml.safe_dump({"groups": load_yaml(MANIFEST)["spec"]["groups"]}), encoding="utf-8")
    result = run([promtool, "check", "rules", str(rules)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_component_and_the_kustomization_name_it() -> None:
    component = load_yaml(COMPONENT / "kustomization.yaml")
    assert (component["kind"], component["resources"]) == ("Component", ["prometheusrule.yaml"])
    assert "#   - prometheusrule" in (KUBERNETES / "kustomization.yaml").read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
@pytest.mark.parametrize("components", [["prometheusrule"], ["cronjob", "prometheusrule"]])
def test_kustomize_builds_the_rule_into_the_namespace(tmp_path: Path, components: list[str]) -> None:
    base = tmp_path / "kubernetes"
    shutil.copytree(KUBERNETES, base)
    kustomization = load_yaml(base / "kustomization.yaml")
    kustomization["components"] = components
    (base / "kustomization.yaml").write_text(yaml.safe_dump(kustomization), encoding="utf-8")
    built = run(["kubectl", "kustomize", str(base)])
    assert built.returncode == 0, built.stderr
    (rule,) = [doc for doc in yaml.safe_load_all(built.stdout) if doc["kind"] == "PrometheusRule"]
    assert rule["metadata"]["namespace"] == "kimicheck"
    assert rule["metadata"]["labels"]["app.kubernetes.io/part-of"] == "kimicheck"
    assert rule["spec"] == load_yaml(MANIFEST)["spec"]
