"""A provider that says the account cannot make calls is believed, whatever its amounts say."""

from decimal import Decimal

import pytest
import respx

from kimicheck.probe.balance import ParsedBalance, balance_level, parse_balance
from kimicheck.probe.result import BalanceLevel, Check, Reason
from kimicheck.providers import Kind

from .helpers import config, only, probe, provider

#: DeepSeek's documented answer (api-docs.deepseek.com, get user balance), with `is_available` turned off.
UNAVAILABLE = {
    "is_available": False,
    "balance_infos": [
        {"currency": "CNY", "total_balance": "110.00", "granted_balance": "10.00", "topped_up_balance": "100.00"},
    ],
}


@respx.mock
def test_deepseek_is_available_false_is_critical_with_a_healthy_balance() -> None:
    respx.get("https://api.deepseek.com/user/balance").respond(200, json=UNAVAILABLE)
    cfg = config(provider(kind="deepseek", base_url="https://api.deepseek.com", balance={"warn_below": 5}))
    result = only(probe(cfg, [Check.BALANCE]))
    assert (result.ok, result.reason) == (False, Reason.BALANCE_CRITICAL)
    assert result.detail == ("available 110.00 CNY (voucher 10.00, cash 100.00): the provider reports that the "
                             "account cannot make calls (is_available: false)")


@pytest.mark.parametrize(("flag", "usable"), [(True, True), (False, False), (None, True)])
def test_only_an_explicit_false_marks_the_account_unusable(flag: bool | None, usable: bool) -> None:
    answer = {**UNAVAILABLE, "is_available": flag} if flag is not None else {
        k: v for k, v in UNAVAILABLE.items() if k != "is_available"}
    assert parse_balance(Kind.DEEPSEEK, answer).usable is usable


def test_an_unusable_account_is_critical_whatever_the_thresholds() -> None:
    parsed = ParsedBalance(available=Decimal("1000"), usable=False)
    assert balance_level(parsed, None) is BalanceLevel.CRITICAL
