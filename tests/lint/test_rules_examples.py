"""Each rule's own documentation holds: its failing example is reported by it, its passing example is clean.

Also: the shipped example config lints clean, and every rule is documented well enough for `kimicheck rule`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kimicheck.lint.engine import lint_bytes, lint_text
from kimicheck.lint.registry import RULES
from kimicheck.lint.rule import Rule
from kimicheck.lint.rules.keys import ENV_UNSET
from kimicheck.providers import KIND_PROFILES

EXAMPLE = Path(__file__).parent.parent.parent / "configs" / "example.yaml"
#: the environment of `--check-env` examples: the conventional key variables, set to fake values
ENVIRON = {p.conventional_env: "sk-test-example" for p in KIND_PROFILES.values() if p.conventional_env}


def rule_id(rule: Rule) -> str:
    return f"{rule.id}-{rule.name}"


def reported(rule: Rule, example: str) -> list[str]:
    """The findings of an example, linted the way the rule's documentation shows it."""
    options = {"check_env": True, "environ": ENVIRON} if rule.id == ENV_UNSET.id else {}
    report = lint_bytes(example.encode("utf-8"), "example.yaml", **options)  # type: ignore[arg-type]
    return [f"{f.line}:{f.column} {f.rule}" for f in report.findings]


@pytest.mark.parametrize("rule", RULES, ids=rule_id)
def test_fail_example_is_reported_by_its_rule(rule: Rule) -> None:
    found = reported(rule, rule.fail_example)
    assert any(line.endswith(f" {rule.id}") for line in found), found


@pytest.mark.parametrize("rule", RULES, ids=rule_id)
def test_pass_example_is_clean(rule: Rule) -> None:
    assert reported(rule, rule.pass_example) == []


@pytest.mark.parametrize("rule", RULES, ids=rule_id)
def test_rule_is_documented(rule: Rule) -> None:
    assert re.fullmatch(r"KC\d{3}", rule.id)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert rule.summary and not rule.summary.endswith(".")
    assert len(rule.doc) > 80 and rule.doc.endswith(".")


def test_rule_ids_and_names_are_unique() -> None:
    assert len({r.id for r in RULES}) == len({r.name for r in RULES}) == len(RULES)


def test_shipped_example_lints_clean() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    report = lint_text(text, "configs/example.yaml")
    assert [f"{f.line}:{f.column} {f.rule} {f.message}" for f in report.findings] == []
    assert report.config is not None
    assert {p.kind.value for p in report.config.providers} == {k.value for k in KIND_PROFILES}
    assert {p.api_key_env is None for p in report.config.providers} == {True, False}


def test_shipped_example_with_check_env_names_every_unset_variable() -> None:
    report = lint_text(EXAMPLE.read_text(encoding="utf-8"), "configs/example.yaml", check_env=True, environ={})
    assert [f.message for f in report.findings] == [
        "environment variable MOONSHOT_API_KEY is unset: provider kimi-intl would have no key",
        "environment variable OPENROUTER_API_KEY is unset: provider openrouter would have no key",
        "environment variable AIMLAPI_API_KEY is unset: provider aimlapi would have no key",
        "environment variable DEEPSEEK_API_KEY is unset: provider deepseek would have no key",
    ]
