"""`kimicheck serve --log-format json`: every line it writes is one JSON object with the stable keys, its text
redacted, a provider's escapes kept as JSON escapes; and in either format every line, uvicorn's own warnings
included, goes through kimicheck's formatter."""

from __future__ import annotations

import json
import re
import signal
import socket
import time
from pathlib import Path

import pytest

from kimicheck.serve.logs import JSON_KEYS
from kimicheck.sim import Fault, SimState, serve_in_thread

from .process import KEY, Served, serve, sim_config

#: starts `kimicheck serve` as a real process
pytestmark = pytest.mark.slow

CANARY = "sk-sim-CANARY-logs-7c2e9a4b1d3f5e6a8b0c"
_TEXT_RECORD = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) .*")


def _hostile_models_fault() -> Fault:
    return Fault.model_validate({
        "kind": "status", "status": 400, "endpoint": "models", "error_type": "bad\nrequest",
        "message": f"\x1b[31mred\n2030-01-01 00:00:00,000 INFO forged\r record for {CANARY}\x1b[0m\x07",
    })


def _send_garbage(url: str) -> None:
    """A request uvicorn cannot parse, which it logs as a warning of its own."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(b"NOT HTTP \x00\x01\r\n\r\n")
        conn.recv(1024)


def _run(tmp_path: Path, *args: str) -> str:
    """serve with a provider answering a hostile error, sent a malformed request, stopped; its stderr."""
    state = SimState.default()
    state.faults.append(_hostile_models_fault())
    config = tmp_path / "kimicheck.yaml"
    with serve_in_thread(state, port=0) as sim:
        config.write_text(sim_config(sim.base_url), encoding="utf-8")
        served: Served
        with serve(config, "--log-level", "debug", *args, env={"SIM_KEY": CANARY}) as served:
            served.wait_for_log("sim models failed")
            _send_garbage(served.url)
            served.wait_for_log("Invalid HTTP request")
            time.sleep(0.1)
            served.signal(signal.SIGTERM)
            served.wait_for_log("stopped")
            assert served.process.wait(timeout=10) == 0
            return served.stderr


def test_json_logs_are_one_object_a_line_with_stable_keys_and_no_key(tmp_path: Path) -> None:
    log = _run(tmp_path, "--log-format", "json")
    assert CANARY not in log and "CANARY" not in log and KEY not in log
    assert "\x1b" not in log and "\r" not in log and log.isascii()
    records = [json.loads(line) for line in log.splitlines()]
    assert all(isinstance(record, dict) and tuple(record)[:4] == JSON_KEYS for record in records), log
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", record["ts"]) for record in records)
    failed = [record for record in records if "models failed" in record["msg"]]
    assert failed == [{
        "ts": failed[0]["ts"], "level": "WARNING", "logger": "kimicheck.serve",
        # the probe's detail has its whitespace folded already; the escapes stay, as data
        "msg": "sim models failed: bad_request: HTTP 400 bad\nrequest: \x1b[31mred 2030-01-01 00:00:00,000 INFO "
               "forged record for [REDACTED]\x1b[0m\x07",
        "check": "models", "provider": "sim", "reason": "bad_request",
    }]
    assert 'HTTP 400 bad\\nrequest: \\u001b[31mred 2030-01-01 00:00:00,000 INFO forged record for [REDACTED]' \
           '\\u001b[0m\\u0007' in log
    messages = [(record["level"], record["logger"], record["msg"]) for record in records]
    assert ("WARNING", "uvicorn.error", "Invalid HTTP request received.") in messages
    assert messages[-1] == ("INFO", "kimicheck.serve", "stopped")
    assert messages[0][2].startswith("listening on http://127.0.0.1:")


def test_text_logs_put_uvicorn_warnings_through_the_same_formatter(tmp_path: Path) -> None:
    log = _run(tmp_path)
    assert CANARY not in log and "\x1b" not in log
    assert all(_TEXT_RECORD.fullmatch(line) for line in log.splitlines()), log
    assert re.search(r"^\S+ \S+ WARNING Invalid HTTP request received\.$", log, re.M)
