"""What the model-id rules share: the configured ids of a provider, and the configs their examples show."""

from __future__ import annotations

from collections.abc import Iterator

from kimicheck.config.document import DocPath
from kimicheck.config.models import Provider
from kimicheck.lint.rules._common import provider_path

__all__ = ["model_ids", "official_example", "openrouter_example"]


def model_ids(index: int, provider: Provider) -> Iterator[tuple[DocPath, str]]:
    """(document path of the id, id) for every configured model of a provider."""
    for position, model in enumerate(provider.models):
        if isinstance(model, str):
            yield provider_path(index, "models", position), model
        else:
            yield provider_path(index, "models", position, "id"), model.id


def _template(name: str, kind: str, url: str, env: str, models: str) -> str:
    return (
        "version: 1\nproviders:\n"
        f"  - name: {name}\n    kind: {kind}\n    base_url: {url}\n    api_key_env: {env}\n"
        f"    models: {models}\n"
    )


def official_example(models: str) -> str:
    """A rule example: one provider on Moonshot's international API with these `models:`."""
    return _template("kimi-intl", "moonshot", "https://api.moonshot.ai/v1", "MOONSHOT_API_KEY", models)


def openrouter_example(models: str) -> str:
    """A rule example: one OpenRouter provider with these `models:`."""
    return _template("openrouter", "openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY", models)
