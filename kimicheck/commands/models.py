"""`kimicheck models PROVIDER [CONFIG]`: the model ids a provider's key can see."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date

from kimicheck.commands.shared import (
    CONFIG_ENV,
    DEFAULT_CONFIG_PATH,
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    Streams,
    add_catalog_option,
    add_run_options,
    apply_catalog,
    config_path,
    execute,
    load_checked_config,
    provider_and_config,
    require_provider,
)
from kimicheck.config.models import Provider
from kimicheck.probe.models import describe_missing
from kimicheck.probe.report import fix_hint, json_text
from kimicheck.probe.result import Check, ModelsData
from kimicheck.providers import Catalog, CatalogEntry, Kind, described_kind, lifecycle
from kimicheck.terminal import one_line

__all__ = ["HELP", "configure", "run"]

HELP = f"""\
List the model ids PROVIDER's key can see (GET /models, after proving the key where the list is public),
one per line. Configured ids that are not listed are named on stderr with the closest listed ids.
On a terminal, or with --long, a table also shows what the model catalog knows of each id on today's date
(status, retirement date, replacement, context length), and marks the ids it lacks `not in catalog`: new
models, or a catalog older than the list (`kimicheck catalog`). With --long, --format json adds the same
facts (`catalog`, `entries`).
PROVIDER and CONFIG may come in either order: of the two, the one that is an existing file or ends in
.yaml/.yml is CONFIG. Without CONFIG, uses ${CONFIG_ENV}, or {DEFAULT_CONFIG_PATH}.

exit codes:
  0  the list was read and every configured id is in it
  1  the list could not be read, or a configured id is missing
  2  usage error, or a config that does not load or has lint errors"""


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of `kimicheck models`."""
    parser.usage = "%(prog)s PROVIDER [CONFIG] [options]"
    parser.add_argument("provider", metavar="PROVIDER", help="the provider's name in the config")
    add_catalog_option(parser)
    parser.add_argument("config", nargs="?", metavar="CONFIG", help="the config file (before or after PROVIDER)")
    parser.add_argument("-l", "--long", action="store_true",
                        help="the catalog's facts of each id: a table (the default on a terminal), or `catalog` and "
                        "`entries` in JSON")
    add_run_options(parser)


NOT_IN_CATALOG = "not in catalog"


@dataclass(frozen=True)
class Row:
    """One listed id with what the catalog knows of it on a day (entry None: the catalog lacks it)."""

    id: str
    entry: CatalogEntry | None
    status: str
    listed_context: int | None


def catalog_rows(data: ModelsData, catalog: Catalog, kind: Kind | None, today: date) -> list[Row]:
    """Every listed id, in the provider's order, with its catalog entry and its status on `today`."""
    rows = []
    for model_id in data.listed:
        entry = catalog.entry(kind, model_id) if kind is not None else None
        status = lifecycle(entry, today).value if entry is not None else NOT_IN_CATALOG if kind else "-"
        rows.append(Row(model_id, entry, status, data.context_lengths.get(model_id)))
    return rows


def _text_or_dash(value: object) -> str:
    return "-" if value is None else str(value)


def _context_cell(row: Row) -> str:
    known = row.entry.context_length if row.entry is not None else None
    if row.listed_context is not None and known is not None and row.listed_context != known:
        return f"{known} (listed {row.listed_context})"
    return _text_or_dash(known if known is not None else row.listed_context)


def render_table(rows: list[Row], catalog: Catalog, kind: Kind | None, today: date) -> str:
    """The listed ids as a table with the catalog's facts, a heading line and a count of the ids it lacks."""
    if kind is None:
        head = "the model catalog does not describe this host's ids (a gateway or Kimi Code keeps its own list)"
    else:
        head = f"{kind.value} model catalog as of {catalog.as_of}, status on {today}"
    cells = [("ID", "STATUS", "RETIRES", "REPLACEMENT", "CONTEXT")]
    for row in rows:
        entry = row.entry
        cells.append((one_line(row.id), row.status, _text_or_dash(entry and entry.retires_on),
                      _text_or_dash(entry and entry.replacement), _context_cell(row)))
    widths = [max(len(line[i]) for line in cells) for i in range(len(cells[0]))]
    lines = [head, *("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in cells)]
    unknown = sum(row.status == NOT_IN_CATALOG for row in rows)
    if unknown:
        lines.append(f"{unknown} listed {'id is' if unknown == 1 else 'ids are'} not in the catalog: new models, "
                     "or a catalog older than the list (kimicheck catalog; --catalog FILE for a newer one)")
    return "\n".join(lines) + "\n"


def catalog_json(rows: list[Row], catalog: Catalog, kind: Kind | None, today: date) -> dict[str, object]:
    """The keys `--format json` adds: the catalog used and, per listed id, what it knows."""
    def entry_json(row: Row) -> dict[str, object]:
        entry = row.entry
        return {"id": row.id, "in_catalog": entry is not None, "status": None if entry is None else row.status,
                "deprecated_on": entry and entry.deprecated_on and entry.deprecated_on.isoformat(),
                "retires_on": entry and entry.retires_on and entry.retires_on.isoformat(),
                "replacement": entry and entry.replacement,
                "context_length": entry and entry.context_length, "listed_context_length": row.listed_context}

    return {"catalog": {"as_of": catalog.as_of.isoformat(), "kind": kind and kind.value, "today": today.isoformat()},
            "entries": [entry_json(row) for row in rows]}


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Print the listed ids (text: one per line, or a table; json: a document) and return the exit code."""
    catalog = apply_catalog(args, streams)
    name, given = provider_and_config(args.provider, args.config)
    path = config_path(given, streams.environ)
    config = load_checked_config(path, streams, command="models", action="listing models")
    if config is None:
        return EXIT_USAGE
    name = require_provider(name, config, path, "models", "models")
    [result] = execute(config, path, args, streams, [Check.MODELS], [name])
    if not isinstance(result.data, ModelsData):
        provider = next(p for p in config.providers if p.name == name)
        streams.stderr.write(f"kimicheck models: {name}: {result.reason}: {one_line(result.detail)}\n")
        hint = fix_hint(result, provider)
        if hint:
            streams.stderr.write(f"    fix: {one_line(hint)}\n")
        return EXIT_FAILURE
    data, provider = result.data, next(p for p in config.providers if p.name == name)
    streams.stdout.write(_listing(args, streams, data, provider, catalog))
    for missing in data.missing:
        streams.stderr.write(f"kimicheck models: configured id {one_line(describe_missing(missing))}\n")
    return EXIT_FAILURE if data.missing else EXIT_OK


def _listing(args: argparse.Namespace, streams: Streams, data: ModelsData, provider: Provider,
             catalog: Catalog) -> str:
    """What goes to stdout: the JSON document, the table, or the ids one per line."""
    kind, today = described_kind(provider.base_url, provider.kind), streams.today()
    if args.format == "json":
        document: dict[str, object] = {
            "provider": provider.name, "models": list(data.listed),
            "missing": [{"id": m.id, "suggestions": list(m.suggestions)} for m in data.missing]}
        if args.long:  # the document's keys stay as they were without it: scripts compare it whole
            document.update(catalog_json(catalog_rows(data, catalog, kind, today), catalog, kind, today))
        return json_text(document)
    if args.long or streams.stdout.isatty():
        return render_table(catalog_rows(data, catalog, kind, today), catalog, kind, today)
    return "".join(f"{one_line(model_id)}\n" for model_id in data.listed)
