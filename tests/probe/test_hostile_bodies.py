"""Whatever a provider sends, a `kimicheck probe` run stays small and ends within its timeout.

Each hostile body class is served from loopback to a real `kimicheck probe` process; its peak RSS (from
`os.wait4`, see `peak_rss.py`) and wall time are the measure, not an in-process estimate. The wall time
includes the small launcher's start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .helpers import KEY
from .hostile import Hostile, chunks, deflate_bomb, endless, gzip, gzip_bomb, serve_hostile

TIMEOUT = 3.0
PEAK_RSS_LIMIT = 150 * 1024 * 1024
#: What the process may reserve: enough for any honest run, and it stops a runaway run long before it
#: could hurt the machine running the tests.
ADDRESS_SPACE_LIMIT = 768 * 1024 * 1024
LAUNCHER = Path(__file__).with_name("peak_rss.py")

DEEP = 100_000
BALANCE_WITH_HUGE_EXPONENT = (
    b'{"code": 0, "status": true, "data": {"available_balance": 1e999999999, '
    b'"voucher_balance": 0, "cash_balance": "1e999999999"}}'
)


def _gzip(body: bytes) -> Hostile:
    return Hostile(chunks(body), headers=(("Content-Encoding", "gzip"),))


# name -> (the answer, the check it is sent to, the reason the run must end with)
CASES: dict[str, tuple[Callable[[], Hostile], str, str]] = {
    "gzip bomb": (lambda: _gzip(gzip_bomb()), "models", "invalid_response"),
    "double gzip": (lambda: Hostile(chunks(gzip(gzip_bomb())), headers=(("Content-Encoding", "gzip, gzip"),)),
                    "models", "invalid_response"),
    "deflate bomb": (lambda: Hostile(chunks(deflate_bomb()), headers=(("Content-Encoding", "deflate"),)),
                     "models", "invalid_response"),
    "endless body": (lambda: Hostile(endless(b" " * 65536)), "models", "invalid_response"),
    "dripping body": (lambda: Hostile(endless(b" "), headers=(("Content-Length", "1000000"),), pause=0.5),
                      "models", "timeout"),
    "huge balance exponent": (lambda: Hostile(lambda: [BALANCE_WITH_HUGE_EXPONENT]), "balance", "invalid_response"),
    "deep json": (lambda: Hostile(lambda: [b"[" * DEEP + b"]" * DEEP]), "models", "invalid_response"),
}


def _write_config(path: Path, base_url: str) -> Path:
    path.write_text(
        "version: 1\n"
        "providers:\n"
        "  - name: hostile\n"
        "    kind: moonshot\n"
        f"    base_url: {base_url}\n"
        "    api_key_env: HOSTILE_KEY\n"
        "    models: [kimi-k2.6]\n"
        "    balance: {warn_below: 10, critical_below: 2, currency: USD}\n",
        encoding="utf-8",
    )
    return path


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    peak_rss: int
    seconds: float


def _run_probe(config: Path, check: str) -> Run:
    """Run `kimicheck probe --checks CHECK CONFIG` in a process of its own, started by the small launcher."""
    environ = {name: value for name, value in os.environ.items() if "proxy" not in name.lower()}
    environ["HOSTILE_KEY"] = KEY
    report, out_path, err_path = (config.with_suffix(suffix) for suffix in (".report", ".out", ".err"))
    argv = [sys.executable, str(LAUNCHER), str(report), str(ADDRESS_SPACE_LIMIT), str(TIMEOUT + 15),
            sys.executable, "-m", "kimicheck", "probe", "--format", "json", "--timeout", f"{TIMEOUT:g}s",
            "--checks", check, str(config)]
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.monotonic()
        subprocess.run(argv, env=environ, stdout=out, stderr=err, check=True, timeout=TIMEOUT + 30)
        seconds = time.monotonic() - started
    code, peak = (int(field) for field in report.read_text(encoding="ascii").split())
    return Run(code, out_path.read_text(encoding="utf-8", errors="replace"),
               err_path.read_text(encoding="utf-8", errors="replace"), peak, seconds)


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_a_hostile_body_keeps_a_probe_small_and_on_time(name: str, tmp_path: Path) -> None:
    make, check, reason = CASES[name]
    with serve_hostile(make()) as server:
        run = _run_probe(_write_config(tmp_path / "kimicheck.yaml", server.base_url), check)
    assert run.peak_rss < PEAK_RSS_LIMIT, f"peak RSS {run.peak_rss / 2**20:.0f} MiB"
    assert run.seconds < TIMEOUT + 2, f"{run.seconds:.1f}s"
    assert (run.code, run.err) == (1, "")
    [result] = json.loads(run.out)["results"]
    assert (result["ok"], result["reason"]) == (False, reason)
