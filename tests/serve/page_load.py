"""A steady load on the human side of `kimicheck serve`: the page, the status API, the badges and the debug
view, asked in turn at a fixed rate (open loop: a slow answer does not slow the next request down).

Used by the slow load test and by `bench_serve.py --page-load`.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field

import httpx

__all__ = ["LoadResult", "page_paths", "run_load"]


def page_paths(providers: list[str], checks: tuple[str, ...] = ("models", "balance", "chat")) -> dict[str, list[str]]:
    """The paths to ask, by endpoint: every provider's badges and debug views (HTML and JSON)."""
    return {
        "/": ["/"],
        "/api/v1/status": ["/api/v1/status"],
        "/badge/{provider}.svg": [f"/badge/{p}.svg" for p in providers],
        "/badge/{provider}/balance.svg": [f"/badge/{p}/balance.svg" for p in providers],
        "/checks/{provider}/{check}": [f"/checks/{p}/{c}" for p in providers for c in checks],
        "/checks/{provider}/{check}?format=json": [f"/checks/{p}/{c}?format=json" for p in providers for c in checks],
    }


@dataclass
class LoadResult:
    """Latencies (seconds) and status codes per endpoint."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    @property
    def count(self) -> int:
        """Requests answered."""
        return sum(len(values) for values in self.latencies.values())

    def quantiles(self, endpoint: str) -> tuple[float, float]:
        """p50 and p99 of `endpoint`, in seconds."""
        values = self.latencies[endpoint]
        if len(values) < 2:
            return (values[0], values[0]) if values else (float("nan"), float("nan"))
        cuts = statistics.quantiles(values, n=100, method="inclusive")
        return cuts[49], cuts[98]

    def table(self) -> list[tuple[str, str]]:
        """One row per endpoint: requests, p50 and p99 in ms."""
        rows = []
        for endpoint, values in self.latencies.items():
            p50, p99 = self.quantiles(endpoint)
            rows.append((endpoint, f"{len(values)} requests, p50 {p50 * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms"))
        return rows


async def _load(base_url: str, paths: dict[str, list[str]], rate: float, duration: float,
                auth: tuple[str, str] | None) -> LoadResult:
    result = LoadResult()
    # interleave endpoints so each gets its share of every second
    turns = [(e, many[i % len(many)]) for i in range(max(len(m) for m in paths.values())) for e, many in paths.items()]
    assert turns
    limits = httpx.Limits(max_connections=16, max_keepalive_connections=16)

    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30, auth=auth) as client:
        async def one(endpoint: str, path: str) -> None:
            started = time.perf_counter()
            response = await client.get(path)
            result.latencies[endpoint].append(time.perf_counter() - started)
            result.statuses[endpoint].append(response.status_code)

        tasks = []
        start = time.monotonic()
        for i in range(int(rate * duration)):
            await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
            tasks.append(asyncio.create_task(one(*turns[i % len(turns)])))
        await asyncio.gather(*tasks)
    return result


def run_load(base_url: str, paths: dict[str, list[str]], *, rate: float = 50.0, duration: float = 10.0,
             auth: tuple[str, str] | None = None) -> LoadResult:
    """Ask `paths` in turn, `rate` requests a second for `duration` seconds; every answer's latency."""
    return asyncio.run(_load(base_url, paths, rate, duration, auth))
