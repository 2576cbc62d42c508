"""The config `kimicheck serve` runs with, and reloading it (as blackbox_exporter's `SafeConfig` does).

A reload reads and lints the file again. A config that fails keeps the old one running; either way the
attempt is recorded for `kimicheck_config_last_reload_successful` and its timestamp. Reloads take turns,
so a SIGHUP and a `POST /-/reload` arriving together apply one config after the other, never interleaved.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from kimicheck.metrics.snapshot import Snapshot, record_reload
from kimicheck.serve.loading import LoadFailure, UsableConfig, load_config
from kimicheck.serve.state import ServeState

__all__ = ["ConfigReloader", "initial_state"]

log = logging.getLogger("kimicheck.serve")


def initial_state(loaded: UsableConfig, now: float) -> ServeState:
    """The state serve starts in: `loaded` in use, and its load at `now` counted as a successful reload."""
    return ServeState(loaded=loaded, snapshot=record_reload(Snapshot(loaded.config, loaded.sha256),
                                                            successful=True, now=now))


class ConfigReloader:
    """Reloads the config at `path` into `state`, handing each good one to `apply` (the scheduler)."""

    def __init__(
        self,
        path: Path,
        state: ServeState,
        apply: Callable[[UsableConfig], Awaitable[None]],
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._path = path
        self._state = state
        self._apply = apply
        self._clock = clock
        self._lock = asyncio.Lock()

    @property
    def current(self) -> UsableConfig:
        """The config in use: the last one that loaded."""
        return self._state.loaded

    async def reload(self) -> str | None:
        """Load the config again and switch to it; None when that worked, else why the old one stays."""
        async with self._lock:
            # off the event loop: reading and linting a large or slow file must not stall scrapes
            outcome = await asyncio.to_thread(load_config, self._path)
            if isinstance(outcome, LoadFailure):
                self._record(successful=False)
                log.error("config reload failed, the old config stays in use: %s", outcome.message)
                return outcome.message
            await self._apply(outcome)
            self._record(successful=True)
            log.info("config reloaded: %d providers, sha256 %s", len(outcome.config.providers), outcome.sha256)
            return None

    def _record(self, *, successful: bool) -> None:
        self._state.snapshot = record_reload(self._state.snapshot, successful=successful, now=self._clock())
