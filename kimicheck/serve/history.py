"""The recent results of each check, kept in memory for the status page: a bounded ring per check.

Nothing here is persisted: a restart starts every ring empty (the page says so).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from kimicheck.metrics.snapshot import CheckKey, run_reason, run_succeeded
from kimicheck.probe.result import ProbeResult, ToolCallData

__all__ = ["HISTORY_LENGTH", "CellState", "History", "Mark", "mark_of", "state_of", "tool_call_results"]

#: results kept per check
HISTORY_LENGTH = 100


class CellState(StrEnum):
    """What one check's latest outcome means to a reader of the page (a value of `/api/v1/status`)."""

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    SKIPPED = "skipped"
    NOT_RUN = "not_run"


def state_of(results: Sequence[ProbeResult]) -> CellState:
    """ok, warn (succeeded but notable, `balance_low`) or fail for one run's results."""
    if not run_succeeded(results):
        return CellState.FAIL
    return CellState.OK if run_reason(results) == "ok" else CellState.WARN


@dataclass(frozen=True)
class Mark:
    """One past outcome of a check."""

    at: float
    state: CellState
    reason: str
    #: how each tool call of a `tools` run was judged (`ToolCallResult` values, one per model); empty otherwise
    tool_calls: tuple[str, ...] = ()


def tool_call_results(results: Sequence[ProbeResult]) -> tuple[str, ...]:
    """The judged tool calls among one run's results; a run that got no answer to judge has none."""
    return tuple(str(r.data.result) for r in results if isinstance(r.data, ToolCallData))


def mark_of(at: float, results: Sequence[ProbeResult]) -> Mark:
    """The mark of one finished run of a check."""
    return Mark(at, state_of(results), str(run_reason(results)), tool_call_results(results))


class History:
    """The last `length` marks of every check; the scheduler appends, the page reads."""

    def __init__(self, length: int = HISTORY_LENGTH) -> None:
        self.length = length
        self._rings: dict[CheckKey, deque[Mark]] = {}

    def record(self, key: CheckKey, mark: Mark) -> None:
        """Remember `mark` as the newest outcome of `key`, forgetting the oldest past `length`."""
        self._rings.setdefault(key, deque(maxlen=self.length)).append(mark)

    def marks(self, key: CheckKey) -> tuple[Mark, ...]:
        """The outcomes of `key`, oldest first."""
        return tuple(self._rings.get(key, ()))

    def latest(self, key: CheckKey) -> Mark | None:
        """The newest outcome of `key`, if any."""
        ring = self._rings.get(key)
        return ring[-1] if ring else None
