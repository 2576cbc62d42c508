"""The K2 Vendor Verifier's judgement of one tool call, as a pure function `kimicheck verify` can reuse.

K2VV counts an answer as a tool call when `finish_reason == "tool_calls"`, and the call as successful when its
`arguments` parse as JSON and validate against the tool's JSON Schema. Here the wrong function name is a failure
of its own, so the five results add up to every answer: `valid`, `invalid_json`, `schema_mismatch`,
`wrong_function`, `missing`. The schema is judged by the `jsonschema` library, not by hand.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import jsonschema

__all__ = ["Tool", "ToolCallResult", "ToolCallVerdict", "judge_tool_call"]


class ToolCallResult(StrEnum):
    """How one answer to a request with tools was judged (the `result` label of `kimicheck_tool_calls_total`)."""

    VALID = "valid"
    INVALID_JSON = "invalid_json"
    SCHEMA_MISMATCH = "schema_mismatch"
    WRONG_FUNCTION = "wrong_function"
    MISSING = "missing"


@dataclass(frozen=True)
class Tool:
    """A function offered to the model: its name and the JSON Schema of its parameters."""

    name: str
    parameters: Mapping[str, Any]

    def definition(self) -> dict[str, Any]:
        """The entry of the request's `tools` list."""
        return {"type": "function", "function": {"name": self.name, "parameters": dict(self.parameters)}}


@dataclass(frozen=True)
class ToolCallVerdict:
    """The result, and a short human detail saying what was wrong (empty when valid)."""

    result: ToolCallResult
    detail: str = ""
    arguments: object = None


def _first_call(message: Mapping[str, Any]) -> Mapping[str, Any] | None:
    calls = message.get("tool_calls")
    if not isinstance(calls, list) or not calls or not isinstance(calls[0], Mapping):
        return None
    function = calls[0].get("function")
    return function if isinstance(function, Mapping) else None


def _schema_problem(arguments: object, schema: Mapping[str, Any]) -> str | None:
    validator = jsonschema.Draft202012Validator(dict(schema))
    error = jsonschema.exceptions.best_match(validator.iter_errors(arguments))
    if error is None:
        return None
    where = "/".join(str(part) for part in error.absolute_path) or "the arguments"
    return f"{where}: {error.message}"[:200]


def judge_tool_call(message: object, finish_reason: str | None, tool: Tool) -> ToolCallVerdict:
    """Judge the assistant `message` of an answer to a request that offered `tool`, as K2VV does."""
    function = _first_call(message) if isinstance(message, Mapping) else None
    if finish_reason != "tool_calls" or function is None:
        what = "no tool call" if function is None else "a tool call"
        return ToolCallVerdict(ToolCallResult.MISSING, f"{what} with finish_reason {finish_reason}")
    name = function.get("name")
    if name != tool.name:
        shown = str(name)[:60] if isinstance(name, str) else "no name"
        return ToolCallVerdict(ToolCallResult.WRONG_FUNCTION, f"called {shown!r}, not the offered {tool.name!r}")
    raw = function.get("arguments")
    try:
        arguments = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        arguments = None
    if not isinstance(raw, str) or (arguments is None and raw.strip() != "null"):
        return ToolCallVerdict(ToolCallResult.INVALID_JSON, f"arguments are not JSON ({len(str(raw))} characters)")
    problem = _schema_problem(arguments, tool.parameters)
    if problem is not None:
        return ToolCallVerdict(ToolCallResult.SCHEMA_MISMATCH, f"arguments do not fit the schema: {problem}",
                               arguments)
    return ToolCallVerdict(ToolCallResult.VALID, "", arguments)
