"""The live state of a simulator: its accounts, global faults and every request it received.

The server and the tests share one `SimState`: the server reads accounts and records requests on its event
loop thread, tests change accounts and read records from theirs (plain attribute updates, which the GIL keeps
whole).
"""

from __future__ import annotations

import random
import secrets
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from kimicheck.providers import Kind
from kimicheck.sim.accounts import Account
from kimicheck.sim.faults import Fault

__all__ = ["DEFAULT_RECORD_LIMIT", "RecordedRequest", "SimState"]

#: Records kept before the oldest are dropped (counts then cover the newest only).
DEFAULT_RECORD_LIMIT = 100_000

#: The prefix every auto-created account's key has, as Moonshot's keys do.
AUTO_KEY_PREFIX = "sk-"


@dataclass
class RecordedRequest:
    """One request the simulator received (control API requests are not recorded)."""

    method: str
    path: str
    query: str
    #: header names in lower case; values as sent (they may hold keys: never print them).
    headers: dict[str, str]
    #: the key from `Authorization: Bearer`, or None.
    key: str | None
    #: the name of the account the key belongs to, when it belongs to one.
    account: str | None = None
    #: the response status (0 when the connection was reset or no response was sent).
    status: int = 0
    #: money charged for this request.
    charged: Decimal = Decimal("0")


@dataclass
class SimState:
    """Accounts by key, global faults, the seeded random generator and the recorded requests."""

    accounts: dict[str, Account] = field(default_factory=dict)
    #: faults applied to every request, before the account's own.
    faults: list[Fault] = field(default_factory=list)
    #: any unknown key starting with `sk-` becomes a healthy account of the kind the path belongs to.
    auto_accounts: bool = False
    seed: int = 0
    #: the `X-Kimicheck-Sim-Token` value the control API demands.
    control_token: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    record_limit: int = DEFAULT_RECORD_LIMIT
    requests: deque[RecordedRequest] = field(init=False)
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.requests = deque(maxlen=self.record_limit)
        self.rng = random.Random(self.seed)  # noqa: S311 (reproducible flakiness, not security)

    def __repr__(self) -> str:
        return f"SimState(accounts={len(self.accounts)}, faults={len(self.faults)}, requests={len(self.requests)})"

    @classmethod
    def default(cls) -> SimState:
        """No scenario: any `sk-` key is a healthy international account."""
        return cls(auto_accounts=True)

    def add(self, account: Account) -> Account:
        """Add (or replace) the account of `account.key` and return it."""
        self.accounts[account.key] = account
        return account

    def account(self, key: str, kind: Kind = Kind.MOONSHOT) -> Account:
        """The account of `key`; with auto accounts on, an `sk-` key not seen yet gets one of `kind`."""
        found = self.lookup(key, kind)
        if found is None:
            raise KeyError("no account has this key")
        return found

    def lookup(self, key: str, auto_kind: Kind) -> Account | None:
        """The account of `key`, auto-creating one of `auto_kind` when allowed; None for an unknown key."""
        found = self.accounts.get(key)
        if found is None and self.auto_accounts and key.startswith(AUTO_KEY_PREFIX):
            found = self.add(Account(key=key, kind=auto_kind))
        return found

    def by_management_key(self, key: str) -> Account | None:
        """The account whose management key `key` is, or None."""
        return next((a for a in list(self.accounts.values()) if a.management_key == key), None)

    def by_name(self, name: str) -> Account | None:
        """The account called `name`, or None."""
        return next((a for a in list(self.accounts.values()) if a.name == name), None)

    def select(
        self,
        *,
        path: str | None = None,
        key: str | None = None,
        account: str | None = None,
        method: str | None = None,
        status: int | None = None,
    ) -> Iterator[RecordedRequest]:
        """The recorded requests matching every given criterion, oldest first."""
        for rec in list(self.requests):
            if path is not None and rec.path != path:
                continue
            if key is not None and rec.key != key:
                continue
            if account is not None and rec.account != account:
                continue
            if method is not None and rec.method != method.upper():
                continue
            if status is not None and rec.status != status:
                continue
            yield rec

    def count(
        self,
        *,
        path: str | None = None,
        key: str | None = None,
        account: str | None = None,
        method: str | None = None,
        status: int | None = None,
    ) -> int:
        """How many recorded requests match every given criterion."""
        return sum(1 for _ in self.select(path=path, key=key, account=account, method=method, status=status))

    def clear_requests(self) -> None:
        """Forget every recorded request."""
        self.requests.clear()

    def reset(self) -> None:
        """Back to the default state: no accounts or faults, any `sk-` key a healthy account, no requests.

        Lets one simulator serve many tests (a server per test costs a start-up each)."""
        self.accounts.clear()
        self.faults.clear()
        self.auto_accounts = True
        self.clear_requests()
