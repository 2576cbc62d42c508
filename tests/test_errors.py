"""The exception tree in `kimicheck.errors` names every exception class kimicheck defines, and is true."""

import ast
import importlib
import re
from pathlib import Path

import kimicheck
from kimicheck import errors
from kimicheck.errors import KimicheckError

PACKAGE = Path(kimicheck.__file__).parent
#: an entry of the docstring's diagrams: indented names, two spaces, then (module) or words
_ENTRY = re.compile(r"^ {4,10}(\w+(?:, \w+)*) {2,}(?:\((kimicheck[\w.]*)\))?", re.MULTILINE)


def _documented(text: str) -> dict[str, type[BaseException]]:
    classes = {}
    for match in _ENTRY.finditer(text):
        module = importlib.import_module(match.group(2) or "kimicheck.errors")
        for name in match.group(1).split(", "):
            classes[name] = getattr(module, name)
    return classes


def _defined_exception_classes() -> set[str]:
    """Classes under kimicheck/ whose bases are spelt like exceptions (…Error, …Exception, or one of ours)."""
    found: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = [b.id if isinstance(b, ast.Name) else b.attr for b in node.bases
                         if isinstance(b, ast.Name | ast.Attribute)]
                found[node.name] = bases
    exceptions = {name for name, bases in found.items()
                  if any(b.endswith(("Error", "Exception")) for b in bases)}
    grown = True
    while grown:
        more = {name for name, bases in found.items() if set(bases) & exceptions} - exceptions
        exceptions |= more
        grown = bool(more)
    return exceptions


def test_every_exception_class_is_documented_in_the_tree() -> None:
    assert errors.__doc__ is not None
    assert set(_documented(errors.__doc__)) == _defined_exception_classes()


def test_the_tree_says_which_classes_are_kimicheck_errors() -> None:
    assert errors.__doc__ is not None
    inside, outside = errors.__doc__.split("Deliberately outside")
    assert all(issubclass(cls, KimicheckError) for cls in _documented(inside).values())
    assert not any(issubclass(cls, KimicheckError) for cls in _documented(outside).values())
    assert issubclass(_documented(inside)["ScenarioError"], errors.ConfigError)
