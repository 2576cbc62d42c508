"""Rate-limit headroom: the `X-RateLimit-*` headers and OpenRouter's key `rate_limit`, as untrusted data."""

import httpx
import pytest
import respx

from kimicheck.probe.ratelimits import from_headers, from_openrouter_key
from kimicheck.probe.report import headroom_text, render_text, result_to_json
from kimicheck.probe.result import Check, RateLimit, RateLimits

from .helpers import MOONSHOT, config, only, probe, provider

OPENROUTER = "https://openrouter.ai/api/v1"
MODELS_BODY = {"object": "list", "data": [{"id": "kimi-k2.6", "object": "model"}]}


def test_suffixed_headers_give_both_resources() -> None:
    headers = httpx.Headers({
        "x-ratelimit-limit-requests": "200", "x-ratelimit-remaining-requests": "180",
        "x-ratelimit-reset-requests": "6m0s", "x-ratelimit-limit-tokens": "40000",
        "x-ratelimit-remaining-tokens": "39000", "x-ratelimit-reset-tokens": "20ms",
    })
    assert from_headers(headers) == RateLimits(requests=RateLimit(200, 180, 360.0),
                                               tokens=RateLimit(40000, 39000, 0.02))


def test_unsuffixed_headers_count_requests_and_the_suffixed_ones_win() -> None:
    plain = httpx.Headers({"X-RateLimit-Limit": "3", "X-RateLimit-Remaining": "2", "X-RateLimit-Reset": "1s"})
    assert from_headers(plain) == RateLimits(requests=RateLimit(3, 2, 1.0))
    both = httpx.Headers({"X-RateLimit-Limit": "3", "X-RateLimit-Limit-Requests": "200"})
    assert from_headers(both) == RateLimits(requests=RateLimit(limit=200))


@pytest.mark.parametrize("value", ["-1", "+5", "1.5", "1e3", "", " ", "abc", "١٢", "9" * 16, "200, 100", "0x10"])
def test_a_value_that_is_not_a_bounded_whole_number_is_ignored(value: str) -> None:
    # a plain mapping: httpx refuses to build non-ASCII headers, but a server can still send the bytes
    assert from_headers({"x-ratelimit-limit-requests": value, "x-ratelimit-remaining-requests": value}) is None


@pytest.mark.parametrize("value", ["1700000000", "-1s", "soon", "1" * 50 + "s", "1.5.5s"])
def test_a_reset_without_a_clear_unit_is_ignored_but_the_counts_stay(value: str) -> None:
    headers = httpx.Headers({"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": value})
    assert from_headers(headers) == RateLimits(requests=RateLimit(remaining=0))


def test_no_headers_no_headroom() -> None:
    assert from_headers(httpx.Headers({"content-type": "application/json"})) is None


@pytest.mark.parametrize(("body", "expected"), [
    ({"data": {"rate_limit": {"requests": 20, "interval": "10s"}}},
     RateLimits(requests=RateLimit(limit=20, interval_seconds=10.0))),
    ({"data": {"rate_limit": {"requests": 20}}}, RateLimits(requests=RateLimit(limit=20))),
    ({"data": {"rate_limit": {"requests": -1, "interval": "10s"}}}, None),
    ({"data": {"rate_limit": {"requests": True}}}, None),
    ({"data": {"rate_limit": {"requests": "20"}}}, RateLimits(requests=RateLimit(limit=20))),
    ({"data": {"rate_limit": None}}, None),
    ({"data": {}}, None),
    ([], None),
])
def test_openrouter_key_rate_limit(body: object, expected: RateLimits | None) -> None:
    assert from_openrouter_key(body) == expected


@respx.mock
def test_a_probe_keeps_the_headroom_its_answer_announced() -> None:
    respx.get(f"{MOONSHOT}/models").respond(200, json=MODELS_BODY, headers={
        "X-RateLimit-Limit-Requests": "200", "X-RateLimit-Remaining-Requests": "180"})
    result = only(probe(config(provider(models=["kimi-k2.6"]))))
    assert result.ratelimit == RateLimits(requests=RateLimit(200, 180))
    assert result_to_json(result)["ratelimit"] == {
        "requests": {"limit": 200, "remaining": 180, "reset_seconds": None, "interval_seconds": None}}
    line = render_text([result]).splitlines()[1]
    assert line.endswith("; rate limit: 180/200 requests left")


@respx.mock
def test_a_refused_answer_counts_too() -> None:
    respx.get(f"{MOONSHOT}/models").respond(429, json={"error": {"type": "rate_limit_reached_error",
                                                                 "message": "Rate limit reached"}},
                                            headers={"X-RateLimit-Limit": "3", "X-RateLimit-Remaining": "0"})
    result = only(probe(config(provider(models=["kimi-k2.6"]))))
    assert not result.ok
    assert result.ratelimit == RateLimits(requests=RateLimit(3, 0))


@respx.mock
def test_without_headers_there_is_no_ratelimit_key() -> None:
    respx.get(f"{MOONSHOT}/models").respond(200, json=MODELS_BODY)
    result = only(probe(config(provider(models=["kimi-k2.6"]))))
    assert result.ratelimit is None
    assert "ratelimit" not in result_to_json(result)
    assert "rate limit" not in render_text([result])


@respx.mock
def test_openrouter_key_rate_limit_fills_in_where_headers_say_nothing() -> None:
    respx.get(f"{OPENROUTER}/key").respond(200, json={"data": {
        "limit": None, "limit_remaining": None, "usage": 0, "rate_limit": {"requests": 20, "interval": "10s"}}},
        headers={"X-RateLimit-Limit-Tokens": "100000", "X-RateLimit-Remaining-Tokens": "99000"})
    cfg = config(provider(name="or", kind="openrouter", base_url=OPENROUTER, models=["moonshotai/kimi-k2.6"]))
    result = only(probe(cfg, [Check.BALANCE]))
    assert result.ratelimit == RateLimits(requests=RateLimit(limit=20, interval_seconds=10.0),
                                          tokens=RateLimit(100000, 99000))
    assert headroom_text(result.ratelimit) == "rate limit: at most 20 requests per 10s, 99000/100000 tokens left"


@respx.mock
def test_headers_win_over_the_key_object_for_the_same_resource() -> None:
    respx.get(f"{OPENROUTER}/key").respond(200, json={"data": {
        "limit": None, "limit_remaining": None, "usage": 0, "rate_limit": {"requests": 20, "interval": "10s"}}},
        headers={"X-RateLimit-Limit": "50", "X-RateLimit-Remaining": "49"})
    cfg = config(provider(name="or", kind="openrouter", base_url=OPENROUTER, models=["moonshotai/kimi-k2.6"]))
    assert only(probe(cfg, [Check.BALANCE])).ratelimit == RateLimits(requests=RateLimit(50, 49))
