"""Every file a user names is read through the one bounded reader: a device or a FIFO is refused at once, in
words, by each command's own message (and none of them waits for a writer or reads without end)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from kimicheck.errors import KimicheckError
from kimicheck.secrets import KeyUnavailable, read_key
from kimicheck.serve.loading import LoadFailure, load_config
from kimicheck.serve.web_config import load_web_config
from kimicheck.sim import load_scenario

NOT_REGULAR = "is not a regular file (a device, pipe or socket)"


def serve_config(path: Path) -> str:
    outcome = load_config(path)
    assert isinstance(outcome, LoadFailure)
    return outcome.message


def raised(load: Callable[[Path], object]) -> Callable[[Path], str]:
    def message(path: Path) -> str:
        with pytest.raises((KimicheckError, KeyUnavailable)) as caught:
            load(path)
        return str(caught.value)
    return message


READERS: dict[str, tuple[Callable[[Path], str], str]] = {
    "serve-config": (serve_config, "{path}: " + NOT_REGULAR),
    "web-config": (raised(load_web_config), "web config {path}: " + NOT_REGULAR),
    "scenario": (raised(load_scenario), "{path}: the scenario file " + NOT_REGULAR),
    "key-file": (raised(lambda path: read_key(None, str(path))),
                 "key file {path} " + NOT_REGULAR + "; point api_key_file at a file that holds only the key"),
}


def in_thread(read: Callable[[Path], str], path: Path) -> str:
    """`read(path)`, failing (not hanging) if it blocks: a blocked open of a FIFO is released by a writer."""
    outcome: list[str] = []
    worker = threading.Thread(target=lambda: outcome.append(read(path)), daemon=True)
    worker.start()
    worker.join(timeout=5)
    if worker.is_alive():
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(timeout=5)
        pytest.fail(f"reading {path} waited for a writer")
    return outcome[0]


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_device_or_fifo_is_refused_at_once(tmp_path: Path, reader: str, kind: str) -> None:
    path = tmp_path / "file.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    read, expected = READERS[reader]
    assert in_thread(read, path) == expected.format(path=path)
