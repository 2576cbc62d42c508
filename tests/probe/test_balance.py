"""The `balance` check: each kind's answer, thresholds, arrears and unsupported kinds."""

from decimal import Decimal

import httpx
import pytest
import respx

from kimicheck.probe.result import BalanceData, BalanceLevel, Check, Reason

from .helpers import MOONSHOT, config, only, probe, provider

BALANCE = [Check.BALANCE]


def moonshot_balance(available: str, voucher: str, cash: str) -> bytes:
    body = (f'{{"code": 0, "data": {{"available_balance": {available}, "voucher_balance": {voucher}, '
            f'"cash_balance": {cash}}}, "scode": "0x0", "status": true}}')
    return body.encode()


@respx.mock
def test_moonshot_amounts_are_exact_and_usd_on_the_international_host() -> None:
    respx.get(f"{MOONSHOT}/users/me/balance").respond(200, content=moonshot_balance("49.58894", "46.58893", "3.00001"))
    result = only(probe(config(provider(balance={"warn_below": 10})), BALANCE))
    assert (result.ok, result.reason, result.status_code) == (True, Reason.OK, 200)
    assert result.data == BalanceData(currency="USD", level=BalanceLevel.OK, available=Decimal("49.58894"),
                                      voucher=Decimal("46.58893"), cash=Decimal("3.00001"))
    assert result.detail == "available 49.58894 USD (voucher 46.58893, cash 3.00001)"


@respx.mock
def test_china_host_is_cny_and_below_warn_is_a_warning() -> None:
    respx.get("https://api.moonshot.cn/v1/users/me/balance").respond(
        200, content=moonshot_balance("8.5", "0", "8.5"))
    cfg = config(provider(base_url="https://api.moonshot.cn/v1", balance={"warn_below": 10, "critical_below": 2}))
    result = only(probe(cfg, BALANCE))
    assert (result.ok, result.reason) == (True, Reason.BALANCE_LOW)
    assert result.detail == "available 8.5 CNY (voucher 0, cash 8.5): below warn_below 10"


@respx.mock
def test_below_critical_fails() -> None:
    respx.get(f"{MOONSHOT}/users/me/balance").respond(200, content=moonshot_balance("1.99999", "0", "1.99999"))
    result = only(probe(config(provider(balance={"warn_below": 10, "critical_below": 2})), BALANCE))
    assert (result.ok, result.reason) == (False, Reason.BALANCE_CRITICAL)
    assert result.detail == "available 1.99999 USD (voucher 0, cash 1.99999): below critical_below 2"


@respx.mock
def test_exactly_at_the_threshold_is_not_below() -> None:
    respx.get(f"{MOONSHOT}/users/me/balance").respond(200, content=moonshot_balance("10.00000", "0", "10.00000"))
    result = only(probe(config(provider(balance={"warn_below": 10})), BALANCE))
    assert result.reason is Reason.OK


@respx.mock
def test_arrears_are_called_out_without_thresholds() -> None:
    respx.get(f"{MOONSHOT}/users/me/balance").respond(200, content=moonshot_balance("5", "7.5", "-2.5"))
    result = only(probe(config(provider()), BALANCE))
    assert (result.ok, result.reason) == (True, Reason.BALANCE_LOW)
    assert isinstance(result.data, BalanceData) and result.data.in_arrears
    assert result.detail == ("available 5 USD (voucher 7.5, cash -2.5); cash balance -2.5 is negative (arrears): "
                             "the account runs on vouchers alone")


@respx.mock
def test_nothing_available_is_critical_whatever_the_thresholds() -> None:
    respx.get(f"{MOONSHOT}/users/me/balance").respond(200, content=moonshot_balance("0", "0", "0"))
    result = only(probe(config(provider()), BALANCE))
    assert (result.ok, result.reason) == (False, Reason.BALANCE_CRITICAL)
    assert result.detail == "available 0 USD (voucher 0, cash 0): nothing left, inference calls are refused"


@respx.mock
def test_moonshot_status_false_is_a_failed_call() -> None:
    respx.get(f"{MOONSHOT}/users/me/balance").respond(200, json={"code": 5, "status": False, "data": None})
    result = only(probe(config(provider()), BALANCE))
    assert (result.ok, result.reason, result.status_code) == (False, Reason.INVALID_RESPONSE, 200)
    assert result.detail == "the balance answer reports a failure (code=5, status=False)"


@respx.mock
def test_openrouter_null_limit_is_unlimited() -> None:
    respx.get("https://openrouter.ai/api/v1/key").respond(
        200, json={"data": {"limit": None, "limit_remaining": None, "usage": 3.2, "is_free_tier": False}})
    result = only(probe(config(provider(kind="openrouter", base_url="https://openrouter.ai/api/v1",
                                        balance={"warn_below": 5})), BALANCE))
    assert (result.ok, result.reason, result.detail) == (True, Reason.OK, "no spending limit on this key (unlimited)")
    assert result.data == BalanceData(currency="USD", level=BalanceLevel.OK, available=None)


@respx.mock
def test_openrouter_limit_remaining() -> None:
    respx.get("https://openrouter.ai/api/v1/key").respond(200, content=b'{"data": {"limit_remaining": 4.25}}')
    result = only(probe(config(provider(kind="openrouter", base_url="https://openrouter.ai/api/v1",
                                        balance={"warn_below": 5})), BALANCE))
    assert (result.reason, result.detail) == (Reason.BALANCE_LOW, "available 4.25 USD: below warn_below 5")


@respx.mock
def test_aimlapi_billing_is_on_the_origin() -> None:
    route = respx.get("https://api.aimlapi.com/v2/billing").respond(
        200, content=b'{"current_balance": 12.5, "currency": "USD"}')
    result = only(probe(config(provider(kind="aimlapi", base_url="https://api.aimlapi.com/v1")), BALANCE))
    assert (result.reason, result.detail) == (Reason.OK, "available 12.5 USD")
    assert route.call_count == 1


@respx.mock
def test_deepseek_string_amounts_and_currency_choice() -> None:
    respx.get("https://api.deepseek.com/user/balance").respond(200, json={
        "is_available": True,
        "balance_infos": [
            {"currency": "CNY", "total_balance": "110.00", "granted_balance": "10.00", "topped_up_balance": "100.00"},
            {"currency": "USD", "total_balance": "3.10", "granted_balance": "0.00", "topped_up_balance": "3.10"},
        ]})
    cfg = config(provider(kind="deepseek", base_url="https://api.deepseek.com",
                          balance={"warn_below": 5, "currency": "USD"}))
    result = only(probe(cfg, BALANCE))
    assert (result.reason, result.detail) == (Reason.BALANCE_LOW,
                                              "available 3.10 USD (voucher 0.00, cash 3.10): below warn_below 5")


@respx.mock
def test_currency_mismatch_is_noted() -> None:
    respx.get("https://api.moonshot.cn/v1/users/me/balance").respond(200, content=moonshot_balance("50", "0", "50"))
    cfg = config(provider(base_url="https://api.moonshot.cn/v1", balance={"warn_below": 10, "currency": "USD"}))
    result = only(probe(cfg, BALANCE))
    assert result.detail == ("available 50 CNY (voucher 0, cash 50); note: the balance is in CNY but the thresholds "
                             "are in USD")


@respx.mock
def test_the_host_not_the_kind_decides_the_currency() -> None:
    # a gateway kind on Moonshot's China host: the account the amounts come from bills in CNY
    respx.get("https://api.moonshot.cn/v1/key").respond(200, content=b'{"data": {"limit_remaining": 40}}')
    result = only(probe(config(provider(kind="openrouter", base_url="https://api.moonshot.cn/v1")), BALANCE))
    assert result.data == BalanceData(currency="CNY", level=BalanceLevel.OK, available=Decimal("40"))
    assert result.detail == "available 40 CNY"


@pytest.mark.parametrize(("kind", "base_url"), [
    ("openai-compatible", "https://api.together.xyz/v1"),
    ("moonshot", "https://api.kimi.com/coding/v1"),
])
@respx.mock
def test_kinds_without_a_balance_endpoint_are_unsupported(kind: str, base_url: str) -> None:
    result = only(probe(config(provider(kind=kind, base_url=base_url)), BALANCE))
    assert (result.ok, result.reason, result.status_code) == (True, Reason.UNSUPPORTED, None)
    assert result.detail == f"no balance endpoint is known for this {kind} host"
    assert respx.calls.call_count == 0


@pytest.mark.parametrize(("body", "detail"), [
    (b'{"code": 0, "status": true, "data": {"available_balance": "x", "voucher_balance": 1, "cash_balance": 1}}',
     "the balance answer has a non-numeric available_balance"),
    (b'{"code": 0, "status": true, "data": {"available_balance": true, "voucher_balance": 1, "cash_balance": 1}}',
     "the balance answer has no numeric available_balance"),
    (b'{"code": 0, "status": true}', "the balance answer has no data object"),
    (b"[1, 2]", "the balance answer has no top-level object"),
])
@respx.mock
def test_malformed_balance_is_invalid(body: bytes, detail: str) -> None:
    respx.get(f"{MOONSHOT}/users/me/balance").respond(200, content=body)
    result = only(probe(config(provider()), BALANCE))
    assert (result.ok, result.reason, result.detail) == (False, Reason.INVALID_RESPONSE, detail)


@respx.mock
def test_quota_exhausted_balance_call() -> None:
    route = respx.get(f"{MOONSHOT}/users/me/balance").mock(return_value=httpx.Response(
        429, json={"error": {"type": "exceeded_current_quota_error",
                             "message": "Your account org-abcd1234<ak-efgh5678> is suspended"}}))
    result = only(probe(config(provider()), BALANCE))
    assert (result.ok, result.reason, result.status_code) == (False, Reason.QUOTA_EXHAUSTED, 429)
    assert result.detail == ("HTTP 429 exceeded_current_quota_error: Your account org-[REDACTED]<ak-[REDACTED]> "
                             "is suspended")
    assert route.call_count == 1
