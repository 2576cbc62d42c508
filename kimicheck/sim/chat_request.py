"""A chat request as the simulator reads it, and what a provider refuses in it (400 `invalid_request_error`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from kimicheck.providers import Kind
from kimicheck.sim.catalog import model_info

__all__ = ["ChatRequest", "Tool", "parse_chat_request", "refusal"]

#: the sampling parameters a model may fix (`ModelInfo.fixed_params`), read when sent.
_SAMPLING = ("temperature", "top_p", "n", "presence_penalty", "frequency_penalty")
#: `n` Moonshot accepts at most (moonshot-v1-*; platform.kimi.ai/docs/api/models-overview, checked 2026-11).
_MOONSHOT_MAX_N = 5
_NO_PARAMS: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class Tool:
    """A function the client offers: its name and the JSON Schema of its arguments."""

    name: str
    parameters: Mapping[str, Any]


@dataclass(frozen=True)
class ChatRequest:
    """The parts of a chat request the simulator reads."""

    model: str
    messages: list[Any]
    stream: bool
    cap: int | None
    temperature: float | None
    tools: tuple[Tool, ...] = ()
    #: `auto` (the default with tools), `none`, `required`, or `function` (then `forced_tool` names it).
    tool_choice: Literal["auto", "none", "required", "function"] = "auto"
    forced_tool: str | None = None
    #: `json_object`, `json_schema` (then `json_schema` holds it) or `text`.
    response_format: Literal["text", "json_object", "json_schema"] = "text"
    json_schema: Mapping[str, Any] | None = None
    n: int = 1
    thinking_disabled: bool = False
    include_usage: bool = False
    #: the sampling parameters sent (`temperature`, `top_p`, `n`, penalties), for models that fix them.
    sampling: Mapping[str, Any] = field(default_factory=lambda: _NO_PARAMS)

    @property
    def calls_tool(self) -> bool:
        """True when the model is asked or allowed to call a function."""
        return bool(self.tools) and self.tool_choice != "none"

    @property
    def thinks(self) -> bool:
        """True when the model thinks before it answers (a thinking model not told otherwise)."""
        info = model_info(self.model)
        return info.reasoning and not (self.thinking_disabled and info.thinking == "optional")


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _tools(raw: object) -> tuple[Tool, ...] | str:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        return "tools must be a list"
    tools: list[Tool] = []
    for item in raw:
        function = item.get("function") if isinstance(item, dict) else None
        name = function.get("name") if isinstance(function, dict) else None
        if not isinstance(function, dict) or not isinstance(name, str) or not name:
            return "each tool must be {type: function, function: {name, parameters}}"
        parameters = function.get("parameters", {})
        tools.append(Tool(name, parameters if isinstance(parameters, dict) else {}))
    return tuple(tools)


def _tool_choice(raw: object, tools: tuple[Tool, ...]) -> tuple[str, str | None] | str:
    if raw is None:
        return "auto", None
    if raw in ("auto", "none", "required"):
        return str(raw), None
    function = raw.get("function") if isinstance(raw, dict) else None
    name = function.get("name") if isinstance(function, dict) else None
    if not isinstance(name, str):
        return "tool_choice must be auto, none, required or {type: function, function: {name}}"
    if name not in {tool.name for tool in tools}:
        return f"tool_choice names {name}, which is not in tools"
    return "function", name


def _response_format(raw: object) -> tuple[str, Mapping[str, Any] | None] | str:
    if raw is None:
        return "text", None
    kind = raw.get("type") if isinstance(raw, dict) else None
    if kind in ("text", "json_object"):
        return str(kind), None
    if kind == "json_schema" and isinstance(raw, dict):
        spec = raw.get("json_schema")
        schema = spec.get("schema") if isinstance(spec, dict) else None
        return "json_schema", schema if isinstance(schema, dict) else {}
    return "response_format.type must be text, json_object or json_schema"


def _basics(body: dict[str, Any]) -> str | None:
    model, messages = body.get("model"), body.get("messages")
    if not isinstance(model, str) or not model:
        return "model is required"
    if not isinstance(messages, list) or not messages:
        return "messages must be a non-empty list"
    cap = body.get("max_completion_tokens", body.get("max_tokens"))
    if cap is not None and (not isinstance(cap, int) or isinstance(cap, bool) or cap < 1):
        return "max_tokens must be a positive integer"
    if body.get("temperature") is not None and not _number(body.get("temperature")):
        return "temperature must be a number"
    n = body.get("n", 1)
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        return "n must be a positive integer"
    return None


def parse_chat_request(body: object) -> ChatRequest | str:
    """The request, or the message of the 400 `invalid_request_error` it deserves."""
    if not isinstance(body, dict):
        return "the request body must be a JSON object"
    problem = _basics(body)
    if problem is not None:
        return problem
    tools = _tools(body.get("tools"))
    if isinstance(tools, str):
        return tools
    choice = _tool_choice(body.get("tool_choice"), tools)
    answer_format = _response_format(body.get("response_format"))
    if isinstance(choice, str) or isinstance(answer_format, str):
        return choice if isinstance(choice, str) else str(answer_format)
    thinking, options = body.get("thinking"), body.get("stream_options")
    return ChatRequest(
        body["model"], body["messages"], body.get("stream") is True,
        body.get("max_completion_tokens", body.get("max_tokens")), body.get("temperature"),
        tools=tools, tool_choice=choice[0],  # type: ignore[arg-type]
        forced_tool=choice[1], response_format=answer_format[0],  # type: ignore[arg-type]
        json_schema=answer_format[1], n=body.get("n", 1),
        thinking_disabled=isinstance(thinking, dict) and thinking.get("type") == "disabled",
        include_usage=isinstance(options, dict) and options.get("include_usage") is True,
        sampling=MappingProxyType({k: body[k] for k in _SAMPLING if _number(body.get(k))}),
    )


def refusal(request: ChatRequest, kind: Kind) -> str | None:
    """Why Moonshot refuses the request for its model (None: it does not); gateways' vendors vary, so they don't."""
    if kind is not Kind.MOONSHOT:
        return None
    info = model_info(request.model)
    if request.thinking_disabled and info.thinking == "always":
        return "thinking cannot be disabled for this model"
    if request.n > _MOONSHOT_MAX_N:
        return f"invalid n: at most {_MOONSHOT_MAX_N} is allowed"
    if not request.thinking_disabled:  # the fixed values are those of thinking mode
        for name, fixed in info.fixed_params.items():
            sent = request.sampling.get(name)
            if sent is not None and sent != fixed:
                return f"invalid {name}: only {fixed} is allowed for this model"
    if request.tools and request.tool_choice == "required":
        return "tool_choice 'required' is not supported, use 'auto' or name a function"
    if request.tool_choice == "function" and request.thinks:
        return "tool_choice naming a function is not supported while thinking is enabled"
    return None
