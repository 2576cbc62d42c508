"""The `models` check, against mocked providers."""

import respx

from kimicheck.probe.result import MissingModel, ModelsData, Reason

from .helpers import KEY, MOONSHOT, config, only, probe, provider

LISTING = {"object": "list", "data": [{"id": "kimi-k2.6"}, {"id": "kimi-k2-thinking"}, {"id": "moonshot-v1-8k"}]}


@respx.mock
def test_all_configured_ids_listed() -> None:
    route = respx.get(f"{MOONSHOT}/models").respond(200, json=LISTING)
    result = only(probe(config(provider(models=["kimi-k2.6", "moonshot-v1-8k"]))))
    assert (result.ok, result.reason, result.status_code) == (True, Reason.OK, 200)
    assert result.detail == "3 models listed; all 2 configured ids present"
    assert result.data == ModelsData(
        listed_count=3, present={"kimi-k2.6": True, "moonshot-v1-8k": True},
        listed=("kimi-k2.6", "kimi-k2-thinking", "moonshot-v1-8k"),
    )
    assert route.calls.last.request.headers["authorization"] == f"Bearer {KEY}"


@respx.mock
def test_missing_id_gets_a_suggestion() -> None:
    respx.get(f"{MOONSHOT}/models").respond(200, json=LISTING)
    result = only(probe(config(provider(models=["kimi-k2-thinkng"]))))
    assert (result.ok, result.reason) == (False, Reason.MODEL_NOT_FOUND)
    assert result.detail == "kimi-k2-thinkng is not listed (did you mean kimi-k2-thinking?)"
    assert isinstance(result.data, ModelsData)
    assert result.data.present == {"kimi-k2-thinkng": False}
    assert result.data.missing == (MissingModel("kimi-k2-thinkng", ("kimi-k2-thinking",)),)


@respx.mock
def test_an_id_known_not_to_exist_gets_the_right_id_first_and_why() -> None:
    respx.get(f"{MOONSHOT}/models").respond(200, json=LISTING)
    result = only(probe(config(provider(models=["kimi-k2.6-thinking"]))))
    assert (result.ok, result.reason) == (False, Reason.MODEL_NOT_FOUND)
    assert result.detail == ("kimi-k2.6-thinking is not listed: there is no such model, thinking is a request "
                             "parameter (use kimi-k2.6)")
    assert isinstance(result.data, ModelsData)
    assert result.data.missing == (MissingModel("kimi-k2.6-thinking", ("kimi-k2.6", "kimi-k2-thinking")),)


@respx.mock
def test_an_id_known_not_to_exist_on_a_gateway_keeps_the_gateway_spelling() -> None:
    respx.get("https://openrouter.ai/api/v1/key").respond(200, json={"data": {"limit": None, "usage": 0}})
    respx.get("https://openrouter.ai/api/v1/models").respond(200, json={"data": [
        {"id": "moonshotai/kimi-k2-thinking"}, {"id": "moonshotai/kimi-k2.6"}]})
    cfg = config(provider(kind="openrouter", base_url="https://openrouter.ai/api/v1",
                          models=["moonshotai/kimi-k2.6-thinking"]))
    result = only(probe(cfg))
    assert result.detail == ("moonshotai/kimi-k2.6-thinking is not listed: there is no such model, thinking is a "
                             "request parameter (use moonshotai/kimi-k2.6)")


@respx.mock
def test_an_id_known_not_to_exist_without_the_right_id_listed() -> None:
    respx.get(f"{MOONSHOT}/models").respond(200, json={"data": [{"id": "kimi-k2-thinking"}]})
    result = only(probe(config(provider(models=["kimi-k2.6-thinking"]))))
    assert result.detail == "kimi-k2.6-thinking is not listed: there is no such model, thinking is a request parameter"


@respx.mock
def test_look_alike_hyphen_is_named() -> None:
    respx.get(f"{MOONSHOT}/models").respond(200, json=LISTING)
    result = only(probe(config(provider(models=["kimi\u2011k2.6"]))))
    assert result.reason is Reason.MODEL_NOT_FOUND
    assert result.detail == (
        "'kimi\\u2011k2.6' is not listed: it contains look-alike characters; the listed id is kimi-k2.6"
    )


@respx.mock
def test_bare_array_listing_is_read() -> None:
    respx.get("https://api.aimlapi.com/v1/models").respond(200, json=[{"id": "moonshot/kimi-k2-6"}])
    cfg = config(provider(kind="aimlapi", base_url="https://api.aimlapi.com/v1", models=["moonshot/kimi-k2-6"]))
    result = only(probe(cfg))
    assert (result.reason, result.detail) == (Reason.OK, "1 models listed; the configured id is present")


@respx.mock
def test_public_models_list_needs_the_key_endpoint() -> None:
    key_route = respx.get("https://openrouter.ai/api/v1/key").respond(
        401, json={"error": {"message": "No auth credentials found", "code": 401}})
    models_route = respx.get("https://openrouter.ai/api/v1/models").respond(200, json={"data": []})
    result = only(probe(config(provider(kind="openrouter", base_url="https://openrouter.ai/api/v1"))))
    assert (result.ok, result.reason, result.status_code) == (False, Reason.AUTH_FAILED, 401)
    assert result.detail == "HTTP 401: No auth credentials found"
    assert key_route.call_count == 1
    assert models_route.call_count == 0


@respx.mock
def test_public_models_list_after_the_key_is_proved() -> None:
    respx.get("https://openrouter.ai/api/v1/key").respond(200, json={"data": {"limit_remaining": None}})
    respx.get("https://openrouter.ai/api/v1/models").respond(200, json={"data": [{"id": "moonshotai/kimi-k2.6"}]})
    cfg = config(provider(kind="openrouter", base_url="https://openrouter.ai/api/v1", models=["moonshotai/kimi-k2.6"]))
    assert only(probe(cfg)).reason is Reason.OK


@respx.mock
def test_listing_without_a_list_is_invalid() -> None:
    respx.get(f"{MOONSHOT}/models").respond(200, json={"object": "list"})
    result = only(probe(config(provider())))
    assert (result.ok, result.reason, result.status_code) == (False, Reason.INVALID_RESPONSE, 200)
    assert result.detail == "the /models answer has no list of models"


@respx.mock
def test_listing_that_is_not_json_is_invalid() -> None:
    respx.get(f"{MOONSHOT}/models").respond(200, text="<html>gateway</html>")
    result = only(probe(config(provider())))
    assert (result.reason, result.detail) == (Reason.INVALID_RESPONSE, "HTTP 200 answer is not JSON (20 bytes)")


@respx.mock
def test_models_404_points_at_the_base_url() -> None:
    respx.get("https://api.moonshot.ai/models").respond(404, text="Not Found")
    result = only(probe(config(provider(base_url="https://api.moonshot.ai"))))
    assert (result.reason, result.status_code) == (Reason.ENDPOINT_NOT_FOUND, 404)
    assert result.detail == "HTTP 404 (the models endpoint is not at this address: check base_url)"
