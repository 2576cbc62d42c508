"""The debug view of a simulator-backed `kimicheck serve`: real exchanges with real timings, a hostile provider's
answer escaped (in a real Chromium too), no key anywhere, and a steady load on the page, the status API, the
badges and the debug view that costs the providers nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image

from kimicheck.sim import SimState, serve_in_thread
from kimicheck.sim.faults import Endpoint, Fault, FaultKind
from tests.serve import chromium
from tests.serve.inprocess import InProcessServed, serve_in_process
from tests.serve.page_load import page_paths, run_load
from tests.serve.process import KEY, sim_config, wait_ready, wait_until

pytestmark = pytest.mark.slow

BAD_KEY = "sk-sim-hostile-debug-0000000000000000"
HOSTILE = '<script>document.title="pwned"</script><img src=x onerror="document.body.dataset.pwned=1">'
EXTRA = """\
  - name: hostile
    kind: moonshot
    base_url: {url}
    api_key_env: BAD_KEY
    models: [kimi-k3]
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[InProcessServed, SimState]]:
    state = SimState.default()
    with serve_in_thread(state, port=0) as sim:
        state.account(BAD_KEY).faults = [Fault(kind=FaultKind.STATUS, endpoint=Endpoint.MODELS, status=500,
                                               error_type="server_error", message=f"{HOSTILE} {BAD_KEY} {KEY}")]
        config = tmp_path_factory.mktemp("debug") / "kimicheck.yaml"
        config.write_text(sim_config(sim.base_url, extra_providers=EXTRA.format(url=sim.base_url)))
        with serve_in_process(config, env={"BAD_KEY": BAD_KEY}) as running:
            wait_ready(running.url)  # every first run done: nothing calls a provider for an hour
            wait_until(lambda: all(_json(running, f"/checks/{p}/{c}")["recorded"]
                                   for p, c in [("sim", "models"), ("sim", "balance"), ("sim", "chat"),
                                                ("hostile", "models")]), what="every exchange recorded")
            yield running, state


def _json(running: InProcessServed, path: str) -> dict[str, object]:
    document = httpx.get(running.url + path, params={"format": "json"}, timeout=5).json()
    assert isinstance(document, dict)
    return document


def _secrets_absent(text: str) -> None:
    for key in (KEY, BAD_KEY):
        assert key not in text and key[:14] not in text


def test_real_exchanges_have_timings_and_no_key(served: tuple[InProcessServed, SimState]) -> None:
    running, _ = served
    exchanges = {c: _json(running, f"/checks/sim/{c}")["exchange"] for c in ("models", "balance", "chat")}
    hostile = _json(running, "/checks/hostile/models")["exchange"]
    for name, exchange in [*exchanges.items(), ("hostile", hostile)]:
        assert isinstance(exchange, dict), name
        timings = exchange["timings"]
        assert timings["total_seconds"] >= timings["first_byte_seconds"] >= 0
        assert timings["tls_seconds"] is None  # plain http to the loopback simulator
        # a new connection has its connect time, a pooled one none (which the exchange says)
        assert isinstance(exchange["connection_reused"], bool)
        assert (timings["connect_seconds"] is None) is exchange["connection_reused"]
        assert timings["connect_seconds"] is None or timings["connect_seconds"] >= 0
    assert {exchanges[c]["response"]["status_code"] for c in exchanges} == {200}
    assert exchanges["chat"]["model"] == "kimi-k2.6" and exchanges["chat"]["request"]["method"] == "POST"
    for path in ("/checks/sim/chat", "/checks/sim/chat?format=json", "/checks/hostile/models"):
        response = httpx.get(running.url + path, timeout=5)
        _secrets_absent(response.text)
        _secrets_absent(str(response.headers))


def test_a_hostile_answer_is_shown_as_text(served: tuple[InProcessServed, SimState]) -> None:
    running, _ = served
    exchange = _json(running, "/checks/hostile/models")["exchange"]
    assert isinstance(exchange, dict) and exchange["response"]["status_code"] == 500
    page = httpx.get(running.url + "/checks/hostile/models", timeout=5).text
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;document.title=" in page and "&lt;img src=x onerror=" in page


@pytest.mark.skipif(not chromium.available(), reason="chromium is not installed")
def test_the_debug_view_renders_in_chromium_and_hostile_markup_never_runs(
        served: tuple[InProcessServed, SimState], tmp_path: Path) -> None:
    running, state = served
    before = state.count()
    dom = chromium.dump_dom(running.url + "/checks/hostile/models")
    assert 'class="exchange"' in dom and "Timings" in dom and "HTTP/1.1 500" in dom
    assert "pwned" not in dom.split("<title>")[1].split("</title>")[0] and "data-pwned" not in dom
    assert "<script" not in dom and "<img" not in dom
    _secrets_absent(dom)
    shot = tmp_path / "debug-view.png"
    chromium.screenshot(running.url + "/checks/sim/chat", shot, width=900, height=900)
    with Image.open(shot) as image:
        assert len(image.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 20
    assert state.count() == before


def test_a_burst_on_every_page_causes_no_provider_call(served: tuple[InProcessServed, SimState]) -> None:
    running, state = served
    before = state.count()
    result = run_load(running.url, page_paths(["sim", "hostile"]), rate=50, duration=10)
    assert state.count() == before  # 500 page, API, badge and debug view requests: not one provider call
    assert result.count == 500
    for endpoint, statuses in result.statuses.items():
        assert set(statuses) == {200}, endpoint
    p50, p99 = result.quantiles("/")
    print("\n" + "\n".join(f"{name}: {row}" for name, row in result.table()))
    assert 0 < p50 <= p99 < 5.0
