"""The paid `chat` check: one minimal completion per model configured with `chat: true`.

The request is as small as a real call can be: a one-word prompt, the configured completion cap in the
field the kind expects (`max_completion_tokens` on Moonshot), and no `temperature`/`top_p` (Kimi K2.x
models refuse values other than their fixed ones). It is judged on HTTP 200, a well-formed body and
`usage`, never on the content: thinking models may spend a small cap on reasoning and answer
`content: null`. An answer the provider's content filter stopped (`finish_reason: content_filter`) fails as
`content_filtered`, its tokens still counted. Each try costs money, so it is retried only when the request
provably never left kimicheck (connection refused, connect or pool timeout): never after a 4xx (a rate limit
included), a 5xx, or a connection dropped once the request was on its way, any of which may have been billed.
"""

from __future__ import annotations

from kimicheck.config.models import Config, ModelEntry, Provider
from kimicheck.net import resolve_endpoint
from kimicheck.probe.errors import ProbeEndpoint, ProbeError
from kimicheck.probe.result import ChatData, Reason
from kimicheck.probe.session import Outcome, ProbeSession
from kimicheck.providers import KIND_PROFILES

__all__ = [
    "CHAT_RETRY_ON",
    "FILTERED_FINISH_REASON",
    "MAX_CHAT_TOKENS",
    "PROMPT",
    "chat_request",
    "parse_chat",
    "probe_chat",
]

PROMPT = "Reply with OK."

#: More tokens than any one minimal request can use: usage beyond it is not believed. An answer whose usage
#: is not believed counts like one without usage (the serve budget charges its estimate), so a provider
#: cannot lower its own spend, or the token counters, by what it reports.
MAX_CHAT_TOKENS = 10_000_000

#: The reasons a chat try may be repeated for, and then only when it was provably not sent (`unsent_only`).
CHAT_RETRY_ON = frozenset({Reason.CONNECT_ERROR, Reason.TIMEOUT})

#: The finish_reason of an OpenAI-style completion the provider's content filter stopped (an HTTP 200).
FILTERED_FINISH_REASON = "content_filter"


def chat_request(config: Config, provider: Provider, model: ModelEntry) -> dict[str, object]:
    """The JSON body of the chat probe for `model`."""
    cap = model.max_tokens or config.effective_chat(provider).max_tokens or 16
    return {
        "model": model.id,
        "messages": [{"role": "user", "content": PROMPT}],
        KIND_PROFILES[provider.kind].max_tokens_field: cap,
    }


def _invalid(text: str) -> ProbeError:
    return ProbeError(Reason.INVALID_RESPONSE, f"the chat answer {text}")


def parse_chat(data: object) -> tuple[ChatData, str | None]:
    """Token usage and finish_reason of a completion; `invalid_response` when the body is malformed."""
    if not isinstance(data, dict):
        raise _invalid("is not a JSON object")
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise _invalid("has no choices")
    message = choices[0].get("message")
    if not isinstance(message, dict) or not isinstance(message.get("content"), str | None):
        raise _invalid("has no message in its first choice")
    usage = data.get("usage")
    if not isinstance(usage, dict):
        raise _invalid("has no usage")
    prompt, completion = usage.get("prompt_tokens"), usage.get("completion_tokens")
    if isinstance(prompt, bool) or isinstance(completion, bool):
        raise _invalid("has boolean token counts in usage")
    if not isinstance(prompt, int) or not isinstance(completion, int):
        raise _invalid("has no integer prompt_tokens/completion_tokens in usage")
    if prompt < 0 or completion < 0:
        raise _invalid("has a negative token count in usage")
    if prompt > MAX_CHAT_TOKENS or completion > MAX_CHAT_TOKENS:
        raise _invalid(f"has a token count in usage above {MAX_CHAT_TOKENS}, far more than one minimal request")
    finish = choices[0].get("finish_reason")
    return ChatData(prompt_tokens=prompt, completion_tokens=completion), finish if isinstance(finish, str) else None


async def probe_chat(
    session: ProbeSession, config: Config, provider: Provider, model: ModelEntry | None
) -> Outcome:
    """Send the minimal completion to `model` and judge the answer's shape."""
    if model is None:
        raise ValueError("a chat check always names its model")
    url = resolve_endpoint(provider.base_url, KIND_PROFILES[provider.kind].chat_path)
    reply = await session.call(
        "POST", url, endpoint=ProbeEndpoint.CHAT, json_body=chat_request(config, provider, model),
        retry_on=CHAT_RETRY_ON, unsent_only=True,
    )
    try:
        data, finish = parse_chat(reply.json())
    except ProbeError as exc:
        exc.status_code = reply.status_code
        raise
    detail = f"{data.prompt_tokens} prompt + {data.completion_tokens} completion tokens"
    if finish:
        detail += f", finish_reason {finish}"
    if finish == FILTERED_FINISH_REASON:
        detail += ": the provider's content filter stopped the answer"
        return Outcome(False, Reason.CONTENT_FILTERED, detail, reply.status_code, data)
    return Outcome(True, Reason.OK, detail, reply.status_code, data)
