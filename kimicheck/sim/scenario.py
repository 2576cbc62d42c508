"""Scenario files: the accounts, faults and seed a simulator starts with (YAML, or a mapping of that shape).

    seed: 7                 # the flaky faults' random generator
    auto_accounts: false    # true: any other `sk-` key is a healthy Moonshot account
    control_token: ...      # optional; a random one otherwise
    faults: [...]           # faults for every request
    accounts:
      - {key: sk-sim-low, name: low, kind: moonshot, region: ai, cash: 0.5, faults: [...]}

The file is read by the config loader, so every key and value keeps its position and a duplicate YAML key
is an error rather than silently dropped. A scenario that cannot be used raises `ScenarioError` with
`file:line:col` and the field's path (a duplicate account: the position of the second one).
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from kimicheck.config.loader import load_text
from kimicheck.errors import ConfigError
from kimicheck.lint.rule import Document
from kimicheck.lint.rules.document import UNREADABLE_FILE, YAML_SYNTAX
from kimicheck.sim.accounts import Account
from kimicheck.sim.faults import Fault
from kimicheck.sim.state import SimState

__all__ = ["Scenario", "ScenarioError", "example_scenario", "load_scenario"]

_Loc = tuple[int | str, ...]


class ScenarioError(ConfigError):
    """A scenario that cannot be loaded; the message names the file, the position and the field."""


def _duplicate(loc: _Loc, message: str) -> ValidationError:
    # a ValidationError rather than a ValueError, so the error points at the second account, not the root
    error = InitErrorDetails(type=PydanticCustomError("duplicate_account", message), loc=loc, input=None)
    return ValidationError.from_exception_data("Scenario", [error])


class Scenario(BaseModel):
    """The scenario file format."""

    model_config = ConfigDict(extra="forbid")

    seed: int = 0
    auto_accounts: bool = False
    control_token: str | None = Field(default=None, min_length=8)
    faults: list[Fault] = Field(default_factory=list)
    accounts: list[Account] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> Scenario:
        keys: dict[str, int] = {}
        names: dict[str, int] = {}
        for index, account in enumerate(self.accounts):
            if account.key in keys:
                raise _duplicate(("accounts", index, "key"), f"the same key as accounts[{keys[account.key]}]")
            if account.name in names:
                raise _duplicate(("accounts", index, "name"),
                                 f"the same name as accounts[{names[account.name]}] ({account.name!r})")
            keys[account.key] = index
            names[account.name] = index
        return self

    def to_state(self) -> SimState:
        """A fresh `SimState` holding this scenario."""
        state = SimState(faults=list(self.faults), auto_accounts=self.auto_accounts, seed=self.seed)
        if self.control_token:
            state.control_token = self.control_token
        for account in self.accounts:
            state.add(account)
        return state


def _dotted(loc: _Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _position(document: Document | None, loc: _Loc) -> tuple[int, int] | None:
    """The key of the field at `loc` (or its value, for a list item), else the nearest enclosing node's."""
    if document is None:
        return None
    for end in range(len(loc), -1, -1):
        path = loc[:end]
        span = document.keys.get(path) if path and isinstance(path[-1], str) else document.values.get(path)
        if span is not None:
            return span.line, span.column
    return None


def _describe(exc: ValidationError, source: str, document: Document | None) -> str:
    first = exc.errors()[0]
    loc = tuple(first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    position = _position(document, loc)
    where = f"{source}:{position[0]}:{position[1]}" if position else source
    field = _dotted(loc)
    return f"{where}: {field}: {message}" if field else f"{where}: {message}"


def _parse(text: str, source: str) -> tuple[object, Document | None]:
    """The plain data of a scenario's text and its positions; a YAML problem raises `ScenarioError`."""
    loaded = load_text(text, source)
    if loaded.document is None and loaded.issues and loaded.issues[0].rule is UNREADABLE_FILE:
        return {}, None  # only comments, or nothing: an empty scenario
    if loaded.issues:
        issue = loaded.issues[0]
        prefix = "invalid YAML: " if issue.rule is YAML_SYNTAX else ""
        raise ScenarioError(f"{source}:{issue.span.line}:{issue.span.column}: {prefix}{issue.message}")
    assert loaded.document is not None
    return loaded.document.data, loaded.document


def example_scenario() -> str:
    """The text of the example scenario shipped in the package (`kimicheck simulate --example-scenario`)."""
    return resources.files("kimicheck").joinpath("data", "simulator-scenario.yaml").read_text(encoding="utf-8")


def load_scenario(source: str | Path | Mapping[str, Any]) -> SimState:
    """Load a scenario file (or a mapping of the same shape) into a fresh `SimState`."""
    if isinstance(source, Mapping):
        try:
            return Scenario.model_validate(dict(source)).to_state()
        except ValidationError as exc:
            raise ScenarioError(_describe(exc, "scenario", None)) from None
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the scenario ({exc.strerror or type(exc).__name__})") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: cannot read the scenario (not UTF-8 text)") from None
    data, document = _parse(text, str(path))
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}:1:1: a scenario is a mapping (seed, auto_accounts, faults, accounts)")
    try:
        return Scenario.model_validate(data).to_state()
    except ValidationError as exc:
        raise ScenarioError(_describe(exc, str(path), document)) from None
