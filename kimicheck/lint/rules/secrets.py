"""KC306: anything in the file's text that looks like an API key, comments included."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from itertools import accumulate

from kimicheck.config.document import Span
from kimicheck.config.models import LITERAL_KEY_FIELDS, LITERAL_MANAGEMENT_KEY_FIELDS
from kimicheck.lint.finding import Severity
from kimicheck.lint.rule import LintContext, Problem, Rule
from kimicheck.secrets import KEY_PATTERN

__all__ = ["RULES"]


_GOOD = """\
version: 1
providers:
  - name: kimi-intl
    kind: moonshot
    base_url: https://api.moonshot.ai/v1
    api_key_env: MOONSHOT_API_KEY
    models: [kimi-k2.6]
"""
_BAD = _GOOD.replace(
    "    api_key_env: MOONSHOT_API_KEY\n",
    "    api_key_env: MOONSHOT_API_KEY  # sk-test-0000000000000000000000000000\n",
)


_LITERAL = frozenset({*LITERAL_KEY_FIELDS, *LITERAL_MANAGEMENT_KEY_FIELDS})
_SOURCES = frozenset({"api_key_env", "api_key_file", "management_key_env", "management_key_file"})


def _reported_elsewhere(ctx: LintContext) -> list[Span]:
    """Value spans whose keys `literal-api-key` and `key-in-api-key-env` already report."""
    spans = []
    validated = {index for index, _ in ctx.providers}
    for path, span in ctx.document.values.items():
        if len(path) != 3 or path[0] != "providers" or not isinstance(path[1], int):
            continue
        field = path[2]
        if field in _LITERAL or (field in _SOURCES and path[1] in validated):
            spans.append(span)
    return spans


class _Covered:
    """Whether a stretch of text lies inside one of some spans, in log time.

    A file can hold thousands of literal keys on one line: testing every token against every span
    was quadratic. Spans sorted by start, with the furthest end reached so far, answer in one bisection
    (nested spans included).
    """

    def __init__(self, spans: Sequence[Span]) -> None:
        ordered = sorted(spans, key=lambda span: (span.line, span.column))
        self._starts = [(span.line, span.column) for span in ordered]
        self._reach = list(accumulate(((span.end_line, span.end_column) for span in ordered), max))

    def covers(self, line: int, start: int, end: int) -> bool:
        """Whether `line:start` to `line:end` lies inside one of the spans."""
        before = bisect_right(self._starts, (line, start))
        return before > 0 and self._reach[before - 1] >= (line, end)


def check_secret_text(ctx: LintContext) -> Iterator[Problem]:
    """Every `sk-` token of key length in the text, reported redacted at its exact position."""
    covered = _Covered(_reported_elsewhere(ctx))
    for number, text in enumerate(ctx.document.lines, start=1):
        for match in KEY_PATTERN.finditer(text):
            start, end = match.start() + 1, match.end() + 1
            if covered.covers(number, start, end):
                continue
            yield Problem(
                f"what looks like an API key (sk-[REDACTED], {end - start} characters) is written in the "
                "file: anyone who can read the file can use it",
                hint="remove it and rotate the key; keep keys in api_key_env or api_key_file",
                line=number,
                column=start,
                length=end - start,
            )


SECRET_IN_FILE = Rule(
    id="KC306",
    name="secret-in-file",
    severity=Severity.ERROR,
    summary="text that looks like an API key (sk- and a long token), anywhere in the file",
    doc="Keys pasted into a config, even into a comment or an unused field, are committed, copied into "
    "CI logs and backups. kimicheck looks at every line of the file, comments included, for `sk-` "
    "followed by a long token (Moonshot, OpenAI and OpenRouter keys) and reports it without repeating "
    "it. Fix: delete it and rotate the key, since it has been written down.",
    fail_example=_BAD,
    pass_example=_GOOD,
    check=check_secret_text,
)

RULES: tuple[Rule, ...] = (SECRET_IN_FILE,)
