"""Server-sent events of a streamed chat completion, ending with `data: [DONE]`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from starlette.responses import StreamingResponse

from kimicheck.sim.chat import Completion
from kimicheck.sim.dialects import Dialect

__all__ = ["SSEResponse", "sse_events"]

DONE = b"data: [DONE]\n\n"


def _event(payload: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode() + b"\n\n"


def _pieces(text: str | None) -> list[str]:
    if not text:
        return []
    words = text.split(" ")
    return [words[0], *(" " + w for w in words[1:])]


def sse_events(dialect: Dialect, completion: Completion, model: str, completion_id: str, created: int) -> list[bytes]:
    """Every event of the stream: a role chunk, reasoning and content deltas, the final chunk, `[DONE]`."""
    head = {"id": completion_id, "object": "chat.completion.chunk", "created": created,
            "model": dialect.echoed_model(model)}

    def chunk(delta: dict[str, Any], finish_reason: str | None = None, **extra: Any) -> bytes:
        choice = {"index": 0, "delta": delta, "finish_reason": finish_reason}
        if dialect.usage_in_choice and "usage" in extra:
            choice["usage"] = extra.pop("usage")
        return _event({**head, "choices": [choice], **extra})

    events = [chunk({"role": "assistant", "content": ""})]
    events += [chunk({"reasoning_content": p}) for p in _pieces(completion.reasoning_content)]
    events += [chunk({"content": p}) for p in _pieces(completion.content)]
    events.append(chunk({}, completion.finish_reason, usage=dialect.usage(completion)))
    events.append(DONE)
    return events


class SSEResponse(StreamingResponse):
    """A `text/event-stream` response that also keeps its events whole (for faults that rework a body)."""

    def __init__(self, events: list[bytes]) -> None:
        self.events = events
        super().__init__(self._iterate(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})

    def _iterate(self) -> Iterator[bytes]:
        yield from self.events

    @property
    def whole_body(self) -> bytes:
        """Every event, joined."""
        return b"".join(self.events)
