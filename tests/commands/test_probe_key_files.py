"""`kimicheck probe` with a key file (or variable) that is not one key: `auth_failed`, nothing sent, a message
that says what is wrong and how to fix it, and never a byte of the value."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from kimicheck.sim import RunningSimulator

from .clirun import kimicheck

KEY = "sk-sim-keyfile-00000000000000000000001"
SECOND = "sk-sim-keyfile-00000000000000000000002"
#: a probe needs far less; reading /dev/zero without a bound stops here instead of taking the machine
ADDRESS_SPACE_LIMIT = 2 << 30


def write_config(tmp_path: Path, sim: RunningSimulator, key_source: str) -> Path:
    path = tmp_path / "kimicheck.yaml"
    path.write_text(f"""\
version: 1
defaults:
  timeout: 2s
providers:
  - name: sim
    kind: moonshot
    base_url: {sim.base_url}
    {key_source}
    models: [kimi-k2.6]
""")
    return path


def details(out: str) -> list[tuple[str, str, str]]:
    return [(r["check"], r["reason"], r["detail"]) for r in json.loads(out)["results"]]


NOT_ASCII = "contains characters that are not ASCII (an API key is plain ASCII); keep only the key"
SPACES = "contains spaces; keep only the key itself, with no name or prefix before it"
FILE_CONTENTS = [
    (b"\xef\xbb\xbf" + KEY.encode() + b"\n",
     "starts with an invisible UTF-8 byte order mark (BOM); save it as UTF-8 without a BOM"),
    (f"{KEY}\n{SECOND}\n".encode(), "has more than one line; keep only the key, on one line"),
    (f"{KEY}\r\n\r\n{SECOND}".encode(), "has more than one line; keep only the key, on one line"),
    (f"{KEY}\x1b[0m\n".encode(), "contains control characters; keep only the key, on one line"),
    (f"{KEY}\tx\n".encode(), "contains control characters; keep only the key, on one line"),
    (f"{KEY}\u00e9\n".encode(), NOT_ASCII),
    (b"\xff\xfe" + KEY.encode("utf-16-le"),
     "is UTF-16 text (as PowerShell's `>` writes); save it as UTF-8 without a BOM"),
    (b"\xff" + KEY.encode(), NOT_ASCII),
    (f"MOONSHOT_API_KEY = {KEY}\n".encode(), SPACES),
    (b" \n\n", "is empty"),
    (KEY.encode() * 200, "is larger than 4 KiB, so it is not a key file; point api_key_file at a file that holds "
     "only the key"),
]


@pytest.mark.parametrize(("content", "problem"), FILE_CONTENTS, ids=[
    "bom", "two-lines", "crlf-lines", "escape", "tab", "non-ascii", "utf-16", "not-utf-8", "assignment", "blank",
    "too-large"])
def test_a_key_file_that_is_not_one_key(tmp_path: Path, sim: RunningSimulator, content: bytes,
                                        problem: str) -> None:
    (tmp_path / "kimi.key").write_bytes(content)
    config = write_config(tmp_path, sim, "api_key_file: kimi.key")
    result = kimicheck("probe", str(config), "--checks", "models,balance", "--format", "json")
    assert (result.code, result.err) == (1, "")
    detail = f"cannot read the key: key file kimi.key {problem}"
    assert details(result.out) == [("models", "auth_failed", detail), ("balance", "auth_failed", detail)]
    text = kimicheck("probe", str(config), "--checks", "models")
    assert f"FAIL    auth_failed  -     0.00s  {detail}\n" in text.out
    for shown in (result.out + result.err, text.out + text.err):
        assert KEY[7:] not in shown and SECOND[7:] not in shown
    assert sim.state.count() == 0


@pytest.mark.parametrize(("value", "problem"), [
    ("\ufeff" + KEY, "starts with an invisible UTF-8 byte order mark (BOM); save it as UTF-8 without a BOM"),
    (f"{KEY}\n{SECOND}", "has more than one line; keep only the key, on one line"),
    (f"{KEY}\x00", "contains control characters; keep only the key, on one line"),
    (f"Bearer {KEY}", SPACES),
    (" \n", "is unset or empty"),
], ids=["bom", "two-lines", "nul", "bearer", "blank"])
def test_a_key_variable_that_is_not_one_key(tmp_path: Path, sim: RunningSimulator, value: str, problem: str) -> None:
    config = write_config(tmp_path, sim, "api_key_env: SIM_KEY")
    result = kimicheck("probe", str(config), "--checks", "models", "--format", "json", environ={"SIM_KEY": value})
    assert (result.code, result.err) == (1, "")
    assert details(result.out) == [("models", "auth_failed", f"cannot read the key: environment variable SIM_KEY "
                                                             f"{problem}")]
    assert KEY[7:] not in result.out and SECOND[7:] not in result.out
    assert sim.state.count() == 0


def test_a_good_key_file_with_surrounding_blank_lines_still_works(tmp_path: Path, sim: RunningSimulator) -> None:
    (tmp_path / "kimi.key").write_text(f"\n  {KEY}  \r\n\n")
    result = kimicheck("probe", str(write_config(tmp_path, sim, "api_key_file: kimi.key")), "--checks", "models")
    assert (result.code, result.err) == (0, "")


def run_probe(config: Path) -> subprocess.CompletedProcess[str]:
    """`kimicheck probe CONFIG` in its own process, bounded in memory and time whatever the key file is."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))

    environ = {k: v for k, v in os.environ.items() if not k.startswith("KIMICHECK_")}
    return subprocess.run([sys.executable, "-m", "kimicheck", "probe", str(config), "--checks", "models",
                           "--format", "json"], capture_output=True, text=True, timeout=30, env=environ,
                          preexec_fn=limit, stdin=subprocess.DEVNULL, check=False)


@pytest.mark.slow
def test_a_key_file_on_dev_zero(tmp_path: Path, sim: RunningSimulator) -> None:
    result = run_probe(write_config(tmp_path, sim, "api_key_file: /dev/zero"))
    assert (result.returncode, result.stderr) == (1, "")
    assert details(result.stdout) == [("models", "auth_failed", "cannot read the key: key file /dev/zero is not a "
                                       "regular file (a device, pipe or socket); point api_key_file at a file that "
                                       "holds only the key")]


@pytest.mark.slow
def test_a_key_file_that_is_a_fifo(tmp_path: Path, sim: RunningSimulator) -> None:
    os.mkfifo(tmp_path / "kimi.key")
    result = run_probe(write_config(tmp_path, sim, "api_key_file: kimi.key"))
    assert (result.returncode, result.stderr) == (1, "")
    assert details(result.stdout) == [("models", "auth_failed", "cannot read the key: key file kimi.key is not a "
                                       "regular file (a device, pipe or socket); point api_key_file at a file that "
                                       "holds only the key")]
