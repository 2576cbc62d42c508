"""Generated configs of n items in the shapes that once made lint or a reporter quadratic.

Each shape is a function of n; the scaling tests and `tests/benchmarks/bench_lint.py` time the same
work (lint, then every output format) on n and on 4n items.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from kimicheck.lint.engine import lint_text
from kimicheck.lint.reporters import REPORTERS, reporter

__all__ = ["SHAPES", "lint_and_report", "seconds"]

_HEAD = "version: 1\nproviders:\n"
_PROVIDER = ("  - name: kimi\n    kind: moonshot\n    base_url: https://api.moonshot.ai/v1\n"
             "    api_key_env: MOONSHOT_API_KEY\n    models: [kimi-k2.6]\n")
_FLOW = ("{{name: p{index}, kind: moonshot, base_url: 'https://api.moonshot.ai/v1', api_key_env: K, "
         "models: [kimi-k2.6]{extra}}}")
#: key-shaped but not a key of anyone: what the secret rules look for
_KEY = "sk-" + "a1B2c3D4e5" * 4


def _one_line(n: int, extra: str) -> str:
    """A whole config on one line: n providers in flow style, each with `extra`."""
    providers = ", ".join(_FLOW.format(index=index, extra=extra) for index in range(n))
    return f"{{version: 1, providers: [{providers}]}}\n"


#: shape name -> config text of n items
SHAPES: dict[str, Callable[[int], str]] = {
    # n unknown keys in one mapping: each is a pydantic error, and each was compared with every other
    "unknown keys in one mapping": lambda n: _HEAD + _PROVIDER + "".join(f"    x{i}: 1\n" for i in range(n)),
    # n findings on one long line: the text reporter masked the whole line once per finding
    "duplicate ids on one line": lambda n: _HEAD + _PROVIDER.replace(
        "[kimi-k2.6]", "[" + ", ".join(["kimi-k2.6"] * n) + "]"),
    # n invalid quoted numbers on one line: each split the whole text into lines
    "quoted numbers on one line": lambda n: _one_line(n, ", timeout: '20'"),
    # n literal keys on one line: each key-shaped token was tested against every reported key
    "literal keys on one line": lambda n: _one_line(n, f", api_key: {_KEY}"),
    # n suppressed findings: each finding was tested against every suppression comment
    "suppression comments": lambda n: _HEAD + _PROVIDER + "".join(
        f"    extra_key_{i}: 1  # kimicheck: disable=unknown-key\n" for i in range(n)),
}


def lint_and_report(text: str) -> None:
    """Lint `text` and render the report in every output format."""
    report = lint_text(text, "kimicheck.yaml")
    for fmt in REPORTERS:
        reporter(fmt)([report])


def seconds(text: str, runs: int = 2) -> float:
    """The shortest CPU time of `runs` runs of `lint_and_report` on `text`."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        started = time.process_time()
        lint_and_report(text)
        best = min(best, time.process_time() - started)
    return best
