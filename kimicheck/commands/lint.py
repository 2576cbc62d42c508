"""`kimicheck lint`: check config files offline and report every finding at its `file:line:col`."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from kimicheck.commands.shared import (
    CONFIG_ENV,
    DEFAULT_CONFIG_PATH,
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    Streams,
    add_catalog_option,
    apply_catalog,
    config_path,
    write_text,
)
from kimicheck.config.loader import MAX_BYTES
from kimicheck.errors import InputError, UsageError
from kimicheck.lint.engine import expand_paths, lint_bytes, lint_paths, lint_text, resolve_rules
from kimicheck.lint.finding import FileReport
from kimicheck.lint.reporters import REPORTERS, render

__all__ = ["HELP", "configure", "exit_code", "resolve_format", "run", "use_color"]

STDIN = "-"

HELP = f"""\
Check kimicheck config files offline: YAML and schema errors, and the provider mistakes that break
integrations (wrong model id form for the host, a base URL the OpenAI SDK will mangle, a key in the file).

Without PATH, lints ${CONFIG_ENV}, or {DEFAULT_CONFIG_PATH}. A directory means every *.yaml/*.yml in it.
Model ids are judged against the model catalog (`kimicheck catalog`) on today's date.

exit codes:
  0  no errors (and no warnings with --strict)
  1  findings that fail
  2  usage error, a path that cannot be read, or an internal error

Silence one finding with `# kimicheck: disable=RULE[,RULE]` on its line or the line above, or a whole
file with `# kimicheck: disable-file=RULE`. `kimicheck rules` lists the rules."""


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of `kimicheck lint`."""
    parser.add_argument("paths", nargs="*", metavar="PATH", help="config files or directories; '-' reads stdin")
    parser.add_argument(
        "--format",
        choices=[*REPORTERS, "auto"],
        default="auto",
        help="output format (default: auto = github under GitHub Actions, else text)",
    )
    parser.add_argument("--strict", action="store_true", help="warnings fail too (exit code 1)")
    parser.add_argument(
        "--select", action="append", metavar="RULE,...", help="run only these rules (ids or names)"
    )
    parser.add_argument("--ignore", action="append", metavar="RULE,...", help="skip these rules (ids or names)")
    parser.add_argument(
        "--check-env",
        action="store_true",
        help="also report referenced environment variables that are unset or empty (still offline)",
    )
    parser.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="color the text format (default: auto = on a terminal, unless NO_COLOR is set)",
    )
    parser.add_argument(
        "--stdin-filename", metavar="NAME", default=None, help="the name findings give to '-' (stdin)"
    )
    add_catalog_option(parser)


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Lint the paths, write the report to stdout and return the exit code.

    A path that cannot be read is reported on stderr and makes the exit code 2, but never hides the
    findings of the other paths.
    """
    catalog = apply_catalog(args, streams)
    select = _rules_option("--select", args.select)
    ignore = _rules_option("--ignore", args.ignore) or frozenset()
    paths: list[str] = args.paths or [config_path(None, streams.environ)]
    if paths.count(STDIN) > 1:
        raise UsageError("'-' (stdin) can be given only once")
    if args.stdin_filename is not None and STDIN not in paths:
        raise UsageError("--stdin-filename names what '-' reads: give '-' as a PATH too")
    reports, problems = _lint(
        paths, args.stdin_filename or "<stdin>", streams.stdin,
        select=select, ignore=ignore, check_env=args.check_env, environ=streams.environ,
        today=date.today(), catalog=catalog,
    )
    fmt = resolve_format(args.format, streams.environ)
    color = use_color(args.color, streams.stdout, streams.environ)
    if reports or not problems:
        write_text(streams.stdout, render(fmt, reports, color=color))
    for problem in problems:
        streams.stderr.write(f"kimicheck lint: error: {problem}\n")
    return EXIT_USAGE if problems else exit_code(reports, strict=args.strict)


def _rules_option(option: str, values: Sequence[str] | None) -> frozenset[str] | None:
    if values is None:
        return None
    keys = _split(values)
    if not keys:
        raise UsageError(f"{option} needs at least one rule id or name (`kimicheck rules` lists them)")
    return resolve_rules(keys)


def exit_code(reports: Sequence[FileReport], *, strict: bool) -> int:
    """1 when any error (or, with `strict`, any warning) was found, else 0."""
    failing = sum(r.errors + (r.warnings if strict else 0) for r in reports)
    return EXIT_FAILURE if failing else EXIT_OK


def resolve_format(fmt: str, environ: Mapping[str, str]) -> str:
    """The output format: `auto` is `github` under GitHub Actions, `text` elsewhere."""
    if fmt != "auto":
        return fmt
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def use_color(choice: str, stdout: TextIO, environ: Mapping[str, str]) -> bool:
    """Whether to color: `always`, `never`, or `auto` = stdout is a terminal, NO_COLOR unset, TERM not dumb."""
    if choice != "auto":
        return choice == "always"
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stdout, "isatty", None)
    return bool(isatty and isatty())


def _split(values: Sequence[str]) -> list[str]:
    return [key for value in values for key in value.split(",") if key.strip()]


def _lint(paths: Sequence[str], stdin_name: str, stdin: TextIO,
          **options: Any) -> tuple[list[FileReport], list[str]]:
    """Reports in the order of `paths`, and the paths that could not be read.

    `-` is stdin, read as bytes when it has them (binary input), and never more than a config can be.
    """
    reports: list[FileReport] = []
    problems: list[str] = []
    for path in paths:
        if path != STDIN:
            try:
                files = expand_paths([Path(path)])
            except InputError as exc:
                problems.append(str(exc))
                continue
            for file in files:
                try:
                    reports += lint_paths([file], **options)
                except InputError as exc:
                    problems.append(str(exc))
            continue
        buffer = getattr(stdin, "buffer", None)
        if buffer is not None:
            reports.append(lint_bytes(buffer.read(MAX_BYTES + 1), stdin_name, **options))
        else:
            reports.append(lint_text(stdin.read(MAX_BYTES + 1), stdin_name, **options))
    return reports, problems
