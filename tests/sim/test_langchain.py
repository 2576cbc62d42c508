"""LangChain's `ChatOpenAI`, used as its documentation shows, against the simulator over loopback."""

from typing import Any

import pytest
from langchain_core.messages import AIMessageChunk
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, Field

from kimicheck.sim import RunningSimulator
from tests.sim.conftest import KEY


def chat(sim: RunningSimulator, model: str = "kimi-k3.1-pro", **options: Any) -> ChatOpenAI:
    return ChatOpenAI(model=model, api_key=KEY, base_url=sim.base_url, max_retries=0, timeout=10,  # type: ignore[arg-type]
                      **options)


class GetWeather(BaseModel):
    """Get the weather of a city."""

    city: str = Field(description="the city")
    days: int = Field(description="how many days ahead")


def test_invoke_answers_with_usage_metadata(sim: RunningSimulator) -> None:
    message = chat(sim).invoke("say hello")
    assert str(message.content).startswith("Hello from the kimicheck simulator.")
    assert message.usage_metadata is not None  # type: ignore[attr-defined]
    assert message.usage_metadata["output_tokens"] == 17  # type: ignore[attr-defined]


def test_stream_with_stream_usage_sees_usage(sim: RunningSimulator) -> None:
    total: AIMessageChunk | None = None
    for chunk in chat(sim, stream_usage=True).stream("say hello"):
        total = chunk if total is None else total + chunk  # type: ignore[assignment]
    assert total is not None
    assert str(total.content).startswith("Hello from the kimicheck simulator.")
    assert total.usage_metadata is not None
    assert total.usage_metadata["output_tokens"] == 17
    assert total.usage_metadata["total_tokens"] == total.usage_metadata["input_tokens"] + 17


@pytest.mark.parametrize(("model", "tool_choice"), [("kimi-k3.1-pro", "GetWeather"), ("kimi-k2.6", "auto")])
def test_bind_tools_gets_a_parsed_tool_call(sim: RunningSimulator, model: str, tool_choice: str) -> None:
    message = chat(sim, model).bind_tools([GetWeather], tool_choice=tool_choice).invoke("weather in Paris?")
    assert message.tool_calls == [  # type: ignore[attr-defined]
        {"name": "GetWeather", "args": {"city": "example", "days": 0}, "id": "functions.GetWeather:0",
         "type": "tool_call"}
    ]
    assert message.response_metadata["finish_reason"] == "tool_calls"


def test_streamed_tool_call_chunks_add_up(sim: RunningSimulator) -> None:
    total: AIMessageChunk | None = None
    for chunk in chat(sim, stream_usage=True).bind_tools([GetWeather], tool_choice="GetWeather").stream("go"):
        total = chunk if total is None else total + chunk  # type: ignore[assignment]
    assert total is not None
    assert [(c["name"], c["args"]) for c in total.tool_calls] == [("GetWeather", {"city": "example", "days": 0})]
    assert total.usage_metadata is not None
