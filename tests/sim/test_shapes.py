"""Every documented response shape, compared field by field with the documented example.

The accounts are set up with the example's own numbers, so where the example gives values the simulator's
JSON must equal it exactly; where values vary (ids, times, token counts) the fields and their types must.
"""

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from kimicheck.providers import Kind
from kimicheck.sim import RunningSimulator

MOONSHOT_KEY = "sk-test-moonshot-000000000000"
OPENROUTER_KEY = "sk-or-v1-test-00000000000000000"
AIMLAPI_KEY = "sk-test-aimlapi-0000000000000"
DEEPSEEK_KEY = "sk-test-deepseek-000000000000"

# The documented examples.
MOONSHOT_MODEL_ITEM = {"id": "kimi-k2.6", "object": "model", "created": 1700000000, "owned_by": "moonshot",
                       "context_length": 262144, "supports_image_in": True, "supports_video_in": True,
                       "supports_reasoning": True}
MOONSHOT_BALANCE = {"code": 0, "data": {"available_balance": 49.58894, "voucher_balance": 46.58893,
                                        "cash_balance": 3.00001}, "scode": "0x0", "status": True}
MOONSHOT_CHAT = {"id": "cmpl-...", "object": "chat.completion", "created": 0, "model": "kimi-k3.1-pro",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "..."},
                              "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 19, "completion_tokens": 21, "total_tokens": 40}}
AIMLAPI_BILLING = {"current_balance": 12.5, "currency": "USD"}
DEEPSEEK_BALANCE = {"is_available": True, "balance_infos": [{"currency": "CNY", "total_balance": "110.00",
                                                             "granted_balance": "10.00",
                                                             "topped_up_balance": "100.00"}]}

SCENARIO = {
    "accounts": [
        {"key": MOONSHOT_KEY, "name": "moonshot", "kind": "moonshot", "cash": 3.00001, "voucher": 46.58893},
        {"key": OPENROUTER_KEY, "name": "openrouter", "kind": "openrouter", "limit": 10, "usage": 2.5},
        {"key": AIMLAPI_KEY, "name": "aimlapi", "kind": "aimlapi", "cash": 12.5},
        {"key": DEEPSEEK_KEY, "name": "deepseek", "kind": "deepseek", "cash": 100, "voucher": 10},
    ]
}


@pytest.fixture
def sim(scenario_sim: Callable[[dict[str, Any]], RunningSimulator]) -> RunningSimulator:
    return scenario_sim(SCENARIO)


def get(url: str, key: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.get(url, headers=headers, timeout=10)


def same_shape(actual: Any, documented: Any) -> None:
    """The same keys at every level, with values of the same JSON types."""
    if isinstance(documented, dict):
        assert isinstance(actual, dict)
        assert sorted(actual) == sorted(documented)
        for name, value in documented.items():
            same_shape(actual[name], value)
    elif isinstance(documented, list):
        assert isinstance(actual, list) and len(actual) == len(documented)
        for item, example in zip(actual, documented, strict=True):
            same_shape(item, example)
    else:
        assert type(actual) is type(documented), (actual, documented)


def test_moonshot_models(sim: RunningSimulator) -> None:
    body = get(f"{sim.base_url}/models", MOONSHOT_KEY).json()
    assert body["object"] == "list"
    assert body["data"][0] == MOONSHOT_MODEL_ITEM
    for item in body["data"]:
        same_shape(item, MOONSHOT_MODEL_ITEM)


def test_moonshot_balance(sim: RunningSimulator) -> None:
    response = get(f"{sim.base_url}/users/me/balance", MOONSHOT_KEY)
    assert response.status_code == 200
    assert response.json() == MOONSHOT_BALANCE


def test_moonshot_chat(sim: RunningSimulator) -> None:
    response = httpx.post(f"{sim.base_url}/chat/completions", headers={"Authorization": f"Bearer {MOONSHOT_KEY}"},
                          json={"model": "kimi-k3.1-pro", "messages": [{"role": "user", "content": "hi"}]})
    body = response.json()
    same_shape(body, MOONSHOT_CHAT)
    assert body["id"].startswith("chatcmpl-")
    assert body["model"] == "kimi-k3.1-pro"
    usage = body["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_moonshot_stream_ends_with_done_and_carries_usage(sim: RunningSimulator) -> None:
    response = httpx.post(f"{sim.base_url}/chat/completions", headers={"Authorization": f"Bearer {MOONSHOT_KEY}"},
                          json={"model": "kimi-k3.1-pro", "stream": True,
                                "messages": [{"role": "user", "content": "hi"}]})
    assert response.headers["content-type"].startswith("text/event-stream")
    events = response.text.split("\n\n")
    assert events[-2:] == ["data: [DONE]", ""]
    assert all(e.startswith("data: {") for e in events[:-2])
    last = json.loads(events[-3].removeprefix("data: "))
    assert last["choices"][0]["finish_reason"] == "stop"
    assert sorted(last["choices"][0]["usage"]) == ["completion_tokens", "prompt_tokens", "total_tokens"]


def test_moonshot_files_and_batches(sim: RunningSimulator) -> None:
    assert get(f"{sim.base_url}/files", MOONSHOT_KEY).json() == {"object": "list", "data": []}
    assert get(f"{sim.base_url}/batches", MOONSHOT_KEY).json() == {
        "object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}


def test_openrouter_models_are_public_and_have_no_object_field(sim: RunningSimulator) -> None:
    response = get(f"{sim.base_url_for(Kind.OPENROUTER)}/models", None)
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["data"]
    assert body["data"][0]["id"] == "moonshotai/kimi-k2.6"
    assert all("object" not in item for item in body["data"])
    assert body["data"][0]["pricing"]["prompt"] == "0.000002"


def test_openrouter_key(sim: RunningSimulator) -> None:
    data = get(f"{sim.base_url_for(Kind.OPENROUTER)}/key", OPENROUTER_KEY).json()["data"]
    assert {k: data[k] for k in ("limit", "limit_remaining", "usage", "is_free_tier")} == {
        "limit": 10.0, "limit_remaining": 7.5, "usage": 2.5, "is_free_tier": False}


def test_openrouter_unlimited_key_has_null_limit(sim: RunningSimulator) -> None:
    sim.state.account(OPENROUTER_KEY).limit = None
    data = get(f"{sim.base_url_for(Kind.OPENROUTER)}/key", OPENROUTER_KEY).json()["data"]
    assert (data["limit"], data["limit_remaining"]) == (None, None)


def test_aimlapi_billing_and_models(sim: RunningSimulator) -> None:
    assert get(f"{sim.root_url}/v2/billing", AIMLAPI_KEY).json() == AIMLAPI_BILLING
    models = get(f"{sim.base_url_for(Kind.AIMLAPI)}/models", AIMLAPI_KEY).json()
    assert models["data"][0]["id"] == "moonshot/kimi-k2-6"
    sim.state.account(AIMLAPI_KEY).bare_model_list = True
    bare = get(f"{sim.base_url_for(Kind.AIMLAPI)}/models", AIMLAPI_KEY).json()
    assert bare == models["data"]


def test_aimlapi_chat_echoes_the_official_id(sim: RunningSimulator) -> None:
    response = httpx.post(f"{sim.base_url_for(Kind.AIMLAPI)}/chat/completions",
                          headers={"Authorization": f"Bearer {AIMLAPI_KEY}"},
                          json={"model": "moonshot/kimi-k2-6", "messages": [{"role": "user", "content": "hi"}]})
    assert response.json()["model"] == "kimi-k2.6"


def test_deepseek_balance_at_the_root(sim: RunningSimulator) -> None:
    assert sim.base_url_for(Kind.DEEPSEEK) == sim.root_url
    assert get(f"{sim.root_url}/user/balance", DEEPSEEK_KEY).json() == DEEPSEEK_BALANCE
    assert [m["id"] for m in get(f"{sim.root_url}/models", DEEPSEEK_KEY).json()["data"]] == [
        "deepseek-chat", "deepseek-reasoner"]
