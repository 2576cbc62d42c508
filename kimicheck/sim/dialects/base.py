"""What a provider dialect provides: its bodies for errors, models, balance and chat.

A dialect is pure: it turns accounts and completions into JSON-ready values and never touches the network.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kimicheck.providers import Kind
from kimicheck.sim.accounts import Account
from kimicheck.sim.catalog import MODEL_CREATED
from kimicheck.sim.chat import Completion

__all__ = ["DEFAULT_ERROR_TYPES", "Dialect", "money"]

#: The error type a status gets when a fault does not name one (Moonshot's names).
DEFAULT_ERROR_TYPES: dict[int, str] = {
    400: "invalid_request_error",
    401: "invalid_authentication_error",
    402: "insufficient_balance_error",
    403: "permission_denied_error",
    404: "resource_not_found_error",
    429: "rate_limit_reached_error",
    503: "engine_overloaded_error",
}


def money(amount: Decimal) -> float:
    """An amount as a JSON number with at most 5 decimals, as Moonshot sends them."""
    return float(round(amount, 5))


class Dialect:
    """The OpenAI-style defaults; each provider overrides what it does differently."""

    kind: Kind = Kind.MOONSHOT
    owned_by = "moonshot"
    unauthorized_message = "Invalid Authentication"
    #: (status, error type) of a chat refused for lack of money.
    out_of_money: tuple[int, str] = (402, "insufficient_balance_error")
    #: the streamed final chunk carries `usage` inside the choice (Moonshot) rather than at the top.
    usage_in_choice = False
    #: where the model's thinking goes, in a message and in a stream's deltas.
    reasoning_field = "reasoning_content"

    def error(self, status: int, error_type: str, message: str) -> dict[str, Any]:
        """The error envelope."""
        return {"error": {"message": message, "type": error_type, "param": None, "code": None}}

    def out_of_money_message(self, account: Account) -> str:
        """The message of a chat refused for lack of money."""
        return "Insufficient Balance"

    def out_of_money_body(self, account: Account, path: str) -> dict[str, Any]:
        """The body of a chat refused for lack of money (its status is `out_of_money[0]`)."""
        status, error_type = self.out_of_money
        return self.error(status, error_type, self.out_of_money_message(account))

    def overloaded(self) -> tuple[int, dict[str, Any]]:
        """Status and body of a provider out of capacity (the `overloaded` fault)."""
        return 503, self.error(503, "service_unavailable_error",
                               "The server is overloaded due to high traffic, please try again later")

    def content_filter_refusal(self) -> tuple[int, dict[str, Any]] | None:
        """Status and body of a request the content filter refuses, or None where the filter stops a
        completion with `finish_reason: content_filter` instead (the `content_filter` fault)."""
        return None

    def unknown_path(self, method: str, path: str, user_agent: str) -> dict[str, Any]:
        """The body of a 404 for a path the provider does not serve."""
        return self.error(404, "invalid_request_error", f"Invalid URL ({method} {path})")

    def rate_limited_message(self, account: Account) -> str:
        """The message of a chat refused by the RPM limit."""
        return f"Rate limit reached: {account.rpm} requests per minute"

    def model_item(self, model_id: str, account: Account | None) -> dict[str, Any]:
        """One entry of `/models`."""
        return {"id": model_id, "object": "model", "created": MODEL_CREATED, "owned_by": self.owned_by}

    def models(self, model_ids: list[str], account: Account | None) -> object:
        """The `/models` body."""
        return {"object": "list", "data": [self.model_item(m, account) for m in model_ids]}

    def balance(self, account: Account) -> dict[str, Any]:
        """The balance body."""
        raise NotImplementedError

    def echoed_model(self, requested: str) -> str:
        """The model id the response names."""
        return requested

    def usage(self, completion: Completion) -> dict[str, Any]:
        """The `usage` object."""
        return {
            "prompt_tokens": completion.prompt_tokens,
            "completion_tokens": completion.completion_tokens,
            "total_tokens": completion.total_tokens,
        }

    def message(self, completion: Completion) -> dict[str, Any]:
        """The assistant message of a completion."""
        message: dict[str, Any] = {"role": "assistant", "content": completion.content}
        if completion.reasoning_content is not None:
            message[self.reasoning_field] = completion.reasoning_content
        if completion.tool_calls:
            message["tool_calls"] = [
                {"id": call.id(index), "type": "function", "function": {"name": call.name, "arguments": call.arguments}}
                for index, call in enumerate(completion.tool_calls)
            ]
        return message

    def chat(self, completion: Completion, model: str, completion_id: str, created: int) -> dict[str, Any]:
        """The non-streaming chat completion body."""
        return {
            "id": completion_id,
            "object": "chat.completion",
            "created": created,
            "model": self.echoed_model(model),
            "choices": [
                {"index": index, "message": self.message(completion), "finish_reason": completion.finish_reason}
                for index in range(completion.choices)
            ],
            "usage": self.usage(completion),
        }
