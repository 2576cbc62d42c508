"""Every rule against its folder of configs: tests/data/lint/<rule-name>/{fail,pass}-*.yaml.

A failing config sits next to `fail-N.expected`, the exact findings a user sees: one line
`LINE:COL RULE message` per finding, followed by `    hint: ...` when the finding has a hint.
A passing config must lint with no finding at all. A folder may hold an `environ` file
(`NAME=value` lines): its configs are then linted with `--check-env` against that environment.
Adding a case is adding a file; `KIMICHECK_UPDATE_FIXTURES=1` rewrites the `.expected` files, to be
reviewed like any other change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kimicheck.lint.engine import lint_bytes
from kimicheck.lint.finding import FileReport
from kimicheck.lint.registry import RULES, find_rule

DATA = Path(__file__).parent.parent / "data" / "lint"
FAILING = sorted(DATA.glob("*/fail-*.yaml"))
PASSING = sorted(DATA.glob("*/pass-*.yaml"))
UPDATE = os.environ.get("KIMICHECK_UPDATE_FIXTURES") == "1"


def case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def lint_fixture(path: Path) -> FileReport:
    environ_file = path.parent / "environ"
    options: dict[str, object] = {}
    if environ_file.exists():
        lines = environ_file.read_text(encoding="utf-8").splitlines()
        options = {"check_env": True, "environ": dict(line.split("=", 1) for line in lines if line)}
    return lint_bytes(path.read_bytes(), case_id(path), **options)  # type: ignore[arg-type]


def render(report: FileReport) -> str:
    out = []
    for finding in report.findings:
        out.append(f"{finding.line}:{finding.column} {finding.rule} {finding.message}\n")
        if finding.hint:
            out.append(f"    hint: {finding.hint}\n")
    return "".join(out)


def test_every_rule_has_a_failing_and_a_passing_case() -> None:
    folders = {p.name for p in DATA.iterdir() if p.is_dir()}
    assert sorted(folders - {r.name for r in RULES}) == [], "fixture folders must be named after a rule"
    without = [r.name for r in RULES if not list((DATA / r.name).glob("fail-*.yaml"))
               or not list((DATA / r.name).glob("pass-*.yaml"))]
    assert without == []


def test_every_failing_case_has_its_expected_findings() -> None:
    missing = [case_id(p) for p in FAILING if not p.with_suffix(".expected").exists()]
    assert UPDATE or missing == []


@pytest.mark.parametrize("path", FAILING, ids=case_id)
def test_failing_case(path: Path) -> None:
    report = lint_fixture(path)
    expected_file = path.with_suffix(".expected")
    if UPDATE:
        expected_file.write_text(render(report), encoding="utf-8")
    assert render(report) == expected_file.read_text(encoding="utf-8")
    rule = find_rule(path.parent.name)
    assert rule is not None
    assert rule.id in {f.rule for f in report.findings}, f"{case_id(path)} is not reported by {rule.id}"


@pytest.mark.parametrize("path", PASSING, ids=case_id)
def test_passing_case(path: Path) -> None:
    assert render(lint_fixture(path)) == ""
