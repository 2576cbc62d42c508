"""The `balance` check: how much money the account has, against the config's thresholds.

Each kind answers in its own shape (see `_PARSERS`); amounts become exact `Decimal`s of bounded size
(`kimicheck.amounts`: plain decimal only, so no answer can make formatting or comparing them unbounded).
The currency is `kimicheck.providers.account_currency`: the answer's, else the host's or the kind's
(Moonshot .ai is USD, .cn is CNY), else the config's. An available balance of zero or less is critical
whatever the thresholds (inference is refused), and so is an account the provider says cannot make calls
(DeepSeek `is_available: false`) whatever its amounts. A negative cash balance (arrears) is always called
out. Kinds and hosts without a balance endpoint report `unsupported`, which is not a failure. Where the
balance endpoint tells only the key's cap (OpenRouter) and a management key is configured, the account's
credits are read too (`credits`), and the thresholds judge the smaller of the two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from kimicheck.amounts import OUT_OF_RANGE_WORDS, AmountProblem, format_amount, parse_amount
from kimicheck.config.models import Balance, Config, ModelEntry, Provider
from kimicheck.net import resolve_endpoint
from kimicheck.probe.credits import account_credits
from kimicheck.probe.errors import ProbeEndpoint, ProbeError
from kimicheck.probe.ratelimits import from_openrouter_key
from kimicheck.probe.result import BalanceData, BalanceLevel, Reason
from kimicheck.probe.session import Outcome, ProbeSession
from kimicheck.providers import Kind, account_currency, balance_endpoint

__all__ = ["ParsedBalance", "balance_level", "balance_supported", "parse_balance", "probe_balance"]


@dataclass(frozen=True)
class ParsedBalance:
    """The amounts of one balance answer, before thresholds are applied."""

    available: Decimal | None
    voucher: Decimal | None = None
    cash: Decimal | None = None
    currency: str | None = None
    #: False when the provider says the account cannot make calls whatever its amounts (DeepSeek `is_available`).
    usable: bool = True


def _invalid(text: str) -> ProbeError:
    return ProbeError(Reason.INVALID_RESPONSE, f"the balance answer {text}")


#: The longest a value of the answer is shown: a failure's `code` may be anything, of any size.
_BRIEF = 40

#: How each way a value is not an amount reads after "the balance answer".
_AMOUNT_WORDS = {
    AmountProblem.NOT_A_NUMBER: "has no numeric {name}",
    AmountProblem.NOT_DECIMAL: "has a non-numeric {name}",
    AmountProblem.OUT_OF_RANGE: f"has an out-of-range {{name}} ({OUT_OF_RANGE_WORDS})",
}


def _parse_amount(value: object, name: str) -> Decimal:
    """The exact amount a balance answer gives for `name`; an `invalid_response` ProbeError if it is not one."""
    amount = parse_amount(value)
    if isinstance(amount, AmountProblem):
        raise _invalid(_AMOUNT_WORDS[amount].format(name=name))
    return amount


def _brief(value: object) -> str:
    """A value of the answer as a failure shows it: never longer than `_BRIEF` characters."""
    if isinstance(value, dict | list):
        return "{…}" if isinstance(value, dict) else "[…]"
    text = str(value)
    return text if len(text) <= _BRIEF else text[: _BRIEF - 1] + "…"


def _mapping(value: object, name: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise _invalid(f"has no {name} object")
    return value


def _moonshot(data: object, currency: str | None) -> ParsedBalance:
    body = _mapping(data, "top-level")
    if body.get("status") is False or body.get("code", 0) != 0:
        raise _invalid(f"reports a failure (code={_brief(body.get('code'))}, status={_brief(body.get('status'))})")
    inner = _mapping(body.get("data"), "data")
    return ParsedBalance(
        available=_parse_amount(inner.get("available_balance"), "available_balance"),
        voucher=_parse_amount(inner.get("voucher_balance"), "voucher_balance"),
        cash=_parse_amount(inner.get("cash_balance"), "cash_balance"),
    )


def _openrouter(data: object, currency: str | None) -> ParsedBalance:
    inner = _mapping(_mapping(data, "top-level").get("data"), "data")
    if "limit_remaining" not in inner:
        raise _invalid("has no limit_remaining")
    remaining = inner["limit_remaining"]
    return ParsedBalance(available=None if remaining is None else _parse_amount(remaining, "limit_remaining"))


def _aimlapi(data: object, currency: str | None) -> ParsedBalance:
    body = _mapping(data, "top-level")
    code = body.get("currency")
    return ParsedBalance(
        available=_parse_amount(body.get("current_balance"), "current_balance"),
        currency=code if isinstance(code, str) else None,
    )


def _deepseek(data: object, currency: str | None) -> ParsedBalance:
    infos = _mapping(data, "top-level").get("balance_infos")
    if not isinstance(infos, list) or not infos:
        raise _invalid("has no balance_infos")
    entries = [_mapping(info, "balance_infos entry") for info in infos]
    chosen = next((e for e in entries if currency and e.get("currency") == currency), entries[0])
    code = chosen.get("currency")
    return ParsedBalance(
        available=_parse_amount(chosen.get("total_balance"), "total_balance"),
        voucher=_parse_amount(chosen.get("granted_balance"), "granted_balance"),
        cash=_parse_amount(chosen.get("topped_up_balance"), "topped_up_balance"),
        currency=code if isinstance(code, str) else None,
        usable=_mapping(data, "top-level").get("is_available") is not False,
    )


#: How each kind's balance answer is read (kinds absent here have no balance endpoint).
_PARSERS: dict[Kind, Callable[[object, str | None], ParsedBalance]] = {
    Kind.MOONSHOT: _moonshot,
    Kind.OPENROUTER: _openrouter,
    Kind.AIMLAPI: _aimlapi,
    Kind.DEEPSEEK: _deepseek,
}


def parse_balance(kind: Kind, data: object, configured_currency: str | None = None) -> ParsedBalance:
    """The amounts in `kind`'s balance answer; an `invalid_response` ProbeError when it is malformed."""
    return _PARSERS[kind](data, configured_currency)


def balance_supported(provider: Provider) -> bool:
    """Whether kimicheck knows a balance endpoint for this provider's kind and host."""
    return balance_endpoint(provider.base_url, provider.kind) is not None and provider.kind in _PARSERS


def balance_level(parsed: ParsedBalance, thresholds: Balance | None, account: Decimal | None = None) -> BalanceLevel:
    """ok / warning / critical for an available balance (None = unlimited), or for the account's credits
    when they are smaller."""
    if not parsed.usable:
        return BalanceLevel.CRITICAL
    available = _smaller(parsed.available, account)
    if available is None:
        return BalanceLevel.OK
    if available <= 0:
        return BalanceLevel.CRITICAL
    if thresholds and thresholds.critical_below is not None and available < thresholds.critical_below:
        return BalanceLevel.CRITICAL
    if thresholds and thresholds.warn_below is not None and available < thresholds.warn_below:
        return BalanceLevel.WARNING
    if parsed.cash is not None and parsed.cash < 0:
        return BalanceLevel.WARNING
    return BalanceLevel.OK


def _smaller(available: Decimal | None, account: Decimal | None) -> Decimal | None:
    """The smaller amount, None (unlimited) counting as larger than any."""
    if available is None or account is None:
        return account if available is None else available
    return min(available, account)


def _money(amount: Decimal, currency: str | None) -> str:
    return f"{format_amount(amount)} {currency}" if currency else format_amount(amount)


def _amounts_text(data: BalanceData) -> str:
    if data.available is None:
        text = "no spending limit on this key (unlimited)"
    else:
        text = f"available {_money(data.available, data.currency)}"
        amounts = (("voucher", data.voucher), ("cash", data.cash))
        parts = [f"{name} {format_amount(value)}" for name, value in amounts if value is not None]
        if parts:
            text += f" ({', '.join(parts)})"
    if data.account is not None:
        text += f"; account credits {_money(data.account, data.currency)}"
    return text


def _detail(data: BalanceData, thresholds: Balance | None) -> str:
    text = _amounts_text(data)
    judged = _smaller(data.available, data.account)
    if judged is None:
        return text
    if judged <= 0:
        text += ": nothing left, inference calls are refused"
    elif data.level is BalanceLevel.CRITICAL and thresholds and thresholds.critical_below is not None:
        text += f": below critical_below {format_amount(thresholds.critical_below)}"
    elif data.level is BalanceLevel.WARNING and thresholds and thresholds.warn_below is not None \
            and judged < thresholds.warn_below:
        text += f": below warn_below {format_amount(thresholds.warn_below)}"
    if data.in_arrears and data.cash is not None:
        text += f"; cash balance {format_amount(data.cash)} is negative (arrears): the account runs on vouchers alone"
    if thresholds and thresholds.currency and data.currency and thresholds.currency != data.currency:
        text += f"; note: the balance is in {data.currency} but the thresholds are in {thresholds.currency}"
    return text


_UNUSABLE = "the provider reports that the account cannot make calls (is_available: false)"

_LEVEL_REASONS = {
    BalanceLevel.OK: (True, Reason.OK),
    BalanceLevel.WARNING: (True, Reason.BALANCE_LOW),
    BalanceLevel.CRITICAL: (False, Reason.BALANCE_CRITICAL),
}


async def probe_balance(
    session: ProbeSession, config: Config, provider: Provider, model: ModelEntry | None
) -> Outcome:
    """Read the balance and judge it against the provider's thresholds."""
    endpoint = balance_endpoint(provider.base_url, provider.kind)
    if endpoint is None or provider.kind not in _PARSERS:
        return Outcome(True, Reason.UNSUPPORTED, f"no balance endpoint is known for this {provider.kind} host")
    url = resolve_endpoint(provider.base_url, endpoint.path, relative_to_origin=endpoint.relative_to_origin)
    reply = await session.call("GET", url, endpoint=ProbeEndpoint.BALANCE)
    configured = provider.balance.currency if provider.balance else None
    try:
        body = reply.json()
        parsed = parse_balance(provider.kind, body, configured)
    except ProbeError as exc:
        exc.status_code = reply.status_code
        raise
    if provider.kind is Kind.OPENROUTER:
        session.observe(from_openrouter_key(body))
    credits = await account_credits(session, provider)
    data = BalanceData(
        currency=account_currency(provider.base_url, provider.kind, configured=configured, answered=parsed.currency),
        level=balance_level(parsed, provider.balance, credits),
        available=parsed.available,
        voucher=parsed.voucher,
        cash=parsed.cash,
        account=credits,
    )
    ok, reason = _LEVEL_REASONS[data.level]
    detail = _detail(data, provider.balance)
    if not parsed.usable:
        detail += f"{'; ' if ': ' in detail else ': '}{_UNUSABLE}"
    return Outcome(ok, reason, detail, reply.status_code, data)
