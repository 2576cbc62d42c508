"""Which account a request is charged to, and one lock per account.

A provider's limits (a Tier0 Moonshot account allows one concurrent request) belong to the account behind
a key at a host, not to a config entry: two entries with one key on one host are one account. The account
is named by the origin of the base URL and a SHA-256 of the key, so the key itself is never held here.
"""

from __future__ import annotations

import asyncio
import hashlib
import weakref
from urllib.parse import urlsplit

from kimicheck.secrets import Secret

__all__ = ["Account", "AccountLocks", "account_of"]

#: (origin of the base URL, hex SHA-256 of the key or "" without one)
Account = tuple[str, str]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(base_url: str) -> str:
    try:
        parts = urlsplit(base_url.strip())
        port = parts.port
    except ValueError:  # a port that is not a number: the linter refuses it, so just keep the text
        return base_url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    return f"{scheme}://{host}:{port or _DEFAULT_PORTS.get(scheme, 0)}"


def account_of(base_url: str, key: Secret | None) -> Account:
    """The account a request to `base_url` with `key` is charged to."""
    digest = hashlib.sha256(key.reveal().encode("utf-8")).hexdigest() if key is not None else ""
    return _origin(base_url), digest


class AccountLocks:
    """One `asyncio.Lock` per account, kept only while someone holds or awaits it (a rotated key leaks none)."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[Account, asyncio.Lock] = weakref.WeakValueDictionary()

    def __call__(self, account: Account) -> asyncio.Lock:
        """The lock of `account`."""
        lock = self._locks.get(account)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[account] = lock
        return lock

    def __len__(self) -> int:
        return len(self._locks)
