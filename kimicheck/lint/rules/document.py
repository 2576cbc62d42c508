"""Rules the loader reports while reading a file: YAML syntax, duplicates, schema, unused suppressions.

They have no `check` function: the loader and the engine produce their findings, because they are about
the text and its structure rather than about validated providers. The loader reports kinds of problems
(`IssueKind`); `RULE_FOR_KIND` says which rule each kind is.
"""

from __future__ import annotations

from kimicheck.config.issues import IssueKind
from kimicheck.lint.finding import Severity
from kimicheck.lint.rule import Rule

__all__ = [
    "ALIAS_LIMIT",
    "DUPLICATE_KEY",
    "INVALID_VALUE",
    "MISSING_KEY",
    "RULES",
    "RULE_FOR_KIND",
    "UNKNOWN_KEY",
    "UNREADABLE_FILE",
    "UNSUPPORTED_VERSION",
    "UNUSED_SUPPRESSION",
    "YAML_SYNTAX",
]

_OK = """\
version: 1
providers:
  - name: kimi-intl
    kind: moonshot
    base_url: https://api.moonshot.ai/v1
    api_key_env: MOONSHOT_API_KEY
    models: [kimi-k2.6]
"""

YAML_SYNTAX = Rule(
    id="KC001",
    name="yaml-syntax",
    severity=Severity.ERROR,
    summary="the file is not valid YAML",
    doc="The file cannot be parsed as YAML, so nothing else in it can be checked. The finding points at "
    "the place the parser gave up; the mistake is often just before it (an unclosed quote or bracket, a "
    "tab used for indentation, a value indented less than its key).",
    fail_example='version: 1\nproviders:\n  - name: "kimi-intl\n',
    pass_example=_OK,
    suppressible=False,
)
DUPLICATE_KEY = Rule(
    id="KC002",
    name="duplicate-key",
    severity=Severity.ERROR,
    summary="a key appears twice in the same mapping",
    doc="YAML parsers keep only the last of two equal keys, silently dropping the first. kimicheck "
    "reports both positions; remove or rename one of them.",
    fail_example=_OK.replace("    models:", "    base_url: https://api.moonshot.cn/v1\n    models:"),
    pass_example=_OK,
)
UNKNOWN_KEY = Rule(
    id="KC003",
    name="unknown-key",
    severity=Severity.ERROR,
    summary="a key the config format does not know (often a typo)",
    doc="A misspelt key is not an error for most YAML consumers: it is silently ignored and its setting "
    "never applies. kimicheck rejects every key the format does not define and suggests the closest one.",
    fail_example=_OK.replace("api_key_env", "api_key_evn"),
    pass_example=_OK,
)
INVALID_VALUE = Rule(
    id="KC004",
    name="invalid-value",
    severity=Severity.ERROR,
    summary="a value of the wrong type or out of range",
    doc="A value does not fit the config format: a number where a string is needed, a name with "
    "characters a metric label cannot hold, a negative duration. YAML 1.1 turns unquoted `yes`, `no`, "
    "`on`, `off` into booleans and `1.5` into a number; quote such values when you mean a string.",
    fail_example=_OK.replace("models: [kimi-k2.6]", "models: [yes, 1.5]"),
    pass_example=_OK,
)
MISSING_KEY = Rule(
    id="KC005",
    name="missing-key",
    severity=Severity.ERROR,
    summary="a required key is missing",
    doc="Every config needs `version` and `providers`; every provider needs `name`, `kind` and "
    "`base_url`.",
    fail_example=_OK.replace("    kind: moonshot\n", ""),
    pass_example=_OK,
)
UNSUPPORTED_VERSION = Rule(
    id="KC006",
    name="unsupported-version",
    severity=Severity.ERROR,
    summary="`version` is missing or not a version this kimicheck reads",
    doc="The config format is versioned so that a file written for a later format is not misread. "
    "This kimicheck reads `version: 1`.",
    fail_example=_OK.replace("version: 1", "version: 2"),
    pass_example=_OK,
)
UNREADABLE_FILE = Rule(
    id="KC007",
    name="unreadable-file",
    severity=Severity.ERROR,
    summary="the file is empty, binary, not UTF-8 or too large to be a config",
    doc="kimicheck reads UTF-8 text files of a reasonable size. An empty file, a binary file, a file in "
    "another encoding or one of many megabytes is not a config: check the path.",
    fail_example="",
    pass_example=_OK,
    suppressible=False,
)
ALIAS_LIMIT = Rule(
    id="KC008",
    name="alias-limit",
    severity=Severity.ERROR,
    summary="YAML aliases expand beyond a safe size",
    doc="Anchors and aliases (`&name`, `*name`) may be used to avoid repetition, but a document whose "
    "aliases expand to a huge structure (a \"billion laughs\" file) is rejected before it is expanded.",
    fail_example="version: 1\nl0: &l0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 9)
    ) + _OK.removeprefix("version: 1\n"),
    pass_example=_OK,
    suppressible=False,
)
UNUSED_SUPPRESSION = Rule(
    id="KC009",
    name="unused-suppression",
    severity=Severity.WARNING,
    summary="a `# kimicheck: disable=` comment that suppresses nothing",
    doc="A suppression comment that no longer matches a finding hides nothing today but would hide a "
    "future mistake: remove it. A comment on a line, or on the line above, applies to that line; "
    "`# kimicheck: disable-file=RULE` applies to the whole file.",
    fail_example=_OK.replace("models: [kimi-k2.6]", "models: [kimi-k2.6]  # kimicheck: disable=KC003"),
    pass_example=_OK,
    suppressible=False,
)

RULES: tuple[Rule, ...] = (
    YAML_SYNTAX,
    DUPLICATE_KEY,
    UNKNOWN_KEY,
    INVALID_VALUE,
    MISSING_KEY,
    UNSUPPORTED_VERSION,
    UNREADABLE_FILE,
    ALIAS_LIMIT,
    UNUSED_SUPPRESSION,
)

#: the rule of each kind of problem the loader and the validator report
RULE_FOR_KIND: dict[IssueKind, Rule] = {
    IssueKind.YAML_SYNTAX: YAML_SYNTAX,
    IssueKind.DUPLICATE_KEY: DUPLICATE_KEY,
    IssueKind.UNKNOWN_KEY: UNKNOWN_KEY,
    IssueKind.INVALID_VALUE: INVALID_VALUE,
    IssueKind.MISSING_KEY: MISSING_KEY,
    IssueKind.UNSUPPORTED_VERSION: UNSUPPORTED_VERSION,
    IssueKind.UNREADABLE_FILE: UNREADABLE_FILE,
    IssueKind.ALIAS_LIMIT: ALIAS_LIMIT,
}
