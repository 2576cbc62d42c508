"""The one-line summary that ends the text and github outputs."""

from __future__ import annotations

from collections.abc import Sequence

from kimicheck.lint.finding import FileReport

__all__ = ["plural", "summary_line"]


def plural(count: int, noun: str) -> str:
    """`1 error`, `2 errors`, `0 files`."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def summary_line(reports: Sequence[FileReport]) -> str:
    """`2 errors, 1 warning in 1 file`, or `no problems in 3 files` (no trailing newline)."""
    errors = sum(r.errors for r in reports)
    warnings = sum(r.warnings for r in reports)
    files = plural(len(reports), "file")
    if not errors and not warnings:
        return f"no problems in {files}"
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {files}"
