"""Huge amounts and deeply nested JSON sent to the simulator: clear errors, never a 500 with a traceback."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kimicheck.providers import Kind
from kimicheck.sim import CONTROL_TOKEN_HEADER, RunningSimulator, ScenarioError, load_scenario

from .test_scenario_problems import simulate, write

KEY = "sk-test-hostile-0000000000000"
OUT_OF_RANGE = "the amount is out of range (more than 20 digits before the point or 18 after it)"
DEEP = b"[" * 100_000


@pytest.mark.parametrize(("text", "where"), [
    ("accounts:\n  - {key: sk-test-a, cash: 1e999999999}\n", "2:22: accounts[0].cash"),
    ("accounts:\n  - {key: sk-test-a, cash: '1e999999999'}\n", "2:22: accounts[0].cash"),
    ("accounts:\n  - {key: sk-test-a, voucher: -1e999999999}\n", "2:22: accounts[0].voucher"),
    ("accounts:\n  - key: sk-test-a\n    kind: openrouter\n    limit: 100000000000000000000\n",
     "4:5: accounts[0].limit"),
    ("accounts:\n  - {key: sk-test-a, kind: openrouter, usage: '1e-999999999'}\n", "2:40: accounts[0].usage"),
    ("accounts:\n  - {key: sk-test-a, price_per_token: 1e400}\n", "2:22: accounts[0].price_per_token"),
])
def test_a_huge_amount_in_a_scenario_is_a_scenario_error(tmp_path: Path, text: str, where: str) -> None:
    path = write(tmp_path, text)
    assert simulate(path) == (2, "", f"kimicheck simulate: error: {path}:{where}: {OUT_OF_RANGE}\n")


def test_a_huge_amount_in_a_scenario_mapping_is_a_scenario_error() -> None:
    with pytest.raises(ScenarioError) as raised:
        load_scenario({"accounts": [{"key": KEY, "cash": "1e999999999"}]})
    assert str(raised.value) == f"scenario: accounts[0].cash: {OUT_OF_RANGE}"


@pytest.fixture
def control(simulator: RunningSimulator) -> Iterator[httpx.Client]:
    simulator.state.account(KEY)
    with httpx.Client(base_url=simulator.control_url, timeout=10,
                      headers={CONTROL_TOKEN_HEADER: simulator.state.control_token}) as client:
        yield client


@pytest.mark.parametrize("change", [{"cash": "1e999999999"}, {"cash": 1e300}, {"voucher": "-1e-999999999"}])
def test_a_huge_amount_through_the_control_api_is_refused(simulator: RunningSimulator, control: httpx.Client,
                                                          change: dict[str, object]) -> None:
    name = simulator.state.account(KEY).name
    response = control.patch(f"/accounts/{name}", json=change)
    field = next(iter(change))
    assert (response.status_code, response.json()) == (400, {"error": f"{field}: Value error, {OUT_OF_RANGE}"})
    created = control.post("/accounts", json={"key": "sk-test-hostile-new-000000", **change})
    assert (created.status_code, created.json()) == (400, {"error": f"{field}: Value error, {OUT_OF_RANGE}"})
    balance = httpx.get(f"{simulator.base_url}/users/me/balance", headers={"Authorization": f"Bearer {KEY}"})
    assert (balance.status_code, balance.json()["data"]["available_balance"]) == (200, 50.0)


@pytest.mark.parametrize("route", ["/accounts", "/faults"])
def test_deeply_nested_json_to_the_control_api_is_a_400(control: httpx.Client, route: str) -> None:
    method = "PUT" if route == "/faults" else "POST"
    response = control.request(method, route, content=DEEP)
    assert (response.status_code, response.json()) == (400, {"error": "the request body is not valid JSON"})


@pytest.mark.parametrize(("kind", "key", "envelope"), [
    (Kind.MOONSHOT, KEY, {"error": {"type": "invalid_request_error", "message": "the request body is not valid JSON"}}),
    (Kind.OPENROUTER, "sk-or-v1-test-hostile-000000000",
     {"error": {"code": 400, "message": "the request body is not valid JSON"}}),
])
def test_deeply_nested_json_to_chat_is_a_400_in_the_dialects_format(simulator: RunningSimulator, kind: Kind,
                                                                   key: str, envelope: dict[str, object]) -> None:
    simulator.state.account(key, kind=kind)
    response = httpx.post(f"{simulator.base_url_for(kind)}/chat/completions", content=DEEP, timeout=10,
                          headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    assert (response.status_code, response.json()) == (400, envelope)
