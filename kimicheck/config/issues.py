"""What the loader and the validator report: a kind of problem, in words, at a position.

The kinds are the config layer's own vocabulary; the linter decides which rule each kind is, as a
YAML parser knows nothing of the linter's rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from kimicheck.config.document import Span

__all__ = ["START", "IssueKind", "LoadIssue"]

#: the position of problems about the whole file
START = Span(1, 1, 1, 1)


class IssueKind(Enum):
    """The kinds of problem found while reading and validating a file."""

    YAML_SYNTAX = "yaml-syntax"
    DUPLICATE_KEY = "duplicate-key"
    UNKNOWN_KEY = "unknown-key"
    INVALID_VALUE = "invalid-value"
    MISSING_KEY = "missing-key"
    UNSUPPORTED_VERSION = "unsupported-version"
    UNREADABLE_FILE = "unreadable-file"
    ALIAS_LIMIT = "alias-limit"


@dataclass(frozen=True)
class LoadIssue:
    """A problem found while reading or validating a file, at a position."""

    kind: IssueKind
    message: str
    span: Span
    hint: str = ""
