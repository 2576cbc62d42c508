"""Server-sent events of a streamed chat completion, ending with `data: [DONE]`.

Usage goes where the provider puts it: with `stream_options.include_usage`, in a trailing chunk with
`choices: []` (as OpenAI sends it); otherwise in the finish chunk, inside the choice for Moonshot and at the
chunk's top for the others.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from starlette.responses import StreamingResponse

from kimicheck.sim.chat import Completion
from kimicheck.sim.dialects import Dialect

__all__ = ["SSEResponse", "StreamOptions", "sse_events", "sse_response"]

DONE = b"data: [DONE]\n\n"


@dataclass(frozen=True)
class StreamOptions:
    """How the client asked for the stream, and whether a fault took its usage away."""

    include_usage: bool = False
    with_usage: bool = True


def _event(payload: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode() + b"\n\n"


def _pieces(text: str | None) -> list[str]:
    if not text:
        return []
    words = text.split(" ")
    return [words[0], *(" " + w for w in words[1:])]


def _token_deltas(dialect: Dialect, completion: Completion) -> list[dict[str, Any]]:
    """The deltas of one choice after its role chunk: reasoning, content, then tool calls."""
    deltas: list[dict[str, Any]] = [{dialect.reasoning_field: p} for p in _pieces(completion.reasoning_content)]
    deltas += [{"content": p} for p in _pieces(completion.content)]
    for index, call in enumerate(completion.tool_calls):
        opening = {"index": index, "id": call.id(index), "type": "function",
                   "function": {"name": call.name, "arguments": ""}}
        deltas.append({"tool_calls": [opening]})
        deltas += [{"tool_calls": [{"index": index, "function": {"arguments": p}}]} for p in _pieces(call.arguments)]
    return deltas


def sse_events(dialect: Dialect, completion: Completion, model: str, completion_id: str, created: int,
               options: StreamOptions | None = None) -> list[bytes]:
    """Every event of the stream: role chunks, each choice's deltas, the finish chunks, usage, `[DONE]`."""
    options = options or StreamOptions()
    head = {"id": completion_id, "object": "chat.completion.chunk", "created": created,
            "model": dialect.echoed_model(model)}
    usage = dialect.usage(completion)
    last = completion.choices - 1

    def chunk(index: int, delta: dict[str, Any], finish_reason: str | None = None) -> bytes:
        choice: dict[str, Any] = {"index": index, "delta": delta, "finish_reason": finish_reason}
        extra: dict[str, Any] = {}
        if finish_reason is not None and index == last and options.with_usage and not options.include_usage:
            if dialect.usage_in_choice:
                choice["usage"] = usage
            else:
                extra["usage"] = usage
        return _event({**head, "choices": [choice], **extra})

    choices = range(completion.choices)
    events = [chunk(i, {"role": "assistant", "content": ""}) for i in choices]
    deltas = _token_deltas(dialect, completion)
    events += [chunk(i, delta) for i in choices for delta in deltas]
    events += [chunk(i, {}, completion.finish_reason) for i in choices]
    if options.include_usage and options.with_usage:
        events.append(_event({**head, "choices": [], "usage": usage}))
    events.append(DONE)
    return events


class SSEResponse(StreamingResponse):
    """A `text/event-stream` response that also keeps its events whole (for faults that rework a body).

    `events[first_token:token_end]` are the token chunks, after the role chunks and before the finish chunks.
    """

    def __init__(self, events: list[bytes], first_token: int = 1, token_end: int | None = None) -> None:
        self.events = events
        self.first_token = first_token
        self.token_end = len(events) - 2 if token_end is None else token_end
        super().__init__(self._iterate(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})

    def _iterate(self) -> Iterator[bytes]:
        yield from self.events

    @property
    def whole_body(self) -> bytes:
        """Every event, joined."""
        return b"".join(self.events)


def sse_response(dialect: Dialect, completion: Completion, model: str, completion_id: str, created: int,
                 options: StreamOptions | None = None) -> SSEResponse:
    """The stream of `sse_events`, knowing which of its events are tokens (for faults that pace or cut it)."""
    events = sse_events(dialect, completion, model, completion_id, created, options)
    choices = completion.choices
    return SSEResponse(events, choices, choices + choices * len(_token_deltas(dialect, completion)))
