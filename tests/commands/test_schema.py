"""`kimicheck schema`: the published copy is current, valid draft 2020-12, and agrees with the linter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from kimicheck.schema import SCHEMA_ID, config_schema

from .clirun import kimicheck

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = ROOT / "configs" / "kimicheck.schema.json"
#: the shipped kimicheck configs (configs/ also holds simulator scenarios, which have no `providers`)
EXAMPLES = sorted(
    p for p in (ROOT / "configs").glob("*.y*ml") if "providers" in (yaml.safe_load(p.read_text("utf-8")) or {})
)

GOOD = """\
version: 1
defaults: {timeout: 10s, intervals: {models: 5m, balance: 5m, chat: 1h}, chat: {max_tokens: 16}}
providers:
  - name: kimi-intl
    kind: moonshot
    base_url: https://api.moonshot.ai/v1
    api_key_env: MOONSHOT_API_KEY
    models: [kimi-k2.6, {id: kimi-k2.5, chat: true}]
    balance: {warn_below: 20, critical_below: 5.5, currency: USD}
    timeout: 15
    intervals: {chat: 6h}
"""


def _validator() -> Draft202012Validator:
    return Draft202012Validator(config_schema())


def test_command_prints_the_published_copy() -> None:
    result = kimicheck("schema")
    assert result.code == 0
    assert result.out == PUBLISHED.read_text(encoding="utf-8"), "run: kimicheck schema > configs/kimicheck.schema.json"


def test_schema_is_valid_draft_2020_12_with_an_id() -> None:
    schema = config_schema()
    Draft202012Validator.check_schema(schema)
    assert list(schema)[:3] == ["$schema", "$id", "title"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID


def _properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = [("(root)." + name, spec) for name, spec in schema["properties"].items()]
    for model, definition in schema["$defs"].items():
        found += [(f"{model}.{name}", spec) for name, spec in definition.get("properties", {}).items()]
    return found


def test_every_property_has_a_description() -> None:
    missing = [name for name, spec in _properties(config_schema()) if not spec.get("description")]
    assert missing == []


def test_every_object_forbids_unknown_keys() -> None:
    schema = config_schema()
    objects = [schema, *(d for d in schema["$defs"].values() if d.get("type") == "object")]
    assert all(o["additionalProperties"] is False for o in objects)


def test_a_good_config_is_valid() -> None:
    assert list(_validator().iter_errors(yaml.safe_load(GOOD))) == []
    assert kimicheck("lint", "-", stdin=GOOD).code == 0


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_shipped_examples_are_valid(example: Path) -> None:
    assert list(_validator().iter_errors(yaml.safe_load(example.read_text(encoding="utf-8")))) == []


@pytest.mark.parametrize(
    ("old", "new", "complaint"),
    [
        ("api_key_env", "api_key_evn", "Additional properties are not allowed ('api_key_evn' was unexpected)"),
        ("version: 1", "version: 2", "1 was expected"),
        ("kind: moonshot", "kind: kimi", "'kimi' is not one of"),
        ("name: kimi-intl", "name: Kimi Intl", "'Kimi Intl' does not match"),
        ("timeout: 15", "timeout: 15 seconds", "'15 seconds' is not valid under any of the given schemas"),
        ("chat: true}", "chat: 'yes'}", "{'id': 'kimi-k2.5', 'chat': 'yes'} is not valid"),
        ("providers:", "providers: []\nold_providers:", "Additional properties are not allowed"),
    ],
)
def test_the_schema_rejects_what_the_linter_rejects(old: str, new: str, complaint: str) -> None:
    bad = GOOD.replace(old, new, 1)
    messages = [error.message for error in _validator().iter_errors(yaml.safe_load(bad))]
    assert any(complaint in message for message in messages), messages
    assert kimicheck("lint", "-", stdin=bad).code == 1
