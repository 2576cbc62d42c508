"""`kimicheck balance [PROVIDER] [CONFIG]`: every provider's account balance against its thresholds."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence

from kimicheck.amounts import format_amount
from kimicheck.commands.shared import (
    CONFIG_ENV,
    DEFAULT_CONFIG_PATH,
    EXIT_USAGE,
    Streams,
    add_run_options,
    config_path,
    execute,
    load_checked_config,
    provider_and_config,
    results_exit_code,
)
from kimicheck.config.models import Provider
from kimicheck.probe.report import fix_hint, render_json
from kimicheck.probe.result import BalanceData, Check, ProbeResult
from kimicheck.terminal import one_line

__all__ = ["HELP", "configure", "render_balances", "run"]

HELP = f"""\
Show the account balance of PROVIDER (default: every provider with a balance endpoint), with the level
against warn_below / critical_below. PROVIDER and CONFIG may come in either order: of two arguments, the one
that is an existing file or ends in .yaml/.yml is CONFIG, and so is a single argument that is one. Without
CONFIG, uses ${CONFIG_ENV}, or {DEFAULT_CONFIG_PATH}.

exit codes:
  0  every balance read and not critical (warnings allowed)
  1  a balance is critical or could not be read
  2  usage error, or a config that does not load or has lint errors"""


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of `kimicheck balance`."""
    parser.usage = "%(prog)s [PROVIDER] [CONFIG] [options]"
    parser.add_argument("provider", nargs="?", metavar="PROVIDER",
                        help="the provider's name in the config (default: every provider)")
    parser.add_argument("config", nargs="?", metavar="CONFIG", help="the config file (before or after PROVIDER)")
    add_run_options(parser)


def _available_cell(data: BalanceData) -> str:
    """The AVAILABLE cell: the exact amount, or `unlimited` for a key without a spending limit."""
    if data.available is None:
        return "unlimited"
    return format_amount(data.available)


def render_balances(results: Sequence[ProbeResult], providers: Mapping[str, Provider]) -> str:
    """A table: provider, available, voucher, cash, currency, level (or the failure and its fix, the same
    `fix_hint` as `kimicheck probe` gives, which knows the provider's kind)."""
    header = ("PROVIDER", "AVAILABLE", "VOUCHER", "CASH", "CURRENCY", "LEVEL")
    rows: list[tuple[str, ...]] = []
    notes: dict[int, str] = {}
    for index, result in enumerate(results):
        data = result.data
        if isinstance(data, BalanceData):
            rows.append((one_line(result.provider), _available_cell(data),
                         format_amount(data.voucher) if data.voucher is not None else "-",
                         format_amount(data.cash) if data.cash is not None else "-",
                         one_line(data.currency or "-"), str(data.level)))
        else:
            rows.append((one_line(result.provider), "-", "-", "-", "-", str(result.reason)))
        if result.reason.value not in {"ok", "unsupported"}:
            hint = one_line(fix_hint(result, providers.get(result.provider)))
            notes[index] = f"    {one_line(result.detail)}" + (f"\n    fix: {hint}" if hint else "")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()]
    for index, row in enumerate(rows):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if index in notes:
            lines.append(notes[index])
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Read the balances, print them and return the exit code."""
    provider, given = provider_and_config(args.provider, args.config)
    path = config_path(given, streams.environ)
    config = load_checked_config(path, streams, command="balance", action="reading balances")
    if config is None:
        return EXIT_USAGE
    results = execute(config, path, args, streams, [Check.BALANCE], [provider] if provider else None)
    providers = {p.name: p for p in config.providers}
    streams.stdout.write(render_json(results) if args.format == "json" else render_balances(results, providers))
    return results_exit_code(results)
