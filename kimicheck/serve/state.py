"""What `kimicheck serve` shares between its scheduler and its HTTP side, on one event loop."""

from __future__ import annotations

from dataclasses import dataclass

from kimicheck.metrics.snapshot import Snapshot
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
