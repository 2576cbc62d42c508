"""Hostile numbers and JSON from a provider, end to end over loopback against the simulator.

A balance of `1e999999999` once ran `kimicheck probe` past its timeout into MemoryError; usage below zero
lowered the spend. Each ends as `invalid_response`, within the timeout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from kimicheck.probe.result import Check, Reason
from kimicheck.sim import Fault, RunningSimulator

from .test_against_simulator import KEY, TIMEOUT, run

OUT_OF_RANGE = ("the balance answer has an out-of-range available_balance (more than 20 digits before the point "
                "or 18 after it)")


def balance_body(amount: str) -> str:
    return ('{"code": 0, "status": true, "scode": "0x0", "data": {"available_balance": ' + amount
            + ', "voucher_balance": 0, "cash_balance": 0}}')


def fault(sim: RunningSimulator, **spec: Any) -> None:
    sim.state.faults.append(Fault.model_validate(spec))


@pytest.mark.parametrize("amount", ["1e999999999", '"1e999999999"', "-1e999999999"])
def test_a_huge_balance_is_invalid_within_the_timeout(sim: RunningSimulator, amount: str) -> None:
    fault(sim, kind="wrong_shape", endpoint="balance", body=balance_body(amount))
    started = time.monotonic()
    [result] = run(sim.base_url, (Check.BALANCE,), balance={"warn_below": 10, "critical_below": 2})
    assert time.monotonic() - started < TIMEOUT
    assert (result.ok, result.reason, result.status_code, result.detail) == (
        False, Reason.INVALID_RESPONSE, 200, OUT_OF_RANGE)


@pytest.mark.parametrize(("usage", "detail"), [
    ({"prompt_tokens": -1000000, "completion_tokens": 1}, "the chat answer has a negative token count in usage"),
    ({"prompt_tokens": 9, "completion_tokens": 2**63},
     "the chat answer has a token count in usage above 10000000, far more than one minimal request"),
])
def test_implausible_usage_is_invalid_and_carries_no_counts(sim: RunningSimulator, usage: dict[str, int],
                                                            detail: str) -> None:
    body = {"id": "cmpl-1", "object": "chat.completion", "created": 1, "model": "kimi-k2.5",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "OK"}, "finish_reason": "stop"}],
            "usage": usage}
    fault(sim, kind="wrong_shape", endpoint="chat", body=json.dumps(body))
    [result] = run(sim.base_url, (Check.CHAT,))
    assert (result.ok, result.reason, result.status_code, result.data, result.detail) == (
        False, Reason.INVALID_RESPONSE, 200, None, detail)


@pytest.mark.parametrize("check", [Check.MODELS, Check.BALANCE, Check.CHAT])
def test_deeply_nested_json_is_invalid_not_a_bug(sim: RunningSimulator, check: Check) -> None:
    fault(sim, kind="wrong_shape", body="[" * 100_000)
    [result] = run(sim.base_url, (check,))
    assert (result.ok, result.reason, result.status_code, result.detail) == (
        False, Reason.INVALID_RESPONSE, 200, "HTTP 200 answer is JSON nested too deeply (100000 bytes)")


def test_kimicheck_balance_ends_within_its_timeout(tmp_path: Path, sim: RunningSimulator) -> None:
    # the command as a user runs it, in its own process: the answer is read, judged and printed in time
    fault(sim, kind="wrong_shape", endpoint="balance", body=balance_body('"1e999999999"'))
    config = tmp_path / "kimicheck.yaml"
    config.write_text(f"version: 1\ndefaults: {{timeout: 2s}}\nproviders:\n  - name: sim\n    kind: moonshot\n"
                      f"    base_url: {sim.base_url}\n    api_key_env: SIM_KEY\n    models: [kimi-k2.6]\n"
                      "    balance: {warn_below: 10, currency: USD}\n")
    env = {**os.environ, "SIM_KEY": KEY}
    env.pop("KIMICHECK_CONFIG", None)
    done = subprocess.run([sys.executable, "-m", "kimicheck", "balance", str(config), "--format", "json"],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert (done.returncode, done.stderr) == (1, "")
    [result] = json.loads(done.stdout)["results"]
    assert (result["reason"], result["detail"], result["data"]) == ("invalid_response", OUT_OF_RANGE, None)
    assert result["duration_seconds"] < 2.0
