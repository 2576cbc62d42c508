"""The lint engine: load, validate, run the rules, locate, suppress, select, sort.

Rules yield `Problem`s located by document paths; this module alone turns them into `Finding`s at
`file:line:col`, applies `# kimicheck: disable=` comments and `--select`/`--ignore`, and reports
suppressions that hide nothing. It reads files (the only IO here) and never prints.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kimicheck.config.document import Document, Span
from kimicheck.config.files import Unreadable
from kimicheck.config.issues import LoadIssue
from kimicheck.config.loader import MAX_BYTES, decode, load_bytes, load_text, read_path
from kimicheck.config.validation import validate
from kimicheck.errors import InputError
from kimicheck.lint.finding import FileReport, Finding, Severity
from kimicheck.lint.registry import RULES, find_rule
from kimicheck.lint.rule import LintContext, Problem, Rule
from kimicheck.lint.rules.document import RULE_FOR_KIND, UNKNOWN_KEY, UNUSED_SUPPRESSION
from kimicheck.lookalike import closest
from kimicheck.providers import Catalog, current_catalog
from kimicheck.secrets import mask_keys

__all__ = ["CONFIG_SUFFIXES", "expand_paths", "lint_bytes", "lint_paths", "lint_text", "resolve_rules"]

CONFIG_SUFFIXES = (".yaml", ".yml")
_SUPPRESSION = re.compile(r"(?:^|\s)#\s*kimicheck:\s*(disable|disable-file)\s*=\s*([A-Za-z0-9_,\s-]+)")


@dataclass
class _Suppression:
    line: int
    column: int
    keys: frozenset[str]
    whole_file: bool
    applies_to: frozenset[int]
    used: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Judged:
    """What lifecycle rules judge by: the day (None: the catalog's as_of) and the catalog."""

    today: date | None
    catalog: Catalog


def resolve_rules(keys: Iterable[str]) -> frozenset[str]:
    """The rule ids named by `keys` (ids or names); raise InputError for an unknown one."""
    ids = set()
    for key in keys:
        rule = find_rule(key.strip())
        if rule is None:
            suggestion = closest(key, [r.id for r in RULES] + [r.name for r in RULES], limit=1)
            hint = f"; did you mean '{suggestion[0]}'?" if suggestion else ""
            raise InputError(f"unknown rule '{key}'{hint} (`kimicheck rules` lists them)")
        ids.add(rule.id)
    return frozenset(ids)


def lint_text(
    text: str,
    path: str,
    *,
    select: Collection[str] | None = None,
    ignore: Collection[str] = (),
    check_env: bool = False,
    environ: Mapping[str, str] | None = None,
    today: date | None = None,
    catalog: Catalog | None = None,
) -> FileReport:
    """Lint config text; `path` is only used to name the file in findings.

    `today` is the day model lifecycles are judged on (the command line passes the real date; None: the
    catalog's `as_of`), `catalog` the model catalog (None: the process's, `current_catalog()`).
    """
    loaded = load_text(text, path)
    judged = _Judged(today, catalog or current_catalog())
    return _lint_loaded(loaded.document, loaded.issues, path, text, select, ignore, check_env, environ, judged)


def lint_bytes(
    data: bytes,
    path: str,
    *,
    select: Collection[str] | None = None,
    ignore: Collection[str] = (),
    check_env: bool = False,
    environ: Mapping[str, str] | None = None,
    today: date | None = None,
    catalog: Catalog | None = None,
) -> FileReport:
    """Lint the raw bytes of a config file (size and encoding are checked first); `today` and `catalog` as
    for `lint_text`."""
    text = decode(data) if len(data) <= MAX_BYTES else None
    if not isinstance(text, str):
        loaded = load_bytes(data, path)
        judged = _Judged(today, catalog or current_catalog())
        return _lint_loaded(None, loaded.issues, path, "", select, ignore, check_env, environ, judged)
    return lint_text(text, path, select=select, ignore=ignore, check_env=check_env, environ=environ,
                     today=today, catalog=catalog)


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files to lint: files as given, directories expanded to their `*.yaml`/`*.yml` files, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in CONFIG_SUFFIXES and p.is_file()
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                raise InputError(f"{path}: no *.yaml or *.yml files in this directory")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    return files


def lint_paths(
    paths: Sequence[Path],
    *,
    select: Collection[str] | None = None,
    ignore: Collection[str] = (),
    check_env: bool = False,
    environ: Mapping[str, str] | None = None,
    today: date | None = None,
    catalog: Catalog | None = None,
) -> list[FileReport]:
    """Lint files and directories; raise InputError for a path that does not exist or cannot be read.
    `today` and `catalog` as for `lint_text`."""
    judged = _Judged(today, catalog or current_catalog())
    reports = []
    for file in expand_paths(paths):
        shown = str(file)
        raw = read_path(file)
        if isinstance(raw, Unreadable):
            raise InputError(f"{shown}: {raw.reason}")
        if isinstance(raw, LoadIssue):
            reports.append(_lint_loaded(None, (raw,), shown, "", select, ignore, check_env, environ, judged))
            continue
        reports.append(lint_bytes(raw, shown, select=select, ignore=ignore, check_env=check_env, environ=environ,
                                  today=today, catalog=judged.catalog))
    return reports


def _lint_loaded(
    document: Document | None,
    issues: tuple[LoadIssue, ...],
    path: str,
    text: str,
    select: Collection[str] | None,
    ignore: Collection[str],
    check_env: bool,
    environ: Mapping[str, str] | None,
    judged: _Judged,
) -> FileReport:
    selected = resolve_rules(select) if select else None
    ignored = resolve_rules(ignore)

    def wanted(rule: Rule) -> bool:
        return (selected is None or rule.id in selected) and rule.id not in ignored

    findings = [_issue_finding(path, issue) for issue in issues]
    config = None
    if document is not None:
        validated = validate(document)
        findings.extend(_issue_finding(path, issue) for issue in validated.issues)
        context = LintContext(document, validated.defaults, validated.providers,
                              environ=(dict(os.environ) if environ is None else environ) if check_env else None,
                              dropped=validated.dropped, catalog=judged.catalog, today=judged.today)
        for rule in RULES:
            if rule.check is not None and wanted(rule):
                findings.extend(_locate(path, document, rule, problem) for problem in rule.check(context))
        config = validated.config
    findings = [f for f in _drop_shadowed(findings) if wanted(_rule(f.rule))]
    if document is not None:
        findings = _apply_suppressions(path, document.text, findings, wanted)
    has_errors = any(f.severity is Severity.ERROR for f in findings)
    return FileReport(path=path, findings=tuple(sorted(findings, key=_order)), text=text,
                      config=config if not has_errors else None)


def _rule(rule_id: str) -> Rule:
    rule = find_rule(rule_id)
    assert rule is not None, rule_id
    return rule


def _order(finding: Finding) -> tuple[int, int, str, str]:
    return finding.line, finding.column, finding.rule, finding.message


def _finding(path: str, rule: Rule, message: str, hint: str, span: Span) -> Finding:
    """The one place findings are made: every message and hint passes the key mask here."""
    message, hint = mask_keys(message), mask_keys(hint)
    end_line, end_column = span.end_line, span.end_column
    if (end_line, end_column) <= (span.line, span.column):
        end_line, end_column = span.line, span.column + 1
    return Finding(path=path, line=span.line, column=span.column, end_line=end_line, end_column=end_column,
                   rule=rule.id, name=rule.name, severity=rule.severity, message=message, hint=hint)


def _issue_finding(path: str, issue: LoadIssue) -> Finding:
    return _finding(path, RULE_FOR_KIND[issue.kind], issue.message, issue.hint, issue.span)


def _locate(path: str, document: Document, rule: Rule, problem: Problem) -> Finding:
    if problem.line is not None:
        column = problem.column or 1
        text_span = Span(problem.line, column, problem.line, column + max(problem.length, 1))
        return _finding(path, rule, problem.message, problem.hint, text_span)
    where = problem.where
    span = document.keys.get(where) if problem.on_key else None
    while span is None and where:
        span = document.values.get(where)
        where = where[:-1]
    return _finding(path, rule, problem.message, problem.hint, span or document.values.get((), Span(1, 1, 1, 2)))


def _drop_shadowed(findings: list[Finding]) -> list[Finding]:
    """Drop an `unknown-key` finding where a domain rule explains the same key better (a literal api_key)."""
    explained = {(f.line, f.column) for f in findings if f.rule != UNKNOWN_KEY.id and f.severity is Severity.ERROR}
    return [f for f in findings if not (f.rule == UNKNOWN_KEY.id and (f.line, f.column) in explained)]


def _parse_suppressions(text: str) -> list[_Suppression]:
    found = []
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        match = _SUPPRESSION.search(line)
        if match is None:
            continue
        keys = frozenset(k.strip() for k in match.group(2).split(",") if k.strip())
        whole_file = match.group(1) == "disable-file"
        comment_only = line.lstrip().startswith("#")
        applies = frozenset({number + 1} if comment_only else {number})
        column = match.start() + (1 if line[match.start()].isspace() else 0) + 1
        found.append(_Suppression(number, column, keys, whole_file, applies))
    return found


def _apply_suppressions(path: str, text: str, findings: list[Finding],
                        wanted: Callable[[Rule], bool]) -> list[Finding]:
    suppressions = _parse_suppressions(text)
    if not suppressions:
        return findings
    # by line, so that thousands of findings and comments cost no more than each one once
    by_line: dict[int, list[_Suppression]] = {}
    for sup in suppressions:
        for line in () if sup.whole_file else sup.applies_to:
            by_line.setdefault(line, []).append(sup)
    whole_file = [sup for sup in suppressions if sup.whole_file]
    kept = []
    for finding in findings:
        suppressed = False
        for sup in (*whole_file, *by_line.get(finding.line, ())):
            if finding.rule in sup.keys or finding.name in sup.keys:
                sup.used.update(k for k in sup.keys if k in (finding.rule, finding.name))
                suppressed = True
        if not suppressed:
            kept.append(finding)
    if wanted(UNUSED_SUPPRESSION):
        for sup in suppressions:
            for key in sorted(sup.keys - sup.used):
                rule = find_rule(key)
                if rule is not None and not wanted(rule):
                    continue
                what = f"unknown rule '{key}'" if rule is None else f"'{key}' suppresses nothing"
                scope = ("in this file" if sup.whole_file
                         else "on the next line" if sup.applies_to != {sup.line} else "on this line")
                kept.append(_finding(path, UNUSED_SUPPRESSION, f"unused suppression: {what} {scope}",
                                     "remove it, or fix the rule name (`kimicheck rules` lists them)",
                                     Span(sup.line, sup.column, sup.line, sup.column + 1)))
    return kept
