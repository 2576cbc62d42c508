"""The `models` check on a gateway that lists tens of thousands of ids: answered within the timeout.

Suggestions for the missing ids are worked out under the check's deadline and off the event loop, so a
90,000-id list (4 MB, under the body cap) neither makes the check late nor stalls other work on the loop.
Times are asserted only as generous bounds; the results are what is checked.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import respx

from kimicheck.config.models import Config
from kimicheck.lookalike import FULL_SCAN_LIMIT, Suggester
from kimicheck.probe.models import compare_models
from kimicheck.probe.result import Check, ModelsData, ProbeResult, Reason
from kimicheck.probe.runner import run_probes

from .helpers import FAST_RETRY, KEY, MOONSHOT, config, provider

TIMEOUT = 3.0


def _listed_id(index: int) -> str:
    digest = hashlib.sha256(str(index).encode()).hexdigest()
    return f"org-{digest[:4]}/model-{digest[4:12]}-chat"


LISTED = [_listed_id(i) for i in range(90_000)]


def _slips() -> dict[str, str]:
    """Slips of listed ids (late, early and in the middle, case, a look-alike hyphen) -> the listed id."""
    slips = {}
    for index, slip in zip(range(0, 90_000, 11_111), [
        lambda s: s[:-2] + s[-1] + s[-2],    # two last letters swapped
        lambda s: s[:1] + s[2:],             # a letter dropped early
        lambda s: s[:12] + "x" + s[12:],     # a letter added in the middle
        lambda s: s.upper(),                 # capitals
        lambda s: s.replace("-", "\u2011"),  # a non-breaking hyphen
        lambda s: s[:-5],                    # the suffix left out
        lambda s: s[:4] + s[5] + s[4] + s[6:],  # two early letters swapped
        lambda s: s + "-v2",                 # a suffix added
    ], strict=False):
        slips[slip(LISTED[index])] = LISTED[index]
    return slips


SLIPS = _slips()
CONFIGURED = [*SLIPS, *(f"nothing-like-it-{i}" for i in range(8))]


def _listing() -> dict[str, Any]:
    return {"object": "list", "data": [{"id": model_id} for model_id in LISTED]}


async def _run_with_heartbeat(cfg: Config, environ: dict[str, str]) -> tuple[list[ProbeResult], float]:
    """Run the probes beside a 20 ms ticker; also return the longest the ticker waited for the loop."""
    longest = 0.0

    async def tick() -> None:
        nonlocal longest
        while True:
            before = time.monotonic()
            await asyncio.sleep(0.02)
            longest = max(longest, time.monotonic() - before)

    ticker = asyncio.create_task(tick())
    try:
        results = await run_probes(cfg, checks=(Check.MODELS,), environ=environ, timeout=TIMEOUT, retry=FAST_RETRY)
    finally:
        ticker.cancel()
    return results, longest


def _check_large_result(result: ProbeResult, elapsed: float) -> None:
    assert (result.ok, result.reason) == (False, Reason.MODEL_NOT_FOUND)
    assert elapsed < TIMEOUT + 1, f"the check took {elapsed:.1f}s against a {TIMEOUT:g}s timeout"
    assert isinstance(result.data, ModelsData)
    assert result.data.listed_count == len(LISTED)
    assert result.data.present == dict.fromkeys(CONFIGURED, False)
    assert [m.id for m in result.data.missing] == CONFIGURED


@respx.mock
def test_a_90000_id_list_is_answered_within_the_timeout_without_stalling_the_loop() -> None:
    respx.get(f"{MOONSHOT}/models").respond(200, json=_listing())
    started = time.monotonic()
    [result], longest_stall = asyncio.run(_run_with_heartbeat(config(provider(models=CONFIGURED)),
                                                              {"KIMI_KEY": KEY}))
    _check_large_result(result, time.monotonic() - started)
    assert longest_stall < 1.0, f"the event loop was blocked for {longest_stall:.1f}s"


@contextlib.contextmanager
def _listing_server(body: bytes) -> Iterator[str]:
    """A loopback gateway that answers every GET with `body` as JSON; yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_90000_id_list_over_loopback_is_answered_within_the_timeout() -> None:
    with _listing_server(json.dumps(_listing()).encode()) as base_url:
        cfg = config(provider(kind="openai-compatible", base_url=base_url, models=CONFIGURED))
        started = time.monotonic()
        [result], longest_stall = asyncio.run(_run_with_heartbeat(cfg, {"KIMI_KEY": KEY}))
    _check_large_result(result, time.monotonic() - started)
    assert longest_stall < 1.0, f"the event loop was blocked for {longest_stall:.1f}s"


def test_a_large_list_still_gets_suggestions_for_close_ids() -> None:
    data = compare_models(CONFIGURED, LISTED, deadline=time.monotonic() + 60)
    suggestions = {m.id: m.suggestions for m in data.missing}
    assert {slip: suggestions[slip][:1] for slip in SLIPS} == {slip: (meant,) for slip, meant in SLIPS.items()}
    assert all(suggestions[f"nothing-like-it-{i}"] == () for i in range(8))


def test_a_small_list_still_gets_every_suggestion() -> None:
    listed = LISTED[:FULL_SCAN_LIMIT]
    data = compare_models([*SLIPS, "org-zzzz"], [*listed, *SLIPS.values()])
    assert [m.suggestions[:1] for m in data.missing] == [*((meant,) for meant in SLIPS.values()), ()]


def test_past_the_deadline_the_comparison_answers_without_suggestions() -> None:
    started = time.monotonic()
    data = compare_models(CONFIGURED, LISTED, deadline=time.monotonic() - 1)
    assert time.monotonic() - started < 1.0
    assert data.present == dict.fromkeys(CONFIGURED, False)
    assert [(m.id, m.suggestions) for m in data.missing] == [(model_id, ()) for model_id in CONFIGURED]


def test_a_lookup_scores_a_bounded_shortlist_of_a_large_list() -> None:
    # the shortlist does not grow with the list: 16 lookups in 90,000 ids cost about what they do in 9,000
    def lookups(listed: list[str]) -> float:
        suggester = Suggester(listed)
        started = time.process_time()
        for word in CONFIGURED * 4:
            suggester.closest(word)
        return time.process_time() - started

    small, large = lookups(LISTED[::10]), lookups(LISTED)
    assert large < max(small, 0.05) * 4, (small, large)
