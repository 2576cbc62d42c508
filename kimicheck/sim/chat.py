"""A chat completion as the simulator computes it, before any provider's dialect shapes it.

Tokens are counted roughly (a word is a token, a message costs a few more), which is all a probe or a
spend test needs: the numbers are stable and grow with the input.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kimicheck.sim.catalog import REASONING_TOKENS, model_info

__all__ = ["ANSWER", "REASONING", "ChatRequest", "Completion", "complete", "parse_chat_request"]

ANSWER = "Hello from the kimicheck simulator. The API, the key and the model all work as expected today."
REASONING = "The user wants a short greeting, so I will answer briefly and plainly without any extra detail."
_REASONING_WORDS = REASONING.split()[:REASONING_TOKENS]
_MESSAGE_OVERHEAD_TOKENS = 3


@dataclass(frozen=True)
class ChatRequest:
    """The parts of a chat request the simulator reads."""

    model: str
    messages: list[Any]
    stream: bool
    cap: int | None
    temperature: float | None


@dataclass(frozen=True)
class Completion:
    """What the model answers, and what it costs in tokens."""

    content: str | None
    reasoning_content: str | None
    finish_reason: str
    prompt_tokens: int
    completion_tokens: int

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    def cost(self, price_per_token: Decimal) -> Decimal:
        """What the completion costs at `price_per_token`."""
        return price_per_token * self.total_tokens


def parse_chat_request(body: object) -> ChatRequest | str:
    """The request, or the message of the 400 `invalid_request_error` it deserves."""
    if not isinstance(body, dict):
        return "the request body must be a JSON object"
    model, messages = body.get("model"), body.get("messages")
    if not isinstance(model, str) or not model:
        return "model is required"
    if not isinstance(messages, list) or not messages:
        return "messages must be a non-empty list"
    cap = body.get("max_completion_tokens", body.get("max_tokens"))
    if cap is not None and (not isinstance(cap, int) or isinstance(cap, bool) or cap < 1):
        return "max_tokens must be a positive integer"
    temperature = body.get("temperature")
    if temperature is not None and not isinstance(temperature, int | float):
        return "temperature must be a number"
    return ChatRequest(model, messages, body.get("stream") is True, cap, temperature)


def _prompt_tokens(messages: list[Any]) -> int:
    tokens = 0
    for message in messages:
        content = message.get("content") if isinstance(message, dict) else None
        text = content if isinstance(content, str) else str(content or "")
        tokens += len(text.split()) + _MESSAGE_OVERHEAD_TOKENS
    return max(tokens, 1)


def complete(request: ChatRequest) -> Completion:
    """The simulated answer: reasoning models think first, so a tiny cap leaves `content` null."""
    words = ANSWER.split()
    budget = request.cap if request.cap is not None else 1_000_000
    reasoning: list[str] = []
    if model_info(request.model).reasoning:
        reasoning = _REASONING_WORDS[:budget]
        budget -= len(reasoning)
    answer = words[: max(budget, 0)]
    truncated = len(answer) < len(words)
    return Completion(
        content=" ".join(answer) if answer else None,
        reasoning_content=" ".join(reasoning) if reasoning else None,
        finish_reason="length" if truncated else "stop",
        prompt_tokens=_prompt_tokens(request.messages),
        completion_tokens=len(reasoning) + len(answer),
    )
