"""The machine format: one JSON document with every finding and a summary (format version 1).

```json
{"version": 1,
 "findings": [{"path", "line", "column", "end_line", "end_column", "rule", "name", "severity",
               "message", "hint"}],
 "summary": {"files", "errors", "warnings"}}
```
Lines and columns are 1-based; `end_column` is exclusive. The keys are a contract: add, never rename.
"""

from __future__ import annotations

from collections.abc import Sequence

from kimicheck.lint.finding import FileReport, Finding
from kimicheck.lint.reporters.indented_json import dumps

__all__ = ["FORMAT_VERSION", "render"]

FORMAT_VERSION = 1


def render(reports: Sequence[FileReport], *, color: bool = False) -> str:
    """The JSON document, indented, with a final newline (`color` is ignored)."""
    document = {
        "version": FORMAT_VERSION,
        "findings": (_finding(f) for report in reports for f in report.findings),
        "summary": {
            "files": len(reports),
            "errors": sum(r.errors for r in reports),
            "warnings": sum(r.warnings for r in reports),
        },
    }
    return dumps(document) + "\n"


def _finding(finding: Finding) -> dict[str, object]:
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "rule": finding.rule,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "hint": finding.hint,
    }
