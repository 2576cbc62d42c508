"""The built-in defaults are constructed without validation: they must equal what validation gives."""

from kimicheck.config.models import ChatSettings, Defaults, Intervals, Provider


def test_constructed_defaults_equal_validated_ones() -> None:
    validated = Defaults.model_validate({})
    constructed = Defaults.model_construct()
    assert constructed == validated
    assert constructed.model_fields_set == validated.model_fields_set == set()
    assert validated.intervals == Intervals(models=300.0, balance=300.0, chat=3600.0)
    assert validated.chat == ChatSettings(max_tokens=16, daily_token_budget=2000)
    assert validated.intervals.model_fields_set == {"models", "balance", "chat"}
    assert validated.chat.model_fields_set == {"max_tokens", "daily_token_budget"}


def test_a_provider_without_models_gets_a_list_of_its_own() -> None:
    raw = {"name": "p", "kind": "moonshot", "base_url": "https://api.moonshot.ai/v1"}
    first, second = Provider.model_validate(raw), Provider.model_validate(raw)
    assert first.models == [] and first.models is not second.models
