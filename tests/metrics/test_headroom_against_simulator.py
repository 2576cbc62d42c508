"""End to end against the simulator: announced rate limits and OpenRouter account credits in the textfile."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kimicheck.providers import Kind
from kimicheck.sim import RunningSimulator, load_scenario, serve_in_thread
from tests.commands.clirun import kimicheck
from tests.metrics.binaries import promtool_problems

KEY = "sk-or-v1-e2e-inference-00000000000000"
MANAGEMENT = "sk-or-v1-e2e-management-0000000000000"


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSimulator]:
    state = load_scenario({"accounts": [{
        "key": KEY, "name": "or", "kind": "openrouter", "management_key": MANAGEMENT,
        "total_credits": 10, "usage": 9.5,  # the key has no cap; the account has 0.5 left
        "ratelimit": {"requests_limit": 200, "requests_remaining": 180, "tokens_limit": 40000,
                      "tokens_remaining": 39000},
    }]})
    with serve_in_thread(state, port=0) as running:
        yield running


def config_text(sim: RunningSimulator, management: bool = True) -> str:
    source = "    management_key_env: OR_MANAGEMENT\n" if management else ""
    return (f"version: 1\nproviders:\n  - name: gw\n    kind: openrouter\n"
            f"    base_url: {sim.base_url_for(Kind.OPENROUTER)}\n    api_key_env: OR_KEY\n{source}"
            "    models: [moonshotai/kimi-k2.6]\n    balance: {warn_below: 5, critical_below: 1}\n")


def samples(data: bytes, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    return {tuple(sorted(s.labels.items())): s.value for family in text_string_to_metric_families(data.decode())
            for s in family.samples if s.name == name}


@pytest.mark.slow
def test_textfile_shows_headroom_and_the_account_threshold_applies(sim: RunningSimulator, tmp_path: Path) -> None:
    config = tmp_path / "kimicheck.yaml"
    config.write_text(config_text(sim))
    target = tmp_path / "kimicheck.prom"
    result = kimicheck("probe", str(config), "--textfile", str(target),
                       environ={"OR_KEY": KEY, "OR_MANAGEMENT": MANAGEMENT})
    assert result.code == 1  # the account is below critical_below, whatever the unlimited key says
    assert "balance_critical" in result.out
    assert "rate limit: 180/200 requests left, 39000/40000 tokens left" in result.out
    assert MANAGEMENT not in result.out + result.err
    data = target.read_bytes()
    assert promtool_problems(data) == ""
    assert samples(data, "kimicheck_ratelimit_limit") == {
        (("provider", "gw"), ("resource", "requests")): 200.0, (("provider", "gw"), ("resource", "tokens")): 40000.0}
    assert samples(data, "kimicheck_ratelimit_remaining") == {
        (("provider", "gw"), ("resource", "requests")): 180.0, (("provider", "gw"), ("resource", "tokens")): 39000.0}
    balance = samples(data, "kimicheck_balance")
    assert balance[(("currency", "USD"), ("provider", "gw"), ("type", "account"))] == 0.5
    assert balance[(("currency", "USD"), ("provider", "gw"), ("type", "available"))] == float("inf")
    assert MANAGEMENT.encode() not in data


@pytest.mark.slow
def test_without_the_management_key_the_unlimited_key_looks_healthy(sim: RunningSimulator, tmp_path: Path) -> None:
    config = tmp_path / "kimicheck.yaml"
    config.write_text(config_text(sim, management=False))
    target = tmp_path / "kimicheck.prom"
    result = kimicheck("probe", str(config), "--checks", "balance", "--textfile", str(target),
                       environ={"OR_KEY": KEY})
    assert result.code == 0
    assert ("type", "account") not in {item for key in samples(target.read_bytes(), "kimicheck_balance")
                                       for item in key}
