"""Retirement dates and replacements from the model catalog as metrics: config + catalog, no probe needed."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from kimicheck.config.models import Config
from kimicheck.metrics.exposition import render_results, render_snapshot
from kimicheck.metrics.snapshot import Snapshot
from kimicheck.probe.result import Check, ProbeResult, Reason
from kimicheck.providers import Catalog, use_catalog
from tests.metrics.binaries import promtool_problems

SHA = "cd" * 32
RETIRES, INFO = "kimicheck_model_retirement_timestamp_seconds", "kimicheck_model_info"


def provider(name: str, kind: str, base_url: str, models: list[str]) -> dict[str, object]:
    return {"name": name, "kind": kind, "base_url": base_url, "api_key_env": "KEY", "models": models}


CONFIG = Config.model_validate({"version": 1, "providers": [
    provider("kimi", "moonshot", "https://api.moonshot.ai/v1",
             ["kimi-latest", "kimi-k2-0905-preview", "kimi-k2.5", "kimi-k3", "kimi-latest"]),
    provider("gateway", "openrouter", "https://openrouter.ai/api/v1", ["moonshotai/kimi-latest"]),
    provider("proxy", "moonshot", "http://127.0.0.1:8080/v1", ["kimi-k2-turbo-preview"]),
]})


def series(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith((RETIRES, INFO))]


def at(day: str) -> float:
    return datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp()


@pytest.fixture
def custom_catalog() -> Iterator[None]:
    use_catalog(Catalog.model_validate({"version": 1, "as_of": "2027-01-10", "kinds": {"moonshot": {"models": [
        {"id": "kimi-k2.6", "status": "active", "retires_on": "2027-02-01", "source": "https://e.com",
         "checked": "2027-01-10"}]}}}))
    yield
    use_catalog(None)


def test_every_configured_model_with_a_stated_date_and_its_replacement() -> None:
    text = render_snapshot(Snapshot(CONFIG, SHA)).decode()
    assert at("2026-01-28") == 1769558400.0
    assert series(text) == [
        f'{RETIRES}{{model="kimi-latest",provider="kimi"}} 1.7695584e+09',
        f'{RETIRES}{{model="kimi-k2-0905-preview",provider="kimi"}} {at("2026-05-25"):.8g}',
        f'{RETIRES}{{model="kimi-k2-turbo-preview",provider="proxy"}} {at("2026-05-25"):.8g}',
        f'{INFO}{{model="kimi-latest",provider="kimi",replacement="kimi-k3"}} 1.0',
        f'{INFO}{{model="kimi-k2-0905-preview",provider="kimi",replacement="kimi-k2.6"}} 1.0',
        f'{INFO}{{model="kimi-k2-turbo-preview",provider="proxy",replacement="kimi-k2.6"}} 1.0',
    ]


@pytest.mark.usefixtures("custom_catalog")
def test_the_catalog_in_use_decides_and_no_replacement_is_empty() -> None:
    config = Config.model_validate({"version": 1, "providers": [
        provider("kimi", "moonshot", "https://api.moonshot.ai/v1", ["kimi-k2.6", "kimi-latest"])]})
    assert series(render_snapshot(Snapshot(config, SHA)).decode()) == [
        f'{RETIRES}{{model="kimi-k2.6",provider="kimi"}} {at("2027-02-01"):.8g}',
        f'{INFO}{{model="kimi-k2.6",provider="kimi",replacement=""}} 1.0',
    ]


def test_a_filtered_run_carries_them_only_with_the_models_check() -> None:
    balance = ProbeResult("kimi", Check.BALANCE, True, Reason.OK, 0.1)
    models = ProbeResult("kimi", Check.MODELS, True, Reason.OK, 0.1)
    assert series(render_results([balance], CONFIG, config_sha256=SHA).decode()) == []
    shown = series(render_results([models], CONFIG, config_sha256=SHA).decode())
    assert [line.split("{")[0] for line in shown] == [RETIRES, RETIRES, INFO, INFO]
    assert all('provider="kimi"' in line for line in shown)


def test_promtool_accepts_the_new_series() -> None:
    assert promtool_problems(render_snapshot(Snapshot(CONFIG, SHA))) == ""
