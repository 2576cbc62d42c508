"""The paid `json` check: one completion in JSON mode (`response_format: {type: json_object}`).

The prompt asks for a tiny object and names JSON (JSON mode wants the word in the prompt). The content must
parse as a JSON object; prose around it, or no content at all, is `json_invalid`.
"""

from __future__ import annotations

import json

from kimicheck.config.models import Config, ModelEntry, Provider
from kimicheck.probe.chat import FILTERED_FINISH_REASON
from kimicheck.probe.paid import paid_body, parse_answer, send_paid
from kimicheck.probe.result import Reason
from kimicheck.probe.session import Outcome, ProbeSession

__all__ = ["JSON_PROMPT", "judge_json_content", "probe_json"]

JSON_PROMPT = 'Reply with the JSON object {"status": "ok"} and nothing else.'


def judge_json_content(content: object) -> str | None:
    """What is wrong with JSON mode's `content`, or None when it is a JSON object."""
    if not isinstance(content, str) or not content.strip():
        return "the answer has no content"
    try:
        value = json.loads(content)
    except ValueError:
        return f"the content is not JSON ({len(content)} characters)"
    return None if isinstance(value, dict) else f"the content is JSON but not an object ({type(value).__name__})"


async def probe_json(
    session: ProbeSession, config: Config, provider: Provider, model: ModelEntry | None
) -> Outcome:
    """Ask `model` for a tiny object in JSON mode and judge that the content parses as one."""
    if model is None:
        raise ValueError("a json check always names its model")
    body = paid_body(provider, model, JSON_PROMPT, response_format={"type": "json_object"})
    reply = await send_paid(session, provider, body)
    tokens, finish, message = parse_answer(reply)
    if finish == FILTERED_FINISH_REASON:
        return Outcome(False, Reason.CONTENT_FILTERED, "the provider's content filter stopped the answer",
                       reply.status_code, tokens)
    problem = judge_json_content(message.get("content"))
    if problem is not None:
        return Outcome(False, Reason.JSON_INVALID, f"{problem}, finish_reason {finish}", reply.status_code, tokens)
    return Outcome(True, Reason.OK, "the content is a JSON object", reply.status_code, tokens)
