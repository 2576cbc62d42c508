"""The paid `tools` check: one completion offering a small tool, its call judged as K2VV judges one.

The tool's schema has a required string, an enum and an integer, and the prompt makes the call unambiguous.
`tool_choice` is `auto`: K2.x refuses `required`, and a forced function while thinking. No tool call (another
finish_reason) is `tool_call_missing`; arguments that are not JSON, do not fit the schema, or a call to another
function are `tool_call_invalid`, the detail saying which (`toolcalls.judge_tool_call`).
"""

from __future__ import annotations

from kimicheck.config.models import Config, ModelEntry, Provider
from kimicheck.probe.chat import FILTERED_FINISH_REASON
from kimicheck.probe.paid import paid_body, parse_answer, send_paid
from kimicheck.probe.result import Reason, ToolCallData
from kimicheck.probe.session import Outcome, ProbeSession
from kimicheck.probe.toolcalls import Tool, ToolCallResult, judge_tool_call

__all__ = ["REMINDER_TOOL", "TOOLS_PROMPT", "probe_tools"]

REMINDER_TOOL = Tool(
    name="set_reminder",
    parameters={
        "type": "object",
        "properties": {
            "text": {"type": "string", "description": "What to be reminded of."},
            "priority": {"type": "string", "enum": ["low", "normal", "high"]},
            "minutes": {"type": "integer", "minimum": 1, "maximum": 1440, "description": "Minutes from now."},
        },
        "required": ["text", "priority", "minutes"],
        "additionalProperties": False,
    },
)

TOOLS_PROMPT = ("Call set_reminder to remind me to water the plants in 15 minutes with high priority. "
                "Do not reply with text.")


async def probe_tools(
    session: ProbeSession, config: Config, provider: Provider, model: ModelEntry | None
) -> Outcome:
    """Offer `REMINDER_TOOL` to `model` and judge the call it makes."""
    if model is None:
        raise ValueError("a tools check always names its model")
    body = paid_body(provider, model, TOOLS_PROMPT, tools=[REMINDER_TOOL.definition()], tool_choice="auto")
    reply = await send_paid(session, provider, body)
    tokens, finish, message = parse_answer(reply)
    if finish == FILTERED_FINISH_REASON:
        data = ToolCallData(tokens.prompt_tokens, tokens.completion_tokens, ToolCallResult.MISSING)
        return Outcome(False, Reason.CONTENT_FILTERED, "the provider's content filter stopped the answer",
                       reply.status_code, data)
    verdict = judge_tool_call(message, finish, REMINDER_TOOL)
    data = ToolCallData(tokens.prompt_tokens, tokens.completion_tokens, verdict.result.value)
    if verdict.result is ToolCallResult.VALID:
        return Outcome(True, Reason.OK, f"a valid {REMINDER_TOOL.name} call", reply.status_code, data)
    reason = Reason.TOOL_CALL_MISSING if verdict.result is ToolCallResult.MISSING else Reason.TOOL_CALL_INVALID
    return Outcome(False, reason, f"{verdict.result.value}: {verdict.detail}", reply.status_code, data)
