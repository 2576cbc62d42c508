"""The public hosts kimicheck recognises from a base URL, and what each implies."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import urlsplit

from kimicheck.providers.kinds import KIND_PROFILES, REGION_CURRENCY, Kind

__all__ = ["KNOWN_HOSTS", "KnownHost", "find_known_host"]


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
    #: the Moonshot platform region (a key of REGION_CURRENCY).
    region: str | None = None
    #: Moonshot's own inference API (official model ids).
    official: bool = False
    has_balance: bool = True

    @property
    def base_url(self) -> str:
        """The canonical base URL for the OpenAI SDK."""
        return f"https://{self.host}{self.version_path}"

    @property
    def currency(self) -> str | None:
        """What this host's accounts are billed in: its region's currency, else its kind's (None: unknown)."""
        if self.region is not None:
            return REGION_CURRENCY[self.region]
        return KIND_PROFILES[self.kind].currency


KNOWN_HOSTS: tuple[KnownHost, ...] = (
    KnownHost("api.moonshot.ai", Kind.MOONSHOT, "Moonshot international", "/v1", region="ai", official=True),
    KnownHost("api.moonshot.cn", Kind.MOONSHOT, "Moonshot China", "/v1", region="cn", official=True),
    KnownHost("api.kimi.com", Kind.MOONSHOT, "Kimi Code", "/coding/v1", path_prefix="/coding",
              official=True, has_balance=False),
    KnownHost("openrouter.ai", Kind.OPENROUTER, "OpenRouter", "/api/v1"),
    KnownHost("api.aimlapi.com", Kind.AIMLAPI, "AIMLAPI", "/v1"),
    KnownHost("api.deepseek.com", Kind.DEEPSEEK, "DeepSeek", ""),
    KnownHost("api.siliconflow.cn", Kind.OPENAI_COMPATIBLE, "SiliconFlow", "/v1", has_balance=False),
    KnownHost("api.together.xyz", Kind.OPENAI_COMPATIBLE, "Together AI", "/v1", has_balance=False),
    KnownHost("api.fireworks.ai", Kind.OPENAI_COMPATIBLE, "Fireworks AI", "/inference/v1", has_balance=False),
    KnownHost("api.groq.com", Kind.OPENAI_COMPATIBLE, "Groq", "/openai/v1", has_balance=False),
)


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
