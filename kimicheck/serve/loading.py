"""Loading the config for `kimicheck serve`: read, lint, and either a usable config or why not.

A config with lint errors is refused (a reload keeps the one already running); warnings do not stop it.
The outcome is data, so the caller decides whether a failure ends start-up or only a reload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kimicheck.config.files import Unreadable, read_file
from kimicheck.config.loader import MAX_BYTES
from kimicheck.config.models import Config
from kimicheck.lint.engine import lint_bytes
from kimicheck.lint.finding import Severity
from kimicheck.metrics.exposition import config_digest

__all__ = ["LoadFailure", "UsableConfig", "load_config"]


@dataclass(frozen=True)
class UsableConfig:
    """A config that passed lint, with the SHA-256 of its bytes and the folder relative key files live in."""

    config: Config
    sha256: str
    base_dir: Path


@dataclass(frozen=True)
class LoadFailure:
    """Why a config cannot be used: a one-line message for the log and the reload answer."""

    message: str


def load_config(path: Path) -> UsableConfig | LoadFailure:
    """Read and lint the config at `path` (blocking: a reload runs it in a worker thread)."""
    data = read_file(path, MAX_BYTES)
    if isinstance(data, Unreadable):
        return LoadFailure(f"{path}: {data.reason}")
    report = lint_bytes(data, str(path), today=date.today())  # a long-running server judges on each load's day
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    if errors or report.config is None:
        if not errors:
            return LoadFailure(f"{path}: not a usable config")
        first = errors[0]
        more = f" (and {len(errors) - 1} more; run kimicheck lint)" if len(errors) > 1 else ""
        return LoadFailure(f"{first.path}:{first.line}:{first.column}: {first.message} [{first.rule}]{more}")
    return UsableConfig(config=report.config, sha256=config_digest(data), base_dir=path.resolve().parent)
