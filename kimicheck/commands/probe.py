"""`kimicheck probe`: live checks of /models, the balance endpoints and /chat/completions."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Mapping, Sequence
from pathlib import Path

from kimicheck.cli import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, Streams
from kimicheck.commands.lint import DEFAULT_PATH
from kimicheck.config.models import Config
from kimicheck.durations import parse_duration
from kimicheck.errors import UsageError
from kimicheck.lint.engine import CONFIG_SUFFIXES, lint_paths
from kimicheck.lint.reporters import render
from kimicheck.metrics.export import add_export_options, export_results
from kimicheck.probe.report import render_json, render_text
from kimicheck.probe.result import Check, ProbeResult
from kimicheck.probe.runner import ALL_CHECKS, DEFAULT_CONCURRENCY, run_probes

__all__ = [
    "HELP",
    "configure",
    "exit_code",
    "load_checked_config",
    "looks_like_config",
    "parse_checks",
    "parse_concurrency",
    "parse_timeout",
    "provider_and_config",
    "render_results",
    "run",
]

HELP = """\
Run live checks against every provider in a config (it is linted first: lint errors stop the run):

  models   the key is accepted and every configured model id is listed ("did you mean" otherwise)
  balance  the account balance against warn_below / critical_below (free)
  chat     one minimal completion per model with `chat: true` (costs a few tokens)

`--checks models,balance` runs only the free checks: the pre-deploy mode that spends nothing.
Without CONFIG, probes $KIMICHECK_CONFIG, or kimicheck.yaml.

exit codes:
  0  every check ok (warnings such as balance_low allowed)
  1  a check failed, or --textfile / --pushgateway failed (the results are printed all the same)
  2  usage error, or a config that does not load or has lint errors"""


def parse_checks(value: str) -> tuple[Check, ...]:
    """`models,balance` -> the checks, in the order they run; argparse type for --checks."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    known = {check.value for check in Check}
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown check {', '.join(map(repr, unknown)) or repr(value)}; choose from models, balance, chat"
        )
    return tuple(check for check in ALL_CHECKS if check.value in names)


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


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """--format, --timeout and --concurrency: shared by probe, models and balance."""
    parser.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    parser.add_argument("--timeout", type=parse_timeout, metavar="DUR",
                        help="total time one check may take, retries included (default: the config's timeout)")
    parser.add_argument("--concurrency", type=parse_concurrency, default=DEFAULT_CONCURRENCY, metavar="N",
                        help=f"checks in flight at once, over all providers (default: {DEFAULT_CONCURRENCY}; "
                        "one at a time per account: one key at one host)")


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of `kimicheck probe`."""
    parser.add_argument("config", nargs="?", metavar="CONFIG", help="the config file")
    add_run_options(parser)
    parser.add_argument("--checks", type=parse_checks, default=ALL_CHECKS, metavar="LIST",
                        help="comma-separated checks to run: models,balance,chat (default: all)")
    parser.add_argument("--provider", action="append", metavar="NAME",
                        help="probe only this provider (repeatable; default: all)")
    add_export_options(parser)


def load_checked_config(path: str, streams: Streams, *, command: str, action: str) -> Config | None:
    """The config at `path` if it lints without errors; else the findings go to stderr, with
    `kimicheck COMMAND: PATH has lint errors; fix them before ACTION`, and None comes back."""
    if Path(path).is_dir():
        raise UsageError(f"{path}: {command} takes one config file, not a directory")
    reports = lint_paths([Path(path)], check_env=False, environ=streams.environ)
    report = reports[0]
    if report.errors or report.config is None:
        streams.stderr.write(render("text", reports, color=False))
        streams.stderr.write(f"kimicheck {command}: {path} has lint errors; fix them before {action}\n")
        return None
    return report.config


def looks_like_config(value: str) -> bool:
    """An existing file or directory, or a name ending in .yaml/.yml."""
    return value.endswith(CONFIG_SUFFIXES) or Path(value).exists()


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


def config_path(given: str | None, environ: Mapping[str, str]) -> str:
    """CONFIG, else $KIMICHECK_CONFIG, else kimicheck.yaml."""
    return given or environ.get("KIMICHECK_CONFIG") or DEFAULT_PATH


def exit_code(results: Sequence[ProbeResult]) -> int:
    """0 when every result is ok (warnings allowed), 1 otherwise."""
    return EXIT_OK if all(result.ok for result in results) else EXIT_FAILURE


def render_results(results: Sequence[ProbeResult], config: Config, fmt: str) -> str:
    """The results in `fmt` ("text" or "json")."""
    if fmt == "json":
        return render_json(results)
    return render_text(results, {provider.name: provider for provider in config.providers})


def execute(config: Config, path: str, args: argparse.Namespace, streams: Streams,
            checks: Sequence[Check], providers: Sequence[str] | None) -> list[ProbeResult]:
    """Run the probes the options ask for (the one place the commands call the runner)."""
    return asyncio.run(run_probes(
        config, checks=checks, providers=providers, concurrency=args.concurrency, timeout=args.timeout,
        environ=streams.environ, base_dir=Path(path).parent,
    ))


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Lint the config, run the checks, print the results and return the exit code."""
    if args.job is not None and args.pushgateway is None:
        raise UsageError("--job names the Pushgateway group: use it with --pushgateway URL")
    path = config_path(args.config, streams.environ)
    config = load_checked_config(path, streams, command="probe", action="probing")
    if config is None:
        return EXIT_USAGE
    results = execute(config, path, args, streams, args.checks, args.provider)
    streams.stdout.write(render_results(results, config, args.format))
    problems = export_results(results, config, Path(path).read_bytes(), args, streams.environ)
    for problem in problems:
        streams.stderr.write(f"kimicheck probe: {problem}\n")
    return max(exit_code(results), EXIT_FAILURE if problems else EXIT_OK)
