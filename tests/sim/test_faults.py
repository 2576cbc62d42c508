"""Every fault, seen by a real httpx client over loopback."""

import json
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from kimicheck.sim import Fault, RunningSimulator, SimState, serve_in_thread

KEY = "sk-test-faults-00000000000000"
AUTH = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture
def sim(scenario_sim: Callable[[dict[str, Any]], RunningSimulator]) -> RunningSimulator:
    return scenario_sim({"seed": 7, "accounts": [{"key": KEY, "name": "faulty", "cash": 3.00001,
                                                  "voucher": 46.58893}]})


def with_faults(sim: RunningSimulator, *faults: dict[str, Any]) -> None:
    sim.state.account(KEY).faults = [Fault.model_validate(f) for f in faults]


def get(sim: RunningSimulator, path: str = "/models", timeout: float = 10) -> httpx.Response:
    return httpx.get(sim.base_url + path, headers=AUTH, timeout=timeout)


def test_latency_delays_past_a_short_timeout_then_answers(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "latency", "seconds": 0.5})
    with pytest.raises(httpx.ReadTimeout):
        get(sim, timeout=0.2)
    assert get(sim).status_code == 200


def test_hang_answers_nothing_until_the_client_gives_up(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "hang"})
    with pytest.raises(httpx.ReadTimeout):
        get(sim, timeout=0.3)
    assert [r.status for r in sim.state.select(path="/v1/models")] == [0]


def test_a_hanging_request_does_not_block_shutdown() -> None:
    state = SimState.default()
    errors: list[BaseException] = []
    with serve_in_thread(state) as sim:
        state.account(KEY).faults = [Fault(kind="hang")]

        def call() -> None:
            try:
                httpx.get(sim.base_url + "/models", headers=AUTH, timeout=30)
            except httpx.HTTPError as exc:
                errors.append(exc)

        client = threading.Thread(target=call)
        client.start()
        for _ in range(500):
            if state.count(path="/v1/models"):
                break
            threading.Event().wait(0.01)
    client.join(timeout=10)
    assert not client.is_alive()
    assert [type(e) for e in errors] in ([httpx.ReadError], [httpx.RemoteProtocolError])


def test_status_with_provider_body_and_retry_after(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "status", "status": 503, "retry_after": 7})
    response = get(sim)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "7"
    assert response.json() == {"error": {"type": "engine_overloaded_error",
                                         "message": "simulated 503 engine_overloaded_error"}}


def test_status_429_with_a_chosen_type_and_message(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "status", "status": 429, "error_type": "exceeded_current_quota_error",
                      "message": "out of money", "retry_after": 0})
    response = get(sim)
    assert (response.status_code, response.headers["retry-after"]) == (429, "0")
    assert response.json() == {"error": {"type": "exceeded_current_quota_error", "message": "out of money"}}


@pytest.mark.parametrize(("status", "title"), [(502, "502 Bad Gateway"), (403, "403 Forbidden")])
def test_html_cdn_page(sim: RunningSimulator, status: int, title: str) -> None:
    with_faults(sim, {"kind": "html", "status": status})
    response = get(sim)
    assert response.status_code == status
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert f"<title>{title}</title>" in response.text
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_html_cdn_page_names_only_the_cdn_as_server(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "html", "status": 502})
    response = get(sim)
    assert response.headers.get_list("server") == ["cloudflare"]
    assert len(response.headers.get_list("date")) == 1


def test_normal_answers_name_no_server_and_carry_one_date(sim: RunningSimulator) -> None:
    response = get(sim)
    assert response.status_code == 200
    assert response.headers.get_list("server") == []
    assert len(response.headers.get_list("date")) == 1
    assert response.headers["content-type"] == "application/json"


def test_200_non_json(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "non_json"})
    response = get(sim)
    assert (response.status_code, response.headers["content-type"]) == (200, "application/json")
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_200_truncated_json_is_the_first_half_of_the_real_body(sim: RunningSimulator) -> None:
    real = get(sim, "/users/me/balance").content
    with_faults(sim, {"kind": "truncated_json", "endpoint": "balance"})
    response = get(sim, "/users/me/balance")
    assert response.status_code == 200
    assert response.content == real[: len(real) // 2]


def test_200_wrong_shape(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "wrong_shape", "body": '{"data": {"models": "none"}}'})
    assert get(sim).json() == {"data": {"models": "none"}}


def test_oversized_streamed_body(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "oversized"})
    with httpx.stream("GET", sim.base_url + "/models", headers=AUTH, timeout=30) as response:
        assert "content-length" not in response.headers
        size = sum(len(chunk) for chunk in response.iter_raw())
    assert size == 50 * 1024 * 1024


def test_drip_sends_the_real_body_a_byte_at_a_time(sim: RunningSimulator) -> None:
    real = get(sim, "/users/me/balance").content
    with_faults(sim, {"kind": "drip", "seconds": 0.001, "endpoint": "balance"})
    with httpx.stream("GET", sim.base_url + "/users/me/balance", headers=AUTH, timeout=30) as response:
        assert response.headers["content-length"] == str(len(real))
        chunks = list(response.iter_raw())
    assert b"".join(chunks) == real
    assert len(chunks) > len(real) // 2


def test_connection_reset(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "reset"})
    with pytest.raises(httpx.ReadError):
        get(sim)
    assert [r.status for r in sim.state.select(path="/v1/models")] == [0]


def test_redirect_to_another_host_and_what_reaches_it(sim: RunningSimulator) -> None:
    with serve_in_thread(SimState.default()) as other:
        with_faults(sim, {"kind": "redirect", "location": f"{other.base_url}/models"})
        response = get(sim)
        assert (response.status_code, response.headers["location"]) == (307, f"{other.base_url}/models")
        assert other.state.count() == 0
        followed = httpx.get(sim.base_url + "/models", headers={**AUTH, "X-Api-Key": KEY}, follow_redirects=True)
        assert followed.status_code == 401  # the other host never saw the bearer key
        [seen] = other.state.requests
        assert "authorization" not in seen.headers
        assert seen.headers["x-api-key"] == KEY  # httpx forwards other credential headers: the reason to record


def test_flaky_fraction_is_seeded_and_reproducible(
    scenario_sim: Callable[[dict[str, Any]], RunningSimulator],
) -> None:
    def statuses() -> list[int]:
        run = scenario_sim({"seed": 42, "accounts": [{"key": KEY, "faults": [
            {"kind": "status", "status": 503, "rate": 0.5}]}]})
        with httpx.Client(headers=AUTH, timeout=10) as client:
            return [client.get(run.base_url + "/models").status_code for _ in range(30)]

    first, second = statuses(), statuses()
    assert first == second
    assert 0 < first.count(503) < 30
    assert set(first) == {200, 503}


def test_times_limits_a_fault_and_endpoint_scopes_it(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "status", "status": 500, "times": 2, "endpoint": "models"})
    assert get(sim, "/users/me/balance").status_code == 200
    assert [get(sim).status_code for _ in range(3)] == [500, 500, 200]


def test_global_faults_hit_public_endpoints_without_a_key(sim: RunningSimulator) -> None:
    sim.state.faults = [Fault(kind="html", status=502)]
    assert httpx.get(sim.root_url + "/api/v1/models").status_code == 502


def test_hang_with_a_limit_resets_the_connection_when_it_passes(sim: RunningSimulator) -> None:
    with_faults(sim, {"kind": "hang", "seconds": 0.2})
    with pytest.raises(httpx.ReadError):
        get(sim, timeout=10)


def test_truncation_applies_to_a_streamed_chat_too(sim: RunningSimulator) -> None:
    body = {"model": "kimi-k3.1-pro", "stream": True, "messages": [{"role": "user", "content": "hi"}]}
    with_faults(sim, {"kind": "truncated_json", "endpoint": "chat"})
    truncated = httpx.post(sim.base_url + "/chat/completions", headers=AUTH, json=body, timeout=10)
    assert truncated.headers["content-type"].startswith("text/event-stream")
    assert "data: [DONE]" not in truncated.text
    assert truncated.text.startswith('data: {"id":"chatcmpl-')
