"""A one-shot export shows only the (provider, check) pairs its run probed; serve's exposition is unchanged."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from kimicheck import __version__
from kimicheck.metrics.exposition import render_results, render_snapshot
from kimicheck.metrics.snapshot import snapshot_of
from kimicheck.probe.result import Check, ProbeResult
from kimicheck.sim import Account, RunningSimulator, SimState, serve_in_thread
from tests.commands.clirun import kimicheck
from tests.metrics.samples import CONFIG, RESULTS, SHA

META = [f'kimicheck_build_info{{version="{__version__}"}} 1.0', f'kimicheck_config_info{{sha256="{SHA}"}} 1.0']


def series(data: bytes) -> list[str]:
    """The sample lines of an exposition, in order (HELP and TYPE lines left out)."""
    return [line for line in data.decode().splitlines() if not line.startswith("#")]


#: the families that count every result of the probed checks (their own tests: tests/metrics/test_quality_metrics.py)
PER_RESULT = ("kimicheck_probe_runs_total", "kimicheck_probe_latency_seconds")


def without_per_result(lines: list[str]) -> list[str]:
    """`lines` without the per-result counters and histograms, which name only probed pairs (checked apart)."""
    return [line for line in lines if not line.startswith(PER_RESULT)]


def probed_pairs(lines: list[str]) -> set[tuple[str, str]]:
    """The (provider, check) pairs the per-result families name."""
    return {
        (re.search(r'provider="([^"]*)"', line).group(1), re.search(r'check="([^"]*)"', line).group(1))  # type: ignore[union-attr]
        for line in lines if line.startswith(PER_RESULT)
    }


def run_of(providers: Sequence[str], checks: Sequence[Check]) -> list[ProbeResult]:
    """The results of `kimicheck probe --provider ... --checks ...` over the sample results."""
    return [r for r in RESULTS if r.provider in providers and r.check in checks]


def test_a_filtered_run_writes_only_the_series_of_what_it_probed() -> None:
    results = run_of(["moonshot-intl", "openrouter"], [Check.MODELS, Check.BALANCE])
    results = [r for r in results if (r.provider, r.check) != ("openrouter", Check.BALANCE)]
    lines = series(render_results(results, CONFIG, config_sha256=SHA))
    assert probed_pairs(lines) == {(r.provider, r.check.value) for r in results}
    assert without_per_result(lines) == [
        'kimicheck_probe_success{check="balance",provider="moonshot-intl"} 1.0',
        'kimicheck_probe_success{check="models",provider="moonshot-intl"} 1.0',
        'kimicheck_probe_success{check="models",provider="openrouter"} 0.0',
        'kimicheck_probe_last_reason{check="balance",provider="moonshot-intl",reason="ok"} 1.0',
        'kimicheck_probe_last_reason{check="models",provider="moonshot-intl",reason="ok"} 1.0',
        'kimicheck_probe_last_reason{check="models",provider="openrouter",reason="auth_failed"} 1.0',
        'kimicheck_probe_duration_seconds{check="balance",provider="moonshot-intl"} 0.125',
        'kimicheck_probe_duration_seconds{check="models",provider="moonshot-intl"} 0.25',
        'kimicheck_probe_duration_seconds{check="models",provider="openrouter"} 0.5',
        'kimicheck_probe_last_run_timestamp_seconds{check="balance",provider="moonshot-intl"} 1.700000001e+09',
        'kimicheck_probe_last_run_timestamp_seconds{check="models",provider="moonshot-intl"} 1.7000000005e+09',
        'kimicheck_probe_last_run_timestamp_seconds{check="models",provider="openrouter"} 1.7e+09',
        'kimicheck_probe_last_success_timestamp_seconds{check="balance",provider="moonshot-intl"} 1.700000001e+09',
        'kimicheck_probe_last_success_timestamp_seconds{check="models",provider="moonshot-intl"} 1.7000000005e+09',
        'kimicheck_probe_failures_total{check="models",provider="openrouter",reason="auth_failed"} 1.0',
        'kimicheck_model_listed{model="kimi-k2.5",provider="moonshot-intl"} 1.0',
        'kimicheck_model_listed{model="kimi-k2.6",provider="moonshot-intl"} 1.0',
        'kimicheck_balance{currency="USD",provider="moonshot-intl",type="available"} 49.58894',
        'kimicheck_balance{currency="USD",provider="moonshot-intl",type="voucher"} 46.58893',
        'kimicheck_balance{currency="USD",provider="moonshot-intl",type="cash"} 3.00001',
        'kimicheck_balance_threshold{currency="USD",level="warning",provider="moonshot-intl"} 10.0',
        'kimicheck_balance_threshold{currency="USD",level="critical",provider="moonshot-intl"} 2.5',
        *META,
    ]


def test_no_threshold_without_a_balance_run_and_no_chat_series_without_a_chat_run() -> None:
    only_models = series(render_results(run_of(["moonshot-intl"], [Check.MODELS]), CONFIG, config_sha256=SHA))
    assert not [line for line in only_models if "threshold" in line or "chat" in line or "skipped" in line]
    assert [line for line in only_models if 'provider="openrouter"' in line] == []


def test_a_chat_run_keeps_its_counters_at_zero_for_its_own_provider_only() -> None:
    data = render_results(run_of(["openrouter"], [Check.CHAT]), CONFIG, config_sha256=SHA)
    assert probed_pairs(series(data)) == {("openrouter", "chat")}
    assert [line for line in without_per_result(series(data)) if "_total" in line] == [
        'kimicheck_probe_failures_total{check="chat",provider="openrouter",reason="rate_limited"} 1.0',
        'kimicheck_probe_skipped_total{check="chat",provider="openrouter",reason="balance_critical"} 0.0',
        'kimicheck_probe_skipped_total{check="chat",provider="openrouter",reason="budget_exhausted"} 0.0',
        'kimicheck_chat_tokens_total{model="moonshotai/kimi-k2.6",provider="openrouter",type="completion"} 0.0',
        'kimicheck_chat_tokens_total{model="moonshotai/kimi-k2.6",provider="openrouter",type="prompt"} 0.0',
    ]


@pytest.mark.parametrize("split", [
    ([("moonshot-intl", list(Check))], [("openrouter", list(Check))]),
    ([("moonshot-intl", [Check.MODELS, Check.BALANCE]), ("openrouter", [Check.MODELS, Check.BALANCE])],
     [("moonshot-intl", [Check.CHAT]), ("openrouter", [Check.CHAT])]),
], ids=["by-provider", "by-check"])
def test_filtered_runs_share_no_series_and_together_make_the_full_run(
    split: tuple[list[tuple[str, list[Check]]], list[tuple[str, list[Check]]]],
) -> None:
    runs = [[r for provider, checks in part for r in run_of([provider], checks)] for part in split]
    first, second = (series(render_results(run, CONFIG, config_sha256=SHA)) for run in runs)
    assert set(first) & set(second) == set(META)
    full = series(render_results(RESULTS, CONFIG, config_sha256=SHA))
    assert sorted(set(first) | set(second)) == sorted(full)


def test_a_snapshot_without_scope_still_shows_every_configured_series() -> None:
    # what serve renders before any run: thresholds and zero counters of every provider
    empty = series(render_snapshot(snapshot_of([], CONFIG, SHA, now=0.0)))
    assert [line for line in empty if "threshold" in line or "tokens" in line] == [
        'kimicheck_chat_tokens_total{model="kimi-k2.6",provider="moonshot-intl",type="completion"} 0.0',
        'kimicheck_chat_tokens_total{model="kimi-k2.6",provider="moonshot-intl",type="prompt"} 0.0',
        'kimicheck_chat_tokens_total{model="moonshotai/kimi-k2.6",provider="openrouter",type="completion"} 0.0',
        'kimicheck_chat_tokens_total{model="moonshotai/kimi-k2.6",provider="openrouter",type="prompt"} 0.0',
        'kimicheck_balance_threshold{currency="USD",level="warning",provider="moonshot-intl"} 10.0',
        'kimicheck_balance_threshold{currency="USD",level="critical",provider="moonshot-intl"} 2.5',
    ]


# --- the same through the command line, against the simulator --------------------------------------------

HEALTHY_KEY = "sk-sim-scope-healthy-00000000000000"
BAD_KEY = "sk-sim-scope-revoked-00000000000000"


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSimulator]:
    state = SimState.default()
    state.add(Account(key=BAD_KEY, name="revoked", revoked=True))
    with serve_in_thread(state, port=0) as running:
        yield running


def three_providers(base_url: str) -> str:
    provider = """\
  - name: {name}
    kind: moonshot
    base_url: {base_url}
    api_key_env: {env}
    models: [kimi-k3, {{id: kimi-k2.6, chat: true}}]
    balance: {{warn_below: 10, critical_below: 2, currency: USD}}
"""
    return "version: 1\ndefaults:\n  timeout: 2s\nproviders:\n" + "".join(
        provider.format(name=name, base_url=base_url, env=env)
        for name, env in (("healthy", "HEALTHY_KEY"), ("bad-key", "BAD_KEY"), ("untouched", "HEALTHY_KEY"))
    )


def identities(data: bytes) -> list[str]:
    """Each series as name{labels}, with the run-dependent values of durations and times left out."""
    return [re.sub(r" \S+$", "", line) if "_seconds" in line else line for line in series(data)]


def test_probe_textfile_with_checks_and_providers(sim: RunningSimulator, tmp_path: Path) -> None:
    config = tmp_path / "kimicheck.yaml"
    config.write_text(three_providers(sim.base_url))
    target = tmp_path / "free.prom"
    argv = ["probe", str(config), "--checks", "models,balance", "--provider", "healthy", "--provider", "bad-key",
            "--textfile", str(target)]
    result = kimicheck(*argv, environ={"HEALTHY_KEY": HEALTHY_KEY, "BAD_KEY": BAD_KEY})
    assert result.code == 1
    assert result.err == ""
    sha = re.search(r'sha256="([0-9a-f]{64})"', target.read_text())
    assert sha is not None
    assert probed_pairs(series(target.read_bytes())) == {
        (provider, check) for provider in ("healthy", "bad-key") for check in ("models", "balance")
    }
    assert without_per_result(identities(target.read_bytes())) == [
        'kimicheck_probe_success{check="balance",provider="bad-key"} 0.0',
        'kimicheck_probe_success{check="models",provider="bad-key"} 0.0',
        'kimicheck_probe_success{check="balance",provider="healthy"} 1.0',
        'kimicheck_probe_success{check="models",provider="healthy"} 1.0',
        'kimicheck_probe_last_reason{check="balance",provider="bad-key",reason="auth_failed"} 1.0',
        'kimicheck_probe_last_reason{check="models",provider="bad-key",reason="auth_failed"} 1.0',
        'kimicheck_probe_last_reason{check="balance",provider="healthy",reason="ok"} 1.0',
        'kimicheck_probe_last_reason{check="models",provider="healthy",reason="ok"} 1.0',
        'kimicheck_probe_duration_seconds{check="balance",provider="bad-key"}',
        'kimicheck_probe_duration_seconds{check="models",provider="bad-key"}',
        'kimicheck_probe_duration_seconds{check="balance",provider="healthy"}',
        'kimicheck_probe_duration_seconds{check="models",provider="healthy"}',
        'kimicheck_probe_last_run_timestamp_seconds{check="balance",provider="bad-key"}',
        'kimicheck_probe_last_run_timestamp_seconds{check="models",provider="bad-key"}',
        'kimicheck_probe_last_run_timestamp_seconds{check="balance",provider="healthy"}',
        'kimicheck_probe_last_run_timestamp_seconds{check="models",provider="healthy"}',
        'kimicheck_probe_last_success_timestamp_seconds{check="balance",provider="healthy"}',
        'kimicheck_probe_last_success_timestamp_seconds{check="models",provider="healthy"}',
        'kimicheck_probe_failures_total{check="balance",provider="bad-key",reason="auth_failed"} 1.0',
        'kimicheck_probe_failures_total{check="models",provider="bad-key",reason="auth_failed"} 1.0',
        'kimicheck_model_listed{model="kimi-k3",provider="healthy"} 1.0',
        'kimicheck_model_listed{model="kimi-k2.6",provider="healthy"} 1.0',
        'kimicheck_balance{currency="USD",provider="healthy",type="available"} 50.0',
        'kimicheck_balance{currency="USD",provider="healthy",type="voucher"} 0.0',
        'kimicheck_balance{currency="USD",provider="healthy",type="cash"} 50.0',
        'kimicheck_balance_threshold{currency="USD",level="warning",provider="healthy"} 10.0',
        'kimicheck_balance_threshold{currency="USD",level="critical",provider="healthy"} 2.0',
        'kimicheck_balance_threshold{currency="USD",level="warning",provider="bad-key"} 10.0',
        'kimicheck_balance_threshold{currency="USD",level="critical",provider="bad-key"} 2.0',
        f'kimicheck_build_info{{version="{__version__}"}} 1.0',
        f'kimicheck_config_info{{sha256="{sha.group(1)}"}} 1.0',
    ]
