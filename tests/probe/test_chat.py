"""The paid `chat` check: the minimal request, judged on shape and usage, never retried on 4xx."""

import json

import httpx
import pytest
import respx

from kimicheck.probe.result import ChatData, Check, Reason

from .helpers import MOONSHOT, config, probe, provider

CHAT = [Check.CHAT]
COMPLETION = {
    "id": "cmpl-1", "object": "chat.completion", "created": 1, "model": "kimi-k2.6",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": None}, "finish_reason": "length"}],
    "usage": {"prompt_tokens": 9, "completion_tokens": 16, "total_tokens": 25},
}


@respx.mock
def test_minimal_request_and_null_content_is_ok() -> None:
    route = respx.post(f"{MOONSHOT}/chat/completions").respond(200, json=COMPLETION)
    cfg = config(provider(models=["moonshot-v1-8k", {"id": "kimi-k2.6", "chat": True}]))
    [result] = probe(cfg, CHAT)
    assert (result.ok, result.reason, result.model, result.status_code) == (True, Reason.OK, "kimi-k2.6", 200)
    assert result.data == ChatData(prompt_tokens=9, completion_tokens=16)
    assert result.detail == "9 prompt + 16 completion tokens, finish_reason length"
    assert json.loads(route.calls.last.request.content) == {
        "model": "kimi-k2.6", "messages": [{"role": "user", "content": "Reply with OK."}],
        "max_completion_tokens": 16,
    }


@respx.mock
def test_gateway_takes_max_tokens_and_the_model_cap() -> None:
    route = respx.post("https://openrouter.ai/api/v1/chat/completions").respond(200, json=COMPLETION)
    cfg = config(provider(kind="openrouter", base_url="https://openrouter.ai/api/v1",
                          models=[{"id": "moonshotai/kimi-k2.6", "chat": True, "max_tokens": 32}]))
    probe(cfg, CHAT)
    body = json.loads(route.calls.last.request.content)
    assert body["max_tokens"] == 32
    assert "temperature" not in body and "top_p" not in body and "max_completion_tokens" not in body


@respx.mock
def test_no_chat_models_means_no_request() -> None:
    assert probe(config(provider(models=["kimi-k2.6"])), CHAT) == []
    assert respx.calls.call_count == 0


@respx.mock
def test_missing_usage_is_invalid() -> None:
    respx.post(f"{MOONSHOT}/chat/completions").respond(200, json={**COMPLETION, "usage": None})
    [result] = probe(config(provider(models=[{"id": "kimi-k2.6", "chat": True}])), CHAT)
    assert (result.ok, result.reason, result.detail) == (False, Reason.INVALID_RESPONSE,
                                                         "the chat answer has no usage")


@respx.mock
def test_empty_choices_are_invalid() -> None:
    respx.post(f"{MOONSHOT}/chat/completions").respond(200, json={**COMPLETION, "choices": []})
    [result] = probe(config(provider(models=[{"id": "kimi-k2.6", "chat": True}])), CHAT)
    assert (result.reason, result.detail) == (Reason.INVALID_RESPONSE, "the chat answer has no choices")


@respx.mock
def test_unknown_model_is_model_not_found() -> None:
    respx.post(f"{MOONSHOT}/chat/completions").respond(404, json={"error": {
        "type": "resource_not_found_error", "message": "Not found the model kimi-k2.6-thinking or Permission denied"}})
    [result] = probe(config(provider(models=[{"id": "kimi-k2.6-thinking", "chat": True}])), CHAT)
    assert (result.ok, result.reason, result.status_code) == (False, Reason.MODEL_NOT_FOUND, 404)
    assert result.detail == ("HTTP 404 resource_not_found_error: Not found the model kimi-k2.6-thinking or "
                             "Permission denied")


@respx.mock
def test_rate_limit_on_chat_is_not_retried() -> None:
    route = respx.post(f"{MOONSHOT}/chat/completions").respond(429, json={"error": {
        "type": "rate_limit_reached_error", "message": "max RPM 3 reached, retry after 20 seconds"}})
    [result] = probe(config(provider(models=[{"id": "kimi-k2.6", "chat": True}])), CHAT)
    assert (result.reason, route.call_count) == (Reason.RATE_LIMITED, 1)


@respx.mock
def test_bad_request_is_not_retried() -> None:
    route = respx.post(f"{MOONSHOT}/chat/completions").respond(400, json={"error": {
        "type": "invalid_request_error", "message": "invalid temperature: only 1 is allowed for this model"}})
    [result] = probe(config(provider(models=[{"id": "kimi-k2.6", "chat": True}])), CHAT)
    assert (result.reason, route.call_count) == (Reason.BAD_REQUEST, 1)
    assert result.detail == ("HTTP 400 invalid_request_error: invalid temperature: only 1 is allowed for this "
                             "model")


@respx.mock
def test_server_error_on_chat_is_not_retried() -> None:
    route = respx.post(f"{MOONSHOT}/chat/completions").mock(side_effect=[
        httpx.Response(503, json={"error": {"type": "server_error", "message": "busy"}}),
        httpx.Response(200, json=COMPLETION),
    ])
    [result] = probe(config(provider(models=[{"id": "kimi-k2.6", "chat": True}])), CHAT)
    assert (result.reason, result.detail, route.call_count) == (Reason.SERVER_ERROR, "HTTP 503 server_error: busy", 1)


@pytest.mark.parametrize("unsent", [
    httpx.ConnectError("[Errno 111] Connection refused"),
    httpx.ConnectTimeout("connect timed out"),
    httpx.PoolTimeout("no free connection"),
])
@respx.mock
def test_chat_is_retried_when_the_request_was_provably_not_sent(unsent: httpx.TransportError) -> None:
    route = respx.post(f"{MOONSHOT}/chat/completions").mock(side_effect=[unsent, httpx.Response(200, json=COMPLETION)])
    [result] = probe(config(provider(models=[{"id": "kimi-k2.6", "chat": True}])), CHAT)
    assert (result.reason, route.call_count) == (Reason.OK, 2)


@pytest.mark.parametrize("dropped", [
    httpx.ReadError("[Errno 104] Connection reset by peer"),
    httpx.RemoteProtocolError("Server disconnected without sending a response."),
    httpx.WriteError("[Errno 32] Broken pipe"),
])
@respx.mock
def test_chat_is_not_retried_once_the_request_may_have_been_sent(dropped: httpx.TransportError) -> None:
    route = respx.post(f"{MOONSHOT}/chat/completions").mock(side_effect=[dropped, httpx.Response(200, json=COMPLETION)])
    [result] = probe(config(provider(models=[{"id": "kimi-k2.6", "chat": True}])), CHAT)
    assert (result.ok, result.reason, route.call_count) == (False, Reason.CONNECT_ERROR, 1)
    assert result.detail == (f"the connection broke during the request ({type(dropped).__name__}): {dropped} "
                             "(not retried: the request may have reached the provider and been billed)")


@respx.mock
def test_a_dropped_connection_is_still_retried_on_free_checks() -> None:
    route = respx.get(f"{MOONSHOT}/models").mock(side_effect=[
        httpx.ReadError("[Errno 104] Connection reset by peer"), httpx.Response(200, json={"data": []})])
    [result] = probe(config(provider(models=[])), [Check.MODELS])
    assert (result.reason, route.call_count) == (Reason.OK, 2)
