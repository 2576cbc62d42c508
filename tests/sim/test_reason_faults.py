"""The simulator's answers for the finer failure reasons: a wrong path, no capacity, a content filter, an
account out of credits or unable to make calls, each in its provider's real shape."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from kimicheck.providers import Kind
from kimicheck.sim import Fault, RunningSimulator

KEYS = {
    "moonshot": "sk-test-moonshot-reasons-00000",
    "openrouter": "sk-or-v1-test-reasons-0000000",
    "aimlapi": "sk-test-aimlapi-reasons-000000",
    "deepseek": "sk-test-deepseek-reasons-00000",
}
MODELS = {"moonshot": "kimi-k2.6", "openrouter": "moonshotai/kimi-k2.6", "aimlapi": "moonshot/kimi-k2-6",
          "deepseek": "deepseek-chat"}
HI = [{"role": "user", "content": "hi"}]


@pytest.fixture
def sim(scenario_sim: Callable[[dict[str, Any]], RunningSimulator]) -> RunningSimulator:
    return scenario_sim({"accounts": [{"key": key, "name": name, "kind": name} for name, key in KEYS.items()]})


def faulty(sim: RunningSimulator, name: str, **spec: Any) -> None:
    sim.state.account(KEYS[name]).faults = [Fault.model_validate(spec)]


def chat(sim: RunningSimulator, name: str, **extra: Any) -> httpx.Response:
    return httpx.post(f"{sim.base_url_for(Kind(name))}/chat/completions",
                      headers={"Authorization": f"Bearer {KEYS[name]}"},
                      json={"model": MODELS[name], "messages": HI, **extra}, timeout=10)


def test_an_unknown_path_gets_moonshots_url_not_found(sim: RunningSimulator) -> None:
    response = httpx.post(f"{sim.root_url}/v1/v1/chat/completions", headers={"User-Agent": "probe/1"}, json={})
    assert (response.status_code, response.json()) == (404, {
        "code": 5, "error": "url.not_found", "message": "没找到对象", "method": "POST", "scode": "0x5",
        "status": False, "ua": "probe/1", "url": "/v1/v1/chat/completions"})


def test_aimlapi_out_of_credits_is_its_flat_403(sim: RunningSimulator) -> None:
    account = sim.state.account(KEYS["aimlapi"])
    account.available = 0
    response = chat(sim, "aimlapi")
    body = response.json()
    assert response.status_code == 403
    assert set(body) == {"message", "path", "requestId", "statusCode", "timestamp"}
    assert (body["message"], body["path"], body["statusCode"]) == (
        "You've run out of credits. Please top up your balance or update your payment method",
        "/v1/chat/completions", 403)
    assert body["timestamp"].endswith("Z")
    assert account.spent == 0


@pytest.mark.parametrize(("name", "status", "body"), [
    ("moonshot", 429, {"error": {"type": "engine_overloaded_error",
                                 "message": "The engine is currently overloaded, please try again later"}}),
    ("openrouter", 503, {"error": {"code": 503,
                                   "message": "No available model provider that meets your routing requirements"}}),
    ("deepseek", 503, {"error": {"message": "The server is overloaded due to high traffic, please try again later",
                                 "type": "service_unavailable_error", "param": None,
                                 "code": "invalid_request_error"}}),
])
def test_overloaded_fault_speaks_each_dialect(sim: RunningSimulator, name: str, status: int,
                                              body: dict[str, Any]) -> None:
    faulty(sim, name, kind="overloaded", retry_after=3)
    response = chat(sim, name)
    assert (response.status_code, response.json(), response.headers["retry-after"]) == (status, body, "3")
    assert sim.state.account(KEYS[name]).spent == 0


def test_moonshot_content_filter_refuses_with_its_400_and_charges_nothing(sim: RunningSimulator) -> None:
    faulty(sim, "moonshot", kind="content_filter")
    response = chat(sim, "moonshot")
    assert (response.status_code, response.json()) == (400, {"error": {
        "code": 400, "message": "The request was rejected because it was considered high risk",
        "param": "prompt", "type": "content_filter"}})
    assert sim.state.account(KEYS["moonshot"]).spent == 0


def test_openai_style_content_filter_stops_the_completion(sim: RunningSimulator) -> None:
    faulty(sim, "openrouter", kind="content_filter")
    response = chat(sim, "openrouter")
    assert response.status_code == 200
    [choice] = response.json()["choices"]
    assert (choice["finish_reason"], choice["message"]["content"]) == ("content_filter", "")
    assert response.json()["usage"]["prompt_tokens"] > 0


def test_streamed_content_filter_ends_the_stream_with_content_filter(sim: RunningSimulator) -> None:
    faulty(sim, "openrouter", kind="content_filter")
    text = chat(sim, "openrouter", stream=True).text
    finishes = [line for line in text.splitlines() if '"finish_reason":"' in line]
    assert len(finishes) == 1 and '"finish_reason":"content_filter"' in finishes[0]
    assert text.endswith("data: [DONE]\n\n")


def test_content_filter_leaves_models_alone_and_is_chat_only(sim: RunningSimulator) -> None:
    faulty(sim, "moonshot", kind="content_filter")
    models = httpx.get(f"{sim.base_url}/models", headers={"Authorization": f"Bearer {KEYS['moonshot']}"})
    assert models.status_code == 200
    with pytest.raises(ValidationError, match="applies to the chat endpoint only"):
        Fault.model_validate({"kind": "content_filter", "endpoint": "models"})


def test_deepseek_is_available_false_from_the_scenario(sim: RunningSimulator) -> None:
    account = sim.state.account(KEYS["deepseek"])
    account.is_available = False
    balance = httpx.get(f"{sim.base_url_for(Kind.DEEPSEEK)}/user/balance",
                        headers={"Authorization": f"Bearer {KEYS['deepseek']}"}).json()
    assert balance["is_available"] is False
    assert Decimal(balance["balance_infos"][0]["total_balance"]) == Decimal(50)
    assert chat(sim, "deepseek").status_code == 402
