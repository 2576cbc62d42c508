"""Output formats of `kimicheck lint`: each one turns file reports into a string and never prints.

Adding a format touches one new module and one line of `REPORTERS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from kimicheck.lint.finding import FileReport
from kimicheck.lint.reporters import github, jsonfmt, sarif, text

__all__ = ["REPORTERS", "Reporter", "render"]


class Reporter(Protocol):
    """A function from file reports to the text of one output format."""

    def __call__(self, reports: Sequence[FileReport], *, color: bool = False) -> str: ...


#: every output format by its `--format` name
REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": jsonfmt.render,
    "sarif": sarif.render,
    "github": github.render,
}


def render(fmt: str, reports: Sequence[FileReport], *, color: bool = False) -> str:
    """`reports` in the output format `fmt` (a key of `REPORTERS`); `color` only affects `text`."""
    try:
        reporter = REPORTERS[fmt]
    except KeyError:
        raise ValueError(f"unknown output format {fmt!r}; known: {', '.join(REPORTERS)}") from None
    return reporter(reports, color=color)
