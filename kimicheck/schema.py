"""The JSON Schema of the config format, generated from the pydantic models (one source of truth).

Editors use it for completion and inline errors (`# yaml-language-server: $schema=...`), and other
validators can check a config with it. It is a subset of what `kimicheck lint` checks: it knows the
shape of a config, not what is known about each provider.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from kimicheck.config import models
from kimicheck.config.models import Config

__all__ = ["SCHEMA_ID", "config_schema", "schema_json"]

#: a stable name for the schema of format version 1 (a URN, so it does not depend on where it is published)
SCHEMA_ID = "urn:kimicheck:config:v1"
_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def config_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a version 1 config, with `$schema`, `$id` and a title first."""
    generated = Config.model_json_schema()
    generated.pop("$schema", None)
    for name, definition in generated.get("$defs", {}).items():
        model = getattr(models, name, None)
        if isinstance(model, type) and issubclass(model, BaseModel):
            _fill_descriptions(definition, model)
    generated.pop("title", None)
    return {
        "$schema": _DRAFT,
        "$id": SCHEMA_ID,
        "title": "kimicheck config (version 1)",
        **generated,
    }


def _fill_descriptions(definition: dict[str, Any], model: type[BaseModel]) -> None:
    """Restore field descriptions pydantic leaves out beside a `$ref` (fields with a default factory)."""
    for name, spec in definition.get("properties", {}).items():
        field = model.model_fields.get(name)
        if field is not None and field.description and "description" not in spec:
            spec["description"] = field.description


def schema_json() -> str:
    """The schema as the text `kimicheck schema` prints and `configs/kimicheck.schema.json` holds."""
    return json.dumps(config_schema(), indent=2, ensure_ascii=False) + "\n"
