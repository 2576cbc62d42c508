"""The published pre-commit hook, run the way pre-commit runs it: its entry and args, then the filenames."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .test_lint_cli import CLEAN

ROOT = Path(__file__).resolve().parents[2]
BROKEN = CLEAN.replace("api_key_env", "api_key_evn")


def _hook() -> dict[str, Any]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "kimicheck-lint"]
    return hook


def _selected(files: list[str]) -> list[str]:
    """The files pre-commit passes: `files` searched in each path, `exclude` not (types are all yaml here)."""
    hook = _hook()
    include = re.compile(str(hook.get("files", "")))
    exclude = re.compile(str(hook["exclude"])) if hook.get("exclude") else None
    return [f for f in files if include.search(f) and not (exclude and exclude.search(f))]


def _tracked_files() -> list[str]:
    """Every file git tracks in this checkout (what `pre-commit run --all-files` passes through `files`)."""
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        if os.environ.get("CI"):
            pytest.fail("CI runs from a git checkout with git installed")
        pytest.skip("not a git checkout")
    done = subprocess.run([git, "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, timeout=30, check=True)
    return [f for f in done.stdout.split("\0") if f and (ROOT / f).is_file()]


def _run_hook(cwd: Path, files: list[str]) -> subprocess.CompletedProcess[str]:
    hook = _hook()
    argv = [*shlex.split(str(hook["entry"])), *map(str, hook.get("args", [])), *files]
    # pre-commit installs the package into an environment and puts its bin/ first on PATH
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False)


def test_hook_declaration() -> None:
    hook = _hook()
    assert hook["entry"] == "kimicheck lint"
    assert hook["language"] == "python"
    assert hook.get("pass_filenames", True) is True
    assert hook["types"] == ["yaml"]


@pytest.mark.parametrize(
    ("path", "selected"),
    [
        ("kimicheck.yaml", True),
        ("kimicheck.yml", True),
        ("deploy/prod/kimicheck.yaml", True),
        ("configs/kimicheck-prod.yaml", True),
        ("kimicheck.schema.json", False),
        ("docker-compose.yaml", False),
        ("kimicheck/config/loader.py", False),
        ("kimicheck/deploy.yaml", False),
        ("my-kimicheck.yaml", False),
    ],
)
def test_files_pattern(path: str, selected: bool) -> None:
    assert _selected([path]) == ([path] if selected else [])


def test_hook_passes_clean_configs(tmp_path: Path) -> None:
    (tmp_path / "deploy").mkdir()
    (tmp_path / "kimicheck.yaml").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "deploy" / "kimicheck-prod.yml").write_text(CLEAN, encoding="utf-8")
    files = _selected(["kimicheck.yaml", "deploy/kimicheck-prod.yml", "README.md"])
    done = _run_hook(tmp_path, files)
    assert (done.returncode, done.stdout, done.stderr) == (0, "no problems in 2 files\n", "")


def test_hook_fails_on_a_broken_config_and_names_it(tmp_path: Path) -> None:
    (tmp_path / "kimicheck.yaml").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "kimicheck-staging.yaml").write_text(BROKEN, encoding="utf-8")
    done = _run_hook(tmp_path, _selected(["kimicheck.yaml", "kimicheck-staging.yaml"]))
    assert done.returncode == 1
    assert done.stdout.startswith("kimicheck-staging.yaml:6:5: error[KC003] unknown key 'api_key_evn'\n")
    assert done.stdout.endswith("1 error, 0 warnings in 2 files\n")


def test_the_hook_passes_on_every_file_of_this_repository() -> None:
    # What a user gets who copies deploy/: every file the hook selects is a kimicheck config and lints clean
    # (a Grafana provisioning file or a workflow named kimicheck*.yml would fail it).
    files = _selected(_tracked_files())
    assert "deploy/docker/kimicheck.yml" in files
    done = _run_hook(ROOT, files)
    plural = "file" if len(files) == 1 else "files"
    assert (done.returncode, done.stdout, done.stderr) == (0, f"no problems in {len(files)} {plural}\n", "")


def test_a_file_that_is_not_a_config_but_named_like_one_fails_the_hook(tmp_path: Path) -> None:
    # The other side of the test above: the hook does catch such a file, so the repository must not ship one.
    path = "deploy/grafana/provisioning/datasources/kimicheck.yml"
    (tmp_path / path).parent.mkdir(parents=True)
    (tmp_path / path).write_text("apiVersion: 1\ndatasources: []\n", encoding="utf-8")
    done = _run_hook(tmp_path, _selected([path]))
    assert done.returncode == 1
    assert done.stdout.startswith(f"{path}:1:1: error[KC005] missing required key 'providers'\n")
