"""Where the output cannot go: a full disk on stdout is reported plainly, and `--textfile` never replaces a
device or pipe (`/dev/stdout`) with a plain file. Real processes, as the failures only exist there."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kimicheck.cli import Streams, main
from kimicheck.sim import RunningSimulator

FULL = "kimicheck: cannot write the output: No space left on device\n"
NOT_REGULAR = ("it is not a regular file (a device, pipe or socket); give --textfile a file in node_exporter's "
               "textfile directory")
ROOT = Path(__file__).resolve().parents[2]


def run(*argv: str, stdout: int | object = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KIMICHECK_")}
    environ["SIM_KEY"] = "sk-sim-output-0000000000000000000001"
    return subprocess.run([sys.executable, "-m", "kimicheck", *argv], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, timeout=60, env=environ, stdin=subprocess.DEVNULL, check=False)


def sim_config(tmp_path: Path, sim: RunningSimulator) -> str:
    path = tmp_path / "kimicheck.yaml"
    path.write_text(f"""\
version: 1
providers:
  - name: sim
    kind: moonshot
    base_url: {sim.base_url}
    api_key_env: SIM_KEY
    models: [kimi-k2.6]
""")
    return str(path)


@pytest.mark.slow
@pytest.mark.parametrize("argv", [
    ["lint", str(ROOT / "configs" / "example.yaml")],
    ["lint", "--format", "json", str(ROOT / "configs" / "example.yaml")],
    ["rules"],
    ["--version"],
    ["--help"],
], ids=["lint", "lint-json", "rules", "version", "help"])
def test_a_full_disk_on_stdout_is_reported_plainly(argv: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = run(*argv, stdout=full)
    assert (result.returncode, result.stderr) == (2, FULL)


@pytest.mark.slow
def test_a_full_disk_under_probe_is_reported_plainly(tmp_path: Path, sim: RunningSimulator) -> None:
    with open("/dev/full", "w") as full:
        result = run("probe", sim_config(tmp_path, sim), "--checks", "models", stdout=full)
    assert (result.returncode, result.stderr) == (2, FULL)


@pytest.mark.slow
def test_textfile_onto_dev_stdout_is_refused(tmp_path: Path, sim: RunningSimulator) -> None:
    result = run("probe", sim_config(tmp_path, sim), "--checks", "models", "--textfile", "/dev/stdout")
    assert result.returncode == 1
    assert result.stderr == f"kimicheck probe: textfile not written: cannot write /dev/stdout: {NOT_REGULAR}\n"
    assert result.stdout.endswith("1 checks: 1 ok (0 with warnings), 0 failed\n")
    assert os.path.islink("/dev/stdout")


@pytest.mark.slow
def test_textfile_onto_a_link_to_a_device_is_refused(tmp_path: Path, sim: RunningSimulator) -> None:
    link = tmp_path / "kimicheck.prom"
    link.symlink_to("/dev/stdout")
    result = run("probe", sim_config(tmp_path, sim), "--checks", "models", "--textfile", str(link))
    assert (result.returncode, result.stderr) == (1, f"kimicheck probe: textfile not written: cannot write {link}: "
                                                     f"{NOT_REGULAR}\n")
    assert link.is_symlink()


class BrokenDisk(io.StringIO):
    """A stdout whose writes fail as a full disk or a failing device does."""

    def __init__(self, error: int) -> None:
        super().__init__()
        self.error = error

    def write(self, text: str) -> int:
        raise OSError(self.error, os.strerror(self.error))


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EIO, errno.EFBIG])
def test_every_write_error_on_stdout_is_reported_plainly_in_process(error: int) -> None:
    err = io.StringIO()
    code = main(["schema"], Streams(stdout=BrokenDisk(error), stderr=err, environ={}))  # type: ignore[arg-type]
    assert (code, err.getvalue()) == (2, f"kimicheck: cannot write the output: {os.strerror(error)}\n")
