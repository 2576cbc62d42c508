"""`kimicheck rule RULE`: one rule's documentation, a failing and a passing example, and what lint reports."""

from __future__ import annotations

import argparse
import textwrap

from kimicheck.commands.shared import EXIT_OK, Streams, write_text
from kimicheck.lint.engine import lint_text, resolve_rules
from kimicheck.lint.registry import find_rule
from kimicheck.lint.reporters import render
from kimicheck.lint.rule import Rule

__all__ = ["EXAMPLE_PATH", "HELP", "configure", "describe", "run"]

EXAMPLE_PATH = "example.yaml"
_WIDTH = 100
_INDENT = "    "

HELP = """\
Show a lint rule's documentation: why it matters, how to fix it, a config it reports, what
`kimicheck lint` says about that config, and the same config fixed. RULE is an id (KC003) or a name
(unknown-key); `kimicheck rules` lists them."""


def configure(parser: argparse.ArgumentParser) -> None:
    """The argument of `kimicheck rule`."""
    parser.add_argument("rule", metavar="RULE", help="a rule id or name")


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Write the rule's documentation to stdout; an unknown rule is a usage error with a suggestion."""
    (rule_id,) = resolve_rules([args.rule])
    rule = find_rule(rule_id)
    assert rule is not None
    write_text(streams.stdout, describe(rule))
    return EXIT_OK


def describe(rule: Rule) -> str:
    """The full documentation page of `rule`, with its failing example linted for real."""
    doc = "\n\n".join(textwrap.fill(p, _WIDTH) for p in rule.doc.split("\n\n"))
    command = f"kimicheck lint {EXAMPLE_PATH}"
    linted = lint_text(rule.fail_example, EXAMPLE_PATH)
    if not any(f.rule == rule.id for f in linted.findings):
        # environment rules only speak under --check-env: show them with an empty environment
        command = f"kimicheck lint --check-env {EXAMPLE_PATH}"
        linted = lint_text(rule.fail_example, EXAMPLE_PATH, check_env=True, environ={})
    report = render("text", [linted])
    sections = [
        f"{rule.id} {rule.name} ({rule.severity.value}): {rule.summary}",
        doc,
        f"Fails ({EXAMPLE_PATH}):\n\n{_example(rule.fail_example)}",
        f"{command} reports:\n\n{textwrap.indent(report, _INDENT)}".rstrip(),
        f"Passes:\n\n{_example(rule.pass_example)}",
        _silencing(rule),
    ]
    return "\n\n".join(sections) + "\n"


def _silencing(rule: Rule) -> str:
    if not rule.suppressible:
        return (f"A comment cannot silence it (the file is not read far enough, or it is about the comments "
                f"themselves): `kimicheck lint --ignore {rule.id}` turns it off.")
    return f"Silence one finding with `# kimicheck: disable={rule.id}` (or `disable={rule.name}`) on its line."


def _example(text: str) -> str:
    if not text.strip():
        return f"{_INDENT}(an empty file)"
    return textwrap.indent(text.rstrip("\n"), _INDENT, lambda line: True)
