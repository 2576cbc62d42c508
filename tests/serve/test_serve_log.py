"""`kimicheck serve`'s log: one record per line, whatever a provider puts in its error messages."""

from __future__ import annotations

import re
import signal
from pathlib import Path

import pytest

from kimicheck.sim import Fault, SimState, serve_in_thread

from .process import KEY, serve, sim_config

#: starts `kimicheck serve` as a real process
pytestmark = pytest.mark.slow

_RECORD = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) (.*)")


def test_provider_escapes_and_line_breaks_stay_out_of_the_log(tmp_path: Path) -> None:
    state = SimState.default()
    state.faults.append(Fault.model_validate({
        "kind": "status", "status": 400, "endpoint": "models", "error_type": "bad\nrequest",
        "message": f"\x1b[31mred\n2030-01-01 00:00:00,000 INFO forged\r record for {KEY}\x1b[0m\x07",
    }))
    config = tmp_path / "kimicheck.yaml"
    with serve_in_thread(state, port=0) as sim:
        config.write_text(sim_config(sim.base_url), encoding="utf-8")
        with serve(config) as served:
            served.wait_for_log("sim models failed")
            served.signal(signal.SIGTERM)
            served.wait_for_log("stopped")
            log = served.stderr
    records = [_RECORD.fullmatch(line) for line in log.splitlines()]
    assert all(records), log
    failed = [match.group(0)[24:] for match in records if match and "models failed" in match.group(2)]
    assert failed == [
        "WARNING sim models failed: bad_request: HTTP 400 bad request: \ufffd[31mred 2030-01-01 00:00:00,000 INFO "
        "forged record for [REDACTED]\ufffd[0m\ufffd"
    ]
    assert "\x1b" not in log and "\r" not in log and KEY not in log
