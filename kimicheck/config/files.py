"""The one way kimicheck reads a file a user names: regular files only, and never more than a limit.

A config, a key file, a web config or a scenario may be pointed at `/dev/zero`, a FIFO or a huge file by
mistake. Reading stops at `limit` + 1 bytes, and anything but a regular file is refused before it is opened
(opening a FIFO would wait for a writer) and checked again once open, so a path swapped for a device in
between is refused too. Problems come back as `Unreadable` values.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

__all__ = ["ReadProblem", "Unreadable", "describe_size", "read_file"]


class ReadProblem(Enum):
    """Why a file was not read."""

    MISSING = "missing"
    DENIED = "denied"
    DIRECTORY = "directory"
    NOT_REGULAR = "not-regular"
    TOO_LARGE = "too-large"
    OS_ERROR = "os-error"


@dataclass(frozen=True)
class Unreadable:
    """A file that was not read: the kind of problem, the reason in words (`{path}: {reason}`), and the
    operating system's own words when it refused (`No such file or directory`), else ""."""

    problem: ReadProblem
    reason: str
    os_error: str = ""


def describe_size(size: int) -> str:
    """A byte count in words: `8 MiB`, `4 KiB`, `100 bytes`."""
    for unit, factor in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


def read_file(path: Path, limit: int) -> bytes | Unreadable:
    """The bytes of the regular file at `path` (symlinks followed), or why it was not read.

    At most `limit` + 1 bytes are read: a longer file is `TOO_LARGE`, whatever its size.
    """
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return _not_regular(path)
        handle = path.open("rb")
    except OSError as exc:
        return _os_problem(exc)
    with handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return _not_regular(path)
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            return _os_problem(exc)
    if len(data) > limit:
        return Unreadable(ReadProblem.TOO_LARGE, f"is larger than {describe_size(limit)}")
    return data


def _not_regular(path: Path) -> Unreadable:
    if path.is_dir():
        return Unreadable(ReadProblem.DIRECTORY, "is a directory")
    return Unreadable(ReadProblem.NOT_REGULAR, "is not a regular file (a device, pipe or socket)")


def _os_problem(exc: OSError) -> Unreadable:
    words = exc.strerror or type(exc).__name__
    if exc.errno in (errno.EACCES, errno.EPERM):
        return Unreadable(ReadProblem.DENIED, "permission denied", words)
    problem = ReadProblem.MISSING if exc.errno == errno.ENOENT else ReadProblem.OS_ERROR
    return Unreadable(problem, f"cannot be read ({words})", words)
