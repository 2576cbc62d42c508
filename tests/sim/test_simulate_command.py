"""`kimicheck simulate` as users run it: a real process, its first line, signals, and its errors."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.commands.clirun import kimicheck
from tests.sim.processes import SimulateProcesses, read_line, simulate_processes

# `kimicheck simulate` as real processes
pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")]


@pytest.fixture
def sims() -> Iterator[SimulateProcesses]:
    """`kimicheck simulate` processes, killed and reaped after the test whatever its outcome."""
    with simulate_processes() as processes:
        yield processes


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_serving(base_url: str, process: subprocess.Popen[str]) -> httpx.Response:
    """The first answer of `GET /models`, once the process listens (at most 15 s)."""
    deadline = time.monotonic() + 15
    while True:
        try:
            return httpx.get(f"{base_url}/models", headers={"Authorization": "Bearer sk-test-cli-0000000000"})
        except httpx.ConnectError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def run(*argv: str) -> tuple[int, str, str]:
    result = kimicheck(*argv)
    return result.code, result.out, result.err


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_prints_the_base_url_first_serves_and_exits_cleanly_on_signal(sims: SimulateProcesses, signum: int) -> None:
    process = sims.start("--listen", "127.0.0.1:0")
    base_url = read_line(process).strip()
    control = read_line(process)
    assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/v1")
    assert control.startswith(f"control API: {base_url.removesuffix('/v1')}/_sim (header X-Kimicheck-Sim-Token: ")
    models = httpx.get(f"{base_url}/models", headers={"Authorization": "Bearer sk-test-cli-0000000000"})
    assert models.status_code == 200
    process.send_signal(signum)
    assert process.wait(timeout=15) == 0
    assert process.stderr is not None and process.stderr.read() == ""


def test_a_closed_stdout_keeps_it_serving_and_it_exits_quietly(sims: SimulateProcesses) -> None:
    """`kimicheck simulate | head -1`: the reader is gone before the URLs are written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    port = free_port()
    try:
        process = sims.start("--listen", f"127.0.0.1:{port}", stdout=write_end)
    finally:
        os.close(write_end)
    assert wait_serving(f"http://127.0.0.1:{port}/v1", process).status_code == 200
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0
    assert process.stderr is not None and process.stderr.read() == ""


def test_serves_the_example_scenario(sims: SimulateProcesses) -> None:
    example = Path(__file__).parents[2] / "kimicheck" / "data" / "simulator-scenario.yaml"
    process = sims.start("--scenario", str(example))
    base_url = read_line(process).strip()
    healthy = httpx.get(f"{base_url}/users/me/balance",
                        headers={"Authorization": "Bearer sk-sim-healthy-0000000000000000"})
    assert healthy.json()["data"]["available_balance"] == 49.58894
    unknown = httpx.get(f"{base_url}/models", headers={"Authorization": "Bearer sk-test-not-in-the-scenario"})
    assert unknown.status_code == 401


def test_example_scenario_prints_the_packaged_example_which_serves(sims: SimulateProcesses, tmp_path: Path) -> None:
    code, out, err = run("simulate", "--example-scenario")
    example = Path(__file__).parents[2] / "kimicheck" / "data" / "simulator-scenario.yaml"
    assert (code, out, err) == (0, example.read_text(encoding="utf-8"), "")
    assert out.startswith("# An example scenario for kimicheck simulate.\n")
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(out.replace("cash: 0.5", "cash: 0.25"), encoding="utf-8")
    base_url = read_line(sims.start("--scenario", str(scenario))).strip()
    low = httpx.get(f"{base_url}/users/me/balance", headers={"Authorization": "Bearer sk-sim-low-000000000000000000"})
    assert low.json()["data"]["available_balance"] == 0.25


def test_example_scenario_into_a_closed_pipe_exits_quietly() -> None:
    """`kimicheck simulate --example-scenario | head -1`: the reader may be gone before the text is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run([sys.executable, "-m", "kimicheck", "simulate", "--example-scenario"],
                                stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=60, check=False)
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (0, "")


def test_example_scenario_and_scenario_exclude_each_other() -> None:
    code, out, err = run("simulate", "--example-scenario", "--scenario", "mine.yaml")
    assert (code, out) == (2, "")
    assert err.startswith("kimicheck simulate: error: argument --scenario: not allowed with argument "
                          "--example-scenario\n")


def test_bad_scenario_is_one_line_with_position_and_exit_2(tmp_path: Path) -> None:
    scenario = tmp_path / "bad.yaml"
    scenario.write_text("accounts:\n  - key: sk-test-a\n    cash: lots\n")
    assert run("simulate", "--scenario", str(scenario)) == (
        2, "", f"kimicheck simulate: error: {scenario}:3:5: accounts[0].cash: must be a number, e.g. 20 or 20.5 "
        "(got 'lots')\n")


@pytest.mark.parametrize("listen", ["0.0.0.0:0", "192.0.2.1:8080"])
def test_refuses_a_non_loopback_listen_address(listen: str) -> None:
    host = listen.rsplit(":", 1)[0]
    assert run("simulate", "--listen", listen) == (
        2, "", f"kimicheck simulate: error: refusing to listen on {host}, which is not a loopback address "
        "(add --allow-remote)\n")


@pytest.mark.parametrize("listen", ["localhost", "127.0.0.1:http", "127.0.0.1:70000"])
def test_bad_listen_address(listen: str) -> None:
    assert run("simulate", "--listen", listen) == (
        2, "", f"kimicheck simulate: error: --listen {listen!r} is not HOST:PORT (for example 127.0.0.1:0)\n")


def test_lint_does_not_import_the_simulator() -> None:
    code = "import sys; from kimicheck.cli import main; main(['lint', '--help']); print('kimicheck.sim' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_a_port_in_use_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run("simulate", "--listen", f"127.0.0.1:{port}") == (
            2, "", f"kimicheck simulate: error: cannot listen on 127.0.0.1:{port}: Address already in use\n")
