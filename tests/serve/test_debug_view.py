"""The debug view in process: the last exchange as recorded, its exact JSON keys, escaping, no key anywhere,
the 200 and 404 cases, content negotiation and basic auth; and the scheduler filling it from real probes."""

from __future__ import annotations

import asyncio
import base64
import json

import bcrypt
import pytest
import respx
from starlette.testclient import TestClient

from kimicheck.metrics.snapshot import Snapshot, snapshot_of
from kimicheck.probe.exchange import Exchange
from kimicheck.probe.http import build_client, send
from kimicheck.probe.result import Check
from kimicheck.secrets import Secret
from kimicheck.serve.app import build_app
from kimicheck.serve.auth import Credentials
from kimicheck.serve.history import CellState, Mark
from kimicheck.serve.state import ServeState
from tests.metrics.samples import CONFIG, RESULTS, SHA
from tests.serve.fakes import config as fake_config
from tests.serve.fakes import loaded

CANARY = "sk-canary0000000000000000000000000000"
HOSTILE = f'<script>alert(1)</script><img src=x onerror="alert(2)"> key {CANARY} org-123456789 &amp; "\\u003c'
URL = "https://api.moonshot.ai/v1/chat/completions"
HASH = bcrypt.hashpw(b"s3cret", bcrypt.gensalt(rounds=4)).decode()
TOP_KEYS = {"schema_version", "provider", "check", "scheduled", "recorded", "status", "note", "exchange"}
EXCHANGE_KEYS = {"at", "model", "request", "response", "error", "timings", "connection_reused"}
REQUEST_KEYS = {"method", "url", "headers", "body", "body_bytes", "body_truncated"}
RESPONSE_KEYS = {"status_code", "reason_phrase", "http_version", "headers", "body", "body_bytes", "body_truncated"}
TIMING_KEYS = {"connect_seconds", "tls_seconds", "first_byte_seconds", "total_seconds"}


async def no_reload() -> str | None:
    return None


@respx.mock
def hostile_exchange() -> Exchange:
    respx.post(URL).respond(502, text=HOSTILE, headers={"X-Echo": CANARY, "X-Html": "<b>bold</b>"})
    kept: list[Exchange] = []

    async def one() -> None:
        async with build_client() as client:
            deadline = asyncio.get_running_loop().time() + 5
            await send(client, "POST", URL, key=Secret(CANARY), deadline=deadline,
                       json_body={"model": "kimi-k2.6<i>"}, record=kept.append)

    asyncio.run(one())
    return kept[0]


def make_state() -> ServeState:
    state = ServeState(loaded=loaded(CONFIG), snapshot=snapshot_of(list(RESULTS), CONFIG, SHA, now=1700000000.0))
    key = ("moonshot-intl", Check.CHAT)
    state.exchanges.sink(key)(hostile_exchange())
    state.history.record(key, Mark(1700000000.0, CellState.FAIL, "server_error"))
    state.history.record(("openrouter", Check.BALANCE), Mark(1700000000.0, CellState.FAIL, "auth_failed"))
    return state


def _client(state: ServeState | None = None, credentials: Credentials | None = None) -> TestClient:
    return TestClient(build_app(state or make_state(), no_reload, credentials))


def test_the_json_has_exactly_its_keys() -> None:
    document = _client().get("/checks/moonshot-intl/chat?format=json").json()
    assert set(document) == TOP_KEYS
    assert (document["provider"], document["check"], document["recorded"]) == ("moonshot-intl", "chat", True)
    assert document["schema_version"] == 1 and document["status"] == "recorded"
    exchange = document["exchange"]
    assert set(exchange) == EXCHANGE_KEYS
    assert set(exchange["request"]) == REQUEST_KEYS and set(exchange["response"]) == RESPONSE_KEYS
    assert set(exchange["timings"]) == TIMING_KEYS and set(exchange["error"] or {}) <= {"reason", "detail"}
    assert exchange["response"]["status_code"] == 502 and exchange["model"] == "kimi-k2.6<i>"
    assert ["authorization", "Bearer [REDACTED]"] in exchange["request"]["headers"]
    assert exchange["timings"]["total_seconds"] >= 0


def test_the_key_never_appears_in_the_page_the_json_or_the_headers() -> None:
    client = _client()
    for path in ("/checks/moonshot-intl/chat", "/checks/moonshot-intl/chat?format=json"):
        response = client.get(path)
        assert response.status_code == 200
        for text in (response.text, json.dumps(dict(response.headers))):
            assert CANARY not in text and CANARY[:12] not in text and "123456789" not in text


def test_a_hostile_body_is_shown_escaped_and_no_markup_reaches_the_page() -> None:
    response = _client().get("/checks/moonshot-intl/chat")
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page = response.text
    assert "<script" not in page and "<img" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=" in page
    assert "&amp;amp;" in page  # an entity in the body is shown as the provider sent it
    assert "style=" not in page and 'href="../../static/status.css"' in page
    assert "Bearer [REDACTED]" in page and "502" in page


@pytest.mark.parametrize(("path", "status", "scheduled"), [
    ("/checks/moonshot-intl/models", "not_run", True),  # no exchange recorded (the snapshot has its result)
    ("/checks/openrouter/balance", "no_request", True),  # ran, but no request recorded
])
def test_a_check_without_an_exchange_is_a_200_that_says_so(path: str, status: str, scheduled: bool) -> None:
    client = _client()
    page = client.get(path)
    assert page.status_code == 200 and "nothing recorded" in page.text
    document = client.get(path, headers={"Accept": "application/json"}).json()
    assert (document["status"], document["recorded"], document["exchange"]) == (status, False, None)
    assert document["scheduled"] is scheduled and set(document) == TOP_KEYS


def test_a_check_not_scheduled_and_a_fresh_serve_are_200() -> None:
    cfg = fake_config(chat=False)
    fresh = ServeState(loaded=loaded(cfg), snapshot=Snapshot(cfg, SHA))
    document = _client(fresh).get("/checks/p0/chat?format=json").json()
    assert (document["status"], document["scheduled"]) == ("not_scheduled", False)
    assert _client(fresh).get("/checks/p0/models").status_code == 200


@pytest.mark.parametrize("path", ["/checks/nobody/models", "/checks/moonshot-intl/nothing",
                                  "/checks/moonshot-intl/CHAT", "/checks/moonshot-intl", "/checks/a/b/c"])
def test_an_unknown_provider_or_check_is_a_404(path: str) -> None:
    assert _client().get(path).status_code == 404


@pytest.mark.parametrize(("query", "accept", "json_answer"), [
    ("", "", False), ("", "text/html,application/xhtml+xml,*/*", False), ("", "application/json", True),
    ("?format=json", "text/html", True), ("?format=html", "application/json", False),
])
def test_json_is_asked_for_by_query_or_accept(query: str, accept: str, json_answer: bool) -> None:
    response = _client().get("/checks/moonshot-intl/chat" + query, headers={"Accept": accept} if accept else {})
    assert response.headers["content-type"].startswith("application/json" if json_answer else "text/html")
    assert "no-store" in response.headers["cache-control"]


@pytest.mark.parametrize("path", ["/checks/moonshot-intl/chat", "/checks/moonshot-intl/chat?format=json",
                                  "/checks/nobody/models"])
def test_basic_auth_guards_the_debug_view(path: str) -> None:
    client = _client(credentials=Credentials({"prometheus": HASH}))
    denied = client.get(path)
    assert denied.status_code == 401 and CANARY not in denied.text
    good = "Basic " + base64.b64encode(b"prometheus:s3cret").decode()
    assert client.get(path, headers={"Authorization": good}).status_code in (200, 404)


def test_the_page_links_lead_to_the_debug_view() -> None:
    client = _client()
    page = client.get("/").text
    assert 'href="checks/moonshot-intl/chat"' in page
    assert client.get("/checks/moonshot-intl/chat").status_code == 200


def test_a_reload_forgets_the_exchanges_of_checks_that_are_gone() -> None:
    state = make_state()
    state.exchanges.keep_only([("openrouter", Check.MODELS)])
    assert state.exchanges.last(("moonshot-intl", Check.CHAT)) is None

