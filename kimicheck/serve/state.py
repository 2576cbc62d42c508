"""What `kimicheck serve` shares between its scheduler and its HTTP side, on one event loop."""

from __future__ import annotations

from dataclasses import dataclass, field

from kimicheck.metrics.snapshot import CheckKey, Snapshot
from kimicheck.serve.budget import ChatSpend
from kimicheck.serve.exchanges import LastExchanges
from kimicheck.serve.history import History
from kimicheck.serve.loading import UsableConfig

__all__ = ["ServeState"]


@dataclass
class ServeState:
    """The config in use and the latest snapshot; the scheduler replaces `snapshot`, scrapes only read it.

    Both sides run on the same event loop and a snapshot is immutable, so a scrape always sees one
    consistent moment without a lock.
    """

    loaded: UsableConfig
    snapshot: Snapshot
    #: every scheduled check has finished its first run
    ready: bool = False
    #: the recent outcomes of each check, for the status page (in memory only)
    history: History = field(default_factory=History)
    #: when each check runs next (Unix seconds), as the scheduler planned it
    next_run_at: dict[CheckKey, float] = field(default_factory=dict)
    #: each provider's chat spend today, as the budget guard counts it
    spend: dict[str, ChatSpend] = field(default_factory=dict)
    #: the last request and answer of each check, for the debug view (in memory only)
    exchanges: LastExchanges = field(default_factory=LastExchanges)
