"""The models check compares the context length Moonshot's `/models` states with the catalog's, as a note."""

from typing import Any

import pytest
import respx

from kimicheck.probe.context_lengths import MAX_CONTEXT_LENGTH, parse_context_lengths
from kimicheck.probe.report import result_to_json
from kimicheck.probe.result import ContextMismatch, ModelsData, Reason

from .helpers import MOONSHOT, config, only, probe, provider


def item(model_id: str, context_length: object) -> dict[str, Any]:
    """A `/models` item as the facts file documents Moonshot's (platform.kimi.ai, 2026-11)."""
    return {"id": model_id, "object": "model", "created": 1700000000, "owned_by": "moonshot",
            "context_length": context_length, "supports_image_in": True, "supports_video_in": True,
            "supports_reasoning": True}


@respx.mock
def test_a_context_length_other_than_the_catalogs_is_a_note_and_the_check_stays_ok() -> None:
    respx.get(f"{MOONSHOT}/models").respond(200, json={"object": "list", "data": [
        item("kimi-k2.6", 131072), item("moonshot-v1-8k", 8192)]})
    result = only(probe(config(provider(models=["kimi-k2.6", "moonshot-v1-8k"]))))
    assert (result.ok, result.reason) == (True, Reason.OK)
    assert result.detail == ("2 models listed; all 2 configured ids present; context length differs from the "
                             "catalog (as of 2026-11-29): kimi-k2.6 lists 131072, the catalog says 262144")
    assert isinstance(result.data, ModelsData)
    assert result.data.context_mismatches == (ContextMismatch("kimi-k2.6", listed=131072, catalog=262144),)
    assert result_to_json(result)["data"] == {
        "listed_count": 2, "present": {"kimi-k2.6": True, "moonshot-v1-8k": True}, "missing": [],
        "context_mismatches": [{"id": "kimi-k2.6", "listed": 131072, "catalog": 262144}]}


@respx.mock
def test_the_note_also_stands_beside_a_missing_id() -> None:
    respx.get(f"{MOONSHOT}/models").respond(200, json={"data": [item("kimi-k2.6", 4096)]})
    result = only(probe(config(provider(models=["kimi-k2.6", "kimi-k3"]))))
    assert (result.ok, result.reason) == (False, Reason.MODEL_NOT_FOUND)
    assert result.detail.endswith("; context length differs from the catalog (as of 2026-11-29): "
                                  "kimi-k2.6 lists 4096, the catalog says 262144")


@respx.mock
def test_matching_lengths_and_ids_the_catalog_has_no_length_for_say_nothing() -> None:
    respx.get(f"{MOONSHOT}/models").respond(200, json={"data": [item("kimi-k2.6", 262144), item("kimi-k3", 1)]})
    result = only(probe(config(provider(models=["kimi-k2.6", "kimi-k3"]))))
    assert result.detail == "2 models listed; all 2 configured ids present"
    assert "context_mismatches" not in (result_to_json(result)["data"] or {})


@respx.mock
def test_a_gateway_is_not_compared() -> None:
    respx.get("https://openrouter.ai/api/v1/key").respond(200, json={"data": {"limit": None, "usage": 0}})
    respx.get("https://openrouter.ai/api/v1/models").respond(200, json={"data": [
        {"id": "moonshotai/kimi-k2.6", "context_length": 65536}]})
    result = only(probe(config(provider(kind="openrouter", base_url="https://openrouter.ai/api/v1",
                                        models=["moonshotai/kimi-k2.6"]))))
    assert (result.ok, result.detail) == (True, "1 models listed; the configured id is present")


@pytest.mark.parametrize("value", [True, 262144.0, "131072", -1, 0, MAX_CONTEXT_LENGTH + 1, 10**400, None, [1]])
def test_only_bounded_whole_numbers_are_believed(value: object) -> None:
    assert parse_context_lengths({"data": [item("kimi-k2.6", value)]}) == {}


@respx.mock
@pytest.mark.parametrize("value", ["131072", 1e300, 10**30, True])
def test_an_unusable_length_from_the_provider_is_ignored(value: object) -> None:
    respx.get(f"{MOONSHOT}/models").respond(200, json={"data": [item("kimi-k2.6", value)]})
    result = only(probe(config(provider(models=["kimi-k2.6"]))))
    assert (result.ok, result.detail) == (True, "1 models listed; the configured id is present")


def test_bounded_lengths_are_kept_per_id() -> None:
    body = {"data": [item("a", 1), item("b", MAX_CONTEXT_LENGTH), {"id": "c"}, "junk", {"id": 5}]}
    assert parse_context_lengths(body) == {"a": 1, "b": MAX_CONTEXT_LENGTH}
    assert parse_context_lengths({"data": "x"}) == {}
