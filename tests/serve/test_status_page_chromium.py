"""The status page in a real headless Chromium, served by `kimicheck serve` against the simulator: every state,
the history strip and the balance bar render, a hostile provider's markup stays text and never runs, no key
reaches the DOM, and the screenshots are not blank.

KIMICHECK_SCREENSHOTS=deploy/screenshots keeps the screenshots there (how the README's are made).
"""

import os
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from PIL import Image

from kimicheck.sim import SimState, serve_in_thread
from kimicheck.sim.faults import Endpoint, Fault, FaultKind
from tests.serve import chromium
from tests.serve.inprocess import InProcessServed, serve_in_process
from tests.serve.process import KEY, sim_config, wait_ready, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not chromium.available(), reason="chromium is not installed")]

BAD_KEY = "sk-sim-hostile-000000000000000000000"
LOW_KEY = "sk-sim-lowbalance-0000000000000000000"
STATES = ("ok", "warn", "fail", "skipped", "not_run")
HOSTILE = '<script>document.title="pwned"</script><img src=x onerror="document.body.dataset.pwned=1">'


def _provider(name: str, base_url: str, env: str, chat: bool = True, budget: int | None = None) -> str:
    models = "[kimi-k2.5, {id: kimi-k2.6, chat: true}]" if chat else "[kimi-k2.5]"
    chat_settings = f"\n    chat: {{daily_token_budget: {budget}}}" if budget is not None else ""
    return f"""\
  - name: {name}
    kind: moonshot
    base_url: {base_url}
    api_key_env: {env}
    models: {models}
    balance: {{warn_below: 10, critical_below: 2, currency: USD}}{chat_settings}
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[InProcessServed, SimState]]:
    state = SimState.default()
    with serve_in_thread(state, port=0) as sim:
        state.account(BAD_KEY).faults = [Fault(kind=FaultKind.STATUS, endpoint=Endpoint.MODELS, status=500,
                                               error_type="server_error", message=f"{HOSTILE} {KEY}")]
        state.account(LOW_KEY).available = Decimal("5")
        extra = (_provider("hostile", sim.base_url, "BAD_KEY", chat=False)
                 + _provider("low-balance", sim.base_url, "LOW_KEY", budget=0))
        config = tmp_path_factory.mktemp("page") / "kimicheck.yaml"
        config.write_text(sim_config(sim.base_url, extra_providers=extra))
        with serve_in_process(config, env={"BAD_KEY": BAD_KEY, "LOW_KEY": LOW_KEY}) as running:
            wait_ready(running.url)  # every first run done: nothing calls the provider until an interval passes
            try:
                wait_until(lambda: all(f'"{s}"' in _get(running.url + "/api/v1/status") for s in STATES),
                           what="every state recorded")
            except AssertionError:
                raise AssertionError(_get(running.url + "/api/v1/status")) from None
            yield running, state


def _get(url: str) -> str:
    return httpx.get(url, timeout=5).text


def test_every_state_renders_and_hostile_text_never_runs(served: tuple[InProcessServed, SimState]) -> None:
    running, state = served
    before = state.count()
    dom = chromium.dump_dom(running.url + "/")
    for css_class in ("state-ok", "state-warn", "state-fail", "state-skipped", "state-not_run"):
        assert css_class in dom, css_class
    assert 'class="history"' in dom and 'class="balance-bar' in dom and "mark-warn" in dom
    assert "pwned" not in dom.split("<title>")[1].split("</title>")[0]
    assert "data-pwned" not in dom
    assert "<script" not in dom and "<img" not in dom
    assert "&lt;script&gt;" in dom and "onerror=" in dom  # shown as text
    assert KEY not in dom and BAD_KEY not in dom and LOW_KEY not in dom
    assert state.count() == before  # rendering the page called no provider


def _variety(path: Path) -> int:
    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    return len(colours or [])


@pytest.mark.parametrize(("name", "width", "height"),
                         [("status-page.png", 1000, 900), ("status-page-phone.png", 390, 900)])
def test_screenshots_are_not_blank(served: tuple[InProcessServed, SimState], tmp_path: Path,
                                   name: str, width: int, height: int) -> None:
    running, _ = served
    path = tmp_path / name
    chromium.screenshot(running.url + "/", path, width=width, height=height)
    assert _variety(path) > 20, "the screenshot is (nearly) one colour"
    keep = os.environ.get("KIMICHECK_SCREENSHOTS")
    if keep:
        shutil.copy(path, Path(keep) / name)
