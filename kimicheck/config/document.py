"""The document model: a parsed config file, its plain data, and where every key and value stands in the text.

Everything that reports a position (the loader, the validator, the lint rules, the scenario checker) speaks
in document paths such as `("providers", 0, "base_url")` and turns them into spans through a `Document`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

__all__ = ["LINE_BREAK", "DocPath", "Document", "Span"]

#: The line breaks YAML counts: every line number of a `Span` counts these, so whatever splits a
#: document's text into lines (to quote a line, to find text in it) must split on them too.
LINE_BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")

#: A location in the document: mapping keys and sequence indexes from the root.
DocPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Span:
    """Where a node stands in the text: 1-based line and column, end exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Document:
    """A parsed config file: its text, its plain data, and the position of every key and value."""

    path: str
    text: str
    data: object
    #: path -> span of the value at that path
    values: Mapping[DocPath, Span]
    #: path -> span of the mapping key that holds the value at that path
    keys: Mapping[DocPath, Span]
    #: path -> (source text, YAML type) of every unquoted scalar YAML read as something other than a string
    implicit_scalars: Mapping[DocPath, tuple[str, str]] = field(default_factory=dict)

    @cached_property
    def lines(self) -> tuple[str, ...]:
        """The text split on `LINE_BREAK`, once: line `n` of a `Span` is `lines[n - 1]`."""
        return tuple(LINE_BREAK.split(self.text))
