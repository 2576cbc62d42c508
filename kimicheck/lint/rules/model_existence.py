"""KC207: a model id that exists on no host (`kimi-k2.6-thinking`), in any host's spelling.

Part of the models family (models.py lists it). The spelling rules there skip such ids, so each one gets
a single finding whose hint is already spelled the way the provider's host spells ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kimicheck.config.models import Provider
from kimicheck.lint.finding import Severity
from kimicheck.lint.rule import LintContext, Problem, Rule
from kimicheck.lint.rules._common import shown, site_label
from kimicheck.lint.rules._model_ids import model_ids, official_example
from kimicheck.lookalike import normalize_id
from kimicheck.providers import (
    ID_SPELLINGS,
    NONEXISTENT_MODEL_IDS,
    IdForm,
    expected_id_form,
    find_known_host,
    nonexistent_match,
    to_id_form,
)

__all__ = ["NONEXISTENT_MODEL_ID", "check_nonexistent_id", "replacement"]


def _host_spelling(provider: Provider) -> Callable[[str], str] | None:
    """How the provider's host (else its kind) spells an official id; None when kimicheck does not know."""
    form = expected_id_form(provider.base_url, provider.kind)
    if form is not IdForm.OTHER:
        return lambda official: to_id_form(official, form)
    known = find_known_host(provider.base_url)
    return next((s.spell for s in ID_SPELLINGS if known is not None and s.label == known.label), None)


def _spelling_of(written_id: str, official: str) -> str:
    """`OpenRouter's spelling` when a known host writes `official` as `written_id`, else `a spelling`."""
    label = next((s.label for s in ID_SPELLINGS if s.spell(official) == written_id), None)
    return f"{label}'s spelling" if label else "a spelling"


def _right_id(provider: Provider, spell: Callable[[str], str], missing: str, written_id: str) -> str:
    """The id to use instead of `written_id` (which names `missing`), spelled by `spell`."""
    _, colon, variant = written_id.partition(":")
    keeps_variant = expected_id_form(provider.base_url, provider.kind) is IdForm.OPENROUTER
    return spell(NONEXISTENT_MODEL_IDS[missing].right) + (colon + variant if keeps_variant else "")


def replacement(provider: Provider, written_id: str) -> str | None:
    """The id to write instead of `written_id` when it exists on no host, spelled the provider's host's way.

    None for ids that may exist, and on hosts whose spelling kimicheck does not know (a self-hosted server
    names its models as it likes: the live list decides). OpenRouter keeps a `:variant` suffix.
    """
    missing = nonexistent_match(written_id)
    spell = _host_spelling(provider)
    if missing is None or spell is None:
        return None
    return _right_id(provider, spell, missing, written_id)


def check_nonexistent_id(ctx: LintContext) -> Iterator[Problem]:
    """An id no host serves (`kimi-k2.6-thinking`) in any spelling, on a host whose Kimi ids are known."""
    for index, provider in ctx.providers:
        spell = _host_spelling(provider)
        if spell is None:
            continue  # a self-hosted server names its models as it likes: the live list decides
        for where, model_id in model_ids(index, provider):
            written_id = normalize_id(model_id)
            missing = nonexistent_match(written_id)
            if missing is None:
                continue
            right = _right_id(provider, spell, missing, written_id)
            what = f"model id {shown(written_id)}"
            base = written_id.partition(":")[0]
            if base not in (missing, spell(missing)):
                what += f" is {_spelling_of(base, missing)} of {missing}, which"
            yield Problem(
                f"{what} does not exist on any host: {NONEXISTENT_MODEL_IDS[missing].reason}; "
                f"on {site_label(provider)} use {shown(right)}",
                where=where,
                hint=f"write {shown(right)}",
            )


NONEXISTENT_MODEL_ID = Rule(
    id="KC207",
    name="nonexistent-model-id",
    severity=Severity.ERROR,
    summary="a model id that no host serves (kimi-k2.6-thinking), in any host's spelling",
    doc="Some ids look right but exist nowhere: there is no `kimi-k2.6-thinking`, because thinking is a "
    "request parameter of `kimi-k2.6`, not a model of its own. Every call with such an id gets 404 \"Not "
    "found the model\", in every host's spelling (`moonshotai/kimi-k2.6-thinking`, "
    "`moonshot/kimi-k2-6-thinking`). Reported on Moonshot's API, on OpenRouter and AIMLAPI (also when "
    "only the kind says so) and on the other hosts whose spelling kimicheck knows; a self-hosted server "
    "names its models as it likes and is left to the live list. This rule takes precedence over KC201, "
    "KC202 and KC203: the id it suggests is already spelled the host's way. Fix: use the id the message "
    "suggests.",
    fail_example=official_example("[kimi-k2.6-thinking]"),
    pass_example=official_example("[kimi-k2.6]"),
    check=check_nonexistent_id,
)
