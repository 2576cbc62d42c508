"""The test helper that runs `kimicheck simulate`: a failing test leaves no simulator behind."""

import sys
from pathlib import Path

import pytest

from tests.sim.processes import read_line, simulate_processes

# `kimicheck simulate` as real processes
pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes")]


def test_a_failing_block_still_kills_and_reaps_every_process() -> None:
    with pytest.raises(AssertionError, match="the test failed"), simulate_processes() as sims:
        serving = sims.start("--listen", "127.0.0.1:0")
        assert read_line(serving).startswith("http://127.0.0.1:")
        refused = sims.start("--listen", "localhost")
        assert refused.wait(timeout=15) == 2  # already ended: reaping it again must not fail
        raise AssertionError("the test failed")
    assert serving.returncode == -9  # killed, and waited for: not left running, not a zombie
    assert refused.returncode == 2
    assert all(stream is not None and stream.closed for p in (serving, refused) for stream in (p.stdout, p.stderr))


def test_a_process_that_prints_nothing_times_out_and_is_reaped(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # the child hangs at start-up, before any output (a FIFO scenario no longer does: it is refused at once)
    (tmp_path / "sitecustomize.py").write_text("import time\ntime.sleep(3600)\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    with simulate_processes() as sims:
        stuck = sims.start("--listen", "127.0.0.1:0")
        with pytest.raises(TimeoutError, match=r"^kimicheck simulate printed no line within 0.5 s$"):
            read_line(stuck, timeout=0.5)
    assert stuck.returncode == -9
