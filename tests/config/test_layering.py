"""The config layer imports nothing above it, and the simulator does not import the linter."""

import ast
from pathlib import Path

import kimicheck

PACKAGE = Path(kimicheck.__file__).parent
ABOVE_CONFIG = ("kimicheck.lint", "kimicheck.probe", "kimicheck.metrics", "kimicheck.serve", "kimicheck.sim",
                "kimicheck.commands", "kimicheck.cli")


def imported_modules(folder: str) -> dict[str, set[str]]:
    """module file -> every module it imports (absolute names)."""
    found: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
        found[str(path.relative_to(PACKAGE))] = names
    return found


def offending(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    return [f"{module} imports {name}" for module, names in imported_modules(folder).items() for name in sorted(names)
            if any(name == layer or name.startswith(layer + ".") for layer in forbidden)]


def test_the_config_layer_imports_no_layer_above_it() -> None:
    assert offending("config", ABOVE_CONFIG) == []


def test_the_simulator_does_not_import_the_linter() -> None:
    assert offending("sim", ("kimicheck.lint",)) == []
