"""What a lint rule is, and what it sees.

A rule is a pure function of a `LintContext` that yields `Problem`s located by a *path* into the document
(`("providers", 0, "base_url")`); the engine turns paths into `file:line:col`, applies severities,
`--select`/`--ignore` and `# kimicheck: disable=` comments. Rules know nothing of output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from kimicheck.config.document import DocPath, Document
from kimicheck.config.models import Defaults, Provider
from kimicheck.lint.finding import Severity
from kimicheck.providers import Catalog, current_catalog

__all__ = ["LintContext", "Problem", "Rule"]

@dataclass(frozen=True)
class LintContext:
    """What every rule sees: the document, the defaults and every provider that validated."""

    document: Document
    defaults: Defaults
    #: (index in `providers:`, validated provider) for every provider whose schema is valid
    providers: tuple[tuple[int, Provider], ...]
    #: the environment, only when `--check-env` asked for environment checks
    environ: Mapping[str, str] | None = None
    #: provider index -> fields that failed validation and are missing from its model: a rule must not
    #: report such a field as absent (the schema finding already explains it)
    dropped: Mapping[int, frozenset[str]] = field(default_factory=dict)
    #: the model catalog the rules read: the process's catalog unless the engine was given one
    catalog: Catalog = field(default_factory=current_catalog)
    #: the day lifecycle rules judge on (the command line passes the real date); None: the catalog's as_of
    today: date | None = None

    @property
    def judged_on(self) -> date:
        """The day dates are compared with: `today`, else the catalog's `as_of` (a verdict that never drifts)."""
        return self.today or self.catalog.as_of

    def was_dropped(self, index: int, *fields: str) -> bool:
        """Whether any of `fields` of provider `index` was invalid (and so is missing from the model)."""
        invalid = self.dropped.get(index, frozenset())
        return any(name in invalid for name in fields)


@dataclass(frozen=True)
class Problem:
    """A rule's report: what is wrong, how to fix it, and where (a document path, or a text position)."""

    message: str
    where: DocPath = ()
    hint: str = ""
    #: point at the mapping key rather than its value (unknown keys, a literal `api_key:`)
    on_key: bool = False
    #: for text-level rules (secrets in comments): an explicit 1-based position and length
    line: int | None = None
    column: int | None = None
    length: int = 1


@dataclass(frozen=True)
class Rule:
    """A lint rule: identity, default severity, user documentation, and its check."""

    id: str
    name: str
    severity: Severity
    summary: str
    #: the user documentation: why it matters and how to fix it
    doc: str
    #: a config this rule reports, and the same config fixed
    fail_example: str
    pass_example: str
    #: None for rules the loader reports itself (syntax, schema, duplicates)
    check: Callable[[LintContext], Iterator[Problem]] | None = None
    #: False when a `# kimicheck: disable=` comment cannot silence it: the file is not read far enough
    #: for comments, or the rule is about the comments themselves
    suppressible: bool = True
