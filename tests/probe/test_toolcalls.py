"""The K2VV judge of one tool call, and the stream reader: pure functions, every result class."""

from __future__ import annotations

import json

import pytest

from kimicheck.probe.stream_reading import read_stream
from kimicheck.probe.toolcalls import ToolCallResult, judge_tool_call
from kimicheck.probe.tools import REMINDER_TOOL


def message(name: str = "set_reminder", arguments: str = '{"text": "x", "priority": "high", "minutes": 15}') -> dict:
    return {"role": "assistant", "content": "", "tool_calls": [
        {"id": "functions.set_reminder:0", "type": "function", "function": {"name": name, "arguments": arguments}}]}


@pytest.mark.parametrize(("msg", "finish", "result"), [
    (message(), "tool_calls", ToolCallResult.VALID),
    (message(), "stop", ToolCallResult.MISSING),
    ({"role": "assistant", "content": "Sure!"}, "tool_calls", ToolCallResult.MISSING),
    (message(arguments='{"text": "x", "priority": "hi'), "tool_calls", ToolCallResult.INVALID_JSON),
    (message(arguments='{"text": "x", "priority": "urgent", "minutes": 15}'), "tool_calls",
     ToolCallResult.SCHEMA_MISMATCH),
    (message(arguments='{"text": "x", "priority": "high", "minutes": "15"}'), "tool_calls",
     ToolCallResult.SCHEMA_MISMATCH),
    (message(arguments='{"priority": "high", "minutes": 15}'), "tool_calls", ToolCallResult.SCHEMA_MISMATCH),
    (message(arguments="null"), "tool_calls", ToolCallResult.SCHEMA_MISMATCH),
    (message(name="get_weather"), "tool_calls", ToolCallResult.WRONG_FUNCTION),
])
def test_every_result_class(msg: dict, finish: str, result: ToolCallResult) -> None:
    verdict = judge_tool_call(msg, finish, REMINDER_TOOL)
    assert verdict.result is result, verdict.detail
    assert (verdict.detail == "") == (result is ToolCallResult.VALID)


def _events(*chunks: object, done: bool = True) -> bytes:
    body = b"".join(b"data: " + json.dumps(c).encode() + b"\n\n" for c in chunks)
    return body + (b"data: [DONE]\n\n" if done else b"")


ROLE = {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]}
THINK = {"choices": [{"index": 0, "delta": {"reasoning_content": "hmm"}}]}
ANSWER = {"choices": [{"index": 0, "delta": {"content": "1 2"}}]}
FINISH = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop",
                       "usage": {"prompt_tokens": 5, "completion_tokens": 3}}]}


def test_role_chunk_is_not_a_token_and_times_follow_arrivals() -> None:
    body = _events(ROLE, THINK, ANSWER, FINISH)
    cut = [body.index(b"reasoning"), body.index(b'"1 2"'), len(body)]
    arrivals = [(10.1, cut[0] - 1), (10.4, cut[1] + 20), (10.9, cut[1] + 21), (11.0, len(body))]
    reading = read_stream(body, arrivals, sent_at=10.0)
    assert reading.problem is None and reading.done
    assert reading.first_token == pytest.approx(0.4)
    assert reading.first_answer_token == pytest.approx(0.4)
    assert reading.end == pytest.approx(1.0)
    assert reading.usage == {"prompt_tokens": 5, "completion_tokens": 3}


@pytest.mark.parametrize(("body", "words"), [
    (_events(ROLE, ANSWER, FINISH, done=False), "without [DONE]"),
    (b"data: {not json\n\ndata: [DONE]\n\n", "not JSON"),
    (_events(ROLE, {"error": {"message": "upstream failed"}}), "error event"),
])
def test_broken_streams(body: bytes, words: str) -> None:
    reading = read_stream(body, [(1.0, len(body))], 0.0)
    assert reading.problem is not None and words in reading.problem
