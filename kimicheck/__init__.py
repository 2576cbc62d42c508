"""kimicheck: lint, probe and monitor Kimi (Moonshot AI) and OpenAI-compatible provider configs.

The names below are the public Python surface. They are imported on first use, so `import kimicheck`
(and `kimicheck lint`) stays free of the network, server and metrics stacks.

    from kimicheck import lint_paths, run_probes
    reports = lint_paths([Path("kimicheck.yaml")])
    results = asyncio.run(run_probes(reports[0].config, checks=ALL_CHECKS))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

#: public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    "Config": "kimicheck.config.models",
    "Provider": "kimicheck.config.models",
    "FileReport": "kimicheck.lint.finding",
    "Finding": "kimicheck.lint.finding",
    "Severity": "kimicheck.lint.finding",
    "lint_paths": "kimicheck.lint.engine",
    "lint_text": "kimicheck.lint.engine",
    "ALL_CHECKS": "kimicheck.probe.runner",
    "FREE_CHECKS": "kimicheck.probe.runner",
    "Check": "kimicheck.probe.result",
    "ProbeResult": "kimicheck.probe.result",
    "Reason": "kimicheck.probe.result",
    "run_probes": "kimicheck.probe.runner",
    "render_results": "kimicheck.metrics.exposition",
    "KimicheckError": "kimicheck.errors",
    "ConfigError": "kimicheck.errors",
    "InputError": "kimicheck.errors",
    "UsageError": "kimicheck.errors",
}

__all__ = [
    "ALL_CHECKS",
    "FREE_CHECKS",
    "Check",
    "Config",
    "ConfigError",
    "FileReport",
    "Finding",
    "InputError",
    "KimicheckError",
    "ProbeResult",
    "Provider",
    "Reason",
    "Severity",
    "UsageError",
    "__version__",
    "lint_paths",
    "lint_text",
    "render_results",
    "run_probes",
]

if TYPE_CHECKING:
    from kimicheck.config.models import Config, Provider
    from kimicheck.errors import ConfigError, InputError, KimicheckError, UsageError
    from kimicheck.lint.engine import lint_paths, lint_text
    from kimicheck.lint.finding import FileReport, Finding, Severity
    from kimicheck.metrics.exposition import render_results
    from kimicheck.probe.result import Check, ProbeResult, Reason
    from kimicheck.probe.runner import ALL_CHECKS, FREE_CHECKS, run_probes


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kimicheck' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
