"""The official OpenAI Python SDK works against the simulator exactly as against Moonshot."""

import openai
import pytest

from kimicheck.providers import Kind
from kimicheck.sim import RunningSimulator
from tests.sim.conftest import KEY


@pytest.fixture
def simulator(sim: RunningSimulator) -> RunningSimulator:
    """The module's shared simulator, reset: these tests need no server of their own."""
    return sim


def client(sim: RunningSimulator, key: str = KEY) -> openai.OpenAI:
    return openai.OpenAI(api_key=key, base_url=sim.base_url, max_retries=0, timeout=10)


def test_models_list(simulator: RunningSimulator) -> None:
    ids = [m.id for m in client(simulator).models.list()]
    assert ids[:2] == ["kimi-k2.6", "kimi-k3"]
    assert "kimi-k3.1-pro" in ids


def test_chat_plain(simulator: RunningSimulator) -> None:
    reply = client(simulator).chat.completions.create(
        model="kimi-k3.1-pro", messages=[{"role": "user", "content": "say hello"}]
    )
    assert reply.object == "chat.completion"
    assert reply.model == "kimi-k3.1-pro"
    assert reply.choices[0].message.role == "assistant"
    assert reply.choices[0].message.content == (
        "Hello from the kimicheck simulator. The API, the key and the model all work as expected today."
    )
    assert reply.choices[0].finish_reason == "stop"
    assert reply.usage is not None
    assert reply.usage.prompt_tokens == 5
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens


def test_chat_streaming(simulator: RunningSimulator) -> None:
    stream = client(simulator).chat.completions.create(
        model="kimi-k3.1-pro", messages=[{"role": "user", "content": "say hello"}], stream=True
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text.startswith("Hello from the kimicheck simulator.")
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(c.object == "chat.completion.chunk" for c in chunks)


def test_thinking_model_with_tiny_cap_answers_content_null(simulator: RunningSimulator) -> None:
    reply = client(simulator).chat.completions.create(
        model="kimi-k2.6", messages=[{"role": "user", "content": "hi"}], max_tokens=8
    )
    message = reply.choices[0].message
    assert message.content is None
    assert message.model_extra is not None
    assert message.model_extra["reasoning_content"] == "The user wants a short greeting, so I"
    assert reply.choices[0].finish_reason == "length"
    assert reply.usage is not None and reply.usage.completion_tokens == 8


def test_quota_exhausted_raises_rate_limit_error_and_charges_nothing(simulator: RunningSimulator) -> None:
    account = simulator.state.account(KEY)
    account.available = 0
    with pytest.raises(openai.RateLimitError) as caught:
        client(simulator).chat.completions.create(model="kimi-k2.6", messages=[{"role": "user", "content": "hi"}])
    assert caught.value.status_code == 429
    assert caught.value.type == "exceeded_current_quota_error"
    assert caught.value.body == {
        "type": "exceeded_current_quota_error",
        "message": f"Your account {account.account_ids[0]}<{account.account_ids[1]}> is suspended, "
        "please check your plan and billing details",
    }
    assert account.spent == 0
    assert account.available == 0


def test_bad_key_raises_authentication_error(simulator: RunningSimulator) -> None:
    with pytest.raises(openai.AuthenticationError) as caught:
        client(simulator, key="not-a-moonshot-key").models.list()
    assert caught.value.type == "invalid_authentication_error"


def test_unknown_model_raises_not_found(simulator: RunningSimulator) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client(simulator).chat.completions.create(model="kimi\u2011k2.6", messages=[{"role": "user", "content": "hi"}])
    assert caught.value.type == "resource_not_found_error"
    assert caught.value.message.endswith("Not found the model kimi\u2011k2.6 or Permission denied")


def test_streaming_thinking_model_sends_reasoning_then_content(simulator: RunningSimulator) -> None:
    stream = client(simulator).chat.completions.create(
        model="kimi-k2.6", messages=[{"role": "user", "content": "hi"}], max_tokens=17, stream=True
    )
    chunks = list(stream)
    reasoning = "".join((c.choices[0].delta.model_extra or {}).get("reasoning_content", "") for c in chunks)
    content = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert len(reasoning.split()) == 15
    assert content == "Hello from"
    assert chunks[-1].choices[0].finish_reason == "length"


@pytest.mark.parametrize(("kind", "key", "model", "echoed"), [
    (Kind.OPENROUTER, "sk-or-v1-test-sdk", "moonshotai/kimi-k2.6", "moonshotai/kimi-k2.6"),
    (Kind.AIMLAPI, "sk-test-aimlapi-sdk", "moonshot/kimi-k2-6", "kimi-k2.6"),
    (Kind.DEEPSEEK, "sk-test-deepseek-sdk", "deepseek-chat", "deepseek-chat"),
])
def test_gateways_through_the_sdk(simulator: RunningSimulator, kind: Kind, key: str, model: str,
                                  echoed: str) -> None:
    simulator.state.account(key, kind)
    sdk = openai.OpenAI(api_key=key, base_url=simulator.base_url_for(kind), max_retries=0, timeout=10)
    assert model in [m.id for m in sdk.models.list()]
    reply = sdk.chat.completions.create(model=model, messages=[{"role": "user", "content": "hi"}])
    assert reply.model == echoed
    assert simulator.state.account(key).spent > 0
