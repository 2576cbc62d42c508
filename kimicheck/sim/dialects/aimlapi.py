"""AIMLAPI: gateway ids with dashes, responses echoing the official id, `/v2/billing` at the origin."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from kimicheck.providers import Kind, official_id_of
from kimicheck.sim.accounts import Account
from kimicheck.sim.catalog import model_info
from kimicheck.sim.dialects.base import Dialect, money

__all__ = ["AimlapiDialect"]


class AimlapiDialect(Dialect):
    """AIMLAPI's shapes (OpenAI-style errors)."""

    kind = Kind.AIMLAPI
    owned_by = "moonshot"
    unauthorized_message = "Invalid API key"
    out_of_money = (403, "")

    def out_of_money_body(self, account: Account, path: str) -> dict[str, Any]:
        """AIMLAPI's flat 403, without an `error` object (its docs: errors with status code 4xx)."""
        return {
            "message": "You've run out of credits. Please top up your balance or update your payment method",
            "path": path,
            "requestId": str(uuid.uuid4()),
            "statusCode": 403,
            "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }

    def model_item(self, model_id: str, account: Account | None) -> dict[str, Any]:
        """An AIMLAPI model entry."""
        return {
            "id": model_id,
            "type": "chat-completion",
            "info": {"name": official_id_of(model_id), "developer": "Moonshot",
                     "contextLength": model_info(model_id).context_length},
        }

    def models(self, model_ids: list[str], account: Account | None) -> object:
        """`{"object": "list", "data": [...]}`, or a bare array when the account asks for it."""
        items = [self.model_item(m, account) for m in model_ids]
        if account is not None and account.bare_model_list:
            return items
        return {"object": "list", "data": items}

    def echoed_model(self, requested: str) -> str:
        """AIMLAPI answers with the official id (`moonshot/kimi-k2-6` -> `kimi-k2.6`)."""
        return official_id_of(requested)

    def balance(self, account: Account) -> dict[str, Any]:
        """`GET /v2/billing`."""
        available = account.available
        assert available is not None
        return {"current_balance": money(available), "currency": account.balance_currency}
