"""DeepSeek: base URL at the root, `/user/balance` with string amounts, 402 when out of balance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kimicheck.providers import Kind
from kimicheck.sim.accounts import Account
from kimicheck.sim.dialects.base import Dialect

__all__ = ["DeepseekDialect"]

_CENTS = Decimal("0.01")


class DeepseekDialect(Dialect):
    """DeepSeek's shapes (OpenAI-style errors, `code` repeating the type)."""

    kind = Kind.DEEPSEEK
    owned_by = "deepseek"
    unauthorized_message = "Authentication Fails (no such user)"
    out_of_money = (402, "unknown_error")

    def error(self, status: int, error_type: str, message: str) -> dict[str, Any]:
        """DeepSeek's error envelope."""
        return {"error": {"message": message, "type": error_type, "param": None, "code": "invalid_request_error"}}

    def balance(self, account: Account) -> dict[str, Any]:
        """`GET /user/balance`: amounts as strings with two decimals."""
        available = account.available
        assert available is not None
        return {
            "is_available": available > 0 and account.is_available is not False,
            "balance_infos": [
                {
                    "currency": account.balance_currency,
                    "total_balance": str(available.quantize(_CENTS)),
                    "granted_balance": str(account.voucher.quantize(_CENTS)),
                    "topped_up_balance": str(account.cash.quantize(_CENTS)),
                }
            ],
        }
