"""The one reader of user files: regular files only, never more than the limit, problems as values."""

import os
import threading
from pathlib import Path

import pytest

from kimicheck.config.files import ReadProblem, Unreadable, describe_size, read_file


def test_a_regular_file_is_read_whole_up_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"x" * 100)
    assert read_file(path, 100) == b"x" * 100


def test_one_byte_over_the_limit_is_too_large(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"x" * 4097)
    assert read_file(path, 4096) == Unreadable(ReadProblem.TOO_LARGE, "is larger than 4 KiB")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_device_is_refused_before_a_byte_is_read(tmp_path: Path, device: str) -> None:
    link = tmp_path / "link.yaml"
    link.symlink_to(device)
    expected = Unreadable(ReadProblem.NOT_REGULAR, "is not a regular file (a device, pipe or socket)")
    assert read_file(Path(device), 1 << 30) == expected
    assert read_file(link, 1 << 30) == expected


def test_a_fifo_without_a_writer_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    outcome: list[object] = []
    reader = threading.Thread(target=lambda: outcome.append(read_file(fifo, 100)), daemon=True)
    reader.start()
    reader.join(timeout=5)
    if reader.is_alive():  # unblock the thread before failing, so the run can end
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert outcome == [Unreadable(ReadProblem.NOT_REGULAR, "is not a regular file (a device, pipe or socket)")]


def test_a_directory_and_a_missing_file(tmp_path: Path) -> None:
    assert read_file(tmp_path, 100) == Unreadable(ReadProblem.DIRECTORY, "is a directory")
    assert read_file(tmp_path / "nope", 100) == Unreadable(
        ReadProblem.MISSING, "cannot be read (No such file or directory)", "No such file or directory")


@pytest.mark.parametrize(("size", "words"), [(8 << 20, "8 MiB"), (4096, "4 KiB"), (1000, "1000 bytes")])
def test_sizes_in_words(size: int, words: str) -> None:
    assert describe_size(size) == words
