"""Each provider's documented error answers, byte for byte, and the reason each one must get.

The bodies are the ones the providers' docs, SDKs and public bug reports record (see the provider facts): a
classification is only as good as the real bodies it was tried on.
"""

from __future__ import annotations

import httpx
import pytest
import respx

from kimicheck.probe.errors import RETRYABLE, ProbeEndpoint, from_status
from kimicheck.probe.result import ChatData, Check, Reason
from kimicheck.providers import Kind

from .helpers import MOONSHOT, config, only, probe, provider

CHAT, MODELS, BALANCE, KEY = ProbeEndpoint.CHAT, ProbeEndpoint.MODELS, ProbeEndpoint.BALANCE, ProbeEndpoint.KEY

#: Moonshot's answer to a path it does not serve (recorded by a public Go SDK and several client projects).
MOONSHOT_URL_NOT_FOUND = (
    b'{"code":5,"error":"url.not_found","message":"\xe6\xb2\xa1\xe6\x89\xbe\xe5\x88\xb0\xe5\xaf\xb9\xe8\xb1\xa1",'
    b'"method":"POST","scode":"0x5","status":false,"ua":"","url":"/chat/completions"}'
)
NGINX_404 = b"<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1>" \
            b"</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
#: AIMLAPI out of credits: a flat body, no `error` object (aimlapi api-docs, errors with status code 4xx).
AIMLAPI_NO_CREDITS = (
    b'{"message":"You\'ve run out of credits. Please top up your balance or update your payment method",'
    b'"path":"/v1/chat/completions","requestId":"798b860e-98c2-4e8e-8c50-550bcfc2eccc","statusCode":403,'
    b'"timestamp":"2026-11-20T07:13:27.813Z"}'
)
MOONSHOT_403_BALANCE = (
    b'{"error":{"type":"permission_denied_error","message":"Your account org-0000<ak-0000> is suspended due to '
    b'insufficient balance, please recharge your account or check your plan and billing details"}}'
)
MOONSHOT_OVERLOADED = (
    b'{"error":{"type":"engine_overloaded_error","message":"The engine is currently overloaded, please try again '
    b'later"}}'
)
OPENROUTER_NO_PROVIDER = (
    b'{"error":{"code":503,"message":"No available model provider that meets your routing requirements"}}'
)
MOONSHOT_CONTENT_FILTER = (
    b'{"error":{"code":400,"message":"The request was rejected because it was considered high risk",'
    b'"param":"prompt","type":"content_filter"}}'
)
AZURE_CONTENT_FILTER = (
    b'{"error":{"message":"The response was filtered due to the prompt triggering content management policy.",'
    b'"type":null,"param":"prompt","code":"content_filter","status":400}}'
)
OPENROUTER_MODERATION = (
    b'{"error":{"code":403,"message":"moonshotai/kimi-k2.6 requires moderation on OpenRouter. Your input was '
    b'flagged for \\"harassment\\". No credits were charged.","metadata":{"reasons":["harassment"],'
    b'"flagged_input":"...","provider_name":"Moonshot AI","model_slug":"moonshotai/kimi-k2.6"}}}'
)
OPENROUTER_USER_NOT_FOUND = b'{"error":{"message":"User not found.","code":401}}'
DEEPSEEK_401 = (
    b'{"error":{"message":"Authentication Fails, Your api key: ****abcd is invalid","type":"authentication_error",'
    b'"param":null,"code":"invalid_request_error"}}'
)
#: the same answer as a client that keeps only `code` shows it: the status still says what happened
DEEPSEEK_401_CODE_ONLY = b'{"error":{"message":"Authentication Fails (no such user)","code":"invalid_request_error"}}'


def classify(status: int, body: bytes, kind: Kind = Kind.MOONSHOT, endpoint: ProbeEndpoint = CHAT,
             content_type: str = "application/json") -> tuple[Reason, str]:
    error = from_status(status, body, httpx.Headers({"content-type": content_type}), kind=kind, endpoint=endpoint)
    return error.reason, error.detail


@pytest.mark.parametrize("endpoint", [CHAT, MODELS, BALANCE])
def test_moonshot_url_not_found_is_a_wrong_base_url_on_every_endpoint(endpoint: ProbeEndpoint) -> None:
    assert classify(404, MOONSHOT_URL_NOT_FOUND, endpoint=endpoint) == (
        Reason.ENDPOINT_NOT_FOUND,
        f"HTTP 404 url.not_found: 没找到对象 (the {endpoint} endpoint is not at this address: check base_url)")


@pytest.mark.parametrize(("body", "content_type"), [
    (NGINX_404, "text/html"),
    (b"404 page not found", "text/plain"),
    (b"", "text/plain"),
    (b'{"detail":"Not Found"}', "application/json"),
    (b'{"error":"url.not_found"}', "application/json"),
])
def test_a_404_that_is_not_the_apis_own_answer_is_a_wrong_base_url(body: bytes, content_type: str) -> None:
    reason, detail = classify(404, body, kind=Kind.OPENAI_COMPATIBLE, content_type=content_type)
    assert reason is Reason.ENDPOINT_NOT_FOUND
    assert detail.endswith("(the chat endpoint is not at this address: check base_url)")


@pytest.mark.parametrize("body", [
    b'{"error":{"type":"resource_not_found_error","message":"Not found the model kimi-k9 or Permission denied"}}',
    b'{"error":{"message":"The model `kimi-k9` does not exist","type":"invalid_request_error",'
    b'"code":"model_not_found"}}',
    b'{"error":"model \\"kimi-k9\\" not found, try pulling it first"}',
])
def test_a_404_for_the_model_stays_model_not_found(body: bytes) -> None:
    assert classify(404, body, kind=Kind.OPENAI_COMPATIBLE)[0] is Reason.MODEL_NOT_FOUND


@pytest.mark.parametrize(("status", "body", "kind"), [
    (403, AIMLAPI_NO_CREDITS, Kind.AIMLAPI),
    (403, MOONSHOT_403_BALANCE, Kind.MOONSHOT),
    (429, b'{"error":{"type":"rate_limit_reached_error","message":"Your account org-0000<ak-0000> is suspended '
          b'due to insufficient balance, please recharge your account"}}', Kind.MOONSHOT),
    (403, b'{"error":{"message":"Your account org-0000<ak-0000> is not active, organization <org-0000> exceeded '
          b'current quota, please check your plan and billing details","type":"exceeded_current_quota_error"}}',
     Kind.MOONSHOT),
])
def test_out_of_money_whatever_the_status(status: int, body: bytes, kind: Kind) -> None:
    assert classify(status, body, kind=kind)[0] is Reason.QUOTA_EXHAUSTED


def test_aimlapi_out_of_credits_detail_is_its_message() -> None:
    assert classify(403, AIMLAPI_NO_CREDITS, kind=Kind.AIMLAPI) == (
        Reason.QUOTA_EXHAUSTED,
        "HTTP 403: You've run out of credits. Please top up your balance or update your payment method")


def test_a_403_that_is_not_about_money_stays_permission_denied() -> None:
    body = b'{"error":{"type":"permission_denied_error","message":"The endpoint is not open to this account"}}'
    assert classify(403, body)[0] is Reason.PERMISSION_DENIED


@pytest.mark.parametrize(("status", "body", "kind"), [
    (429, MOONSHOT_OVERLOADED, Kind.MOONSHOT),
    (503, OPENROUTER_NO_PROVIDER, Kind.OPENROUTER),
    (503, b'{"error":{"code":503,"message":"Provider returned error"}}', Kind.OPENROUTER),
])
def test_out_of_capacity_is_provider_overloaded(status: int, body: bytes, kind: Kind) -> None:
    assert classify(status, body, kind=kind)[0] is Reason.PROVIDER_OVERLOADED


def test_provider_overloaded_is_retried_but_a_cdn_503_stays_a_server_error() -> None:
    assert Reason.PROVIDER_OVERLOADED in RETRYABLE
    assert classify(503, b"<html>503 Service Temporarily Unavailable</html>", kind=Kind.OPENROUTER,
                    content_type="text/html")[0] is Reason.SERVER_ERROR


@pytest.mark.parametrize(("status", "body", "kind"), [
    (400, MOONSHOT_CONTENT_FILTER, Kind.MOONSHOT),
    (400, AZURE_CONTENT_FILTER, Kind.OPENAI_COMPATIBLE),
    (403, OPENROUTER_MODERATION, Kind.OPENROUTER),
])
def test_content_filter_refusals(status: int, body: bytes, kind: Kind) -> None:
    assert classify(status, body, kind=kind)[0] is Reason.CONTENT_FILTERED


def test_moonshot_content_filter_detail() -> None:
    assert classify(400, MOONSHOT_CONTENT_FILTER) == (
        Reason.CONTENT_FILTERED,
        "HTTP 400 content_filter: The request was rejected because it was considered high risk")


@pytest.mark.parametrize(("body", "kind", "endpoint"), [
    (OPENROUTER_USER_NOT_FOUND, Kind.OPENROUTER, KEY),
    (OPENROUTER_USER_NOT_FOUND, Kind.OPENROUTER, CHAT),
    (DEEPSEEK_401, Kind.DEEPSEEK, BALANCE),
    (DEEPSEEK_401_CODE_ONLY, Kind.DEEPSEEK, MODELS),
    (DEEPSEEK_401_CODE_ONLY, Kind.DEEPSEEK, CHAT),
])
def test_a_401_is_auth_failed_whatever_type_or_code_it_names(body: bytes, kind: Kind,
                                                             endpoint: ProbeEndpoint) -> None:
    assert classify(401, body, kind=kind, endpoint=endpoint)[0] is Reason.AUTH_FAILED


def test_openrouter_user_not_found_detail() -> None:
    assert classify(401, OPENROUTER_USER_NOT_FOUND, kind=Kind.OPENROUTER, endpoint=KEY) == (
        Reason.AUTH_FAILED, "HTTP 401: User not found.")


@respx.mock
def test_chat_on_a_base_url_without_v1_is_endpoint_not_found_not_model_not_found() -> None:
    respx.post("https://api.moonshot.ai/chat/completions").respond(404, content=MOONSHOT_URL_NOT_FOUND)
    cfg = config(provider(base_url="https://api.moonshot.ai", models=[{"id": "kimi-k2.6", "chat": True}]))
    result = only(probe(cfg, [Check.CHAT]))
    assert (result.ok, result.reason, result.status_code) == (False, Reason.ENDPOINT_NOT_FOUND, 404)


@respx.mock
def test_overloaded_chat_models_check_is_retried() -> None:
    route = respx.get(f"{MOONSHOT}/models").respond(429, content=MOONSHOT_OVERLOADED)
    result = only(probe(config(provider())))
    assert (result.reason, route.call_count) == (Reason.PROVIDER_OVERLOADED, 3)


#: An OpenAI-style completion stopped by the provider's content filter: HTTP 200, `finish_reason: content_filter`.
FILTERED_COMPLETION = {
    "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "kimi-k2.6",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": ""}, "finish_reason": "content_filter"}],
    "usage": {"prompt_tokens": 9, "completion_tokens": 0, "total_tokens": 9},
}


@respx.mock
def test_a_completion_stopped_by_the_content_filter_fails_the_chat_check() -> None:
    respx.post(f"{MOONSHOT}/chat/completions").respond(200, json=FILTERED_COMPLETION)
    result = only(probe(config(provider(models=[{"id": "kimi-k2.6", "chat": True}])), [Check.CHAT]))
    assert (result.ok, result.reason, result.status_code) == (False, Reason.CONTENT_FILTERED, 200)
    assert result.detail == ("9 prompt + 0 completion tokens, finish_reason content_filter: the provider's content "
                             "filter stopped the answer")
    assert result.data == ChatData(prompt_tokens=9, completion_tokens=0)
