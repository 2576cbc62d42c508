"""Benchmark: `probe` against the simulator with 100 ms added latency, free checks and all six.

The first table: 200 providers x (models + balance), kimicheck's wall time against the ideal (latency x the
rounds the concurrency limit implies) and its CPU seconds per check against a plain sequential script that
makes the same calls with the OpenAI SDK. The second: 100 providers, each check kind alone (models, balance,
chat, stream, tools, json), then the two free ones together and all six together, at the default
concurrency; every provider has its own key, so the per-account limit (1) serialises only one provider's own
checks. The simulator runs in a child process so its CPU time is not counted.

    .venv/bin/python tests/benchmarks/bench_probe.py [--all-checks] [--repeat N]

`--all-checks` prints the second table only (it skips the minute-long SDK baseline).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import statistics
import time
from multiprocessing.connection import Connection

PROVIDERS = 200
LATENCY = 0.1
CONCURRENCY_LEVELS = (8, 16, 32)
ALL_PROVIDERS = 100  # the all-checks table
ALL_CONCURRENCY = 16  # probe's default
FREE = ("models", "balance")
PAID = ("chat", "stream", "tools", "json")


def _serve(conn: Connection) -> None:
    from kimicheck.sim import Fault, SimState, serve_in_thread

    state = SimState.default()
    state.record_limit = 10
    state.faults.append(Fault.model_validate({"kind": "latency", "seconds": LATENCY}))
    with serve_in_thread(state, host="127.0.0.1", port=0) as sim:
        conn.send(sim.base_url)
        while conn.recv() != "stop":  # "cpu": report the simulator's CPU seconds so far
            conn.send(time.process_time())


def _config(base_url: str, count: int = PROVIDERS, paid: bool = False) -> tuple[object, dict[str, str]]:
    """`count` moonshot providers, each with its own key (its own account); with `paid`, the model is
    configured for every paid check and the daily token budget is far above what one run spends."""
    from kimicheck.config.models import Config

    model: object = ({"id": "kimi-k2.6", "chat": True, "stream": True, "tools": True, "json": True}
                     if paid else "kimi-k2.6")
    providers = [{"name": f"p{i:03d}", "kind": "moonshot", "base_url": base_url, "api_key_env": f"K{i:03d}",
                  "models": [model]} for i in range(count)]
    environ = {f"K{i:03d}": f"sk-bench-{i:03d}-000000000000000000000" for i in range(count)}
    document: dict[str, object] = {"version": 1, "providers": providers}
    if paid:
        document["defaults"] = {"chat": {"max_tokens": 16, "daily_token_budget": 10_000_000}}
    return Config.model_validate(document), environ


def _kimicheck(base_url: str, concurrency: int) -> tuple[float, float, int, int]:
    from kimicheck.config.models import Config
    from kimicheck.probe.runner import FREE_CHECKS, run_probes

    config, environ = _config(base_url)
    assert isinstance(config, Config)
    wall, cpu = time.perf_counter(), time.process_time()
    results = asyncio.run(run_probes(config, checks=FREE_CHECKS, concurrency=concurrency, environ=environ))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, cpu, len(results), sum(1 for r in results if r.ok)


def _probe(base_url: str, checks: tuple[str, ...]) -> tuple[float, float, int, list[str]]:
    """One `probe` run of `checks` on ALL_PROVIDERS providers: wall s, CPU s, results, failures."""
    from kimicheck.config.models import Config
    from kimicheck.probe.result import Check
    from kimicheck.probe.runner import run_probes

    config, environ = _config(base_url, ALL_PROVIDERS, paid=True)
    assert isinstance(config, Config)
    wanted = [Check(name) for name in checks]
    wall, cpu = time.perf_counter(), time.process_time()
    results = asyncio.run(run_probes(config, checks=wanted, concurrency=ALL_CONCURRENCY, environ=environ))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    failures = [f"{r.provider} {r.check}: {r.reason} {r.detail}" for r in results if not r.ok]
    return wall, cpu, len(results), failures


def _sim_cpu(conn: Connection) -> float:
    conn.send("cpu")
    value = conn.recv()
    assert isinstance(value, float)
    return value


def _all_checks_table(conn: Connection, base_url: str, repeat: int) -> None:
    """Each check kind alone, the free pair and all six: the median of `repeat` runs of each."""
    runs = [*((kind,) for kind in (*FREE, *PAID)), FREE, (*FREE, *PAID)]
    rows = []
    for checks in runs:
        walls, cpus, sims = [], [], []
        for _ in range(repeat):
            before = _sim_cpu(conn)
            wall, cpu, total, failures = _probe(base_url, checks)
            sims.append(_sim_cpu(conn) - before)
            assert total == ALL_PROVIDERS * len(checks) and not failures, (total, failures[:3])
            walls.append(wall)
            cpus.append(cpu)
        count = ALL_PROVIDERS * len(checks)
        # at most ALL_CONCURRENCY at once, and one provider's checks one after the other (1 per account)
        ideal = LATENCY * max(math.ceil(count / ALL_CONCURRENCY), len(checks))
        name = " + ".join(checks) if len(checks) < 6 else "all six"
        rows.append((name, "free" if set(checks) <= set(FREE) else "paid" if len(checks) == 1 else "both",
                     count, statistics.median(walls), ideal, statistics.median(cpus), statistics.median(sims)))
    print(f"\n{ALL_PROVIDERS} providers (one key each), --concurrency {ALL_CONCURRENCY}, "
          f"{LATENCY * 1000:.0f} ms added latency, median of {repeat} runs\n")
    print(f"{'checks':<22} {'cost':>4} {'checks':>6} {'wall s':>7} {'ideal s':>7} {'wall/ideal':>10} "
          f"{'CPU s':>6} {'CPU ms/check':>12} {'simulator CPU s':>15}")
    for name, cost, count, wall, ideal, cpu, sim in rows:
        print(f"{name:<22} {cost:>4} {count:6d} {wall:7.2f} {ideal:7.2f} {wall / ideal:10.2f} "
              f"{cpu:6.2f} {cpu / count * 1000:12.2f} {sim:15.2f}")


def _openai_sdk(base_url: str) -> tuple[float, float, int]:
    from openai import OpenAI

    _, environ = _config(base_url)
    wall, cpu = time.perf_counter(), time.process_time()
    calls = 0
    for key in environ.values():
        with OpenAI(api_key=key, base_url=base_url, max_retries=0, timeout=10) as client:
            client.models.list()
            client.get("/users/me/balance", cast_to=object)
            calls += 2
    return time.perf_counter() - wall, time.process_time() - cpu, calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all-checks", action="store_true", help="only the all-checks table")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each all-checks row (the median)")
    args = parser.parse_args()
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("spawn").Process(target=_serve, args=(child,), daemon=True)
    server.start()
    try:
        base_url = parent.recv()
        if not args.all_checks:
            _free_table(parent, base_url)
        _all_checks_table(parent, base_url, args.repeat)
    finally:
        parent.send("stop")
        server.join(timeout=10)


def _free_table(parent: Connection, base_url: str) -> None:
    checks = PROVIDERS * 2
    rows = []
    sim_cpu: list[float] = []
    for concurrency in CONCURRENCY_LEVELS:
        parent.send("cpu")
        before = parent.recv()
        wall, cpu, total, ok = _kimicheck(base_url, concurrency)
        parent.send("cpu")
        sim_cpu.append(parent.recv() - before)
        assert (total, ok) == (checks, checks), (total, ok)
        # each provider runs its two checks one after the other: at least 2 rounds
        ideal = LATENCY * max(math.ceil(checks / concurrency), 2)
        rows.append((f"kimicheck --concurrency {concurrency}", wall, ideal, cpu, cpu / checks))
    parent.send("cpu")
    before = parent.recv()
    sdk_wall, sdk_cpu, calls = _openai_sdk(base_url)
    parent.send("cpu")
    sim_cpu.append(parent.recv() - before)
    rows.append(("OpenAI SDK, sequential", sdk_wall, LATENCY * calls, sdk_cpu, sdk_cpu / calls))
    print(f"{PROVIDERS} providers x (models + balance) = {checks} checks, {LATENCY * 1000:.0f} ms added latency\n")
    print(f"{'run':<28} {'wall s':>8} {'ideal s':>8} {'wall/ideal':>10} {'CPU s':>7} {'CPU ms/check':>13} "
          f"{'CPU vs SDK':>10} {'simulator CPU s':>15}")
    sdk_per_check = rows[-1][4]
    for (name, wall, ideal, cpu, per_check), server_cpu in zip(rows, sim_cpu, strict=True):
        print(f"{name:<28} {wall:8.2f} {ideal:8.2f} {wall / ideal:10.2f} {cpu:7.2f} {per_check * 1000:13.2f} "
              f"{per_check / sdk_per_check:10.2f} {server_cpu:15.2f}")


if __name__ == "__main__":
    main()
