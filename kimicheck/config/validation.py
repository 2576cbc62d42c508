"""Validate a loaded `Document` against the config models, one piece at a time.

`defaults` and every provider are validated separately, so one broken provider never hides the
others: the valid ones still reach the lint rules and the probes. Every pydantic error becomes a
`LoadIssue` at the exact position of the key or value it is about, with a fix hint.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from kimicheck.config.loader import LoadIssue
from kimicheck.config.models import PROVIDER_NAME_PATTERN, Config, Defaults, Provider
from kimicheck.lint.rule import DocPath, Document, Span
from kimicheck.lint.rules import document as rules
from kimicheck.lint.rules.keys import LITERAL_KEY_FIELDS
from kimicheck.lookalike import closest

__all__ = ["Validated", "validate"]

_TOP_LEVEL = ("version", "defaults", "providers")
_START = Span(1, 1, 1, 1)
#: the fields every rule relies on: a provider with one of them invalid is not checked further
_IDENTITY = frozenset({"name", "kind", "base_url"})
#: keys whose values may be secrets: never quoted back in a message
_SECRET_KEYS = frozenset({"api_key_env", "api_key_file", *LITERAL_KEY_FIELDS})


@dataclass(frozen=True)
class Validated:
    """The pieces of a config that validated, and the issues of those that did not."""

    defaults: Defaults
    #: (index in `providers:`, provider) for every provider that validated
    providers: tuple[tuple[int, Provider], ...]
    issues: tuple[LoadIssue, ...]
    #: the whole config, when every piece validated
    config: Config | None
    #: provider index -> fields left out of its model because they were invalid
    dropped: Mapping[int, frozenset[str]] = field(default_factory=dict)


def validate(document: Document) -> Validated:
    """Validate `document.data` as a version 1 config."""
    issues: list[LoadIssue] = []
    data = document.data
    if not isinstance(data, dict):
        issues.append(LoadIssue(rules.INVALID_VALUE, "the top level of a config must be a mapping with "
                                "`version` and `providers`", document.values.get((), _START),
                                "`kimicheck schema` prints the format"))
        return Validated(Defaults(), (), tuple(issues), None)

    issues.extend(_check_version(document, data))
    for key in data:
        if key not in _TOP_LEVEL:
            issues.append(_unknown_key(document, (key,), Config))

    defaults = Defaults()
    if "defaults" in data:
        try:
            defaults = Defaults.model_validate(data["defaults"])
        except ValidationError as exc:
            issues.extend(_translate(document, exc, ("defaults",), Defaults))

    providers: list[tuple[int, Provider]] = []
    dropped: dict[int, frozenset[str]] = {}
    raw_providers = data.get("providers")
    if "providers" not in data:
        issues.append(LoadIssue(rules.MISSING_KEY, "missing required key 'providers'",
                                document.values.get((), _START), "add `providers:` with at least one provider"))
    elif not isinstance(raw_providers, list) or not raw_providers:
        issues.append(LoadIssue(rules.INVALID_VALUE, "`providers` must be a list of at least one provider",
                                document.values.get(("providers",), _START),
                                "write each provider as a list item starting with `- name:`"))
    else:
        for index, raw in enumerate(raw_providers):
            try:
                providers.append((index, Provider.model_validate(raw)))
            except ValidationError as exc:
                issues.extend(_translate(document, exc, ("providers", index), Provider))
                salvaged = _salvage(raw, exc)
                if salvaged is not None:
                    providers.append((index, salvaged[0]))
                    dropped[index] = salvaged[1]

    config = None
    if not issues and isinstance(raw_providers, list) and len(providers) == len(raw_providers):
        config = Config.model_construct(version=1, defaults=defaults, providers=[p for _, p in providers])
    return Validated(defaults, tuple(providers), tuple(issues), config, dropped)


def _salvage(raw: object, exc: ValidationError) -> tuple[Provider, frozenset[str]] | None:
    """The provider without its invalid optional fields, so the rules still check the rest of it.

    A provider whose name, kind or base_url is invalid is not salvaged: most rules read those.
    """
    if not isinstance(raw, dict):
        return None
    bad = frozenset(str(error["loc"][0]) for error in exc.errors() if error["loc"])
    if not bad or bad & _IDENTITY or any(not error["loc"] for error in exc.errors()):
        return None
    # an unknown key is probably a misspelt known one: count that one as dropped too
    meant = {match for key in bad - set(Provider.model_fields) for match in closest(key, Provider.model_fields)}
    if bad & set(LITERAL_KEY_FIELDS):
        meant |= {"api_key_env", "api_key_file"}
    try:
        return Provider.model_validate({k: v for k, v in raw.items() if k not in bad}), bad | meant
    except ValidationError:
        return None


def _check_version(document: Document, data: Mapping[Any, object]) -> Iterator[LoadIssue]:
    if "version" not in data:
        yield LoadIssue(rules.UNSUPPORTED_VERSION, "missing `version`: this kimicheck reads `version: 1`",
                        document.values.get((), _START), "add `version: 1` at the top of the file")
    elif data["version"] != 1 or isinstance(data["version"], bool):
        shown = document.implicit_scalars.get(("version",), (repr(data["version"]), ""))[0]
        yield LoadIssue(rules.UNSUPPORTED_VERSION,
                        f"unsupported config version {shown}: this kimicheck reads version 1",
                        document.values[("version",)], "set `version: 1`")


def _resolve(data: object, loc: tuple[int | str, ...], error_type: str) -> tuple[DocPath, str | None]:
    """Map a pydantic error location onto a path that exists in the data, skipping union tags.

    Returns the existing path and, when the last element is absent (a missing key), its name.
    """
    path: list[str | int] = []
    current = data
    for position, part in enumerate(loc):
        present = (isinstance(current, dict) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current))
        if present:
            current = current[part]  # type: ignore[index]
            path.append(part)
        elif position == len(loc) - 1 and error_type in {"missing", "extra_forbidden"}:
            return tuple(path), str(part)
    return tuple(path), None


def _model_at(model: type[BaseModel], path: DocPath) -> type[BaseModel] | None:
    """The pydantic model that describes the mapping at `path` below `model`, if any."""
    current: type[BaseModel] | None = model
    for part in path:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        current = _find_model(field.annotation) if field else None
    return current


def _find_model(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _find_model(typing.get_args(annotation)[0])
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _find_model(arg)
            if found is not None:
                return found
    return None


def _unknown_key(document: Document, path: DocPath, model: type[BaseModel] | None) -> LoadIssue:
    key = str(path[-1])
    allowed = list(model.model_fields) if model is not None else []
    if model is Config:
        allowed = list(_TOP_LEVEL)
    suggestion = closest(key, allowed, limit=1)
    hint = f"did you mean '{suggestion[0]}'?" if suggestion else f"allowed keys here: {', '.join(allowed)}"
    span = document.keys.get(path) or document.values.get(path, _START)
    return LoadIssue(rules.UNKNOWN_KEY, f"unknown key '{key}'", span, hint)


def _translate(document: Document, exc: ValidationError, prefix: DocPath,
               model: type[BaseModel]) -> list[LoadIssue]:
    """Turn one model's validation errors into issues, the deepest error per place."""
    resolved: dict[DocPath, tuple[ErrorDetails, str | None]] = {}
    relative_data = _get(document.data, prefix)
    for error in exc.errors(include_url=False):
        path, missing = _resolve(relative_data, tuple(error["loc"]), error["type"])
        full = (*prefix, *path) if missing is None else (*prefix, *path, missing)
        if error["type"] == "extra_forbidden":
            full = (*prefix, *path)
        if full not in resolved:
            resolved[full] = (error, missing)
    # A union reports one error per branch; the deepest place is the informative one.
    deepest = [p for p in resolved if not any(o != p and o[: len(p)] == p for o in resolved)]
    issues = []
    for full in deepest:
        error, missing = resolved[full]
        if error["type"] == "extra_forbidden":
            issues.append(_unknown_key(document, full, _model_at(model, full[len(prefix): -1])))
        elif error["type"] == "missing" and missing is not None:
            parent = full[:-1]
            issues.append(LoadIssue(rules.MISSING_KEY, f"missing required key '{missing}'",
                                    document.values.get(parent, _START), _missing_hint(missing)))
        else:
            issues.append(_invalid(document, full, error))
    return issues


def _get(data: object, path: DocPath) -> object:
    for part in path:
        data = data[part]  # type: ignore[index]
    return data


def _invalid(document: Document, path: DocPath, error: ErrorDetails) -> LoadIssue:
    span = document.values.get(path, _START)
    key = next((str(p) for p in reversed(path) if isinstance(p, str)), "value")
    where = f"`{key}`" if not isinstance(path[-1], int) else f"item {path[-1] + 1} of `{key}`"
    implicit = document.implicit_scalars.get(path)
    if implicit is not None and error["type"] in {"string_type", "model_type", "model_attributes_type",
                                                   "dict_type", "enum", "literal_error"}:
        source, type_name = implicit
        return LoadIssue(rules.INVALID_VALUE,
                         f"{where} must be a string, but YAML reads the unquoted `{source}` as "
                         f"{'an' if type_name[0] in 'aeiou' else 'a'} {type_name}",
                         span, f'quote it: "{source}"')
    message = str(error["msg"])
    hint = ""
    value = error.get("input")
    if error["type"] == "enum" and isinstance(value, str):
        expected = str(error.get("ctx", {}).get("expected", ""))
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip(" '")]
        suggestion = closest(value, choices, limit=1)
        hint = f"did you mean '{suggestion[0]}'?" if suggestion else f"use one of: {', '.join(choices)}"
        message = f"unknown {key} '{value}'"
    elif key == "name" and error["type"] == "string_pattern_mismatch":
        message = f"provider name {value!r} is not a valid name"
        hint = (f"use lowercase letters, digits, '.', '_' and '-' (pattern {PROVIDER_NAME_PATTERN}); "
                "the name becomes a metric label")
    elif error["type"] == "value_error":
        message = message.removeprefix("Value error, ")
    if not hint:
        hint = _hint(key, error, quoted=_quoted(document, path))
    if key not in _SECRET_KEYS and error["type"] not in {"enum", "value_error"} \
            and isinstance(value, str | int | float) \
            and not isinstance(value, bool) and len(str(value)) <= 60 and key != "name":
        message = f"{where}: {message} (got {value!r})"
    elif not message.startswith(("unknown", "provider name")):
        message = f"{where}: {message}"
    return LoadIssue(rules.INVALID_VALUE, message, span, hint)


#: a fix for each kind of pydantic error, by error type
_HINTS = {
    "int_type": "write a whole number, e.g. 16",
    "int_parsing": "write a whole number, e.g. 16",
    "int_from_float": "write a whole number, e.g. 16",
    "bool_type": "write true or false, without quotes",
    "bool_parsing": "write true or false, without quotes",
    "string_type": "write it as text; quote it if YAML reads it as something else",
    "string_too_short": "it must not be empty",
    "list_type": "write a list: [a, b] on one line, or one `- item` per line",
    "dict_type": "write a mapping of `key: value` pairs",
    "model_type": "write a mapping of `key: value` pairs",
    "model_attributes_type": "write a mapping of `key: value` pairs",
    "too_short": "add at least one item",
    "decimal_type": "write the amount as a plain number, e.g. 20 or 20.5",
    "decimal_parsing": "write the amount as a plain number, e.g. 20 or 20.5",
    "finite_number": "write the amount as a plain number, e.g. 20 or 20.5",
}
_FIELD_HINTS = {
    "currency": "write an ISO 4217 code in capital letters, e.g. USD or CNY",
    "timeout": "write a positive duration such as 500ms, 10s or 1m",
    "models": "write a positive duration such as 5m, 1h or 1d",
    "balance": "write a positive duration such as 5m, 1h or 1d",
    "chat": "write a positive duration such as 5m, 1h or 1d",
}


def _hint(key: str, error: ErrorDetails, *, quoted: bool) -> str:
    """How to fix one invalid value."""
    kind = error["type"]
    limits = error.get("ctx") or {}
    if kind in {"greater_than_equal", "greater_than"}:
        return f"use a value of at least {limits.get('ge', limits.get('gt'))}"
    if kind in {"less_than_equal", "less_than"}:
        return f"use a value of at most {limits.get('le', limits.get('lt'))}"
    if kind == "value_error" and "an amount must be a number" in str(error["msg"]):
        return "remove the quotes around the number" if quoted else (
            "write the amount as a plain decimal number such as 20 or 20.5")
    if kind in {"value_error", "string_pattern_mismatch"} and key in _FIELD_HINTS:
        return _FIELD_HINTS[key]
    return _HINTS.get(kind, "`kimicheck schema` prints the allowed values")


def _quoted(document: Document, path: DocPath) -> bool:
    """Whether the value at `path` is written in quotes."""
    span = document.values.get(path)
    if span is None:
        return False
    lines = document.text.splitlines()
    line = lines[span.line - 1] if span.line <= len(lines) else ""
    return line[span.column - 1: span.column] in {"'", '"'}


def _missing_hint(key: str) -> str:
    examples = {"name": "name: kimi-intl", "kind": "kind: moonshot",
                "base_url": "base_url: https://api.moonshot.ai/v1", "id": "id: kimi-k2.6"}
    return f"add `{examples[key]}`" if key in examples else f"add `{key}:`"
