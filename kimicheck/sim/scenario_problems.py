"""Every problem of a scenario at once, each at its position and in words a user reads.

Pure: plain data plus the loader's `Document` in, `Problem` values out. pydantic reports all field errors of
one validation together; the duplicate-account check runs on the raw data too, so it is reported even when
another field is invalid. No message quotes an account's `key` or the `control_token`.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from kimicheck.config.document import Document
from kimicheck.lookalike import closest

__all__ = ["Loc", "Problem", "duplicate_accounts", "translate"]

Loc = tuple[int | str, ...]

#: fields whose values are never quoted back
_SECRET_FIELDS = frozenset({"key", "control_token"})
_NUMBER = "a number, e.g. 20 or 20.5"
_WHOLE = "a whole number, e.g. 7"
#: what a value must be, by pydantic error type
_MUST_BE = {
    "int_type": _WHOLE, "int_parsing": _WHOLE, "int_from_float": _WHOLE,
    "float_type": "a number, e.g. 0.5", "float_parsing": "a number, e.g. 0.5",
    "decimal_type": _NUMBER, "decimal_parsing": _NUMBER, "finite_number": _NUMBER,
    "bool_type": "true or false", "bool_parsing": "true or false",
    "string_type": "text",
    "list_type": "a list (one `- item` per line, or [a, b])",
    "dict_type": "a mapping of `key: value` pairs", "model_type": "a mapping of `key: value` pairs",
    "model_attributes_type": "a mapping of `key: value` pairs",
}


@dataclass(frozen=True)
class Problem:
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


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model describing the mapping at `loc` below `model` (list indexes skipped)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None or isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        current = _find_model(info.annotation) if info else None
    return current


def _find_model(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _find_model(arg)
            if found is not None:
                return found
    return None


def _got(field: str, value: object) -> str:
    """` (got 'lots')`, unless the value is secret, not a scalar or too long to help."""
    if field in _SECRET_FIELDS or not isinstance(value, str | int | float) or len(str(value)) > 40:
        return ""
    return f" (got {value!r})"


def _number(limit: object) -> str:
    """A limit as written in the README: `1`, not `1.0`."""
    return str(int(limit)) if isinstance(limit, float) and limit.is_integer() else str(limit)


def _choices(value: object, expected: str) -> str:
    choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip(" '")]
    suggestion = closest(value, choices, limit=1) if isinstance(value, str) else []
    return f"did you mean '{suggestion[0]}'?" if suggestion else f"one of: {', '.join(choices)}"


def _message(error: ErrorDetails, loc: Loc, document: Document | None) -> str:
    """What is wrong with the value at `loc`, in words."""
    kind, value, limits = error["type"], error.get("input"), error.get("ctx") or {}
    field = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    implicit = document.implicit_scalars.get(loc) if document is not None else None
    if kind == "string_type" and implicit is not None:
        source, type_name = implicit
        shown = "value" if field in _SECRET_FIELDS else f"`{source}`"
        article = "an" if type_name[0] in "aeiou" else "a"
        return f"must be text, but YAML reads the unquoted {shown} as {article} {type_name}: quote it"
    if kind in _MUST_BE:
        # a list or mapping given as a scalar may be a pasted key (`accounts: [sk-...]`): never quoted
        scalar = kind.split("_")[0] in {"int", "float", "decimal", "finite", "bool"}
        return f"must be {_MUST_BE[kind]}{_got(field, value) if scalar else ''}"
    if kind in {"enum", "literal_error"}:
        return f"unknown {field} {value!r} ({_choices(value, str(limits.get('expected', '')))})"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"must be at least {_number(limits.get('ge', limits.get('gt')))}{_got(field, value)}"
    if kind in {"less_than_equal", "less_than"}:
        return f"must be at most {_number(limits.get('le', limits.get('lt')))}{_got(field, value)}"
    if kind == "string_too_short":
        least = int(limits.get("min_length", 1))
        return "must not be empty" if least <= 1 else f"must be at least {least} characters long"
    return str(error["msg"]).removeprefix("Value error, ")


def translate(exc: ValidationError, model: type[BaseModel], data: object,
              document: Document | None) -> list[Problem]:
    """The problems behind one validation error of `model`, duplicate accounts left out (see above)."""
    problems = []
    for error in exc.errors(include_url=False):
        loc: Loc = tuple(error["loc"])
        if error["type"] == "duplicate_account":
            continue
        if error["type"] == "extra_forbidden" and loc:
            parent = _model_at(model, loc[:-1])
            allowed = list(parent.model_fields) if parent is not None else []
            suggestion = closest(str(loc[-1]), allowed, limit=1)
            hint = f"did you mean '{suggestion[0]}'?" if suggestion else f"allowed keys: {', '.join(allowed)}"
            line, column = _position(document, loc)
            problems.append(Problem(line, column, _dotted(loc[:-1]), f"unknown key '{loc[-1]}' ({hint})"))
        elif error["type"] == "missing" and loc:
            line, column = _position(document, loc[:-1])
            problems.append(Problem(line, column, _dotted(loc[:-1]), f"missing required key '{loc[-1]}'"))
        else:
            line, column = _position(document, loc)
            problems.append(Problem(line, column, _dotted(loc), _message(error, loc, document)))
    accounts = data.get("accounts") if isinstance(data, Mapping) else None
    if isinstance(accounts, list):
        pairs = [(a.get("key"), a.get("name")) if isinstance(a, Mapping) else (None, None) for a in accounts]
        for loc, message in duplicate_accounts(pairs):
            line, column = _position(document, loc)
            problems.append(Problem(line, column, _dotted(loc), message))
    return problems
