"""`kimicheck rules` and `kimicheck rule RULE`: every rule listed, documented, and its examples honest."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kimicheck.commands.rules import markdown_table
from kimicheck.lint.engine import lint_text
from kimicheck.lint.registry import RULES
from kimicheck.lint.rule import Rule

from .clirun import kimicheck

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "data"


def test_rules_lists_every_rule_in_registry_order() -> None:
    result = kimicheck("rules")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "SEVERITY", "SUMMARY"]
    assert len(lines) == len(RULES) + 1
    for line, rule in zip(lines[1:], RULES, strict=True):
        assert line.split(maxsplit=3) == [rule.id, rule.name, rule.severity.value, rule.summary]


def test_rules_columns_are_aligned() -> None:
    lines = kimicheck("rules").out.splitlines()
    assert len({line.index(" error ") for line in lines if " error " in line}) == 1


def test_rules_markdown_is_the_readme_table() -> None:
    result = kimicheck("rules", "--format", "markdown")
    assert result.out == markdown_table(RULES)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert result.out in readme, "paste `kimicheck rules --format markdown` into README.md ## Linting"


def test_rule_page_golden() -> None:
    actual = kimicheck("rule", "KC003").out
    path = GOLDEN / "rule-KC003.txt"
    if os.environ.get("KIMICHECK_UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("key", ["KC003", "kc003", "unknown-key"])
def test_rule_by_id_or_name(key: str) -> None:
    result = kimicheck("rule", key)
    assert result.code == 0
    assert result.out.startswith("KC003 unknown-key (error): ")


def test_unknown_rule_is_a_usage_error_with_a_suggestion() -> None:
    result = kimicheck("rule", "unknown-kye")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "kimicheck rule: error: unknown rule 'unknown-kye'; did you mean 'unknown-key'? "
        "(`kimicheck rules` lists them)\n"
    )


def test_environment_rule_is_shown_under_check_env() -> None:
    (rule,) = [r for r in RULES if r.name == "env-var-unset"]
    out = kimicheck("rule", rule.id).out
    assert "kimicheck lint --check-env example.yaml reports:\n" in out
    assert f"error[{rule.id}]" in out


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_page_shows_its_failing_example_reported(rule: Rule) -> None:
    result = kimicheck("rule", rule.id)
    assert result.code == 0
    assert f"\n\n{rule.doc.split()[0]}" in result.out
    reported = result.out.split(" reports:\n\n", 1)[1].split("\n\nPasses:\n\n", 1)[0]
    assert f": {rule.severity.value}[{rule.id}] " in reported, "the failing example must trigger its own rule"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_passing_example_lints_clean(rule: Rule) -> None:
    assert lint_text(rule.pass_example, "example.yaml").findings == ()


def test_rules_a_comment_cannot_silence_say_how_to_turn_them_off() -> None:
    for rule in ("KC001", "KC007", "KC008", "KC009"):
        result = kimicheck("rule", rule)
        assert result.out.endswith(
            "A comment cannot silence it (the file is not read far enough, or it is about the comments "
            f"themselves): `kimicheck lint --ignore {rule}` turns it off.\n"
        ), rule
