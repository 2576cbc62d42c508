"""A simulated provider account: what one API key sees and how much money it has.

Money follows each provider's own model: Moonshot, AIMLAPI and DeepSeek spend a voucher (granted) balance
first and then cash (topped up), and refuse inference once nothing is available; OpenRouter counts `usage`
up against an optional `limit` (no limit: unlimited).
"""

from __future__ import annotations

import hashlib
from collections import deque
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from kimicheck.amounts import AmountProblem, check_amount
from kimicheck.providers import (
    KIND_PROFILES,
    REGION_CURRENCY,
    Kind,
    current_catalog,
    to_aimlapi_id,
    to_openrouter_id,
)
from kimicheck.sim.batches import BatchBook
from kimicheck.sim.faults import Fault
from kimicheck.sim.ratelimit import RateLimitHeaders

__all__ = ["SIM_KINDS", "Account", "default_models"]

#: The provider kinds the simulator speaks.
SIM_KINDS: tuple[Kind, ...] = (Kind.MOONSHOT, Kind.OPENROUTER, Kind.AIMLAPI, Kind.DEEPSEEK)

_RPM_WINDOW_SECONDS = 60.0


def default_models(kind: Kind) -> list[str]:
    """The model ids an account of `kind` sees unless told otherwise: the catalog's active models for that
    dialect, in its id form (the gateways list only the Kimi ones)."""
    catalog = current_catalog()
    if kind is Kind.DEEPSEEK:
        return list(catalog.active_ids(Kind.DEEPSEEK))
    official = catalog.active_ids(Kind.MOONSHOT)
    kimi = [m for m in official if m.startswith("kimi-")]
    if kind is Kind.OPENROUTER:
        return [to_openrouter_id(m) for m in kimi]
    if kind is Kind.AIMLAPI:
        return [to_aimlapi_id(m) for m in kimi]
    return list(official)


class Account(BaseModel):
    """One API key's account. Tests may change any field of a live simulator's account directly."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    key: str = Field(min_length=1, repr=False)
    #: how the account is shown (counts, control API); never the key.
    name: str = ""
    kind: Kind = Kind.MOONSHOT
    region: Literal["ai", "cn"] = "ai"
    #: the balance currency when the kind does not fix it (DeepSeek; Moonshot follows the region).
    currency: str | None = None
    cash: Decimal = Decimal("50")
    voucher: Decimal = Decimal("0")
    #: OpenRouter: the credit limit (None: unlimited) and the credits used so far.
    limit: Decimal | None = None
    usage: Decimal = Decimal("0")
    is_free_tier: bool = False
    #: AIMLAPI: answer `/models` as a bare JSON array instead of `{"object": "list", "data": [...]}`.
    bare_model_list: bool = False
    models: list[str] | None = None
    #: chat requests per minute before 429 `rate_limit_reached_error` (None: no limit).
    rpm: int | None = Field(default=None, ge=1)
    price_per_token: Decimal = Field(default=Decimal("0.000002"), ge=0)
    #: a revoked key gets the provider's 401.
    revoked: bool = False
    #: False: the provider refuses calls whatever the amounts (DeepSeek reports `is_available: false`).
    is_available: bool | None = None
    faults: list[Fault] = Field(default_factory=list)
    #: money charged for chat so far.
    spent: Decimal = Decimal("0")
    #: OpenRouter: the account's credits (`/credits` total_credits; the usage is `usage`), and the management
    #: key that may read them (None: no management key reads this account).
    total_credits: Decimal = Decimal("100")
    management_key: str | None = Field(default=None, min_length=1, repr=False)
    #: the `X-RateLimit-*` headers every answer to this account carries (None: none).
    ratelimit: RateLimitHeaders | None = None
    #: Moonshot: the batches and files `/v1/batches` and `/v1/files` list.
    batch_api: BatchBook = Field(default_factory=BatchBook)
    _chat_times: deque[float] = PrivateAttr(default_factory=deque)

    @field_validator("cash", "voucher", "limit", "usage", "total_credits", "price_per_token", "spent")
    @classmethod
    def _bounded_amount(cls, amount: Decimal | None) -> Decimal | None:
        # the simulator writes amounts out in its answers: an unbounded one would make that unbounded
        checked = amount if amount is None else check_amount(amount)
        if isinstance(checked, AmountProblem):
            raise ValueError(f"the amount is {checked.value}")
        return checked

    @field_validator("kind")
    @classmethod
    def _simulated_kind(cls, kind: Kind) -> Kind:
        if kind not in SIM_KINDS:
            raise ValueError(f"the simulator speaks {', '.join(k.value for k in SIM_KINDS)}, not {kind.value}")
        return kind

    @model_validator(mode="after")
    def _fill_defaults(self) -> Account:
        if self.models is None:
            self.models = default_models(self.kind)
        if not self.name:
            self.name = f"{self.kind.value}-{hashlib.sha256(self.key.encode()).hexdigest()[:8]}"
        return self

    @property
    def visible_models(self) -> list[str]:
        """The model ids this account sees."""
        return self.models if self.models is not None else default_models(self.kind)

    @property
    def balance_currency(self) -> str:
        """The currency the account's balance is in."""
        return KIND_PROFILES[self.kind].currency or self.currency or (
            "CNY" if self.kind is Kind.DEEPSEEK else REGION_CURRENCY[self.region]
        )

    @property
    def available(self) -> Decimal | None:
        """What can be spent now: voucher plus positive cash; OpenRouter: limit - usage (None: unlimited).

        Setting it sets the cash balance to the value and the voucher to zero (OpenRouter: the usage to
        `limit - value`, with a limit of 100 when there was none).
        """
        if self.kind is Kind.OPENROUTER:
            return None if self.limit is None else self.limit - self.usage
        return self.voucher + max(self.cash, Decimal("0"))

    @available.setter
    def available(self, value: Decimal | float | int) -> None:
        amount = Decimal(str(value))
        if self.kind is Kind.OPENROUTER:
            if self.limit is None:
                self.limit = Decimal("100")
            self.usage = self.limit - amount
        else:
            self.voucher = Decimal("0")
            self.cash = amount

    @property
    def account_credits(self) -> Decimal:
        """OpenRouter: what is left of the account's credits (`total_credits - usage`)."""
        return self.total_credits - self.usage

    @property
    def out_of_money(self) -> bool:
        """True when the provider refuses inference for lack of balance or credit (OpenRouter: the key's
        cap or the account's credits)."""
        if self.is_available is False:
            return True
        available = self.available
        if self.kind is Kind.OPENROUTER and self.account_credits <= 0:
            return True
        return available is not None and available <= 0

    @property
    def account_ids(self) -> tuple[str, str]:
        """Stable fake organisation and access-key ids, as Moonshot embeds them in error messages."""
        digest = hashlib.sha256(self.name.encode()).hexdigest()
        return f"org-{digest[:12]}", f"ak-{digest[12:24]}"

    def charge(self, amount: Decimal) -> None:
        """Spend `amount`: OpenRouter adds it to usage; the others take voucher first, then cash."""
        self.spent += amount
        if self.kind is Kind.OPENROUTER:
            self.usage += amount
            return
        from_voucher = min(self.voucher, amount)
        self.voucher -= from_voucher
        self.cash -= amount - from_voucher

    def admit_chat(self, now: float) -> bool:
        """Count a chat request against the RPM limit; False when it is over the limit."""
        if self.rpm is None:
            return True
        times = self._chat_times
        while times and now - times[0] >= _RPM_WINDOW_SECONDS:
            times.popleft()
        if len(times) >= self.rpm:
            return False
        times.append(now)
        return True
