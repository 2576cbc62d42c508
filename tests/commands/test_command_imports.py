"""Commands share code through `kimicheck.commands.shared`: none imports the CLI above it or another command."""

from __future__ import annotations

import ast
from pathlib import Path

import kimicheck.commands

COMMANDS_DIR = Path(kimicheck.commands.__file__).parent
SHARED = "kimicheck.commands.shared"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_commands_import_neither_the_cli_nor_each_other() -> None:
    modules = sorted(COMMANDS_DIR.glob("*.py"))
    assert len(modules) > 5
    for path in modules:
        own = f"kimicheck.commands.{path.stem}"
        wrong = sorted(
            name for name in _imports(path)
            if name == "kimicheck.cli" or name.startswith("kimicheck.cli.")
            or (name.startswith("kimicheck.commands.") and not name.startswith((SHARED, own)))
        )
        assert wrong == [], path.name


def test_library_code_raises_no_usage_error_and_parses_no_arguments() -> None:
    package = COMMANDS_DIR.parent
    for layer in ("config", "lint", "probe", "metrics", "serve", "sim"):
        for path in sorted((package / layer).rglob("*.py")):
            names = _imports(path)
            assert "argparse" not in names, path
            assert "kimicheck.errors.UsageError" not in names, path
