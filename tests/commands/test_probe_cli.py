"""`kimicheck probe`, `models` and `balance` as a user runs them, against the simulator over loopback."""

from __future__ import annotations

import json
import logging
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kimicheck.sim import Account, Fault, RunningSimulator

from .clirun import kimicheck

KEY = "sk-sim-cli-0000000000000000000000001"
ENV = {"SIM_KEY": KEY}


def write_config(tmp_path: Path, sim: RunningSimulator, models: str = "[kimi-k2.6]", extra: str = "") -> str:
    path = tmp_path / "kimicheck.yaml"
    path.write_text(f"""\
version: 1
defaults:
  timeout: 2s
providers:
  - name: sim
    kind: moonshot
    base_url: {sim.base_url}
    api_key_env: SIM_KEY
    models: {models}
    balance: {{warn_below: 10, critical_below: 2, currency: USD}}
{extra}""")
    return str(path)


def test_all_ok_exits_0_with_a_table(tmp_path: Path, sim: RunningSimulator) -> None:
    result = kimicheck("probe", write_config(tmp_path, sim), environ=ENV)
    assert (result.code, result.err) == (0, "")
    lines = result.out.splitlines()
    assert lines[0].split() == ["PROVIDER", "CHECK", "MODEL", "RESULT", "REASON", "HTTP", "TIME", "DETAIL"]
    assert lines[1].split()[:6] == ["sim", "models", "-", "ok", "ok", "200"]
    assert lines[2].split()[:6] == ["sim", "balance", "-", "ok", "ok", "200"]
    assert lines[2].endswith("available 50.0 USD (voucher 0.0, cash 50.0)")
    assert lines[3:] == ["2 checks: 2 ok (0 with warnings), 0 failed"]


def test_config_from_the_environment(tmp_path: Path, sim: RunningSimulator) -> None:
    path = write_config(tmp_path, sim)
    result = kimicheck("probe", "--checks", "models", environ={**ENV, "KIMICHECK_CONFIG": path})
    assert result.code == 0
    assert result.out.endswith("1 checks: 1 ok (0 with warnings), 0 failed\n")


def test_json_document_and_exit_1(tmp_path: Path, sim: RunningSimulator) -> None:
    sim.state.add(Account(key=KEY, name="low", cash=Decimal("1.5")))
    # lint (KC207) stops kimi-k2.6-thinking before any probe; silenced, the probe explains it from the live list
    models = "[kimi-k2.6, kimi-k2.6-thinking]  # kimicheck: disable=KC207"
    result = kimicheck("probe", write_config(tmp_path, sim, models),
                       "--format", "json", "--checks", "balance,models", environ=ENV)
    assert result.code == 1
    document = json.loads(result.out)
    for entry in document["results"]:
        entry["duration_seconds"] = 0
    assert document == {"version": 1, "summary": {"total": 2, "ok": 0, "failed": 2, "warnings": 0}, "results": [
        {"provider": "sim", "check": "models", "model": None, "ok": False, "reason": "model_not_found",
         "status_code": 200, "duration_seconds": 0,
         "detail": "kimi-k2.6-thinking is not listed: there is no such model, thinking is a request parameter "
                   "(use kimi-k2.6)",
         "data": {"listed_count": 7, "present": {"kimi-k2.6": True, "kimi-k2.6-thinking": False},
                  "missing": [{"id": "kimi-k2.6-thinking",
                               "suggestions": ["kimi-k2.6", "kimi-k2-thinking"]}]}},
        {"provider": "sim", "check": "balance", "model": None, "ok": False, "reason": "balance_critical",
         "status_code": 200, "duration_seconds": 0,
         "detail": "available 1.5 USD (voucher 0.0, cash 1.5): below critical_below 2",
         "data": {"currency": "USD", "level": "critical", "available": "1.5", "voucher": "0.0", "cash": "1.5",
                  "in_arrears": False}},
    ]}


def test_warning_still_exits_0(tmp_path: Path, sim: RunningSimulator) -> None:
    sim.state.add(Account(key=KEY, name="low", cash=Decimal("5")))
    result = kimicheck("probe", write_config(tmp_path, sim), "--checks", "balance", environ=ENV)
    assert result.code == 0
    assert "    fix: top up soon: the available balance is below warn_below\n" in result.out


def test_lint_errors_stop_the_run(tmp_path: Path, sim: RunningSimulator) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("version: 1\nproviders:\n  - name: x\n    kind: moonshot\n"
                    "    base_url: https://api.moonshot.ai\n    api_key_env: K\n    models: [kimi-k2.6]\n")
    result = kimicheck("probe", str(path), environ=ENV)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith(f"{path}:5:15: error[KC104] base_url lacks the version path /v1")
    assert result.err.endswith(f"kimicheck probe: {path} has lint errors; fix them before probing\n")
    assert list(sim.state.requests) == []


@pytest.mark.parametrize(("argv", "message"), [
    (["--checks", "models,money"], "argument --checks: unknown check 'money'; choose from models, balance, chat"),
    (["--timeout", "soon"], "argument --timeout: 'soon' is not a duration"),
    (["--concurrency", "0"], "argument --concurrency: '0' is not a positive whole number"),
    (["--provider", "sin"], "no provider named 'sin' in the config (did you mean sim?); it has: sim"),
])
def test_usage_errors_exit_2(tmp_path: Path, sim: RunningSimulator, argv: list[str], message: str) -> None:
    result = kimicheck("probe", write_config(tmp_path, sim), *argv, environ=ENV)
    assert result.code == 2
    assert message in result.err


@pytest.mark.parametrize("argv", [
    ["probe", "CONFIG"], ["models", "sim", "CONFIG"], ["models", "CONFIG", "sim"], ["models", "CONFIG"],
    ["balance", "CONFIG"], ["balance", "sim", "CONFIG"], ["balance", "CONFIG", "sim"],
], ids=" ".join)
def test_missing_config_file_reads_the_same_in_every_command(tmp_path: Path, argv: list[str]) -> None:
    missing = str(tmp_path / "nope.yaml")
    result = kimicheck(*(missing if arg == "CONFIG" else arg for arg in argv))
    assert (result.code, result.out) == (2, "")
    assert result.err == f"kimicheck {argv[0]}: error: {missing}: no such file or directory\n"


def test_models_command_lists_ids(tmp_path: Path, sim: RunningSimulator) -> None:
    sim.state.add(Account(key=KEY, name="few", models=["kimi-k2.6", "kimi-k2.5"]))
    path = write_config(tmp_path, sim, "[kimi-k2.6]")
    listed = kimicheck("models", "sim", path, environ=ENV)
    assert (listed.code, listed.out, listed.err) == (0, "kimi-k2.6\nkimi-k2.5\n", "")
    result = kimicheck("models", "sim", path, "--format", "json", environ=ENV)
    assert json.loads(result.out) == {"provider": "sim", "models": ["kimi-k2.6", "kimi-k2.5"], "missing": []}


def test_models_command_names_missing_ids(tmp_path: Path, sim: RunningSimulator) -> None:
    sim.state.add(Account(key=KEY, name="few", models=["kimi-k2.6"]))
    result = kimicheck("models", "sim", write_config(tmp_path, sim, "[kimi-k2.5]"), environ=ENV)
    assert (result.code, result.out) == (1, "kimi-k2.6\n")
    assert result.err == "kimicheck models: configured id kimi-k2.5 is not listed (did you mean kimi-k2.6?)\n"


def test_models_command_reports_a_failure(tmp_path: Path, sim: RunningSimulator) -> None:
    sim.state.add(Account(key=KEY, name="gone", revoked=True))
    result = kimicheck("models", "sim", write_config(tmp_path, sim), environ=ENV)
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith("kimicheck models: sim: auth_failed: HTTP 401")
    assert result.err.endswith("    fix: a Moonshot key works only in its own region: a platform.moonshot.cn key "
                               "needs https://api.moonshot.cn/v1, a platform.moonshot.ai key "
                               "https://api.moonshot.ai/v1\n")


def test_balance_command_table(tmp_path: Path, sim: RunningSimulator) -> None:
    sim.state.add(Account(key=KEY, name="mixed", cash=Decimal("-2.5"), voucher=Decimal("7.5")))
    other = "  - {name: other, kind: moonshot, base_url: " + sim.base_url + ", api_key_env: OTHER_KEY}\n"
    path = write_config(tmp_path, sim, extra=other)
    result = kimicheck("balance", path, environ=ENV)
    assert result.code == 1
    assert result.out == (
        "PROVIDER  AVAILABLE  VOUCHER  CASH  CURRENCY  LEVEL\n"
        "sim       7.5        7.5      -2.5  USD       warning\n"
        "    available 7.5 USD (voucher 7.5, cash -2.5): below warn_below 10; cash balance -2.5 is negative "
        "(arrears): the account runs on vouchers alone\n"
        "    fix: top up soon: the available balance is below warn_below\n"
        "other     -          -        -     -         auth_failed\n"
        "    cannot read the key: environment variable OTHER_KEY is unset or empty\n"
        "    fix: the key was refused or unreadable: check api_key_env / api_key_file and the key itself\n"
    )
    only_sim = kimicheck("balance", "sim", path, environ=ENV)
    assert only_sim.code == 0
    assert only_sim.out == "".join(result.out.splitlines(keepends=True)[:4])


# Every failure the simulator can produce, each run with a recognisable key that must never be shown.
CANARY = "sk-sim-CANARY-7f3a9c1e5b2d4f6a8c0e"
FAULTS: list[dict[str, Any]] = [
    {"kind": "status", "status": 401, "message": f"Incorrect API key provided: {CANARY}"},
    {"kind": "status", "status": 429, "error_type": "exceeded_current_quota_error",
     "message": f"org-abcdef123456<ak-abcdef123456> key {CANARY} suspended"},
    {"kind": "status", "status": 429, "error_type": "rate_limit_reached_error", "retry_after": 0},
    {"kind": "status", "status": 403}, {"kind": "status", "status": 404}, {"kind": "status", "status": 500},
    {"kind": "html", "status": 502}, {"kind": "non_json", "body": f"Bearer {CANARY}"},
    {"kind": "truncated_json"}, {"kind": "wrong_shape", "body": f'{{"key": "{CANARY}"}}'},
    {"kind": "oversized", "size": 5_000_000}, {"kind": "drip", "seconds": 0.2}, {"kind": "reset"},
    {"kind": "hang", "seconds": 5}, {"kind": "redirect", "location": "http://127.0.0.2:9/v1/models"},
]


@pytest.mark.parametrize("spec", FAULTS, ids=lambda spec: f"{spec['kind']}-{spec.get('status', '')}")
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_key_is_never_shown(tmp_path: Path, sim: RunningSimulator, caplog: pytest.LogCaptureFixture,
                                spec: dict[str, Any], fmt: str) -> None:
    sim.state.faults.append(Fault.model_validate(spec))
    models = "[kimi-k2.6, {id: kimi-k3, chat: true}]"
    path = write_config(tmp_path, sim, models)
    Path(path).write_text(Path(path).read_text().replace("timeout: 2s", "timeout: 200ms"))
    with caplog.at_level(logging.DEBUG):
        result = kimicheck("probe", path, "--format", fmt, environ={"SIM_KEY": CANARY})
    assert result.code == 1
    assert any(record.key == CANARY for record in sim.state.requests)
    for text in (result.out, result.err, caplog.text):
        assert CANARY not in text
        assert "CANARY" not in text


@pytest.mark.parametrize("command", ["probe", "models", "balance"])
def test_a_directory_is_not_a_config(tmp_path: Path, sim: RunningSimulator, command: str) -> None:
    write_config(tmp_path, sim)  # a directory holding exactly one config is still not one
    result = kimicheck(command, str(tmp_path), environ=ENV)
    assert (result.code, result.out, result.err) == (
        2, "", f"kimicheck {command}: error: {tmp_path}: {command} takes one config file, not a directory\n")
