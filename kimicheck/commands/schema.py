"""`kimicheck schema`: print the config format's JSON Schema."""

from __future__ import annotations

import argparse

from kimicheck.commands.shared import EXIT_OK, Streams

__all__ = ["HELP", "configure", "run"]

HELP = """\
Print the JSON Schema (draft 2020-12) of the config format, version 1, generated from the same models
`kimicheck lint` validates with. Point your editor at it for completion and inline errors:

  # yaml-language-server: $schema=./kimicheck.schema.json

The schema knows the shape of a config; `kimicheck lint` also knows the providers."""


def configure(parser: argparse.ArgumentParser) -> None:
    """`kimicheck schema` takes no options."""


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Write the schema to stdout."""
    from kimicheck.schema import schema_json

    streams.stdout.write(schema_json())
    return EXIT_OK
