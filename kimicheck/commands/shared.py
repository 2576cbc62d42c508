"""What the commands share: exit codes, streams, the config path, and the options of the probing commands.

Commands import from here, never from one another or from `kimicheck.cli`. `kimicheck lint` imports this
module too, so whatever only the probing commands (probe, models, balance) need is imported inside the
function that needs it: the network stack must stay out of lint's start-up.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from kimicheck.durations import parse_duration

if TYPE_CHECKING:
    from kimicheck.config.models import Config
    from kimicheck.probe.result import Check, ProbeResult
    from kimicheck.providers import Catalog

__all__ = [
    "CATALOG_ENV",
    "CONFIG_ENV",
    "DEFAULT_CONFIG_PATH",
    "EXIT_BROKEN_PIPE",
    "EXIT_FAILURE",
    "EXIT_OK",
    "EXIT_USAGE",
    "Streams",
    "add_catalog_option",
    "add_run_options",
    "apply_catalog",
    "catalog_path",
    "config_path",
    "execute",
    "load_checked_config",
    "looks_like_config",
    "parse_concurrency",
    "parse_timeout",
    "provider_and_config",
    "results_exit_code",
    "split_host_port",
    "write_text",
]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
#: what a shell reports for a tool killed by SIGPIPE (128 + 13)
EXIT_BROKEN_PIPE = 141

#: the config a command reads when none is given, and the variable that overrides it
DEFAULT_CONFIG_PATH = "kimicheck.yaml"
CONFIG_ENV = "KIMICHECK_CONFIG"
#: the variable naming a model catalog to use instead of the shipped one
CATALOG_ENV = "KIMICHECK_CATALOG"


@dataclass
class Streams:
    """Where a command reads and writes; tests pass StringIO objects."""

    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    #: the day model lifecycles are judged on (`kimicheck models`); tests pass a fixed one
    today: Callable[[], date] = field(default=date.today)
    #: the wall clock (Unix seconds) a command compares times with; tests inject their own
    clock: Callable[[], float] = time.time


def config_path(given: str | None, environ: Mapping[str, str]) -> str:
    """CONFIG, else $KIMICHECK_CONFIG, else kimicheck.yaml."""
    return given or environ.get(CONFIG_ENV) or DEFAULT_CONFIG_PATH


def catalog_path(given: str | None, environ: Mapping[str, str]) -> str | None:
    """--catalog FILE, else $KIMICHECK_CATALOG, else None (the shipped catalog)."""
    return given or environ.get(CATALOG_ENV) or None


def add_catalog_option(parser: argparse.ArgumentParser) -> None:
    """--catalog FILE: shared by every command that reads the model catalog."""
    parser.add_argument("--catalog", metavar="FILE", default=None,
                        help=f"the model catalog to use instead of the shipped one (default: ${CATALOG_ENV}, "
                        "else the catalog shipped with kimicheck; `kimicheck catalog` prints it)")


def apply_catalog(args: argparse.Namespace, streams: Streams) -> Catalog:
    """The catalog --catalog or $KIMICHECK_CATALOG names (else the shipped one), made the process's catalog.

    A file that is not a usable catalog is a usage error listing every problem as `FILE:LINE:COL: message`.
    """
    from kimicheck.providers import current_catalog, use_catalog

    path = catalog_path(getattr(args, "catalog", None), streams.environ)
    if path is None:
        use_catalog(None)
        return current_catalog()
    from kimicheck.config.catalog_file import read_catalog
    from kimicheck.errors import UsageError

    found = read_catalog(Path(path))
    if isinstance(found, list):
        lines = "\n".join(problem.render(path) for problem in found)
        raise UsageError(f"{path} is not a usable model catalog:\n{lines}")
    use_catalog(found)
    return found


def write_text(stream: TextIO, text: str) -> None:
    """Write `text`; characters the stream's encoding lacks (an ASCII terminal) become `\\uXXXX` escapes."""
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = stream.encoding or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding))


def split_host_port(value: str) -> tuple[str, int] | None:
    """`HOST:PORT` (IPv6 in brackets) as a host and a port, or None when it is not one."""
    host, sep, port = value.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        return None
    return host, int(port)


def parse_timeout(value: str) -> float:
    """A duration ("10s", "500ms", or seconds); argparse type for --timeout."""
    try:
        return parse_duration(value if not value.replace(".", "", 1).isdigit() else float(value))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def parse_concurrency(value: str) -> int:
    """A positive integer; argparse type for --concurrency."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return int(value)


def add_run_options(parser: argparse.ArgumentParser, formats: tuple[str, ...] = ("text", "json")) -> None:
    """--format (one of `formats`), --timeout and --concurrency: shared by probe, models and balance."""
    from kimicheck.probe.runner import DEFAULT_CONCURRENCY

    parser.add_argument("--format", choices=list(formats), default="text", help="output format (default: text)")
    parser.add_argument("--timeout", type=parse_timeout, metavar="DUR",
                        help="total time one check may take, retries included (default: the config's timeout)")
    parser.add_argument("--concurrency", type=parse_concurrency, default=DEFAULT_CONCURRENCY, metavar="N",
                        help=f"checks in flight at once, over all providers (default: {DEFAULT_CONCURRENCY}; "
                        "one at a time per account: one key at one host)")


def load_checked_config(path: str, streams: Streams, *, command: str, action: str) -> Config | None:
    """The config at `path` if it lints without errors; else the findings go to stderr, with
    `kimicheck COMMAND: PATH has lint errors; fix them before ACTION`, and None comes back."""
    from kimicheck.errors import UsageError
    from kimicheck.lint.engine import lint_paths
    from kimicheck.lint.reporters import render

    if Path(path).is_dir():
        raise UsageError(f"{path}: {command} takes one config file, not a directory")
    reports = lint_paths([Path(path)], check_env=False, environ=streams.environ, today=streams.today())
    report = reports[0]
    if report.errors or report.config is None:
        streams.stderr.write(render("text", reports, color=False))
        streams.stderr.write(f"kimicheck {command}: {path} has lint errors; fix them before {action}\n")
        return None
    return report.config


def looks_like_config(value: str) -> bool:
    """An existing file or directory, or a name ending in .yaml/.yml."""
    from kimicheck.lint.engine import CONFIG_SUFFIXES

    return value.endswith(CONFIG_SUFFIXES) or Path(value).exists()


def require_provider(name: str | None, config: Config, path: str, command: str, what: str) -> str:
    """`name`, or a usage error that says how to name one and lists the config's providers."""
    if name is not None:
        return name
    from kimicheck.errors import UsageError

    names = ", ".join(p.name for p in config.providers)
    raise UsageError(f"name the provider whose {what} to list: kimicheck {command} PROVIDER {path} (it has: {names})")


def provider_and_config(first: str | None, second: str | None) -> tuple[str | None, str | None]:
    """(PROVIDER, CONFIG) from the positional arguments of `models` and `balance`, in either order.

    Of two arguments, the one that looks like a config is CONFIG when the other does not; otherwise they are
    taken as PROVIDER CONFIG, the order of the usage line. A single argument is CONFIG when it looks like one.
    """
    if first is not None and second is not None:
        if looks_like_config(first) and not looks_like_config(second):
            return second, first
        return first, second
    only = first if first is not None else second
    if only is not None and looks_like_config(only):
        return None, only
    return only, None


def results_exit_code(results: Sequence[ProbeResult]) -> int:
    """0 when every probe result is ok (warnings allowed), 1 otherwise."""
    return EXIT_OK if all(result.ok for result in results) else EXIT_FAILURE


def execute(config: Config, path: str, args: argparse.Namespace, streams: Streams,
            checks: Sequence[Check], providers: Sequence[str] | None) -> list[ProbeResult]:
    """Run the probes the options ask for (the one place the commands call the runner)."""
    import asyncio

    from kimicheck.probe.runner import run_probes

    return asyncio.run(run_probes(
        config, checks=checks, providers=providers, concurrency=args.concurrency, timeout=args.timeout,
        environ=streams.environ, base_dir=Path(path).parent,
    ))
