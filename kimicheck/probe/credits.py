"""An account's own credits where the balance endpoint tells only the key's cap (OpenRouter).

OpenRouter's `/key` answers how much of the key's spending cap is left; the account behind it may be empty
all the same. `/credits` answers `{"data": {"total_credits", "total_usage"}}` for the whole account, but only
to a management key, so it is read only when the provider names one (`management_key_env` or
`management_key_file`). The management key goes only to that endpoint, through a session of its own, so
the rate limits announced to it never pass for the API key's.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from kimicheck.amounts import parse_amount
from kimicheck.config.models import Provider
from kimicheck.net import resolve_endpoint
from kimicheck.probe.errors import ProbeEndpoint, ProbeError
from kimicheck.probe.result import Reason
from kimicheck.probe.session import ProbeSession
from kimicheck.providers import KIND_PROFILES
from kimicheck.secrets import KeyUnavailable

__all__ = ["account_credits", "parse_credits"]


def _amount(inner: dict[str, object], name: str) -> Decimal:
    amount = parse_amount(inner.get(name))
    if not isinstance(amount, Decimal):
        raise ProbeError(Reason.INVALID_RESPONSE, f"the credits answer has no usable {name} ({amount.value})")
    return amount


def parse_credits(data: object) -> Decimal:
    """The credits left on the account (`total_credits - total_usage`); `invalid_response` if malformed."""
    inner = data.get("data") if isinstance(data, dict) else None
    if not isinstance(inner, dict):
        raise ProbeError(Reason.INVALID_RESPONSE, "the credits answer has no data object")
    return _amount(inner, "total_credits") - _amount(inner, "total_usage")


async def account_credits(session: ProbeSession, provider: Provider) -> Decimal | None:
    """The account's credits read with the management key; None when the provider has none to read them."""
    endpoint = KIND_PROFILES[provider.kind].account_credits
    management_key = session.management_key
    if endpoint is None or management_key is None:
        return None
    if isinstance(management_key, KeyUnavailable):
        raise ProbeError(Reason.AUTH_FAILED, f"cannot read the management key: {management_key}", maybe_sent=False)
    url = resolve_endpoint(provider.base_url, endpoint.path, relative_to_origin=endpoint.relative_to_origin)
    manager = dataclasses.replace(session, key=management_key, management_key=None, ratelimits=None)
    try:
        reply = await manager.call("GET", url, endpoint=ProbeEndpoint.BALANCE)
        return parse_credits(reply.json())
    except ProbeError as exc:
        exc.detail = f"account credits (management key): {exc.detail}"
        raise
