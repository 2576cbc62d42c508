"""`kimicheck verify` interrupted by Ctrl-C: a valid partial output that `--resume` finishes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kimicheck.sim import Fault, RunningSimulator

from .clirun import kimicheck
from .test_verify_cli import ENV, write_config, write_samples

# starts kimicheck as a real process
pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")]


def chat_requests(sim: RunningSimulator) -> int:
    return len([r for r in sim.state.requests if r.path.endswith("/chat/completions")])


def test_ctrl_c_leaves_a_valid_partial_output_that_resume_finishes(tmp_path: Path, sim: RunningSimulator) -> None:
    sim.state.faults.append(Fault.model_validate({"kind": "latency", "seconds": 0.05}))
    sim.state.faults.append(Fault.model_validate({"kind": "tool_arguments_invalid", "rate": 0.2}))
    config, samples, output = write_config(tmp_path, sim), write_samples(tmp_path, 80), tmp_path / "out.jsonl"
    argv = ["verify", "sim", config, "--samples", samples, "--output", str(output), "--concurrency", "2"]
    process = subprocess.Popen([sys.executable, "-m", "kimicheck", *argv], env={**os.environ, **ENV},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not output.exists() or output.read_text(encoding="utf-8").count("\n") < 10:
            assert process.poll() is None and time.monotonic() < deadline, process.communicate()
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=15)
    finally:
        process.kill()
    assert process.returncode == 130 and "interrupted" in err
    partial = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert 10 <= len(partial) < 80
    rest = kimicheck(*argv, "--resume", "--format", "json", environ=ENV)
    summary = json.loads(rest.out)
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert sorted(line["index"] for line in lines) == list(range(80))
    assert summary["answered"] == summary["count_finish_reason_tool_calls"] == 80
    valid = sum(line["tool_call"] == "valid" for line in lines)
    assert summary["count_successful_tool_call"] == valid
    assert summary["schema_accuracy"] == valid / 80
    assert 80 <= chat_requests(sim) <= 82  # at most the requests in flight at the interrupt go out again
