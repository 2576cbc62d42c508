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

from kimicheck.durations import parse_duration

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


def shortened_rules(text: str) -> str:
    """The rule file with every `for:` duration shortened 120 times (ten minutes become five seconds, never less
    than one); nothing else changes. Each still spans several of the test's one-second rule evaluations."""

    def shorten(match: re.Match[str]) -> str:
        seconds = max(1, round(parse_duration(match.group(2)) / 120))
        return f"{match.group(1)}{seconds}s"

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
def alertmanager(binary: str, workdir: Path, webhook_url: str) -> Iterator[str]:
    """Alertmanager routing every alert to `webhook_url` without delay; yields its URL."""
    config = {
        "route": {
            "receiver": "test",
            "group_by": ["alertname", "provider"],
            "group_wait": "1s",
            "group_interval": "1s",
            "repeat_interval": "1h",
        },
        "receivers": [{"name": "test", "webhook_configs": [{"url": webhook_url, "send_resolved": True}]}],
    }
    path = workdir / "alertmanager.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    port = free_port()
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


@contextmanager
def prometheus(binary: str, workdir: Path, rules: str, target: str, alertmanager_url: str) -> Iterator[str]:
    """Prometheus scraping `target` as job "kimicheck" every second with `rules`; yields its URL."""
    (workdir / "alerts.yml").write_text(rules, encoding="utf-8")
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": ["alerts.yml"],
        "alerting": {"alertmanagers": [{"static_configs": [{"targets": [alertmanager_url.split("//")[1]]}]}]},
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
    ]
    with running(command, workdir / "prometheus.log", url + "/-/ready", "prometheus"):
        yield url


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
