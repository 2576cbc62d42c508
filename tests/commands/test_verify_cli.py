"""`kimicheck verify`: K2VV samples against the simulator, its metrics, spend caps, output and resume."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kimicheck.sim import Fault, RunningSimulator

from .clirun import kimicheck

KEY = "sk-sim-verify-0000000000000000000000001"
ENV = {"SIM_KEY": KEY}
WEATHER = {"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer", "minimum": 1}},
           "required": ["city", "days"], "additionalProperties": False}


def sample(number: int) -> dict[str, Any]:
    """One K2VV-format request body: a question that calls for the tool."""
    tool = {"type": "function", "function": {"name": "get_weather", "parameters": WEATHER}}
    return {"model": "kimi-k2", "messages": [{"role": "user", "content": f"Weather in city {number} for 3 days?"}],
            "tools": [tool], "tool_choice": "auto", "max_tokens": 64}


def write_samples(tmp_path: Path, count: int) -> str:
    path = tmp_path / "samples.jsonl"
    path.write_text("".join(json.dumps(sample(n)) + "\n" for n in range(count)), encoding="utf-8")
    return str(path)


def write_config(tmp_path: Path, sim: RunningSimulator, models: str = "[{id: kimi-k2.6, chat: false}]") -> str:
    path = tmp_path / "kimicheck.yaml"
    path.write_text(f"version: 1\nproviders:\n  - name: sim\n    kind: moonshot\n    base_url: {sim.base_url}\n"
                    f"    api_key_env: SIM_KEY\n    models: {models}\n", encoding="utf-8")
    return str(path)


def invalid_vendor(sim: RunningSimulator, rate: float) -> None:
    sim.state.faults.append(Fault.model_validate({"kind": "tool_arguments_invalid", "rate": rate}))


def test_ten_percent_invalid_arguments_measure_ninety_percent(tmp_path: Path, sim: RunningSimulator) -> None:
    invalid_vendor(sim, 0.1)
    result = kimicheck("verify", "sim", write_config(tmp_path, sim), "--samples", write_samples(tmp_path, 200),
                       "--format", "json", "--min-schema-accuracy", "0.85", environ=ENV)
    summary = json.loads(result.out)
    assert (result.code, result.err) == (0, ""), result.err
    assert summary["answered"] == summary["count_finish_reason_tool_calls"] == 200
    assert summary["schema_accuracy"] == pytest.approx(0.90, abs=0.03)
    assert summary["results"]["schema_mismatch"] == 200 - summary["count_successful_tool_call"]
    assert len([r for r in sim.state.requests if r.path.endswith("/chat/completions")]) == 200


def test_below_the_minimum_exits_one(tmp_path: Path, sim: RunningSimulator) -> None:
    invalid_vendor(sim, 0.5)
    result = kimicheck("verify", "sim", write_config(tmp_path, sim), "--samples", write_samples(tmp_path, 20),
                       "--min-schema-accuracy", "95%", environ=ENV)
    assert result.code == 1
    assert "schema_accuracy" in result.out


def test_exact_text_summary_with_reference(tmp_path: Path, sim: RunningSimulator) -> None:
    reference = tmp_path / "reference.jsonl"
    reference.write_text("".join(json.dumps({"data_index": n, "finish_reason": "tool_calls" if n < 3 else "stop"})
                                 + "\n" for n in range(4)), encoding="utf-8")
    result = kimicheck("verify", "sim", write_config(tmp_path, sim), "--samples", write_samples(tmp_path, 4),
                       "--reference", str(reference), environ=ENV)
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "sim (kimi-k2.6)\n"
        "  samples                         4\n"
        "  answered                        4\n"
        "  errors                          0\n"
        "  not sent                        0\n"
        "  count_finish_reason_tool_calls  4\n"
        "  count_successful_tool_call      4\n"
        "  schema_accuracy                 100.00%\n"
        "  compared with reference         4\n"
        "  tool_call_precision             75.00%\n"
        "  tool_call_recall                100.00%\n"
        "  tool_call_f1                    85.71%\n"
        f"{result.out.splitlines()[-1]}\n"
    )
    assert result.out.splitlines()[-1].startswith("  tokens ")


@pytest.mark.parametrize(("cap", "stopped"), [(["--max-requests", "5"], "max_requests"),
                                              (["--max-tokens", "1"], "max_tokens")])
def test_spend_caps_stop_sending(tmp_path: Path, sim: RunningSimulator, cap: list[str], stopped: str) -> None:
    result = kimicheck("verify", "sim", write_config(tmp_path, sim), "--samples", write_samples(tmp_path, 50),
                       "--format", "json", "--concurrency", "1", *cap, environ=ENV)
    summary = json.loads(result.out)
    sent = len([r for r in sim.state.requests if r.path.endswith("/chat/completions")])
    assert summary["stopped_by"] == stopped
    assert sent == summary["answered"] == (5 if stopped == "max_requests" else 1)
    assert summary["not_sent"] == 50 - sent


def test_output_then_resume_gives_the_same_totals(tmp_path: Path, sim: RunningSimulator) -> None:
    config, samples, output = write_config(tmp_path, sim), write_samples(tmp_path, 30), str(tmp_path / "out.jsonl")
    first = kimicheck("verify", "sim", config, "--samples", samples, "--output", output, "--max-requests", "10",
                      "--format", "json", environ=ENV)
    assert json.loads(first.out)["answered"] == 10
    with open(output, "a", encoding="utf-8") as torn:
        torn.write('{"index": 29, "finish_re')  # an interrupt mid-line
    again = kimicheck("verify", "sim", config, "--samples", samples, "--output", output, environ=ENV)
    assert again.code == 2 and "--resume" in again.err
    rest = kimicheck("verify", "sim", config, "--samples", samples, "--output", output, "--resume",
                     "--format", "json", environ=ENV)
    summary = json.loads(rest.out)
    assert (summary["answered"], summary["count_successful_tool_call"], summary["not_sent"]) == (30, 30, 0)
    lines = [json.loads(line) for line in Path(output).read_text(encoding="utf-8").splitlines()]
    assert sorted(line["index"] for line in lines) == list(range(30))
    assert len([r for r in sim.state.requests if r.path.endswith("/chat/completions")]) == 30


@pytest.mark.parametrize(("content", "words"), [
    ('{"messages": [{"role": "user", "content": "x"}]}\n', "samples.jsonl:1: a sample needs a non-empty 'tools'"),
    ("\n[1]\n", "samples.jsonl:2: a sample must be a JSON object"),
    ('{"messages": [1], "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": 5}}}]}',
     "samples.jsonl:1: tool 'f' has an invalid schema"),
    ("{not json", "samples.jsonl:1: not a JSON value"),
    ("", "no samples"),
])
def test_bad_samples_are_file_line_errors(tmp_path: Path, sim: RunningSimulator, content: str, words: str) -> None:
    path = tmp_path / "samples.jsonl"
    path.write_text(content, encoding="utf-8")
    result = kimicheck("verify", "sim", write_config(tmp_path, sim), "--samples", str(path), environ=ENV)
    assert result.code == 2 and words in result.err, result.err
    assert not sim.state.requests


def test_several_models_need_model_option(tmp_path: Path, sim: RunningSimulator) -> None:
    config = write_config(tmp_path, sim, "[{id: kimi-k2.6, chat: false}, {id: kimi-k2.5, chat: false}]")
    result = kimicheck("verify", "sim", config, "--samples", write_samples(tmp_path, 2), environ=ENV)
    assert result.code == 2 and "choose one with --model" in result.err
    chosen = kimicheck("verify", "sim", config, "--samples", write_samples(tmp_path, 2), "--model", "kimi-k2.5",
                       "--format", "json", environ=ENV)
    assert json.loads(chosen.out)["model"] == "kimi-k2.5"
