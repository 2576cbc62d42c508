"""KC408-KC409: account credits behind a per-key cap (OpenRouter) and the management key that reads them."""

from __future__ import annotations

from collections.abc import Iterator

from kimicheck.lint.finding import Severity
from kimicheck.lint.rule import LintContext, Problem, Rule
from kimicheck.lint.rules._common import provider_path
from kimicheck.lint.rules.keys import MANAGEMENT_ENV
from kimicheck.providers import KIND_PROFILES

__all__ = ["RULES"]


def _template(kind: str = "openrouter", url: str = "https://openrouter.ai/api/v1", extra: str = "") -> str:
    env = "OPENROUTER_API_KEY" if kind == "openrouter" else "MOONSHOT_API_KEY"
    model = "moonshotai/kimi-k2.6" if kind == "openrouter" else "kimi-k2.6"
    return (
        "version: 1\nproviders:\n"
        f"  - name: gw\n    kind: {kind}\n    base_url: {url}\n    api_key_env: {env}\n{extra}"
        f"    models: [{model}]\n    balance: {{warn_below: 20, critical_below: 5}}\n"
    )


def check_credits_without_management_key(ctx: LintContext) -> Iterator[Problem]:
    """Thresholds on a kind whose balance endpoint tells only the key's cap, with no management key."""
    for index, provider in ctx.providers:
        balance = provider.balance
        if balance is None or (balance.warn_below is None and balance.critical_below is None):
            continue
        if KIND_PROFILES[provider.kind].account_credits is None or provider.has_management_key:
            continue
        if ctx.was_dropped(index, "management_key_env", "management_key_file"):
            continue
        yield Problem(
            f"the balance thresholds of {provider.name} apply to the key's own spending cap "
            "(limit_remaining), not to the account's credits: an unlimited key on an empty account looks "
            "healthy",
            where=provider_path(index, "balance"),
            hint=f"create a management key in OpenRouter's settings and add management_key_env: {MANAGEMENT_ENV} "
            "(or management_key_file:), so the balance check also reads the account's credits",
            on_key=True,
        )


def check_management_key_kind(ctx: LintContext) -> Iterator[Problem]:
    """A management key on a kind that has no account-credits endpoint: it would never be used."""
    for index, provider in ctx.providers:
        if not provider.has_management_key or KIND_PROFILES[provider.kind].account_credits is not None:
            continue
        field = "management_key_env" if provider.management_key_env is not None else "management_key_file"
        yield Problem(
            f"kind {provider.kind.value} has no account-credits endpoint: {field} would never be read",
            where=provider_path(index, field),
            hint="remove it (only kind openrouter reads a management key)",
            on_key=True,
        )


CREDITS_WITHOUT_MANAGEMENT_KEY = Rule(
    id="KC408",
    name="balance-without-account-credits",
    severity=Severity.WARNING,
    summary="OpenRouter balance thresholds without a management key (only the key's cap is checked)",
    doc="OpenRouter's `/api/v1/key` tells how much of the key's own spending cap is left (`limit_remaining`, "
    "null for a key without a cap), not how many credits the account has: requests fail with 402 when "
    "either runs out. The account's credits come from `/api/v1/credits`, which answers only a management "
    "key. Fix: create a management key and name where it is (`management_key_env` or "
    "`management_key_file`); the balance check then reports the account's credits as "
    "`kimicheck_balance{type=\"account\"}` and judges the thresholds on the smaller of the two.",
    fail_example=_template(),
    pass_example=_template(extra=f"    management_key_env: {MANAGEMENT_ENV}\n"),
    check=check_credits_without_management_key,
)
MANAGEMENT_KEY_KIND = Rule(
    id="KC409",
    name="management-key-not-supported",
    severity=Severity.ERROR,
    summary="management_key_env or management_key_file on a kind other than openrouter",
    doc="Only OpenRouter separates a key's spending cap from the account's credits and reads the latter "
    "with a management key. On any other kind the field is never read, and a key is sent nowhere it is "
    "not needed. Fix: remove the field.",
    fail_example=_template(kind="moonshot", url="https://api.moonshot.ai/v1",
                           extra=f"    management_key_env: {MANAGEMENT_ENV}\n"),
    pass_example=_template(kind="moonshot", url="https://api.moonshot.ai/v1"),
    check=check_management_key_kind,
)

RULES: tuple[Rule, ...] = (CREDITS_WITHOUT_MANAGEMENT_KEY, MANAGEMENT_KEY_KIND)
