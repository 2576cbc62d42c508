"""Tool calls and JSON answers the simulator makes up: a minimal valid instance of a JSON Schema, and its flaws.

The schema subset is what tool definitions use: `type` (one or a list), `properties` with `required`, `enum`,
`const`, `items` with `minItems`, `anyOf`/`oneOf` (the first branch), `minimum`/`maximum` and string lengths.
Anything else (`$ref`, `pattern`, `format`) is ignored: the instance is then the simplest of its type.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ToolCall",
    "broken_arguments",
    "dumps",
    "minimal_instance",
    "schema_violation",
    "tool_call_id",
]

_STRING = "example"
_MAX_DEPTH = 16
#: a value of another JSON type than the one a schema asks for
_WRONG_VALUE: dict[str, Any] = {
    "string": 12345, "integer": "not a number", "number": "not a number", "boolean": "yes",
    "array": "not a list", "object": "not an object", "null": "not null",
}


@dataclass(frozen=True)
class ToolCall:
    """One function call of an assistant message; `arguments` is the JSON text the model wrote."""

    name: str
    arguments: str

    def id(self, index: int) -> str:
        """The id Moonshot gives it."""
        return tool_call_id(self.name, index)


def tool_call_id(name: str, index: int) -> str:
    """`functions.NAME:IDX`, as Moonshot's K2 models write tool-call ids."""
    return f"functions.{name}:{index}"


def _type_of(schema: Mapping[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        return next((k for k in kind if k != "null" and isinstance(k, str)), kind[0] if kind else None)
    return kind if isinstance(kind, str) else None


def _number(schema: Mapping[str, Any], integer: bool) -> int | float:
    low, high = schema.get("minimum"), schema.get("maximum")
    exclusive = schema.get("exclusiveMinimum")
    value: int | float = 0
    if isinstance(low, int | float) and not isinstance(low, bool):
        value = low
    if isinstance(exclusive, int | float) and not isinstance(exclusive, bool) and value <= exclusive:
        value = exclusive + 1
    if isinstance(high, int | float) and not isinstance(high, bool) and value > high:
        value = high
    return int(value) if integer else value


def _string(schema: Mapping[str, Any]) -> str:
    low, high = schema.get("minLength"), schema.get("maxLength")
    text = _STRING
    if isinstance(low, int) and len(text) < low:
        text = text + "x" * (low - len(text))
    if isinstance(high, int) and len(text) > high:
        text = text[: max(high, 0)]
    return text


def _object(schema: Mapping[str, Any], depth: int) -> dict[str, Any]:
    properties = schema.get("properties")
    required = schema.get("required")
    if not isinstance(properties, Mapping) or not isinstance(required, list):
        return {}
    return {name: minimal_instance(properties.get(name, {}), depth + 1) for name in required if isinstance(name, str)}


def minimal_instance(schema: object, depth: int = 0) -> Any:
    """The smallest value valid for `schema`: required properties only, the first enum value, the minimum."""
    if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
        return {}
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return enum[0]
    for combinator in ("anyOf", "oneOf", "allOf"):
        branches = schema.get(combinator)
        if isinstance(branches, list) and branches:
            return minimal_instance(branches[0], depth + 1)
    kind = _type_of(schema)
    if kind == "string":
        return _string(schema)
    if kind in ("integer", "number"):
        return _number(schema, kind == "integer")
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    if kind == "array":
        count = schema.get("minItems")
        item = schema.get("items", {})
        return [minimal_instance(item, depth + 1) for _ in range(count if isinstance(count, int) else 0)]
    return _object(schema, depth)


def schema_violation(schema: object) -> Any:
    """A value of the right overall shape that `schema` rejects (a required property missing or mistyped)."""
    instance = minimal_instance(schema)
    if not isinstance(schema, Mapping) or not isinstance(instance, dict):
        return [instance]  # a tool's parameters are an object: a list is never valid
    if instance:
        first = next(iter(instance))
        del instance[first]
        return instance
    properties = schema.get("properties")
    if isinstance(properties, Mapping) and properties:
        name, prop = next(iter(properties.items()))
        kind = _type_of(prop) if isinstance(prop, Mapping) else None
        if kind is not None:
            return {name: _WRONG_VALUE.get(kind, [])}
    return []


def broken_arguments(arguments: str) -> str:
    """Arguments cut off before their end, as a vendor whose output was truncated sends them: not JSON."""
    return arguments[: max(len(arguments) - 2, 1)]


def dumps(value: Any) -> str:
    """JSON text as models write it (`", "` and `": "` separators)."""
    return json.dumps(value, ensure_ascii=False)
