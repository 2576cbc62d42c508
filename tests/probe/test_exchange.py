"""The exchange each probe request leaves for serve's debug view: the key masked, every provider text
redacted, the body capped, the trace timings present and non-negative, and nothing kept without a sink."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json

import httpx
import pytest
import respx

from kimicheck.probe.errors import ProbeError
from kimicheck.probe.exchange import BODY_HEAD_BYTES, Exchange, Timings, Tracer, current_sink, recording
from kimicheck.probe.http import build_client, send
from kimicheck.probe.result import Check, Reason
from kimicheck.probe.runner import run_check
from kimicheck.probe.session import ProbeSession
from kimicheck.providers import Kind
from kimicheck.secrets import Secret
from kimicheck.sim import SimState, serve_in_thread

from .helpers import FAST_RETRY, KEY, MOONSHOT, config, provider

URL = f"{MOONSHOT}/models"
CANARY = "sk-canary0000000000000000000000000000"
HOSTILE = f'<script>alert(1)</script><img src=x onerror="alert(2)"> {KEY} {CANARY} org-123456789 \\u003c'


def _everything(exchange: Exchange) -> str:
    return json.dumps(dataclasses.asdict(exchange))


async def _send(*, json_body: object | None = None, method: str = "GET") -> list[Exchange]:
    """The exchanges one `send` recorded, whether it answered or raised."""
    kept: list[Exchange] = []
    async with build_client() as client:
        deadline = asyncio.get_running_loop().time() + 5
        with contextlib.suppress(ProbeError):
            await send(client, method, URL, key=Secret(KEY), deadline=deadline, json_body=json_body,
                       record=kept.append)
    return kept


@respx.mock
def test_the_key_is_masked_and_provider_text_redacted_everywhere() -> None:
    respx.get(URL).respond(500, text=HOSTILE, headers={"X-Echo": f"Bearer {KEY}", "X-Other": CANARY})
    [exchange] = asyncio.run(_send())
    text = _everything(exchange)
    for secret in (KEY, KEY[:12], CANARY, CANARY[:12], "123456789"):
        assert secret not in text
    assert ("authorization", "Bearer [REDACTED]") in exchange.request_headers
    assert exchange.status_code == 500 and exchange.response_body is not None
    assert exchange.response_body.text.startswith("<script>alert(1)</script>")  # escaping is the renderer's job
    assert exchange.url == URL and exchange.method == "GET" and exchange.error_reason is None


@pytest.mark.parametrize("secret", [CANARY, KEY])
@pytest.mark.parametrize("offset", [0, 10, 30, 40, 100])
@respx.mock
def test_the_body_is_cut_after_redaction_so_no_key_prefix_survives(offset: int, secret: str) -> None:
    body = "x" * (BODY_HEAD_BYTES - offset) + " " + secret + "y" * 5000
    respx.get(URL).respond(200, text=body)
    [exchange] = asyncio.run(_send())
    assert exchange.response_body is not None
    head = exchange.response_body.text
    assert len(head) <= BODY_HEAD_BYTES and secret[:4] not in head
    assert exchange.response_body.size == len(body) and exchange.response_body.truncated


@respx.mock
def test_a_chat_request_keeps_its_body_and_model() -> None:
    respx.post(URL).respond(200, json={"ok": True})
    [exchange] = asyncio.run(_send(json_body={"model": "kimi-k2.6", "messages": []}, method="POST"))
    assert exchange.model == "kimi-k2.6"
    assert exchange.request_body is not None and '"model":"kimi-k2.6"' in exchange.request_body.text


@respx.mock
def test_a_failed_exchange_is_recorded_with_its_reason() -> None:
    respx.get(URL).mock(side_effect=httpx.ConnectError("refused"))
    [exchange] = asyncio.run(_send())
    assert exchange.status_code is None and exchange.response_body is None
    assert exchange.error_reason == str(Reason.CONNECT_ERROR) and exchange.timings.total >= 0
    assert KEY not in _everything(exchange)


@respx.mock
def test_an_oversized_answer_keeps_its_status_and_headers() -> None:
    respx.get(URL).respond(200, content=b"x" * 100, headers={"Content-Length": str(10**9)})
    [exchange] = asyncio.run(_send())
    assert exchange.status_code == 200 and exchange.error_reason == str(Reason.INVALID_RESPONSE)


def test_a_session_takes_the_sink_of_the_recording_it_is_made_in() -> None:
    def sink(exchange: Exchange) -> None:
        pass

    def session() -> ProbeSession:
        return ProbeSession(client=httpx.AsyncClient(), key=Secret(KEY), kind=Kind.MOONSHOT, deadline=0)

    assert current_sink() is None and session().record is None
    with recording(sink):
        assert session().record is sink
    assert session().record is None


def test_trace_timings_against_a_real_server_are_present_and_not_negative() -> None:
    state = SimState.default()
    with serve_in_thread(state, port=0) as sim:
        cfg = config(provider(base_url=sim.base_url))
        kept: list[Exchange] = []

        async def twice() -> None:
            async with build_client() as client:
                with recording(kept.append):
                    for _ in range(2):
                        await run_check(client, cfg, cfg.providers[0], Check.MODELS, Secret(KEY), retry=FAST_RETRY)

        asyncio.run(twice())
    first, second = kept
    assert first.connection_reused is False and second.connection_reused is True
    assert first.timings.connect is not None and first.timings.connect >= 0
    assert first.timings.tls is None  # plain http to loopback
    for exchange in kept:
        timings = exchange.timings
        assert timings.first_byte is not None and 0 <= timings.first_byte <= timings.total
        assert exchange.status_code == 200 and exchange.http_version == "HTTP/1.1"
        assert KEY not in _everything(exchange)


def test_the_tracer_measures_the_phases_it_saw() -> None:
    ticks = iter([0.0, 1.0, 1.5, 2.0, 2.25, 3.0])
    tracer = Tracer(clock=lambda: next(ticks))

    async def feed() -> None:
        for name in ("connection.connect_tcp.started", "connection.connect_tcp.complete",
                     "connection.start_tls.started", "connection.start_tls.complete",
                     "http11.receive_response_headers.complete"):
            await tracer(name, {})

    asyncio.run(feed())
    assert tracer.timings(None, 4.0) == Timings(connect=0.5, tls=0.25, first_byte=3.0, total=4.0)
    assert Tracer(clock=lambda: 0.0).timings(0.125, 1.0) == Timings(None, None, 0.125, 1.0)
