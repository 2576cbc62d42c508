"""Moonshot (Kimi) official API: models with capabilities, `/users/me/balance`, quota as 429."""

from __future__ import annotations

from typing import Any

from kimicheck.providers import Kind
from kimicheck.sim.accounts import Account
from kimicheck.sim.catalog import model_info
from kimicheck.sim.dialects.base import Dialect, money

__all__ = ["MoonshotDialect"]


class MoonshotDialect(Dialect):
    """Moonshot's shapes and error envelope `{"error": {"type", "message"}}`."""

    kind = Kind.MOONSHOT
    owned_by = "moonshot"
    out_of_money = (429, "exceeded_current_quota_error")
    usage_in_choice = True

    def error(self, status: int, error_type: str, message: str) -> dict[str, Any]:
        """Moonshot's error envelope."""
        return {"error": {"type": error_type, "message": message}}

    def out_of_money_message(self, account: Account) -> str:
        """Moonshot names the organisation and access key, as the real message does."""
        org, ak = account.account_ids
        return f"Your account {org}<{ak}> is suspended, please check your plan and billing details"

    def rate_limited_message(self, account: Account) -> str:
        """The wait hint lives only in the message text."""
        org, ak = account.account_ids
        return (
            f"Your account {org}<{ak}> request reached organization max RPM: {account.rpm}, "
            "please try again after 1 seconds"
        )

    def model_item(self, model_id: str, account: Account | None) -> dict[str, Any]:
        """A model with its context length and capabilities."""
        info = model_info(model_id)
        return {
            **super().model_item(model_id, account),
            "context_length": info.context_length,
            "supports_image_in": info.image_in,
            "supports_video_in": info.video_in,
            "supports_reasoning": info.reasoning,
        }

    def balance(self, account: Account) -> dict[str, Any]:
        """`GET /v1/users/me/balance`: no currency field, the host's region decides it."""
        available = account.available
        assert available is not None
        return {
            "code": 0,
            "data": {
                "available_balance": money(available),
                "voucher_balance": money(account.voucher),
                "cash_balance": money(account.cash),
            },
            "scode": "0x0",
            "status": True,
        }
