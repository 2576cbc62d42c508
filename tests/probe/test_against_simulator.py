"""The probes against the simulator over loopback: every fault it offers, end to end over real sockets."""

from __future__ import annotations

import asyncio
import socket
import tracemalloc
from decimal import Decimal
from typing import Any

import pytest

from kimicheck.config.models import Config
from kimicheck.probe.result import BalanceData, Check, ProbeResult, Reason
from kimicheck.probe.runner import run_probes
from kimicheck.providers import Kind
from kimicheck.sim import Account, Fault, RunningSimulator, SimState, serve_in_thread

from .helpers import FAST_RETRY

KEY = "sk-sim-probe-000000000000000000000001"
TIMEOUT = 1.5


def sim_config(base_url: str, kind: str = "moonshot", **extra: Any) -> Config:
    entry = {"name": "sim", "kind": kind, "base_url": base_url, "api_key_env": "SIM_KEY",
             "models": ["kimi-k2.6", {"id": "kimi-k3", "chat": True}], **extra}
    return Config.model_validate({"version": 1, "providers": [entry]})


def run(base_url: str, checks: tuple[Check, ...] = (Check.MODELS,), key: str = KEY, **extra: Any) -> list[ProbeResult]:
    return asyncio.run(run_probes(sim_config(base_url, **extra), checks=checks, environ={"SIM_KEY": key},
                                  timeout=TIMEOUT, retry=FAST_RETRY))


def fault(sim: RunningSimulator, **spec: Any) -> None:
    sim.state.faults.append(Fault.model_validate(spec))


def test_healthy_account_passes_every_check(sim: RunningSimulator) -> None:
    results = run(sim.base_url, (Check.MODELS, Check.BALANCE, Check.CHAT), balance={"currency": "USD"})
    assert [(r.check, r.ok, r.reason) for r in results] == [
        (Check.MODELS, True, Reason.OK), (Check.BALANCE, True, Reason.OK), (Check.CHAT, True, Reason.OK)]
    assert isinstance(results[1].data, BalanceData) and results[1].data.available == Decimal("50.0")
    assert results[1].data.currency == "USD"
    [chat] = sim.state.select(method="POST")
    assert chat.headers["authorization"] == f"Bearer {KEY}"


def test_latency_is_waited_for(sim: RunningSimulator) -> None:
    fault(sim, kind="latency", seconds=0.1)
    [result] = run(sim.base_url)
    assert result.reason is Reason.OK
    assert result.duration_seconds >= 0.1


@pytest.mark.slow
def test_hang_ends_at_the_timeout(sim: RunningSimulator) -> None:
    fault(sim, kind="hang", seconds=30)
    [result] = run(sim.base_url)
    # the hang would end in a reset after 30 s: `timeout` means the probe's own deadline ended it
    assert (result.ok, result.reason) == (False, Reason.TIMEOUT)
    [sent] = sim.state.select(path="/v1/models")
    assert sent.status == 0  # no answer had started


@pytest.mark.slow
def test_drip_ends_at_the_timeout(sim: RunningSimulator) -> None:
    fault(sim, kind="drip", seconds=0.05)
    [result] = run(sim.base_url)
    # a byte every 0.05 s never trips a per-read timeout, and the whole body would take far longer than
    # TIMEOUT: `timeout` with the answer already started means the one deadline bounded the body
    assert (result.reason, result.detail) == (Reason.TIMEOUT, "no complete answer within the timeout")
    [sent] = sim.state.select(path="/v1/models")
    assert sent.status == 200


def test_fifty_megabytes_are_not_read(sim: RunningSimulator) -> None:
    fault(sim, kind="oversized")
    tracemalloc.start()
    try:
        [result] = run(sim.base_url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (result.reason, result.status_code) == (Reason.INVALID_RESPONSE, 200)
    assert result.detail == "response body is larger than the 4194304-byte limit; stopped reading"
    assert peak < 16 * 1024 * 1024  # a reason other than `timeout` shows it stopped before the deadline


def test_reset_is_a_connect_error_retried(sim: RunningSimulator) -> None:
    fault(sim, kind="reset")
    [result] = run(sim.base_url)
    assert (result.ok, result.reason) == (False, Reason.CONNECT_ERROR)
    assert sim.state.count(path="/v1/models") == 3


def test_redirect_never_carries_the_key_to_the_other_host(sim: RunningSimulator) -> None:
    with serve_in_thread(SimState.default(), host="127.0.0.2", port=0) as other:
        fault(sim, kind="redirect", status=307, location=f"{other.base_url}/models")
        [result] = run(sim.base_url)
        assert (result.reason, result.status_code) == (Reason.REDIRECT, 307)
        assert result.detail == (f"HTTP 307 redirect to {other.base_url}/models; not followed, so the key was not "
                                 "sent there")
        assert list(other.state.requests) == []
    [sent] = sim.state.requests
    assert sent.headers["authorization"] == f"Bearer {KEY}"


@pytest.mark.parametrize(("status", "error_type", "reason", "attempts"), [
    (429, "exceeded_current_quota_error", Reason.QUOTA_EXHAUSTED, 1),
    (429, "rate_limit_reached_error", Reason.RATE_LIMITED, 3),
    (429, "engine_overloaded_error", Reason.PROVIDER_OVERLOADED, 3),
    (401, "invalid_authentication_error", Reason.AUTH_FAILED, 1),
    (403, "permission_denied_error", Reason.PERMISSION_DENIED, 1),
    (400, "invalid_request_error", Reason.BAD_REQUEST, 1),
    (500, "server_error", Reason.SERVER_ERROR, 3),
    (503, None, Reason.PROVIDER_OVERLOADED, 3),  # the simulator's 503 is Moonshot's engine_overloaded_error
    (502, "bad_gateway", Reason.SERVER_ERROR, 3),
    (402, None, Reason.QUOTA_EXHAUSTED, 1),
    (404, None, Reason.BAD_REQUEST, 1),
])
def test_status_faults(sim: RunningSimulator, status: int, error_type: str | None, reason: Reason,
                       attempts: int) -> None:
    fault(sim, kind="status", status=status, error_type=error_type, retry_after=0)
    [result] = run(sim.base_url)
    assert (result.ok, result.reason, result.status_code) == (False, reason, status)
    assert sim.state.count(path="/v1/models") == attempts


def test_cdn_html_page_is_a_server_error(sim: RunningSimulator) -> None:
    fault(sim, kind="html", status=502)
    [result] = run(sim.base_url)
    assert (result.reason, result.detail) == (Reason.SERVER_ERROR, "HTTP 502")


@pytest.mark.parametrize(("spec", "detail"), [
    ({"kind": "non_json"}, "HTTP 200 answer is not JSON"),
    ({"kind": "truncated_json"}, "HTTP 200 answer is not JSON"),
    ({"kind": "wrong_shape", "body": '{"models": "all of them"}'}, "the /models answer has no list of models"),
])
def test_malformed_answers(sim: RunningSimulator, spec: dict[str, Any], detail: str) -> None:
    fault(sim, **spec)
    [result] = run(sim.base_url)
    assert (result.reason, result.status_code) == (Reason.INVALID_RESPONSE, 200)
    assert result.detail.startswith(detail)


def test_revoked_key_names_the_region(sim: RunningSimulator) -> None:
    sim.state.add(Account(key=KEY, name="revoked", revoked=True))
    [result] = run(sim.base_url)
    assert (result.reason, result.status_code) == (Reason.AUTH_FAILED, 401)
    assert "a key from platform.moonshot.cn gets 401 on api.moonshot.ai" in result.detail


def test_empty_account_chat_is_quota_exhausted_and_balance_critical(sim: RunningSimulator) -> None:
    sim.state.add(Account(key=KEY, name="empty", cash=Decimal("0")))
    results = run(sim.base_url, (Check.BALANCE, Check.CHAT))
    assert [(r.check, r.reason) for r in results] == [(Check.BALANCE, Reason.BALANCE_CRITICAL),
                                                      (Check.CHAT, Reason.QUOTA_EXHAUSTED)]
    assert sim.state.count(method="POST") == 1


def test_arrears_on_the_simulator(sim: RunningSimulator) -> None:
    sim.state.add(Account(key=KEY, name="arrears", cash=Decimal("-2.5"), voucher=Decimal("7.5")))
    [result] = run(sim.base_url, (Check.BALANCE,))
    assert result.reason is Reason.BALANCE_LOW
    assert isinstance(result.data, BalanceData) and result.data.in_arrears


def test_rate_limited_chat_is_not_retried(sim: RunningSimulator) -> None:
    sim.state.add(Account(key=KEY, name="tier0", rpm=1))
    cfg = {"models": [{"id": "kimi-k3", "chat": True}, {"id": "kimi-k2.6", "chat": True}]}
    results = run(sim.base_url, (Check.CHAT,), **cfg)
    assert [r.reason for r in results] == [Reason.OK, Reason.RATE_LIMITED]
    assert sim.state.count(method="POST") == 2


def test_wrong_model_id_on_chat(sim: RunningSimulator) -> None:
    [result] = run(sim.base_url, (Check.CHAT,), models=[{"id": "kimi-k2.6-thinking", "chat": True}])
    assert (result.reason, result.status_code) == (Reason.MODEL_NOT_FOUND, 404)


@pytest.mark.parametrize(("kind", "account"), [
    (Kind.OPENROUTER, {"limit": Decimal("10"), "usage": Decimal("2.5")}),
    (Kind.AIMLAPI, {"cash": Decimal("20"), "bare_model_list": True}),
    (Kind.DEEPSEEK, {"cash": Decimal("7")}),
])
def test_gateway_dialects(sim: RunningSimulator, kind: Kind, account: dict[str, Any]) -> None:
    sim.state.add(Account(key=KEY, name=str(kind), kind=kind, **account))
    results = run(sim.base_url_for(kind), (Check.MODELS, Check.BALANCE), kind=str(kind), models=[])
    assert [(r.check, r.reason) for r in results] == [(Check.MODELS, Reason.OK), (Check.BALANCE, Reason.OK)]


def test_openrouter_key_is_proved_before_the_public_list(sim: RunningSimulator) -> None:
    sim.state.auto_accounts = False
    [result] = run(sim.base_url_for(Kind.OPENROUTER), kind="openrouter", models=[])
    assert (result.reason, result.status_code) == (Reason.AUTH_FAILED, 401)
    assert sim.state.count(path="/api/v1/models") == 0


def test_https_to_a_plain_server_is_a_tls_error(sim: RunningSimulator) -> None:
    [result] = run(sim.base_url.replace("http://", "https://"))
    assert result.reason is Reason.TLS_ERROR


def test_closed_port_is_a_connect_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    [result] = run(f"http://127.0.0.1:{port}/v1")
    assert result.reason is Reason.CONNECT_ERROR


def test_reset_on_chat_is_sent_once(sim: RunningSimulator) -> None:
    fault(sim, kind="reset", endpoint="chat")
    [result] = run(sim.base_url, (Check.CHAT,))
    assert (result.ok, result.reason) == (False, Reason.CONNECT_ERROR)
    assert result.detail.endswith("(not retried: the request may have reached the provider and been billed)")
    assert sim.state.count(method="POST") == 1
