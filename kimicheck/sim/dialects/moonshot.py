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

    def overloaded(self) -> tuple[int, dict[str, Any]]:
        """429 `engine_overloaded_error`: a 429 that is not the account's rate limit."""
        return 429, self.error(429, "engine_overloaded_error",
                               "The engine is currently overloaded, please try again later")

    def content_filter_refusal(self) -> tuple[int, dict[str, Any]] | None:
        """400 `content_filter`, as the real API sends it (with `code` and `param`)."""
        return 400, {"error": {"code": 400, "message": "The request was rejected because it was considered high risk",
                               "param": "prompt", "type": "content_filter"}}

    def unknown_path(self, method: str, path: str, user_agent: str) -> dict[str, Any]:
        """Moonshot's own flat answer to a path it does not serve (not its `{"error": {...}}` envelope)."""
        return {"code": 5, "error": "url.not_found", "message": "没找到对象", "method": method, "scode": "0x5",
                "status": False, "ua": user_agent, "url": path}

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
