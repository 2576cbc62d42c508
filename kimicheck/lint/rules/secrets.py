"""KC306: anything in the file's text that looks like an API key, comments included."""

from __future__ import annotations

from collections.abc import Iterator

from kimicheck.config.document import LINE_BREAK, Span
from kimicheck.config.models import LITERAL_KEY_FIELDS
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


def _reported_elsewhere(ctx: LintContext) -> list[Span]:
    """Value spans whose keys `literal-api-key` and `key-in-api-key-env` already report."""
    spans = []
    validated = {index for index, _ in ctx.providers}
    for path, span in ctx.document.values.items():
        if len(path) != 3 or path[0] != "providers" or not isinstance(path[1], int):
            continue
        field = path[2]
        if field in LITERAL_KEY_FIELDS or (field in ("api_key_env", "api_key_file") and path[1] in validated):
            spans.append(span)
    return spans


def _inside(line: int, start: int, end: int, span: Span) -> bool:
    return (span.line, span.column) <= (line, start) and (line, end) <= (span.end_line, span.end_column)


def check_secret_text(ctx: LintContext) -> Iterator[Problem]:
    """Every `sk-` token of key length in the text, reported redacted at its exact position."""
    covered = _reported_elsewhere(ctx)
    for number, text in enumerate(LINE_BREAK.split(ctx.document.text), start=1):
        for match in KEY_PATTERN.finditer(text):
            start, end = match.start() + 1, match.end() + 1
            if any(_inside(number, start, end, span) for span in covered):
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
