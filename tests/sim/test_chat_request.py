"""What the simulator reads in a chat request, and what Moonshot refuses for a model, as the model's facts say."""

from typing import Any

import pytest

from kimicheck.providers import Kind
from kimicheck.sim.catalog import model_info
from kimicheck.sim.chat import complete, parse_chat_request
from kimicheck.sim.chat_request import ChatRequest, refusal

HI = [{"role": "user", "content": "hi"}]
TOOL = {"type": "function", "function": {"name": "get_weather", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}


def parsed(**body: Any) -> ChatRequest:
    request = parse_chat_request({"model": "moonshot-v1-8k", "messages": HI, **body})
    assert isinstance(request, ChatRequest), request
    return request


def test_model_facts_carry_thinking_and_fixed_params() -> None:
    assert (model_info("kimi-k2.6").thinking, model_info("kimi-k2.6").fixed_params["temperature"]) == ("optional", 1)
    assert model_info("kimi-k2-thinking").thinking == "always"
    assert (model_info("moonshot-v1-8k").thinking, dict(model_info("moonshot-v1-8k").fixed_params)) == ("never", {})
    assert model_info("no-such-model").thinking is None


@pytest.mark.parametrize(("body", "message"), [
    ({"tools": {}}, "tools must be a list"),
    ({"tools": [{"type": "function"}]}, "each tool must be {type: function, function: {name, parameters}}"),
    ({"tools": [TOOL], "tool_choice": "always"},
     "tool_choice must be auto, none, required or {type: function, function: {name}}"),
    ({"tools": [TOOL], "tool_choice": {"type": "function", "function": {"name": "other"}}},
     "tool_choice names other, which is not in tools"),
    ({"response_format": {"type": "yaml"}}, "response_format.type must be text, json_object or json_schema"),
    ({"n": 0}, "n must be a positive integer"),
])
def test_bad_tool_and_format_requests(body: dict[str, Any], message: str) -> None:
    assert parse_chat_request({"model": "m", "messages": HI, **body}) == message


@pytest.mark.parametrize(("model", "body", "message"), [
    ("kimi-k2.6", {"temperature": 0.3}, "invalid temperature: only 1 is allowed for this model"),
    ("kimi-k2.6", {"top_p": 0.5}, "invalid top_p: only 0.95 is allowed for this model"),
    ("kimi-k2.6", {"n": 2}, "invalid n: only 1 is allowed for this model"),
    ("moonshot-v1-8k", {"n": 6}, "invalid n: at most 5 is allowed"),
    ("kimi-k2-thinking", {"thinking": {"type": "disabled"}}, "thinking cannot be disabled for this model"),
    ("moonshot-v1-8k", {"tools": [TOOL], "tool_choice": "required"},
     "tool_choice 'required' is not supported, use 'auto' or name a function"),
    ("kimi-k2.6", {"tools": [TOOL], "tool_choice": {"type": "function", "function": {"name": "get_weather"}}},
     "tool_choice naming a function is not supported while thinking is enabled"),
    ("kimi-k2-thinking", {"tools": [TOOL], "tool_choice": {"type": "function", "function": {"name": "get_weather"}}},
     "tool_choice naming a function is not supported while thinking is enabled"),
])
def test_moonshot_refuses_what_the_model_facts_forbid(model: str, body: dict[str, Any], message: str) -> None:
    request = parsed(model=model, **body)
    assert refusal(request, Kind.MOONSHOT) == message
    assert refusal(request, Kind.OPENROUTER) is None  # a gateway's vendors differ: not refused there


@pytest.mark.parametrize(("model", "body"), [
    ("kimi-k2.6", {"temperature": 1, "n": 1, "top_p": 0.95}),
    ("kimi-k2.6", {"thinking": {"type": "disabled"}, "temperature": 0.6}),
    ("kimi-k2.6", {"thinking": {"type": "disabled"}, "tools": [TOOL],
                   "tool_choice": {"type": "function", "function": {"name": "get_weather"}}}),
    ("moonshot-v1-8k", {"n": 5, "temperature": 0.3}),
    ("moonshot-v1-8k", {"tools": [TOOL], "tool_choice": {"type": "function", "function": {"name": "get_weather"}}}),
])
def test_moonshot_accepts_what_the_model_facts_allow(model: str, body: dict[str, Any]) -> None:
    assert refusal(parsed(model=model, **body), Kind.MOONSHOT) is None


def test_thinking_disabled_on_an_optional_model_answers_without_reasoning() -> None:
    assert complete(parsed(model="kimi-k2.6")).reasoning_content is not None
    assert complete(parsed(model="kimi-k2.6", thinking={"type": "disabled"})).reasoning_content is None


def test_n_choices_cost_n_times_the_completion() -> None:
    one, three = complete(parsed()), complete(parsed(n=3))
    assert (three.choices, three.completion_tokens) == (3, 3 * one.completion_tokens)


def test_a_cap_too_small_for_the_call_ends_with_length_and_no_call() -> None:
    done = complete(parsed(model="kimi-k2.6", tools=[TOOL], max_tokens=16))
    assert (done.tool_calls, done.finish_reason, done.completion_tokens) == ((), "length", 16)
