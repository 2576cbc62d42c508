"""Benchmark: `kimicheck serve` with 50 providers on short intervals, scraped 50 times a second.

The exporter runs as a child process against the simulator (in this process). Every provider has its own
key, so each is its own account and up to 16 are checked at once (one key for all would make them one
account, checked one request at a time). Over `--duration` (default 10 minutes) it reports the exporter's
RSS at start (first round done), after 1 minute and at the end, its CPU time per provider call while nobody
scrapes (first half), and the `/metrics` latency p50/p99 under a steady 50 scrapes/s (second half), plus the
provider calls made in each half against what the schedule asks for (scrapes must add none).

`--upstream-latency` makes every provider answer that many seconds late (a slow upstream), and
`--scrapers N` shares the scrape rate among N concurrent clients, each on its own connection (with
`--scrape-rate 0`, each asks again as soon as it has its answer: a saturation test):

    .venv/bin/python tests/benchmarks/bench_serve.py [--duration SECONDS] [--providers N]
    .venv/bin/python tests/benchmarks/bench_serve.py --providers 500 --upstream-latency 1 --scrapers 200 \
        --duration 180

`--page-load` instead asks the human side (the status page, `/api/v1/status`, every badge and every debug
view, HTML and JSON, in turn) `--scrape-rate` times a second (50 by default) for `--duration` seconds (use
60), with every check on a 1-hour interval so that any provider call in that minute would be the load's
fault. It prints p50/p99 per endpoint and the provider calls made during the load (it must be 0):

    .venv/bin/python tests/benchmarks/bench_serve.py --page-load --duration 60
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

import httpx

from kimicheck.sim import SimState, serve_in_thread
from kimicheck.sim.faults import Fault, FaultKind

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.serve.page_load import page_paths, run_load

#: the simulator takes any `sk-` key as a healthy account of its own
KEY_FORM = "sk-bench-serve-{:04d}-0000000000000000000"
INTERVALS = {"models": 10.0, "balance": 10.0, "chat": 30.0}
_TICKS = os.sysconf("SC_CLK_TCK")


def _config(base_url: str, providers: int, intervals: dict[str, float] = INTERVALS) -> str:
    entries = "".join(
        f"""  - name: p{i:02d}
    kind: moonshot
    base_url: {base_url}
    api_key_env: BENCH_KEY_{i:02d}
    models: [kimi-k3, {{id: kimi-k2.6, chat: true}}]
    balance: {{warn_below: 10, critical_below: 2, currency: USD}}
"""
        for i in range(providers)
    )
    return f"""version: 1
defaults:
  timeout: 5s
  intervals: {{models: {intervals["models"]:g}s, balance: {intervals["balance"]:g}s, chat: {intervals["chat"]:g}s}}
  chat: {{max_tokens: 16, daily_token_budget: 100000000}}
providers:
{entries}"""


def _rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else float("nan")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _scrape(url: str, rate: float, until: float, latencies: list[float]) -> None:
    with httpx.Client() as client:
        next_at = time.monotonic()
        while next_at < until:
            started = time.perf_counter()
            client.get(url + "/metrics").raise_for_status()
            latencies.append(time.perf_counter() - started)
            next_at += 1 / rate
            time.sleep(max(0.0, next_at - time.monotonic()))


def _scrape_concurrently(url: str, scrapers: int, rate: float, until: float, latencies: list[float]) -> None:
    """`scrapers` clients on their own connections, sharing `rate` (staggered), or as fast as answered (0)."""
    period = scrapers / rate if rate else 0.0

    async def one(client: httpx.AsyncClient, offset: float) -> None:
        next_at = time.monotonic() + offset
        await asyncio.sleep(offset)
        while next_at < until:
            started = time.perf_counter()
            (await client.get(url + "/metrics")).raise_for_status()
            latencies.append(time.perf_counter() - started)
            next_at += period
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))

    async def all_of_them() -> None:
        limits = httpx.Limits(max_connections=scrapers, max_keepalive_connections=scrapers)
        async with httpx.AsyncClient(limits=limits, timeout=30) as client:
            await asyncio.gather(*(one(client, i * period / scrapers) for i in range(scrapers)))

    asyncio.run(all_of_them())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=600.0, help="seconds to run (default 600)")
    parser.add_argument("--providers", type=int, default=50)
    parser.add_argument("--scrape-rate", type=float, default=50.0,
                        help="scrapes per second, all scrapers together (default 50); with --scrapers, 0: each "
                        "scraper asks again as soon as it has its answer")
    parser.add_argument("--scrapers", type=int, default=1, help="concurrent scrapers (default 1)")
    parser.add_argument("--upstream-latency", type=float, default=0.0, help="seconds every provider answer waits")
    parser.add_argument("--page-load", action="store_true",
                        help="load the page, status API, badges and debug views instead of /metrics")
    args = parser.parse_args()
    if args.page_load:
        _page_load(args.providers, args.scrape_rate or 50.0, args.duration)
        return

    state = SimState.default()
    state.record_limit = 1_000_000
    if args.upstream_latency:
        state.faults.append(Fault(kind=FaultKind.LATENCY, seconds=args.upstream_latency))
    with serve_in_thread(state, port=0) as sim, tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "kimicheck.yaml"
        config.write_text(_config(sim.base_url, args.providers))
        keys = {f"BENCH_KEY_{i:02d}": KEY_FORM.format(i) for i in range(args.providers)}
        env = {**os.environ, **keys}
        process = subprocess.Popen(
            [sys.executable, "-m", "kimicheck", "serve", str(config), "--listen", "127.0.0.1:0",
             "--log-level", "info"],
            stderr=subprocess.PIPE, text=True, env=env, stdin=subprocess.DEVNULL,
        )
        try:
            url = _wait_listening(process)
            with httpx.Client() as client:
                while client.get(url + "/ready").status_code != 200:
                    time.sleep(0.05)
            start, rss_start = time.monotonic(), _rss_mib(process.pid)
            cpu_start, calls_start = _cpu_seconds(process.pid), state.count()
            half = start + args.duration / 2
            rss_minute = None
            while time.monotonic() < half:
                time.sleep(0.5)
                if rss_minute is None and time.monotonic() - start >= 60:
                    rss_minute = _rss_mib(process.pid)
            cpu_half, calls_half = _cpu_seconds(process.pid), state.count()
            latencies: list[float] = []
            until = start + args.duration
            if args.scrapers == 1:
                scraper = threading.Thread(target=_scrape, args=(url, args.scrape_rate, until, latencies))
            else:
                scraper = threading.Thread(target=_scrape_concurrently,
                                           args=(url, args.scrapers, args.scrape_rate, until, latencies))
            scraper.start()
            while scraper.is_alive():
                scraper.join(timeout=0.5)
                if rss_minute is None and time.monotonic() - start >= 60:
                    rss_minute = _rss_mib(process.pid)
            rss_end, cpu_end, calls_end = _rss_mib(process.pid), _cpu_seconds(process.pid), state.count()
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=15)
            if process.stderr:
                process.stderr.close()

    quiet_calls = calls_half - calls_start
    scheduled = args.providers * sum(args.duration / 2 / interval for interval in INTERVALS.values())
    quantiles = statistics.quantiles(latencies, n=100)
    rows = [
        ("providers x checks", f"{args.providers}, one key each, x (models 10s, balance 10s, chat 30s)"),
        ("upstream latency", f"{args.upstream_latency:g} s"),
        ("duration", f"{args.duration:.0f} s"),
        ("RSS at start", f"{rss_start:.1f} MiB"),
        ("RSS after 1 min", f"{rss_minute:.1f} MiB" if rss_minute is not None else "n/a (shorter run)"),
        ("RSS at end", f"{rss_end:.1f} MiB"),
        ("provider calls, no scrapes", f"{quiet_calls} in {args.duration / 2:.0f} s (schedule: {scheduled:.0f})"),
        ("CPU per provider call", f"{(cpu_half - cpu_start) / max(quiet_calls, 1) * 1000:.2f} ms"),
        ("scrapes", f"{len(latencies)} at {args.scrape_rate:g}/s" if args.scrape_rate else f"{len(latencies)}"),
        ("scrapers", f"{args.scrapers} on their own connections"),
        ("/metrics p50", f"{quantiles[49] * 1000:.2f} ms"),
        ("/metrics p99", f"{quantiles[98] * 1000:.2f} ms"),
        ("CPU while scraped", f"{(cpu_end - cpu_half) / (args.duration / 2) * 100:.0f}% of a core"),
        ("provider calls while scraped", f"{calls_end - calls_half} (schedule: {scheduled:.0f})"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")


def _page_load(providers: int, rate: float, duration: float) -> None:
    """The page, the status API, the badges and the debug views at `rate` requests/s: latency and provider calls."""
    state = SimState.default()
    state.record_limit = 1_000_000
    hour = {"models": 3600.0, "balance": 3600.0, "chat": 3600.0}
    with serve_in_thread(state, port=0) as sim, tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "kimicheck.yaml"
        config.write_text(_config(sim.base_url, providers, hour))
        keys = {f"BENCH_KEY_{i:02d}": KEY_FORM.format(i) for i in range(providers)}
        process = subprocess.Popen(
            [sys.executable, "-m", "kimicheck", "serve", str(config), "--listen", "127.0.0.1:0"],
            stderr=subprocess.PIPE, text=True, env={**os.environ, **keys}, stdin=subprocess.DEVNULL,
        )
        try:
            url = _wait_listening(process)
            with httpx.Client() as client:
                while client.get(url + "/ready").status_code != 200:
                    time.sleep(0.05)
            time.sleep(1)  # the chat checks follow their provider's first balance
            calls_before, cpu_before = state.count(), _cpu_seconds(process.pid)
            result = run_load(url, page_paths([f"p{i:02d}" for i in range(providers)]), rate=rate, duration=duration)
            calls, cpu = state.count() - calls_before, _cpu_seconds(process.pid) - cpu_before
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=15)
            if process.stderr:
                process.stderr.close()
    failed = sum(1 for statuses in result.statuses.values() for status in statuses if status != 200)
    rows = [
        ("providers", f"{providers}, every check on a 1-hour interval"),
        ("load", f"{result.count} requests in {duration:.0f} s at {rate:g}/s ({failed} not 200)"),
        *result.table(),
        ("CPU while loaded", f"{cpu / duration * 100:.0f}% of a core"),
        ("provider calls during the load", str(calls)),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    if calls:
        raise SystemExit("the page load called a provider")


def _drain(stream: IO[str]) -> None:
    for _ in stream:
        pass


def _wait_listening(process: subprocess.Popen[str]) -> str:
    assert process.stderr is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        found = re.search(r"listening on (\S+)", line)
        if found:
            # keep draining stderr so the child never blocks on a full pipe
            threading.Thread(target=_drain, args=(process.stderr,), daemon=True).start()
            return found.group(1)
        if not line and process.poll() is not None:
            break
    raise SystemExit(f"kimicheck serve did not start (exit {process.poll()})")


if __name__ == "__main__":
    main()
