"""The provider kinds: how kimicheck talks to each, and the currency each region of Moonshot bills in."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "ENDPOINT_PATHS",
    "KIND_PROFILES",
    "REGION_CURRENCY",
    "BalanceEndpoint",
    "BatchApi",
    "IdForm",
    "Kind",
    "KindProfile",
]


class Kind(StrEnum):
    """The `kind` of a provider in the config."""

    MOONSHOT = "moonshot"
    OPENROUTER = "openrouter"
    AIMLAPI = "aimlapi"
    DEEPSEEK = "deepseek"
    OPENAI_COMPATIBLE = "openai-compatible"


class IdForm(StrEnum):
    """The spelling conventions of a Kimi model id."""

    OFFICIAL = "official"  # kimi-k2.6 (Moonshot's own endpoints)
    OPENROUTER = "openrouter"  # moonshotai/kimi-k2.6
    AIMLAPI = "aimlapi"  # moonshot/kimi-k2-6
    OTHER = "other"


@dataclass(frozen=True)
class BalanceEndpoint:
    """Where a kind reports the account's money: `path` is joined to the base URL, or to the origin."""

    path: str
    relative_to_origin: bool = False


@dataclass(frozen=True)
class BatchApi:
    """A kind's Batch and Files list endpoints (joined to the base URL) and the account's file limits.

    Source: platform.kimi.ai/docs/api/files-upload, checked 2026-11: at most 1,000 files, 10 GB in total. The
    docs do not say which gigabyte; the smaller (10**10 bytes) is used, so a warning comes early, never late.
    """

    batches_path: str = "batches"
    files_path: str = "files"
    max_files: int = 1000
    max_file_bytes: int = 10 * 10**9


@dataclass(frozen=True)
class KindProfile:
    """How kimicheck talks to one provider kind."""

    kind: Kind
    label: str
    conventional_env: str | None
    default_base_url: str | None
    models_path: str = "models"
    chat_path: str = "chat/completions"
    #: `/models` answers without a key, so a 200 there proves nothing about the key.
    models_public: bool = False
    #: an endpoint that proves the key when `/models` cannot.
    key_path: str | None = None
    balance: BalanceEndpoint | None = None
    #: the account's credits, read with a separate management key (the balance endpoint tells only the
    #: key's own cap); source: openrouter.ai docs, checked 2026-11
    account_credits: BalanceEndpoint | None = None
    #: the account currency when the kind fixes it (None: from the host's region or the response).
    currency: str | None = None
    #: the request field that caps a completion.
    max_tokens_field: str = "max_tokens"
    #: the spelling of Kimi model ids on this kind.
    id_form: IdForm = IdForm.OTHER
    #: the free Batch and Files list endpoints (the `batch` check), where the kind has them.
    batch_api: BatchApi | None = None


KIND_PROFILES: dict[Kind, KindProfile] = {
    Kind.MOONSHOT: KindProfile(
        kind=Kind.MOONSHOT,
        label="Moonshot AI (Kimi) official API",
        conventional_env="MOONSHOT_API_KEY",
        default_base_url="https://api.moonshot.ai/v1",
        balance=BalanceEndpoint("users/me/balance"),
        max_tokens_field="max_completion_tokens",
        id_form=IdForm.OFFICIAL,
        batch_api=BatchApi(),
    ),
    Kind.OPENROUTER: KindProfile(
        kind=Kind.OPENROUTER,
        label="OpenRouter",
        conventional_env="OPENROUTER_API_KEY",
        default_base_url="https://openrouter.ai/api/v1",
        models_public=True,
        key_path="key",
        balance=BalanceEndpoint("key"),
        account_credits=BalanceEndpoint("credits"),
        currency="USD",
        id_form=IdForm.OPENROUTER,
    ),
    Kind.AIMLAPI: KindProfile(
        kind=Kind.AIMLAPI,
        label="AIMLAPI",
        conventional_env="AIMLAPI_API_KEY",
        default_base_url="https://api.aimlapi.com/v1",
        balance=BalanceEndpoint("/v2/billing", relative_to_origin=True),
        currency="USD",
        id_form=IdForm.AIMLAPI,
    ),
    Kind.DEEPSEEK: KindProfile(
        kind=Kind.DEEPSEEK,
        label="DeepSeek",
        conventional_env="DEEPSEEK_API_KEY",
        default_base_url="https://api.deepseek.com",
        balance=BalanceEndpoint("user/balance"),
    ),
    Kind.OPENAI_COMPATIBLE: KindProfile(
        kind=Kind.OPENAI_COMPATIBLE,
        label="OpenAI-compatible host",
        conventional_env=None,
        default_base_url=None,
    ),
}

#: Balance currency by Moonshot platform region.
REGION_CURRENCY: dict[str, str] = {"ai": "USD", "cn": "CNY"}

#: Endpoint paths the OpenAI SDK appends to a base URL; a base URL ending in one of them is doubled.
ENDPOINT_PATHS: tuple[str, ...] = (
    "chat/completions",
    "completions",
    "models",
    "users/me/balance",
    "user/balance",
)
