"""The facts derived from a base URL and a kind: one function each, exact values."""

from __future__ import annotations

import pytest

from kimicheck.providers import (
    KNOWN_HOSTS,
    BalanceEndpoint,
    IdForm,
    Kind,
    account_currency,
    balance_endpoint,
    expected_id_form,
    implied_currency,
)

INTL = "https://api.moonshot.ai/v1"
CHINA = "https://api.moonshot.cn/v1"
KIMI_CODE = "https://api.kimi.com/coding/v1"
OPENROUTER = "https://openrouter.ai/api/v1"
AIMLAPI = "https://api.aimlapi.com/v1"
DEEPSEEK = "https://api.deepseek.com"
LOOPBACK = "http://127.0.0.1:8080/v1"


def test_each_known_host_bills_in_its_region_or_its_kind_currency() -> None:
    assert {h.host: h.currency for h in KNOWN_HOSTS} == {
        "api.moonshot.ai": "USD",
        "api.moonshot.cn": "CNY",
        "api.kimi.com": None,
        "openrouter.ai": "USD",
        "api.aimlapi.com": "USD",
        "api.deepseek.com": None,
        "api.siliconflow.cn": None,
        "api.together.xyz": None,
        "api.fireworks.ai": None,
        "api.groq.com": None,
    }


@pytest.mark.parametrize(
    ("url", "kind", "currency"),
    [
        (INTL, Kind.MOONSHOT, "USD"),
        (CHINA, Kind.MOONSHOT, "CNY"),
        (KIMI_CODE, Kind.MOONSHOT, None),
        (OPENROUTER, Kind.MOONSHOT, "USD"),
        (AIMLAPI, Kind.AIMLAPI, "USD"),
        (DEEPSEEK, Kind.DEEPSEEK, None),
        (LOOPBACK, Kind.OPENROUTER, "USD"),
        (LOOPBACK, Kind.AIMLAPI, "USD"),
        (LOOPBACK, Kind.MOONSHOT, None),
        (LOOPBACK, Kind.OPENAI_COMPATIBLE, None),
        # a known host names the service that holds the account; the kind only the protocol
        (CHINA, Kind.OPENROUTER, "CNY"),
        (CHINA, Kind.AIMLAPI, "CNY"),
    ],
)
def test_implied_currency_is_the_host_then_the_kind(url: str, kind: Kind, currency: str | None) -> None:
    assert implied_currency(url, kind) == currency


@pytest.mark.parametrize(
    ("url", "kind", "configured", "answered", "currency"),
    [
        (INTL, Kind.MOONSHOT, None, None, "USD"),
        (CHINA, Kind.MOONSHOT, None, None, "CNY"),
        # the answer beats everything: DeepSeek and AIMLAPI say which currency they report
        (DEEPSEEK, Kind.DEEPSEEK, "CNY", "USD", "USD"),
        (AIMLAPI, Kind.AIMLAPI, None, "EUR", "EUR"),
        # the config cannot change what the host bills in (balance-currency-mismatch says so)
        (CHINA, Kind.MOONSHOT, "USD", None, "CNY"),
        (INTL, Kind.MOONSHOT, "CNY", None, "USD"),
        (OPENROUTER, Kind.OPENROUTER, "EUR", None, "USD"),
        (LOOPBACK, Kind.AIMLAPI, "CNY", None, "USD"),
        # where neither host nor kind fixes it, the config does
        (DEEPSEEK, Kind.DEEPSEEK, "CNY", None, "CNY"),
        (LOOPBACK, Kind.MOONSHOT, "EUR", None, "EUR"),
        (LOOPBACK, Kind.MOONSHOT, None, None, None),
        # the host before the kind
        (CHINA, Kind.OPENROUTER, None, None, "CNY"),
        (CHINA, Kind.AIMLAPI, "USD", None, "CNY"),
    ],
)
def test_account_currency_is_the_answer_then_host_then_kind_then_config(
    url: str, kind: Kind, configured: str | None, answered: str | None, currency: str | None
) -> None:
    assert account_currency(url, kind, configured=configured, answered=answered) == currency


@pytest.mark.parametrize(
    ("url", "kind", "endpoint"),
    [
        (INTL, Kind.MOONSHOT, BalanceEndpoint("users/me/balance")),
        (CHINA, Kind.MOONSHOT, BalanceEndpoint("users/me/balance")),
        (LOOPBACK, Kind.MOONSHOT, BalanceEndpoint("users/me/balance")),
        (OPENROUTER, Kind.OPENROUTER, BalanceEndpoint("key")),
        (AIMLAPI, Kind.AIMLAPI, BalanceEndpoint("/v2/billing", relative_to_origin=True)),
        (DEEPSEEK, Kind.DEEPSEEK, BalanceEndpoint("user/balance")),
        (KIMI_CODE, Kind.MOONSHOT, None),
        ("https://api.together.xyz/v1", Kind.OPENAI_COMPATIBLE, None),
        ("https://api.together.xyz/v1", Kind.MOONSHOT, None),
        (LOOPBACK, Kind.OPENAI_COMPATIBLE, None),
        ("https://llm.example.com/v1", Kind.DEEPSEEK, BalanceEndpoint("user/balance")),
        ("not a url", Kind.MOONSHOT, BalanceEndpoint("users/me/balance")),
    ],
)
def test_balance_endpoint_needs_a_kind_with_one_on_a_host_with_one(
    url: str, kind: Kind, endpoint: BalanceEndpoint | None
) -> None:
    assert balance_endpoint(url, kind) == endpoint


@pytest.mark.parametrize(
    ("url", "kind", "form"),
    [
        (INTL, Kind.OPENAI_COMPATIBLE, IdForm.OFFICIAL),
        (KIMI_CODE, Kind.OPENROUTER, IdForm.OFFICIAL),
        (OPENROUTER, Kind.MOONSHOT, IdForm.OPENROUTER),
        (AIMLAPI, Kind.MOONSHOT, IdForm.AIMLAPI),
        (DEEPSEEK, Kind.MOONSHOT, IdForm.OTHER),
        ("https://api.groq.com/openai/v1", Kind.MOONSHOT, IdForm.OTHER),
        (LOOPBACK, Kind.AIMLAPI, IdForm.AIMLAPI),
        (LOOPBACK, Kind.OPENAI_COMPATIBLE, IdForm.OTHER),
    ],
)
def test_expected_id_form_is_the_host_then_the_kind(url: str, kind: Kind, form: IdForm) -> None:
    assert expected_id_form(url, kind) is form
