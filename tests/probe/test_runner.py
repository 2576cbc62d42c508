"""The runner: keys, isolation between providers, order, and the concurrency limits."""

import asyncio
import inspect
from pathlib import Path

import httpx
import pytest
import respx

from kimicheck.errors import InputError
from kimicheck.probe import runner
from kimicheck.probe.result import Check, Reason
from kimicheck.probe.runner import build_client, run_check
from kimicheck.secrets import Secret

from .helpers import KEY, MOONSHOT, config, probe, provider

BALANCE_BODY = {"code": 0, "status": True,
                "data": {"available_balance": 5, "voucher_balance": 0, "cash_balance": 5}}


@respx.mock
def test_unset_key_variable_is_a_result_not_a_crash() -> None:
    results = probe(config(provider(models=[{"id": "kimi-k2.6", "chat": True}])),
                    [Check.MODELS, Check.BALANCE, Check.CHAT], environ={})
    assert [(r.check, r.model, r.ok, r.reason, r.status_code) for r in results] == [
        (Check.MODELS, None, False, Reason.AUTH_FAILED, None),
        (Check.BALANCE, None, False, Reason.AUTH_FAILED, None),
        (Check.CHAT, "kimi-k2.6", False, Reason.AUTH_FAILED, None),
    ]
    assert {r.detail for r in results} == {"cannot read the key: environment variable KIMI_KEY is unset or empty"}
    assert respx.calls.call_count == 0


def test_missing_key_file_is_named(tmp_path: Path) -> None:
    entry = {"name": "kimi", "kind": "moonshot", "base_url": MOONSHOT, "api_key_file": "secrets/kimi.key"}
    [result] = probe(config(entry), environ={}, base_dir=tmp_path)
    assert result.detail == "cannot read the key: key file secrets/kimi.key does not exist"


@respx.mock
def test_key_file_relative_to_the_config(tmp_path: Path) -> None:
    (tmp_path / "kimi.key").write_text(KEY + "\n")
    route = respx.get(f"{MOONSHOT}/models").respond(200, json={"data": []})
    entry = {"name": "kimi", "kind": "moonshot", "base_url": MOONSHOT, "api_key_file": "kimi.key"}
    [result] = probe(config(entry), environ={}, base_dir=tmp_path)
    assert result.reason is Reason.OK
    assert route.calls.last.request.headers["authorization"] == f"Bearer {KEY}"


@respx.mock
def test_one_provider_failing_leaves_the_others_alone() -> None:
    respx.get("https://api.moonshot.cn/v1/models").mock(side_effect=httpx.ConnectError("refused"))
    respx.get(f"{MOONSHOT}/models").respond(200, json={"data": [{"id": "kimi-k2.6"}]})
    respx.get(f"{MOONSHOT}/users/me/balance").respond(200, json=BALANCE_BODY)
    respx.get("https://api.moonshot.cn/v1/users/me/balance").respond(200, json=BALANCE_BODY)
    cfg = config(provider("china", base_url="https://api.moonshot.cn/v1"), provider("intl"))
    results = probe(cfg, [Check.BALANCE, Check.MODELS])
    assert [(r.provider, r.check, r.reason) for r in results] == [
        ("china", Check.MODELS, Reason.CONNECT_ERROR),
        ("china", Check.BALANCE, Reason.OK),
        ("intl", Check.MODELS, Reason.OK),
        ("intl", Check.BALANCE, Reason.OK),
    ]


@respx.mock
def test_a_bug_in_a_prober_is_contained(monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(*args: object) -> object:
        raise KeyError("oops")

    monkeypatch.setitem(runner.PROBERS, Check.BALANCE, broken)
    respx.get(f"{MOONSHOT}/models").respond(200, json={"data": []})
    results = probe(config(provider()), [Check.MODELS, Check.BALANCE])
    assert [(r.reason, r.detail) for r in results] == [
        (Reason.OK, "0 models listed"),
        (Reason.INVALID_RESPONSE, "internal error in the balance check (KeyError); this is a bug in kimicheck"),
    ]


def _tracking_route(url: str, body: object, active: dict[str, int]) -> None:
    async def answer(request: httpx.Request) -> httpx.Response:
        host = request.url.host
        active[host] = active.get(host, 0) + 1
        active["max_" + host] = max(active.get("max_" + host, 0), active[host])
        active["all"] = active.get("all", 0) + 1
        active["max_all"] = max(active.get("max_all", 0), active["all"])
        await asyncio.sleep(0.01)
        active[host] -= 1
        active["all"] -= 1
        return httpx.Response(200, json=body)

    respx.get(url__regex=url).mock(side_effect=answer)


@respx.mock
def test_per_provider_and_global_limits() -> None:
    active: dict[str, int] = {}
    _tracking_route(r"/models$", {"data": []}, active)
    _tracking_route(r"/balance$", BALANCE_BODY, active)
    providers = [provider(f"p{i}", base_url=f"https://h{i}.example/v1") for i in range(6)]
    results = probe(config(*providers), [Check.MODELS, Check.BALANCE], concurrency=3)
    assert len(results) == 12 and all(r.ok for r in results)
    assert active["max_all"] == 3
    assert max(v for k, v in active.items() if k.startswith("max_h")) == 1


def test_unknown_provider_name_is_a_usage_error() -> None:
    with pytest.raises(InputError, match=r"^no provider named 'kim' in the config \(did you mean kimi\?\); "
                                         r"it has: kimi$"):
        probe(config(provider()), providers=["kim"])


@respx.mock
def test_selected_providers_only() -> None:
    respx.get(f"{MOONSHOT}/models").respond(200, json={"data": []})
    cfg = config(provider("a"), provider("b", base_url="https://api.moonshot.cn/v1"))
    assert [r.provider for r in probe(cfg, providers=["a"])] == ["a"]


@respx.mock
def test_run_check_with_a_caller_owned_client() -> None:
    respx.get(f"{MOONSHOT}/models").respond(200, json={"data": [{"id": "kimi-k2.6"}]})
    cfg = config(provider(models=["kimi-k2.6"]))

    async def go() -> list[object]:
        async with build_client() as client:
            return list(await run_check(client, cfg, cfg.providers[0], Check.MODELS, Secret(KEY)))

    [result] = asyncio.run(go())
    assert result.reason is Reason.OK  # type: ignore[attr-defined]


def test_every_check_has_a_prober_and_all_share_one_signature() -> None:
    assert set(runner.PROBERS) == set(Check)
    signatures = {str(inspect.signature(prober)) for prober in runner.PROBERS.values()}
    assert len(signatures) == 1, signatures
