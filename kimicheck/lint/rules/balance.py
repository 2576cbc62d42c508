"""KC4xx: balance thresholds that cannot work: order, sign, currency, none at all, hosts without a balance."""

from __future__ import annotations

from collections.abc import Iterator

from kimicheck.lint.finding import Severity
from kimicheck.lint.rule import LintContext, Problem, Rule
from kimicheck.lint.rules._common import provider_path, site_label
from kimicheck.providers import KIND_PROFILES, account_currency, balance_endpoint, implied_currency

__all__ = ["RULES"]


def _template(
    url: str = "https://api.moonshot.ai/v1",
    balance: str | None = "{warn_below: 20, critical_below: 5}",
    kind: str = "moonshot",
    env: str = "MOONSHOT_API_KEY",
) -> str:
    text = (
        "version: 1\nproviders:\n"
        f"  - name: kimi\n    kind: {kind}\n    base_url: {url}\n    api_key_env: {env}\n"
        f"    models: [{'deepseek-chat' if kind == 'deepseek' else 'kimi-k2.6'}]\n"
    )
    return text if balance is None else text + f"    balance: {balance}\n"


def check_threshold_order(ctx: LintContext) -> Iterator[Problem]:
    """`warn_below` must be above `critical_below`, or the warning never comes first."""
    for index, provider in ctx.providers:
        balance = provider.balance
        if balance is None or balance.warn_below is None or balance.critical_below is None:
            continue
        if balance.warn_below <= balance.critical_below:
            yield Problem(
                f"warn_below {balance.warn_below} is not above critical_below {balance.critical_below}: "
                "the balance would turn critical without a warning first",
                where=provider_path(index, "balance", "warn_below"),
                hint="make warn_below the larger amount (swap the two values?)",
            )


def check_negative(ctx: LintContext) -> Iterator[Problem]:
    """Thresholds are amounts of money left: never negative."""
    for index, provider in ctx.providers:
        balance = provider.balance
        if balance is None:
            continue
        for field in ("warn_below", "critical_below"):
            amount = getattr(balance, field)
            if amount is not None and amount < 0:
                yield Problem(
                    f"{field} {amount} is negative: the provider refuses requests once the available "
                    "balance reaches 0, so this threshold would never fire in time",
                    where=provider_path(index, "balance", field),
                    hint=f"use an amount of 0 or more for {field}",
                )


def check_currency_mismatch(ctx: LintContext) -> Iterator[Problem]:
    """A currency other than the one the host's region (or the gateway) bills in."""
    for index, provider in ctx.providers:
        balance = provider.balance
        implied = implied_currency(provider.base_url, provider.kind)
        if balance is None or balance.currency is None or implied is None or balance.currency == implied:
            continue
        yield Problem(
            f"currency {balance.currency} contradicts {site_label(provider)}, which reports balances in "
            f"{implied}: the thresholds would be compared with amounts in {implied}",
            where=provider_path(index, "balance", "currency"),
            hint=f"write currency: {implied} and restate the thresholds in {implied} (or remove currency: "
            "the host implies it)",
        )


def check_currency_required(ctx: LintContext) -> Iterator[Problem]:
    """Where neither host nor kind fixes the currency, the thresholds must say which one they are in."""
    for index, provider in ctx.providers:
        balance = provider.balance
        if balance is None or balance.currency is not None:
            continue
        if balance.warn_below is None and balance.critical_below is None:
            continue  # balance-without-thresholds says what is missing first
        if balance_endpoint(provider.base_url, provider.kind) is None:
            continue  # balance-not-supported or balance-on-host-without-balance says the block should go
        if implied_currency(provider.base_url, provider.kind) is None:
            yield Problem(
                f"balance has no currency, and {site_label(provider)} does not imply one: the thresholds "
                "cannot be compared with the account's amounts",
                where=provider_path(index, "balance"),
                hint="add currency: with the account's ISO 4217 code, e.g. currency: CNY or currency: USD",
                on_key=True,
            )


def check_thresholds_set(ctx: LintContext) -> Iterator[Problem]:
    """A balance block without `warn_below` or `critical_below` judges nothing beyond an empty account."""
    for index, provider in ctx.providers:
        balance = provider.balance
        if balance is None or balance.warn_below is not None or balance.critical_below is not None:
            continue
        if balance_endpoint(provider.base_url, provider.kind) is None:
            continue  # balance-not-supported or balance-on-host-without-balance: the block should go
        currency = account_currency(provider.base_url, provider.kind, configured=balance.currency)
        example = "warn_below: 20, critical_below: 5" + ("" if currency else ", currency: USD")
        unit = f"amounts in {currency}" if currency else "amounts in the account's currency"
        yield Problem(
            "balance sets no threshold (warn_below, critical_below): the balance is read, but only an "
            "exhausted account (0 or less) would be reported",
            where=provider_path(index, "balance"),
            hint=f"add warn_below and critical_below ({unit}), e.g. balance: {{{example}}}",
            on_key=True,
        )


def check_balance_supported(ctx: LintContext) -> Iterator[Problem]:
    """A balance block on a kind that has no balance endpoint."""
    for index, provider in ctx.providers:
        if provider.balance is not None and KIND_PROFILES[provider.kind].balance is None:
            yield Problem(
                f"kind {provider.kind.value} has no balance endpoint: kimicheck cannot read this account's "
                "balance, so the thresholds would never be checked",
                where=provider_path(index, "balance"),
                hint="remove the balance block (or set the kind of the gateway, if it has one)",
                on_key=True,
            )


def check_host_without_balance(ctx: LintContext) -> Iterator[Problem]:
    """A balance block on a known host of a balance-capable kind that itself has none (Kimi Code)."""
    for index, provider in ctx.providers:
        if provider.balance is None or balance_endpoint(provider.base_url, provider.kind) is not None:
            continue
        if KIND_PROFILES[provider.kind].balance is None:
            continue  # balance-not-supported already says so: it is the kind, not the host, that has none
        yield Problem(
            f"{site_label(provider)} has no balance endpoint: the balance check would fail on every run",
            where=provider_path(index, "balance"),
            hint="remove the balance block",
            on_key=True,
        )


THRESHOLD_ORDER = Rule(
    id="KC401",
    name="balance-threshold-order",
    severity=Severity.ERROR,
    summary="warn_below is not above critical_below",
    doc="`warn_below` is the early warning and `critical_below` the emergency: the warning threshold "
    "must be the larger amount, or the balance goes critical without a warning first. Often the two "
    "values are swapped. Fix: make `warn_below` larger than `critical_below`.",
    fail_example=_template(balance="{warn_below: 5, critical_below: 20}"),
    pass_example=_template(),
    check=check_threshold_order,
)
NEGATIVE_THRESHOLD = Rule(
    id="KC402",
    name="negative-balance-threshold",
    severity=Severity.ERROR,
    summary="a negative balance threshold",
    doc="Providers stop serving requests once the available balance reaches zero, so a negative "
    "threshold fires only after the outage has begun. Fix: use 0 or a positive amount.",
    fail_example=_template(balance="{warn_below: 20, critical_below: -5}"),
    pass_example=_template(),
    check=check_negative,
)
CURRENCY_MISMATCH = Rule(
    id="KC403",
    name="balance-currency-mismatch",
    severity=Severity.ERROR,
    summary="a currency that contradicts the host's region or the gateway's billing currency",
    doc="Moonshot bills api.moonshot.ai accounts in USD and api.moonshot.cn accounts in CNY, and the "
    "balance endpoint does not say which: the host decides. OpenRouter and AIMLAPI bill in USD. USD "
    "thresholds on a .cn account are off by the exchange rate. Fix: use the host's currency and restate "
    "the amounts in it.",
    fail_example=_template(
        url="https://api.moonshot.cn/v1", balance="{warn_below: 20, critical_below: 5, currency: USD}"
    ),
    pass_example=_template(
        url="https://api.moonshot.cn/v1", balance="{warn_below: 150, critical_below: 35, currency: CNY}"
    ),
    check=check_currency_mismatch,
)
CURRENCY_REQUIRED = Rule(
    id="KC404",
    name="balance-currency-required",
    severity=Severity.ERROR,
    summary="balance thresholds without a currency where the host does not imply one",
    doc="The currency may be left out where the host or kind fixes it (api.moonshot.ai: USD, "
    "api.moonshot.cn: CNY, OpenRouter and AIMLAPI: USD). Elsewhere (DeepSeek, loopback hosts, other "
    "hosts) the thresholds are ambiguous. Fix: add `currency:` with the account's ISO 4217 code.",
    fail_example=_template(
        url="https://api.deepseek.com", kind="deepseek", env="DEEPSEEK_API_KEY",
        balance="{warn_below: 20, critical_below: 5}",
    ),
    pass_example=_template(
        url="https://api.deepseek.com", kind="deepseek", env="DEEPSEEK_API_KEY",
        balance="{warn_below: 20, critical_below: 5, currency: CNY}",
    ),
    check=check_currency_required,
)
BALANCE_NOT_SUPPORTED = Rule(
    id="KC405",
    name="balance-not-supported",
    severity=Severity.ERROR,
    summary="a balance block on a kind without a balance endpoint",
    doc="Only some kinds expose the account's balance (moonshot, openrouter, aimlapi, deepseek). A "
    "generic `openai-compatible` host has no such endpoint, so its thresholds could never be checked. "
    "Fix: remove the balance block, or use the specific kind when the host is one of those.",
    fail_example=_template(
        url="https://llm.example.com/v1", kind="openai-compatible", env="LLM_API_KEY",
        balance="{warn_below: 20, critical_below: 5, currency: USD}",
    ),
    pass_example=_template(url="https://llm.example.com/v1", kind="openai-compatible", env="LLM_API_KEY",
                           balance=None),
    check=check_balance_supported,
)
NO_THRESHOLDS = Rule(
    id="KC407",
    name="balance-without-thresholds",
    severity=Severity.WARNING,
    summary="a balance block without warn_below or critical_below (`balance: {}`)",
    doc="The balance check reads the account's available balance on every run, and only the thresholds "
    "turn it into an early warning: without `warn_below` or `critical_below` it reports trouble only "
    "once the balance is exhausted and requests are already refused. Fix: set the amounts, in the "
    "account currency, below which to warn and to page.",
    fail_example=_template(balance="{}"),
    pass_example=_template(),
    check=check_thresholds_set,
)
HOST_WITHOUT_BALANCE = Rule(
    id="KC406",
    name="balance-on-host-without-balance",
    severity=Severity.WARNING,
    summary="a balance block on a host without a balance endpoint (the Kimi Code endpoint)",
    doc="Kimi Code (`https://api.kimi.com/coding/v1`) is a separate product with its own keys and "
    "billing; it has no `/users/me/balance`. A balance block there makes every balance check fail. "
    "Fix: remove the balance block for that provider.",
    fail_example=_template(url="https://api.kimi.com/coding/v1", env="KIMI_CODE_API_KEY"),
    pass_example=_template(url="https://api.kimi.com/coding/v1", env="KIMI_CODE_API_KEY", balance=None),
    check=check_host_without_balance,
)

RULES: tuple[Rule, ...] = (
    THRESHOLD_ORDER,
    NEGATIVE_THRESHOLD,
    CURRENCY_MISMATCH,
    CURRENCY_REQUIRED,
    BALANCE_NOT_SUPPORTED,
    HOST_WITHOUT_BALANCE,
    NO_THRESHOLDS,
)
