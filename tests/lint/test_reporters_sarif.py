"""SARIF 2.1.0: the structure code-scanning services need, checked field by field.

(The output was also checked by hand against the OASIS schema; the tests do not need a copy of it.)
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from kimicheck import __version__
from kimicheck.lint.finding import FileReport
from kimicheck.lint.registry import RULES
from kimicheck.lint.reporters import render
from kimicheck.lint.reporters.sarif import artifact_uri

from .reporter_cases import ALL, BAD, CLEAN, FAKE_KEY


def _log(*reports: FileReport) -> Any:
    return json.loads(render("sarif", reports))


def test_top_level() -> None:
    log = _log(*ALL)
    assert log["version"] == "2.1.0"
    assert str(log["$schema"]).endswith("sarif-schema-2.1.0.json")
    runs = log["runs"]
    assert isinstance(runs, list) and len(runs) == 1
    run = runs[0]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("kimicheck", __version__)


def test_driver_lists_every_rule_with_help() -> None:
    rules = _log()["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in RULES]
    for entry, rule in zip(rules, RULES, strict=True):
        assert entry["name"] == rule.name
        assert entry["shortDescription"] == {"text": rule.summary}
        assert entry["fullDescription"] == {"text": rule.doc}
        assert entry["help"]["text"] == rule.doc
        assert "Fails:" in entry["help"]["markdown"] and "Passes:" in entry["help"]["markdown"]
        assert entry["defaultConfiguration"] == {"level": rule.severity.value}


def test_one_result_per_finding_with_its_region() -> None:
    run = _log(*ALL)["runs"][0]
    results = run["results"]
    findings = [f for report in ALL for f in report.findings]
    assert len(results) == len(findings)
    rules = run["tool"]["driver"]["rules"]
    for result, finding in zip(results, findings, strict=True):
        assert result["ruleId"] == finding.rule
        if "ruleIndex" in result:
            assert rules[result["ruleIndex"]]["id"] == finding.rule
        assert result["level"] == finding.severity.value
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["region"] == {
            "startLine": finding.line,
            "startColumn": finding.column,
            "endLine": finding.end_line,
            "endColumn": finding.end_column,
        }
        assert physical["artifactLocation"] == {"uri": artifact_uri(finding.path)}


def test_result_message_carries_the_hint() -> None:
    result = _log(BAD)["runs"][0]["results"][1]
    assert result["message"] == {"text": "unknown key 'api_key_evn'\nhint: did you mean 'api_key_env'?"}
    assert result["ruleId"] == "KC003"
    assert result["ruleIndex"] == [r.id for r in RULES].index("KC003")


def test_clean_run_has_empty_results_and_no_key_anywhere() -> None:
    assert _log(CLEAN)["runs"][0]["results"] == []
    assert FAKE_KEY not in render("sarif", ALL)


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("kimicheck.yaml", "kimicheck.yaml"),
        ("configs/bad config.yaml", "configs/bad%20config.yaml"),
        ("./a/b#c.yaml", "a/b%23c.yaml"),
        ("/etc/kimicheck.yaml", "file:///etc/kimicheck.yaml"),
    ],
)
def test_artifact_uri(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri
