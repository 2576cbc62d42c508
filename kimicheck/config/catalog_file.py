"""Read a model catalog a user names (`--catalog FILE`, `KIMICHECK_CATALOG`): positions and words like a config's.

The file goes through the one bounded reader, the config loader (positions, duplicate keys, alias limits)
and the catalog's pydantic model; every problem comes back as a `CatalogProblem` at its `line:col`, worded
by the same translator as a config's. Nothing here raises for a bad file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from kimicheck.config.document import DocPath, Document
from kimicheck.config.files import Unreadable, describe_size, read_file
from kimicheck.config.issues import IssueKind
from kimicheck.config.loader import decode, load_text
from kimicheck.config.pydantic_errors import FieldError, choices, did_you_mean, field_errors, must_be
from kimicheck.providers.catalog import Catalog, CatalogEntry, KindCatalog

__all__ = ["MAX_CATALOG_BYTES", "CatalogProblem", "parse_catalog", "read_catalog"]

#: A catalog lists a few dozen models; a larger file is not one.
MAX_CATALOG_BYTES = 1 << 20
_DATE_ERRORS = frozenset({"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"})


@dataclass(frozen=True)
class CatalogProblem:
    """One thing wrong with a catalog file, at a 1-based line and column."""

    line: int
    column: int
    message: str

    def render(self, source: str) -> str:
        """`FILE:LINE:COL: message`, as lint's text format places a finding."""
        return f"{source}:{self.line}:{self.column}: {self.message}"


def read_catalog(path: Path) -> Catalog | list[CatalogProblem]:
    """The validated catalog in the file at `path`, or every problem that keeps it from being one."""
    data = read_file(path, MAX_CATALOG_BYTES)
    if isinstance(data, Unreadable):
        reason = data.reason if "larger" not in data.reason else f"is larger than {describe_size(MAX_CATALOG_BYTES)}"
        return [CatalogProblem(1, 1, f"the catalog {reason}")]
    text = decode(data)
    if not isinstance(text, str):
        return [CatalogProblem(text.span.line, text.span.column, text.message)]
    return parse_catalog(text, str(path))


def parse_catalog(text: str, source: str) -> Catalog | list[CatalogProblem]:
    """The validated catalog in `text` (named `source`), or every problem that keeps it from being one."""
    loaded = load_text(text, source)
    problems = [CatalogProblem(i.span.line, i.span.column, i.message) for i in loaded.issues
                if i.kind is not IssueKind.UNREADABLE_FILE or loaded.document is None]
    if loaded.document is None or problems:
        return problems or [CatalogProblem(1, 1, "the catalog is empty")]
    document = loaded.document
    try:
        return Catalog.model_validate(document.data)
    except ValidationError as exc:
        return sorted((_problem(found, document) for found in field_errors(exc, document.data)),
                      key=lambda p: (p.line, p.column, p.message))


def _dotted(path: DocPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _position(document: Document, path: DocPath, *, key: bool) -> tuple[int, int]:
    """Where the key (or value) at `path` stands, else the nearest enclosing node."""
    for end in range(len(path), -1, -1):
        at = path[:end]
        span = document.keys.get(at) if key and at and isinstance(at[-1], str) else document.values.get(at)
        if span is not None:
            return span.line, span.column
    return 1, 1


def _problem(found: FieldError, document: Document) -> CatalogProblem:
    path = found.path
    if found.kind is IssueKind.UNKNOWN_KEY:
        allowed = _allowed_keys(path)
        hint = did_you_mean(found.key, allowed) or f"allowed keys: {', '.join(allowed)}"
        return CatalogProblem(*_position(document, path, key=True), f"unknown key '{found.key}' ({hint})")
    if found.kind is IssueKind.MISSING_KEY:
        where = _dotted(path[:-1]) or "the catalog"
        return CatalogProblem(*_position(document, path[:-1], key=False),
                              f"{where}: missing required key '{found.key}'")
    return CatalogProblem(*_position(document, path, key=False), f"{_dotted(path)}: {_words(found.error)}")


def _allowed_keys(key_path: DocPath) -> list[str]:
    """The keys allowed where the unknown key at `key_path` stands: the catalog, a kind, or a model entry."""
    models: dict[int, type[BaseModel]] = {1: Catalog, 3: KindCatalog, 5: CatalogEntry}
    return list(models.get(len(key_path), Catalog).model_fields)


def _words(error: ErrorDetails) -> str:
    """What is wrong with a value, in words of kimicheck's own."""
    kind, value = error["type"], error.get("input")
    if kind in {"enum", "literal_error"}:
        options: Sequence[str] = choices(error)
        hint = did_you_mean(value, options) or f"one of: {', '.join(options)}"
        return f"unknown value {value!r} ({hint})"
    if kind in _DATE_ERRORS:
        return "must be a date written YYYY-MM-DD, e.g. 2026-11-29"
    if kind == "string_pattern_mismatch":
        return "must be an http(s) URL" if str(error["loc"][-1]) == "source" else "must be one word, without spaces"
    return must_be(error) or str(error["msg"]).removeprefix("Value error, ")
