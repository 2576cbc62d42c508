"""`kimicheck lint` on awkward inputs: missing paths beside good ones, devices, pipes, huge stdin, bad options."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .clirun import kimicheck
from .test_lint_cli import CLEAN


def test_a_missing_path_does_not_hide_the_findings_of_the_others(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(CLEAN.replace("api_key_env", "api_key_evn"), encoding="utf-8")
    result = kimicheck("lint", str(good), str(tmp_path / "missing.yaml"))
    assert result.code == 2
    assert result.out.startswith(f"{good}:6:5: error[KC003] unknown key 'api_key_evn'\n")
    assert result.err == f"kimicheck lint: error: {tmp_path / 'missing.yaml'}: no such file or directory\n"


def test_only_missing_paths_print_no_summary(tmp_path: Path) -> None:
    result = kimicheck("lint", str(tmp_path / "missing.yaml"))
    assert (result.code, result.out) == (2, "")


def test_a_device_is_not_read(tmp_path: Path) -> None:
    result = kimicheck("lint", "/dev/zero", "--format", "json")
    assert result.code == 1
    assert '"message": "not a regular file (a device, pipe or socket), so not a config"' in result.out


def test_a_named_pipe_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "kimicheck.yaml"
    os.mkfifo(fifo)
    result = kimicheck("lint", str(fifo), "--select", "KC007")
    assert result.code == 1
    assert "not a regular file" in result.out


def test_huge_stdin_is_refused_after_reading_only_the_limit() -> None:
    result = kimicheck("lint", "-", "--stdin-filename", "big.yaml", stdin=b"#" * (8 * 1024 * 1024 + 10))
    assert result.code == 1
    assert result.out.startswith(
        "big.yaml:1:1: error[KC007] the file is larger than 8 MiB, the most kimicheck reads for a config\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("-", "-"), "'-' (stdin) can be given only once"),
        (("x.yaml", "--stdin-filename", "a.yaml"), "--stdin-filename names what '-' reads: give '-' as a PATH too"),
        (("-", "--select", ""), "--select needs at least one rule id or name (`kimicheck rules` lists them)"),
        (("-", "--ignore", ","), "--ignore needs at least one rule id or name (`kimicheck rules` lists them)"),
    ],
)
def test_contradictory_options_are_usage_errors(argv: tuple[str, ...], message: str) -> None:
    result = kimicheck("lint", *argv, stdin=CLEAN)
    assert (result.code, result.out, result.err) == (2, "", f"kimicheck lint: error: {message}\n")
