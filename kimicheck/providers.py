"""What kimicheck knows about each provider kind and host, as data.

The linter, the probes and the simulator all read this module; nothing else spells a provider's host,
region, currency, model-id convention or endpoint path. Facts come from the providers' public
documentation; the live `GET /models` of a provider is always the authority over the model list here.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

__all__ = [
    "DEEPSEEK_MODEL_IDS",
    "ID_SPELLINGS",
    "KIND_PROFILES",
    "KNOWN_HOSTS",
    "NONEXISTENT_MODEL_IDS",
    "OFFICIAL_MODEL_IDS",
    "REGION_CURRENCY",
    "BalanceEndpoint",
    "IdCorrection",
    "IdForm",
    "IdSpelling",
    "Kind",
    "KindProfile",
    "KnownHost",
    "correction_for",
    "expected_id_form",
    "find_known_host",
    "id_form",
    "implied_currency",
    "is_loopback_host",
    "model_id_key",
    "nonexistent_match",
    "official_id_of",
    "official_match",
    "resolve_endpoint",
    "spelled_by",
    "spelled_for",
    "to_aimlapi_id",
    "to_id_form",
    "to_openrouter_id",
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
    #: the account currency when the kind fixes it (None: from the host's region or the response).
    currency: str | None = None
    #: the request field that caps a completion.
    max_tokens_field: str = "max_tokens"
    #: the spelling of Kimi model ids on this kind.
    id_form: IdForm = IdForm.OTHER


KIND_PROFILES: dict[Kind, KindProfile] = {
    Kind.MOONSHOT: KindProfile(
        kind=Kind.MOONSHOT,
        label="Moonshot AI (Kimi) official API",
        conventional_env="MOONSHOT_API_KEY",
        default_base_url="https://api.moonshot.ai/v1",
        balance=BalanceEndpoint("users/me/balance"),
        max_tokens_field="max_completion_tokens",
        id_form=IdForm.OFFICIAL,
    ),
    Kind.OPENROUTER: KindProfile(
        kind=Kind.OPENROUTER,
        label="OpenRouter",
        conventional_env="OPENROUTER_API_KEY",
        default_base_url="https://openrouter.ai/api/v1",
        models_public=True,
        key_path="key",
        balance=BalanceEndpoint("key"),
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


@dataclass(frozen=True)
class KnownHost:
    """A public host kimicheck recognises from a base URL."""

    host: str
    kind: Kind
    label: str
    #: the path the OpenAI SDK's base_url must end with on this host ("" when the root works).
    version_path: str
    #: only URLs whose path starts with this belong to this entry (Kimi Code shares a domain).
    path_prefix: str = ""
    region: str | None = None
    currency: str | None = None
    #: Moonshot's own inference API (official model ids).
    official: bool = False
    has_balance: bool = True

    @property
    def base_url(self) -> str:
        """The canonical base URL for the OpenAI SDK."""
        return f"https://{self.host}{self.version_path}"


KNOWN_HOSTS: tuple[KnownHost, ...] = (
    KnownHost("api.moonshot.ai", Kind.MOONSHOT, "Moonshot international", "/v1",
              region="ai", currency="USD", official=True),
    KnownHost("api.moonshot.cn", Kind.MOONSHOT, "Moonshot China", "/v1",
              region="cn", currency="CNY", official=True),
    KnownHost("api.kimi.com", Kind.MOONSHOT, "Kimi Code", "/coding/v1", path_prefix="/coding",
              official=True, has_balance=False),
    KnownHost("openrouter.ai", Kind.OPENROUTER, "OpenRouter", "/api/v1", currency="USD"),
    KnownHost("api.aimlapi.com", Kind.AIMLAPI, "AIMLAPI", "/v1", currency="USD"),
    KnownHost("api.deepseek.com", Kind.DEEPSEEK, "DeepSeek", ""),
    KnownHost("api.siliconflow.cn", Kind.OPENAI_COMPATIBLE, "SiliconFlow", "/v1", has_balance=False),
    KnownHost("api.together.xyz", Kind.OPENAI_COMPATIBLE, "Together AI", "/v1", has_balance=False),
    KnownHost("api.fireworks.ai", Kind.OPENAI_COMPATIBLE, "Fireworks AI", "/inference/v1", has_balance=False),
    KnownHost("api.groq.com", Kind.OPENAI_COMPATIBLE, "Groq", "/openai/v1", has_balance=False),
)

#: A snapshot of Moonshot's official Kimi model ids; the live `GET /models` wins over it.
OFFICIAL_MODEL_IDS: tuple[str, ...] = (
    "kimi-k2.6",
    "kimi-k2.5",
    "kimi-k2-0905-preview",
    "kimi-k2-turbo-preview",
    "kimi-k2-thinking",
    "kimi-k2-thinking-turbo",
    "moonshot-v1-8k",
    "moonshot-v1-32k",
    "moonshot-v1-128k",
    "moonshot-v1-auto",
)

@dataclass(frozen=True)
class IdCorrection:
    """The model id to use instead of an id no provider serves, and why that id does not exist."""

    right: str
    reason: str


#: Official-form ids that users write but that do not exist, with the id to use instead.
NONEXISTENT_MODEL_IDS: dict[str, IdCorrection] = {
    "kimi-k2.6-thinking": IdCorrection("kimi-k2.6", "thinking is a request parameter"),
}


def correction_for(model_id: str) -> tuple[str, IdCorrection] | None:
    """`(right id, correction)` when `model_id`, in any host's spelling, is a known non-existent id.

    The right id comes back in `model_id`'s own spelling (`moonshotai/kimi-k2.6-thinking` ->
    `moonshotai/kimi-k2.6`); None for every other id.
    """
    correction = NONEXISTENT_MODEL_IDS.get(official_id_of(model_id))
    if correction is None:
        return None
    return to_id_form(correction.right, id_form(model_id)), correction


#: DeepSeek's model ids (the simulator's default list for a DeepSeek account).
DEEPSEEK_MODEL_IDS: tuple[str, ...] = ("deepseek-chat", "deepseek-reasoner")

#: Endpoint paths the OpenAI SDK appends to a base URL; a base URL ending in one of them is doubled.
ENDPOINT_PATHS: tuple[str, ...] = (
    "chat/completions",
    "completions",
    "models",
    "users/me/balance",
    "user/balance",
)

_OPENROUTER_PREFIX = "moonshotai/"
_AIMLAPI_PREFIX = "moonshot/"
_DOTTED_VERSION = re.compile(r"\bk(\d+)\.(\d+)\b")
_DASHED_VERSION = re.compile(r"\bk(\d+)-(\d)(?=$|-)")
#: any host's spelling of a Kimi version: k2.6, k2-6 (AIMLAPI), k2p6 (Fireworks); not a date such as k2-0905
_ANY_VERSION = re.compile(r"\bk(\d+)[-p.](\d)(?=$|-)")


@dataclass(frozen=True)
class IdSpelling:
    """How one host writes Moonshot's official model ids: names the host a copied id comes from."""

    label: str
    prefix: str
    #: what stands between the major and minor version: `.` (k2.6), `-` (k2-6), `p` (k2p6)
    version_separator: str = "."
    #: `Kimi-K2.6` rather than `kimi-k2.6`
    capitalised: bool = False

    def spell(self, official_id: str) -> str:
        """`official_id` as this host writes it (`kimi-k2.6` -> `Pro/moonshotai/Kimi-K2.6`)."""
        name = _ANY_VERSION.sub(lambda m: f"k{m[1]}{self.version_separator}{m[2]}", official_id)
        return self.prefix + (name.title() if self.capitalised else name)


#: Kimi id spellings of the hosts in KNOWN_HOSTS (the first that spells an id names it).
ID_SPELLINGS: tuple[IdSpelling, ...] = (
    IdSpelling("OpenRouter", "moonshotai/"),
    IdSpelling("AIMLAPI", "moonshot/", version_separator="-"),
    IdSpelling("SiliconFlow", "Pro/moonshotai/", capitalised=True),
    IdSpelling("Together AI", "moonshotai/", capitalised=True),
    IdSpelling("Fireworks AI", "accounts/fireworks/models/", version_separator="p"),
)


def model_id_key(model_id: str) -> str:
    """What every host's spelling of one model shares (`Pro/moonshotai/Kimi-K2.6`, `kimi-k2p6:free` -> `kimi-k2.6`).

    Case is folded, vendor prefixes and a `:variant` suffix dropped, the version written with a dot.
    """
    name = model_id.casefold().rsplit("/", 1)[-1].split(":", 1)[0]
    return _ANY_VERSION.sub(r"k\1.\2", name)


_OFFICIAL_BY_KEY: dict[str, str] = {model_id_key(m): m for m in OFFICIAL_MODEL_IDS}


def official_match(model_id: str) -> str | None:
    """The id of OFFICIAL_MODEL_IDS that `model_id` names in any host's spelling, or None."""
    return _OFFICIAL_BY_KEY.get(model_id_key(model_id))


_NONEXISTENT_BY_KEY: dict[str, str] = {model_id_key(m): m for m in NONEXISTENT_MODEL_IDS}


def nonexistent_match(model_id: str) -> str | None:
    """The id of NONEXISTENT_MODEL_IDS that `model_id` names in any host's spelling, or None.

    Unlike `correction_for`, any spelling counts (`Pro/moonshotai/Kimi-K2.6-Thinking`, `kimi-k2-6-thinking`).
    """
    return _NONEXISTENT_BY_KEY.get(model_id_key(model_id))


def spelled_by(model_id: str) -> str | None:
    """The label of the host whose spelling `model_id` is (`moonshotai/Kimi-K2.5` -> `Together AI`), or None."""
    official = official_match(model_id)
    if official is None:
        return None
    written = model_id.split(":", 1)[0]
    return next((s.label for s in ID_SPELLINGS if s.spell(official) == written), None)


def spelled_for(model_id: str, form: IdForm) -> str | None:
    """How a host of `form` writes the official model `model_id` names in any spelling (None: no known model).

    OpenRouter keeps a `:variant` suffix (`moonshotai/kimi-k2-6:free` -> `moonshotai/kimi-k2.6:free`).
    """
    official = official_match(model_id)
    if official is None:
        return None
    _, colon, variant = model_id.partition(":")
    spelled = to_id_form(official, form)
    return spelled + colon + variant if form is IdForm.OPENROUTER else spelled


@functools.lru_cache(maxsize=1024)
def find_known_host(base_url: str) -> KnownHost | None:
    """The known host a base URL points at, or None (unknown hosts and unparsable URLs)."""
    try:
        parts = urlsplit(base_url.strip())
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    candidates = [h for h in KNOWN_HOSTS if h.host == host]
    for known in sorted(candidates, key=lambda h: len(h.path_prefix), reverse=True):
        if parts.path.startswith(known.path_prefix):
            return known
    return None


def is_loopback_host(host: str) -> bool:
    """True for the exact name `localhost` and literal loopback IPs (127.0.0.0/8, ::1, `[::1]`).

    These are the only hosts kimicheck talks plain HTTP to. Other names under `.localhost` are not
    trusted: the resolver may hand them to DNS (a search domain or a wildcard record), which can answer
    with a remote address, and the key would then cross the network in clear text.
    """
    host = host.lower()
    if host == "localhost":
        return True
    bracketed = host.startswith("[") and host.endswith("]")
    try:
        address = ipaddress.ip_address(host[1:-1] if bracketed else host)
    except ValueError:
        return False
    if bracketed and not isinstance(address, ipaddress.IPv6Address):
        return False  # only IPv6 literals are written in brackets
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def id_form(model_id: str) -> IdForm:
    """Which provider's convention a Kimi model id is spelled in."""
    if model_id.startswith(_OPENROUTER_PREFIX):
        return IdForm.OPENROUTER
    if model_id.startswith(_AIMLAPI_PREFIX):
        return IdForm.AIMLAPI
    if "/" not in model_id and (model_id.startswith(("kimi-", "moonshot-"))):
        return IdForm.OFFICIAL
    return IdForm.OTHER


def official_id_of(model_id: str) -> str:
    """The official Moonshot spelling of a gateway id (`moonshot/kimi-k2-6` -> `kimi-k2.6`)."""
    official = official_match(model_id)
    if official is not None:
        return official
    if model_id.startswith(_OPENROUTER_PREFIX):
        return model_id[len(_OPENROUTER_PREFIX):].split(":", 1)[0]
    if model_id.startswith(_AIMLAPI_PREFIX):
        return _DASHED_VERSION.sub(r"k\1.\2", model_id[len(_AIMLAPI_PREFIX):])
    return model_id


def to_openrouter_id(model_id: str) -> str:
    """The OpenRouter spelling of any Kimi id (`kimi-k2.6` -> `moonshotai/kimi-k2.6`)."""
    return _OPENROUTER_PREFIX + official_id_of(model_id)


def to_aimlapi_id(model_id: str) -> str:
    """The AIMLAPI spelling of any Kimi id (`kimi-k2.6` -> `moonshot/kimi-k2-6`)."""
    return _AIMLAPI_PREFIX + _DOTTED_VERSION.sub(r"k\1-\2", official_id_of(model_id))


def resolve_endpoint(base_url: str, path: str, *, relative_to_origin: bool = False) -> str:
    """The URL the OpenAI SDK (and kimicheck) calls for `path` under `base_url`.

    Like the SDK, a trailing slash is added to the base URL and the path appended to it, so a base URL
    that already ends in an endpoint path gives a doubled path (which the linter reports).
    """
    if relative_to_origin:
        parts = urlsplit(base_url)
        return f"{parts.scheme}://{parts.netloc}/{path.lstrip('/')}"
    base = base_url if base_url.endswith("/") else base_url + "/"
    return base + path.lstrip("/")


def to_id_form(model_id: str, form: IdForm) -> str:
    """`model_id` spelled in `form` (OTHER leaves it as it is)."""
    if form is IdForm.OFFICIAL:
        return official_id_of(model_id)
    if form is IdForm.OPENROUTER:
        return to_openrouter_id(model_id)
    if form is IdForm.AIMLAPI:
        return to_aimlapi_id(model_id)
    return model_id


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
