"""How many checks may run at once: overall, and on one account.

A provider's limits belong to the account behind a key at a host (a Tier0 Moonshot account allows one
concurrent request), so `probe` and `serve` both take a slot here before a check sends anything: at most
`per_account` checks on one account and `concurrency` over all accounts. An account's semaphore lives
only while someone holds or awaits it, so a long-running `serve` whose keys rotate keeps none of the old
ones.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from kimicheck.probe.accounts import AccountId

__all__ = ["DEFAULT_CONCURRENCY", "DEFAULT_PER_ACCOUNT", "AccountLimiter"]

#: checks in flight at once, over all providers
DEFAULT_CONCURRENCY = 16
#: checks in flight at once on one account (a Tier0 Moonshot account allows one concurrent request)
DEFAULT_PER_ACCOUNT = 1


class AccountLimiter:
    """At most `concurrency` holders at once, and at most `per_account` on one account."""

    def __init__(self, *, concurrency: int = DEFAULT_CONCURRENCY, per_account: int = DEFAULT_PER_ACCOUNT) -> None:
        if concurrency < 1 or per_account < 1:
            raise ValueError("concurrency limits must be at least 1")
        self._per_account = per_account
        self._overall = asyncio.Semaphore(concurrency)
        self._accounts: weakref.WeakValueDictionary[AccountId, asyncio.Semaphore] = weakref.WeakValueDictionary()

    @asynccontextmanager
    async def slot(self, account: AccountId) -> AsyncIterator[None]:
        """Hold one of `account`'s slots and one overall slot, waiting for both (the account's first)."""
        limit = self._accounts.get(account)
        if limit is None:
            limit = asyncio.Semaphore(self._per_account)
            self._accounts[account] = limit
        async with limit, self._overall:
            yield
