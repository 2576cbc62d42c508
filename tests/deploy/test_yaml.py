"""Every YAML file under deploy/ passes yamllint (deploy/.yamllint.yml), warnings included."""

from __future__ import annotations

from pathlib import Path

from tests.deploy.tools import DEPLOY, require_tool, run

CONFIG = DEPLOY / ".yamllint.yml"


def test_deploy_yaml_passes_yamllint() -> None:
    yamllint = require_tool("yamllint")
    files = sorted(str(p) for p in DEPLOY.rglob("*") if p.suffix in {".yml", ".yaml"})
    assert len(files) >= 15
    result = run([yamllint, "--strict", "-f", "parsable", "-c", str(CONFIG), *files])
    assert (result.returncode, result.stdout) == (0, "")


def test_yamllint_config_catches_a_problem(tmp_path: Path) -> None:
    yamllint = require_tool("yamllint")
    bad = tmp_path / "bad.yml"
    bad.write_text("key: value\nkey: again\n", encoding="utf-8")
    result = run([yamllint, "--strict", "-f", "parsable", "-c", str(CONFIG), str(bad)])
    assert result.returncode == 1
    assert 'duplication of key "key" in mapping (key-duplicates)' in result.stdout
