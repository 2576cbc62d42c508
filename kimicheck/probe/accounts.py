"""Which account a request is charged to: the origin of the base URL and a SHA-256 of the key.

A provider's limits (a Tier0 Moonshot account allows one concurrent request) belong to the account
behind a key at a host, not to a config entry: several entries with one key on one host are one
account. Only a digest of the key is kept, never the key itself.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from kimicheck.secrets import Secret

__all__ = ["AccountId", "account_of", "origin_of"]

#: (origin of the base URL, hex SHA-256 of the key)
AccountId = tuple[str, str]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(base_url: str) -> str:
    """`scheme://host:port` of a URL, lower-cased and with the scheme's default port spelled out."""
    try:
        parts = urlsplit(base_url.strip())
        port = parts.port
    except ValueError:  # a port that is not a number: such a URL is refused before sending anyway
        return base_url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port or _DEFAULT_PORTS.get(scheme, 0)}"


def account_of(base_url: str, key: Secret | None) -> AccountId:
    """The account a request to `base_url` with `key` is charged to (without a key: the origin's own)."""
    if key is None:
        return origin_of(base_url), ""
    return origin_of(base_url), hashlib.sha256(key.reveal().encode("utf-8")).hexdigest()
