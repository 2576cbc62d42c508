"""The one-shot export of `kimicheck probe`: a textfile, a Pushgateway, or both.

Both get the metrics of `kimicheck serve`'s `/metrics` without the reload metrics, and only for the
(provider, check) pairs this run probed (see `exposition.render_results`). A failure is returned as a message,
so the results are still printed and the command only changes its exit code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from kimicheck.config.models import Config
from kimicheck.errors import KimicheckError
from kimicheck.metrics.exposition import config_digest, render_results
from kimicheck.metrics.push import push_results
from kimicheck.metrics.textfile import write_textfile
from kimicheck.probe.result import ProbeResult

__all__ = ["DEFAULT_JOB", "export_results"]

#: the Pushgateway job name when none is given
DEFAULT_JOB = "kimicheck"


def export_results(
    results: Sequence[ProbeResult],
    config: Config,
    config_bytes: bytes,
    *,
    textfile: Path | None = None,
    pushgateway: str | None = None,
    job: str | None = None,
    environ: Mapping[str, str],
) -> list[str]:
    """Write the results to `textfile` and push them to `pushgateway` (as `job`), where given;
    the messages of what failed (empty: all done, or nothing asked)."""
    if textfile is None and pushgateway is None:
        return []
    data = render_results(results, config, config_sha256=config_digest(config_bytes))
    problems = []
    if textfile is not None:
        try:
            write_textfile(textfile, data)
        except KimicheckError as exc:
            problems.append(f"textfile not written: {exc}")
    if pushgateway is not None:
        try:
            push_results(pushgateway, job or DEFAULT_JOB, data, environ)
        except KimicheckError as exc:
            problems.append(f"push failed: {exc}")
    return problems
