"""The simulator's default model lists and model attributes come from the catalog in use."""

from __future__ import annotations

from kimicheck.config.catalog_file import parse_catalog
from kimicheck.providers import Catalog, Kind, Thinking, shipped_catalog, use_catalog
from kimicheck.sim.accounts import Account, default_models
from kimicheck.sim.catalog import ModelInfo, model_info


def test_default_lists_are_the_catalogs_active_models_in_each_dialects_spelling() -> None:
    active = shipped_catalog().active_ids(Kind.MOONSHOT)
    assert default_models(Kind.MOONSHOT) == list(active)
    assert "kimi-latest" not in active and "kimi-k2.5" not in active and "moonshot-v1-8k" not in active
    assert default_models(Kind.OPENROUTER)[:2] == ["moonshotai/kimi-k2.6", "moonshotai/kimi-k3"]
    assert default_models(Kind.AIMLAPI)[:3] == ["moonshot/kimi-k2-6", "moonshot/kimi-k3", "moonshot/kimi-k3-1-pro"]
    assert default_models(Kind.DEEPSEEK) == ["deepseek-chat", "deepseek-reasoner"]


def test_model_info_reads_thinking_and_fixed_parameters_from_the_catalog() -> None:
    info = model_info("moonshotai/kimi-k2.6")
    assert (info.context_length, info.reasoning, info.fixed_temperature, info.thinking) == (
        262144, True, True, Thinking.OPTIONAL)
    assert info.fixed_params == {"temperature": 1, "top_p": 0.95, "n": 1, "presence_penalty": 0, "frequency_penalty": 0}
    assert model_info("kimi-k3.1-pro") == ModelInfo()  # the catalog knows no attributes of it yet
    assert model_info("deepseek-reasoner").thinking is Thinking.ALWAYS
    assert model_info("no-such-model") == ModelInfo()


def test_a_replaced_catalog_changes_what_a_new_account_sees() -> None:
    newer = parse_catalog(
        "version: 1\nas_of: 2027-01-10\nkinds:\n  moonshot:\n    models:\n"
        "      - {id: kimi-k4, status: active, context_length: 524288, source: 'https://e.com', checked: 2027-01-10}\n",
        "newer.yaml")
    assert isinstance(newer, Catalog)
    use_catalog(newer)
    assert Account(key="sk-test").visible_models == ["kimi-k4"]
    assert model_info("kimi-k4").context_length == 524288
