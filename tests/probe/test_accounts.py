"""One account, one request at a time: the per-account limit, whichever providers share a key."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterator

import httpx
import pytest
import respx

from kimicheck.config.models import Config
from kimicheck.probe.accounts import account_of, origin_of
from kimicheck.probe.result import Check, Reason
from kimicheck.probe.runner import run_probes
from kimicheck.secrets import Secret
from kimicheck.sim import Fault, RunningSimulator, SimState, serve_in_thread
from kimicheck.sim.state import RecordedRequest

from .helpers import FAST_RETRY

SHARED_KEY = "sk-sim-shared-0000000000000000000000001"


class OverlapCounter(deque[RecordedRequest]):
    """The simulator's request log, counting requests that arrive while another on the same key is unanswered."""

    def __init__(self) -> None:
        super().__init__()
        self.overlaps: dict[str | None, int] = {}

    def append(self, record: RecordedRequest) -> None:
        # a record's status stays 0 until its response starts, so those are still in flight
        in_flight = sum(1 for earlier in self if earlier.key == record.key and earlier.status == 0)
        self.overlaps[record.key] = self.overlaps.get(record.key, 0) + in_flight
        super().append(record)


@pytest.fixture
def slow_sim() -> Iterator[tuple[RunningSimulator, OverlapCounter]]:
    state = SimState.default()
    state.faults.append(Fault.model_validate({"kind": "latency", "seconds": 0.05}))
    counter = OverlapCounter()
    state.requests = counter
    with serve_in_thread(state, host="127.0.0.1", port=0) as running:
        yield running, counter


def shared_key_config(base_urls: list[str]) -> Config:
    providers = [{"name": f"p{i}", "kind": "moonshot", "base_url": url, "api_key_env": f"KEY{i}", "models": []}
                 for i, url in enumerate(base_urls)]
    return Config.model_validate({"version": 1, "providers": providers})


def run(cfg: Config, keys: list[str]) -> None:
    environ = {f"KEY{i}": key for i, key in enumerate(keys)}
    results = asyncio.run(run_probes(cfg, checks=(Check.MODELS, Check.BALANCE), environ=environ, retry=FAST_RETRY))
    assert [r.ok for r in results] == [True] * len(results)


def test_providers_sharing_a_key_never_overlap_on_that_account(
        slow_sim: tuple[RunningSimulator, OverlapCounter]) -> None:
    sim, counter = slow_sim
    # three entries, one key, one origin (spelled three ways): a Tier0 account allows one request at a time
    urls = [sim.base_url, sim.base_url + "/", sim.base_url.replace("http://", "HTTP://")]
    run(shared_key_config(urls), [SHARED_KEY] * 3)
    assert sim.state.count(key=SHARED_KEY) == 6
    assert counter.overlaps == {SHARED_KEY: 0}


@respx.mock
def test_providers_with_their_own_keys_are_not_held_back_by_each_other() -> None:
    all_in_flight = asyncio.Event()
    in_flight: set[str] = set()

    async def answer(request: httpx.Request) -> httpx.Response:
        in_flight.add(request.headers["authorization"])
        if len(in_flight) == 3:
            all_in_flight.set()
        # a per-account limit lets all three wait here together; a shared limit would time out instead
        await asyncio.wait_for(all_in_flight.wait(), timeout=5)
        return httpx.Response(200, json={"data": []})

    route = respx.get("https://api.moonshot.ai/v1/models").mock(side_effect=answer)
    keys = [f"sk-test-own-{i}-000000000000000000000000" for i in range(3)]
    cfg = shared_key_config(["https://api.moonshot.ai/v1"] * 3)
    results = asyncio.run(run_probes(cfg, checks=(Check.MODELS,), environ={f"KEY{i}": k for i, k in enumerate(keys)},
                                     retry=FAST_RETRY))
    assert [(r.provider, r.reason) for r in results] == [("p0", Reason.OK), ("p1", Reason.OK), ("p2", Reason.OK)]
    assert route.call_count == 3


def test_the_same_key_on_another_origin_is_another_account() -> None:
    key = Secret(SHARED_KEY)
    assert account_of("https://api.moonshot.ai/v1", key) == account_of("HTTPS://API.Moonshot.AI:443/v1/", key)
    assert account_of("https://api.moonshot.ai/v1", key) != account_of("https://api.moonshot.cn/v1", key)
    assert account_of("https://api.moonshot.ai/v1", key) != account_of("https://api.moonshot.ai:8443/v1", key)
    assert account_of("https://api.moonshot.ai/v1", key) != account_of("https://api.moonshot.ai/v1", Secret("sk-o"))


def test_the_account_holds_a_digest_never_the_key() -> None:
    origin, digest = account_of("https://api.moonshot.ai/v1", Secret(SHARED_KEY))
    assert origin == "https://api.moonshot.ai:443"
    assert SHARED_KEY not in repr(account_of("https://api.moonshot.ai/v1", Secret(SHARED_KEY)))
    assert len(digest) == 64 and int(digest, 16) >= 0


@pytest.mark.parametrize(("url", "origin"), [
    ("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080"),
    ("http://localhost/v1", "http://localhost:80"),
    ("http://[::1]:9/v1", "http://[::1]:9"),
    ("https://api.moonshot.ai./v1", "https://api.moonshot.ai:443"),
])
def test_origins(url: str, origin: str) -> None:
    assert origin_of(url) == origin
