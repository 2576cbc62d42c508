"""KC2xx: model ids spelled for another provider, with look-alike characters, listed twice, none at all, that
exist nowhere (model_existence.py), or that the catalog says are retired or deprecated (model_lifecycle.py)."""

from __future__ import annotations

from collections.abc import Iterator

from kimicheck.config.document import DocPath
from kimicheck.config.models import Provider
from kimicheck.lint.finding import Severity
from kimicheck.lint.rule import LintContext, Problem, Rule
from kimicheck.lint.rules import model_lifecycle
from kimicheck.lint.rules._common import provider_path, raw_value, shown, site_label
from kimicheck.lint.rules._model_ids import model_ids, official_example, openrouter_example
from kimicheck.lint.rules.model_existence import NONEXISTENT_MODEL_ID, replacement
from kimicheck.lookalike import find_suspects, normalize_id
from kimicheck.providers import (
    Catalog,
    IdForm,
    Kind,
    expected_id_form,
    id_form,
    nonexistent_match,
    official_match,
    spelled_by,
    spelled_for,
    to_id_form,
)

__all__ = ["RULES"]

_FORM_LABELS = {
    IdForm.OFFICIAL: "Moonshot's official",
    IdForm.OPENROUTER: "OpenRouter's",
    IdForm.AIMLAPI: "AIMLAPI's",
}
_GATEWAY_FORMS = (IdForm.OPENROUTER, IdForm.AIMLAPI)


def _existing_ids(index: int, provider: Provider) -> Iterator[tuple[DocPath, str]]:
    """(path, id with look-alikes normalised) for ids that may exist: nonexistent-model-id reports the others."""
    for where, model_id in model_ids(index, provider):
        written_id = normalize_id(model_id)
        if nonexistent_match(written_id) is None:
            yield where, written_id


def _whose(model_id: str) -> str | None:
    """`OpenRouter's spelling` when a known host writes the id this way, else None."""
    label = spelled_by(model_id)
    if label is not None:
        return f"{label}'s spelling"
    form = id_form(model_id)
    if form in _GATEWAY_FORMS and official_match(model_id) is None:
        return f"{_FORM_LABELS[form]} spelling"  # a model newer than the catalog
    return None


def check_gateway_id_on_official(ctx: LintContext) -> Iterator[Problem]:
    """Another host's spelling (`moonshotai/kimi-k2.6`, `Pro/moonshotai/Kimi-K2.6`, `kimi-k2-6`) on Moonshot's API."""
    for index, provider in ctx.providers:
        if expected_id_form(provider.base_url, provider.kind) is not IdForm.OFFICIAL:
            continue
        for where, written_id in _existing_ids(index, provider):
            official = spelled_for(written_id, IdForm.OFFICIAL)
            if official is None and id_form(written_id) in _GATEWAY_FORMS:
                official = to_id_form(written_id, IdForm.OFFICIAL)  # a model newer than the catalog
            if official is None or official == written_id:
                continue
            whose = _whose(written_id) or "not the official spelling"
            yield Problem(
                f"model id {shown(written_id)} is {whose}; {site_label(provider)} knows this model as "
                f"{shown(official)}",
                where=where,
                hint=f"write {shown(official)}",
            )


def check_wrong_gateway_form(ctx: LintContext) -> Iterator[Problem]:
    """A prefixed id not in this gateway's form: another host's, or with a dash for the dot."""
    for index, provider in ctx.providers:
        expected = expected_id_form(provider.base_url, provider.kind)
        if expected not in _GATEWAY_FORMS:
            continue
        for where, written_id in _existing_ids(index, provider):
            if "/" not in written_id:
                continue  # a bare id: official-id-on-gateway
            form = id_form(written_id)
            right = spelled_for(written_id, expected)
            if right is None and form in _GATEWAY_FORMS and form is not expected:
                right = to_id_form(written_id, expected)  # a model newer than the catalog
            if right is None or right == written_id:
                continue
            whose, site = _whose(written_id), site_label(provider)
            if whose:
                message = f"is {whose}, but this provider is {site}, which spells it {shown(right)}"
            else:
                message = f"is not how {site} spells it: it lists this model as {shown(right)}"
            yield Problem(f"model id {shown(written_id)} {message}", where=where, hint=f"write {shown(right)}")


def check_official_id_on_gateway(ctx: LintContext) -> Iterator[Problem]:
    """Moonshot's bare id on a gateway, which names Kimi models with its own prefix."""
    for index, provider in ctx.providers:
        expected = expected_id_form(provider.base_url, provider.kind)
        if expected not in _GATEWAY_FORMS:
            continue
        for where, written_id in _existing_ids(index, provider):
            if "/" in written_id:
                continue  # a prefixed id: wrong-gateway-id-form
            right = spelled_for(written_id, expected)
            if right is None and id_form(written_id) is IdForm.OFFICIAL:
                right = to_id_form(written_id, expected)  # a model newer than the catalog
            if right is None:
                continue
            official = spelled_for(written_id, IdForm.OFFICIAL)
            what = "Moonshot's official spelling" if official in (None, written_id) else "a bare id"
            yield Problem(
                f"model id {shown(written_id)} is {what}; {site_label(provider)} lists Kimi models as "
                f"{shown(right)}, so this id will not resolve there",
                where=where,
                hint=f"write {shown(right)}",
            )


def _listing_hint(provider: Provider, catalog: Catalog) -> str:
    """How to list model ids for a provider with none: the catalog's active ones, spelled the host's way."""
    form = expected_id_form(provider.base_url, provider.kind)
    if form is not IdForm.OTHER:
        examples = [to_id_form(m, form) for m in catalog.active_ids(Kind.MOONSHOT)[:2]]
    elif provider.kind is Kind.DEEPSEEK:
        examples = list(catalog.active_ids(Kind.DEEPSEEK)[:2])
    else:
        examples = []
    if not examples:
        return "list the model ids you call under models:, spelled as the provider's GET /models lists them"
    return f"list the model ids you call, e.g. models: [{', '.join(examples)}]"


def check_no_models(ctx: LintContext) -> Iterator[Problem]:
    """A provider without model ids: its models check can only prove the key."""
    for index, provider in ctx.providers:
        raw = raw_value(ctx.document.data, provider_path(index, "models"))
        if provider.models or raw:
            continue  # ids that did not validate are reported by invalid-value
        listed = raw is not None
        yield Problem(
            f"provider {provider.name} has no models listed: the models check only proves the key, and no "
            "model id is checked against the provider's list",
            where=provider_path(index, "models" if listed else "name"),
            hint=_listing_hint(provider, ctx.catalog),
            on_key=listed,
        )


def check_lookalike(ctx: LintContext) -> Iterator[Problem]:
    """Characters that look like ASCII but are not (and surrounding spaces) in a model id."""
    for index, provider in ctx.providers:
        for where, model_id in model_ids(index, provider):
            fixed = normalize_id(model_id)
            suspects = find_suspects(model_id)
            if suspects:
                named = ", ".join(f"{s.description} at character {s.index + 1}" for s in suspects)
                yield Problem(
                    f"model id {shown(fixed)} contains {named}: it looks right but the provider will answer 404",
                    where=where,
                    hint=f"retype it as {shown(replacement(provider, fixed) or fixed)}",  # one fix with KC207's
                )
            elif model_id != model_id.strip():
                yield Problem(
                    f"model id {shown(fixed)} has spaces around it, which are part of the id the provider "
                    "receives",
                    where=where,
                    hint=f"write {shown(fixed)}",
                )


def check_duplicate_ids(ctx: LintContext) -> Iterator[Problem]:
    """The same model id twice in one provider: checked twice, counted twice."""
    for index, provider in ctx.providers:
        first_seen: dict[str, int] = {}
        for position, (where, model_id) in enumerate(model_ids(index, provider)):
            if model_id in first_seen:
                yield Problem(
                    f"model id {shown(normalize_id(model_id))} is already listed in provider {provider.name} "
                    f"(models[{first_seen[model_id]}]): it would be checked and billed twice",
                    where=where,
                    hint="remove one of them (keep the mapping form if one has settings)",
                )
            else:
                first_seen[model_id] = position


GATEWAY_ID_ON_OFFICIAL = Rule(
    id="KC201",
    name="gateway-id-on-official-host",
    severity=Severity.ERROR,
    summary="a model id spelled another host's way (moonshotai/..., Kimi-K2.6, kimi-k2-6) on Moonshot's own API",
    doc="Each host spells Kimi model ids its own way: Moonshot's API uses `kimi-k2.6`, OpenRouter "
    "`moonshotai/kimi-k2.6`, AIMLAPI `moonshot/kimi-k2-6`, SiliconFlow `Pro/moonshotai/Kimi-K2.6`, "
    "Together `moonshotai/Kimi-K2.5`, Fireworks `accounts/fireworks/models/kimi-k2p6`. Model ids are "
    "case-sensitive, and copying another host's id to the official endpoint gets 404 \"Not found the "
    "model\". An id that names a known official model in any of these spellings is reported. Fix: use "
    "the official id the message suggests.",
    fail_example=official_example("[moonshotai/kimi-k2.6]"),
    pass_example=official_example("[kimi-k2.6]"),
    check=check_gateway_id_on_official,
)
WRONG_GATEWAY_FORM = Rule(
    id="KC202",
    name="wrong-gateway-id-form",
    severity=Severity.ERROR,
    summary="a prefixed model id not in the gateway's own form (AIMLAPI's on OpenRouter, a dash for the dot)",
    doc="OpenRouter names Kimi models `moonshotai/kimi-k2.6`; AIMLAPI names them `moonshot/kimi-k2-6` "
    "(a dash instead of the dot). Neither gateway knows the other's spelling, nor other hosts' "
    "(`moonshotai/Kimi-K2.5` is Together's), nor its own prefix with the other version spelling "
    "(`moonshotai/kimi-k2-6`). Fix: use the form the message suggests.",
    fail_example=openrouter_example("[moonshot/kimi-k2-6]"),
    pass_example=openrouter_example("[moonshotai/kimi-k2.6]"),
    check=check_wrong_gateway_form,
)
OFFICIAL_ID_ON_GATEWAY = Rule(
    id="KC203",
    name="official-id-on-gateway",
    severity=Severity.WARNING,
    summary="a bare model id (kimi-k2.6, kimi-k2-6) on a gateway that prefixes its ids",
    doc="Gateways host many vendors' models and prefix Kimi ids with the vendor: `kimi-k2.6` (or "
    "`kimi-k2-6`) does not resolve on OpenRouter, `moonshotai/kimi-k2.6` does. A warning, not an error, "
    "because a gateway may add aliases. Fix: use the gateway's form the message suggests.",
    fail_example=openrouter_example("[kimi-k2.6]"),
    pass_example=openrouter_example("[moonshotai/kimi-k2.6]"),
    check=check_official_id_on_gateway,
)
LOOKALIKE_IN_ID = Rule(
    id="KC204",
    name="lookalike-in-model-id",
    severity=Severity.ERROR,
    summary="a model id with look-alike, invisible or control characters, or surrounding spaces",
    doc="Ids copied from web pages and chat apps often carry a non-breaking hyphen (U+2011), a minus "
    "sign (U+2212), full-width letters, Cyrillic or Greek letters drawn like Latin ones (`і` for `i`), "
    "zero-width spaces or control characters. They look identical and get a 404. The message names "
    "each code point. Fix: retype the id in plain ASCII as suggested.",
    fail_example=official_example("[kimi\u2011k2.6]"),
    pass_example=official_example("[kimi-k2.6]"),
    check=check_lookalike,
)
DUPLICATE_MODEL_ID = Rule(
    id="KC205",
    name="duplicate-model-id",
    severity=Severity.WARNING,
    summary="the same model id listed twice in one provider",
    doc="A model listed twice is probed twice (and, with `chat: true`, billed twice) and exported as "
    "two series with the same labels. Fix: keep one entry.",
    fail_example=official_example("[kimi-k2.6, kimi-k3, kimi-k2.6]"),
    pass_example=official_example("[kimi-k2.6, kimi-k3]"),
    check=check_duplicate_ids,
)
NO_MODELS = Rule(
    id="KC206",
    name="no-models-listed",
    severity=Severity.WARNING,
    summary="a provider with no model ids (`models: []` or no `models`)",
    doc="The models check proves the key and then looks for each configured id in the provider's "
    "`GET /models` list. With no ids it proves only the key: a retired or misspelt model, the outage "
    "users actually hit, goes unnoticed. Fix: list the model ids your applications call.",
    fail_example=official_example("[]"),
    pass_example=official_example("[kimi-k2.6]"),
    check=check_no_models,
)
RULES: tuple[Rule, ...] = (
    GATEWAY_ID_ON_OFFICIAL,
    WRONG_GATEWAY_FORM,
    OFFICIAL_ID_ON_GATEWAY,
    LOOKALIKE_IN_ID,
    DUPLICATE_MODEL_ID,
    NO_MODELS,
    NONEXISTENT_MODEL_ID,
    *model_lifecycle.RULES,
)
