"""The one-shot export of `kimicheck probe`: `--textfile PATH` and `--pushgateway URL [--job NAME]`.

Both get the metrics of `kimicheck serve`'s `/metrics` without the reload metrics, and only for the
(provider, check) pairs this run probed (see `exposition.render_results`). A failure is returned as a message,
so the results are still printed and the command only changes its exit code.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path

from kimicheck.config.models import Config
from kimicheck.errors import KimicheckError
from kimicheck.metrics.exposition import config_digest, render_results
from kimicheck.metrics.push import PASSWORD_ENV, USERNAME_ENV, push_results
from kimicheck.metrics.textfile import write_textfile
from kimicheck.probe.result import ProbeResult

__all__ = ["DEFAULT_JOB", "add_export_options", "export_results"]

DEFAULT_JOB = "kimicheck"


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


def export_results(
    results: Sequence[ProbeResult],
    config: Config,
    config_bytes: bytes,
    args: argparse.Namespace,
    environ: Mapping[str, str],
) -> list[str]:
    """Write and push what the options ask for; the messages of what failed (empty: all done)."""
    if args.textfile is None and args.pushgateway is None:
        return []
    data = render_results(results, config, config_sha256=config_digest(config_bytes))
    problems = []
    if args.textfile is not None:
        try:
            write_textfile(args.textfile, data)
        except KimicheckError as exc:
            problems.append(f"textfile not written: {exc}")
    if args.pushgateway is not None:
        try:
            push_results(args.pushgateway, args.job or DEFAULT_JOB, data, environ)
        except KimicheckError as exc:
            problems.append(f"push failed: {exc}")
    return problems
