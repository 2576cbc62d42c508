"""The faults that break streaming, tool calls and JSON mode, as real clients see them."""

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import openai
import pytest
from langchain_openai import ChatOpenAI

from kimicheck.sim import CONTROL_TOKEN_HEADER, Fault, FaultKind, RunningSimulator, load_scenario
from tests.sim.test_openai_sdk_features import FORCED, HI, TOOLS, WEATHER_SCHEMA

KEY = "sk-test-chat-faults-000000000"


@pytest.fixture
def sim(scenario_sim: Callable[[dict[str, Any]], RunningSimulator]) -> RunningSimulator:
    return scenario_sim({"seed": 7, "accounts": [{"key": KEY, "name": "vendor"}]})


def client(sim: RunningSimulator) -> openai.OpenAI:
    return openai.OpenAI(api_key=KEY, base_url=sim.base_url, max_retries=0, timeout=10)


def with_faults(sim: RunningSimulator, *faults: dict[str, Any]) -> None:
    sim.state.account(KEY).faults = [Fault.model_validate(f) for f in faults]


def tool_call(sim: RunningSimulator) -> Any:
    choice = client(sim).chat.completions.create(
        model="kimi-k3.1-pro", messages=HI, tools=TOOLS, tool_choice=FORCED).choices[0]
    return choice


def test_slow_stream_delays_the_first_token_then_paces_the_rest(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "slow_stream", "seconds": 0.3, "tokens_per_second": 100})
    sent = time.monotonic()
    arrivals: list[tuple[float, str | None]] = []
    for chunk in client(sim).chat.completions.create(model="kimi-k3.1-pro", messages=HI, stream=True):
        arrivals.append((time.monotonic(), chunk.choices[0].delta.content))
    opened = arrivals[0][0]  # the role-only chunk comes at once: it is not a token
    first_token = next(at for at, content in arrivals if content)
    assert first_token - sent >= 0.3
    # measured from the role chunk, the client's own start-up is left out
    assert 0.25 <= first_token - opened < 0.45
    assert arrivals[-1][0] - first_token >= 16 / 100  # 17 content tokens: 16 gaps at 100 tokens/s


def test_stream_cut_breaks_off_without_finish_or_done(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "stream_cut"})
    seen: list[Any] = []
    with pytest.raises((httpx.RemoteProtocolError, openai.APIConnectionError)):
        seen.extend(client(sim).chat.completions.create(model="kimi-k3.1-pro", messages=HI, stream=True))
    assert seen and all(c.choices[0].finish_reason is None for c in seen)
    assert sim.state.account(KEY).faults[0].fired == 1


def test_stream_without_usage_ends_normally_with_no_usage_anywhere(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "stream_without_usage"})
    chunks = list(client(sim).chat.completions.create(
        model="kimi-k3.1-pro", messages=HI, stream=True, stream_options={"include_usage": True}))
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(c.usage is None and "usage" not in (c.choices[0].model_extra or {}) for c in chunks)
    usage = None
    for chunk in ChatOpenAI(model="kimi-k3.1-pro", api_key=KEY, base_url=sim.base_url,  # type: ignore[arg-type]
                            stream_usage=True, max_retries=0).stream("hi"):
        usage = usage or chunk.usage_metadata
    assert usage is None


def test_tool_call_missing_answers_prose(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "tool_call_missing"})
    choice = tool_call(sim)
    assert (choice.finish_reason, choice.message.tool_calls) == ("stop", None)
    assert choice.message.content.startswith("Hello from")


def test_tool_arguments_not_json(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "tool_arguments_not_json"})
    choice = tool_call(sim)
    assert choice.finish_reason == "tool_calls"
    with pytest.raises(json.JSONDecodeError):
        json.loads(choice.message.tool_calls[0].function.arguments)
    message = ChatOpenAI(model="kimi-k3.1-pro", api_key=KEY, base_url=sim.base_url,  # type: ignore[arg-type]
                         max_retries=0).bind_tools(TOOLS, tool_choice="get_weather").invoke("hi")
    assert message.tool_calls == [] and len(message.invalid_tool_calls) == 1  # type: ignore[attr-defined]


def test_tool_arguments_invalid_fail_the_schema(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "tool_arguments_invalid"})
    arguments = json.loads(tool_call(sim).message.tool_calls[0].function.arguments)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(arguments, WEATHER_SCHEMA)


def test_tool_wrong_name_calls_a_function_not_offered(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "tool_wrong_name"})
    call = tool_call(sim).message.tool_calls[0]
    assert call.function.name not in {t["function"]["name"] for t in TOOLS}
    assert call.id == f"functions.{call.function.name}:0"


def test_json_prose_is_not_json(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "json_prose"})
    reply = client(sim).chat.completions.create(model="kimi-k3.1-pro", messages=HI,
                                                response_format={"type": "json_object"})
    with pytest.raises(json.JSONDecodeError):
        json.loads(reply.choices[0].message.content or "")


def test_a_rate_makes_that_share_of_tool_calls_invalid(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "tool_arguments_invalid", "rate": 0.1})
    body = {"model": "kimi-k3.1-pro", "messages": HI, "tools": TOOLS, "tool_choice": FORCED}
    valid = 0
    with httpx.Client(headers={"Authorization": f"Bearer {KEY}"}, timeout=10) as http:
        for _ in range(200):
            reply = http.post(sim.base_url + "/chat/completions", json=body).json()
            arguments = json.loads(reply["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"])
            valid += jsonschema.Draft202012Validator(WEATHER_SCHEMA).is_valid(arguments)
    assert 0.87 <= valid / 200 <= 0.93


def test_chat_faults_leave_other_endpoints_and_plain_chats_alone(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "tool_call_missing"}, {"kind": "json_prose"}, {"kind": "stream_cut"})
    assert httpx.get(sim.base_url + "/models", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
    reply = client(sim).chat.completions.create(model="kimi-k3.1-pro", messages=HI)
    assert reply.choices[0].message.content.startswith("Hello from")


def test_chat_faults_are_settable_in_scenarios_and_the_control_api(sim: RunningSimulator) -> None:
    state = load_scenario({"faults": [{"kind": "slow_stream", "seconds": 2, "tokens_per_second": 5},
                                      {"kind": "tool_wrong_name", "rate": 0.25}],
                           "accounts": [{"key": "sk-x"}]})
    assert [(f.kind.value, f.delay, f.tokens_per_second) for f in state.faults] == [
        ("slow_stream", 2.0, 5.0), ("tool_wrong_name", 0.0, None)]
    control = sim.base_url.rsplit("/v1", 1)[0] + "/_sim"
    headers = {CONTROL_TOKEN_HEADER: sim.state.control_token}
    assert httpx.put(control + "/faults", headers=headers,
                     json=[{"kind": "json_prose", "rate": 0.1}]).json() == {"faults": 1}
    assert httpx.patch(control + "/accounts/vendor", headers=headers,
                       json={"faults": [{"kind": "stream_cut", "endpoint": "chat"}]}).status_code == 200
    assert httpx.put(control + "/faults", headers=headers,
                     json=[{"kind": "slow_stream", "tokens_per_second": 0}]).status_code == 400


def test_every_fault_kind_is_in_the_readme_faults_table() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Faults", 1)[1].split("\n### ", 1)[0]
    documented = {line.split("`")[1] for line in section.splitlines() if line.startswith("| `")}
    assert documented == {kind.value for kind in FaultKind}
