"""`kimicheck probe --textfile / --pushgateway` against the simulator: results printed, export failures exit 1."""

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kimicheck.sim import RunningSimulator, SimState, serve_in_thread
from tests.commands.clirun import kimicheck
from tests.metrics.binaries import promtool_problems
from tests.serve.process import KEY, sim_config


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSimulator]:
    with serve_in_thread(SimState.default(), port=0) as running:
        yield running


@pytest.fixture
def config(tmp_path: Path, sim: RunningSimulator) -> Path:
    path = tmp_path / "kimicheck.yaml"
    path.write_text(sim_config(sim.base_url))
    return path


def run(*argv: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = kimicheck(*argv, environ={"SIM_KEY": KEY, **(env or {})})
    return result.code, result.out, result.err


def test_textfile(config: Path, tmp_path: Path) -> None:
    target = tmp_path / "kimicheck.prom"
    code, out, err = run("probe", str(config), "--textfile", str(target))
    assert (code, err) == (0, "")
    assert "sim" in out
    data = target.read_bytes()
    assert promtool_problems(data) == ""
    values = {
        (s.name, s.labels.get("check")): s.value
        for family in text_string_to_metric_families(data.decode())
        for s in family.samples
        if s.name == "kimicheck_probe_success"
    }
    assert values == {
        ("kimicheck_probe_success", "models"): 1.0,
        ("kimicheck_probe_success", "balance"): 1.0,
        ("kimicheck_probe_success", "chat"): 1.0,
    }


def test_a_textfile_that_cannot_be_written_exits_1_after_the_results(config: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "kimicheck.prom"
    code, out, err = run("probe", str(config), "--textfile", str(target))
    assert code == 1
    assert "sim" in out
    assert err == f"kimicheck probe: textfile not written: cannot write {target}: No such file or directory\n"


def test_an_unreachable_pushgateway_exits_1_after_the_results(config: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    code, out, err = run("probe", str(config), "--pushgateway", f"http://127.0.0.1:{port}")
    assert code == 1
    assert "sim" in out
    url = f"http://127.0.0.1:{port}"
    assert err == f"kimicheck probe: push failed: cannot reach the Pushgateway at {url} (ConnectError)\n"


def test_credentials_are_not_pushed_over_plain_http_to_a_remote_host(config: Path) -> None:
    # refused before any connection: the probe results still print, the exit code says the push failed
    env = {"KIMICHECK_PUSHGATEWAY_USERNAME": "ops", "KIMICHECK_PUSHGATEWAY_PASSWORD": "s3cret"}
    code, out, err = run("probe", str(config), "--pushgateway", "http://pushgateway.monitoring.svc:9091", env=env)
    assert code == 1
    assert "sim" in out
    assert err == (
        "kimicheck probe: push failed: the Pushgateway URL 'http://pushgateway.monitoring.svc:9091' uses plain "
        "http to a non-loopback host, which would send the KIMICHECK_PUSHGATEWAY_USERNAME credentials in clear "
        "text: use https://\n"
    )


def test_job_without_pushgateway_is_a_usage_error(config: Path) -> None:
    assert run("probe", str(config), "--job", "x") == (
        2, "", "kimicheck probe: error: --job names the Pushgateway group: use it with --pushgateway URL\n"
    )
