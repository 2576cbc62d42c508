"""The paid `stream` check: one streamed completion with `stream_options: {include_usage: true}`.

It measures time to first token (from sending the request to the first delta with content or reasoning), time
to the first answer token, the total time and output tokens per second from the usage, and judges the stream:
well-formed events, a terminating `[DONE]`, usage present (in the finish chunk or a trailing one) and no error
event. A stream cut off, malformed or without usage is `stream_broken`; a working stream whose first token
takes longer than `ttft_warn_above` (the chat settings) is a warning, `slow`.
"""

from __future__ import annotations

from kimicheck.config.models import Config, ModelEntry, Provider
from kimicheck.probe.chat import FILTERED_FINISH_REASON, MAX_CHAT_TOKENS
from kimicheck.probe.errors import ProbeError
from kimicheck.probe.http import BrokenBody
from kimicheck.probe.paid import paid_body, send_paid
from kimicheck.probe.result import Reason, StreamData
from kimicheck.probe.session import Outcome, ProbeSession
from kimicheck.probe.stream_reading import StreamReading, read_stream

__all__ = ["STREAM_PROMPT", "probe_stream", "stream_outcome"]

STREAM_PROMPT = "Count from 1 to 5, separated by spaces."


def _tokens(usage: object) -> tuple[int, int] | None:
    if not isinstance(usage, dict):
        return None
    prompt, completion = usage.get("prompt_tokens"), usage.get("completion_tokens")
    counts = (prompt, completion)
    if any(isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_CHAT_TOKENS for n in counts):
        return None
    return prompt, completion  # type: ignore[return-value]  # both checked to be int just above


def _data(reading: StreamReading, tokens: tuple[int, int] | None) -> StreamData:
    prompt, completion = tokens or (0, 0)
    rate = None
    if tokens and reading.first_token is not None and reading.end is not None and reading.end > reading.first_token:
        rate = completion / (reading.end - reading.first_token)
    return StreamData(prompt, completion, reading.first_token, reading.first_answer_token, reading.end, rate)


def _seconds(value: float | None) -> str:
    return "none" if value is None else f"{value:.3f}s"


def stream_outcome(reading: StreamReading, status_code: int, ttft_warn_above: float | None) -> Outcome:
    """Judge a read stream: broken, filtered, slow or ok (pure)."""
    tokens = _tokens(dict(reading.usage) if reading.usage is not None else None)
    data = _data(reading, tokens)
    problem = reading.problem
    if problem is None and tokens is None:
        problem = "no usage in the stream" if reading.usage is None else "usage without integer token counts"
    if problem is not None:
        return Outcome(False, Reason.STREAM_BROKEN, f"the stream is broken: {problem}", status_code, data)
    detail = (f"first token {_seconds(data.time_to_first_token)}, first answer token "
              f"{_seconds(data.time_to_first_answer_token)}, total {_seconds(data.total_seconds)}, "
              f"{data.completion_tokens} completion tokens")
    if data.output_tokens_per_second is not None:
        detail += f" at {data.output_tokens_per_second:.1f}/s"
    if reading.finish_reason == FILTERED_FINISH_REASON:
        return Outcome(False, Reason.CONTENT_FILTERED, detail + ": the provider's content filter stopped the answer",
                       status_code, data)
    ttft = data.time_to_first_token
    if ttft_warn_above is not None and (ttft is None or ttft > ttft_warn_above):
        return Outcome(True, Reason.SLOW, f"{detail}: slower than ttft_warn_above {ttft_warn_above:g}s",
                       status_code, data)
    return Outcome(True, Reason.OK, detail, status_code, data)


async def probe_stream(
    session: ProbeSession, config: Config, provider: Provider, model: ModelEntry | None
) -> Outcome:
    """Stream a short completion from `model`, time it and judge the stream."""
    if model is None:
        raise ValueError("a stream check always names its model")
    body = paid_body(provider, model, STREAM_PROMPT, stream=True, stream_options={"include_usage": True})
    try:
        reply = await send_paid(session, provider, body)
    except BrokenBody as exc:
        if not 200 <= exc.answer_status < 300:
            raise
        raise ProbeError(Reason.STREAM_BROKEN, f"the stream was cut off: {exc.detail}",
                         status_code=exc.answer_status) from None
    media = reply.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "text/event-stream":
        return Outcome(False, Reason.STREAM_BROKEN,
                       f"the answer is {media or 'untyped'}, not an event stream", reply.status_code)
    reading = read_stream(reply.body, reply.arrivals, reply.sent_at)
    return stream_outcome(reading, reply.status_code, config.effective_chat(provider).ttft_warn_above)
