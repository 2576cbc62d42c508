"""What kimicheck knows about each provider kind and host, as data.

The linter, the probes and the simulator all read this package; nothing else spells a provider's host,
region, currency, model-id convention or endpoint path. Facts come from the providers' public
documentation; the live `GET /models` of a provider is always the authority over the model list here.

- `kinds`: the kinds, how kimicheck talks to each, the currency of each Moonshot region;
- `hosts`: the known public hosts;
- `catalog`: the model catalog (ids per kind, lifecycle, context length, thinking), read from data;
- `model_ids`: official and non-existent model ids, and the one table of host spellings;
- `derived`: facts of a (base URL, kind) pair, one function each: id form, currency, balance endpoint.
"""

from __future__ import annotations

# Network helpers live in `kimicheck.net`; re-exported here (outside __all__) for older imports.
from kimicheck.net import is_loopback_host as is_loopback_host
from kimicheck.net import resolve_endpoint as resolve_endpoint
from kimicheck.providers.catalog import (
    SHIPPED_CATALOG,
    Catalog,
    CatalogEntry,
    KindCatalog,
    Status,
    Thinking,
    current_catalog,
    lifecycle,
    retiring_within,
    shipped_catalog,
    use_catalog,
)
from kimicheck.providers.derived import (
    account_currency,
    balance_endpoint,
    catalog_kind,
    described_kind,
    expected_id_form,
    implied_currency,
)
from kimicheck.providers.hosts import KNOWN_HOSTS, KnownHost, find_known_host
from kimicheck.providers.kinds import (
    ENDPOINT_PATHS,
    KIND_PROFILES,
    REGION_CURRENCY,
    BalanceEndpoint,
    BatchApi,
    IdForm,
    Kind,
    KindProfile,
)
from kimicheck.providers.model_ids import (
    DEEPSEEK_MODEL_IDS,
    ID_SPELLINGS,
    NONEXISTENT_MODEL_IDS,
    OFFICIAL_MODEL_IDS,
    IdCorrection,
    IdSpelling,
    correction_for,
    id_form,
    model_id_key,
    nonexistent_match,
    official_id_of,
    official_match,
    spelled_by,
    spelled_for,
    to_aimlapi_id,
    to_id_form,
    to_openrouter_id,
)

__all__ = [
    "DEEPSEEK_MODEL_IDS",
    "ENDPOINT_PATHS",
    "ID_SPELLINGS",
    "KIND_PROFILES",
    "KNOWN_HOSTS",
    "NONEXISTENT_MODEL_IDS",
    "OFFICIAL_MODEL_IDS",
    "REGION_CURRENCY",
    "SHIPPED_CATALOG",
    "BalanceEndpoint",
    "BatchApi",
    "Catalog",
    "CatalogEntry",
    "IdCorrection",
    "IdForm",
    "IdSpelling",
    "Kind",
    "KindCatalog",
    "KindProfile",
    "KnownHost",
    "Status",
    "Thinking",
    "account_currency",
    "balance_endpoint",
    "catalog_kind",
    "correction_for",
    "current_catalog",
    "described_kind",
    "expected_id_form",
    "find_known_host",
    "id_form",
    "implied_currency",
    "lifecycle",
    "model_id_key",
    "nonexistent_match",
    "official_id_of",
    "official_match",
    "retiring_within",
    "shipped_catalog",
    "spelled_by",
    "spelled_for",
    "to_aimlapi_id",
    "to_id_form",
    "to_openrouter_id",
    "use_catalog",
]
