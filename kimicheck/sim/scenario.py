"""Scenario files: the accounts, faults and seed a simulator starts with (YAML, or a mapping of that shape).

    seed: 7                 # the flaky faults' random generator
    auto_accounts: false    # true: any other `sk-` key is a healthy Moonshot account
    control_token: ...      # optional; a random one otherwise
    faults: [...]           # faults for every request
    accounts:
      - {key: sk-sim-low, name: low, kind: moonshot, region: ai, cash: 0.5, faults: [...]}

A scenario that cannot be used raises `ScenarioError` with `file:line:col` and the field's path.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kimicheck.errors import ConfigError
from kimicheck.sim.accounts import Account
from kimicheck.sim.faults import Fault
from kimicheck.sim.state import SimState

__all__ = ["Scenario", "ScenarioError", "load_scenario"]

#: a safe loader (the C one when present).
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ScenarioError(ConfigError):
    """A scenario that cannot be loaded; the message names the file, the position and the field."""


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
        keys: set[str] = set()
        names: set[str] = set()
        for account in self.accounts:
            if account.key in keys:
                raise ValueError("two accounts have the same key")
            if account.name in names:
                raise ValueError(f"two accounts are named {account.name!r}")
            keys.add(account.key)
            names.add(account.name)
        return self

    def to_state(self) -> SimState:
        """A fresh `SimState` holding this scenario."""
        state = SimState(faults=list(self.faults), auto_accounts=self.auto_accounts, seed=self.seed)
        if self.control_token:
            state.control_token = self.control_token
        for account in self.accounts:
            state.add(account)
        return state


def _dotted(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _position(node: yaml.Node | None, loc: tuple[int | str, ...]) -> tuple[int, int] | None:
    found = node
    for part in loc:
        if isinstance(found, yaml.MappingNode):
            match = next(((k, v) for k, v in found.value if getattr(k, "value", None) == part), None)
            if match is None:
                break
            found = match[1] if part != loc[-1] else match[0]
        elif isinstance(found, yaml.SequenceNode) and isinstance(part, int) and part < len(found.value):
            found = found.value[part]
        else:
            break
    if found is None:
        return None
    return found.start_mark.line + 1, found.start_mark.column + 1


def _describe(exc: ValidationError, source: str, node: yaml.Node | None) -> str:
    first = exc.errors()[0]
    loc = tuple(first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    position = _position(node, loc)
    where = f"{source}:{position[0]}:{position[1]}" if position else source
    field = _dotted(loc)
    return f"{where}: {field}: {message}" if field else f"{where}: {message}"


def load_scenario(source: str | Path | Mapping[str, Any]) -> SimState:
    """Load a scenario file (or a mapping of the same shape) into a fresh `SimState`."""
    if isinstance(source, Mapping):
        try:
            return Scenario.model_validate(dict(source)).to_state()
        except ValidationError as exc:
            raise ScenarioError(_describe(exc, "scenario", None)) from None
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the scenario ({exc.strerror or type(exc).__name__})") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: cannot read the scenario (not UTF-8 text)") from None
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader) if node is not None else {}  # noqa: S506 (safe loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        raise ScenarioError(f"{where}: invalid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}:1:1: a scenario is a mapping (seed, auto_accounts, faults, accounts)")
    try:
        return Scenario.model_validate(data).to_state()
    except ValidationError as exc:
        raise ScenarioError(_describe(exc, str(path), node)) from None
