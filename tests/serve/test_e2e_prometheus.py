"""The real Prometheus scrapes `kimicheck serve` and a Pushgateway fed by `kimicheck probe --pushgateway`."""

import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from kimicheck.metrics.contract import CONTRACT
from kimicheck.sim import RunningSimulator, SimState, serve_in_thread
from kimicheck.sim.batches import BatchBook, SimBatch
from kimicheck.sim.ratelimit import RateLimitHeaders
from tests.commands.clirun import kimicheck
from tests.deploy.stack import far_retirement_catalog, free_port, instant, running, wait_until
from tests.metrics.binaries import require
from tests.serve.process import KEY, serve, sim_config, wait_ready

pytestmark = pytest.mark.e2e

REVOKED_KEY = "sk-sim-serve-revoked-00000000000000"


@contextmanager
def prometheus(workdir: Path, scrape_configs: list[dict[str, object]]) -> Iterator[str]:
    """Prometheus scraping every second; yields its URL."""
    binary = require("prometheus")
    path = workdir / "prometheus.yml"
    path.write_text(yaml.safe_dump({"global": {"scrape_interval": "1s"}, "scrape_configs": scrape_configs}))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [binary, f"--config.file={path}", f"--storage.tsdb.path={workdir / 'data'}",
               f"--web.listen-address=127.0.0.1:{port}"]
    with running(command, workdir / "prometheus.log", url + "/-/ready", "prometheus"):
        yield url


@dataclass(frozen=True)
class Stack:
    """One Prometheus for the module (it takes seconds to scrape a new target): what it scrapes, and its URL."""

    url: str
    sim: RunningSimulator
    #: `kimicheck serve` on a healthy key, scraped as job "kimicheck"
    healthy: str
    #: `kimicheck serve` on a revoked key
    failing: str
    gateway_url: str


def target(url: str) -> str:
    return url.removeprefix("http://")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("e2e-prometheus")
    gateway = require("prometheus-pushgateway")
    port = free_port()
    gateway_url = f"http://127.0.0.1:{port}"
    with ExitStack() as stack:
        sim = stack.enter_context(serve_in_thread(SimState.default(), port=0))
        sim.state.account(REVOKED_KEY).revoked = True
        # a provider that announces its rate limits, so every family of the contract has a series
        sim.state.account(KEY).ratelimit = RateLimitHeaders(requests_limit=200, requests_remaining=180)
        sim.state.account(KEY).batch_api = BatchBook(batches=[SimBatch()], files=1, file_bytes=100)
        config = workdir / "kimicheck.yaml"
        config.write_text(sim_config(sim.base_url, batch=True, quality=True, budget=20000))
        # a configured model with a (far) retirement date, so the catalog's families have a series too
        healthy = stack.enter_context(serve(config, "--catalog", str(far_retirement_catalog(workdir))))
        failing = stack.enter_context(serve(config, env={"SIM_KEY": REVOKED_KEY}))
        for served in (healthy, failing):
            wait_ready(served.url)
        command = [gateway, f"--web.listen-address=127.0.0.1:{port}"]
        stack.enter_context(running(command, workdir / "pushgateway.log", gateway_url + "/-/ready", "pushgateway"))
        url = stack.enter_context(prometheus(workdir, [
            {"job_name": "kimicheck", "static_configs": [{"targets": [target(healthy.url)]}]},
            {"job_name": "kimicheck-failing", "static_configs": [{"targets": [target(failing.url)]}]},
            {"job_name": "pushgateway", "honor_labels": True, "static_configs": [{"targets": [target(gateway_url)]}]},
        ]))
        yield Stack(url, sim, target(healthy.url), target(failing.url), gateway_url)


def test_prometheus_scrapes_every_metric_family_from_serve(stack: Stack) -> None:
    url, serve_target = stack.url, f'instance="{stack.healthy}"'
    wait_until(lambda: bool(instant(url, 'up{job="kimicheck"} == 1')), 30, "the first scrape")
    # a healthy account fails nothing, so the failure counter has its own test below
    # a histogram is stored as its _bucket, _sum and _count series
    names = [m.name + ("_count" if m.type == "histogram" else "") for m in CONTRACT]
    missing = [name for name in names if name != "kimicheck_probe_failures_total"
               and not instant(url, f"{name}{{{serve_target}}}")]
    assert missing == []
    labels = instant(url, f'kimicheck_balance{{type="available",{serve_target}}}')[0]["metric"]
    assert (labels["provider"], labels["currency"], labels["job"]) == ("sim", "USD", "kimicheck")


def test_prometheus_scrapes_the_process_metrics_of_serve(stack: Stack) -> None:
    serve_target = f'instance="{stack.healthy}"'
    wait_until(lambda: bool(instant(stack.url, f"process_resident_memory_bytes{{{serve_target}}} > 0")), 30,
               "the process metrics")
    for name in ("process_cpu_seconds_total", "process_open_fds", "process_start_time_seconds"):
        assert instant(stack.url, f"{name}{{{serve_target}}}"), name


def test_failures_reach_prometheus(stack: Stack) -> None:
    query = f'kimicheck_probe_failures_total{{check="models",reason="auth_failed",instance="{stack.failing}"}}'
    wait_until(lambda: bool(instant(stack.url, query)), 30, "the failure counter")


def test_pushgateway_receives_a_probe_run_and_prometheus_reads_it(stack: Stack, tmp_path: Path) -> None:
    config = tmp_path / "kimicheck.yaml"
    config.write_text(sim_config(stack.sim.base_url))
    result = kimicheck("probe", str(config), "--pushgateway", stack.gateway_url, "--job", "kimicheck-cron",
                       environ={"SIM_KEY": KEY})
    assert (result.code, result.err) == (0, "")
    url = stack.url
    query = 'kimicheck_probe_success{job="kimicheck-cron",check="chat"}'
    wait_until(lambda: bool(instant(url, query)), 30, "the pushed metrics")
    (series,) = instant(url, query)
    assert series["value"][1] == "1"
    assert series["metric"].get("instance", "") == ""  # no instance in the grouping key
    assert instant(url, 'push_time_seconds{job="kimicheck-cron"}')


def test_promtool_accepts_the_textfile(tmp_path: Path) -> None:
    promtool = require("promtool")
    with serve_in_thread(SimState.default(), port=0) as sim:
        config = tmp_path / "kimicheck.yaml"
        config.write_text(sim_config(sim.base_url))
        target = tmp_path / "kimicheck.prom"
        assert kimicheck("probe", str(config), "--textfile", str(target), environ={"SIM_KEY": KEY}).code == 0
        done = subprocess.run([promtool, "check", "metrics"], input=target.read_bytes(), capture_output=True,
                              timeout=30, check=False)
        assert (done.returncode, done.stdout + done.stderr) == (0, b"")
