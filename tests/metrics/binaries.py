"""Finding the real Prometheus binaries: a missing one skips the test on a laptop and fails it in CI."""

import os
import shutil
import subprocess

import pytest


def require(name: str) -> str:
    """The path of the executable `name`; skip (outside CI) or fail (in CI) when it is not installed."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (make system-deps installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def promtool_problems(data: bytes) -> str:
    """What `promtool check metrics` says about `data` (empty: nothing to report)."""
    done = subprocess.run(
        [require("promtool"), "check", "metrics"], input=data, capture_output=True, timeout=30, check=False
    )
    return (done.stdout + done.stderr).decode().strip() + ("" if done.returncode == 0 else f" (exit {done.returncode})")
