"""What `kimicheck verify` found per sample (one output line each) and K2VV's metrics over them.

K2VV's metrics: `count_finish_reason_tool_calls` (answers ending in `tool_calls`), `count_successful_tool_call`
(of those, the ones whose every call names an offered function with arguments that fit its schema),
`schema_accuracy` (the second over the first), and against reference answers the precision, recall and F1 of
"finish_reason is tool_calls". A sample whose request failed counts in none of them: it is an error, and
`--resume` sends it again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from kimicheck.probe.toolcalls import ToolCallResult

__all__ = ["TOOL_CALLS", "Record", "Summary", "parse_record", "summarize"]

TOOL_CALLS = "tool_calls"


@dataclass(frozen=True)
class Record:
    """One sample's answer (`error` None) or why it got none (`error` a probe reason)."""

    index: int
    finish_reason: str | None = None
    #: the judge's result (`ToolCallResult` value) when finish_reason is tool_calls, else None
    tool_call: str | None = None
    detail: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    error: str | None = None

    def line(self) -> str:
        """The record as one JSONL line."""
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":")) + "\n"


def parse_record(value: object) -> Record | None:
    """A record read back from an output file, or None when the value is not one."""
    if not isinstance(value, Mapping):
        return None
    index, finish, tool_call, error = (value.get(k) for k in ("index", "finish_reason", "tool_call", "error"))
    tokens = [value.get("prompt_tokens", 0), value.get("completion_tokens", 0)]
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        return None
    if any(v is not None and not isinstance(v, str) for v in (finish, tool_call, error)):
        return None
    if tool_call is not None and tool_call not in {r.value for r in ToolCallResult}:
        return None
    if any(not isinstance(t, int) or isinstance(t, bool) or t < 0 for t in tokens):
        return None
    detail = value.get("detail", "")
    return Record(index, finish, tool_call, detail if isinstance(detail, str) else "", tokens[0], tokens[1], error)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Summary:
    """K2VV's metrics over one run, and what the run did not finish."""

    samples: int
    answered: int
    errors: int
    count_finish_reason_tool_calls: int
    count_successful_tool_call: int
    schema_accuracy: float | None
    prompt_tokens: int
    completion_tokens: int
    results: dict[str, int] = field(default_factory=dict)
    #: the spend cap that stopped sending (`max_requests`, `max_tokens`), None when none did
    stopped_by: str | None = None
    #: reference comparison: None when no reference was given
    compared: int | None = None
    tool_call_precision: float | None = None
    tool_call_recall: float | None = None
    tool_call_f1: float | None = None

    @property
    def not_sent(self) -> int:
        """Samples with neither an answer nor an error (a cap stopped the run first)."""
        return self.samples - self.answered - self.errors

    def document(self) -> dict[str, Any]:
        """The summary as `--format json` prints it."""
        document = asdict(self)
        document["not_sent"] = self.not_sent
        if self.compared is None:
            for key in ("compared", "tool_call_precision", "tool_call_recall", "tool_call_f1"):
                del document[key]
        return document


def _reference_scores(answered: Iterable[Record], reference: Mapping[int, str | None]) -> dict[str, Any]:
    true_pos = false_pos = false_neg = compared = 0
    for record in answered:
        if record.index not in reference:
            continue
        compared += 1
        ours, theirs = record.finish_reason == TOOL_CALLS, reference[record.index] == TOOL_CALLS
        true_pos += ours and theirs
        false_pos += ours and not theirs
        false_neg += theirs and not ours
    precision, recall = _ratio(true_pos, true_pos + false_pos), _ratio(true_pos, true_pos + false_neg)
    f1 = None
    if precision is not None and recall is not None:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"compared": compared, "tool_call_precision": precision, "tool_call_recall": recall, "tool_call_f1": f1}


def summarize(records: Iterable[Record], samples: int, *, reference: Mapping[int, str | None] | None = None,
              stopped_by: str | None = None) -> Summary:
    """The summary of `records` (the latest per index counts) for a run over `samples` samples."""
    latest = {record.index: record for record in records}
    answered = [r for r in latest.values() if r.error is None]
    calls = [r for r in answered if r.finish_reason == TOOL_CALLS]
    successful = sum(r.tool_call == ToolCallResult.VALID for r in calls)
    results = {result.value: sum(r.tool_call == result for r in calls) for result in ToolCallResult}
    scores = _reference_scores(answered, reference) if reference is not None else {}
    return Summary(
        samples=samples, answered=len(answered), errors=len(latest) - len(answered),
        count_finish_reason_tool_calls=len(calls), count_successful_tool_call=successful,
        schema_accuracy=_ratio(successful, len(calls)),
        prompt_tokens=sum(r.prompt_tokens for r in answered),
        completion_tokens=sum(r.completion_tokens for r in answered),
        results=results, stopped_by=stopped_by, **scores,
    )
