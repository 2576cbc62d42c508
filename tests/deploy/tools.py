"""Shared helpers of the deploy tests: paths, external tools, README anchors."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PROMETHEUS = DEPLOY / "prometheus"
GRAFANA = DEPLOY / "grafana"
KUBERNETES = DEPLOY / "kubernetes"
SYSTEMD = DEPLOY / "systemd"
DOCKER = DEPLOY / "docker"
README = ROOT / "README.md"
VENV_BIN = Path(sys.executable).parent
#: how the tests run the CLI: the interpreter running the tests, so the same venv
KIMICHECK = [sys.executable, "-m", "kimicheck"]


def require_tool(name: str, *, ci_required: bool = True) -> str:
    """The path of an external tool; skip when it is absent, except in CI (CI set) where that fails."""
    found = shutil.which(name) or shutil.which(name, path=str(VENV_BIN))
    if found:
        return found
    if ci_required and os.environ.get("CI"):
        pytest.fail(f"{name} is required in CI but not installed")
    pytest.skip(f"{name} is not installed")


def run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a command with a bounded time, capturing text output."""
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False, **kwargs)


def load_yaml(path: Path) -> Any:
    """One YAML document."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def readme_section(title: str) -> str:
    """The text of the README's `## title` section (up to the next `## ` heading)."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def runbook_anchors() -> set[str]:
    """The anchors of the `###` runbook entries under `## Alerts and runbook`."""
    section = readme_section("Alerts and runbook")
    return {github_anchor(h) for h in re.findall(r"^### (.+)$", section, re.M)}


def alert_rules() -> list[dict[str, Any]]:
    """Every alerting rule of deploy/prometheus/alerts.yml."""
    doc = load_yaml(PROMETHEUS / "alerts.yml")
    return [rule for group in doc["groups"] for rule in group["rules"] if "alert" in rule]


#: what Grafana puts in for its variables when the tests run the dashboard's queries themselves
GRAFANA_VARIABLES = {"$provider": ".*", "$__rate_interval": "2m", "$__range": "1h", "$__interval": "1m"}


def grafana_exprs() -> list[tuple[str, str]]:
    """(where, PromQL) of every query in the dashboard and the Grafana alert rules, variables filled in."""
    found: list[tuple[str, str]] = []
    dashboard = json.loads((GRAFANA / "dashboards" / "kimicheck.json").read_text(encoding="utf-8"))
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            found.append((f"panel {panel['title']!r} {target['refId']}", target["expr"]))
    for path in sorted((GRAFANA / "provisioning" / "alerting").glob("*.yml")):
        for group in load_yaml(path)["groups"]:
            for rule in group["rules"]:
                for query in rule["data"]:
                    if "expr" in query["model"]:
                        found.append((f"rule {rule['uid']} {query['refId']}", query["model"]["expr"]))
    filled = []
    for where, expr in found:
        for name, value in sorted(GRAFANA_VARIABLES.items(), key=lambda kv: -len(kv[0])):
            expr = expr.replace(name, value)
        filled.append((where, expr))
    return filled
