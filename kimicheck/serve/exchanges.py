"""The last exchange of each (provider, check), kept in memory for the debug view.

One `Exchange` per check, the newest replacing the one before: a chat check that asks several models keeps
the last request of whichever model it asked last (the exchange names the model). A reload forgets the
checks that are gone, so the record never holds more than one exchange per scheduled check.
"""

from __future__ import annotations

from collections.abc import Iterable

from kimicheck.metrics.snapshot import CheckKey
from kimicheck.probe.exchange import Exchange, ExchangeSink

__all__ = ["LastExchanges"]


class LastExchanges:
    """The newest exchange of every check; the scheduler's probes write, the debug view reads."""

    def __init__(self) -> None:
        self._last: dict[CheckKey, Exchange] = {}

    def sink(self, key: CheckKey) -> ExchangeSink:
        """What the probes of `key` hand each finished exchange to."""

        def keep(exchange: Exchange) -> None:
            self._last[key] = exchange

        return keep

    def last(self, key: CheckKey) -> Exchange | None:
        """The newest exchange of `key`, None before its first request."""
        return self._last.get(key)

    def keep_only(self, keys: Iterable[CheckKey]) -> None:
        """Forget every check not in `keys` (after a reload)."""
        wanted = set(keys)
        for key in [key for key in self._last if key not in wanted]:
            del self._last[key]
