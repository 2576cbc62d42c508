"""KC6xx: provider identity: unique names, and a `kind` that matches the host it points at."""

from __future__ import annotations

from collections.abc import Iterator

from kimicheck.lint.finding import Severity
from kimicheck.lint.rule import LintContext, Problem, Rule
from kimicheck.lint.rules._common import hostname, provider_path
from kimicheck.lookalike import closest
from kimicheck.net import is_loopback_host
from kimicheck.providers import KNOWN_HOSTS, Kind, find_known_host

__all__ = ["RULES"]


def _provider(name: str, kind: str, url: str, env: str, models: str) -> str:
    return (
        f"  - name: {name}\n    kind: {kind}\n    base_url: {url}\n    api_key_env: {env}\n"
        f"    models: {models}\n"
    )


_INTL = _provider("kimi-intl", "moonshot", "https://api.moonshot.ai/v1", "MOONSHOT_API_KEY", "[kimi-k2.6]")
_CN = _provider("kimi-cn", "moonshot", "https://api.moonshot.cn/v1", "MOONSHOT_CN_API_KEY", "[kimi-k2.6]")
_HEAD = "version: 1\nproviders:\n"


def check_duplicate_names(ctx: LintContext) -> Iterator[Problem]:
    """Provider names are metric labels and CLI arguments: each must be unique."""
    first_seen: dict[str, int] = {}
    for index, provider in ctx.providers:
        if provider.name in first_seen:
            yield Problem(
                f"provider name {provider.name} is already used by providers[{first_seen[provider.name]}]: "
                "their metrics and results would be mixed up",
                where=provider_path(index, "name"),
                hint="give each provider its own name, e.g. by region or account (kimi-intl, kimi-cn)",
            )
        else:
            first_seen[provider.name] = index


def check_kind_matches_host(ctx: LintContext) -> Iterator[Problem]:
    """A specific kind on a known host of another kind (kind moonshot on openrouter.ai)."""
    for index, provider in ctx.providers:
        known = find_known_host(provider.base_url)
        if known is None or known.kind is provider.kind or provider.kind is Kind.OPENAI_COMPATIBLE:
            continue
        yield Problem(
            f"kind {provider.kind.value} contradicts the host {known.host}, which is {known.label} "
            f"(kind {known.kind.value}): kimicheck would use the wrong endpoints and model-id spelling",
            where=provider_path(index, "kind"),
            hint=f"write kind: {known.kind.value}",
        )


def check_unknown_moonshot_host(ctx: LintContext) -> Iterator[Problem]:
    """Kind moonshot on a public host that is not one of Moonshot's (often a typo such as .com)."""
    moonshot_hosts = [h for h in KNOWN_HOSTS if h.kind is Kind.MOONSHOT]
    for index, provider in ctx.providers:
        host = hostname(provider.base_url)
        if provider.kind is not Kind.MOONSHOT or not host or is_loopback_host(host):
            continue
        if find_known_host(provider.base_url) is not None:
            continue
        same_host = [h for h in moonshot_hosts if h.host == host]
        if same_host:
            message = f"{host} serves the Kimi API only under {same_host[0].path_prefix}"
            hint = f"use {same_host[0].base_url}"
        else:
            message = f"{host} is not a known Moonshot host"
            guess = [h for h in moonshot_hosts if h.host in closest(host, [h.host for h in moonshot_hosts], 1)]
            regional = [h for h in moonshot_hosts if h.region is not None]
            choices = guess if guess and guess[0].region is None else regional
            hint = "did you mean " + " or ".join(f"{h.base_url} ({h.label})" for h in choices) + "?"
        yield Problem(
            f"{message}: requests under kind moonshot would go to a server that is probably not Moonshot's",
            where=provider_path(index, "base_url"),
            hint=hint,
        )


DUPLICATE_PROVIDER_NAME = Rule(
    id="KC601",
    name="duplicate-provider-name",
    severity=Severity.ERROR,
    summary="two providers with the same name",
    doc="A provider's name is its identity: the `provider` label of every metric, the argument of "
    "`kimicheck probe NAME`. Two providers with one name would overwrite each other's series. Fix: name "
    "each provider by what distinguishes it (region, account, gateway).",
    fail_example=_HEAD + _INTL + _CN.replace("kimi-cn", "kimi-intl", 1),
    pass_example=_HEAD + _INTL + _CN,
    check=check_duplicate_names,
)
KIND_HOST_MISMATCH = Rule(
    id="KC602",
    name="kind-host-mismatch",
    severity=Severity.ERROR,
    summary="`kind` contradicts a known host (kind moonshot on openrouter.ai)",
    doc="The kind decides which endpoints kimicheck calls (balance, key check) and how model ids are "
    "spelled. A known host has one kind: OpenRouter's API is kind `openrouter`, Moonshot's is `moonshot`. "
    "`openai-compatible` is accepted anywhere, for the checks every such API shares. Fix: use the kind "
    "the message names.",
    fail_example=_HEAD
    + _provider("openrouter", "moonshot", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY",
                "[moonshotai/kimi-k2.6]"),
    pass_example=_HEAD
    + _provider("openrouter", "openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY",
                "[moonshotai/kimi-k2.6]"),
    check=check_kind_matches_host,
)
UNKNOWN_MOONSHOT_HOST = Rule(
    id="KC603",
    name="unknown-moonshot-host",
    severity=Severity.WARNING,
    summary="kind moonshot on a public host that is not a known Moonshot host",
    doc="Moonshot's API lives at api.moonshot.ai (international), api.moonshot.cn (China) and, for Kimi "
    "Code, api.kimi.com/coding. Another host under kind `moonshot` is usually a typo "
    "(`api.moonshot.com`), which would send the key to someone else's server. A warning because a "
    "company proxy is legitimate: use kind `openai-compatible` for it, or suppress the warning there.",
    fail_example=_HEAD + _INTL.replace("api.moonshot.ai", "api.moonshot.com"),
    pass_example=_HEAD + _INTL,
    check=check_unknown_moonshot_host,
)

RULES: tuple[Rule, ...] = (DUPLICATE_PROVIDER_NAME, KIND_HOST_MISMATCH, UNKNOWN_MOONSHOT_HOST)
