"""`kimicheck probe`: live checks of /models, the balance endpoints and /chat/completions."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

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
    results_exit_code,
)
from kimicheck.config.files import Unreadable, read_file
from kimicheck.config.loader import MAX_BYTES
from kimicheck.config.models import Config
from kimicheck.errors import ConfigError, UsageError
from kimicheck.metrics.export import DEFAULT_JOB, export_results
from kimicheck.metrics.exposition import config_digest
from kimicheck.metrics.push import PASSWORD_ENV, USERNAME_ENV
from kimicheck.probe.report import render_json, render_text
from kimicheck.probe.result import Check, ProbeResult
from kimicheck.probe.runner import ALL_CHECKS
from kimicheck.secrets import redact
from kimicheck.terminal import one_line

__all__ = ["HELP", "add_export_options", "configure", "format_results", "parse_checks", "run"]

HELP = f"""\
Run live checks against every provider in a config (it is linted first: lint errors stop the run):

  models   the key is accepted and every configured model id is listed ("did you mean" otherwise)
  balance  the account balance against warn_below / critical_below (free)
  chat     one minimal completion per model with `chat: true` (costs a few tokens)

`--checks models,balance` runs only the free checks: the pre-deploy mode that spends nothing.
Without CONFIG, probes ${CONFIG_ENV}, or {DEFAULT_CONFIG_PATH}.

exit codes:
  0  every check ok (warnings such as balance_low allowed)
  1  a check failed, or --textfile / --pushgateway failed (the results are printed all the same)
  2  usage error, or a config that does not load or has lint errors"""


def parse_checks(value: str) -> tuple[Check, ...]:
    """`models,balance` -> the checks, in the order they run; argparse type for --checks."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    known = {check.value for check in ALL_CHECKS}
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown check {', '.join(map(repr, unknown)) or repr(value)}; choose from "
            f"{', '.join(check.value for check in ALL_CHECKS)}"
        )
    return tuple(check for check in ALL_CHECKS if check.value in names)


def add_export_options(parser: argparse.ArgumentParser) -> None:
    """--textfile, --pushgateway and --job."""
    parser.add_argument(
        "--textfile", type=Path, metavar="PATH",
        help="also write the results as Prometheus metrics to PATH, atomically (node_exporter's textfile "
        "collector reads *.prom files)",
    )
    parser.add_argument(
        "--pushgateway", metavar="URL",
        help=f"also push the results to this Prometheus Pushgateway (http or https; basic auth from "
        f"{USERNAME_ENV} and {PASSWORD_ENV}, which needs https unless the host is loopback)",
    )
    parser.add_argument("--job", metavar="NAME", help=f"the Pushgateway job name (default: {DEFAULT_JOB})")


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of `kimicheck probe`."""
    parser.add_argument("config", nargs="?", metavar="CONFIG", help="the config file")
    add_run_options(parser, formats=("text", "json", "html"))
    add_catalog_option(parser)
    parser.add_argument("--checks", type=parse_checks, default=ALL_CHECKS, metavar="LIST",
                        help="comma-separated checks to run: models,balance,chat,stream,tools,json "
                        "(default: all; the paid ones only for the models configured for them)")
    parser.add_argument("--provider", action="append", metavar="NAME",
                        help="probe only this provider (repeatable; default: all)")
    add_export_options(parser)


def format_results(results: Sequence[ProbeResult], config: Config, fmt: str, config_sha256: str = "") -> str:
    """The results in `fmt` ("text", "json" or "html")."""
    if fmt == "html":
        from kimicheck.serve.report import render_report  # the template engine only when asked for

        return render_report(results, config, config_sha256 or "0" * 64, time.time())
    if fmt == "json":
        return render_json(results)
    return render_text(results, {provider.name: provider for provider in config.providers})


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Lint the config, run the checks, print the results and return the exit code."""
    apply_catalog(args, streams)
    if args.job is not None and args.pushgateway is None:
        raise UsageError("--job names the Pushgateway group: use it with --pushgateway URL")
    path = config_path(args.config, streams.environ)
    config = load_checked_config(path, streams, command="probe", action="probing")
    if config is None:
        return EXIT_USAGE
    results = execute(config, path, args, streams, args.checks, args.provider)
    config_bytes = read_file(Path(path), MAX_BYTES)
    if isinstance(config_bytes, Unreadable):  # it was read moments ago: it changed while probing
        raise ConfigError(f"{path}: {config_bytes.reason}")
    streams.stdout.write(format_results(results, config, args.format, config_digest(config_bytes)))
    problems = export_results(
        results, config, config_bytes,
        textfile=args.textfile, pushgateway=args.pushgateway, job=args.job, environ=streams.environ,
    )
    for problem in problems:  # a Pushgateway's refusal quotes its answer: text from the network
        streams.stderr.write(f"kimicheck probe: {one_line(redact(problem))}\n")
    return max(results_exit_code(results), EXIT_FAILURE if problems else EXIT_OK)
