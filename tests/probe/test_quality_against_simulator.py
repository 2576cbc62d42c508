"""The stream, tools and json checks against the simulator: ok on a healthy account, each reason from its fault."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from kimicheck.config.models import Config
from kimicheck.probe.jsonmode import JSON_PROMPT
from kimicheck.probe.paid import paid_body
from kimicheck.probe.result import Check, ProbeResult, Reason, StreamData, ToolCallData
from kimicheck.probe.runner import run_probes
from kimicheck.probe.stream import STREAM_PROMPT
from kimicheck.probe.tools import REMINDER_TOOL, TOOLS_PROMPT
from kimicheck.sim import Fault, RunningSimulator

from .helpers import FAST_RETRY

KEY = "sk-sim-probe-000000000000000000000001"
QUALITY = (Check.STREAM, Check.TOOLS, Check.JSON)


def quality_config(base_url: str, kind: str = "moonshot", model: str = "kimi-k2.6", **extra: Any) -> Config:
    entry = {"name": "sim", "kind": kind, "base_url": base_url, "api_key_env": "SIM_KEY",
             "models": [{"id": model, "stream": True, "tools": True, "json": True}], **extra}
    return Config.model_validate({"version": 1, "providers": [entry]})


def run(base_url: str, checks: tuple[Check, ...] = QUALITY, **extra: Any) -> list[ProbeResult]:
    return asyncio.run(run_probes(quality_config(base_url, **extra), checks=checks, environ={"SIM_KEY": KEY},
                                  timeout=5.0, retry=FAST_RETRY))


def fault(sim: RunningSimulator, **spec: Any) -> None:
    sim.state.faults.append(Fault.model_validate(spec))


@pytest.mark.parametrize("kind", ["moonshot", "openrouter", "deepseek"])
def test_each_check_is_ok_on_a_healthy_account(sim: RunningSimulator, kind: str) -> None:
    model = "moonshotai/kimi-k2.6" if kind == "openrouter" else "kimi-k2.6"
    if kind == "deepseek":
        model = "deepseek-chat"
    base = sim.base_url.removesuffix("/v1") + ("/api/v1" if kind == "openrouter" else "/v1")
    if kind == "deepseek":
        base = sim.base_url.removesuffix("/v1")
    results = run(base, kind=kind, model=model)
    assert [(r.check, r.model, r.ok, r.reason) for r in results] == [
        (check, model, True, Reason.OK) for check in QUALITY], [r.detail for r in results]
    stream, tools, _ = results
    assert isinstance(stream.data, StreamData) and stream.data.completion_tokens > 0
    assert stream.data.output_tokens_per_second is not None
    assert isinstance(tools.data, ToolCallData) and tools.data.result == "valid"


def test_requests_carry_what_each_check_needs(sim: RunningSimulator) -> None:
    [provider] = quality_config(sim.base_url).providers
    [model] = provider.model_entries()
    stream = paid_body(provider, model, STREAM_PROMPT, stream=True, stream_options={"include_usage": True})
    tools = paid_body(provider, model, TOOLS_PROMPT, tools=[REMINDER_TOOL.definition()], tool_choice="auto")
    json_mode = paid_body(provider, model, JSON_PROMPT, response_format={"type": "json_object"})
    assert tools["tools"][0]["function"]["name"] == "set_reminder"
    for body in (stream, tools, json_mode):
        assert body["max_completion_tokens"] == 512  # kimi-k2.6 thinks: room to think first
        assert "temperature" not in body and "max_tokens" not in body
    assert paid_body(provider, model.model_copy(update={"max_tokens": 40}), "x")["max_completion_tokens"] == 40


@pytest.mark.parametrize(("spec", "check", "reason", "words"), [
    ({"kind": "stream_cut"}, Check.STREAM, Reason.STREAM_BROKEN, "cut off"),
    ({"kind": "stream_without_usage"}, Check.STREAM, Reason.STREAM_BROKEN, "no usage"),
    ({"kind": "tool_call_missing"}, Check.TOOLS, Reason.TOOL_CALL_MISSING, "missing"),
    ({"kind": "tool_arguments_not_json"}, Check.TOOLS, Reason.TOOL_CALL_INVALID, "invalid_json"),
    ({"kind": "tool_arguments_invalid"}, Check.TOOLS, Reason.TOOL_CALL_INVALID, "schema_mismatch"),
    ({"kind": "tool_wrong_name"}, Check.TOOLS, Reason.TOOL_CALL_INVALID, "wrong_function"),
    ({"kind": "json_prose"}, Check.JSON, Reason.JSON_INVALID, "not JSON"),
])
def test_each_reason_comes_from_its_fault(sim: RunningSimulator, spec: dict[str, Any], check: Check,
                                          reason: Reason, words: str) -> None:
    fault(sim, **spec)
    [result] = run(sim.base_url, (check,))
    assert (result.ok, result.reason) == (False, reason), result.detail
    assert words in result.detail
    assert result.model == "kimi-k2.6"
    assert len(list(sim.state.select(method="POST"))) == 1  # paid: never retried once sent


def test_slow_first_token_is_measured_and_warned(sim: RunningSimulator) -> None:
    delay = 0.4
    fault(sim, kind="slow_stream", seconds=delay)
    [result] = run(sim.base_url, (Check.STREAM,), chat={"ttft_warn_above": "200ms"})
    assert (result.ok, result.reason) == (True, Reason.SLOW), result.detail
    assert isinstance(result.data, StreamData) and result.data.time_to_first_token is not None
    assert abs(result.data.time_to_first_token - delay) < 0.05


def test_ttft_within_50ms_of_the_configured_delay(sim: RunningSimulator) -> None:
    for delay in (0.1, 0.3):
        sim.state.faults.clear()
        fault(sim, kind="slow_stream", seconds=delay)
        [result] = run(sim.base_url, (Check.STREAM,))
        assert result.reason is Reason.OK
        assert isinstance(result.data, StreamData) and result.data.time_to_first_token is not None
        assert abs(result.data.time_to_first_token - delay) < 0.05, result.data
        assert result.data.total_seconds is not None and result.data.total_seconds >= result.data.time_to_first_token


def test_paid_checks_run_only_for_models_configured_for_them(sim: RunningSimulator) -> None:
    cfg = Config.model_validate({"version": 1, "providers": [{
        "name": "sim", "kind": "moonshot", "base_url": sim.base_url, "api_key_env": "SIM_KEY",
        "models": ["kimi-k2.6", {"id": "kimi-k2.5", "tools": True}, {"id": "moonshot-v1-8k", "json": True}]}]})
    results = asyncio.run(run_probes(cfg, checks=(Check.CHAT, *QUALITY), environ={"SIM_KEY": KEY}))
    assert [(r.check, r.model) for r in results] == [(Check.TOOLS, "kimi-k2.5"), (Check.JSON, "moonshot-v1-8k")]
