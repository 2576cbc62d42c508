"""Every failure reason, from transport errors to error bodies, and the retry rules."""

import ssl

import httpx
import pytest
import respx

from kimicheck.probe.errors import ProbeEndpoint, from_status, parse_retry_after
from kimicheck.probe.result import Check, Reason
from kimicheck.probe.session import RetryPolicy
from kimicheck.providers import Kind

from .helpers import MOONSHOT, config, only, probe, provider

MODELS_URL = f"{MOONSHOT}/models"


def error(status: int, error_type: str | None, message: str = "m") -> httpx.Response:
    body: dict[str, object] = {"message": message}
    if error_type:
        body["type"] = error_type
    return httpx.Response(status, json={"error": body})


@pytest.mark.parametrize(("status", "error_type", "endpoint", "reason"), [
    (429, "exceeded_current_quota_error", ProbeEndpoint.CHAT, Reason.QUOTA_EXHAUSTED),
    (429, "rate_limit_reached_error", ProbeEndpoint.CHAT, Reason.RATE_LIMITED),
    (429, "engine_overloaded_error", ProbeEndpoint.CHAT, Reason.PROVIDER_OVERLOADED),
    (429, None, ProbeEndpoint.MODELS, Reason.RATE_LIMITED),
    (401, "invalid_authentication_error", ProbeEndpoint.MODELS, Reason.AUTH_FAILED),
    (402, None, ProbeEndpoint.CHAT, Reason.QUOTA_EXHAUSTED),
    (403, "permission_denied_error", ProbeEndpoint.BALANCE, Reason.PERMISSION_DENIED),
    (404, "resource_not_found_error", ProbeEndpoint.CHAT, Reason.MODEL_NOT_FOUND),
    (404, None, ProbeEndpoint.CHAT, Reason.MODEL_NOT_FOUND),
    (404, None, ProbeEndpoint.BALANCE, Reason.BAD_REQUEST),
    (400, "content_filter", ProbeEndpoint.CHAT, Reason.CONTENT_FILTERED),
    (422, None, ProbeEndpoint.CHAT, Reason.BAD_REQUEST),
    (408, None, ProbeEndpoint.MODELS, Reason.TIMEOUT),
    (500, "unexpected_output", ProbeEndpoint.CHAT, Reason.SERVER_ERROR),
    (502, None, ProbeEndpoint.MODELS, Reason.SERVER_ERROR),
])
def test_classification(status: int, error_type: str | None, endpoint: ProbeEndpoint, reason: Reason) -> None:
    response = error(status, error_type)
    assert from_status(status, response.content, response.headers, kind=Kind.OPENROUTER,
                       endpoint=endpoint).reason is reason


@respx.mock
def test_moonshot_401_names_the_other_region() -> None:
    respx.get(MODELS_URL).mock(return_value=error(401, "invalid_authentication_error", "Invalid Authentication"))
    result = only(probe(config(provider())))
    assert (result.ok, result.reason, result.status_code) == (False, Reason.AUTH_FAILED, 401)
    assert result.detail == (
        "HTTP 401 invalid_authentication_error: Invalid Authentication (a Moonshot key works only in the region "
        "that issued it: a key from platform.moonshot.cn gets 401 on api.moonshot.ai and a platform.moonshot.ai "
        "key gets 401 on api.moonshot.cn)")


@respx.mock
def test_permission_denied() -> None:
    respx.get(MODELS_URL).mock(return_value=error(403, "permission_denied_error", "not open"))
    result = only(probe(config(provider())))
    assert (result.reason, result.detail) == (Reason.PERMISSION_DENIED, "HTTP 403 permission_denied_error: not open")


@respx.mock
def test_redirect_is_reported_and_not_followed() -> None:
    respx.get(MODELS_URL).respond(301, headers={"Location": "https://elsewhere.example/v1/models?token=abc"})
    other = respx.get("https://elsewhere.example/v1/models").respond(200, json={"data": []})
    result = only(probe(config(provider())))
    assert (result.ok, result.reason, result.status_code) == (False, Reason.REDIRECT, 301)
    assert result.detail == ("HTTP 301 redirect to https://elsewhere.example/v1/models; not followed, so the key "
                             "was not sent there")
    assert other.call_count == 0


@respx.mock
def test_timeout() -> None:
    respx.get(MODELS_URL).mock(side_effect=httpx.ReadTimeout("read timed out"))
    result = only(probe(config(provider())))
    assert (result.ok, result.reason, result.detail) == (False, Reason.TIMEOUT, "no complete answer within the timeout")


@respx.mock
def test_connect_error_is_retried_then_reported() -> None:
    route = respx.get(MODELS_URL).mock(side_effect=httpx.ConnectError("[Errno 111] Connection refused"))
    result = only(probe(config(provider())))
    assert (result.reason, result.detail) == (Reason.CONNECT_ERROR, "cannot connect: [Errno 111] Connection refused")
    assert route.call_count == 3


@respx.mock
def test_tls_error() -> None:
    respx.get(MODELS_URL).mock(side_effect=httpx.ConnectError(
        "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1000)"))
    result = only(probe(config(provider())))
    assert (result.reason, result.detail) == (Reason.TLS_ERROR, (
        "TLS handshake failed: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate "
        "(_ssl.c:1000)"))


def test_tls_error_found_in_the_cause() -> None:
    from kimicheck.probe.errors import from_exception

    try:
        try:
            raise ssl.SSLCertVerificationError(1, "verify failed")
        except ssl.SSLError as exc:
            raise httpx.ConnectError("handshake failed") from exc
    except httpx.ConnectError as outer:
        assert from_exception(outer).reason is Reason.TLS_ERROR


@respx.mock
def test_plain_http_to_a_public_host_is_refused_before_sending() -> None:
    route = respx.get("http://api.example.com/v1/models").respond(200, json={"data": []})
    result = only(probe(config(provider(kind="openai-compatible", base_url="http://api.example.com/v1"))))
    assert (result.ok, result.reason) == (False, Reason.TLS_ERROR)
    assert result.detail == ("refused to send the key over plain http to api.example.com: use an https:// base_url "
                             "(plain http is allowed only to loopback hosts)")
    assert route.call_count == 0


@respx.mock
def test_server_error_is_retried_then_reported() -> None:
    route = respx.get(MODELS_URL).mock(return_value=error(500, "server_error", "boom"))
    result = only(probe(config(provider())))
    assert (result.reason, result.detail, route.call_count) == (Reason.SERVER_ERROR, "HTTP 500 server_error: boom", 3)


@respx.mock
def test_transient_failure_then_success() -> None:
    route = respx.get(MODELS_URL).mock(side_effect=[httpx.ConnectError("refused"), error(502, None),
                                                    httpx.Response(200, json={"data": []})])
    assert only(probe(config(provider()))).reason is Reason.OK
    assert route.call_count == 3


@respx.mock
def test_quota_exhausted_is_not_retried() -> None:
    route = respx.get(MODELS_URL).mock(return_value=error(429, "exceeded_current_quota_error"))
    assert only(probe(config(provider()))).reason is Reason.QUOTA_EXHAUSTED
    assert route.call_count == 1


@respx.mock
def test_retry_after_within_the_timeout_is_honoured() -> None:
    limited = error(429, "rate_limit_reached_error", "slow down")
    limited.headers["Retry-After"] = "0.05"
    route = respx.get(MODELS_URL).mock(side_effect=[limited, httpx.Response(200, json={"data": []})])
    result = only(probe(config(provider()), retry=RetryPolicy(attempts=2, base_delay=10, max_delay=10)))
    assert (result.reason, route.call_count) == (Reason.OK, 2)


@respx.mock
def test_retry_after_beyond_the_timeout_ends_the_check() -> None:
    limited = error(429, "rate_limit_reached_error", "slow down")
    limited.headers["Retry-After"] = "30"
    route = respx.get(MODELS_URL).mock(return_value=limited)
    result = only(probe(config(provider()), timeout=2.0))
    assert (result.reason, route.call_count) == (Reason.RATE_LIMITED, 1)
    assert result.detail == "HTTP 429 rate_limit_reached_error: slow down (Retry-After 30s is beyond the timeout)"


@respx.mock
def test_oversized_body_is_abandoned() -> None:
    respx.get(MODELS_URL).respond(200, content=b"x" * (4 * 1024 * 1024 + 1))
    result = only(probe(config(provider())))
    assert (result.reason, result.status_code) == (Reason.INVALID_RESPONSE, 200)
    assert result.detail == "response body of 4194305 bytes is larger than the 4194304-byte limit"


def test_retry_after_forms() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


@respx.mock
def test_balance_check_shares_the_classification() -> None:
    respx.get(f"{MOONSHOT}/users/me/balance").mock(return_value=error(403, "permission_denied_error", "no"))
    assert only(probe(config(provider()), [Check.BALANCE])).reason is Reason.PERMISSION_DENIED


@respx.mock
def test_an_answer_that_cannot_be_decoded_is_invalid_response_not_a_bug() -> None:
    body = httpx.ByteStream(b"not gzip at all")  # a stream: respond(content=...) would decode it already
    respx.get(MODELS_URL).mock(return_value=httpx.Response(200, headers={"Content-Encoding": "gzip"}, stream=body))
    result = only(probe(config(provider())))
    assert (result.ok, result.reason) == (False, Reason.INVALID_RESPONSE)
    assert result.detail.startswith("the answer cannot be decoded: ")
