"""Writing the exposition where node_exporter's textfile collector reads it: atomically, readable."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from kimicheck.errors import KimicheckError

__all__ = ["TextfileError", "write_textfile"]

#: node_exporter usually runs as another user: the file must be world-readable.
_MODE = 0o644


class TextfileError(KimicheckError):
    """The textfile cannot be written; the message names the path and the reason."""


def write_textfile(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically: a temp file in the same directory, fsync, then `os.replace`.

    A reader sees either the old file or the whole new one, never a partial write; the temp file's name
    starts with a dot and ends in `.tmp`, so the textfile collector (which reads `*.prom`) ignores it.
    """
    directory = path.parent if str(path.parent) else Path()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise TextfileError(f"cannot write {path}: {exc.strerror or type(exc).__name__}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(_MODE)
        tmp.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise TextfileError(f"cannot write {path}: {exc.strerror or type(exc).__name__}") from None
