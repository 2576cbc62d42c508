"""`kimicheck rules`: list every lint rule with its id, name, severity and summary."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from kimicheck.commands.shared import EXIT_OK, Streams
from kimicheck.lint.registry import RULES
from kimicheck.lint.rule import Rule

__all__ = ["HELP", "configure", "markdown_table", "run", "text_table"]

HELP = """\
List every lint rule. Use an id or a name with `kimicheck lint --select/--ignore`, in
`# kimicheck: disable=RULE` comments, and with `kimicheck rule RULE` for its documentation."""


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of `kimicheck rules`."""
    parser.add_argument(
        "--format",
        choices=["text", "markdown"],
        default="text",
        help="a plain table (default) or a Markdown table, as in the README",
    )


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Write the rule table to stdout."""
    streams.stdout.write(markdown_table(RULES) if args.format == "markdown" else text_table(RULES))
    return EXIT_OK


def text_table(rules: Sequence[Rule]) -> str:
    """Aligned columns: ID, NAME, SEVERITY, SUMMARY."""
    rows = [("ID", "NAME", "SEVERITY", "SUMMARY")]
    rows += [(r.id, r.name, r.severity.value, r.summary) for r in rules]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3] + "\n"
        for row in rows
    )


def markdown_table(rules: Sequence[Rule]) -> str:
    """A Markdown table of the rules (the README's rule list is this text)."""
    lines = ["| id | name | severity | what it reports |", "|---|---|---|---|"]
    lines += [f"| {r.id} | `{r.name}` | {r.severity.value} | {_cell(r.summary)} |" for r in rules]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
