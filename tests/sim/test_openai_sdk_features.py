"""The OpenAI SDK's streaming usage, tool calls, JSON mode and `n` against the simulator over loopback."""

import json
from typing import Any

import openai
import pytest
from pydantic import BaseModel

from kimicheck.providers import Kind
from kimicheck.sim import RunningSimulator
from tests.sim.conftest import KEY

HI = [{"role": "user", "content": "hi"}]
WEATHER_SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                   "days": {"type": "integer", "minimum": 1}},
    "required": ["city", "unit", "days"],
}
TOOLS: list[Any] = [{"type": "function", "function": {"name": "get_weather", "description": "Weather of a city",
                                                      "parameters": WEATHER_SCHEMA}}]
FORCED: Any = {"type": "function", "function": {"name": "get_weather"}}
OPENROUTER_KEY = "sk-or-v1-test-features"


def client(sim: RunningSimulator, kind: Kind = Kind.MOONSHOT, key: str = KEY) -> openai.OpenAI:
    return openai.OpenAI(api_key=key, base_url=sim.base_url_for(kind), max_retries=0, timeout=10)


def test_stream_with_include_usage_ends_with_a_usage_chunk(sim: RunningSimulator) -> None:
    chunks = list(client(sim).chat.completions.create(
        model="kimi-k3.1-pro", messages=HI, stream=True, stream_options={"include_usage": True}))
    last = chunks[-1]
    assert last.choices == []
    assert last.usage is not None and last.usage.total_tokens == last.usage.prompt_tokens + 17
    assert chunks[-2].choices[0].finish_reason == "stop"
    assert all(c.usage is None for c in chunks[:-1])


def test_stream_without_include_usage_keeps_moonshot_usage_in_the_choice(sim: RunningSimulator) -> None:
    chunks = list(client(sim).chat.completions.create(model="kimi-k3.1-pro", messages=HI, stream=True))
    finish = chunks[-1].choices[0]
    assert finish.finish_reason == "stop"
    assert (finish.model_extra or {})["usage"]["completion_tokens"] == 17
    assert all(c.usage is None for c in chunks)


def test_forced_function_on_a_non_thinking_model(sim: RunningSimulator) -> None:
    reply = client(sim).chat.completions.create(
        model="kimi-k3.1-pro", messages=HI, tools=TOOLS, tool_choice=FORCED)
    choice = reply.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    call = choice.message.tool_calls[0]  # type: ignore[index]
    assert (call.id, call.type, call.function.name) == ("functions.get_weather:0", "function", "get_weather")  # type: ignore[union-attr]
    assert json.loads(call.function.arguments) == {"city": "example", "unit": "celsius", "days": 1}  # type: ignore[union-attr]


def test_auto_tool_choice_on_a_thinking_model_thinks_then_calls(sim: RunningSimulator) -> None:
    reply = client(sim).chat.completions.create(model="kimi-k2.6", messages=HI, tools=TOOLS)
    choice = reply.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert (choice.message.model_extra or {})["reasoning_content"]
    assert choice.message.tool_calls is not None and choice.message.tool_calls[0].function.name == "get_weather"  # type: ignore[union-attr]


@pytest.mark.parametrize(("model", "tool_choice", "message"), [
    ("kimi-k2.6", "required", "tool_choice 'required' is not supported, use 'auto' or name a function"),
    ("kimi-k2.6", FORCED, "tool_choice naming a function is not supported while thinking is enabled"),
])
def test_refused_tool_choices_raise_bad_request(sim: RunningSimulator, model: str, tool_choice: Any,
                                                message: str) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client(sim).chat.completions.create(model=model, messages=HI, tools=TOOLS, tool_choice=tool_choice)
    assert caught.value.body == {"type": "invalid_request_error", "message": message}
    assert sim.state.account(KEY).spent == 0


def test_streamed_tool_call_deltas_add_up_to_valid_arguments(sim: RunningSimulator) -> None:
    stream = client(sim).chat.completions.create(
        model="kimi-k3.1-pro", messages=HI, tools=TOOLS, tool_choice=FORCED, stream=True,
        stream_options={"include_usage": True})
    chunks = list(stream)
    deltas = [c.choices[0].delta.tool_calls[0] for c in chunks if c.choices and c.choices[0].delta.tool_calls]
    assert deltas[0].id == "functions.get_weather:0" and deltas[0].function.name == "get_weather"  # type: ignore[union-attr]
    arguments = "".join(d.function.arguments or "" for d in deltas)  # type: ignore[union-attr]
    assert json.loads(arguments) == {"city": "example", "unit": "celsius", "days": 1}
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "tool_calls"
    assert chunks[-1].usage is not None


def test_json_mode_answers_a_json_object(sim: RunningSimulator) -> None:
    reply = client(sim).chat.completions.create(
        model="kimi-k2.6", messages=[{"role": "user", "content": "answer in JSON"}],
        response_format={"type": "json_object"})
    assert isinstance(json.loads(reply.choices[0].message.content or ""), dict)


class Weather(BaseModel):
    city: str
    days: int


def test_parse_with_a_pydantic_model_gets_a_parsed_instance(sim: RunningSimulator) -> None:
    reply = client(sim).chat.completions.parse(model="kimi-k3.1-pro", messages=HI, response_format=Weather)
    assert reply.choices[0].message.parsed == Weather(city="example", days=0)


def test_parse_with_json_object_gives_content_json_loads_reads(sim: RunningSimulator) -> None:
    reply = client(sim).chat.completions.parse(model="kimi-k3.1-pro", messages=HI,
                                               response_format={"type": "json_object"})
    assert json.loads(reply.choices[0].message.content or "")["answer"].startswith("Hello from")


def test_n_is_honoured_where_the_model_allows_it(sim: RunningSimulator) -> None:
    reply = client(sim).chat.completions.create(model="kimi-k3.1-pro", messages=HI, n=3)
    assert [c.index for c in reply.choices] == [0, 1, 2]
    assert reply.usage is not None and reply.usage.completion_tokens == 3 * 17
    with pytest.raises(openai.BadRequestError, match="invalid n: only 1 is allowed for this model"):
        client(sim).chat.completions.create(model="kimi-k2.6", messages=HI, n=2)


def test_thinking_disabled_is_honoured_or_refused_as_the_model_says(sim: RunningSimulator) -> None:
    off: Any = {"thinking": {"type": "disabled"}}
    reply = client(sim).chat.completions.create(model="kimi-k2.6", messages=HI, extra_body=off)
    assert "reasoning_content" not in (reply.choices[0].message.model_extra or {})
    with pytest.raises(openai.BadRequestError, match="thinking cannot be disabled for this model"):
        client(sim).chat.completions.create(model="kimi-k2-thinking", messages=HI, extra_body=off)


def test_openrouter_sends_reasoning_not_reasoning_content(sim: RunningSimulator) -> None:
    sim.state.account(OPENROUTER_KEY, Kind.OPENROUTER)
    sdk = client(sim, Kind.OPENROUTER, OPENROUTER_KEY)
    message = sdk.chat.completions.create(model="moonshotai/kimi-k2.6", messages=HI).choices[0].message
    assert (message.model_extra or {}).keys() >= {"reasoning"}
    assert "reasoning_content" not in (message.model_extra or {})
    chunks = list(sdk.chat.completions.create(model="moonshotai/kimi-k2.6", messages=HI, stream=True))
    streamed = "".join((c.choices[0].delta.model_extra or {}).get("reasoning", "") for c in chunks if c.choices)
    assert streamed == message.model_extra["reasoning"]  # type: ignore[index]


def test_completion_ids_look_like_real_ones(sim: RunningSimulator) -> None:
    reply = client(sim).chat.completions.create(model="kimi-k3.1-pro", messages=HI)
    assert reply.id.startswith("chatcmpl-") and len(reply.id) == len("chatcmpl-") + 24
