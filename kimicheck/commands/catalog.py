"""`kimicheck catalog`: print the model catalog kimicheck judges model ids by (text or JSON), for a kind or host."""

from __future__ import annotations

import argparse
import json

from kimicheck.commands.shared import CATALOG_ENV, EXIT_OK, Streams, add_catalog_option, apply_catalog, write_text
from kimicheck.errors import UsageError
from kimicheck.providers import KNOWN_HOSTS, Catalog, CatalogEntry, Kind, catalog_kind

__all__ = ["HELP", "configure", "render_json", "render_text", "run"]

HELP = f"""\
Print the model catalog: for each provider kind whose own hosts kimicheck knows, every model id with its
status, deprecation and retirement dates, replacement, context length and thinking mode, the date the
catalog's facts were gathered (as_of) and their sources. `kimicheck lint` reports retired and deprecated ids
from it (KC208, KC209); the simulator serves its active models.

The catalog ships with kimicheck. To use a newer one without upgrading, pass --catalog FILE (or set
${CATALOG_ENV}) to this and every other command that reads it."""

_COLUMNS = ("id", "status", "deprecated_on", "retires_on", "replacement", "context", "thinking")


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of `kimicheck catalog`."""
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--kind", choices=[k.value for k in Kind], help="only this provider kind's models")
    which.add_argument("--host", metavar="HOST",
                       help="only the models of the kind this host serves (api.moonshot.ai, or a base URL)")
    parser.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    add_catalog_option(parser)


def _kinds(args: argparse.Namespace, catalog: Catalog) -> list[Kind]:
    """The kinds to print: the one --kind or --host names, else every kind of the catalog."""
    if args.kind is not None:
        return [Kind(args.kind)]
    if args.host is not None:
        url = args.host if "://" in args.host else f"https://{args.host}/"
        kind = catalog_kind(url)
        if kind is None:
            hosts = ", ".join(h.host for h in KNOWN_HOSTS if catalog_kind(h.base_url) is not None)
            raise UsageError(f"{args.host} is not a host the catalog describes (those are: {hosts})")
        return [kind]
    return list(catalog.kinds)


def _cells(entry: CatalogEntry) -> tuple[str, ...]:
    def cell(value: object) -> str:
        return "-" if value is None else str(value)

    return (entry.id, entry.status.value, cell(entry.deprecated_on), cell(entry.retires_on), cell(entry.replacement),
            cell(entry.context_length), cell(entry.thinking and entry.thinking.value))


def render_text(catalog: Catalog, kinds: list[Kind]) -> str:
    """The catalog as tables, one per kind, then its sources."""
    lines = [f"model catalog as of {catalog.as_of} (status as of that date; the live GET /models wins)"]
    sources: dict[str, None] = {}
    for kind in kinds:
        rows = [_COLUMNS, *(_cells(entry) for entry in catalog.entries(kind))]
        widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
        lines += ["", f"{kind.value}:"]
        lines += ["  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
        if len(rows) == 1:
            lines.append("  (no models)")
        sources.update(dict.fromkeys(entry.source for entry in catalog.entries(kind)))
    if sources:
        lines += ["", "sources:", *(f"  {source}" for source in sources)]
    return "\n".join(lines) + "\n"


def render_json(catalog: Catalog, kinds: list[Kind]) -> str:
    """The validated catalog as JSON, only `kinds` kept."""
    data = catalog.model_dump(mode="json")
    data["kinds"] = {kind.value: data["kinds"][kind.value] for kind in kinds if kind.value in data["kinds"]}
    return json.dumps(data, indent=2) + "\n"


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Print the catalog (or one kind of it) and return 0."""
    catalog = apply_catalog(args, streams)
    kinds = _kinds(args, catalog)
    write_text(streams.stdout, (render_json if args.format == "json" else render_text)(catalog, kinds))
    return EXIT_OK
