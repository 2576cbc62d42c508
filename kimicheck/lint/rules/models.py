"""KC2xx: model ids spelled for another provider, with look-alike characters, or listed twice."""

from __future__ import annotations

from collections.abc import Iterator

from kimicheck.config.models import Provider
from kimicheck.lint.finding import Severity
from kimicheck.lint.rule import DocPath, LintContext, Problem, Rule
from kimicheck.lint.rules._common import provider_path, site_label
from kimicheck.lookalike import find_suspects, normalize_id
from kimicheck.providers import IdForm, expected_id_form, id_form, to_id_form

__all__ = ["RULES"]

_FORM_LABELS = {
    IdForm.OFFICIAL: "Moonshot's official",
    IdForm.OPENROUTER: "OpenRouter's",
    IdForm.AIMLAPI: "AIMLAPI's",
}
_GATEWAY_FORMS = (IdForm.OPENROUTER, IdForm.AIMLAPI)


def _template(name: str, kind: str, url: str, env: str, models: str) -> str:
    return (
        "version: 1\nproviders:\n"
        f"  - name: {name}\n    kind: {kind}\n    base_url: {url}\n    api_key_env: {env}\n"
        f"    models: {models}\n"
    )


def _official(models: str) -> str:
    return _template("kimi-intl", "moonshot", "https://api.moonshot.ai/v1", "MOONSHOT_API_KEY", models)


def _openrouter(models: str) -> str:
    return _template("openrouter", "openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY", models)


def _model_ids(index: int, provider: Provider) -> Iterator[tuple[DocPath, str]]:
    """(document path of the id, id) for every configured model of a provider."""
    for position, model in enumerate(provider.models):
        if isinstance(model, str):
            yield provider_path(index, "models", position), model
        else:
            yield provider_path(index, "models", position, "id"), model.id


def check_gateway_id_on_official(ctx: LintContext) -> Iterator[Problem]:
    """A gateway's spelling (`moonshotai/kimi-k2.6`) on Moonshot's own API."""
    for index, provider in ctx.providers:
        if expected_id_form(provider.base_url, provider.kind) is not IdForm.OFFICIAL:
            continue
        for where, model_id in _model_ids(index, provider):
            form = id_form(normalize_id(model_id))
            if form in _GATEWAY_FORMS:
                official = to_id_form(normalize_id(model_id), IdForm.OFFICIAL)
                yield Problem(
                    f"model id {normalize_id(model_id)} is {_FORM_LABELS[form]} spelling; "
                    f"{site_label(provider)} knows this model as {official}",
                    where=where,
                    hint=f"write {official}",
                )


def check_wrong_gateway_form(ctx: LintContext) -> Iterator[Problem]:
    """One gateway's spelling on the other gateway (AIMLAPI form on OpenRouter and the reverse)."""
    for index, provider in ctx.providers:
        expected = expected_id_form(provider.base_url, provider.kind)
        if expected not in _GATEWAY_FORMS:
            continue
        for where, model_id in _model_ids(index, provider):
            form = id_form(normalize_id(model_id))
            if form in _GATEWAY_FORMS and form is not expected:
                right = to_id_form(normalize_id(model_id), expected)
                yield Problem(
                    f"model id {normalize_id(model_id)} is {_FORM_LABELS[form]} spelling, but this provider "
                    f"is {site_label(provider)}, which spells it {right}",
                    where=where,
                    hint=f"write {right}",
                )


def check_official_id_on_gateway(ctx: LintContext) -> Iterator[Problem]:
    """Moonshot's bare id on a gateway, which names Kimi models with its own prefix."""
    for index, provider in ctx.providers:
        expected = expected_id_form(provider.base_url, provider.kind)
        if expected not in _GATEWAY_FORMS:
            continue
        for where, model_id in _model_ids(index, provider):
            if id_form(normalize_id(model_id)) is IdForm.OFFICIAL:
                right = to_id_form(normalize_id(model_id), expected)
                yield Problem(
                    f"model id {normalize_id(model_id)} is Moonshot's official spelling; "
                    f"{site_label(provider)} lists Kimi models as {right}, so this id will not resolve there",
                    where=where,
                    hint=f"write {right}",
                )


def check_lookalike(ctx: LintContext) -> Iterator[Problem]:
    """Characters that look like ASCII but are not (and surrounding spaces) in a model id."""
    for index, provider in ctx.providers:
        for where, model_id in _model_ids(index, provider):
            fixed = normalize_id(model_id)
            suspects = find_suspects(model_id)
            if suspects:
                named = ", ".join(f"{s.description} at character {s.index + 1}" for s in suspects)
                yield Problem(
                    f"model id {fixed} contains {named}: it looks right but the provider will answer 404",
                    where=where,
                    hint=f"retype it as {fixed}",
                )
            elif model_id != model_id.strip():
                yield Problem(
                    f"model id {fixed} has spaces around it, which are part of the id the provider receives",
                    where=where,
                    hint=f"write {fixed}",
                )


def check_duplicate_ids(ctx: LintContext) -> Iterator[Problem]:
    """The same model id twice in one provider: checked twice, counted twice."""
    for index, provider in ctx.providers:
        first_seen: dict[str, int] = {}
        for position, (where, model_id) in enumerate(_model_ids(index, provider)):
            if model_id in first_seen:
                yield Problem(
                    f"model id {normalize_id(model_id)} is already listed in provider {provider.name} "
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
    summary="a gateway-style model id (moonshotai/..., moonshot/...) on Moonshot's own API",
    doc="Each host spells Kimi model ids its own way: Moonshot's API uses `kimi-k2.6`, OpenRouter "
    "`moonshotai/kimi-k2.6`, AIMLAPI `moonshot/kimi-k2-6`. Copying a gateway's id to the official "
    "endpoint gets 404 \"Not found the model\". Fix: use the official id the message suggests.",
    fail_example=_official("[moonshotai/kimi-k2.6]"),
    pass_example=_official("[kimi-k2.6]"),
    check=check_gateway_id_on_official,
)
WRONG_GATEWAY_FORM = Rule(
    id="KC202",
    name="wrong-gateway-id-form",
    severity=Severity.ERROR,
    summary="a model id in another gateway's form (AIMLAPI's on OpenRouter, or the reverse)",
    doc="OpenRouter names Kimi models `moonshotai/kimi-k2.6`; AIMLAPI names them `moonshot/kimi-k2-6` "
    "(a dash instead of the dot). Neither gateway knows the other's spelling. Fix: use the form the "
    "message suggests.",
    fail_example=_openrouter("[moonshot/kimi-k2-6]"),
    pass_example=_openrouter("[moonshotai/kimi-k2.6]"),
    check=check_wrong_gateway_form,
)
OFFICIAL_ID_ON_GATEWAY = Rule(
    id="KC203",
    name="official-id-on-gateway",
    severity=Severity.WARNING,
    summary="Moonshot's bare model id (kimi-k2.6) on a gateway that prefixes its ids",
    doc="Gateways host many vendors' models and prefix Kimi ids with the vendor: `kimi-k2.6` does not "
    "resolve on OpenRouter, `moonshotai/kimi-k2.6` does. A warning, not an error, because a gateway may "
    "add aliases. Fix: use the gateway's form the message suggests.",
    fail_example=_openrouter("[kimi-k2.6]"),
    pass_example=_openrouter("[moonshotai/kimi-k2.6]"),
    check=check_official_id_on_gateway,
)
LOOKALIKE_IN_ID = Rule(
    id="KC204",
    name="lookalike-in-model-id",
    severity=Severity.ERROR,
    summary="a model id with look-alike or invisible characters, or surrounding spaces",
    doc="Ids copied from web pages and chat apps often carry a non-breaking hyphen (U+2011), a minus "
    "sign (U+2212), full-width letters or zero-width spaces. They look identical and get a 404. The "
    "message names each code point. Fix: retype the id in plain ASCII as suggested.",
    fail_example=_official("[kimi\u2011k2.6]"),
    pass_example=_official("[kimi-k2.6]"),
    check=check_lookalike,
)
DUPLICATE_MODEL_ID = Rule(
    id="KC205",
    name="duplicate-model-id",
    severity=Severity.WARNING,
    summary="the same model id listed twice in one provider",
    doc="A model listed twice is probed twice (and, with `chat: true`, billed twice) and exported as "
    "two series with the same labels. Fix: keep one entry.",
    fail_example=_official("[kimi-k2.6, kimi-k2.5, kimi-k2.6]"),
    pass_example=_official("[kimi-k2.6, kimi-k2.5]"),
    check=check_duplicate_ids,
)

RULES: tuple[Rule, ...] = (
    GATEWAY_ID_ON_OFFICIAL,
    WRONG_GATEWAY_FORM,
    OFFICIAL_ID_ON_GATEWAY,
    LOOKALIKE_IN_ID,
    DUPLICATE_MODEL_ID,
)
