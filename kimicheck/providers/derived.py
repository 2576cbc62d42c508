"""Facts derived from a provider's base URL and kind: one function each, which every layer calls.

A known host is more specific than a kind (a kind names a protocol, a host names the service that
holds the account), so wherever both have an answer the host's wins.
"""

from __future__ import annotations

from kimicheck.providers.hosts import KNOWN_HOSTS, find_known_host
from kimicheck.providers.kinds import KIND_PROFILES, BalanceEndpoint, IdForm, Kind

__all__ = [
    "account_currency",
    "balance_endpoint",
    "catalog_kind",
    "described_kind",
    "expected_id_form",
    "implied_currency",
]


def expected_id_form(base_url: str, kind: Kind) -> IdForm:
    """How Kimi model ids are spelled for a provider: by its known host, else by its kind."""
    known = find_known_host(base_url)
    if known is None:
        return KIND_PROFILES[kind].id_form
    if known.official:
        return IdForm.OFFICIAL
    return KIND_PROFILES[known.kind].id_form


def implied_currency(base_url: str, kind: Kind) -> str | None:
    """The balance currency the host's region or the kind fixes, or None when only the config can say."""
    known = find_known_host(base_url)
    if known is not None and known.currency is not None:
        return known.currency
    return KIND_PROFILES[kind].currency


def account_currency(
    base_url: str, kind: Kind, *, configured: str | None = None, answered: str | None = None
) -> str | None:
    """The currency a provider's balance is in: what the balance answer says (`answered`), else what the
    host or kind fixes, else what the config states (`configured`); None when nothing says.

    The config comes last because it cannot change what an account is billed in: where it contradicts
    the host, the linter reports it (balance-currency-mismatch) and the amounts stay in the host's currency.
    """
    return answered or implied_currency(base_url, kind) or configured


def balance_endpoint(base_url: str, kind: Kind) -> BalanceEndpoint | None:
    """Where the provider reports the account's balance, or None: the kind has no balance endpoint, or
    the known host the base URL points at has none (Kimi Code)."""
    known = find_known_host(base_url)
    if known is not None and not known.has_balance:
        return None
    return KIND_PROFILES[kind].balance


def catalog_kind(base_url: str) -> Kind | None:
    """The kind of the model catalog whose ids and lifecycles the provider's host serves as written, or None.

    Moonshot's regional APIs and DeepSeek's own; not Kimi Code (a product with its own models), not a gateway
    (which may keep serving a model its maker retired) and not an unknown host (the live list decides there).
    """
    known = find_known_host(base_url)
    if known is None:
        return None
    if known.official and known.region is not None:
        return Kind.MOONSHOT
    return Kind.DEEPSEEK if known.kind is Kind.DEEPSEEK else None


def described_kind(base_url: str, kind: Kind) -> Kind | None:
    """The catalog kind whose facts describe a provider's model ids, for what only informs (`kimicheck models`,
    the retirement metrics, the context-length comparison), never for an error.

    A known host: its `catalog_kind` (None for a gateway or Kimi Code, which keep their own model lists). A
    host kimicheck does not know (a self-hosted proxy, the simulator): the configured kind, when it is one
    whose own hosts the catalog describes (moonshot, deepseek), as such a host passes that kind's ids through.
    """
    if find_known_host(base_url) is not None:
        return catalog_kind(base_url)
    described = {catalog_kind(host.base_url) for host in KNOWN_HOSTS}
    return kind if kind in described else None
