"""Which path serves which endpoint for which provider kinds, derived from `kimicheck.providers`.

Paths overlap between providers (`/v1/models` is Moonshot's and AIMLAPI's); the account of the key decides
the dialect, and the first kind listed answers for keys that belong to no provider served there.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from kimicheck.providers import KIND_PROFILES, Kind
from kimicheck.sim.accounts import SIM_KINDS
from kimicheck.sim.faults import Endpoint

__all__ = ["ROUTES", "Route", "base_path"]

#: Moonshot's free list endpoints (no provider module needs them yet).
_MOONSHOT_LISTS = ((Endpoint.FILES, "files"), (Endpoint.BATCHES, "batches"))


@dataclass(frozen=True)
class Route:
    """One method and path of the simulator."""

    method: str
    path: str
    endpoint: Endpoint
    kinds: tuple[Kind, ...]
    #: answers without a key (OpenRouter's `/models`).
    public: bool = False
    #: answers only an account's management key (OpenRouter's `/credits`).
    management: bool = False


def base_path(kind: Kind) -> str:
    """The path of a kind's default base URL, without a trailing slash (`/v1`, `/api/v1`, ``)."""
    base_url = KIND_PROFILES[kind].default_base_url
    assert base_url is not None
    return urlsplit(base_url).path.rstrip("/")


def _build() -> tuple[Route, ...]:
    table: dict[tuple[str, str], Route] = {}

    def add(method: str, path: str, endpoint: Endpoint, kind: Kind, public: bool = False,
            management: bool = False) -> None:
        known = table.get((method, path))
        kinds = (*known.kinds, kind) if known else (kind,)
        table[(method, path)] = Route(method, path, endpoint, kinds, public, management)

    for kind in SIM_KINDS:
        profile, prefix = KIND_PROFILES[kind], base_path(kind)
        add("GET", f"{prefix}/{profile.models_path}", Endpoint.MODELS, kind, profile.models_public)
        add("POST", f"{prefix}/{profile.chat_path}", Endpoint.CHAT, kind)
        if profile.balance is not None:
            relative = profile.balance.path.lstrip("/")
            path = f"/{relative}" if profile.balance.relative_to_origin else f"{prefix}/{relative}"
            add("GET", path, Endpoint.BALANCE, kind)
        if profile.account_credits is not None:
            credits = profile.account_credits.path.lstrip("/")
            add("GET", f"{prefix}/{credits}", Endpoint.BALANCE, kind, management=True)
    for endpoint, name in _MOONSHOT_LISTS:
        add("GET", f"{base_path(Kind.MOONSHOT)}/{name}", endpoint, Kind.MOONSHOT)
    add("GET", f"{base_path(Kind.MOONSHOT)}/batches/{{batch_id}}", Endpoint.BATCHES, Kind.MOONSHOT)
    return tuple(table.values())


ROUTES: tuple[Route, ...] = _build()
