"""KC208, KC209, KC210: a model id the catalog says is retired, deprecated or about to retire, or does not know,
on its maker's own host.

Part of the models family (models.py lists them). The verdict is the catalog's lifecycle of the id on the
context's day (`LintContext.judged_on`), so the same config changes verdict on a retirement date, and never
with the calendar in a test. Only a date a source states can make an error; a rumour stays in the catalog's
`note`. Gateways are left alone: one may keep serving a model its maker retired.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kimicheck.config.document import DocPath
from kimicheck.config.models import Provider
from kimicheck.lint.finding import Severity
from kimicheck.lint.rule import LintContext, Problem, Rule
from kimicheck.lint.rules._common import shown, site_label
from kimicheck.lint.rules._model_ids import model_ids, official_example
from kimicheck.lookalike import closest, normalize_id
from kimicheck.providers import CatalogEntry, Status, catalog_kind, lifecycle, nonexistent_match, retiring_within
from kimicheck.secrets import looks_like_key

__all__ = ["DEPRECATED_MODEL_ID", "RETIRED_MODEL_ID", "RETIREMENT_WARNING_DAYS", "RULES", "UNKNOWN_MODEL_ID"]

#: An id that retires this many days from today, or fewer, is warned about.
RETIREMENT_WARNING_DAYS = 90


@dataclass(frozen=True)
class _Catalogued:
    provider: Provider
    where: DocPath
    written: str
    entry: CatalogEntry
    status: Status


def _catalogued(ctx: LintContext) -> Iterator[_Catalogued]:
    """Every configured id the catalog lists for the provider's host, with its status on the context's day."""
    for index, provider in ctx.providers:
        kind = catalog_kind(provider.base_url)
        if kind is None:
            continue
        for where, model_id in model_ids(index, provider):
            written = normalize_id(model_id)
            entry = ctx.catalog.entry(kind, written)
            if entry is not None:
                yield _Catalogued(provider, where, written, entry, lifecycle(entry, ctx.judged_on))


def _move_to(entry: CatalogEntry) -> tuple[str, str]:
    """(the message's last words, the hint): the replacement, or where to look for one."""
    if entry.replacement is not None:
        return f"its replacement is {shown(entry.replacement)}", f"write {shown(entry.replacement)}"
    return "the catalog names no replacement", "pick a current model: `kimicheck catalog` lists them"


def check_retired(ctx: LintContext) -> Iterator[Problem]:
    """A retired id on its maker's host: every call gets 404."""
    for found in _catalogued(ctx):
        if found.status is not Status.RETIRED:
            continue
        when = f"on {found.entry.retires_on}" if found.entry.retires_on else "(the catalog states no date)"
        then, hint = _move_to(found.entry)
        yield Problem(
            f"model id {shown(found.written)} was retired {when}: {site_label(found.provider)} answers 404 for it; "
            f"{then}",
            where=found.where,
            hint=hint,
        )


def check_deprecated(ctx: LintContext) -> Iterator[Problem]:
    """A deprecated id, or one retiring within RETIREMENT_WARNING_DAYS, on its maker's host."""
    for found in _catalogued(ctx):
        entry, today = found.entry, ctx.judged_on
        soon = found.status is not Status.RETIRED and retiring_within(entry, today, RETIREMENT_WARNING_DAYS)
        if found.status is not Status.DEPRECATED and not soon:
            continue
        words = []
        if found.status is Status.DEPRECATED and (entry.deprecated_on or not entry.retires_on):
            since = f" since {entry.deprecated_on}" if entry.deprecated_on else " (the catalog states no date)"
            words.append(f"has been deprecated{since}")
        if entry.retires_on is not None:
            days = (entry.retires_on - today).days
            words.append(f"retires on {entry.retires_on}, in {days} day{'s' if days != 1 else ''}")
        then, hint = _move_to(entry)
        yield Problem(f"model id {shown(found.written)} {' and '.join(words)}; {then}", where=found.where, hint=hint)


RETIRED_MODEL_ID = Rule(
    id="KC208",
    name="retired-model-id",
    severity=Severity.ERROR,
    summary="a model id the catalog says is retired, on its maker's own API (kimi-latest)",
    doc="Providers retire model ids: from the retirement date on, every call with the id gets 404 \"Not found "
    "the model\". kimicheck's model catalog (`kimicheck catalog`) records each id's status and dates with "
    "their sources; this rule reports an id retired on the day kimicheck runs, naming the date and the "
    "replacement. Only a date a source states counts: rumours stay notes. Checked on Moonshot's and "
    "DeepSeek's own APIs; a gateway may keep serving a model its maker retired. Fix: move to the "
    "replacement the message names (update the catalog with `--catalog FILE` if it is out of date).",
    fail_example=official_example("[kimi-latest]"),
    pass_example=official_example("[kimi-k3]"),
    check=check_retired,
)
DEPRECATED_MODEL_ID = Rule(
    id="KC209",
    name="deprecated-model-id",
    severity=Severity.WARNING,
    summary=f"a deprecated model id, or one retiring within {RETIREMENT_WARNING_DAYS} days, on its maker's API",
    doc="A deprecated id still answers, but its provider has announced its end: calls start failing on the "
    f"retirement date. This rule warns about an id the catalog calls deprecated, and about any id that retires "
    f"within {RETIREMENT_WARNING_DAYS} days of the day kimicheck runs, with the dates and the replacement. "
    "Checked on Moonshot's and DeepSeek's own APIs, like KC208. Fix: move to the replacement before the "
    "retirement date.",
    fail_example=official_example("[kimi-k2.5]"),
    pass_example=official_example("[kimi-k2.6]"),
    check=check_deprecated,
)


def _plain(model_id: str) -> bool:
    """Printable ASCII without spaces, and not shaped like a key: anything else is another rule's finding."""
    return model_id.isascii() and model_id.isprintable() and " " not in model_id and not looks_like_key(model_id)


def check_unknown(ctx: LintContext) -> Iterator[Problem]:
    """An id in its maker's own spelling that the catalog does not list for that host: new, or a typo.

    Ids in a gateway's spelling (KC201) and ids that exist nowhere (KC207) have rules of their own.
    """
    for index, provider in ctx.providers:
        kind = catalog_kind(provider.base_url)
        if kind is None:
            continue
        for where, model_id in model_ids(index, provider):
            written = normalize_id(model_id)
            if not _plain(model_id) or "/" in written or nonexistent_match(written) is not None:
                continue  # look-alikes (KC204), gateway spellings (KC201) and non-existent ids (KC207)
            if ctx.catalog.entry(kind, written) is not None:
                continue
            guesses = closest(written, ctx.catalog.active_ids(kind))  # never suggest a retired id
            guess = f"; did you mean {', '.join(shown(g) for g in guesses)}?" if guesses else ""
            yield Problem(
                f"model id {shown(written)} is not in the model catalog (as of {ctx.catalog.as_of}) for "
                f"{site_label(provider)}: a new model, or a typo{guess}",
                where=where,
                hint="the provider's live list is the authority: `kimicheck models PROVIDER` shows it; a new model "
                "belongs in a newer catalog (`--catalog FILE`)",
            )


UNKNOWN_MODEL_ID = Rule(
    id="KC210",
    name="unknown-model-id",
    severity=Severity.WARNING,
    summary="a model id its maker's own API is not known to serve (the catalog lacks it): new, or a typo",
    doc="On Moonshot's and DeepSeek's own APIs kimicheck knows the model ids from its catalog (`kimicheck "
    "catalog`). An id the catalog does not list is either newer than the catalog or a typo that gets 404 "
    "\"Not found the model\" on every call; this rule warns, with the closest catalog ids. It stays a warning: "
    "the provider's live `GET /models` is the authority (`kimicheck models PROVIDER`, and the `models` check). "
    "Fix: correct the id, or point kimicheck at a newer catalog with `--catalog FILE` or `KIMICHECK_CATALOG`.",
    fail_example=official_example("[kimi-k2.66]"),
    pass_example=official_example("[kimi-k2.6]"),
    check=check_unknown,
)
RULES: tuple[Rule, ...] = (RETIRED_MODEL_ID, DEPRECATED_MODEL_ID, UNKNOWN_MODEL_ID)
