"""`kimicheck serve` as a real subprocess: start, wait until it listens, scrape, signal, and always stop."""

import os
import re
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

KEY = "sk-sim-serve-0000000000000000000000"
_LISTENING = re.compile(r"listening on (\S+)")
_START_TIMEOUT = 20.0


def sim_config(base_url: str, *, models: str = "1h", balance: str = "1h", chat: str = "1h",
               budget: int = 2000, timeout: str = "5s", extra_providers: str = "", batch: bool = False,
               quality: bool = False) -> str:
    """A config with one simulator provider (its key in SIM_KEY) and a chat model (with `quality`: also the
    stream, tools and json checks)."""
    paid = "chat: true, stream: true, tools: true, json: true" if quality else "chat: true"
    return f"""\
version: 1
defaults:
  timeout: {timeout}
  intervals: {{models: {models}, balance: {balance}, chat: {chat}}}
  chat: {{max_tokens: 16, daily_token_budget: {budget}}}
providers:
  - name: sim
    kind: moonshot
    base_url: {base_url}
    api_key_env: SIM_KEY
    models: [kimi-k3, {{id: kimi-k2.6, {paid}}}]
    balance: {{warn_below: 10, critical_below: 2, currency: USD}}
    batch: {"true" if batch else "false"}
{extra_providers}"""


class Served:
    """A running `kimicheck serve` and what it printed."""

    def __init__(self, process: subprocess.Popen[str], lines: list[str], url: str) -> None:
        self.process = process
        self.lines = lines
        self.url = url

    @property
    def stderr(self) -> str:
        return "".join(self.lines)

    def signal(self, signum: signal.Signals) -> None:
        self.process.send_signal(signum)

    def wait_for_log(self, text: str, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.stderr:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not logged; stderr:\n{self.stderr}")
            time.sleep(0.02)


def wait_until(condition: Callable[[], bool], timeout: float = 15.0, what: str = "condition") -> None:
    """Poll `condition` until it holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def wait_ready(url: str, client: httpx.Client | None = None, timeout: float = 15.0) -> None:
    """Wait until `/ready` answers 200."""
    if client is None:
        with httpx.Client() as own:
            wait_ready(url, own, timeout)
        return
    wait_until(lambda: client.get(url + "/ready").status_code == 200, timeout, "/ready")


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of an exposition: (name, sorted labels) -> value."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(url: str, name: str, client: httpx.Client | None = None, **labels: str) -> float | None:
    """The value of one sample on `url`/metrics, or None when it is not there."""
    text = (client or httpx).get(url + "/metrics").text
    return samples(text).get((name, tuple(sorted(labels.items()))))


def _limit_files(count: int) -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (count, count))


@contextmanager
def serve(config: Path, *args: str, env: dict[str, str] | None = None,
          open_files: int | None = None) -> Iterator[Served]:
    """Run `kimicheck serve CONFIG --listen 127.0.0.1:0 ARGS` until the block ends (then SIGKILL if needed),
    with at most `open_files` descriptors (RLIMIT_NOFILE) when given."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KIMICHECK_")}
    environ.update({"SIM_KEY": KEY, **(env or {})})
    command: Sequence[str] = [sys.executable, "-m", "kimicheck", "serve", str(config), "--listen", "127.0.0.1:0",
                              *args]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                               env=environ, stdin=subprocess.DEVNULL,
                               preexec_fn=None if open_files is None else lambda: _limit_files(open_files))
    lines: list[str] = []
    assert process.stderr is not None
    stream = process.stderr
    reader = threading.Thread(target=lambda: lines.extend(iter(stream.readline, "")), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + _START_TIMEOUT
        url = None
        while url is None:
            found = _LISTENING.search("".join(lines))
            if found:
                url = found.group(1)
            elif process.poll() is not None or time.monotonic() > deadline:
                reader.join(timeout=2)
                raise AssertionError(f"kimicheck serve did not start (exit {process.poll()}):\n{''.join(lines)}")
            else:
                time.sleep(0.02)
        yield Served(process, lines, url)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        reader.join(timeout=5)
        stream.close()
