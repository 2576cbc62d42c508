"""`kimicheck batches`: the exact table and JSON a user reads, against the simulator with an injected clock."""

from __future__ import annotations

import io
import json
import time
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from kimicheck.cli import Streams, main
from kimicheck.sim import RunningSimulator, load_scenario, serve_in_thread
from kimicheck.sim import handlers as sim_handlers

from .clirun import Result

SCENARIO = Path(__file__).parents[1] / "data" / "sim" / "batch-scenario.yaml"
#: 2026-11-01T12:00:00Z, the clock of both the simulator and the command
NOW = 1793534400.0
TROUBLED = "sk-sim-batch-bad-0000000000000"


@pytest.fixture(scope="module")
def batch_sim() -> Iterator[RunningSimulator]:
    with serve_in_thread(load_scenario(SCENARIO), host="127.0.0.1", port=0) as running:
        yield running


@pytest.fixture(autouse=True)
def frozen_sim_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sim_handlers, "time", types.SimpleNamespace(time=lambda: NOW, monotonic=time.monotonic))


def write_config(tmp_path: Path, url: str, kind: str = "moonshot") -> str:
    path = tmp_path / "kimicheck.yaml"
    path.write_text(f"version: 1\ndefaults:\n  timeout: 3s\nproviders:\n  - name: sim\n    kind: {kind}\n"
                    f"    base_url: {url}\n    api_key_env: SIM_KEY\n    models: [kimi-k2.6]\n", encoding="utf-8")
    return str(path)


def batches(*argv: str, key: str = TROUBLED) -> Result:
    out, err = io.StringIO(), io.StringIO()
    streams = Streams(stdin=io.StringIO(), stdout=out, stderr=err, environ={"SIM_KEY": key}, clock=lambda: NOW)
    code = main(["batches", *argv], streams)
    return Result(code, out.getvalue(), err.getvalue())


TABLE = """\
ID                   STATUS       REQUESTS   CREATED               EXPIRES/ENDED
batch_validating     validating   0/0/0      2026-11-01T11:59:00Z  expires 2026-11-02T11:59:00Z
batch_cancelling     cancelling   1/0/10     2026-11-01T11:45:00Z  expires 2026-11-02T11:45:00Z
batch_cancelled      cancelled    2/0/10     2026-11-01T11:40:00Z  ended 2026-11-01T11:50:00Z
batch_failed         failed       0/0/0      2026-11-01T11:10:00Z  ended 2026-11-01T11:20:00Z
batch_finalizing     finalizing   10/0/10    2026-11-01T10:53:20Z  expires 2026-11-02T10:53:20Z
batch_mostly_failed  completed    20/80/100  2026-11-01T10:36:40Z  ended 2026-11-01T10:46:40Z
batch_near_expiry    in_progress  10/0/200   2026-10-31T12:23:20Z  expires 2026-11-01T12:23:20Z
batch_expired        expired      3/0/10     2026-10-31T11:00:00Z  ended 2026-11-01T11:00:00Z
"""


def test_lists_every_batch_newest_first(tmp_path: Path, batch_sim: RunningSimulator) -> None:
    result = batches("sim", write_config(tmp_path, batch_sim.base_url))
    assert (result.code, result.err) == (0, "")
    assert result.out == TABLE


def test_status_and_since_select(tmp_path: Path, batch_sim: RunningSimulator) -> None:
    path = write_config(tmp_path, batch_sim.base_url)
    result = batches(path, "sim", "--status", "failed,expired", "--status", "cancelled")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "ID               STATUS     REQUESTS  CREATED               EXPIRES/ENDED\n"
        "batch_cancelled  cancelled  2/0/10    2026-11-01T11:40:00Z  ended 2026-11-01T11:50:00Z\n"
        "batch_failed     failed     0/0/0     2026-11-01T11:10:00Z  ended 2026-11-01T11:20:00Z\n"
        "batch_expired    expired    3/0/10    2026-10-31T11:00:00Z  ended 2026-11-01T11:00:00Z\n"
    )
    result = batches("sim", path, "--since", "20m")
    assert result.out == (
        "ID                STATUS      REQUESTS  CREATED               EXPIRES/ENDED\n"
        "batch_validating  validating  0/0/0     2026-11-01T11:59:00Z  expires 2026-11-02T11:59:00Z\n"
        "batch_cancelling  cancelling  1/0/10    2026-11-01T11:45:00Z  expires 2026-11-02T11:45:00Z\n"
        "batch_cancelled   cancelled   2/0/10    2026-11-01T11:40:00Z  ended 2026-11-01T11:50:00Z\n"
    )
    assert batches("sim", path, "--status", "running").out == "ID  STATUS  REQUESTS  CREATED  EXPIRES/ENDED\n"


def test_json_keeps_the_times_as_unix_seconds(tmp_path: Path, batch_sim: RunningSimulator) -> None:
    result = batches("sim", write_config(tmp_path, batch_sim.base_url), "--format", "json", "--status", "failed")
    assert (result.code, result.err) == (0, "")
    assert json.loads(result.out) == {"provider": "sim", "complete": True, "batches": [
        {"id": "batch_failed", "status": "failed", "total": 0, "completed": 0, "failed": 0,
         "created_at": NOW - 3000, "expires_at": NOW - 3000 + 86400, "ended_at": NOW - 2400}]}


def test_paging_stops_at_its_bound_and_says_so(tmp_path: Path, batch_sim: RunningSimulator) -> None:
    result = batches("sim", write_config(tmp_path, batch_sim.base_url), "--format", "json",
                     key="sk-sim-batch-many-000000000000")
    assert result.code == 0
    assert len(json.loads(result.out)["batches"]) == 500
    assert result.err == "kimicheck batches: sim: only the newest 500 batches were read; older ones are not shown\n"


def test_sends_only_gets_to_the_batch_list(tmp_path: Path, batch_sim: RunningSimulator) -> None:
    batch_sim.state.clear_requests()
    batches("sim", write_config(tmp_path, batch_sim.base_url), "--status", "in_progress")
    records = list(batch_sim.state.select())
    assert {r.method for r in records} == {"GET"}
    assert {r.path for r in records} <= {"/v1/batches", "/v1/files"}


def test_a_kind_without_batch_endpoints_is_a_failure(tmp_path: Path, batch_sim: RunningSimulator) -> None:
    path = write_config(tmp_path, batch_sim.base_url, kind="openai-compatible")
    Path(path).write_text(Path(path).read_text(encoding="utf-8").replace("    models:", "    batch: true\n    models:"),
                          encoding="utf-8")
    result = batches("sim", path)
    assert result.code == 2
    assert "KC410" in result.err


def test_provider_text_is_sanitised_and_redacted(tmp_path: Path) -> None:
    key = "sk-sim-hostile-batch-000000000"
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        "auto_accounts: false\naccounts:\n  - name: hostile\n    key: " + key + "\n    kind: moonshot\n"
        "    batch_api:\n      batches:\n"
        f'        - {{id: "b_{key}", status: completed, age: 60}}\n'
        '        - {id: "b_\\e]0;owned\\a\\nforged", status: completed, age: 120}\n', encoding="utf-8")
    with serve_in_thread(load_scenario(scenario), host="127.0.0.1", port=0) as sim:
        result = batches("sim", write_config(tmp_path, sim.base_url), key=key)
    assert result.code == 0
    assert key not in result.out
    assert "\x1b" not in result.out and "\a" not in result.out
    assert len(result.out.splitlines()) == 3


def test_a_kind_without_batch_endpoints_cannot_list(tmp_path: Path, batch_sim: RunningSimulator) -> None:
    result = batches("sim", write_config(tmp_path, batch_sim.base_url, kind="openai-compatible"))
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith("kimicheck batches: sim: unsupported: ")
