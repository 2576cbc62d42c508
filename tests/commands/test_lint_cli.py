"""`kimicheck lint`: paths, stdin, formats, selection, colors and exit codes, exactly as a user sees them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kimicheck.cli import Streams, main

from .clirun import kimicheck

CLEAN = """\
version: 1
providers:
  - name: kimi-intl
    kind: moonshot
    base_url: https://api.moonshot.ai/v1
    api_key_env: MOONSHOT_API_KEY
    models: [kimi-k2.6]
"""
TYPO = CLEAN.replace("api_key_env", "api_key_evn")
TYPO_TEXT = """\
{path}:6:5: error[KC003] unknown key 'api_key_evn'
 6 |     api_key_evn: MOONSHOT_API_KEY
   |     ^^^^^^^^^^^
   = hint: did you mean 'api_key_env'?

1 error, 0 warnings in 1 file
"""
#: only a warning: a suppression comment that suppresses nothing
UNUSED = CLEAN.replace("models: [kimi-k2.6]", "models: [kimi-k2.6]  # kimicheck: disable=KC003")


def _write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_clean_file_exits_0_with_a_summary(tmp_path: Path) -> None:
    result = kimicheck("lint", _write(tmp_path, "kimicheck.yaml", CLEAN))
    assert (result.code, result.out, result.err) == (0, "no problems in 1 file\n", "")


def test_error_exits_1_with_the_source_line_caret_and_hint(tmp_path: Path) -> None:
    path = _write(tmp_path, "kimicheck.yaml", TYPO)
    result = kimicheck("lint", path)
    assert (result.code, result.out, result.err) == (1, TYPO_TEXT.format(path=path), "")


def test_warning_exits_0_but_1_under_strict(tmp_path: Path) -> None:
    path = _write(tmp_path, "kimicheck.yaml", UNUSED)
    relaxed = kimicheck("lint", path)
    assert relaxed.code == 0
    assert relaxed.out.endswith("0 errors, 1 warning in 1 file\n")
    assert f"{path}:7:26: warning[KC009] unused suppression" in relaxed.out
    assert kimicheck("lint", "--strict", path).code == 1


def test_default_path_is_kimicheck_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, "kimicheck.yaml", TYPO)
    monkeypatch.chdir(tmp_path)
    result = kimicheck("lint")
    assert (result.code, result.out) == (1, TYPO_TEXT.format(path="kimicheck.yaml"))


def test_default_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, "kimicheck.yaml", TYPO)
    other = _write(tmp_path, "deploy/prod.yaml", CLEAN)
    monkeypatch.chdir(tmp_path)
    assert kimicheck("lint", environ={"KIMICHECK_CONFIG": other}).code == 0


def test_missing_default_file_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = kimicheck("lint")
    assert (result.code, result.out) == (2, "")
    assert result.err == "kimicheck lint: error: kimicheck.yaml: no such file or directory\n"


def test_one_missing_path_among_good_ones_is_a_usage_error(tmp_path: Path) -> None:
    good = _write(tmp_path, "a.yaml", CLEAN)
    result = kimicheck("lint", good, str(tmp_path / "nope.yaml"))
    assert result.code == 2
    assert result.err == f"kimicheck lint: error: {tmp_path / 'nope.yaml'}: no such file or directory\n"


def test_directory_expands_to_yaml_files_sorted(tmp_path: Path) -> None:
    _write(tmp_path, "b.yml", TYPO)
    _write(tmp_path, "a.yaml", CLEAN)
    _write(tmp_path, "notes.txt", "not yaml at all: [")
    result = kimicheck("lint", "--format", "json", str(tmp_path))
    document = json.loads(result.out)
    assert result.code == 1
    assert document["summary"] == {"files": 2, "errors": 1, "warnings": 0}
    assert [f["path"] for f in document["findings"]] == [str(tmp_path / "b.yml")]


def test_stdin_with_a_filename() -> None:
    result = kimicheck("lint", "-", "--stdin-filename", "deploy/kimicheck.yaml", stdin=TYPO)
    assert (result.code, result.out) == (1, TYPO_TEXT.format(path="deploy/kimicheck.yaml"))


def test_stdin_without_a_filename_is_named_stdin() -> None:
    assert kimicheck("lint", "-", stdin=TYPO).out.startswith("<stdin>:6:5: error[KC003]")


def test_binary_stdin_is_a_finding_not_a_crash() -> None:
    result = kimicheck("lint", "-", "--format", "json", stdin=b"\x00\x01\xff binary")
    assert result.code == 1
    (finding,) = json.loads(result.out)["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("KC007", 1, 1)


def test_stdin_and_files_keep_their_order(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.yaml", TYPO)
    result = kimicheck("lint", "--format", "json", path, "-", "--stdin-filename", "in.yaml", stdin=TYPO)
    assert [f["path"] for f in json.loads(result.out)["findings"]] == [path, "in.yaml"]


@pytest.mark.parametrize("option", ["--ignore=KC003", "--ignore=unknown-key", "--ignore=KC001,kc003",
                                    "--select=KC001", "--select=KC001,KC002"])
def test_select_and_ignore_by_id_or_name(option: str) -> None:
    assert kimicheck("lint", option, "-", stdin=TYPO).code == 0


@pytest.mark.parametrize("option", ["--select=unknown-key", "--select=KC001,KC003", "--ignore=KC002"])
def test_selected_rule_still_reports(option: str) -> None:
    assert kimicheck("lint", option, "-", stdin=TYPO).code == 1


def test_select_and_ignore_repeat() -> None:
    assert kimicheck("lint", "--select=KC001", "--select=KC003", "-", stdin=TYPO).code == 1
    assert kimicheck("lint", "--ignore=KC001", "--ignore=KC003", "-", stdin=TYPO).code == 0


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--select=KC03", "unknown rule 'KC03'; did you mean 'KC003'?"),
        ("--ignore=unknown-kye", "unknown rule 'unknown-kye'; did you mean 'unknown-key'?"),
        ("--ignore=KC001,zzzz", "unknown rule 'zzzz'"),
    ],
)
def test_unknown_rule_is_a_usage_error_with_a_suggestion(option: str, message: str) -> None:
    result = kimicheck("lint", option, "-", stdin=CLEAN)
    assert (result.code, result.out) == (2, "")
    assert result.err == f"kimicheck lint: error: {message} (`kimicheck rules` lists them)\n"


def test_unknown_format_is_a_usage_error() -> None:
    result = kimicheck("lint", "--format", "xml", "-", stdin=CLEAN)
    assert result.code == 2
    assert "argument --format: invalid choice: 'xml'" in result.err


@pytest.mark.parametrize(
    ("environ", "first"),
    [
        ({}, "<stdin>:6:5: error[KC003]"),
        ({"GITHUB_ACTIONS": "false"}, "<stdin>:6:5: error[KC003]"),
        ({"GITHUB_ACTIONS": "true"}, "::error file=<stdin>,line=6,col=5,endLine=6,endColumn=15,title=KC003"),
    ],
)
def test_auto_format_follows_github_actions(environ: dict[str, str], first: str) -> None:
    assert kimicheck("lint", "-", stdin=TYPO, environ=environ).out.startswith(first)


def test_explicit_format_wins_over_github_actions() -> None:
    result = kimicheck("lint", "--format", "json", "-", stdin=TYPO, environ={"GITHUB_ACTIONS": "true"})
    assert json.loads(result.out)["summary"] == {"files": 1, "errors": 1, "warnings": 0}


def test_sarif_format() -> None:
    result = kimicheck("lint", "--format", "sarif", "-", "--stdin-filename", "k.yaml", stdin=TYPO)
    (run,) = json.loads(result.out)["runs"]
    (found,) = run["results"]
    assert found["ruleId"] == "KC003"
    assert found["locations"][0]["physicalLocation"]["region"]["startLine"] == 6
    assert result.code == 1


@pytest.mark.parametrize(
    ("option", "environ", "tty", "colored"),
    [
        ("--color=always", {}, False, True),
        ("--color=always", {"NO_COLOR": "1"}, False, True),
        ("--color=never", {}, True, False),
        ("--color=auto", {}, True, True),
        ("--color=auto", {}, False, False),
        ("--color=auto", {"NO_COLOR": "1"}, True, False),
        ("--color=auto", {"NO_COLOR": ""}, True, True),
        ("--color=auto", {"TERM": "dumb"}, True, False),
    ],
)
def test_color(option: str, environ: dict[str, str], tty: bool, colored: bool) -> None:
    result = kimicheck("lint", option, "-", stdin=TYPO, environ=environ, tty=tty)
    assert ("\033[" in result.out) is colored
    assert result.code == 1


def test_color_never_touches_machine_formats() -> None:
    result = kimicheck("lint", "--color=always", "--format=json", "-", stdin=TYPO)
    assert "\033[" not in result.out


def test_help_documents_exit_codes() -> None:
    result = kimicheck("lint", "--help")
    assert result.code == 0
    assert "exit codes:\n  0  no errors (and no warnings with --strict)\n  1  findings that fail\n" in result.out


def test_ascii_terminal_gets_escapes_not_a_crash() -> None:
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    streams = Streams(stdin=io.StringIO(CLEAN.replace("[kimi-k2.6]", '["kimi\u2011k2.6"]')), stdout=out,
                      stderr=io.StringIO(), environ={})
    assert main(["lint", "-", "--select", "KC204"], streams) == 1
    out.flush()
    text = out.buffer.getvalue().decode("ascii")  # type: ignore[attr-defined]
    assert ' 7 |     models: ["kimi\\u2011k2.6"]\n' in text


def test_internal_error_exits_2_without_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("kimicheck.commands.lint.lint_paths", broken)
    result = kimicheck("lint", _write(tmp_path, "kimicheck.yaml", CLEAN))
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "kimicheck lint: internal error: RuntimeError. This is a bug in kimicheck; "
        "rerun with KIMICHECK_DEBUG=1 for the traceback and report it.\n"
    )


def test_unreadable_file_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "kimicheck.yaml"
    path.write_text(CLEAN, encoding="utf-8")

    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    # chmod 0 does not stop root (CI runs as root), so the refusal is made where the file is opened
    monkeypatch.setattr(Path, "open", refuse)
    result = kimicheck("lint", str(path))
    assert (result.code, result.err) == (2, f"kimicheck lint: error: {path}: permission denied\n")
