"""The human format: `path:line:col: severity[RULE] message`, the quoted source line, carets and a hint.

```
kimicheck.yaml:6:5: error[KC003] unknown key 'api_key_evn'
  6 |     api_key_evn: MOONSHOT_API_KEY
    |     ^^^^^^^^^^^
    = hint: did you mean 'api_key_env'?

1 error, 0 warnings in 1 file
```
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from kimicheck.config.document import LINE_BREAK
from kimicheck.lint.finding import FileReport, Finding
from kimicheck.lint.reporters.summary import summary_line
from kimicheck.secrets import KEY_PATTERN, URL_PASSWORD, looks_like_key
from kimicheck.terminal import one_line, visible

__all__ = ["render"]

_TOKEN = re.compile(r"[A-Za-z0-9_\-.]{20,}")
#: quoted lines longer than this are shown as a window around the column
_MAX_WIDTH = 160
_CONTEXT = 60

#: paint(style, text): `text` in the ANSI style of that name, or unchanged without color
_Paint = Callable[[str, str], str]
_RESET = "\033[0m"
_STYLE = {
    "path": "\033[1m",
    "error": "\033[1;31m",
    "warning": "\033[1;33m",
    "gutter": "\033[34m",
    "hint": "\033[36m",
    "ok": "\033[1;32m",
}


def render(reports: Sequence[FileReport], *, color: bool = False) -> str:
    """Every finding with its source line, then the summary line."""
    paint = _painter(color)
    blocks: list[str] = []
    for report in reports:
        source = _Source(report.text)
        blocks.extend(_finding_block(finding, source, paint) for finding in report.findings)
    summary = summary_line(reports)
    errors = sum(r.errors for r in reports)
    tone = "error" if errors else "warning" if sum(r.warnings for r in reports) else "ok"
    blocks.append(paint(tone, summary) + "\n")
    return "\n".join(blocks)


class _Source:
    """The lines of one file, each masked once however many findings quote it.

    Masking a line costs its length; doing it per finding made thousands of findings on one long
    line quadratic. Masking keeps every line's length, so columns still point at the same characters.
    """

    def __init__(self, text: str) -> None:
        self._lines = LINE_BREAK.split(text) if text else []
        self._masked: dict[int, str] = {}

    def __contains__(self, number: object) -> bool:
        return isinstance(number, int) and 1 <= number <= len(self._lines)

    def masked(self, number: int) -> str:
        """Line `number` (1-based) with anything key-shaped masked."""
        if number not in self._masked:
            self._masked[number] = _mask_secrets(self._lines[number - 1])
        return self._masked[number]


def _painter(color: bool) -> _Paint:
    def paint(style: str, text: str) -> str:
        return f"{_STYLE[style]}{text}{_RESET}" if color and text else text

    return paint


def _finding_block(finding: Finding, source: _Source, paint: _Paint) -> str:
    severity = finding.severity
    head = (
        f"{paint('path', f'{one_line(finding.path)}:{finding.line}:{finding.column}:')} "
        f"{paint(severity, f'{severity.value}[{finding.rule}]')} {one_line(finding.message)}"
    )
    hint = one_line(finding.hint)
    out = [head]
    if finding.line in source:
        number = str(finding.line)
        pad = " " * len(number)
        shown, before, marked = _excerpt(source.masked(finding.line), finding)
        out.append(f"{paint('gutter', f' {number} |')} {shown}".rstrip())
        out.append(f"{paint('gutter', f' {pad} |')} {' ' * before}{paint(severity, '^' * marked)}")
        if hint:
            out.append(f"{paint('gutter', f' {pad} =')} {paint('hint', 'hint:')} {hint}")
    elif hint:
        out.append(f"  {paint('hint', 'hint:')} {hint}")
    return "\n".join(out) + "\n"


def _excerpt(line: str, finding: Finding) -> tuple[str, int, int]:
    """The (masked) line as shown (invisibles visible, long lines cut), caret offset and width."""
    start = min(max(finding.column - 1, 0), len(line))
    stop = len(line)
    if finding.end_line == finding.line:
        stop = min(max(finding.end_column - 1, start + 1), len(line))
    lead, tail = "", ""
    window_start, window_stop = 0, len(line)
    if len(line) > _MAX_WIDTH:
        window_start = max(0, start - _CONTEXT)
        window_stop = min(len(line), window_start + _MAX_WIDTH)
        lead = "…" if window_start else ""
        tail = "…" if window_stop < len(line) else ""
    cells = [visible(c) for c in line[window_start:window_stop]]
    before = _width(cells[: start - window_start]) + len(lead)
    marked = max(1, _width(cells[start - window_start : stop - window_start]))
    return lead + "".join(cells) + tail, before, marked


def _mask_secrets(line: str) -> str:
    """Anything key-shaped replaced by stars of the same length, so carets still line up."""
    line = KEY_PATTERN.sub(lambda m: "sk-" + "*" * (len(m.group()) - 3), line)
    line = URL_PASSWORD.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + "@", line)
    return _TOKEN.sub(lambda m: "*" * len(m.group()) if looks_like_key(m.group()) else m.group(), line)


def _width(chars: Sequence[str]) -> int:
    """Terminal columns the characters take (wide East Asian forms take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in {"W", "F"} else 1 for c in chars)
