"""The engine: suppression comments, --select/--ignore, path expansion and reports."""

from pathlib import Path

import pytest

from kimicheck.errors import InputError
from kimicheck.lint.engine import expand_paths, lint_paths, lint_text, resolve_rules

DUPLICATE = "version: 1\nversion: 1\nproviders: []\n"


def lines(text: str, **options: object) -> list[str]:
    report = lint_text(text, "c.yaml", **options)  # type: ignore[arg-type]
    return [f"{f.line}:{f.column} {f.severity}[{f.rule}] {f.message}" for f in report.findings]


def test_findings_are_sorted_by_position() -> None:
    assert lines(DUPLICATE) == [
        "2:1 error[KC002] duplicate key 'version': first defined at line 1, column 1; YAML keeps only the last one",
        "3:12 error[KC004] `providers` must be a list of at least one provider",
    ]


def test_suppression_on_the_same_line_by_id_or_name() -> None:
    for key in ("KC002", "duplicate-key"):
        text = f"version: 1\nversion: 1  # kimicheck: disable={key}\nproviders: []\n"
        assert [line.split()[1] for line in lines(text)] == ["error[KC004]"]


def test_suppression_on_the_line_above_applies_to_the_next_line_only() -> None:
    text = "version: 1\n# kimicheck: disable=KC002\nversion: 1\nproviders: []\n"
    assert [line.split()[1] for line in lines(text)] == ["error[KC004]"]


def test_trailing_suppression_does_not_reach_the_next_line() -> None:
    text = "a: 1  # kimicheck: disable=KC002\na: 2\n"
    assert [line.split()[1] for line in lines(text, select=["KC002", "KC009"])] == [
        "warning[KC009]", "error[KC002]"
    ]


def test_file_wide_suppression() -> None:
    text = "# kimicheck: disable-file=KC002,KC004\n" + DUPLICATE
    assert lines(text) == []


def test_unused_and_unknown_suppressions_are_warnings() -> None:
    text = "version: 1  # kimicheck: disable=KC003,KC999\nproviders: []  # kimicheck: disable=KC004\n"
    assert lines(text) == [
        "1:13 warning[KC009] unused suppression: 'KC003' suppresses nothing on this line",
        "1:13 warning[KC009] unused suppression: unknown rule 'KC999' on this line",
    ]


def test_an_unused_suppression_above_a_line_names_the_next_line() -> None:
    text = "version: 1\n# kimicheck: disable=KC002\nproviders: []\n"
    assert lines(text, select=["KC002", "KC009"]) == [
        "2:1 warning[KC009] unused suppression: 'KC002' suppresses nothing on the next line"
    ]


def test_suppression_of_an_ignored_rule_is_not_reported_unused() -> None:
    text = "version: 1  # kimicheck: disable=KC003\nproviders: []\n"
    assert lines(text, ignore=["KC003", "KC004"]) == []


def test_select_and_ignore() -> None:
    assert [x.split()[1] for x in lines(DUPLICATE, select=["invalid-value"])] == ["error[KC004]"]
    assert [x.split()[1] for x in lines(DUPLICATE, ignore=["KC004"])] == ["error[KC002]"]


def test_unknown_rule_in_select_is_a_usage_error_with_suggestion() -> None:
    with pytest.raises(InputError, match=r"unknown rule 'duplicate-keys'; did you mean 'duplicate-key'\?"):
        resolve_rules(["duplicate-keys"])


def test_expand_paths(tmp_path: Path) -> None:
    (tmp_path / "b.yml").write_text("x")
    (tmp_path / "a.yaml").write_text("x")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.yaml").write_text("x")
    assert expand_paths([tmp_path]) == [tmp_path / "a.yaml", tmp_path / "b.yml"]
    with pytest.raises(InputError, match="no such file or directory"):
        expand_paths([tmp_path / "missing.yaml"])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match=r"no \*\.yaml or \*\.yml files in this directory"):
        expand_paths([empty])


def test_lint_paths_reads_files_and_reports_each(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("version: 1\nproviders:\n  - {name: a, kind: openai-compatible, base_url: 'https://x.example/v1',"
                    " api_key_env: K}\n")
    binary = tmp_path / "bad.yaml"
    binary.write_bytes(b"\x00\x01")
    reports = lint_paths([good, binary], select=["KC007"])
    assert [(Path(r.path).name, [f.rule for f in r.findings]) for r in reports] == [
        ("good.yaml", []), ("bad.yaml", ["KC007"])
    ]
