"""OpenRouter account credits: read with the management key, judged with the key's cap, never shown."""

from decimal import Decimal

import respx

from kimicheck.probe.report import render_json, result_to_json
from kimicheck.probe.result import BalanceData, BalanceLevel, Check, Reason

from .helpers import KEY, config, only, probe, provider

OPENROUTER = "https://openrouter.ai/api/v1"
MANAGEMENT_KEY = "sk-or-v1-management0000000000000000000000"
BALANCE = [Check.BALANCE]


def gateway(**extra: object) -> dict[str, object]:
    return provider(name="or", kind="openrouter", base_url=OPENROUTER, models=["moonshotai/kimi-k2.6"],
                    management_key_env="OR_MANAGEMENT", **extra)


def env(**extra: str) -> dict[str, str]:
    return {"KIMI_KEY": KEY, "OR_MANAGEMENT": MANAGEMENT_KEY, **extra}


def unlimited_key() -> respx.Route:
    return respx.get(f"{OPENROUTER}/key").respond(
        200, json={"data": {"limit": None, "limit_remaining": None, "usage": 3.2, "is_free_tier": False}})


@respx.mock
def test_an_unlimited_key_on_an_empty_account_is_critical() -> None:
    unlimited_key()
    credits = respx.get(f"{OPENROUTER}/credits").respond(
        200, content=b'{"data": {"total_credits": 10.5, "total_usage": 10.5}}')
    result = only(probe(config(gateway(balance={"warn_below": 5, "critical_below": 1})), BALANCE, environ=env()))
    assert (result.ok, result.reason) == (False, Reason.BALANCE_CRITICAL)
    assert result.data == BalanceData(currency="USD", level=BalanceLevel.CRITICAL, available=None,
                                      account=Decimal("0.0"))
    assert result.detail == ("no spending limit on this key (unlimited); account credits 0.0 USD: nothing left, "
                             "inference calls are refused")
    assert credits.calls.last.request.headers["authorization"] == f"Bearer {MANAGEMENT_KEY}"
    assert result_to_json(result)["data"] == {"currency": "USD", "level": "critical", "available": None,
                                              "voucher": None, "cash": None, "in_arrears": False, "account": "0.0"}


@respx.mock
def test_thresholds_judge_the_smaller_of_the_key_cap_and_the_account() -> None:
    respx.get(f"{OPENROUTER}/key").respond(200, json={"data": {"limit": 100, "limit_remaining": 80, "usage": 20}})
    respx.get(f"{OPENROUTER}/credits").respond(200, json={"data": {"total_credits": 50, "total_usage": 46}})
    result = only(probe(config(gateway(balance={"warn_below": 5, "critical_below": 1})), BALANCE, environ=env()))
    assert (result.ok, result.reason) == (True, Reason.BALANCE_LOW)
    assert result.detail == "available 80 USD; account credits 4 USD: below warn_below 5"
    respx.get(f"{OPENROUTER}/key").respond(200, json={"data": {"limit": 100, "limit_remaining": 3, "usage": 97}})
    respx.get(f"{OPENROUTER}/credits").respond(200, json={"data": {"total_credits": 50, "total_usage": 0}})
    result = only(probe(config(gateway(balance={"warn_below": 5, "critical_below": 1})), BALANCE, environ=env()))
    assert (result.reason, result.detail) == (Reason.BALANCE_LOW, "available 3 USD; account credits 50 USD: "
                                              "below warn_below 5")


@respx.mock
def test_without_a_management_key_only_the_key_is_read() -> None:
    key = unlimited_key()
    cfg = config(provider(name="or", kind="openrouter", base_url=OPENROUTER, models=["moonshotai/kimi-k2.6"]))
    result = only(probe(cfg, BALANCE))
    assert (result.ok, result.reason) == (True, Reason.OK)
    assert key.called and len(respx.calls) == 1
    assert "account" not in result_to_json(result)["data"]  # type: ignore[operator]


@respx.mock
def test_a_refused_management_key_fails_the_check_and_says_which_key() -> None:
    unlimited_key()
    respx.get(f"{OPENROUTER}/credits").respond(403, json={"error": {"code": 403, "message": "Forbidden"}})
    result = only(probe(config(gateway()), BALANCE, environ=env()))
    assert (result.ok, result.reason, result.status_code) == (False, Reason.PERMISSION_DENIED, 403)
    assert result.detail.startswith("account credits (management key): ")


@respx.mock
def test_an_unreadable_management_key_is_auth_failed_and_nothing_is_sent_with_it() -> None:
    unlimited_key()
    credits = respx.get(f"{OPENROUTER}/credits").respond(200, json={"data": {"total_credits": 1, "total_usage": 0}})
    result = only(probe(config(gateway()), BALANCE, environ={"KIMI_KEY": KEY}))
    assert (result.ok, result.reason) == (False, Reason.AUTH_FAILED)
    assert result.detail == "cannot read the management key: environment variable OR_MANAGEMENT is unset or empty"
    assert not credits.called


@respx.mock
def test_a_malformed_credits_answer_is_invalid_response() -> None:
    unlimited_key()
    respx.get(f"{OPENROUTER}/credits").respond(200, json={"data": {"total_credits": "lots", "total_usage": 0}})
    result = only(probe(config(gateway()), BALANCE, environ=env()))
    assert (result.ok, result.reason) == (False, Reason.INVALID_RESPONSE)
    assert "total_credits" in result.detail


@respx.mock
def test_the_management_key_is_redacted_when_echoed() -> None:
    unlimited_key()
    respx.get(f"{OPENROUTER}/credits").respond(401, json={"error": {"code": 401, "message": f"bad {MANAGEMENT_KEY}"}})
    result = only(probe(config(gateway()), BALANCE, environ=env()))
    assert MANAGEMENT_KEY not in render_json([result])
    assert MANAGEMENT_KEY[:20] not in result.detail


@respx.mock
def test_the_management_key_goes_only_to_the_credits_endpoint() -> None:
    respx.get(f"{OPENROUTER}/models").respond(200, json={"data": [{"id": "moonshotai/kimi-k2.6"}]})
    unlimited_key()
    respx.get(f"{OPENROUTER}/credits").respond(200, json={"data": {"total_credits": 9, "total_usage": 1}})
    probe(config(gateway()), [Check.MODELS, Check.BALANCE], environ=env())
    sent = {(call.request.url.path, call.request.headers.get("authorization")) for call in respx.calls}
    assert ("/api/v1/credits", f"Bearer {MANAGEMENT_KEY}") in sent
    assert all(auth != f"Bearer {MANAGEMENT_KEY}" for path, auth in sent if path != "/api/v1/credits")
