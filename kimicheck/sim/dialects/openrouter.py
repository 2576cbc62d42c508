"""OpenRouter: public `/models` with its own item shape (no `object`), `/key` for the key's cap, `/credits`
for the account's credits (management keys only), 402 when either is out."""

from __future__ import annotations

from typing import Any

from kimicheck.providers import Kind, official_id_of
from kimicheck.sim.accounts import Account
from kimicheck.sim.catalog import MODEL_CREATED, model_info
from kimicheck.sim.dialects.base import Dialect, money

__all__ = ["OpenRouterDialect"]


class OpenRouterDialect(Dialect):
    """OpenRouter's shapes and error envelope `{"error": {"code", "message"}}`."""

    kind = Kind.OPENROUTER
    unauthorized_message = "No auth credentials found"
    out_of_money = (402, "insufficient_credits")
    #: openrouter.ai/docs/use-cases/reasoning-tokens (checked 2026-11).
    reasoning_field = "reasoning"

    def error(self, status: int, error_type: str, message: str) -> dict[str, Any]:
        """OpenRouter's error envelope carries the status as `code`."""
        return {"error": {"code": status, "message": message}}

    def out_of_money_message(self, account: Account) -> str:
        """The 402 message."""
        return "Insufficient credits. Add more credits to your account and try again."

    def overloaded(self) -> tuple[int, dict[str, Any]]:
        """503: no upstream provider of the model can take the request."""
        return 503, self.error(503, "", "No available model provider that meets your routing requirements")

    def model_item(self, model_id: str, account: Account | None) -> dict[str, Any]:
        """OpenRouter's model entry: pricing as strings per token, no `object` field."""
        info = model_info(model_id)
        price = str(account.price_per_token) if account is not None else "0.000002"
        modalities = ["text", "image"] if info.image_in else ["text"]
        return {
            "id": model_id,
            "canonical_slug": model_id,
            "name": f"MoonshotAI: {official_id_of(model_id)}",
            "created": MODEL_CREATED,
            "description": f"{official_id_of(model_id)} served by the kimicheck simulator.",
            "context_length": info.context_length,
            "architecture": {
                "modality": "+".join(modalities) + "->text",
                "input_modalities": modalities,
                "output_modalities": ["text"],
                "tokenizer": "Other",
                "instruct_type": None,
            },
            "pricing": {"prompt": price, "completion": price, "request": "0", "image": "0"},
            "top_provider": {"context_length": info.context_length, "max_completion_tokens": None,
                             "is_moderated": False},
            "per_request_limits": None,
            "supported_parameters": ["max_tokens", "temperature", "tools", "reasoning"],
        }

    def models(self, model_ids: list[str], account: Account | None) -> object:
        """`GET /api/v1/models`: `{"data": [...]}` without `object`."""
        return {"data": [self.model_item(m, account) for m in model_ids]}

    def balance(self, account: Account) -> dict[str, Any]:
        """`GET /api/v1/key`: null limit means unlimited."""
        remaining = account.available
        return {
            "data": {
                "label": account.name,
                "limit": None if account.limit is None else money(account.limit),
                "limit_remaining": None if remaining is None else money(remaining),
                "usage": money(account.usage),
                "is_free_tier": account.is_free_tier,
                "is_provisioning_key": False,
                "limit_reset": None,
            }
        }

    def credits(self, account: Account) -> dict[str, Any]:
        """`GET /api/v1/credits`: the whole account's credits and usage."""
        return {"data": {"total_credits": money(account.total_credits), "total_usage": money(account.usage)}}
