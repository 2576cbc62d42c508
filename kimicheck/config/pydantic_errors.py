"""From a pydantic `ValidationError` to places in a document and words a user reads.

One translator for every file a user writes (the config and the simulator's scenarios): it places each
error on a path that exists in the data (pydantic's union tags skipped), keeps the deepest error of each
place, and says what is wrong in words of its own, never pydantic's ("Input should be a valid integer").
How a place and its words are shown (a lint finding, a scenario line) is the caller's business.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from kimicheck.config.document import DocPath, Document
from kimicheck.config.issues import IssueKind
from kimicheck.lookalike import closest

__all__ = [
    "FieldError",
    "choices",
    "did_you_mean",
    "field_errors",
    "field_name",
    "implicit_scalar",
    "known_keys",
    "model_at",
    "must_be",
    "quoted_numeral",
]

#: what a value of each pydantic type must be, and an example (the fix) where one helps
_KIND_OF_VALUE: dict[str, tuple[str, str]] = {
    "int_type": ("a whole number", ", e.g. 7"),
    "int_parsing": ("a whole number", ", e.g. 7"),
    "int_from_float": ("a whole number", ", e.g. 7"),
    "float_type": ("a number", ", e.g. 0.5"),
    "float_parsing": ("a number", ", e.g. 0.5"),
    "decimal_type": ("a number", ", e.g. 20 or 20.5"),
    "decimal_parsing": ("a number", ", e.g. 20 or 20.5"),
    "finite_number": ("a number", ", e.g. 20 or 20.5"),
    "bool_type": ("true or false", ""),
    "bool_parsing": ("true or false", ""),
    "string_type": ("text", ""),
    "list_type": ("a list", " (one `- item` per line, or [a, b])"),
    "dict_type": ("a mapping of `key: value` pairs", ""),
    "model_type": ("a mapping of `key: value` pairs", ""),
    "model_attributes_type": ("a mapping of `key: value` pairs", ""),
}


@dataclass(frozen=True)
class FieldError:
    """One pydantic error, placed on a path that exists in the data (a missing key: where it belongs)."""

    kind: IssueKind
    #: unknown key: the key's path; missing key: the path it belongs at; otherwise the value's path
    path: DocPath
    error: ErrorDetails

    @property
    def key(self) -> str:
        """The unknown or missing key, or the field the invalid value belongs to ("" at the top level)."""
        return field_name(self.path)


def field_errors(exc: ValidationError, data: object, prefix: DocPath = ()) -> list[FieldError]:
    """The errors of validating `data` (found at `prefix` in the document), the deepest one per place."""
    placed: dict[DocPath, ErrorDetails] = {}
    for error in exc.errors(include_url=False):
        path, missing = _resolve(data, tuple(error["loc"]), error["type"])
        full = (*prefix, *path) if missing is None or error["type"] == "extra_forbidden" else (
            *prefix, *path, missing)
        placed.setdefault(full, error)
    # a union reports one error per branch; the deepest place is the informative one. A set of every
    # proper prefix keeps this linear: thousands of unknown keys in one mapping are thousands of errors.
    above = {path[:depth] for path in placed for depth in range(len(path))}
    deepest = [p for p in placed if p not in above]
    return [FieldError(_kind(placed[p]["type"]), p, placed[p]) for p in deepest]


def _kind(error_type: str) -> IssueKind:
    if error_type == "extra_forbidden":
        return IssueKind.UNKNOWN_KEY
    return IssueKind.MISSING_KEY if error_type == "missing" else IssueKind.INVALID_VALUE


def _resolve(data: object, loc: tuple[int | str, ...], error_type: str) -> tuple[DocPath, str | None]:
    """Map a pydantic error location onto a path that exists in the data, skipping union tags.

    Returns the existing path and, when the last element is absent (a missing key), its name.
    """
    path: list[str | int] = []
    current = data
    for position, part in enumerate(loc):
        present = (isinstance(current, Mapping) and part in current) or (
            isinstance(current, list | tuple) and isinstance(part, int) and 0 <= part < len(current))
        if present:
            current = current[part]  # type: ignore[index]
            path.append(part)
        elif position == len(loc) - 1 and error_type in {"missing", "extra_forbidden"}:
            return tuple(path), str(part)
    return tuple(path), None


def field_name(path: DocPath) -> str:
    """The nearest mapping key of `path` ("" when there is none)."""
    return next((str(part) for part in reversed(path) if isinstance(part, str)), "")


def model_at(model: type[BaseModel], path: DocPath) -> type[BaseModel] | None:
    """The pydantic model that describes the mapping at `path` below `model` (list indexes skipped)."""
    current: type[BaseModel] | None = model
    for part in path:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        current = _find_model(info.annotation) if info else None
    return current


def _find_model(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _find_model(typing.get_args(annotation)[0])
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _find_model(arg)
            if found is not None:
                return found
    return None


def known_keys(model: type[BaseModel], key_path: DocPath) -> list[str]:
    """The keys allowed in the mapping that holds the (unknown) key at `key_path` below `model`."""
    parent = model_at(model, key_path[:-1])
    if parent is None:
        return []
    # a key spelled differently from its attribute (`json`, which BaseModel itself takes) is known by its alias
    return [info.alias or name for name, info in parent.model_fields.items()]


def did_you_mean(word: object, candidates: Iterable[str]) -> str:
    """`did you mean 'x'?` for the candidate closest to `word`, or "" when none is close."""
    suggestion = closest(word, list(candidates), limit=1) if isinstance(word, str) else []
    return f"did you mean '{suggestion[0]}'?" if suggestion else ""


def choices(error: ErrorDetails) -> list[str]:
    """The values an enum or literal error allows."""
    expected = str((error.get("ctx") or {}).get("expected", ""))
    return [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip(" '")]


def _number(limit: object) -> str:
    """A limit as written in the README: `1`, not `1.0`."""
    return str(int(limit)) if isinstance(limit, float) and limit.is_integer() else str(limit)


def must_be(error: ErrorDetails, *, example: bool = True) -> str | None:
    """What the value must be, in words (`must be a whole number, e.g. 7`), or None for other errors."""
    kind, limits = error["type"], error.get("ctx") or {}
    if kind in _KIND_OF_VALUE:
        what, shown = _KIND_OF_VALUE[kind]
        return f"must be {what}{shown if example else ''}"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"must be at least {_number(limits.get('ge', limits.get('gt')))}"
    if kind in {"less_than_equal", "less_than"}:
        return f"must be at most {_number(limits.get('le', limits.get('lt')))}"
    if kind == "string_too_short":
        least = int(limits.get("min_length", 1))
        return "must not be empty" if least <= 1 else f"must be at least {least} characters long"
    if kind == "string_pattern_mismatch":
        return f"must match the pattern {limits.get('pattern', '')}"
    return None


def implicit_scalar(document: Document | None, path: DocPath) -> tuple[str, str] | None:
    """(source text, YAML type) when the value at `path` is unquoted text YAML read as another type."""
    return document.implicit_scalars.get(path) if document is not None else None


def quoted_numeral(document: Document, path: DocPath, value: object) -> bool:
    """Whether the value at `path` is a number written in quotes (`'20'`), so removing them fixes it."""
    span = document.values.get(path)
    if span is None or not isinstance(value, str):
        return False
    lines = document.lines
    line = lines[span.line - 1] if span.line <= len(lines) else ""
    if line[span.column - 1: span.column] not in {"'", '"'}:
        return False
    try:
        return Decimal(value.strip()).is_finite()
    except InvalidOperation:
        return False
