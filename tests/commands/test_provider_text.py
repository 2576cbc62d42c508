"""Text a provider sends (a currency, model ids, an error message) as `balance`, `models` and `probe` show it.

On a terminal it is one line with no control character; in JSON it is kept as sent; nowhere is the key,
even when the provider echoes it back as a model id. The metric labels of the same run hold no control
character either.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kimicheck.providers import Kind
from kimicheck.sim import Account, Fault, RunningSimulator

from .clirun import kimicheck
from .test_probe_cli import ENV, KEY, write_config

CLEAR_SCREEN = "USD\n\x1b[2J"
#: a key that is not key-shaped: only the provider's own key, known to the run, can mask it
PLAIN_KEY = "kimi-k2.5-plain-key"
TITLE = "\x1b]0;pwned\x07kimi-k2.7"


def _deepseek_config(tmp_path: Path, sim: RunningSimulator) -> str:
    path = tmp_path / "kimicheck.yaml"
    path.write_text(f"""\
version: 1
defaults:
  timeout: 2s
providers:
  - name: ds
    kind: deepseek
    base_url: {sim.base_url_for(Kind.DEEPSEEK)}
    api_key_env: SIM_KEY
    models: [deepseek-chat]
    balance: {{warn_below: 10, critical_below: 2, currency: CNY}}
""")
    return str(path)


def test_balance_shows_a_currency_with_a_newline_and_escape_on_one_line(
        tmp_path: Path, sim: RunningSimulator) -> None:
    sim.state.add(Account(key=KEY, kind=Kind.DEEPSEEK, currency=CLEAR_SCREEN))
    result = kimicheck("balance", "ds", _deepseek_config(tmp_path, sim), environ=ENV)
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "PROVIDER  AVAILABLE  VOUCHER  CASH   CURRENCY  LEVEL\n"
        "ds        50.00      0.00     50.00  USD \ufffd[2J  ok\n"
    )


def test_balance_json_keeps_the_currency_as_sent(tmp_path: Path, sim: RunningSimulator) -> None:
    sim.state.add(Account(key=KEY, kind=Kind.DEEPSEEK, currency=CLEAR_SCREEN))
    result = kimicheck("balance", "ds", _deepseek_config(tmp_path, sim), "--format", "json", environ=ENV)
    assert (result.code, result.err) == (0, "")
    assert "\x1b" not in result.out
    [entry] = json.loads(result.out)["results"]
    assert entry["data"]["currency"] == CLEAR_SCREEN
    assert entry["detail"] == (f"available 50.00 {CLEAR_SCREEN} (voucher 0.00, cash 50.00); note: the balance is in "
                               f"{CLEAR_SCREEN} but the thresholds are in CNY")


@pytest.mark.parametrize("currency", [CLEAR_SCREEN, "USD\n", "usd", "US\u200bD"])
def test_metric_labels_hold_no_control_character(tmp_path: Path, sim: RunningSimulator, currency: str) -> None:
    sim.state.add(Account(key=KEY, kind=Kind.DEEPSEEK, currency=currency))
    textfile = tmp_path / "kimicheck.prom"
    result = kimicheck("probe", _deepseek_config(tmp_path, sim), "--checks", "balance",
                       "--textfile", str(textfile), environ=ENV)
    assert (result.code, result.err) == (0, "")
    balances = {
        sample.labels["currency"]
        for family in text_string_to_metric_families(textfile.read_text(encoding="utf-8"))
        if family.name == "kimicheck_balance" for sample in family.samples
    }
    assert balances == {"CNY"}


def test_probe_text_and_json_for_a_currency_with_a_newline(tmp_path: Path, sim: RunningSimulator) -> None:
    sim.state.add(Account(key=KEY, kind=Kind.DEEPSEEK, currency=CLEAR_SCREEN))
    path = _deepseek_config(tmp_path, sim)
    text = kimicheck("probe", path, "--checks", "balance", environ=ENV)
    [row] = text.out.splitlines()[1:2]
    assert row.endswith("  available 50.00 USD \ufffd[2J (voucher 0.00, cash 50.00); note: the balance is in "
                        "USD \ufffd[2J but the thresholds are in CNY")
    assert "\x1b" not in text.out
    document = json.loads(kimicheck("probe", path, "--checks", "balance", "--format", "json", environ=ENV).out)
    assert document["results"][0]["data"]["currency"] == CLEAR_SCREEN


def test_models_masks_a_listed_id_equal_to_the_key(tmp_path: Path, sim: RunningSimulator) -> None:
    sim.state.add(Account(key=KEY, models=["kimi-k2.6", KEY, TITLE]))
    result = kimicheck("models", "sim", write_config(tmp_path, sim), environ=ENV)
    assert (result.code, result.err) == (0, "")
    assert result.out == "kimi-k2.6\n[REDACTED]\n\ufffd]0;pwned\ufffdkimi-k2.7\n"


def test_models_json_keeps_the_text_but_never_the_key(tmp_path: Path, sim: RunningSimulator) -> None:
    sim.state.add(Account(key=KEY, models=["kimi-k2.6", KEY, TITLE]))
    result = kimicheck("models", "sim", write_config(tmp_path, sim), "--format", "json", environ=ENV)
    assert (result.code, result.err) == (0, "")
    assert KEY not in result.out
    assert json.loads(result.out) == {"provider": "sim", "models": ["kimi-k2.6", "[REDACTED]", TITLE], "missing": []}


def test_a_key_that_is_not_key_shaped_is_masked_too(tmp_path: Path, sim: RunningSimulator) -> None:
    sim.state.add(Account(key=PLAIN_KEY, models=["kimi-k2.6", PLAIN_KEY]))
    path = write_config(tmp_path, sim, "[kimi-k2.6, kimi-k2.5]")
    environ = {"SIM_KEY": PLAIN_KEY}
    listed = kimicheck("models", "sim", path, environ=environ)
    assert (listed.code, listed.out) == (1, "kimi-k2.6\n[REDACTED]\n")
    assert listed.err == ("kimicheck models: configured id kimi-k2.5 is not listed (did you mean kimi-k2.6, "
                          "[REDACTED]?)\n")
    for fmt in ("text", "json"):
        probed = kimicheck("probe", path, "--checks", "models", "--format", fmt, environ=environ)
        assert probed.code == 1
        assert PLAIN_KEY not in probed.out + probed.err
    probed = kimicheck("probe", path, "--checks", "models", "--format", "json", environ=environ)
    [entry] = json.loads(probed.out)["results"]
    assert entry["data"]["missing"] == [{"id": "kimi-k2.5", "suggestions": ["kimi-k2.6", "[REDACTED]"]}]


def test_models_stderr_shows_suggestions_and_errors_on_one_line(tmp_path: Path, sim: RunningSimulator) -> None:
    sim.state.add(Account(key=KEY, models=["kimi-k2.6", "kimi-k2.5\x1b[2J"]))
    path = write_config(tmp_path, sim, "[kimi-k2.6, kimi-k2.5]")
    missing = kimicheck("models", "sim", path, environ=ENV)
    assert (missing.code, missing.out) == (1, "kimi-k2.6\nkimi-k2.5\ufffd[2J\n")
    assert missing.err == ("kimicheck models: configured id kimi-k2.5 is not listed (did you mean kimi-k2.6, "
                           "kimi-k2.5\ufffd[2J?)\n")
    sim.state.faults.append(Fault.model_validate(
        {"kind": "status", "status": 400, "error_type": "bad\nrequest", "message": "\x1b[31mno\r\nmore\x1b[0m"}))
    failed = kimicheck("models", "sim", path, environ=ENV)
    assert (failed.code, failed.out) == (1, "")
    assert failed.err == (
        "kimicheck models: sim: bad_request: HTTP 400 bad request: \ufffd[31mno more\ufffd[0m\n"
        "    fix: the request was refused: check base_url (the SDK appends /models, /chat/completions) and the "
        "model settings\n"
    )


def test_balance_notes_show_provider_errors_on_one_line(tmp_path: Path, sim: RunningSimulator) -> None:
    sim.state.faults.append(Fault.model_validate(
        {"kind": "status", "status": 400, "error_type": "bad\nrequest", "message": "\x1b[31mno\x1b[0m"}))
    result = kimicheck("balance", "sim", write_config(tmp_path, sim), environ=ENV)
    assert (result.code, result.err) == (1, "")
    assert result.out == (
        "PROVIDER  AVAILABLE  VOUCHER  CASH  CURRENCY  LEVEL\n"
        "sim       -          -        -     -         bad_request\n"
        "    HTTP 400 bad request: \ufffd[31mno\ufffd[0m\n"
        "    fix: the request was refused: check base_url (the SDK appends /models, /chat/completions) and the "
        "model settings\n"
    )


def test_a_lone_surrogate_in_a_listed_id_can_be_written_to_any_utf8_stream(
        tmp_path: Path, sim: RunningSimulator) -> None:
    # JSON may escape half a surrogate pair; no UTF-8 stream can write it as it is
    sim.state.faults.append(Fault.model_validate(
        {"kind": "wrong_shape", "endpoint": "models", "body": '{"data": [{"id": "kimi-k2.6"}, {"id": "x\\udcff"}]}'}))
    path = write_config(tmp_path, sim)
    text = kimicheck("models", "sim", path, environ=ENV)
    assert (text.code, text.out, text.err) == (0, "kimi-k2.6\nx\ufffd\n", "")
    document = kimicheck("models", "sim", path, "--format", "json", environ=ENV).out
    document.encode("utf-8")
    assert json.loads(document)["models"] == ["kimi-k2.6", "x\udcff"]
