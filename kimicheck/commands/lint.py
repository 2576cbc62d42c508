"""`kimicheck lint` (not built yet)."""

from __future__ import annotations

import argparse

from kimicheck.cli import EXIT_USAGE, Streams

HELP = "not available yet"


def configure(parser: argparse.ArgumentParser) -> None:
    """No options yet."""


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Say the command is not available yet."""
    streams.stderr.write("kimicheck lint: not available in this build yet\n")
    return EXIT_USAGE
