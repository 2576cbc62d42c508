"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff.

```
::error file=kimicheck.yaml,line=6,col=5,endLine=6,endColumn=15,title=KC003 unknown-key::unknown key ...
```
Values are escaped as the workflow-command rules require (`%`, CR and LF everywhere; `:` and `,` in
properties). GitHub's `endColumn` is inclusive, so it is one less than a finding's exclusive `end_column`, and
only given when the finding starts and ends on the same line.
"""

from __future__ import annotations

from collections.abc import Sequence

from kimicheck.lint.finding import FileReport, Finding
from kimicheck.lint.reporters.summary import summary_line

__all__ = ["escape_data", "escape_property", "render"]


def render(reports: Sequence[FileReport], *, color: bool = False) -> str:
    """One workflow command per finding, then the summary line (`color` is ignored)."""
    lines = [_command(f) for report in reports for f in report.findings]
    lines.append(summary_line(reports))
    return "".join(line + "\n" for line in lines)


def _command(finding: Finding) -> str:
    properties = {
        "file": finding.path,
        "line": str(finding.line),
        "col": str(finding.column),
        "endLine": str(finding.end_line),
    }
    if finding.end_line == finding.line:  # GitHub ignores columns of annotations that span lines
        properties["endColumn"] = str(max(finding.end_column - 1, finding.column))
    properties["title"] = f"{finding.rule} {finding.name}"
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    message = finding.message + (f"\nhint: {finding.hint}" if finding.hint else "")
    return f"::{finding.severity.value} {joined}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """The message part of a workflow command: `%`, CR and LF percent-encoded."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value of a workflow command: as `escape_data`, plus `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
