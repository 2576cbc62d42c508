"""SARIF 2.1.0, the format code-scanning services read (GitHub code scanning, IDE viewers).

One run whose driver lists every rule of the registry (id, name, descriptions, help with examples and
default level); each finding is a result pointing at its rule and its region. Columns are counted in
Unicode code points, as kimicheck counts them, and said so with `columnKind`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath
from urllib.parse import quote

from kimicheck import __version__
from kimicheck.lint.finding import FileReport, Finding
from kimicheck.lint.registry import RULES
from kimicheck.lint.reporters.indented_json import dumps
from kimicheck.lint.rule import Rule

__all__ = ["SARIF_SCHEMA", "SARIF_VERSION", "artifact_uri", "render"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def render(reports: Sequence[FileReport], *, color: bool = False) -> str:
    """The SARIF log as indented JSON with a final newline (`color` is ignored)."""
    index = {rule.id: position for position, rule in enumerate(RULES)}
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "kimicheck",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_rule(rule) for rule in RULES],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": (_result(f, index) for report in reports for f in report.findings),
            }
        ],
    }
    return dumps(log) + "\n"


def artifact_uri(path: str) -> str:
    """A file's URI: relative paths stay relative (POSIX slashes, percent-encoded), absolute ones are file://."""
    pure = PurePath(path)
    if pure.is_absolute():
        return pure.as_uri()
    return quote(pure.as_posix(), safe="/")


def _rule(rule: Rule) -> dict[str, object]:
    markdown = f"{rule.doc}\n\nFails:\n\n{_yaml_block(rule.fail_example)}\nPasses:\n\n{_yaml_block(rule.pass_example)}"
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc},
        "help": {"text": rule.doc, "markdown": markdown},
        "defaultConfiguration": {"level": rule.severity.value},
    }


def _yaml_block(example: str) -> str:
    return f"```yaml\n{example.rstrip(chr(10))}\n```\n" if example.strip() else "(an empty file)\n"


def _result(finding: Finding, index: dict[str, int]) -> dict[str, object]:
    message = finding.message + (f"\nhint: {finding.hint}" if finding.hint else "")
    result: dict[str, object] = {"ruleId": finding.rule}
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    result.update(
        {
            "level": finding.severity.value,
            "message": {"text": message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(finding.path)},
                        "region": {
                            "startLine": finding.line,
                            "startColumn": finding.column,
                            "endLine": finding.end_line,
                            "endColumn": finding.end_column,
                        },
                    }
                }
            ],
        }
    )
    return result
