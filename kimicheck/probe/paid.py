"""What the paid checks beyond `chat` share: the request body with its cap, one unretried send, the answer.

Each try of a paid request costs money, so it is sent as `chat` is: repeated only when it provably never left
kimicheck. The completion cap is the model's own `max_tokens`, else the default for its thinking nature
(`caps.default_cap`): a thinking model needs room to think before it answers or calls a tool.
"""

from __future__ import annotations

from typing import Any, cast

from kimicheck.config.models import ModelEntry, Provider
from kimicheck.net import resolve_endpoint
from kimicheck.probe.caps import default_cap
from kimicheck.probe.chat import CHAT_RETRY_ON, parse_chat
from kimicheck.probe.errors import ProbeEndpoint, ProbeError
from kimicheck.probe.http import Reply
from kimicheck.probe.result import ChatData
from kimicheck.probe.session import ProbeSession
from kimicheck.providers import KIND_PROFILES

__all__ = ["cap_of", "paid_body", "parse_answer", "send_paid"]


def cap_of(model: ModelEntry) -> int:
    """The completion cap of `model`'s stream, tools and json probes."""
    return model.max_tokens or default_cap(model.id)


def paid_body(provider: Provider, model: ModelEntry, prompt: str, **extra: Any) -> dict[str, Any]:
    """A one-message request to `model` with its cap in the kind's field, and `extra` fields."""
    return {
        "model": model.id,
        "messages": [{"role": "user", "content": prompt}],
        KIND_PROFILES[provider.kind].max_tokens_field: cap_of(model),
        **extra,
    }


async def send_paid(session: ProbeSession, provider: Provider, body: dict[str, Any]) -> Reply:
    """Send a paid request: a 2xx answer, or a ProbeError; never repeated once it may have been sent."""
    url = resolve_endpoint(provider.base_url, KIND_PROFILES[provider.kind].chat_path)
    return await session.call(
        "POST", url, endpoint=ProbeEndpoint.CHAT, json_body=body, retry_on=CHAT_RETRY_ON, unsent_only=True,
    )


def parse_answer(reply: Reply) -> tuple[ChatData, str | None, dict[str, Any]]:
    """Tokens, finish_reason and the first choice's message of an unstreamed completion."""
    data = reply.json()
    try:
        tokens, finish = parse_chat(data)
    except ProbeError as exc:
        exc.status_code = reply.status_code
        raise
    message = cast(dict[str, Any], data)["choices"][0]["message"]  # parse_chat checked the shape
    return tokens, finish, dict(message)
