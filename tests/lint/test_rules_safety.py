"""What every domain rule promises beyond its fixtures: never a crash, never a secret in a message."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kimicheck.config.document import Document
from kimicheck.config.models import Defaults, Provider
from kimicheck.lint.engine import lint_text
from kimicheck.lint.registry import RULES
from kimicheck.lint.rule import LintContext
from kimicheck.providers import KNOWN_HOSTS, Kind

KEY = "sk-test-" + "9f8e7d6c5b4a" * 3
GENERIC_TOKEN = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8"
CHECKS = [rule.check for rule in RULES if rule.check is not None]

urls = st.one_of(
    st.text(max_size=60),
    st.builds(
        lambda scheme, host, path: f"{scheme}{host}{path}",
        st.sampled_from(["https://", "http://", "ftp://", "", "https://user:pw@"]),
        st.sampled_from([h.host for h in KNOWN_HOSTS] + ["127.0.0.1:8080", "[::1", "[::1]", "localhost", "x"]),
        st.text(alphabet="/v1chatompletsr?#.:%", max_size=30),
    ),
)
model_ids = st.one_of(
    st.text(min_size=1, max_size=30),
    st.sampled_from(["kimi-k2.6", "moonshotai/kimi-k2.6:free", "moonshot/kimi-k2-6", "moonshot/", "moonshotai/",
                     "Pro/moonshotai/Kimi-K2.6", "kimi-k2p6:", "moonshotai/kimi-k2.6\x1b[0m", f"moonshotai/{KEY}"]),
)
amounts = st.none() | st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1000, max_value=1000)
durations = st.none() | st.floats(min_value=0.001, max_value=1e7)


balances = st.none() | st.fixed_dictionaries({
    "warn_below": amounts, "critical_below": amounts, "currency": st.none() | st.sampled_from(["USD", "CNY", "EUR"]),
})
providers = st.fixed_dictionaries({
    "name": st.sampled_from(["kimi-intl", "kimi-cn", "openrouter"]),
    "kind": st.sampled_from([k.value for k in Kind]),
    "base_url": urls,
    "api_key_env": st.none() | st.text(max_size=40) | st.just(KEY),
    "api_key_file": st.none() | st.text(max_size=20),
    "models": st.lists(model_ids | st.fixed_dictionaries({"id": model_ids, "chat": st.booleans()}), max_size=4),
    "balance": balances,
    "timeout": durations,
    "intervals": st.none() | st.fixed_dictionaries({"models": durations, "chat": durations}),
}).map(Provider.model_validate)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(providers, min_size=1, max_size=3), st.text(max_size=200), st.booleans())
def test_rules_never_raise_and_always_say_where(found: list[Provider], text: str, check_env: bool) -> None:
    document = Document(path="c.yaml", text=text, data={"providers": [{} for _ in found]}, values={}, keys={})
    context = LintContext(document, Defaults(), tuple(enumerate(found)), environ={} if check_env else None)
    for check in CHECKS:
        for problem in check(context):
            assert problem.message and problem.hint
            assert problem.message.isprintable() and problem.hint.isprintable(), problem
            assert problem.where[:1] in {("providers",), ("defaults",)} or problem.line is not None


def config(field: str) -> str:
    return (
        "version: 1\nproviders:\n  - name: kimi-intl\n    kind: moonshot\n"
        "    base_url: https://api.moonshot.ai/v1\n    models: [kimi-k2.6]\n" + field
    )


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        (config(f"    api_key: {KEY}\n"), ["KC301"]),
        (config(f"    apikey: {GENERIC_TOKEN}\n    api_key_env: MOONSHOT_API_KEY\n"), ["KC301"]),
        (config(f"    api_key_env: {KEY}\n"), ["KC302"]),
        (config(f"    api_key_env: {GENERIC_TOKEN}\n"), ["KC302"]),
        (config(f"    api_key_file: {KEY}\n"), ["KC302"]),
        (config(f"    api_key_env: MOONSHOT_API_KEY  # {KEY}\n"), ["KC306"]),
        (config(f"    api_key_env: MOONSHOT_API_KEY\n    # old: {GENERIC_TOKEN} {KEY}\n"), ["KC306"]),
        (config("    api_key_env: MOONSHOT_API_KEY\n").replace("https://", f"https://u:{GENERIC_TOKEN}@"), ["KC102"]),
        (config("    api_key_env: MOONSHOT_API_KEY\n").replace("/v1", f"/v1?key={GENERIC_TOKEN}"), ["KC102"]),
        # a provider with a schema error is still checked field by field: the pasted key is reported once
        (config(f"    api_key_env: {KEY}\n    timout: 10s\n"), ["KC302", "KC003"]),
        # and a provider that cannot be checked at all still has it reported, by the text scan
        (config(f"    api_key_env: {KEY}\n").replace("kind: moonshot", "kind: moonshoot"), ["KC004", "KC306"]),
    ],
)
def test_secrets_are_reported_once_and_never_echoed(text: str, rules: list[str]) -> None:
    findings = lint_text(text, "c.yaml").findings
    assert [f.rule for f in findings] == rules
    for finding in findings:
        for secret in (KEY, KEY[3:], GENERIC_TOKEN):
            assert secret not in finding.message
            assert secret not in finding.hint


def test_env_check_never_reads_the_variable_of_a_pasted_key() -> None:
    findings = lint_text(config(f"    api_key_env: {KEY}\n"), "c.yaml", check_env=True, environ={}).findings
    assert [f.rule for f in findings] == ["KC302"]


def test_the_secret_scan_counts_lines_like_yaml() -> None:
    text = config("    api_key_env: MOONSHOT_API_KEY\n").replace("\n", "\r\n") + f"# {KEY}\r\n"
    findings = lint_text(text, "c.yaml").findings
    assert [(f.line, f.column, f.end_column, f.rule) for f in findings] == [(8, 3, 3 + len(KEY), "KC306")]


def test_amounts_keep_their_decimals() -> None:
    text = config("    api_key_env: MOONSHOT_API_KEY\n    balance: {warn_below: 5.10001, critical_below: 5.10002}\n")
    [finding] = lint_text(text, "c.yaml").findings
    assert finding.message.startswith("warn_below 5.10001 is not above critical_below 5.10002:")
    assert Decimal("5.10001") < Decimal("5.10002")


def provider_text(base_url: str, models: str) -> str:
    return (
        "version: 1\nproviders:\n  - name: kimi-intl\n    kind: moonshot\n"
        f"    base_url: {base_url}\n    api_key_env: MOONSHOT_API_KEY\n    models: {models}\n"
    )


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        (provider_text(f'"https://api.moonshot.ai/{KEY}/Chat/Completions\\e[0m"', "[kimi-k2.6]"),
         ["KC106", "KC306"]),
        (provider_text(f'"http://{KEY}.example/v1"', "[kimi-k2.6]"), ["KC101", "KC603", "KC306"]),
        (provider_text(f"https://api.moonshot.ai/{KEY}/chat/completions", "[kimi-k2.6]"), ["KC103", "KC306"]),
        (provider_text("https://api.moonshot.ai/v1", f'["moonshotai/{KEY}\\a", "Kimi-K2.6\\e[0m"]'),
         ["KC201", "KC204", "KC306", "KC204"]),
        (provider_text("https://api.moonshot.ai/v1", f'["{KEY}", "{KEY}"]'), ["KC306", "KC205", "KC306"]),
    ],
)
def test_quoted_values_never_echo_a_key_or_a_control_character(text: str, rules: list[str]) -> None:
    findings = lint_text(text, "c.yaml").findings
    assert [f.rule for f in findings] == rules
    for finding in findings:
        assert finding.message.isprintable() and finding.hint.isprintable(), finding
        assert KEY[3:] not in finding.message + finding.hint
