"""Read a streamed chat completion (server-sent events) and when each of its parts arrived: pure, no IO.

The body is read whole by `http.send`, which also notes when each piece of it arrived (`arrivals`: the time and
the body length so far). An event's time is that of the piece that completed it. Time to first token runs from
sending the request to the first delta with non-empty content or reasoning (the opening role-only chunk is not
a token); time to first answer token to the first non-empty `content`. Usage may come in the finish chunk
(inside the choice on Moonshot, at the chunk's top elsewhere) or in a trailing chunk with `choices: []`.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["REASONING_FIELDS", "StreamReading", "read_stream"]

#: where providers put a delta's reasoning text (Moonshot, DeepSeek: reasoning_content; OpenRouter: reasoning)
REASONING_FIELDS = ("reasoning_content", "reasoning")


@dataclass(frozen=True)
class StreamReading:
    """What a stream contained; times are seconds from sending the request, None where nothing came."""

    events: int = 0
    done: bool = False
    #: the first problem that makes the stream broken (malformed, an error event, no end), else None
    problem: str | None = None
    usage: Mapping[str, Any] | None = None
    finish_reason: str | None = None
    first_token: float | None = None
    first_answer_token: float | None = None
    end: float | None = None


def _time_at(offset: int, arrivals: Sequence[tuple[float, int]], sent_at: float) -> float:
    lengths = [length for _, length in arrivals]
    index = bisect.bisect_left(lengths, offset)
    when = arrivals[index][0] if index < len(arrivals) else (arrivals[-1][0] if arrivals else sent_at)
    return max(0.0, when - sent_at)


def _has_text(value: object) -> bool:
    return isinstance(value, str) and value != ""


def _read_chunk(chunk: Mapping[str, Any], at: float, found: dict[str, Any]) -> None:
    if isinstance(chunk.get("usage"), Mapping):
        found["usage"] = chunk["usage"]
    choices = chunk.get("choices")
    for choice in choices if isinstance(choices, list) else []:
        if not isinstance(choice, Mapping):
            continue
        if isinstance(choice.get("usage"), Mapping):
            found["usage"] = choice["usage"]
        if isinstance(choice.get("finish_reason"), str):
            found["finish_reason"] = choice["finish_reason"]
        delta = choice.get("delta")
        if not isinstance(delta, Mapping):
            continue
        answer = _has_text(delta.get("content"))
        if answer or any(_has_text(delta.get(f)) for f in REASONING_FIELDS) or delta.get("tool_calls"):
            found.setdefault("first_token", at)
        if answer:
            found.setdefault("first_answer_token", at)


def _event_data(event: bytes) -> str | None:
    lines = [line for line in event.decode("utf-8", "replace").splitlines() if line and not line.startswith(":")]
    data = [line[5:].removeprefix(" ") for line in lines if line.startswith("data:")]
    return "\n".join(data) if data else None


def read_stream(body: bytes, arrivals: Sequence[tuple[float, int]], sent_at: float) -> StreamReading:
    """Judge the SSE `body` of a streamed completion, timing its events by `arrivals` from `sent_at`."""
    found: dict[str, Any] = {}
    problem: str | None = None
    done = False
    events = 0
    offset = 0
    normalized = body.replace(b"\r\n", b"\n")
    for raw in normalized.split(b"\n\n"):
        offset += len(raw) + 2
        data = _event_data(raw)
        if data is None:
            continue
        if done:
            problem = problem or "data after [DONE]"
            break
        if data.strip() == "[DONE]":
            done = True
            continue
        events += 1
        try:
            chunk = json.loads(data)
        except ValueError:
            problem = problem or f"event {events} is not JSON"
            break
        if not isinstance(chunk, Mapping):
            problem = problem or f"event {events} is not a JSON object"
            break
        if "error" in chunk:
            problem = problem or f"an error event mid-stream: {str(chunk['error'])[:160]}"
            break
        _read_chunk(chunk, _time_at(offset, arrivals, sent_at), found)
    if problem is None and not done:
        problem = f"the stream ended after {events} events without [DONE]"
    return StreamReading(
        events=events, done=done, problem=problem, usage=found.get("usage"),
        finish_reason=found.get("finish_reason"), first_token=found.get("first_token"),
        first_answer_token=found.get("first_answer_token"), end=_time_at(len(normalized), arrivals, sent_at),
    )
