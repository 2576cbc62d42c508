"""Made-up tool arguments and JSON answers: valid for the schema, or broken the way a faulty vendor breaks them."""

import json
from typing import Any

import jsonschema
import pytest

from kimicheck.sim.tools import broken_arguments, dumps, minimal_instance, schema_violation, tool_call_id

WEATHER = {
    "type": "object",
    "properties": {
        "city": {"type": "string", "description": "the city"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        "days": {"type": "integer", "minimum": 1, "maximum": 7},
        "detail": {"type": "boolean"},
    },
    "required": ["city", "unit", "days"],
}

SCHEMAS: list[dict[str, Any]] = [
    WEATHER,
    {"type": "object", "properties": {}},
    {"type": "object", "properties": {"q": {"type": "string", "minLength": 12}}, "required": ["q"]},
    {"type": "object", "properties": {"code": {"type": "string", "maxLength": 3}}, "required": ["code"]},
    {"type": "object", "properties": {"n": {"type": "integer", "exclusiveMinimum": 10}}, "required": ["n"]},
    {"type": "object", "properties": {"ratio": {"type": "number", "minimum": 0.5}}, "required": ["ratio"]},
    {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}, "minItems": 2}},
     "required": ["tags"]},
    {"type": "object", "properties": {"when": {"type": ["string", "null"]}}, "required": ["when"]},
    {"type": "object", "properties": {"id": {"anyOf": [{"type": "integer"}, {"type": "string"}]}},
     "required": ["id"]},
    {"type": "object", "properties": {"kind": {"const": "fixed"}}, "required": ["kind"]},
    {"type": "object", "properties": {"where": {"type": "object", "properties": {"lat": {"type": "number"}},
                                                "required": ["lat"]}}, "required": ["where"]},
    {"type": "object", "properties": {"flag": {"type": "boolean"}}, "required": ["flag"],
     "additionalProperties": False},
]


@pytest.mark.parametrize("schema", SCHEMAS)
def test_minimal_instance_is_valid_for_its_schema(schema: dict[str, Any]) -> None:
    instance = minimal_instance(schema)
    jsonschema.validate(instance, schema)
    assert json.loads(dumps(instance)) == instance


def test_minimal_instance_fills_required_properties_only() -> None:
    assert minimal_instance(WEATHER) == {"city": "example", "unit": "celsius", "days": 1}


@pytest.mark.parametrize("schema", SCHEMAS)
def test_schema_violation_is_json_the_schema_rejects(schema: dict[str, Any]) -> None:
    violation = schema_violation(schema)
    assert json.loads(dumps(violation)) == violation
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(violation, schema)


@pytest.mark.parametrize("schema", SCHEMAS)
def test_broken_arguments_are_not_json(schema: dict[str, Any]) -> None:
    with pytest.raises(json.JSONDecodeError):
        json.loads(broken_arguments(dumps(minimal_instance(schema))))


def test_tool_call_ids_follow_moonshot() -> None:
    assert tool_call_id("get_weather", 0) == "functions.get_weather:0"
