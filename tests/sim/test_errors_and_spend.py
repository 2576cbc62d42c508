"""Auth and error envelopes per provider, spend accounting, quota, RPM and revoked keys."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest

from kimicheck.providers import Kind
from kimicheck.sim import RunningSimulator

KEYS = {
    "moonshot": "sk-test-moonshot-000000000000",
    "openrouter": "sk-or-v1-test-00000000000000000",
    "aimlapi": "sk-test-aimlapi-0000000000000",
    "deepseek": "sk-test-deepseek-000000000000",
    "china": "sk-test-china-000000000000000",
}
HI = [{"role": "user", "content": "hi"}]


@pytest.fixture
def sim(scenario_sim: Callable[[dict[str, Any]], RunningSimulator]) -> RunningSimulator:
    return scenario_sim({"accounts": [
        {"key": KEYS["moonshot"], "name": "moonshot", "cash": 1, "voucher": 0.5, "price_per_token": 0.01},
        {"key": KEYS["openrouter"], "name": "openrouter", "kind": "openrouter", "limit": 1,
         "price_per_token": 0.01},
        {"key": KEYS["aimlapi"], "name": "aimlapi", "kind": "aimlapi", "cash": 1},
        {"key": KEYS["deepseek"], "name": "deepseek", "kind": "deepseek", "cash": 1, "price_per_token": 0.01},
        {"key": KEYS["china"], "name": "china", "region": "cn", "cash": 5},
    ]})


def chat(sim: RunningSimulator, kind: Kind, key: str | None, model: str, **extra: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.post(f"{sim.base_url_for(kind)}/chat/completions", headers=headers,
                      json={"model": model, "messages": HI, **extra}, timeout=10)


@pytest.mark.parametrize(("kind", "key", "body"), [
    (Kind.MOONSHOT, None, {"error": {"type": "invalid_authentication_error", "message": "Invalid Authentication"}}),
    (Kind.MOONSHOT, "sk-test-unknown-00000000000000",
     {"error": {"type": "invalid_authentication_error", "message": "Invalid Authentication"}}),
    (Kind.OPENROUTER, "sk-test-unknown-00000000000000",
     {"error": {"code": 401, "message": "No auth credentials found"}}),
    (Kind.DEEPSEEK, None, {"error": {"message": "Authentication Fails (no such user)",
                                     "type": "invalid_authentication_error", "param": None,
                                     "code": "invalid_request_error"}}),
])
def test_unknown_key_gets_the_providers_401(sim: RunningSimulator, kind: Kind, key: str | None,
                                            body: dict[str, Any]) -> None:
    response = chat(sim, kind, key, "kimi-k2.6")
    assert (response.status_code, response.json()) == (401, body)


def test_key_of_another_provider_gets_401_in_the_paths_dialect(sim: RunningSimulator) -> None:
    response = httpx.get(f"{sim.base_url}/models", headers={"Authorization": f"Bearer {KEYS['openrouter']}"})
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "invalid_authentication_error"


def test_revoked_key_gets_401(sim: RunningSimulator) -> None:
    sim.state.account(KEYS["moonshot"]).revoked = True
    response = httpx.get(f"{sim.base_url}/models", headers={"Authorization": f"Bearer {KEYS['moonshot']}"})
    assert response.status_code == 401


def test_chat_charges_tokens_times_price_voucher_first(sim: RunningSimulator) -> None:
    response = chat(sim, Kind.MOONSHOT, KEYS["moonshot"], "kimi-k3.1-pro")
    tokens = response.json()["usage"]["total_tokens"]
    account = sim.state.account(KEYS["moonshot"])
    assert account.spent == Decimal("0.01") * tokens
    assert account.voucher == max(Decimal("0.5") - account.spent, Decimal(0))
    assert account.available == Decimal("1.5") - account.spent
    assert [r.charged for r in sim.state.select(path="/v1/chat/completions")] == [account.spent]


def test_spending_below_zero_then_quota_429_charges_nothing(sim: RunningSimulator) -> None:
    account = sim.state.account(KEYS["moonshot"])
    account.price_per_token = Decimal(1)
    assert chat(sim, Kind.MOONSHOT, KEYS["moonshot"], "kimi-k3.1-pro").status_code == 200
    assert account.available == 0 and account.cash < 0
    spent = account.spent
    refused = chat(sim, Kind.MOONSHOT, KEYS["moonshot"], "kimi-k3.1-pro")
    assert refused.status_code == 429
    assert refused.json()["error"]["type"] == "exceeded_current_quota_error"
    assert account.spent == spent
    assert sim.state.count(path="/v1/chat/completions", status=200) == 1
    balance = httpx.get(f"{sim.base_url}/users/me/balance",
                        headers={"Authorization": f"Bearer {KEYS['moonshot']}"}).json()["data"]
    assert balance["available_balance"] == balance["voucher_balance"] == 0


@pytest.mark.parametrize(("kind", "name", "model", "body"), [
    (Kind.OPENROUTER, "openrouter", "moonshotai/kimi-k2.6",
     {"error": {"code": 402, "message": "Insufficient credits. Add more credits to your account and try again."}}),
    (Kind.DEEPSEEK, "deepseek", "deepseek-chat",
     {"error": {"message": "Insufficient Balance", "type": "unknown_error", "param": None,
                "code": "invalid_request_error"}}),
])
def test_gateways_out_of_credit_get_402(sim: RunningSimulator, kind: Kind, name: str, model: str,
                                        body: dict[str, Any]) -> None:
    sim.state.account(KEYS[name]).available = 0
    response = chat(sim, kind, KEYS[name], model)
    assert (response.status_code, response.json()) == (402, body)


def test_openrouter_spend_counts_usage_up(sim: RunningSimulator) -> None:
    account = sim.state.account(KEYS["openrouter"])
    tokens = chat(sim, Kind.OPENROUTER, KEYS["openrouter"], "moonshotai/kimi-k2.6").json()["usage"]["total_tokens"]
    assert account.usage == Decimal("0.01") * tokens
    assert account.available == Decimal(1) - account.usage


def test_rpm_limit_gives_rate_limit_reached(sim: RunningSimulator) -> None:
    account = sim.state.account(KEYS["moonshot"])
    account.rpm = 2
    statuses = [chat(sim, Kind.MOONSHOT, KEYS["moonshot"], "kimi-k3.1-pro").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = chat(sim, Kind.MOONSHOT, KEYS["moonshot"], "kimi-k3.1-pro").json()["error"]
    org, ak = account.account_ids
    assert refused == {"type": "rate_limit_reached_error", "message": f"Your account {org}<{ak}> request reached "
                       "organization max RPM: 2, please try again after 1 seconds"}


def test_fixed_temperature_models_refuse_other_temperatures(sim: RunningSimulator) -> None:
    response = chat(sim, Kind.MOONSHOT, KEYS["moonshot"], "kimi-k2.6", temperature=0.3)
    assert (response.status_code, response.json()) == (400, {"error": {
        "type": "invalid_request_error", "message": "invalid temperature: only 1 is allowed for this model"}})


def test_bad_request_body(sim: RunningSimulator) -> None:
    response = httpx.post(f"{sim.base_url}/chat/completions", content=b"{not json",
                          headers={"Authorization": f"Bearer {KEYS['moonshot']}"})
    assert (response.status_code, response.json()["error"]["type"]) == (400, "invalid_request_error")


def test_unknown_path_is_404(sim: RunningSimulator) -> None:
    response = httpx.get(f"{sim.root_url}/v1/chat/completions/chat/completions")
    assert response.status_code == 404


def test_china_account_balance_is_in_cny(sim: RunningSimulator) -> None:
    assert sim.state.account(KEYS["china"]).balance_currency == "CNY"
    assert sim.state.account(KEYS["moonshot"]).balance_currency == "USD"


def test_default_state_accepts_any_sk_key_and_refuses_others(simulator: RunningSimulator) -> None:
    ok = httpx.get(f"{simulator.base_url}/models", headers={"Authorization": "Bearer sk-test-anything-1234"})
    refused = httpx.get(f"{simulator.base_url}/models", headers={"Authorization": "Bearer test-anything-1234"})
    assert (ok.status_code, refused.status_code) == (200, 401)
    openrouter = httpx.get(f"{simulator.base_url_for(Kind.OPENROUTER)}/key",
                           headers={"Authorization": "Bearer sk-or-v1-test-anything"})
    assert openrouter.json()["data"]["limit"] is None
