"""Every problem of a scenario at once, each at its position and in words a user reads.

Pure: plain data plus the loader's `Document` in, `ScenarioProblem` values out. pydantic reports all field
errors of one validation together, placed and worded by the config layer's translator; the duplicate-account
check runs on the raw data too, so it is reported even when another field is invalid. No message quotes an
account's `key` or the `control_token`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from kimicheck.config.document import DocPath, Document
from kimicheck.config.issues import IssueKind
from kimicheck.config.pydantic_errors import (
    FieldError,
    choices,
    did_you_mean,
    field_errors,
    field_name,
    implicit_scalar,
    known_keys,
    must_be,
)

__all__ = ["Loc", "ScenarioProblem", "duplicate_accounts", "translate"]

Loc = DocPath

#: fields whose values are never quoted back
_SECRET_FIELDS = frozenset({"key", "control_token"})
#: errors about a scalar's value: a list or mapping given as a scalar may be a pasted key, so never quoted
_SCALAR_ERRORS = frozenset({"int_type", "int_parsing", "int_from_float", "float_type", "float_parsing",
                            "decimal_type", "decimal_parsing", "finite_number", "bool_type", "bool_parsing",
                            "greater_than_equal", "greater_than", "less_than_equal", "less_than"})


@dataclass(frozen=True)
class ScenarioProblem:
    """One thing wrong with a scenario: where (line, column: 0 when unknown), which field, and what."""

    line: int
    column: int
    field: str
    message: str

    def render(self, source: str) -> str:
        """`FILE:LINE:COL: field: message`, leaving out what is unknown or empty."""
        where = f"{source}:{self.line}:{self.column}" if self.line else source
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


def duplicate_accounts(accounts: Iterable[tuple[object, object]]) -> list[tuple[Loc, str]]:
    """(location, message) of every account repeating an earlier one's key, else its name, from (key, name)."""
    keys: dict[object, int] = {}
    names: dict[object, int] = {}
    found: list[tuple[Loc, str]] = []
    for index, (key, name) in enumerate(accounts):
        if isinstance(key, str) and key in keys:
            found.append((("accounts", index, "key"), f"the same key as accounts[{keys[key]}]"))
        elif isinstance(name, str) and name and name in names:
            found.append((("accounts", index, "name"), f"the same name as accounts[{names[name]}] ({name!r})"))
        if isinstance(key, str):
            keys.setdefault(key, index)
        if isinstance(name, str) and name:
            names.setdefault(name, index)
    return found


def _dotted(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _position(document: Document | None, loc: Loc) -> tuple[int, int]:
    """The key of the field at `loc` (or its value, for a list item), else the nearest enclosing node's."""
    if document is None:
        return 0, 0
    for end in range(len(loc), -1, -1):
        path = loc[:end]
        span = document.keys.get(path) if path and isinstance(path[-1], str) else document.values.get(path)
        if span is not None:
            return span.line, span.column
    return 0, 0


def _got(field: str, value: object) -> str:
    """` (got 'lots')`, unless the value is secret, not a scalar or too long to help."""
    if field in _SECRET_FIELDS or not isinstance(value, str | int | float) or len(str(value)) > 40:
        return ""
    return f" (got {value!r})"


def _message(error: ErrorDetails, loc: Loc, document: Document | None) -> str:
    """What is wrong with the value at `loc`, in words."""
    kind, value = error["type"], error.get("input")
    field = field_name(loc)
    implicit = implicit_scalar(document, loc)
    if kind == "string_type" and implicit is not None:
        source, type_name = implicit
        shown = "value" if field in _SECRET_FIELDS else f"`{source}`"
        article = "an" if type_name[0] in "aeiou" else "a"
        return f"must be text, but YAML reads the unquoted {shown} as {article} {type_name}: quote it"
    if kind in {"enum", "literal_error"}:
        options = choices(error)
        hint = did_you_mean(value, options) or f"one of: {', '.join(options)}"
        return f"unknown {field} {value!r} ({hint})"
    words = must_be(error)
    if words is None:
        return str(error["msg"]).removeprefix("Value error, ")
    return words + (_got(field, value) if kind in _SCALAR_ERRORS else "")


def _problem(found: FieldError, model: type[BaseModel], document: Document | None) -> ScenarioProblem:
    loc = found.path
    if found.kind is IssueKind.UNKNOWN_KEY:
        allowed = known_keys(model, loc)
        hint = did_you_mean(found.key, allowed) or f"allowed keys: {', '.join(allowed)}"
        return ScenarioProblem(*_position(document, loc), _dotted(loc[:-1]), f"unknown key '{found.key}' ({hint})")
    if found.kind is IssueKind.MISSING_KEY:
        return ScenarioProblem(*_position(document, loc[:-1]), _dotted(loc[:-1]),
                               f"missing required key '{found.key}'")
    return ScenarioProblem(*_position(document, loc), _dotted(loc), _message(found.error, loc, document))


def translate(exc: ValidationError, model: type[BaseModel], data: object,
              document: Document | None) -> list[ScenarioProblem]:
    """The problems behind one validation error of `model`, duplicate accounts left out (see above)."""
    problems = [_problem(found, model, document) for found in field_errors(exc, data)
                if found.error["type"] != "duplicate_account"]
    accounts = data.get("accounts") if isinstance(data, Mapping) else None
    if isinstance(accounts, list):
        pairs = [(a.get("key"), a.get("name")) if isinstance(a, Mapping) else (None, None) for a in accounts]
        for loc, message in duplicate_accounts(pairs):
            problems.append(ScenarioProblem(*_position(document, loc), _dotted(loc), message))
    return problems
