"""A real headless Chromium for the status page tests: dump the DOM after scripts ran, take a screenshot."""

import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--hide-scrollbars", "--virtual-time-budget=2000")


def available() -> bool:
    """Chromium is installed (`make system-deps` installs it)."""
    return Path(CHROMIUM).exists()


def _run(url: str, *args: str) -> str:
    with tempfile.TemporaryDirectory(prefix="kimicheck-chromium-") as profile:
        done = subprocess.run([CHROMIUM, *_FLAGS, f"--user-data-dir={profile}", *args, url],
                              capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def dump_dom(url: str) -> str:
    """The page's DOM as serialized HTML once it loaded (and any script on it ran)."""
    return _run(url, "--dump-dom")


def screenshot(url: str, path: Path, width: int = 1000, height: int = 1200) -> None:
    """A PNG of the page at `width` x `height` CSS pixels."""
    _run(url, f"--screenshot={path}", f"--window-size={width},{height}")
    assert path.exists(), f"no screenshot at {path}"
