"""Every output format, compared byte for byte with golden files next to this test.

The reports are hand-made (`reporter_cases.py`), so these tests pin the formats independently of the rules.
Regenerate a golden file only after reading the difference: `KIMICHECK_UPDATE_GOLDEN=1 pytest tests/lint`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kimicheck.lint.finding import FileReport, Finding, Severity
from kimicheck.lint.reporters import REPORTERS, Reporter, render, reporter
from kimicheck.lint.reporters.github import escape_data, escape_property

from .reporter_cases import ALL, BAD, BINARY, CLEAN, FAKE_KEY, WIDE

GOLDEN = Path(__file__).parent / "data" / "reporters"


def _golden(name: str, actual: str) -> str:
    path = GOLDEN / name
    if os.environ.get("KIMICHECK_UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("fmt", "color", "golden"),
    [
        ("text", False, "text.txt"),
        ("text", True, "text-color.txt"),
        ("json", False, "json.json"),
        ("github", False, "github.txt"),
    ],
)
def test_format_matches_golden_file(fmt: str, color: bool, golden: str) -> None:
    actual = render(fmt, (*ALL, WIDE), color=color)
    assert actual == _golden(golden, actual)


def test_every_format_is_registered() -> None:
    assert list(REPORTERS) == ["text", "json", "sarif", "github"]


def test_every_registered_module_renders_its_format() -> None:
    from kimicheck.lint.reporters import github, jsonfmt, sarif, text

    modules: dict[str, Reporter] = {
        "text": text.render, "json": jsonfmt.render, "sarif": sarif.render, "github": github.render,
    }
    assert {fmt: reporter(fmt) for fmt in REPORTERS} == modules


def test_unknown_format_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown output format 'xml'; known: text, json, sarif, github"):
        render("xml", ())
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        reporter("xml")


@pytest.mark.parametrize(
    ("reports", "summary"),
    [
        ((), "no problems in 0 files\n"),
        ((CLEAN,), "no problems in 1 file\n"),
        ((CLEAN, CLEAN), "no problems in 2 files\n"),
        ((BINARY,), "1 error, 0 warnings in 1 file\n"),
        ((BAD, CLEAN), "4 errors, 1 warning in 2 files\n"),
        ((WIDE,), "1 error, 1 warning in 1 file\n"),
    ],
)
def test_text_summary_line(reports: tuple[FileReport, ...], summary: str) -> None:
    assert render("text", reports).splitlines()[-1] + "\n" == summary


def test_clean_reports_print_only_the_summary() -> None:
    assert render("text", (CLEAN,)) == "no problems in 1 file\n"
    assert render("github", (CLEAN,)) == "no problems in 1 file\n"


def test_text_never_shows_a_key_quoted_from_the_source() -> None:
    for fmt in REPORTERS:
        assert FAKE_KEY not in render(fmt, ALL)
    assert FAKE_KEY[10:] not in render("text", ALL)


def test_text_marks_a_key_with_the_carets_still_in_place() -> None:
    lines = render("text", (BAD,)).splitlines()
    quoted = lines.index(" 8 |     # old key sk-" + "*" * (len(FAKE_KEY) - 3))
    assert lines[quoted + 1] == "   |               " + "^" * len(FAKE_KEY)


def test_json_is_exactly_the_documented_shape() -> None:
    document = json.loads(render("json", ALL))
    assert list(document) == ["version", "findings", "summary"]
    assert document["version"] == 1
    assert document["summary"] == {"files": 3, "errors": 5, "warnings": 1}
    assert document["findings"][1] == {
        "path": "configs/bad config.yaml",
        "line": 6,
        "column": 5,
        "end_line": 6,
        "end_column": 16,
        "rule": "KC003",
        "name": "unknown-key",
        "severity": "error",
        "message": "unknown key 'api_key_evn'",
        "hint": "did you mean 'api_key_env'?",
    }


def test_json_of_nothing() -> None:
    assert json.loads(render("json", ())) == {
        "version": 1,
        "findings": [],
        "summary": {"files": 0, "errors": 0, "warnings": 0},
    }


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("100%", "100%25", "100%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("C:\\x,y", "C:\\x,y", "C%3A\\x%2Cy"),
        ("%0A", "%250A", "%250A"),
    ],
)
def test_github_escaping(raw: str, data: str, prop: str) -> None:
    assert (escape_data(raw), escape_property(raw)) == (data, prop)


def test_github_one_command_per_finding_then_summary() -> None:
    lines = render("github", (BAD,)).splitlines()
    assert len(lines) == len(BAD.findings) + 1
    assert lines[1] == (
        "::error file=configs/bad config.yaml,line=6,col=5,endLine=6,endColumn=15,title=KC003 unknown-key"
        "::unknown key 'api_key_evn'%0Ahint: did you mean 'api_key_env'?"
    )
    assert lines[4].startswith("::warning file=configs/bad config.yaml,line=9,col=14,endLine=10,title=")


def test_text_keeps_terminal_control_out_of_messages() -> None:
    report = FileReport(
        path="a\x1b[2J.yaml",
        text="x: 1\n",
        findings=(Finding("a\x1b[2J.yaml", 1, 1, 1, 2, "KC003", "unknown-key", Severity.ERROR,
                          "unknown key 'x\x1b]0;pwned\x07'", "line one\nline two"),),
    )
    assert render("text", (report,)) == (
        "a\ufffd[2J.yaml:1:1: error[KC003] unknown key 'x\ufffd]0;pwned\ufffd'\n"
        " 1 | x: 1\n"
        "   | ^\n"
        "   = hint: line one line two\n"
        "\n"
        "1 error, 0 warnings in 1 file\n"
    )


def test_text_keeps_bidi_and_zero_width_characters_out_of_messages_as_out_of_the_quoted_line() -> None:
    key = "time\u202eout\u200b"
    report = FileReport(
        path="a.yaml",
        text=f"{key}: 5s\n",
        findings=(Finding("a.yaml", 1, 1, 1, 11, "KC003", "unknown-key", Severity.ERROR,
                          f"unknown key '{key}'", "did you mean 'timeout'?\u2028"),),
    )
    assert render("text", (report,)) == (
        "a.yaml:1:1: error[KC003] unknown key 'time\ufffdout\ufffd'\n"
        " 1 | time\ufffdout\ufffd: 5s\n"
        "   | ^^^^^^^^^^\n"
        "   = hint: did you mean 'timeout'?\ufffd\n"
        "\n"
        "1 error, 0 warnings in 1 file\n"
    )
