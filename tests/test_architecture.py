"""The architecture as tests: each layer imports only the layers below it, and modules and functions stay small.

Read from the source with `ast`, so an import inside a function or under `if TYPE_CHECKING:` counts as much as one
at the top of a module. Every failure names the file, the line and the offending import or size.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kimicheck"

MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60
#: functions that are one long table to read top to bottom, where splitting would only hide the table
ROUTE_TABLES = frozenset({"kimicheck/sim/control.py:control_routes"})

#: the layers above the config layer, none of which config may import
ABOVE_CONFIG = (
    "kimicheck.lint", "kimicheck.probe", "kimicheck.metrics", "kimicheck.serve", "kimicheck.sim",
    "kimicheck.commands", "kimicheck.cli",
)
#: what the command line owns: nothing below it may import it
COMMAND_LINE = ("kimicheck.commands", "kimicheck.cli")


@dataclass(frozen=True)
class Import:
    """One import statement's target, where it is written."""

    file: str
    line: int
    target: str


@dataclass(frozen=True)
class ImportRule:
    """Modules under `under` (a dotted prefix) may not import any of `forbidden` (dotted prefixes)."""

    under: str
    forbidden: tuple[str, ...]


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def module_name(path: Path) -> str:
    """The dotted name of a module file: `kimicheck/lint/__init__.py` is `kimicheck.lint`."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> tuple[Path, ...]:
    return tuple(sorted(PACKAGE.rglob("*.py")))


@cache
def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def absolute(path: Path, node: ast.ImportFrom) -> str:
    """The module an `from ... import` names, with a relative import resolved against `path`'s package."""
    if node.level == 0:
        return node.module or ""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports(path: Path, tree: ast.AST) -> Iterator[Import]:
    """Every module `tree` (read from `path`) imports, anywhere in it; `from A import b` counts as importing both
    `A` and `A.b`, as `b` may be a module."""
    file = relative(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(file, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            source = absolute(path, node)
            yield Import(file, node.lineno, source)
            for alias in node.names:
                yield Import(file, node.lineno, f"{source}.{alias.name}")
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"):
            yield Import(file, node.lineno, node.args[0].value)


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(rule: ImportRule, sources: dict[Path, ast.AST] | None = None) -> list[str]:
    """What breaks `rule` in `sources` (by default every module of the package), one message per import."""
    found: dict[tuple[str, int, str], str] = {}
    for path, tree in (sources or {path: parsed(path) for path in modules()}).items():
        if not within(module_name(path), rule.under):
            continue
        for each in imports(path, tree):
            banned = next((f for f in rule.forbidden if within(each.target, f)), None)
            if banned and (each.file, each.line, banned) not in found:
                found[each.file, each.line, banned] = (
                    f"{each.file}:{each.line} imports {each.target} ({rule.under} may not import {banned})"
                )
    return list(found.values())


IMPORT_RULES = [
    pytest.param(ImportRule("kimicheck.config", ABOVE_CONFIG), id="config-imports-only-below-it"),
    pytest.param(ImportRule("kimicheck.sim", ("kimicheck.lint",)), id="sim-imports-no-lint"),
    pytest.param(ImportRule("kimicheck.lint", ("kimicheck.serve", "kimicheck.sim", *COMMAND_LINE)),
                 id="lint-imports-no-serve-sim-or-command-line"),
    pytest.param(ImportRule("kimicheck.probe", ("kimicheck.serve", "kimicheck.sim", *COMMAND_LINE)),
                 id="probe-imports-no-serve-sim-or-command-line"),
    pytest.param(ImportRule("kimicheck.lint", ("kimicheck.probe",)), id="lint-imports-no-probe"),
    pytest.param(ImportRule("kimicheck.probe", ("kimicheck.lint",)), id="probe-imports-no-lint"),
    pytest.param(ImportRule("kimicheck.metrics", ("kimicheck.serve", *COMMAND_LINE)),
                 id="metrics-imports-no-serve-or-command-line"),
    pytest.param(ImportRule("kimicheck.serve", COMMAND_LINE), id="serve-imports-no-command-line"),
]


@pytest.mark.parametrize("rule", IMPORT_RULES)
def test_layers_import_only_downward(rule: ImportRule) -> None:
    problems = violations(rule)
    assert not problems, "\n".join(["", *problems])


#: the parts the size limits are checked per, so each can be held to them on its own
AREAS = ("commands", "serve", "metrics", "lint", "probe", "sim", "config", "providers", "top-level")


def area(path: Path) -> str:
    """Which of AREAS a module belongs to: its top package (`providers.py` counts as `providers`)."""
    first = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    if first == "cli":
        return "commands"
    return first if first in AREAS else "top-level"


def in_area(name: str) -> Iterator[Path]:
    return (path for path in modules() if area(path) == name)


def long_modules(name: str) -> list[str]:
    found = []
    for path in in_area(name):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            found.append(f"{relative(path)}:{MAX_MODULE_LINES + 1}: {lines} lines (at most {MAX_MODULE_LINES})")
    return found


def functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Every function and method in `tree`, nested ones too, with its qualified name (`Class.method`)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield prefix + node.name, node
            yield from functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from functions(node, f"{prefix}{node.name}.")
        else:
            yield from functions(node, prefix)


def long_functions(name: str) -> list[str]:
    found = []
    for path in in_area(name):
        for qualname, node in functions(parsed(path)):
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            where = f"{relative(path)}:{qualname}"
            if lines > MAX_FUNCTION_LINES and where not in ROUTE_TABLES:
                found.append(f"{relative(path)}:{node.lineno}: {qualname} is {lines} lines (at most "
                             f"{MAX_FUNCTION_LINES})")
    return found


MODULE_SIZES = [pytest.param(name, id=name) for name in AREAS]

FUNCTION_SIZES = [pytest.param(name, id=name) for name in AREAS]


@pytest.mark.parametrize("name", MODULE_SIZES)
def test_modules_are_small(name: str) -> None:
    problems = long_modules(name)
    assert not problems, "\n".join(["", *problems])


@pytest.mark.parametrize("name", FUNCTION_SIZES)
def test_functions_are_small(name: str) -> None:
    problems = long_functions(name)
    assert not problems, "\n".join(["", *problems])


def test_the_checks_see_every_module_and_the_route_tables_exist() -> None:
    assert {area(path) for path in modules()} == set(AREAS)
    tables = {f"{relative(path)}:{qualname}" for path in modules() for qualname, _ in functions(parsed(path))}
    assert tables >= ROUTE_TABLES


def test_the_import_check_sees_relative_nested_and_type_checking_imports() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from . import loader\n"
        "from ..lint import rule\n"
        "if TYPE_CHECKING:\n"
        "    import kimicheck.serve.app\n"
        "def late() -> None:\n"
        "    from kimicheck import cli\n"
        "    importlib.import_module('kimicheck.sim')\n"
    )
    # as if it were kimicheck/config/example.py
    example = PACKAGE / "config" / "example.py"
    found = violations(ImportRule("kimicheck.config", ABOVE_CONFIG), {example: ast.parse(source)})
    assert found == [
        "kimicheck/config/example.py:3 imports kimicheck.lint (kimicheck.config may not import kimicheck.lint)",
        "kimicheck/config/example.py:5 imports kimicheck.serve.app (kimicheck.config may not import kimicheck.serve)",
        "kimicheck/config/example.py:7 imports kimicheck.cli (kimicheck.config may not import kimicheck.cli)",
        "kimicheck/config/example.py:8 imports kimicheck.sim (kimicheck.config may not import kimicheck.sim)",
    ]
