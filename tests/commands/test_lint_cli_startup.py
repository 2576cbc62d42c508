"""`kimicheck lint` starts fast: it never imports the network, server or metrics stacks, nor other commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

FORBIDDEN = ("httpx", "starlette", "uvicorn", "prometheus_client", "anyio", "h11")

PROGRAM = """
import json, sys
from kimicheck.cli import main
code = main(sys.argv[1:])
models = sys.modules.get("kimicheck.config.models")
built = [n for n in getattr(models, "__all__", ()) if getattr(getattr(models, n), "__pydantic_complete__", False)]
print(json.dumps({"code": code, "modules": sorted(sys.modules), "built": built}), file=sys.stderr)
"""

ONE_PROVIDER = (
    "version: 1\nproviders:\n  - name: kimi-intl\n    kind: moonshot\n"
    "    base_url: https://api.moonshot.ai/v1\n    api_key_env: MOONSHOT_API_KEY\n    models: [kimi-k2.6]\n"
)
REPORTER_MODULES = {
    "text": "kimicheck.lint.reporters.text",
    "json": "kimicheck.lint.reporters.jsonfmt",
    "sarif": "kimicheck.lint.reporters.sarif",
    "github": "kimicheck.lint.reporters.github",
}


def _report(*argv: str, cwd: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, *argv], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )
    report: dict[str, Any] = json.loads(done.stderr.strip().splitlines()[-1])
    return report


def _run(*argv: str, cwd: Path) -> tuple[int, set[str]]:
    report = _report(*argv, cwd=cwd)
    return report["code"], set(report["modules"])


def _packages(modules: set[str]) -> set[str]:
    return {module.split(".")[0] for module in modules}


def test_lint_imports_no_network_server_or_metrics_module(tmp_path: Path) -> None:
    config = tmp_path / "kimicheck.yaml"
    config.write_text(
        "version: 1\nproviders:\n  - name: kimi-intl\n    kind: moonshot\n"
        "    base_url: https://api.moonshot.ai/v1\n    api_key_env: MOONSHOT_API_KEY\n    models: [kimi-k2.6]\n",
        encoding="utf-8",
    )
    for argv in (("lint", str(config)), ("lint", "--format", "sarif", str(config)), ("rules",)):
        code, modules = _run(*argv, cwd=tmp_path)
        assert code == 0
        assert "kimicheck" in _packages(modules)
        assert sorted(_packages(modules) & set(FORBIDDEN)) == [], argv


def test_a_command_imports_no_other_command_module(tmp_path: Path) -> None:
    (tmp_path / "kimicheck.yaml").write_text("version: 1\nproviders: []\n", encoding="utf-8")
    for argv, command in ((("lint", "kimicheck.yaml"), "lint"), (("rules",), "rules"), (("schema",), "schema")):
        _, modules = _run(*argv, cwd=tmp_path)
        commands = {m for m in modules if m.startswith("kimicheck.commands.")}
        assert commands == {"kimicheck.commands.shared", f"kimicheck.commands.{command}"}, argv


def test_version_reads_no_package_metadata_and_loads_no_config_stack(tmp_path: Path) -> None:
    code, modules = _run("--version", cwd=tmp_path)
    assert code == 0
    assert sorted(modules & {"importlib.metadata", "pydantic", "yaml", "kimicheck.config"}) == []


def test_lint_imports_only_the_reporter_of_its_format(tmp_path: Path) -> None:
    config = tmp_path / "kimicheck.yaml"
    config.write_text(ONE_PROVIDER, encoding="utf-8")
    for fmt, module in REPORTER_MODULES.items():
        code, modules = _run("lint", "--format", fmt, str(config), cwd=tmp_path)
        assert code == 0
        assert sorted(modules & set(REPORTER_MODULES.values())) == [module], fmt


def test_lint_of_a_clean_file_imports_no_suggestion_machinery(tmp_path: Path) -> None:
    config = tmp_path / "kimicheck.yaml"
    config.write_text(ONE_PROVIDER, encoding="utf-8")
    code, modules = _run("lint", str(config), cwd=tmp_path)
    assert code == 0
    assert "difflib" not in modules


def test_a_mistake_still_gets_its_suggestion(tmp_path: Path) -> None:
    config = tmp_path / "kimicheck.yaml"
    config.write_text(ONE_PROVIDER.replace("api_key_env", "api_key_evn"), encoding="utf-8")
    code, modules = _run("lint", str(config), cwd=tmp_path)
    assert code == 1
    assert "difflib" in modules


def test_lint_builds_the_provider_validator_alone(tmp_path: Path) -> None:
    """Models are built on first use (defer_build), and only those linting validates with."""
    config = tmp_path / "kimicheck.yaml"
    config.write_text(ONE_PROVIDER, encoding="utf-8")
    report = _report("lint", str(config), cwd=tmp_path)
    assert report["code"] == 0
    # ModelEntry: `Provider.model_entries()` validates each plain-string id
    assert report["built"] == ["ModelEntry", "Provider"]
    config.write_text(ONE_PROVIDER.replace("providers:", "defaults: {timeout: 5s}\nproviders:"), encoding="utf-8")
    report = _report("lint", str(config), cwd=tmp_path)
    assert report["code"] == 0
    assert report["built"] == ["Defaults", "ModelEntry", "Provider"]
