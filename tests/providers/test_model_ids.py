"""Model-id spellings: the conversions come from the one table of host spellings."""

from __future__ import annotations

import pytest

from kimicheck.providers import (
    ID_SPELLINGS,
    IdForm,
    correction_for,
    id_form,
    official_id_of,
    spelled_for,
    to_aimlapi_id,
    to_id_form,
    to_openrouter_id,
)


def test_the_converted_forms_are_rows_of_the_spelling_table() -> None:
    assert [(s.label, s.prefix, s.form) for s in ID_SPELLINGS if s.form is not IdForm.OTHER] == [
        ("OpenRouter", "moonshotai/", IdForm.OPENROUTER),
        ("AIMLAPI", "moonshot/", IdForm.AIMLAPI),
    ]


@pytest.mark.parametrize(
    ("model_id", "form"),
    [
        ("moonshotai/kimi-k2.6", IdForm.OPENROUTER),
        ("moonshotai/Kimi-K2.5", IdForm.OPENROUTER),
        ("moonshot/kimi-k2-6", IdForm.AIMLAPI),
        ("kimi-k2.6", IdForm.OFFICIAL),
        ("moonshot-v1-8k", IdForm.OFFICIAL),
        ("Pro/moonshotai/Kimi-K2.6", IdForm.OTHER),
        ("deepseek-chat", IdForm.OTHER),
    ],
)
def test_id_form(model_id: str, form: IdForm) -> None:
    assert id_form(model_id) is form


@pytest.mark.parametrize(
    ("model_id", "official"),
    [
        ("moonshotai/kimi-k2.6:free", "kimi-k2.6"),
        ("moonshot/kimi-k2-6", "kimi-k2.6"),
        ("moonshotai/kimi-k3.1-preview:free", "kimi-k3.1-preview"),
        ("moonshot/kimi-k3-1-preview", "kimi-k3.1-preview"),
        ("moonshot/kimi-k2-0905-preview", "kimi-k2-0905-preview"),
        ("accounts/fireworks/models/kimi-k2p6", "kimi-k2.6"),
        ("some/other-model", "some/other-model"),
    ],
)
def test_official_id_of(model_id: str, official: str) -> None:
    assert official_id_of(model_id) == official


@pytest.mark.parametrize(
    ("model_id", "openrouter", "aimlapi"),
    [
        ("kimi-k2.6", "moonshotai/kimi-k2.6", "moonshot/kimi-k2-6"),
        ("moonshot/kimi-k3-1-preview", "moonshotai/kimi-k3.1-preview", "moonshot/kimi-k3-1-preview"),
        ("kimi-k2.10", "moonshotai/kimi-k2.10", "moonshot/kimi-k2-10"),
        ("moonshot-v1-8k", "moonshotai/moonshot-v1-8k", "moonshot/moonshot-v1-8k"),
    ],
)
def test_gateway_spellings(model_id: str, openrouter: str, aimlapi: str) -> None:
    assert (to_openrouter_id(model_id), to_aimlapi_id(model_id)) == (openrouter, aimlapi)
    assert (to_id_form(model_id, IdForm.OPENROUTER), to_id_form(model_id, IdForm.AIMLAPI)) == (openrouter, aimlapi)


def test_only_a_spelling_with_variants_keeps_the_variant() -> None:
    assert spelled_for("moonshot/kimi-k2-6:free", IdForm.OPENROUTER) == "moonshotai/kimi-k2.6:free"
    assert spelled_for("moonshotai/kimi-k2.6:free", IdForm.AIMLAPI) == "moonshot/kimi-k2-6"
    assert spelled_for("moonshotai/kimi-k2.6:free", IdForm.OTHER) == "kimi-k2.6"


def test_a_correction_comes_back_in_the_id_own_spelling() -> None:
    assert correction_for("moonshot/kimi-k2-6-thinking") is not None
    found = correction_for("moonshotai/kimi-k2.6-thinking:free")
    assert found is not None and found[0] == "moonshotai/kimi-k2.6"
    assert correction_for("kimi-k2.6") is None
