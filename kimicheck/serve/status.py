"""The status of every provider and check as one JSON-ready document: `/api/v1/status`, the page and the
HTML report all read it.

Pure: the snapshot, the history, the schedule and the clock come in as arguments. Every string that came
from a provider is redacted here, once; escaping is the template's job. Keys added, never renamed; the
schema is `configs/status.schema.json`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from kimicheck import __version__
from kimicheck.amounts import format_amount
from kimicheck.config.models import Provider
from kimicheck.metrics.snapshot import CheckKey, Snapshot
from kimicheck.probe.report import fix_hint
from kimicheck.probe.result import BalanceData, Check, ProbeResult, StreamData
from kimicheck.probe.toolcalls import ToolCallResult
from kimicheck.secrets import redact
from kimicheck.serve.budget import ChatSpend, utc_day
from kimicheck.serve.history import CellState, History, Mark, mark_of

__all__ = ["SCHEMA_VERSION", "StatusInputs", "status_document"]

SCHEMA_VERSION = 1
_WORST_FIRST = (CellState.FAIL, CellState.WARN, CellState.SKIPPED, CellState.OK, CellState.NOT_RUN)
HISTORY_NOTE = "history is kept in memory only: it is lost when kimicheck restarts"


@dataclass(frozen=True)
class StatusInputs:
    """What the document is built from; `history` None: one probe run (each check's only result is its history)."""

    snapshot: Snapshot
    now: float
    history: History | None = None
    #: the checks each provider runs; a check missing here is shown as not scheduled
    scheduled: Mapping[str, tuple[Check, ...]] = field(default_factory=dict)
    next_run_at: Mapping[CheckKey, float] = field(default_factory=dict)
    spend: Mapping[str, ChatSpend] = field(default_factory=dict)


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else format_amount(value)


def _marks(inputs: StatusInputs, key: CheckKey) -> tuple[Mark, ...]:
    if inputs.history is not None:
        return inputs.history.marks(key)
    results = inputs.snapshot.runs.get(key, ())
    at = inputs.snapshot.last_run_at.get(key, inputs.now)
    return (mark_of(at, results),) if results else ()


def _telling(results: tuple[ProbeResult, ...]) -> ProbeResult | None:
    """The result a cell shows: the first failure, else the first notable one, else the first."""
    return next((r for r in results if not r.ok), next((r for r in results if r.reason != "ok"),
                                                       results[0] if results else None))


def _stream(results: tuple[ProbeResult, ...]) -> list[dict[str, object]]:
    """The last run's timings, one entry per model it streamed from."""
    return [
        {
            "model": redact(r.model) if r.model else None,
            "time_to_first_token_seconds": r.data.time_to_first_token,
            "output_tokens_per_second": r.data.output_tokens_per_second,
        }
        for r in results if isinstance(r.data, StreamData)
    ]


def _tool_calls(marks: tuple[Mark, ...]) -> dict[str, object]:
    """Tool-call accuracy over the history ring: valid judged calls of all judged calls (a run with no answer
    to judge, or a skipped one, counts for neither)."""
    judged = [result for mark in marks for result in mark.tool_calls]
    valid = sum(1 for result in judged if result == ToolCallResult.VALID)
    return {"valid": valid, "total": len(judged), "accuracy": valid / len(judged) if judged else None}


def _cell(inputs: StatusInputs, provider: Provider, check: Check) -> dict[str, object]:
    key = (provider.name, check)
    marks = _marks(inputs, key)
    scheduled = check in inputs.scheduled.get(provider.name, (check,))
    results = inputs.snapshot.runs.get(key, ())
    shown = _telling(results)
    latest = marks[-1] if marks else None
    finished = inputs.snapshot.last_run_at.get(key)
    return {
        "check": str(check),
        "scheduled": scheduled,
        "state": str(latest.state if latest else CellState.NOT_RUN),
        "reason": latest.reason if latest else ("not scheduled" if not scheduled else "not yet run"),
        "detail": redact(shown.detail) if shown else "",
        "hint": redact(fix_hint(shown, provider)) if shown else "",
        "model": redact(shown.model) if shown and shown.model else None,
        "finished_at": finished,
        "age_seconds": None if finished is None else max(0.0, inputs.now - finished),
        "next_run_at": inputs.next_run_at.get(key),
        "history": [{"at": m.at, "state": str(m.state), "reason": m.reason} for m in marks],
        "stream": _stream(results) if check is Check.STREAM else None,
        "tool_calls": _tool_calls(marks) if check is Check.TOOLS else None,
    }


def _balance(inputs: StatusInputs, provider: Provider) -> dict[str, object] | None:
    data = next((r.data for r in inputs.snapshot.runs.get((provider.name, Check.BALANCE), ())
                 if isinstance(r.data, BalanceData)), None)
    if data is None:
        return None
    thresholds = provider.balance
    return {
        "currency": data.currency,
        "level": str(data.level),
        "available": _amount(data.available),
        "warn_below": _amount(thresholds.warn_below) if thresholds else None,
        "critical_below": _amount(thresholds.critical_below) if thresholds else None,
    }


def _spend(inputs: StatusInputs, provider: Provider) -> dict[str, object] | None:
    if Check.CHAT not in inputs.scheduled.get(provider.name, ()):
        return None
    spend = inputs.spend.get(provider.name)
    today = spend.tokens if spend is not None and spend.day == utc_day(inputs.now) else 0
    budget = inputs.snapshot.config.effective_chat(provider).daily_token_budget
    return {"tokens_today": today, "daily_budget": budget}


def _provider(inputs: StatusInputs, provider: Provider) -> dict[str, object]:
    cells = [_cell(inputs, provider, check) for check in Check]
    states = {cell["state"] for cell in cells}
    overall = next(state for state in _WORST_FIRST if state in states or state is CellState.NOT_RUN)
    return {
        "name": provider.name,
        "kind": str(provider.kind),
        "state": str(overall),
        "checks": cells,
        "balance": _balance(inputs, provider),
        "chat_spend": _spend(inputs, provider),
    }


def status_document(inputs: StatusInputs) -> dict[str, object]:
    """The whole status as JSON-ready data (`/api/v1/status`)."""
    snapshot = inputs.snapshot
    reload = snapshot.reload
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": inputs.now,
        "build": {
            "version": __version__,
            "config_sha256": snapshot.config_sha256,
            "last_reload_successful": reload.successful if reload else None,
            "last_reload_success_at": reload.last_success_at if reload else None,
        },
        "history": {
            "length": inputs.history.length if inputs.history is not None else 1,
            "in_memory_only": True,
            "note": HISTORY_NOTE,
        },
        "providers": [_provider(inputs, provider) for provider in snapshot.config.providers],
    }
