"""The simulator's pure parts, without sockets: chat completions, money, faults, the public surface."""

import asyncio
import random
import types
from decimal import Decimal

import httpx
import pytest
from pydantic import ValidationError

import kimicheck.sim
from kimicheck.providers import Kind
from kimicheck.sim import Account, Endpoint, Fault, SimState, serve_async
from kimicheck.sim.chat import ChatRequest, complete, parse_chat_request
from kimicheck.sim.faults import choose_faults


def request(model: str, cap: int | None = None) -> ChatRequest:
    return ChatRequest(model, [{"role": "user", "content": "hello there"}], False, cap, None)


def test_public_surface_is_complete() -> None:
    public = {n for n, v in vars(kimicheck.sim).items()
              if not n.startswith("_") and not isinstance(v, types.ModuleType) and n != "annotations"}
    assert public == set(kimicheck.sim.__all__)
    assert all(hasattr(kimicheck.sim, n) for n in kimicheck.sim.__all__)


@pytest.mark.parametrize(("cap", "content", "reasoning_words", "finish"), [
    (None, True, 15, "stop"),
    (15, False, 15, "length"),
    (3, False, 3, "length"),
    (17, True, 15, "length"),
])
def test_reasoning_models_think_first(cap: int | None, content: bool, reasoning_words: int, finish: str) -> None:
    done = complete(request("kimi-k2.6", cap))
    assert (done.content is not None, len((done.reasoning_content or "").split()), done.finish_reason) == (
        content, reasoning_words, finish)
    assert done.completion_tokens == min(cap or 10**6, 15 + 17)


def test_plain_models_answer_without_reasoning() -> None:
    done = complete(request("moonshot-v1-8k"))
    assert (done.reasoning_content, done.finish_reason, done.prompt_tokens, done.completion_tokens) == (
        None, "stop", 2 + 3, 17)
    assert done.cost(Decimal("0.5")) == Decimal("11")


@pytest.mark.parametrize(("body", "message"), [
    ([], "the request body must be a JSON object"),
    ({"messages": [{}]}, "model is required"),
    ({"model": "m", "messages": []}, "messages must be a non-empty list"),
    ({"model": "m", "messages": [{}], "max_tokens": 0}, "max_tokens must be a positive integer"),
    ({"model": "m", "messages": [{}], "max_completion_tokens": True}, "max_tokens must be a positive integer"),
    ({"model": "m", "messages": [{}], "temperature": "hot"}, "temperature must be a number"),
])
def test_bad_chat_requests(body: object, message: str) -> None:
    assert parse_chat_request(body) == message


def test_max_completion_tokens_wins_over_max_tokens() -> None:
    parsed = parse_chat_request({"model": "m", "messages": [{}], "max_completion_tokens": 4, "max_tokens": 9})
    assert isinstance(parsed, ChatRequest) and parsed.cap == 4


def test_moonshot_money_voucher_first_then_cash_into_arrears() -> None:
    account = Account(key="sk-test-a", cash=Decimal("1"), voucher=Decimal("2"))
    account.charge(Decimal("2.5"))
    assert (account.voucher, account.cash, account.available, account.spent) == (
        Decimal(0), Decimal("0.5"), Decimal("0.5"), Decimal("2.5"))
    account.charge(Decimal(1))
    assert (account.cash, account.available, account.out_of_money) == (Decimal("-0.5"), Decimal(0), True)


def test_openrouter_money_is_limit_minus_usage() -> None:
    account = Account(key="sk-or-v1-test", kind=Kind.OPENROUTER)
    assert (account.available, account.out_of_money) == (None, False)
    account.available = 3
    assert (account.limit, account.usage, account.available) == (Decimal(100), Decimal(97), Decimal(3))


def test_account_key_never_shows_in_repr_and_names_do_not_hold_it() -> None:
    account = Account(key="sk-test-secret-value-000000")
    assert "secret" not in repr(account)
    assert "secret" not in account.name
    assert account.name.startswith("moonshot-")


def test_unsupported_kind_is_refused() -> None:
    with pytest.raises(ValidationError):
        Account(key="sk-test-a", kind=Kind.OPENAI_COMPATIBLE)


def test_faults_need_their_required_fields() -> None:
    with pytest.raises(ValidationError, match="needs 'location'"):
        Fault(kind="redirect")


def test_latency_adds_up_and_the_first_firing_fault_decides() -> None:
    faults = [Fault(kind="latency", seconds=1), Fault(kind="latency", seconds=0.5),
              Fault(kind="status", status=500, endpoint=Endpoint.CHAT), Fault(kind="reset"), Fault(kind="html")]
    latency, chosen = choose_faults(faults, Endpoint.MODELS, random.Random(0))
    assert (latency, chosen) == (1.5, faults[3])
    latency, chosen = choose_faults(faults, Endpoint.CHAT, random.Random(0))
    assert chosen is faults[2]
    assert [f.fired for f in faults] == [2, 2, 1, 1, 0]


def test_auto_accounts_only_for_sk_keys_and_only_when_on() -> None:
    state = SimState.default()
    assert state.account("sk-or-v1-test", Kind.OPENROUTER).kind is Kind.OPENROUTER
    with pytest.raises(KeyError):
        state.account("not-sk")
    with pytest.raises(KeyError):
        SimState().account("sk-test-a")


def test_serve_async_in_the_running_loop() -> None:
    async def scenario() -> tuple[int, int]:
        async with serve_async() as sim, httpx.AsyncClient(base_url=sim.base_url, timeout=10) as client:
            response = await client.get("/models", headers={"Authorization": "Bearer sk-test-async"})
            return response.status_code, sim.state.count(path="/v1/models")

    assert asyncio.run(scenario()) == (200, 1)


def test_reset_returns_to_the_default_state() -> None:
    state = SimState()
    state.add(Account(key="sk-named-0000000000000000000000", name="named"))
    state.faults.append(Fault(kind="status", status=500))
    assert state.lookup("sk-anything-00000000000000000000", Kind.MOONSHOT) is None
    state.reset()
    assert (state.accounts, state.faults, list(state.requests)) == ({}, [], [])
    assert state.lookup("sk-anything-00000000000000000000", Kind.MOONSHOT) is not None
