"""The HTTP side in process: /metrics reads the snapshot, /ready, /-/reload, basic auth."""

import base64

import bcrypt
from starlette.testclient import TestClient

from kimicheck.metrics.snapshot import Snapshot, snapshot_of
from kimicheck.serve.app import build_app
from kimicheck.serve.auth import Credentials
from kimicheck.serve.state import ServeState
from tests.metrics.samples import CONFIG, RESULTS, SHA
from tests.serve.fakes import loaded

HASH = bcrypt.hashpw(b"s3cret", bcrypt.gensalt(rounds=4)).decode()


def make_state() -> ServeState:
    return ServeState(loaded=loaded(CONFIG), snapshot=Snapshot(CONFIG, SHA))


async def reload_ok() -> str | None:
    return None


async def reload_broken() -> str | None:
    return "cfg.yaml:3:5: bad [KC001]"


def test_metrics_shows_the_current_snapshot() -> None:
    state = make_state()
    client = TestClient(build_app(state, reload_ok))
    first = client.get("/metrics")
    assert first.status_code == 200
    assert first.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert "kimicheck_probe_success{" not in first.text
    state.snapshot = snapshot_of(RESULTS, CONFIG, SHA, now=0.0)
    assert 'kimicheck_probe_success{check="models",provider="moonshot-intl"} 1.0' in client.get("/metrics").text


def test_health_and_readiness() -> None:
    state = make_state()
    client = TestClient(build_app(state, reload_ok))
    assert (client.get("/healthz").status_code, client.get("/healthz").text) == (200, "ok\n")
    not_ready = client.get("/ready")
    assert (not_ready.status_code, not_ready.text) == (503, "not ready: the first round of checks is still running\n")
    state.ready = True
    assert (client.get("/ready").status_code, client.get("/ready").text) == (200, "ready\n")


def test_reload_is_post_only_and_says_what_failed() -> None:
    assert TestClient(build_app(make_state(), reload_ok)).get("/-/reload").status_code == 405
    ok = TestClient(build_app(make_state(), reload_ok)).post("/-/reload")
    assert (ok.status_code, ok.text) == (200, "config reloaded\n")
    failed = TestClient(build_app(make_state(), reload_broken)).post("/-/reload")
    assert failed.status_code == 500
    assert failed.text == "config not reloaded, the old one stays in use: cfg.yaml:3:5: bad [KC001]\n"


def test_basic_auth_guards_every_endpoint() -> None:
    reloads: list[None] = []

    async def reload() -> str | None:
        reloads.append(None)
        return None

    client = TestClient(build_app(make_state(), reload, Credentials({"prometheus": HASH})))
    for path in ("/metrics", "/healthz", "/ready", "/"):
        refused = client.get(path)
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == 'Basic realm="kimicheck"'
    good = "Basic " + base64.b64encode(b"prometheus:s3cret").decode()
    bad = "Basic " + base64.b64encode(b"prometheus:nope").decode()
    assert client.post("/-/reload").status_code == 401
    assert client.post("/-/reload", headers={"Authorization": bad}).status_code == 401
    assert reloads == []
    assert client.post("/-/reload", headers={"Authorization": good}).status_code == 200
    assert reloads == [None]
    assert client.get("/metrics", headers={"Authorization": bad}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": good}).status_code == 200
