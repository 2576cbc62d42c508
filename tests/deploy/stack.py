"""The real monitoring stack for the end-to-end test: Prometheus, Alertmanager and a webhook receiver, all
on loopback with free ports, each torn down when its block ends."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import yaml
from prometheus_client.parser import text_string_to_metric_families

from kimicheck.durations import parse_duration
from kimicheck.providers import SHIPPED_CATALOG

_FOR = re.compile(r"^(\s*for:\s*)(\S+)\s*$", re.M)


def free_port() -> int:
    """A TCP port that was free a moment ago (for binaries that cannot report the port they bound)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `condition` until it holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.1)


def shortened_rules(text: str, *, evaluation_seconds: float) -> str:
    """The rule file with every `for:` duration shortened 240 times (ten minutes become 2.5 seconds), never to
    less than two rule evaluations; nothing else changes. Each still spans several of the test's evaluations."""

    def shorten(match: re.Match[str]) -> str:
        seconds = max(2 * evaluation_seconds, parse_duration(match.group(2)) / 240)
        return f"{match.group(1)}{round(seconds * 1000)}ms"

    return _FOR.sub(shorten, text)


class Webhook:
    """What Alertmanager delivered: every alert of every notification, in order."""

    def __init__(self) -> None:
        self.alerts: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def add(self, payload: dict[str, Any]) -> None:
        with self._lock:
            self.alerts.extend(payload.get("alerts", []))

    def firing(self, alertname: str) -> list[dict[str, str]]:
        """The label sets of the firing notifications of `alertname` received so far."""
        with self._lock:
            return [
                a["labels"] for a in self.alerts if a["status"] == "firing" and a["labels"]["alertname"] == alertname
            ]

    def names(self) -> set[str]:
        with self._lock:
            return {a["labels"]["alertname"] for a in self.alerts}


@contextmanager
def webhook_receiver() -> Iterator[tuple[Webhook, str]]:
    """A webhook receiver on loopback: (what it received, its URL)."""
    received = Webhook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            received.add(json.loads(self.rfile.read(length)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield received, f"http://127.0.0.1:{server.server_address[1]}/alerts"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def running(command: list[str], log: Path, ready_url: str, what: str) -> Iterator[subprocess.Popen[bytes]]:
    """Run `command` (output to `log`) until the block ends; wait until `ready_url` answers 200."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:

            def ready() -> bool:
                if process.poll() is not None:
                    raise AssertionError(f"{what} exited {process.returncode}:\n{log.read_text(errors='replace')}")
                try:
                    return httpx.get(ready_url, timeout=1).status_code == 200
                except httpx.TransportError:
                    return False

            wait_until(ready, 30, f"{what} to be ready")
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@contextmanager
def alertmanager(binary: str, workdir: Path, webhook_url: str, port: int) -> Iterator[str]:
    """Alertmanager on `port` routing every alert to `webhook_url` within 200 ms; yields its URL."""
    config = {
        "route": {
            "receiver": "test",
            "group_by": ["alertname", "provider"],
            "group_wait": "200ms",
            "group_interval": "200ms",
            "repeat_interval": "1h",
        },
        "receivers": [{"name": "test", "webhook_configs": [{"url": webhook_url, "send_resolved": True}]}],
    }
    path = workdir / "alertmanager.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    url = f"http://127.0.0.1:{port}"
    command = [
        binary,
        f"--config.file={path}",
        f"--storage.path={workdir / 'alertmanager-data'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--cluster.listen-address=",
    ]
    with running(command, workdir / "alertmanager.log", url + "/-/ready", "alertmanager"):
        yield url


#: the shortest scrape interval (and so scrape timeout) the alerting test gives Prometheus
MIN_SCRAPE_SECONDS = 1.0


@contextmanager
def prometheus(binary: str, workdir: Path, target: str, alertmanager: str, interval: float) -> Iterator[str]:
    """Prometheus scraping `target` as job "kimicheck" (at most once a second) and evaluating rules every
    `interval` seconds, alerting `alertmanager` (host:port), with no rules until `load_rules`; yields its URL.

    Prometheus 2.x hands new scrape targets over only every five seconds, so its first scrape comes five
    seconds after it starts whatever the interval: start it first, while the rest of the stack starts."""
    (workdir / "alerts.yml").write_text("groups: []\n", encoding="utf-8")
    every = f"{round(interval * 1000)}ms"
    # A scrape may take no longer than the scrape interval, and one that times out marks every series stale,
    # which `absent()` rules see at once: on a busy machine a sub-second timeout fails the healthy phase.
    scrape_every = f"{round(max(interval, MIN_SCRAPE_SECONDS) * 1000)}ms"
    config = {
        "global": {"scrape_interval": scrape_every, "scrape_timeout": scrape_every, "evaluation_interval": every},
        "rule_files": ["alerts.yml"],
        "alerting": {"alertmanagers": [{"static_configs": [{"targets": [alertmanager]}]}]},
        "scrape_configs": [{"job_name": "kimicheck", "static_configs": [{"targets": [target]}]}],
    }
    path = workdir / "prometheus.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        binary,
        f"--config.file={path}",
        f"--storage.tsdb.path={workdir / 'prometheus-data'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--web.enable-lifecycle",
    ]
    with running(command, workdir / "prometheus.log", url + "/-/ready", "prometheus"):
        yield url


def load_rules(url: str, workdir: Path, rules: str) -> None:
    """Give the Prometheus at `url` (started by `prometheus`) the rule file `rules`, and wait until it has it.

    Loaded only once the targets are scraped, as in a deployment that has run for a while: rules loaded at
    start would see no kimicheck metric at all until the first scrape (and `absent()` would fire)."""
    (workdir / "alerts.yml").write_text(rules, encoding="utf-8")
    httpx.post(url + "/-/reload", timeout=10).raise_for_status()
    wanted = len(yaml.safe_load(rules)["groups"])
    wait_until(lambda: len(rule_groups(url)) == wanted, 30, "prometheus to load the rules")


def rule_groups(url: str) -> list[dict[str, Any]]:
    """The rule groups of the Prometheus at `url`, each with its rules and their states."""
    response = httpx.get(url + "/api/v1/rules", timeout=10)
    response.raise_for_status()
    return response.json()["data"]["groups"]  # type: ignore[no-any-return]


def evaluated_since(url: str, moment: float) -> bool:
    """Whether every rule group of the Prometheus at `url` has finished an evaluation that started after
    `moment` (a Unix time): its own /metrics says when each group's last evaluation started."""
    text = httpx.get(url + "/metrics", timeout=10).text
    starts = [
        sample.value
        for family in text_string_to_metric_families(text)
        if family.name == "prometheus_rule_group_last_evaluation_timestamp_seconds"
        for sample in family.samples
    ]
    return bool(starts) and min(starts) > moment


def instant(url: str, expr: str) -> list[dict[str, Any]]:
    """The result of an instant PromQL query."""
    response = httpx.get(url + "/api/v1/query", params={"query": expr}, timeout=10)
    response.raise_for_status()
    return response.json()["data"]["result"]  # type: ignore[no-any-return]


def ranged(url: str, expr: str, start: float, end: float) -> list[dict[str, Any]]:
    """The result of a range PromQL query at a 1s step."""
    params = {"query": expr, "start": str(start), "end": str(end), "step": "1"}
    response = httpx.get(url + "/api/v1/query_range", params=params, timeout=10)
    response.raise_for_status()
    return response.json()["data"]["result"]  # type: ignore[no-any-return]


def far_retirement_catalog(tmp_path: Path) -> Path:
    """The shipped catalog with a retirement date for kimi-k2.6 far beyond any alert, so the dashboard's
    retirement panel has data while KimicheckModelRetiringSoon stays inactive."""
    data = yaml.safe_load(SHIPPED_CATALOG.read_text(encoding="utf-8"))
    for entry in data["kinds"]["moonshot"]["models"]:
        if entry["id"] == "kimi-k2.6":
            entry["retires_on"] = "2099-12-31"
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path
