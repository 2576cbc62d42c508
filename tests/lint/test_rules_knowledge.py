"""The provider knowledge the rules rest on: id forms, currencies and endpoint paths per host and kind."""

from __future__ import annotations

import pytest

from kimicheck.config.models import Provider
from kimicheck.lint.engine import lint_bytes
from kimicheck.lint.rules._common import clean_url, shown, site_label, written
from kimicheck.lookalike import find_suspects, normalize_id
from kimicheck.providers import (
    ENDPOINT_PATHS,
    KIND_PROFILES,
    OFFICIAL_MODEL_IDS,
    IdForm,
    Kind,
    expected_id_form,
    implied_currency,
    official_match,
    spelled_by,
    spelled_for,
    to_id_form,
)


@pytest.mark.parametrize(
    ("url", "kind", "form"),
    [
        ("https://api.moonshot.ai/v1", Kind.MOONSHOT, IdForm.OFFICIAL),
        ("https://api.moonshot.cn/v1", Kind.OPENAI_COMPATIBLE, IdForm.OFFICIAL),
        ("https://api.kimi.com/coding/v1", Kind.MOONSHOT, IdForm.OFFICIAL),
        ("https://openrouter.ai/api/v1", Kind.MOONSHOT, IdForm.OPENROUTER),
        ("https://api.aimlapi.com/v1", Kind.OPENAI_COMPATIBLE, IdForm.AIMLAPI),
        ("https://api.together.xyz/v1", Kind.OPENAI_COMPATIBLE, IdForm.OTHER),
        ("http://127.0.0.1:8080/v1", Kind.OPENROUTER, IdForm.OPENROUTER),
        ("http://127.0.0.1:8080/v1", Kind.DEEPSEEK, IdForm.OTHER),
    ],
)
def test_expected_id_form_follows_the_host_then_the_kind(url: str, kind: Kind, form: IdForm) -> None:
    assert expected_id_form(url, kind) is form


@pytest.mark.parametrize(
    ("model_id", "form", "spelled"),
    [
        ("moonshotai/kimi-k2.6:free", IdForm.OFFICIAL, "kimi-k2.6"),
        ("moonshot/kimi-k2-6", IdForm.OPENROUTER, "moonshotai/kimi-k2.6"),
        ("kimi-k2.5", IdForm.AIMLAPI, "moonshot/kimi-k2-5"),
        ("moonshotai/Kimi-K2.5", IdForm.OFFICIAL, "kimi-k2.5"),
        ("Pro/moonshotai/Kimi-K2.6", IdForm.AIMLAPI, "moonshot/kimi-k2-6"),
        ("deepseek-chat", IdForm.OTHER, "deepseek-chat"),
    ],
)
def test_to_id_form(model_id: str, form: IdForm, spelled: str) -> None:
    assert to_id_form(model_id, form) == spelled


@pytest.mark.parametrize(
    ("url", "kind", "currency"),
    [
        ("https://api.moonshot.ai/v1", Kind.MOONSHOT, "USD"),
        ("https://api.moonshot.cn/v1", Kind.MOONSHOT, "CNY"),
        ("https://openrouter.ai/api/v1", Kind.OPENROUTER, "USD"),
        ("http://127.0.0.1:9000/api/v1", Kind.OPENROUTER, "USD"),
        ("http://127.0.0.1:9000/v1", Kind.MOONSHOT, None),
        ("https://api.deepseek.com", Kind.DEEPSEEK, None),
    ],
)
def test_implied_currency(url: str, kind: Kind, currency: str | None) -> None:
    assert implied_currency(url, kind) == currency


def test_endpoint_paths_cover_every_path_the_sdk_or_a_balance_check_appends() -> None:
    profiles = KIND_PROFILES.values()
    appended = {p.chat_path for p in profiles} | {p.models_path for p in profiles}
    appended |= {p.balance.path for p in profiles if p.balance and "/" in p.balance.path
                 and not p.balance.relative_to_origin}
    assert appended <= set(ENDPOINT_PATHS)


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        ("https://me:pw@api.moonshot.ai:8443/v1?x=1#y", "https://api.moonshot.ai:8443/v1"),
        ("http://[::1]:8080/v1/", "http://[::1]:8080/v1/"),
        ("http://[::1", "http://[::1"),
        ("not a url", "not a url"),
    ],
)
def test_clean_url_drops_credentials_query_and_fragment(url: str, clean: str) -> None:
    assert clean_url(url) == clean


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("https://api.kimi.com/coding/v1", "Kimi Code (api.kimi.com/coding)"),
        ("http://127.0.0.1:8080/v1", "the host 127.0.0.1 (kind moonshot)"),
        ("kimi", "kind moonshot"),
    ],
)
def test_site_label(url: str, label: str) -> None:
    provider = Provider(name="p", kind=Kind.MOONSHOT, base_url=url, api_key_env="K")
    assert site_label(provider) == label


def test_written_tells_a_spelled_out_value_from_a_default() -> None:
    data = {"defaults": {"timeout": "10s", "intervals": None}, "providers": [{"name": "a"}]}
    assert written(data, ("defaults", "timeout"))
    assert not written(data, ("defaults", "intervals"))
    assert written(data, ("providers", 0, "name"))
    assert not written(data, ("providers", 1, "name"))
    assert not written(data, ("providers", "0"))


@pytest.mark.parametrize(
    ("model_id", "official", "host"),
    [
        ("kimi-k2.6", "kimi-k2.6", None),
        ("kimi-k2-6", "kimi-k2.6", None),
        ("KIMI-K2P6", "kimi-k2.6", None),
        ("moonshotai/kimi-k2.6:free", "kimi-k2.6", "OpenRouter"),
        ("moonshot/kimi-k2-5", "kimi-k2.5", "AIMLAPI"),
        ("Pro/moonshotai/Kimi-K2.6", "kimi-k2.6", "SiliconFlow"),
        ("moonshotai/Kimi-K2.5", "kimi-k2.5", "Together AI"),
        ("accounts/fireworks/models/kimi-k2p6", "kimi-k2.6", "Fireworks AI"),
        ("moonshotai/kimi-k2-6", "kimi-k2.6", None),
        ("kimi-k2-0905-preview", "kimi-k2-0905-preview", None),
        ("moonshot/moonshot-v1-8k", "moonshot-v1-8k", "AIMLAPI"),
        ("moonshotai/kimi-k2-instruct-0905", None, None),
        ("kimi-k2.7", None, None),
        ("kimi-k2-60", None, None),
    ],
)
def test_any_hosts_spelling_names_its_official_model_and_host(
    model_id: str, official: str | None, host: str | None
) -> None:
    assert official_match(model_id) == official
    assert spelled_by(model_id) == host


def test_every_official_id_is_its_own_match() -> None:
    assert [official_match(m) for m in OFFICIAL_MODEL_IDS] == list(OFFICIAL_MODEL_IDS)


@pytest.mark.parametrize(
    ("model_id", "form", "spelled"),
    [
        ("moonshotai/kimi-k2-6:free", IdForm.OPENROUTER, "moonshotai/kimi-k2.6:free"),
        ("moonshotai/kimi-k2.6:free", IdForm.OFFICIAL, "kimi-k2.6"),
        ("Kimi-K2.6", IdForm.AIMLAPI, "moonshot/kimi-k2-6"),
        ("kimi-k9", IdForm.OPENROUTER, None),
    ],
)
def test_spelled_for(model_id: str, form: IdForm, spelled: str | None) -> None:
    assert spelled_for(model_id, form) == spelled


@pytest.mark.parametrize(
    ("written_id", "normal", "described"),
    [
        ("kim\u0456-k2.6", "kimi-k2.6", ["U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I"]),
        ("\u039aimi-k2.6", "Kimi-k2.6", ["U+039A GREEK CAPITAL LETTER KAPPA"]),
        ("m\u03bfonshot-v1-8k", "moonshot-v1-8k", ["U+03BF GREEK SMALL LETTER OMICRON"]),
        ("kimi-k2.6\t", "kimi-k2.6", ["U+0009 CHARACTER TABULATION"]),
        ("kimi\x1b-k2.6", "kimi-k2.6", ["U+001B CONTROL CHARACTER"]),
        (" kimi-k2.6 ", "kimi-k2.6", []),
        ("kimi-k2.6", "kimi-k2.6", []),
    ],
)
def test_lookalikes_and_controls_are_named_and_normalised(written_id: str, normal: str, described: list[str]) -> None:
    assert normalize_id(written_id) == normal
    assert [s.description for s in find_suspects(written_id)] == described


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("kimi-k2.6", "kimi-k2.6"),
        ("kimi\x1b[31m-k2.6\u200b", "kimi\\x1b[31m-k2.6\\u200b"),
        ("https://api.moonshot.ai/sk-test-0123456789abcdefghij/v1", "https://api.moonshot.ai/sk-[REDACTED]/v1"),
    ],
)
def test_shown_masks_keys_and_escapes_controls(value: str, quoted: str) -> None:
    assert shown(value) == quoted


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("batch", ["true", "{window: 12h}"])
def test_batch_is_refused_exactly_on_the_kinds_without_batch_endpoints(kind: Kind, batch: str) -> None:
    text = (
        "version: 1\nproviders:\n  - name: p\n"
        f"    kind: {kind.value}\n    base_url: http://127.0.0.1:8080/v1\n    api_key_env: P_KEY\n"
        f"    models: [kimi-k2.6]\n    batch: {batch}\n"
    )
    found = [f.rule for f in lint_bytes(text.encode(), "c.yaml").findings if f.rule == "KC410"]
    assert found == ([] if KIND_PROFILES[kind].batch_api is not None else ["KC410"])
