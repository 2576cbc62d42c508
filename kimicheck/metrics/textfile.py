"""Writing the exposition where node_exporter's textfile collector reads it: atomically, readable."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from kimicheck.errors import KimicheckError

__all__ = ["TextfileError", "write_textfile"]

#: node_exporter usually runs as another user: the file must be world-readable.
_MODE = 0o644


class TextfileError(KimicheckError):
    """The textfile cannot be written; the message names the path and the reason."""


def _target(path: Path) -> Path:
    """The file to replace for `path`: itself, or the regular file its symlink names (so a link, such as
    `/dev/stdout`, is never renamed over); a device, pipe or socket is refused, as renaming over it would
    leave the metrics in a plain file where no one reads them."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return path  # absent (or a dangling link): the rename creates the file, or says why it cannot
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):  # a directory: the rename says so
        raise TextfileError(f"cannot write {path}: it is not a regular file (a device, pipe or socket); "
                            "give --textfile a file in node_exporter's textfile directory")
    return path.resolve() if path.is_symlink() else path


def write_textfile(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically: a temp file in the same directory, fsync, then `os.replace`.

    A reader sees either the old file or the whole new one, never a partial write; the temp file's name
    starts with a dot and ends in `.tmp`, so the textfile collector (which reads `*.prom`) ignores it.
    A symlink's file is replaced, not the link; a device, pipe or socket is refused with a `TextfileError`.
    """
    target = _target(path)
    directory = target.parent if str(target.parent) else Path()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise TextfileError(f"cannot write {path}: {exc.strerror or type(exc).__name__}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(_MODE)
        tmp.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise TextfileError(f"cannot write {path}: {exc.strerror or type(exc).__name__}") from None
