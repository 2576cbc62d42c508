"""`kimicheck balance [PROVIDER] [CONFIG]`: every provider's account balance against its thresholds."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from kimicheck.cli import EXIT_USAGE, Streams
from kimicheck.commands.lint import DEFAULT_PATH
from kimicheck.commands.probe import (
    add_run_options,
    config_path,
    execute,
    exit_code,
    load_checked_config,
)
from kimicheck.probe.report import fix_hint, render_json
from kimicheck.probe.result import BalanceData, Check, ProbeResult

__all__ = ["HELP", "configure", "render_balances", "run"]

HELP = f"""\
Show the account balance of PROVIDER (default: every provider with a balance endpoint), with the level
against warn_below / critical_below. One argument that names a file (or ends in .yaml/.yml) is taken as
CONFIG. Without CONFIG, uses $KIMICHECK_CONFIG, or {DEFAULT_PATH}.

exit codes:
  0  every balance read and not critical (warnings allowed)
  1  a balance is critical or could not be read
  2  usage error, or a config that does not load or has lint errors"""


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of `kimicheck balance`."""
    parser.add_argument("args", nargs="*", metavar="[PROVIDER] [CONFIG]", help="a provider name and/or the config")
    add_run_options(parser)


def _split(values: Sequence[str]) -> tuple[str | None, str | None]:
    """(provider, config) from the positional arguments."""
    if len(values) > 2:
        raise argparse.ArgumentTypeError("at most PROVIDER and CONFIG")
    if len(values) == 2:
        return values[0], values[1]
    if len(values) == 1:
        value = values[0]
        if value.endswith((".yaml", ".yml")) or Path(value).is_file():
            return None, value
        return value, None
    return None, None


def _amount(data: BalanceData) -> str:
    if data.available is None:
        return "unlimited"
    return f"{data.available:f}"


def render_balances(results: Sequence[ProbeResult]) -> str:
    """A table: provider, available, voucher, cash, currency, level (or the failure and its fix)."""
    header = ("PROVIDER", "AVAILABLE", "VOUCHER", "CASH", "CURRENCY", "LEVEL")
    rows: list[tuple[str, ...]] = []
    notes: dict[int, str] = {}
    for index, result in enumerate(results):
        data = result.data
        if isinstance(data, BalanceData):
            rows.append((result.provider, _amount(data),
                         f"{data.voucher:f}" if data.voucher is not None else "-",
                         f"{data.cash:f}" if data.cash is not None else "-",
                         data.currency or "-", str(data.level)))
        else:
            rows.append((result.provider, "-", "-", "-", "-", str(result.reason)))
        if result.reason.value not in {"ok", "unsupported"}:
            hint = fix_hint(result)
            notes[index] = f"    {result.detail}" + (f"\n    fix: {hint}" if hint else "")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()]
    for index, row in enumerate(rows):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if index in notes:
            lines.append(notes[index])
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Read the balances, print them and return the exit code."""
    try:
        provider, given = _split(args.args)
    except argparse.ArgumentTypeError as exc:
        streams.stderr.write(f"kimicheck balance: error: {exc}\n")
        return EXIT_USAGE
    path = config_path(given, streams.environ)
    config = load_checked_config(path, streams)
    if config is None:
        return EXIT_USAGE
    results = execute(config, path, args, streams, [Check.BALANCE], [provider] if provider else None)
    streams.stdout.write(render_json(results) if args.format == "json" else render_balances(results))
    return exit_code(results)
