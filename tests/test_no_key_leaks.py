"""`kimicheck serve` never shows a key: not in its output, its metrics, its health answers or a reload answer.

The simulator answers with every failure it can produce, several of them echoing the key back (in error
messages, bodies and a redirect target), while serve runs with debug logging and a recognisable key.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from kimicheck.sim import Fault, SimState, serve_in_thread
from tests.serve.process import sim_config, wait_until

CANARY = "sk-sim-CANARY-serve-5e1d9b7c3a2f4e6d8b0a"
ECHOING_FAULTS: list[dict[str, Any]] = [
    {"kind": "status", "status": 401, "message": f"Incorrect API key provided: {CANARY}"},
    {"kind": "status", "status": 429, "error_type": "exceeded_current_quota_error",
     "message": f"org-abcdef123456<ak-abcdef123456> key {CANARY} suspended"},
    {"kind": "status", "status": 403, "message": f"key {CANARY} may not call this endpoint"},
    {"kind": "status", "status": 404, "message": f"Not found the model for key {CANARY}"},
    {"kind": "status", "status": 500, "message": f"upstream rejected Bearer {CANARY}"},
    {"kind": "html", "status": 502, "body": f"<html><body>Bad gateway for {CANARY}</body></html>"},
    {"kind": "non_json", "body": f"Bearer {CANARY}"},
    {"kind": "wrong_shape", "body": f'{{"key": "{CANARY}"}}'},
    {"kind": "redirect", "location": f"http://u:{CANARY}@127.0.0.2:9/v1/models?key={CANARY}"},
    {"kind": "truncated_json"},
    {"kind": "reset"},
    {"kind": "hang", "seconds": 2},
    {"kind": "drip", "seconds": 0.2},
]
_START_TIMEOUT = 20.0


@dataclass
class Output:
    """What a subprocess wrote, read by background threads."""

    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)


@contextmanager
def serve_capturing(config: Path) -> Iterator[tuple[str, subprocess.Popen[str], Output]]:
    """`kimicheck serve CONFIG --log-level debug` with the canary key, capturing stdout and stderr."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KIMICHECK_")}
    environ["SIM_KEY"] = CANARY
    process = subprocess.Popen(
        [sys.executable, "-m", "kimicheck", "serve", str(config), "--listen", "127.0.0.1:0", "--log-level", "debug"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, env=environ,
    )
    assert process.stdout is not None and process.stderr is not None
    output = Output()
    readers = [threading.Thread(target=lambda s=stream, into=into: into.extend(iter(s.readline, "")), daemon=True)
               for stream, into in ((process.stdout, output.stdout), (process.stderr, output.stderr))]
    for reader in readers:
        reader.start()
    try:
        deadline = time.monotonic() + _START_TIMEOUT
        url = None
        while url is None:
            for line in list(output.stderr):
                if "listening on " in line:
                    url = line.split("listening on ", 1)[1].split()[0]
            if url is None:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"kimicheck serve did not start:\n{''.join(output.stderr)}")
                time.sleep(0.02)
        yield url, process, output
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        for reader in readers:
            reader.join(timeout=5)
        process.stdout.close()
        process.stderr.close()


@pytest.mark.slow
def test_serve_never_shows_the_key(tmp_path: Path) -> None:
    state = SimState.default()
    state.faults.extend(Fault.model_validate({**spec, "times": 1}) for spec in ECHOING_FAULTS)
    with serve_in_thread(state, port=0) as sim:
        config = tmp_path / "kimicheck.yaml"
        good = sim_config(sim.base_url, models="300ms", balance="300ms", chat="300ms", timeout="300ms")
        config.write_text(good)
        shown: list[str] = []
        with serve_capturing(config) as (url, process, output), httpx.Client() as client:
            wait_until(lambda: all(f.fired for f in state.faults), timeout=60, what="every fault to fire")
            wait_until(lambda: client.get(url + "/ready").status_code == 200, what="/ready")
            for path in ("/metrics", "/healthz", "/ready"):
                shown.append(client.get(url + path).text)
            reloaded = client.post(url + "/-/reload")
            assert reloaded.text == "config reloaded\n"
            shown.append(reloaded.text)
            # a config with the key pasted into it: the refusal must not quote it
            config.write_text(good.replace("api_key_env: SIM_KEY", f"api_key: {CANARY}"))
            refused = client.post(url + "/-/reload")
            assert refused.status_code == 500
            shown.append(refused.text)
            shown.append(client.get(url + "/metrics").text)
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=10) == 0
    assert sim.state.count(key=CANARY) >= len(ECHOING_FAULTS)
    shown += ["".join(output.stdout), "".join(output.stderr)]
    assert "config not reloaded" in shown[-4]
    assert "kimicheck_probe_failures_total" in shown[0]
    for text in shown:
        assert CANARY not in text
        assert "CANARY" not in text
