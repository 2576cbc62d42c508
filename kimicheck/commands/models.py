"""`kimicheck models PROVIDER [CONFIG]`: the model ids a provider's key can see."""

from __future__ import annotations

import argparse

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
)
from kimicheck.errors import UsageError
from kimicheck.probe.models import describe_missing
from kimicheck.probe.report import fix_hint, json_text
from kimicheck.probe.result import Check, ModelsData
from kimicheck.terminal import one_line

__all__ = ["HELP", "configure", "run"]

HELP = f"""\
List the model ids PROVIDER's key can see (GET /models, after proving the key where the list is public),
one per line. Configured ids that are not listed are named on stderr with the closest listed ids.
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
    add_run_options(parser)


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Print the listed ids (text: one per line; json: a document) and return the exit code."""
    apply_catalog(args, streams)
    name, given = provider_and_config(args.provider, args.config)
    path = config_path(given, streams.environ)
    config = load_checked_config(path, streams, command="models", action="listing models")
    if config is None:
        return EXIT_USAGE
    if name is None:
        names = ", ".join(p.name for p in config.providers)
        raise UsageError(f"name the provider whose models to list: kimicheck models PROVIDER {path} (it has: {names})")
    [result] = execute(config, path, args, streams, [Check.MODELS], [name])
    if not isinstance(result.data, ModelsData):
        provider = next(p for p in config.providers if p.name == name)
        streams.stderr.write(f"kimicheck models: {name}: {result.reason}: {one_line(result.detail)}\n")
        hint = fix_hint(result, provider)
        if hint:
            streams.stderr.write(f"    fix: {one_line(hint)}\n")
        return EXIT_FAILURE
    data = result.data
    if args.format == "json":
        document = {"provider": result.provider, "models": list(data.listed),
                    "missing": [{"id": m.id, "suggestions": list(m.suggestions)} for m in data.missing]}
        streams.stdout.write(json_text(document))
    else:
        streams.stdout.write("".join(f"{one_line(model_id)}\n" for model_id in data.listed))
    for missing in data.missing:
        streams.stderr.write(f"kimicheck models: configured id {one_line(describe_missing(missing))}\n")
    return EXIT_FAILURE if data.missing else EXIT_OK
