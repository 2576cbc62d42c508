"""`kimicheck lint` starts fast: it never imports the network, server or metrics stacks, nor other commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FORBIDDEN = ("httpx", "starlette", "uvicorn", "prometheus_client", "anyio", "h11")

PROGRAM = """
import json, sys
from kimicheck.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _run(*argv: str, cwd: Path) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, *argv], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
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
