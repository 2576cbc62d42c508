"""`kimicheck batches PROVIDER [CONFIG]`: the recent batches of a provider's account, read-only."""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime

from kimicheck.commands.shared import (
    CONFIG_ENV,
    DEFAULT_CONFIG_PATH,
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    Streams,
    add_run_options,
    config_path,
    execute,
    load_checked_config,
    provider_and_config,
    require_provider,
)
from kimicheck.config.models import BatchSettings, Config
from kimicheck.durations import parse_duration
from kimicheck.probe.batch import BATCH_PAGE_SIZE, MAX_BATCH_PAGES
from kimicheck.probe.batch_result import BatchData, BatchSummary
from kimicheck.probe.report import fix_hint, json_text
from kimicheck.probe.result import Check
from kimicheck.terminal import one_line

__all__ = ["HELP", "configure", "render_text", "run", "select"]

#: the window the check is given: the paging bound, not the window, limits what is read
_READ_ALL = 100 * 365 * 86400.0

HELP = f"""\
List the recent batches of PROVIDER's account, newest first: id, status, requests (completed/failed/total),
when each was created, and when it expires or ended (UTC). Sends only GETs, through the batch check (the
batch list, at most {MAX_BATCH_PAGES * BATCH_PAGE_SIZE} batches, and the file list); never creates, cancels or
downloads anything.
PROVIDER and CONFIG may come in either order: of the two, the one that is an existing file or ends in
.yaml/.yml is CONFIG. Without CONFIG, uses ${CONFIG_ENV}, or {DEFAULT_CONFIG_PATH}.

exit codes:
  0  the list was read
  1  the list could not be read (a kind without batch endpoints, a rejected key, an outage)
  2  usage error, or a config that does not load or has lint errors"""


def _since(value: str) -> float:
    try:
        return parse_duration(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of `kimicheck batches`."""
    parser.usage = "%(prog)s PROVIDER [CONFIG] [options]"
    parser.add_argument("provider", metavar="PROVIDER", help="the provider's name in the config")
    parser.add_argument("config", nargs="?", metavar="CONFIG", help="the config file (before or after PROVIDER)")
    parser.add_argument("--status", action="append", metavar="STATUS",
                        help="only batches with this status (repeat, or separate with commas: failed,expired)")
    parser.add_argument("--since", type=_since, metavar="DUR",
                        help="only batches created within this duration, e.g. 1h, 2d (default: all read)")
    add_run_options(parser)


def select(batches: Sequence[BatchSummary], statuses: set[str] | None, created_after: float | None,
           ) -> list[BatchSummary]:
    """The batches with one of `statuses` (all when None) created at `created_after` or later."""
    return [b for b in batches if (statuses is None or b.status in statuses)
            and (created_after is None or b.created_at >= created_after)]


def _when(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _row(batch: BatchSummary) -> list[str]:
    until = f"ended {_when(batch.ended_at)}" if batch.ended_at is not None else (
        f"expires {_when(batch.expires_at)}" if batch.expires_at is not None else "-")
    requests = f"{batch.completed}/{batch.failed}/{batch.total}"
    return [one_line(batch.id), one_line(batch.status), requests, _when(batch.created_at), until]


def render_text(batches: Sequence[BatchSummary]) -> str:
    """An aligned table with a header line (the header alone when there is no batch)."""
    rows = [["ID", "STATUS", "REQUESTS", "CREATED", "EXPIRES/ENDED"], *(_row(b) for b in batches)]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "".join("  ".join([*(c.ljust(w) for c, w in zip(row, widths, strict=False)), row[4]]) + "\n"
                   for row in rows)


def _reading(config: Config, name: str) -> Config:
    """`config` with the batch check on for `name`, over a window so wide only the paging bound limits it."""
    providers = [p.model_copy(update={"batch": BatchSettings(window=_READ_ALL)}) if p.name == name else p
                 for p in config.providers]
    return config.model_copy(update={"providers": providers})


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Print the provider's recent batches (text: a table; json: a document) and return the exit code."""
    name, given = provider_and_config(args.provider, args.config)
    path = config_path(given, streams.environ)
    config = load_checked_config(path, streams, command="batches", action="listing batches")
    if config is None:
        return EXIT_USAGE
    name = require_provider(name, config, path, "batches", "batches")
    [result] = execute(_reading(config, name), path, args, streams, [Check.BATCH], [name])
    if not isinstance(result.data, BatchData):
        streams.stderr.write(f"kimicheck batches: {name}: {result.reason}: {one_line(result.detail)}\n")
        hint = fix_hint(result, next(p for p in config.providers if p.name == name))
        if hint:
            streams.stderr.write(f"    fix: {one_line(hint)}\n")
        return EXIT_FAILURE
    statuses = {s.strip() for value in args.status for s in value.split(",") if s.strip()} if args.status else None
    since = streams.clock() - args.since if args.since is not None else None
    shown = select(result.data.batches, statuses, since)
    if args.format == "json":
        document = {"provider": result.provider, "batches": [dataclasses.asdict(b) for b in shown],
                    "complete": result.data.complete}
        streams.stdout.write(json_text(document))
    else:
        streams.stdout.write(render_text(shown))
    if not result.data.complete and (since is None or all(b.created_at >= since for b in result.data.batches)):
        streams.stderr.write(f"kimicheck batches: {name}: only the newest {len(result.data.batches)} batches "
                             "were read; older ones are not shown\n")
    return EXIT_OK
