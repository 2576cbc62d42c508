"""Load on one simulator: 200 concurrent clients for 10 seconds, then requests, errors and latency.

Run: .venv/bin/python tests/benchmarks/bench_sim_load.py [--clients 200] [--seconds 10]

The simulator runs as `kimicheck simulate` in its own process (as users run it); the clients are asyncio
tasks, each with its own key and keep-alive connection, cycling through models, balance and chat.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import ssl
import statistics
import subprocess
import sys
import time

import httpx

PAYLOAD = {"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "ping"}], "max_tokens": 8}


async def client(
    index: int, base_url: str, deadline: float, latencies: list[float], errors: list[str], tls: ssl.SSLContext
) -> None:
    headers = {"Authorization": f"Bearer sk-bench-{index:04d}-000000000000000000"}
    # one shared TLS context: building one per client costs ~80 ms of CPU and would stall the event loop
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30, verify=tls) as http:
        step = 0
        while time.perf_counter() < deadline:
            kind = step % 3
            step += 1
            started = time.perf_counter()
            try:
                if kind == 0:
                    response = await http.get("/models")
                elif kind == 1:
                    response = await http.get("/users/me/balance")
                else:
                    response = await http.post("/chat/completions", json=PAYLOAD)
                if response.status_code != 200:
                    errors.append(f"HTTP {response.status_code}")
            except httpx.HTTPError as exc:
                errors.append(type(exc).__name__)
            latencies.append(time.perf_counter() - started)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux; 0 elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def load(base_url: str, clients: int, seconds: float) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    tls = ssl.create_default_context()
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(client(i, base_url, deadline, latencies, errors, tls) for i in range(clients)))
    return latencies, errors, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, "-m", "kimicheck", "simulate", "--listen", "127.0.0.1:0"],
                              stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().strip()
        client_cpu = time.process_time()
        latencies, errors, elapsed = asyncio.run(load(base_url, args.clients, args.seconds))
        client_cpu = time.process_time() - client_cpu
        server_cpu = cpu_seconds(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # never leave a simulator running behind the benchmark
            server.kill()
            server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()
    ms = [x * 1000 for x in latencies]
    rows = [
        ("clients", f"{args.clients}"),
        ("duration", f"{elapsed:.1f} s"),
        ("requests", f"{len(ms)}"),
        ("errors", f"{len(errors)}" + (f" ({', '.join(sorted(set(errors)))})" if errors else "")),
        ("throughput", f"{len(ms) / elapsed:.0f} req/s"),
        ("p50", f"{statistics.median(ms):.1f} ms"),
        ("p95", f"{percentile(ms, 0.95):.1f} ms"),
        ("p99", f"{percentile(ms, 0.99):.1f} ms"),
        ("max", f"{max(ms):.1f} ms"),
        ("server CPU", f"{server_cpu:.1f} s"),
        ("client CPU", f"{client_cpu:.1f} s"),
    ]
    print("simulator load (models, balance, chat in turn)")
    for name, value in rows:
        print(f"  {name:<11} {value}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
