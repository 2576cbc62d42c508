"""The textfile: atomic replacement, readable by another user, clear errors."""

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from kimicheck.metrics.exposition import render_results
from kimicheck.metrics.textfile import TextfileError, write_textfile
from tests.metrics.binaries import promtool_problems
from tests.metrics.samples import CONFIG, RESULTS, SHA


def test_writes_the_exposition_world_readable(tmp_path: Path) -> None:
    target = tmp_path / "kimicheck.prom"
    data = render_results(RESULTS, CONFIG, config_sha256=SHA)
    old_umask = os.umask(0o077)
    try:
        write_textfile(target, data)
    finally:
        os.umask(old_umask)
    assert target.read_bytes() == data
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert promtool_problems(target.read_bytes()) == ""


def test_replaces_the_old_file_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "kimicheck.prom"
    target.write_bytes(b"old\n")
    inode = target.stat().st_ino
    write_textfile(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert target.stat().st_ino != inode  # renamed over, not rewritten in place
    assert [p.name for p in tmp_path.iterdir()] == ["kimicheck.prom"]


def test_a_missing_directory_is_an_error(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "kimicheck.prom"
    with pytest.raises(TextfileError) as error:
        write_textfile(target, b"x\n")
    assert str(error.value) == f"cannot write {target}: No such file or directory"


def test_a_failed_rename_removes_the_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "kimicheck.prom"
    target.mkdir()  # a directory cannot be replaced by a file
    with pytest.raises(TextfileError) as error:
        write_textfile(target, b"x\n")
    assert str(error.value) == f"cannot write {target}: Is a directory"
    assert [p.name for p in tmp_path.iterdir()] == ["kimicheck.prom"]


@pytest.mark.parametrize("make", [lambda p: p.symlink_to("/dev/null"), os.mkfifo], ids=["link-to-dev-null", "fifo"])
def test_a_device_or_fifo_is_refused_and_left_as_it_is(tmp_path: Path, make: Callable[[Path], None]) -> None:
    target = tmp_path / "kimicheck.prom"
    make(target)
    before = target.lstat()
    with pytest.raises(TextfileError) as error:
        write_textfile(target, b"x\n")
    assert str(error.value) == (f"cannot write {target}: it is not a regular file (a device, pipe or socket); "
                                "give --textfile a file in node_exporter's textfile directory")
    assert (target.lstat().st_ino, target.lstat().st_mode) == (before.st_ino, before.st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["kimicheck.prom"]


def test_a_symlink_to_a_file_replaces_the_file_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.prom"
    real.write_bytes(b"old\n")
    link = tmp_path / "kimicheck.prom"
    link.symlink_to(real)
    write_textfile(link, b"new\n")
    assert link.is_symlink() and real.read_bytes() == b"new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kimicheck.prom", "real.prom"]
