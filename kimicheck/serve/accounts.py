"""One lock per account, so `serve` sends an account one request at a time whichever entries share it.

An account is a key at an origin (`kimicheck.probe.accounts`): config entries with one key on one host
share its limits (a Tier0 Moonshot account allows one concurrent request). Only a digest of the key is
held here, never the key.
"""

from __future__ import annotations

import asyncio
import weakref

from kimicheck.probe.accounts import AccountId, account_of, origin_of
from kimicheck.secrets import Secret

__all__ = ["AccountLocks", "lock_account"]


def lock_account(base_url: str, key: Secret | None) -> AccountId:
    """The account whose lock a check of `base_url` with `key` takes (without a key: the origin's own)."""
    return account_of(base_url, key) if key is not None else (origin_of(base_url), "")


class AccountLocks:
    """One `asyncio.Lock` per account, kept only while someone holds or awaits it (a rotated key leaks none)."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[AccountId, asyncio.Lock] = weakref.WeakValueDictionary()

    def __call__(self, account: AccountId) -> asyncio.Lock:
        """The lock of `account`."""
        lock = self._locks.get(account)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[account] = lock
        return lock
