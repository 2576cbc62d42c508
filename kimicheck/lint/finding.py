"""Values the linter produces: a `Finding` per problem and a `FileReport` per file."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kimicheck.config.models import Config

__all__ = ["FileReport", "Finding", "Severity"]


class Severity(StrEnum):
    """How bad a finding is: errors fail the lint, warnings only under `--strict`."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place in one file. Lines and columns are 1-based; `end_*` are inclusive-exclusive."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    name: str
    severity: Severity
    message: str
    hint: str = ""


@dataclass(frozen=True)
class FileReport:
    """Everything the linter found in one file, with the source text for reporters that quote it."""

    path: str
    findings: tuple[Finding, ...]
    text: str = ""
    #: the validated config, when the file loaded well enough to build one
    config: Config | None = field(default=None, compare=False)

    @property
    def errors(self) -> int:
        """How many error-level findings the file has."""
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        """How many warning-level findings the file has."""
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)
