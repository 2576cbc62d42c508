"""The simulator's `X-RateLimit-*` headers per account and OpenRouter's `/credits` for a management key."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from kimicheck.providers import Kind
from kimicheck.sim import RunningSimulator

KEY = "sk-or-v1-sim-inference-000000000000000"
MANAGEMENT = "sk-or-v1-sim-management-0000000000000"
Start = Callable[[dict[str, Any]], RunningSimulator]


def scenario(**account: Any) -> dict[str, Any]:
    return {"accounts": [{"key": KEY, "name": "or", "kind": "openrouter", **account}]}


def get(sim: RunningSimulator, path: str, key: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.get(sim.base_url_for(Kind.OPENROUTER) + path, headers=headers)


def test_rate_limit_headers_as_the_scenario_sets_them(scenario_sim: Start) -> None:
    sim = scenario_sim(scenario(ratelimit={"requests_limit": 200, "requests_remaining": 180,
                                           "requests_reset": "6s", "tokens_limit": 40000}))
    answer = get(sim, "/key", KEY)
    assert answer.status_code == 200
    got = {k.lower(): v for k, v in answer.headers.items() if k.lower().startswith("x-ratelimit")}
    assert got == {"x-ratelimit-limit-requests": "200", "x-ratelimit-remaining-requests": "180",
                   "x-ratelimit-reset-requests": "6s", "x-ratelimit-limit-tokens": "40000"}


def test_plain_rate_limit_headers_and_none_by_default(scenario_sim: Start) -> None:
    sim = scenario_sim({"accounts": [
        {"key": KEY, "kind": "openrouter", "ratelimit": {"requests_limit": 3, "requests_remaining": "0",
                                                         "plain": True}},
        {"key": "sk-or-v1-quiet-0000000000000000000", "kind": "openrouter"},
    ]})
    loud = get(sim, "/key", KEY)
    assert (loud.headers["X-RateLimit-Limit"], loud.headers["X-RateLimit-Remaining"]) == ("3", "0")
    quiet = get(sim, "/key", "sk-or-v1-quiet-0000000000000000000")
    assert not [k for k in quiet.headers if k.lower().startswith("x-ratelimit")]


def test_credits_answer_only_the_management_key(scenario_sim: Start) -> None:
    sim = scenario_sim(scenario(management_key=MANAGEMENT, total_credits=25, usage=5.5))
    answer = get(sim, "/credits", MANAGEMENT)
    assert (answer.status_code, answer.json()) == (200, {"data": {"total_credits": 25.0, "total_usage": 5.5}})
    refused = get(sim, "/credits", KEY)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == 403
    assert get(sim, "/credits", "sk-or-v1-nobody-000000000000000000").status_code == 401
    assert get(sim, "/credits", None).status_code == 401
    assert get(sim, "/key", MANAGEMENT).status_code == 401  # a management key is not an inference key


def test_an_empty_account_refuses_chat_whatever_the_key_cap(scenario_sim: Start) -> None:
    sim = scenario_sim(scenario(total_credits=1, usage=1))
    answer = httpx.post(sim.base_url_for(Kind.OPENROUTER) + "/chat/completions",
                        headers={"Authorization": f"Bearer {KEY}"},
                        json={"model": "moonshotai/kimi-k2.6", "messages": [{"role": "user", "content": "hi"}]})
    assert answer.status_code == 402


@pytest.mark.parametrize("bad", [{"ratelimit": {"requests_limt": 1}}, {"management_key": ""},
                                 {"total_credits": "lots"}])
def test_bad_fields_are_refused(scenario_sim: Start, bad: dict[str, Any]) -> None:
    from kimicheck.sim.scenario import ScenarioError
    with pytest.raises(ScenarioError):
        scenario_sim(scenario(**bad))
