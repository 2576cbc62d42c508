"""A chat completion as the simulator computes it, before any provider's dialect shapes it.

Tokens are counted roughly (a word is a token, a message costs a few more), which is all a probe or a
spend test needs: the numbers are stable and grow with the input. A model fault (`faults.MODEL_KINDS`) makes
the model answer the way a faulty vendor does: no tool call, broken or wrong arguments, prose in JSON mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kimicheck.sim.catalog import REASONING_TOKENS
from kimicheck.sim.chat_request import ChatRequest, Tool, parse_chat_request
from kimicheck.sim.faults import FaultKind
from kimicheck.sim.tools import ToolCall, broken_arguments, dumps, minimal_instance, schema_violation

__all__ = ["ANSWER", "REASONING", "ChatRequest", "Completion", "complete", "parse_chat_request"]

ANSWER = "Hello from the kimicheck simulator. The API, the key and the model all work as expected today."
REASONING = "The user wants a short greeting, so I will answer briefly and plainly without any extra detail."
#: what a vendor that ignores JSON mode writes before the object.
PROSE_BEFORE_JSON = "Sure! Here is the JSON object you asked for:"
_REASONING_WORDS = REASONING.split()[:REASONING_TOKENS]
_MESSAGE_OVERHEAD_TOKENS = 3


@dataclass(frozen=True)
class Completion:
    """What the model answers (each of the `choices` alike), and what it costs in tokens."""

    content: str | None
    reasoning_content: str | None
    finish_reason: str
    prompt_tokens: int
    completion_tokens: int
    tool_calls: tuple[ToolCall, ...] = ()
    choices: int = 1

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    def cost(self, price_per_token: Decimal) -> Decimal:
        """What the completion costs at `price_per_token`."""
        return price_per_token * self.total_tokens


def _prompt_tokens(messages: list[Any]) -> int:
    tokens = 0
    for message in messages:
        content = message.get("content") if isinstance(message, dict) else None
        text = content if isinstance(content, str) else str(content or "")
        tokens += len(text.split()) + _MESSAGE_OVERHEAD_TOKENS
    return max(tokens, 1)


def _tool_call(request: ChatRequest, flaw: FaultKind | None) -> ToolCall:
    tool: Tool = next((t for t in request.tools if t.name == request.forced_tool), request.tools[0])
    arguments = dumps(minimal_instance(tool.parameters))
    name = tool.name
    if flaw is FaultKind.TOOL_ARGUMENTS_NOT_JSON:
        arguments = broken_arguments(arguments)
    elif flaw is FaultKind.TOOL_ARGUMENTS_INVALID:
        arguments = dumps(schema_violation(tool.parameters))
    elif flaw is FaultKind.TOOL_WRONG_NAME:
        taken = {t.name for t in request.tools}
        while name in taken:
            name += "_v2"
    return ToolCall(name, arguments)


def _answer_text(request: ChatRequest, flaw: FaultKind | None) -> str:
    if request.response_format == "text":
        return ANSWER
    value = minimal_instance(request.json_schema) if request.response_format == "json_schema" else None
    text = dumps(value if value is not None else {"answer": ANSWER})
    return f"{PROSE_BEFORE_JSON} {text}" if flaw is FaultKind.JSON_PROSE else text


def complete(request: ChatRequest, flaw: FaultKind | None = None) -> Completion:
    """The simulated answer: thinking models think first, so a tiny cap leaves `content` null."""
    budget = request.cap if request.cap is not None else 1_000_000
    reasoning = _REASONING_WORDS[:budget] if request.thinks else []
    budget -= len(reasoning)
    calls: tuple[ToolCall, ...] = ()
    answer: list[str] = []
    if request.calls_tool and flaw is not FaultKind.TOOL_CALL_MISSING:
        call = _tool_call(request, flaw)
        cost = len(call.arguments.split(" ")) + 1
        calls, used, finish = ((call,), cost, "tool_calls") if budget >= cost else ((), max(budget, 0), "length")
    else:
        words = _answer_text(request, flaw).split(" ")
        answer = words[: max(budget, 0)]
        used, finish = len(answer), "length" if len(answer) < len(words) else "stop"
    return Completion(
        content=" ".join(answer) if answer else None,
        reasoning_content=" ".join(reasoning) if reasoning else None,
        finish_reason=finish,
        prompt_tokens=_prompt_tokens(request.messages),
        completion_tokens=(len(reasoning) + used) * request.n,
        tool_calls=calls,
        choices=request.n,
    )
