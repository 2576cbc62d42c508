"""`kimicheck verify`'s run: K2VV samples sent to one provider's model, each answer judged as K2VV judges it.

Each sample goes out once (a paid request is never repeated once it may have been sent), with the model replaced
by the configured id and unstreamed. At most `concurrency` requests are in flight, and the spend caps are hard:
once `max_requests` requests were sent or `max_tokens` tokens were used, no further request is sent (those in
flight finish). Each finished sample goes to `on_record` at once, so an interrupted run keeps what it paid for.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import referencing.exceptions

from kimicheck.config.models import ModelEntry, Provider
from kimicheck.probe.chat import FILTERED_FINISH_REASON
from kimicheck.probe.errors import ProbeError
from kimicheck.probe.paid import cap_of, parse_answer, send_paid
from kimicheck.probe.session import DEFAULT_RETRY, ProbeSession, RetryPolicy
from kimicheck.probe.toolcalls import Tool, ToolCallResult, ToolCallVerdict, judge_tool_call
from kimicheck.probe.verify_samples import Sample
from kimicheck.probe.verify_summary import TOOL_CALLS, Record
from kimicheck.providers import KIND_PROFILES
from kimicheck.secrets import Secret

__all__ = ["SpendCaps", "judge_answer", "request_body", "run_samples"]

#: fields that would make the answer a stream; the judge reads one unstreamed completion
_STREAM_FIELDS = ("stream", "stream_options")
_CAP_FIELDS = ("max_tokens", "max_completion_tokens")


@dataclass(frozen=True)
class SpendCaps:
    """Stop sending once this many requests were sent, or this many tokens used (None: no cap)."""

    max_requests: int | None = None
    max_tokens: int | None = None


def request_body(sample: Sample, provider: Provider, model: ModelEntry) -> dict[str, Any]:
    """The sample's body for `model`: the configured id, unstreamed, with a completion cap."""
    body = {key: value for key, value in sample.body.items() if key not in _STREAM_FIELDS}
    body["model"] = model.id
    if not any(key in body for key in _CAP_FIELDS):
        body[KIND_PROFILES[provider.kind].max_tokens_field] = cap_of(model)
    return body


def _judge_call(call: object, finish: str | None, tools: Mapping[str, Tool]) -> ToolCallVerdict:
    function = call.get("function") if isinstance(call, Mapping) else None
    name = function.get("name") if isinstance(function, Mapping) else None
    tool = tools.get(name) if isinstance(name, str) else None
    if tool is None:
        shown = str(name)[:60] if isinstance(name, str) else "no name"
        return ToolCallVerdict(ToolCallResult.WRONG_FUNCTION, f"called {shown!r}, which the sample does not offer")
    try:
        return judge_tool_call({"tool_calls": [call]}, finish, tool)
    except referencing.exceptions.Unresolvable as exc:
        # a sample's schema may `$ref` what is not in it; nothing is fetched, so the call cannot be judged valid
        detail = f"the tool's schema has an unresolvable $ref: {exc}"[:200]
        return ToolCallVerdict(ToolCallResult.SCHEMA_MISMATCH, detail)


def judge_answer(message: Mapping[str, Any], finish: str | None, tools: Iterable[Tool]) -> ToolCallVerdict:
    """K2VV's judgement of an answer ending in tool_calls: successful only when every call is valid."""
    calls = message.get("tool_calls")
    if not isinstance(calls, list) or not calls:
        return ToolCallVerdict(ToolCallResult.MISSING, f"no tool call with finish_reason {finish}")
    offered = {tool.name: tool for tool in tools}
    for number, call in enumerate(calls):
        verdict = _judge_call(call, finish, offered)
        if verdict.result is not ToolCallResult.VALID:
            return ToolCallVerdict(verdict.result, f"call {number}: {verdict.detail}")
    return ToolCallVerdict(ToolCallResult.VALID)


async def _send_sample(session: ProbeSession, provider: Provider, model: ModelEntry, sample: Sample) -> Record:
    try:
        reply = await send_paid(session, provider, request_body(sample, provider, model))
        tokens, finish, message = parse_answer(reply)
    except ProbeError as exc:
        return Record(sample.index, error=exc.reason.value, detail=exc.detail[:300])
    verdict = None
    if finish == TOOL_CALLS:
        verdict = judge_answer(message, finish, sample.tools)
    elif finish == FILTERED_FINISH_REASON:
        verdict = ToolCallVerdict(ToolCallResult.MISSING, "the provider's content filter stopped the answer")
    return Record(
        sample.index, finish, verdict.result.value if verdict and finish == TOOL_CALLS else None,
        verdict.detail[:300] if verdict else "", tokens.prompt_tokens, tokens.completion_tokens,
    )


@dataclass
class _Spend:
    caps: SpendCaps
    requests: int = 0
    tokens: int = 0
    stopped_by: str | None = None

    def allows_another(self) -> bool:
        if self.caps.max_requests is not None and self.requests >= self.caps.max_requests:
            self.stopped_by = "max_requests"
        elif self.caps.max_tokens is not None and self.tokens >= self.caps.max_tokens:
            self.stopped_by = "max_tokens"
        return self.stopped_by is None


async def run_samples(
    client: httpx.AsyncClient,
    provider: Provider,
    model: ModelEntry,
    key: Secret,
    samples: Iterable[Sample],
    on_record: Callable[[Record], None],
    *,
    timeout: float,
    concurrency: int = 4,
    caps: SpendCaps = SpendCaps(),
    retry: RetryPolicy = DEFAULT_RETRY,
) -> str | None:
    """Send `samples` in order, `concurrency` at a time; the cap that stopped sending, or None."""
    pending = iter(samples)
    spend = _Spend(caps)
    loop = asyncio.get_running_loop()

    async def worker() -> None:
        while (sample := next(pending, None)) is not None:
            if not spend.allows_another():
                return
            spend.requests += 1
            session = ProbeSession(client=client, key=key, kind=provider.kind,
                                   deadline=loop.time() + timeout, retry=retry)
            record = await _send_sample(session, provider, model, sample)
            spend.tokens += record.prompt_tokens + record.completion_tokens
            on_record(record)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return spend.stopped_by
