"""The status page, /api/v1/status and the badges in process: escaping, CSP, schema, auth, no provider calls."""

import base64
import dataclasses
import json
from pathlib import Path

import bcrypt
import jsonschema
import pytest
from starlette.testclient import TestClient

from kimicheck.metrics.contract import SkipReason
from kimicheck.metrics.snapshot import Snapshot, record_skip, snapshot_of
from kimicheck.probe.result import Check, ProbeResult
from kimicheck.serve.app import build_app
from kimicheck.serve.auth import Credentials
from kimicheck.serve.history import CellState, History, Mark
from kimicheck.serve.state import ServeState
from tests.metrics.samples import CONFIG, RESULTS, SHA
from tests.serve.fakes import loaded

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "configs" / "status.schema.json").read_text())
CANARY = "sk-canary0000000000000000000000000000"
HOSTILE = f'<script>alert(1)</script><img src=x onerror="alert(2)"> key {CANARY} org-123456789'
HASH = bcrypt.hashpw(b"s3cret", bcrypt.gensalt(rounds=4)).decode()


async def no_reload() -> str | None:
    return None


def hostile_results() -> list[ProbeResult]:
    results = list(RESULTS)
    results[3] = dataclasses.replace(results[3], detail=HOSTILE)
    return results


def make_state(history_of_runs: bool = True) -> ServeState:
    snapshot = snapshot_of(hostile_results(), CONFIG, SHA, now=1700000000.0)
    snapshot = record_skip(snapshot, ("openrouter", Check.CHAT), SkipReason.BUDGET_EXHAUSTED)
    state = ServeState(loaded=loaded(CONFIG), snapshot=snapshot)
    if history_of_runs:
        for i in range(150):
            state.history.record(("moonshot-intl", Check.MODELS), Mark(1699990000.0 + i, CellState.OK, "ok"))
        state.history.record(("openrouter", Check.MODELS), Mark(1700000000.0, CellState.FAIL, "auth_failed"))
        state.history.record(("openrouter", Check.CHAT), Mark(1700000001.0, CellState.SKIPPED, "budget_exhausted"))
    return state


def test_the_page_escapes_provider_text_and_forbids_inline_script() -> None:
    response = TestClient(build_app(make_state(), no_reload)).get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    page = response.text
    assert "<script" not in page and "<img" not in page and "onerror=\"" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert CANARY not in page and "123456789" not in page
    assert "style=" not in page  # an inline style attribute would be blocked by the CSP
    assert 'href="static/status.css"' in page
    assert "lost when kimicheck restarts" in page


def test_every_state_and_check_is_on_the_page() -> None:
    page = TestClient(build_app(make_state(), no_reload)).get("/").text
    for state in ("state-ok", "state-fail", "state-skipped", "state-not_run"):
        assert state in page
    for check in Check:
        assert f'data-check="{check}"' in page
    assert 'class="balance-bar' in page and 'class="history"' in page


def test_the_history_ring_keeps_the_last_hundred() -> None:
    history = History()
    for i in range(250):
        history.record(("p", Check.MODELS), Mark(float(i), CellState.OK, "ok"))
    assert len(history.marks(("p", Check.MODELS))) == 100
    assert history.marks(("p", Check.MODELS))[0].at == 150.0


def test_the_status_api_follows_its_published_schema() -> None:
    client = TestClient(build_app(make_state(), no_reload))
    document = client.get("/api/v1/status").json()
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(document, SCHEMA)
    text = json.dumps(document)
    assert CANARY not in text and "123456789" not in text
    providers = {p["name"]: p for p in document["providers"]}
    assert providers["openrouter"]["state"] == "fail"
    cells = {c["check"]: c for c in providers["openrouter"]["checks"]}
    assert cells["chat"]["state"] == "skipped"
    assert len({c["check"]: c for c in providers["moonshot-intl"]["checks"]}["models"]["history"]) == 100
    empty = ServeState(loaded=loaded(CONFIG), snapshot=Snapshot(CONFIG, SHA))
    blank = TestClient(build_app(empty, no_reload)).get("/api/v1/status").json()
    jsonschema.validate(blank, SCHEMA)
    assert {p["state"] for p in blank["providers"]} == {"not_run"}


def test_badges_are_svg_with_cache_headers_and_escaped() -> None:
    client = TestClient(build_app(make_state(), no_reload))
    badge = client.get("/badge/openrouter.svg")
    assert badge.status_code == 200 and badge.headers["content-type"] == "image/svg+xml"
    assert "max-age" in badge.headers["cache-control"]
    assert "fail" in badge.text and badge.text.startswith("<svg")
    balance = client.get("/badge/moonshot-intl/balance.svg")
    assert balance.status_code == 200 and "balance" in balance.text
    assert client.get("/badge/nobody.svg").status_code == 404


def test_static_files_are_served_and_nothing_else() -> None:
    client = TestClient(build_app(make_state(), no_reload))
    css = client.get("/static/status.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "prefers-color-scheme: dark" in css.text
    assert client.get("/static/..%2Fpage.py").status_code == 404


@pytest.mark.parametrize("path", ["/", "/api/v1/status", "/badge/openrouter.svg", "/badge/openrouter/balance.svg",
                                  "/static/status.css"])
def test_basic_auth_guards_the_page_and_friends(path: str) -> None:
    client = TestClient(build_app(make_state(), no_reload, Credentials({"prometheus": HASH})))
    assert client.get(path).status_code == 401
    good = "Basic " + base64.b64encode(b"prometheus:s3cret").decode()
    assert client.get(path, headers={"Authorization": good}).status_code == 200
