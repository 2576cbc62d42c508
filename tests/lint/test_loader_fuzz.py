"""Whatever the input (text, bytes, YAML-like token soup, a good config with damage), lint returns findings.

Never an exception, and every finding is well-formed: a known rule with its own severity, and a
position inside the file. The text reporter renders every report too (it quotes source lines).
"""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kimicheck.lint.engine import lint_bytes, lint_text
from kimicheck.lint.finding import FileReport
from kimicheck.lint.registry import find_rule
from kimicheck.lint.reporters import REPORTERS, render

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

GOOD = """\
version: 1
defaults: {timeout: 10s, intervals: {chat: 1h}}
providers:
  - name: kimi-intl
    kind: moonshot
    base_url: https://api.moonshot.ai/v1
    api_key_env: MOONSHOT_API_KEY
    models: [kimi-k2.6, {id: kimi-k3, chat: true}]
    balance: {warn_below: 20, critical_below: 5}
  - name: openrouter
    kind: openrouter
    base_url: https://openrouter.ai/api/v1
    api_key_file: /run/secrets/openrouter
    models: [moonshotai/kimi-k2.6]
"""

TOKENS = [
    "version: 1", "version:", "providers:", "defaults:", "- ", "  ", "    ", "\n", "\t", ": ", ":", ",",
    "{", "}", "[", "]", "&a ", "*a", "<<: *a", "!!python/object:os.system", "!!binary", "? ", "---", "...",
    "%YAML 1.1", "%TAG ! tag:x,2000:", "'", '"', "# kimicheck: disable=KC003", "# kimicheck: disable-file=",
    "yes", "no", "on", "1.5", "0x1F", "1e9", "~", "null", "-1", ".inf", "name: kimi", "kind: moonshot",
    "kind: openrouter", "base_url: http://", "https://api.moonshot.ai", "/v1/chat/completions", "models:",
    "kimi\u2011k2.6", "\u200b", "\ufeff", "\x00", "\u2028", "\r", "balance:", "warn_below: 5",
    "critical_below: 20", "currency: CNY", "api_key: ", "api_key_env: ", "sk-test-" + "x" * 30, "timeout: 0s",
    "intervals: {chat: 1s}", "|", ">-", "\\", "\U0001f600", "ｋ",
]


def _check(report: FileReport, path: str, source: str | bytes) -> None:
    assert report.path == path
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    lines = sum(text.count(c) for c in "\n\r\x85\u2028\u2029") + 2
    for finding in report.findings:
        rule = find_rule(finding.rule)
        assert rule is not None, finding
        assert (finding.name, finding.severity) == (rule.name, rule.severity)
        assert finding.path == path
        assert 1 <= finding.line <= lines, finding
        assert finding.column >= 1, finding
        assert (finding.end_line, finding.end_column) > (finding.line, finding.column), finding
        assert finding.message
    for fmt in REPORTERS:
        assert render(fmt, [report])


@FUZZ
@given(st.text(max_size=400))
def test_arbitrary_text(text: str) -> None:
    _check(lint_text(text, "fuzz.yaml"), "fuzz.yaml", text)


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data: bytes) -> None:
    _check(lint_bytes(data, "fuzz.yaml"), "fuzz.yaml", data)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=60))
def test_yaml_token_soup(tokens: list[str]) -> None:
    text = "".join(tokens)
    _check(lint_text(text, "soup.yaml"), "soup.yaml", text)
    data = text.encode("utf-8")
    _check(lint_bytes(data, "soup.yaml"), "soup.yaml", data)


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
    st.sampled_from(["moonshot", "openrouter", "https://api.moonshot.ai/v1", "kimi-k2.6", "5m", "sk-test-" + "y" * 24]),
)
_KEYS = st.one_of(
    st.sampled_from(["version", "providers", "defaults", "name", "kind", "base_url", "api_key_env", "api_key_file",
                     "models", "balance", "timeout", "intervals", "chat", "id", "warn_below", "critical_below"]),
    st.text(max_size=10),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=5)),
    max_leaves=25,
)


@FUZZ
@given(st.dictionaries(_KEYS, _VALUES, max_size=5))
def test_structured_documents(document: dict[str, object]) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    _check(lint_text(text, "doc.yaml"), "doc.yaml", text)


@FUZZ
@given(st.data())
def test_damaged_good_config(data: st.DataObject) -> None:
    text = GOOD
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 5))
        insert = data.draw(st.sampled_from(["", *TOKENS]))
        text = text[:at] + insert + text[at + cut:]
    _check(lint_text(text, "damaged.yaml"), "damaged.yaml", text)


def test_the_good_config_is_clean() -> None:
    assert lint_text(GOOD, "good.yaml").findings == ()
