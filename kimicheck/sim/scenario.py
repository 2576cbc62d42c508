"""Scenario files: the accounts, faults and seed a simulator starts with (YAML, or a mapping of that shape).

    seed: 7                 # the flaky faults' random generator
    auto_accounts: false    # true: any other `sk-` key is a healthy Moonshot account
    control_token: ...      # optional; a random one otherwise
    faults: [...]           # faults for every request
    accounts:
      - {key: sk-sim-low, name: low, kind: moonshot, region: ai, cash: 0.5, faults: [...]}

The file is read by the config loader, so every key and value keeps its position and a duplicate YAML key
is an error rather than silently dropped. A scenario that cannot be used raises `ScenarioError` listing every
problem, each with `file:line:col` and the field's path (a duplicate account: the position of the second one).
An empty file is an error too: with no accounts every key would get 401, which no one asks for on purpose.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from kimicheck.config.document import Document
from kimicheck.config.files import Unreadable, read_file
from kimicheck.config.issues import IssueKind
from kimicheck.config.loader import MAX_BYTES, load_text
from kimicheck.errors import ConfigError
from kimicheck.sim.accounts import Account
from kimicheck.sim.faults import Fault
from kimicheck.sim.scenario_problems import Loc, ScenarioProblem, duplicate_accounts, translate
from kimicheck.sim.state import SimState

__all__ = ["Scenario", "ScenarioError", "example_scenario", "load_scenario"]

class ScenarioError(ConfigError):
    """A scenario that cannot be loaded; the message lists every problem with file, position and field."""

    def __init__(self, source: str, problems: Sequence[ScenarioProblem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda p: (p.line, p.column)))
        lines = [problem.render(source) for problem in self.problems]
        header = [] if len(lines) == 1 else [f"{len(lines)} problems in the scenario {source}:"]
        super().__init__("\n".join(header + lines))


def _duplicate(found: list[tuple[Loc, str]]) -> ValidationError:
    # a ValidationError rather than a ValueError, so each error points at its account, not at the root
    errors = [InitErrorDetails(type=PydanticCustomError("duplicate_account", message), loc=loc, input=None)
              for loc, message in found]
    return ValidationError.from_exception_data("Scenario", errors)


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
        found = duplicate_accounts((account.key, account.name) for account in self.accounts)
        if found:
            raise _duplicate(found)
        return self

    def to_state(self) -> SimState:
        """A fresh `SimState` holding this scenario."""
        state = SimState(faults=list(self.faults), auto_accounts=self.auto_accounts, seed=self.seed)
        if self.control_token:
            state.control_token = self.control_token
        for account in self.accounts:
            state.add(account)
        return state


#: what a user who gave an empty file most likely wants instead
_EMPTY = ("the scenario is empty: with no accounts every key would get 401 (omit --scenario for the default, "
          "where any key starting with 'sk-' is a healthy account; `kimicheck simulate --example-scenario` "
          "prints a scenario to start from)")


def _parse(text: str, source: str) -> tuple[object, Document | None, list[ScenarioProblem]]:
    """The plain data of a scenario's text, its positions, and the problems of reading it."""
    loaded = load_text(text, source)
    if loaded.document is None:
        issue = loaded.issues[0]
        empty = issue.kind is IssueKind.UNREADABLE_FILE
        prefix = "invalid YAML: " if issue.kind is IssueKind.YAML_SYNTAX else ""
        message = _EMPTY if empty else f"{prefix}{issue.message}"
        raise ScenarioError(source, [ScenarioProblem(issue.span.line, issue.span.column, "", message)])
    if loaded.document.data is None:  # `---` alone, or `~`: no more a scenario than an empty file
        raise ScenarioError(source, [ScenarioProblem(1, 1, "", _EMPTY)])
    problems = [ScenarioProblem(i.span.line, i.span.column, "", i.message) for i in loaded.issues]
    return loaded.document.data, loaded.document, problems


def _validate(data: object, source: str, document: Document | None, problems: list[ScenarioProblem]) -> SimState:
    """The state of a validated scenario; every problem (the reader's ones too) raises `ScenarioError`."""
    if not isinstance(data, Mapping):
        problems.append(ScenarioProblem(1 if document else 0, 1 if document else 0, "",
                                "a scenario is a mapping (seed, auto_accounts, faults, accounts)"))
        raise ScenarioError(source, problems)
    try:
        scenario = Scenario.model_validate(dict(data))
    except ValidationError as exc:
        problems.extend(translate(exc, Scenario, data, document))
    if problems:
        raise ScenarioError(source, problems)
    return scenario.to_state()


def example_scenario() -> str:
    """The text of the example scenario shipped in the package (`kimicheck simulate --example-scenario`)."""
    return resources.files("kimicheck").joinpath("data", "simulator-scenario.yaml").read_text(encoding="utf-8")


def load_scenario(source: str | Path | Mapping[str, Any]) -> SimState:
    """Load a scenario file (or a mapping of the same shape) into a fresh `SimState`."""
    if isinstance(source, Mapping):
        return _validate(source, "scenario", None, [])
    path = Path(source)
    raw = read_file(path, MAX_BYTES)
    if isinstance(raw, Unreadable):
        why = f"cannot read the scenario ({raw.os_error})" if raw.os_error else f"the scenario file {raw.reason}"
        raise ScenarioError(str(path), [ScenarioProblem(0, 0, "", why)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioError(str(path), [ScenarioProblem(0, 0, "", "cannot read the scenario (not UTF-8 text)")]) \
            from None
    data, document, problems = _parse(text, str(path))
    return _validate(data, str(path), document, problems)
