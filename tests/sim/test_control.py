"""The control API: guarded by its own token, changes accounts and faults, reads counts and requests."""

from collections.abc import Iterator

import httpx
import pytest

from kimicheck.sim import CONTROL_TOKEN_HEADER, RunningSimulator

KEY = "sk-test-control-0000000000000"


@pytest.fixture
def simulator(sim: RunningSimulator) -> RunningSimulator:
    """The module's shared simulator, reset: these tests need no server of their own."""
    return sim


@pytest.fixture
def control(simulator: RunningSimulator) -> Iterator[httpx.Client]:
    simulator.state.account(KEY)
    with httpx.Client(base_url=simulator.control_url, timeout=10,
                      headers={CONTROL_TOKEN_HEADER: simulator.state.control_token}) as client:
        yield client


def name(simulator: RunningSimulator) -> str:
    return simulator.state.account(KEY).name


@pytest.mark.parametrize("headers", [{}, {"Authorization": f"Bearer {KEY}"}, {CONTROL_TOKEN_HEADER: "guess"}])
def test_control_needs_the_control_token_not_a_provider_key(simulator: RunningSimulator,
                                                            headers: dict[str, str]) -> None:
    response = httpx.get(f"{simulator.control_url}/accounts", headers=headers)
    assert (response.status_code, response.json()) == (
        403, {"error": "the control API needs the X-Kimicheck-Sim-Token header"})


def test_list_accounts_never_shows_the_key(simulator: RunningSimulator, control: httpx.Client) -> None:
    [account] = control.get("/accounts").json()
    assert KEY not in str(account)
    assert (account["name"], account["kind"], account["available"], account["currency"]) == (
        name(simulator), "moonshot", "50", "USD")


def test_patch_balance_then_chat_is_refused(simulator: RunningSimulator, control: httpx.Client) -> None:
    patched = control.patch(f"/accounts/{name(simulator)}", json={"cash": "0", "voucher": 0}).json()
    assert patched["available"] == "0"
    chat = httpx.post(f"{simulator.base_url}/chat/completions", headers={"Authorization": f"Bearer {KEY}"},
                      json={"model": "kimi-k2.6", "messages": [{"role": "user", "content": "hi"}]})
    assert chat.json()["error"]["type"] == "exceeded_current_quota_error"


def test_patch_models_faults_and_revoke(simulator: RunningSimulator, control: httpx.Client) -> None:
    control.patch(f"/accounts/{name(simulator)}", json={"models": ["kimi-k2.6"]})
    auth = {"Authorization": f"Bearer {KEY}"}
    models = httpx.get(f"{simulator.base_url}/models", headers=auth).json()
    assert [m["id"] for m in models["data"]] == ["kimi-k2.6"]
    control.patch(f"/accounts/{name(simulator)}", json={"faults": [{"kind": "status", "status": 500}]})
    assert httpx.get(f"{simulator.base_url}/models", headers=auth).status_code == 500
    control.patch(f"/accounts/{name(simulator)}", json={"faults": [], "revoked": True})
    assert httpx.get(f"{simulator.base_url}/models", headers=auth).status_code == 401


def test_bad_changes_are_refused_whole(simulator: RunningSimulator, control: httpx.Client) -> None:
    response = control.patch(f"/accounts/{name(simulator)}", json={"cash": 1, "rpm": 0})
    assert (response.status_code, response.json()) == (
        400, {"error": "rpm: Input should be greater than or equal to 1"})
    assert simulator.state.account(KEY).cash == 50
    assert control.patch(f"/accounts/{name(simulator)}", json={"key": "sk-test-other"}).status_code == 400
    assert control.patch("/accounts/nobody", json={}).status_code == 404


def test_create_account_and_global_faults(simulator: RunningSimulator, control: httpx.Client) -> None:
    created = control.post("/accounts", json={"key": "sk-or-v1-test-new", "name": "or", "kind": "openrouter"})
    assert (created.status_code, created.json()["available"]) == (201, None)
    assert control.put("/faults", json=[{"kind": "html", "status": 403}]).json() == {"faults": 1}
    assert httpx.get(f"{simulator.root_url}/api/v1/models").status_code == 403


def test_counts_and_recorded_requests_mask_credentials(simulator: RunningSimulator, control: httpx.Client) -> None:
    httpx.get(f"{simulator.base_url}/models", headers={"Authorization": f"Bearer {KEY}", "X-Api-Key": KEY})
    httpx.get(f"{simulator.base_url}/users/me/balance", headers={"Authorization": f"Bearer {KEY}"})
    assert control.get("/counts").json() == {"count": 2}
    assert control.get("/counts", params={"path": "/v1/models", "status": 200}).json() == {"count": 1}
    [record] = control.get("/requests", params={"path": "/v1/models"}).json()
    assert record["headers"]["authorization"] == record["headers"]["x-api-key"] == "[REDACTED]"
    assert (record["account"], record["status"]) == (name(simulator), 200)
    assert control.delete("/requests").json() == {"count": 0}
    assert simulator.state.count() == 0
