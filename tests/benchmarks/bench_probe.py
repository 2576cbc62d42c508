"""Benchmark: 200 providers x (models + balance) against the simulator with 100 ms added latency.

Measures kimicheck's wall time against the ideal (latency x the rounds the concurrency limit implies) and
its CPU seconds per check against a plain sequential script that makes the same calls with the OpenAI SDK.
The simulator runs in a child process so its CPU time is not counted.

    .venv/bin/python tests/benchmarks/bench_probe.py
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import time
from multiprocessing.connection import Connection

PROVIDERS = 200
LATENCY = 0.1
CONCURRENCY_LEVELS = (8, 16, 32)


def _serve(conn: Connection) -> None:
    from kimicheck.sim import Fault, SimState, serve_in_thread

    state = SimState.default()
    state.record_limit = 10
    state.faults.append(Fault.model_validate({"kind": "latency", "seconds": LATENCY}))
    with serve_in_thread(state, host="127.0.0.1", port=0) as sim:
        conn.send(sim.base_url)
        while conn.recv() != "stop":  # "cpu": report the simulator's CPU seconds so far
            conn.send(time.process_time())


def _config(base_url: str) -> tuple[object, dict[str, str]]:
    from kimicheck.config.models import Config

    providers = [{"name": f"p{i:03d}", "kind": "moonshot", "base_url": base_url, "api_key_env": f"K{i:03d}",
                  "models": ["kimi-k2.6"]} for i in range(PROVIDERS)]
    environ = {f"K{i:03d}": f"sk-bench-{i:03d}-000000000000000000000" for i in range(PROVIDERS)}
    return Config.model_validate({"version": 1, "providers": providers}), environ


def _kimicheck(base_url: str, concurrency: int) -> tuple[float, float, int, int]:
    from kimicheck.config.models import Config
    from kimicheck.probe.runner import FREE_CHECKS, run_probes

    config, environ = _config(base_url)
    assert isinstance(config, Config)
    wall, cpu = time.perf_counter(), time.process_time()
    results = asyncio.run(run_probes(config, checks=FREE_CHECKS, concurrency=concurrency, environ=environ))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, cpu, len(results), sum(1 for r in results if r.ok)


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
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("spawn").Process(target=_serve, args=(child,), daemon=True)
    server.start()
    try:
        base_url = parent.recv()
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
    finally:
        parent.send("stop")
        server.join(timeout=10)
    print(f"{PROVIDERS} providers x (models + balance) = {checks} checks, {LATENCY * 1000:.0f} ms added latency\n")
    print(f"{'run':<28} {'wall s':>8} {'ideal s':>8} {'wall/ideal':>10} {'CPU s':>7} {'CPU ms/check':>13} "
          f"{'CPU vs SDK':>10} {'simulator CPU s':>15}")
    sdk_per_check = rows[-1][4]
    for (name, wall, ideal, cpu, per_check), server_cpu in zip(rows, sim_cpu, strict=True):
        print(f"{name:<28} {wall:8.2f} {ideal:8.2f} {wall / ideal:10.2f} {cpu:7.2f} {per_check * 1000:13.2f} "
              f"{per_check / sdk_per_check:10.2f} {server_cpu:15.2f}")


if __name__ == "__main__":
    main()
