"""Output formats of `kimicheck lint`: each one turns file reports into a string and never prints.

Adding a format touches one new module (with a `render` function) and one line of `REPORTERS`.
A format's module is imported only when that format is asked for: `kimicheck lint` starts faster
when it does not load the other three.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Protocol, cast

from kimicheck.lint.finding import FileReport

__all__ = ["REPORTERS", "Reporter", "render", "reporter"]


class Reporter(Protocol):
    """A function from file reports to the text of one output format."""

    def __call__(self, reports: Sequence[FileReport], *, color: bool = False) -> str: ...


#: every output format by its `--format` name, and the module whose `render` writes it
REPORTERS: dict[str, str] = {
    "text": "kimicheck.lint.reporters.text",
    "json": "kimicheck.lint.reporters.jsonfmt",
    "sarif": "kimicheck.lint.reporters.sarif",
    "github": "kimicheck.lint.reporters.github",
}


def reporter(fmt: str) -> Reporter:
    """The reporter of the output format `fmt` (a key of `REPORTERS`), importing only its module."""
    try:
        module = REPORTERS[fmt]
    except KeyError:
        raise ValueError(f"unknown output format {fmt!r}; known: {', '.join(REPORTERS)}") from None
    return cast(Reporter, importlib.import_module(module).render)


def render(fmt: str, reports: Sequence[FileReport], *, color: bool = False) -> str:
    """`reports` in the output format `fmt` (a key of `REPORTERS`); `color` only affects `text`."""
    return reporter(fmt)(reports, color=color)
