"""Validate a loaded `Document` against the config models, one piece at a time.

`defaults` and every provider are validated separately, so one broken provider never hides the
others: the valid ones still reach the lint rules and the probes. Every pydantic error becomes a
`LoadIssue` at the exact position of the key or value it is about, with a fix hint.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from kimicheck.config.document import DocPath, Document
from kimicheck.config.issues import START, IssueKind, LoadIssue
from kimicheck.config.models import (
    LITERAL_KEY_FIELDS,
    LITERAL_MANAGEMENT_KEY_FIELDS,
    PROVIDER_NAME_PATTERN,
    Config,
    Defaults,
    Provider,
)
from kimicheck.config.pydantic_errors import (
    choices,
    did_you_mean,
    field_errors,
    field_name,
    implicit_scalar,
    known_keys,
    must_be,
    quoted_numeral,
)
from kimicheck.lookalike import closest

__all__ = ["Validated", "validate"]

_TOP_LEVEL = ("version", "defaults", "providers")
#: the fields every rule relies on: a provider with one of them invalid is not checked further
_IDENTITY = frozenset({"name", "kind", "base_url"})
#: keys whose values may be secrets: never quoted back in a message
_SECRET_KEYS = frozenset({"api_key_env", "api_key_file", "management_key_env", "management_key_file",
                          *LITERAL_KEY_FIELDS, *LITERAL_MANAGEMENT_KEY_FIELDS})
#: errors a YAML 1.1 reading of unquoted text explains (`yes` where a string belongs)
_READ_AS_ANOTHER_TYPE = frozenset({"string_type", "model_type", "model_attributes_type", "dict_type", "enum",
                                   "literal_error"})
#: errors whose message is not followed by the value (it says it already, or there is nothing to show)
_UNQUOTED = frozenset({"enum", "value_error", "string_too_short"})


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
        issues.append(LoadIssue(IssueKind.INVALID_VALUE, "the top level of a config must be a mapping with "
                                "`version` and `providers`", document.values.get((), START),
                                "`kimicheck schema` prints the format"))
        return Validated(Defaults.model_construct(), (), tuple(issues), None)

    issues.extend(_check_version(document, data))
    for key in data:
        if key not in _TOP_LEVEL:
            issues.append(_unknown_key(document, (key,), list(_TOP_LEVEL)))

    defaults = Defaults.model_construct()
    if "defaults" in data:
        try:
            defaults = Defaults.model_validate(data["defaults"])
        except ValidationError as exc:
            issues.extend(_translate(document, exc, ("defaults",), Defaults))

    providers: list[tuple[int, Provider]] = []
    dropped: dict[int, frozenset[str]] = {}
    raw_providers = data.get("providers")
    if "providers" not in data:
        issues.append(LoadIssue(IssueKind.MISSING_KEY, "missing required key 'providers'",
                                document.values.get((), START), "add `providers:` with at least one provider"))
    elif not isinstance(raw_providers, list) or not raw_providers:
        issues.append(LoadIssue(IssueKind.INVALID_VALUE, "`providers` must be a list of at least one provider",
                                document.values.get(("providers",), START),
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
    if bad & set(LITERAL_MANAGEMENT_KEY_FIELDS):
        meant |= {"management_key_env", "management_key_file"}
    try:
        return Provider.model_validate({k: v for k, v in raw.items() if k not in bad}), bad | meant
    except ValidationError:
        return None


def _check_version(document: Document, data: Mapping[Any, object]) -> Iterator[LoadIssue]:
    if "version" not in data:
        yield LoadIssue(IssueKind.UNSUPPORTED_VERSION, "missing `version`: this kimicheck reads `version: 1`",
                        document.values.get((), START), "add `version: 1` at the top of the file")
    elif data["version"] != 1 or isinstance(data["version"], bool):
        shown = document.implicit_scalars.get(("version",), (repr(data["version"]), ""))[0]
        yield LoadIssue(IssueKind.UNSUPPORTED_VERSION,
                        f"unsupported config version {shown}: this kimicheck reads version 1",
                        document.values[("version",)], "set `version: 1`")


def _unknown_key(document: Document, path: DocPath, allowed: list[str]) -> LoadIssue:
    key = str(path[-1])
    hint = did_you_mean(key, allowed) or f"allowed keys here: {', '.join(allowed)}"
    span = document.keys.get(path) or document.values.get(path, START)
    return LoadIssue(IssueKind.UNKNOWN_KEY, f"unknown key '{key}'", span, hint)


def _translate(document: Document, exc: ValidationError, prefix: DocPath,
               model: type[BaseModel]) -> list[LoadIssue]:
    """Turn one model's validation errors into issues, the deepest error per place."""
    issues = []
    for found in field_errors(exc, _get(document.data, prefix), prefix):
        if found.kind is IssueKind.UNKNOWN_KEY:
            issues.append(_unknown_key(document, found.path, known_keys(model, found.path[len(prefix):])))
        elif found.kind is IssueKind.MISSING_KEY:
            issues.append(LoadIssue(IssueKind.MISSING_KEY, f"missing required key '{found.key}'",
                                    document.values.get(found.path[:-1], START), _missing_hint(found.key)))
        else:
            issues.append(_invalid(document, found.path, found.error))
    return issues


def _get(data: object, path: DocPath) -> object:
    for part in path:
        data = data[part]  # type: ignore[index]
    return data


def _invalid(document: Document, path: DocPath, error: ErrorDetails) -> LoadIssue:
    span = document.values.get(path, START)
    key = field_name(path) or "value"
    where = f"`{key}`" if not isinstance(path[-1], int) else f"item {path[-1] + 1} of `{key}`"
    implicit = implicit_scalar(document, path)
    if implicit is not None and error["type"] in _READ_AS_ANOTHER_TYPE:
        source, type_name = implicit
        return LoadIssue(IssueKind.INVALID_VALUE,
                         f"{where} must be a string, but YAML reads the unquoted `{source}` as "
                         f"{'an' if type_name[0] in 'aeiou' else 'a'} {type_name}",
                         span, f'quote it: "{source}"')
    value = error.get("input")
    if error["type"] == "enum" and isinstance(value, str):
        options = choices(error)
        return LoadIssue(IssueKind.INVALID_VALUE, f"unknown {key} '{value}'", span,
                         did_you_mean(value, options) or f"use one of: {', '.join(options)}")
    if key == "name" and error["type"] == "string_pattern_mismatch":
        return LoadIssue(IssueKind.INVALID_VALUE, f"provider name {value!r} is not a valid name", span,
                         f"use lowercase letters, digits, '.', '_' and '-' (pattern {PROVIDER_NAME_PATTERN}); "
                         "the name becomes a metric label")
    words = must_be(error, example=False)
    message = f"{where} {words}" if words else f"{where}: {str(error['msg']).removeprefix('Value error, ')}"
    if key not in _SECRET_KEYS | {"name"} and error["type"] not in _UNQUOTED and not isinstance(value, bool) \
            and isinstance(value, str | int | float) and len(str(value)) <= 60:
        message = f"{message} (got {value!r})"
    return LoadIssue(IssueKind.INVALID_VALUE, message, span,
                     _hint(key, error, quoted_numeral=quoted_numeral(document, path, value)))


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
    "stream": "write a positive duration such as 5m, 1h or 1d",
    "tools": "write a positive duration such as 5m, 1h or 1d",
    "json": "write a positive duration such as 5m, 1h or 1d",
    "ttft_warn_above": "write a positive duration such as 500ms, 5s or 1m",
}


def _hint(key: str, error: ErrorDetails, *, quoted_numeral: bool) -> str:
    """How to fix one invalid value."""
    kind = error["type"]
    limits = error.get("ctx") or {}
    if kind in {"greater_than_equal", "greater_than"}:
        return f"use a value of at least {limits.get('ge', limits.get('gt'))}"
    if kind in {"less_than_equal", "less_than"}:
        return f"use a value of at most {limits.get('le', limits.get('lt'))}"
    if kind == "value_error" and "an amount must be a number" in str(error["msg"]):
        return "remove the quotes around the number" if quoted_numeral else (
            "write the amount as a plain decimal number such as 20 or 20.5")
    if kind in {"value_error", "string_pattern_mismatch"} and key in _FIELD_HINTS:
        return _FIELD_HINTS[key]
    return _HINTS.get(kind, "`kimicheck schema` prints the allowed values")


def _missing_hint(key: str) -> str:
    examples = {"name": "name: kimi-intl", "kind": "kind: moonshot",
                "base_url": "base_url: https://api.moonshot.ai/v1", "id": "id: kimi-k2.6"}
    return f"add `{examples[key]}`" if key in examples else f"add `{key}:`"
