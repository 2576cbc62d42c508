"""A key pasted into any field of a config never comes back in any output format."""

from __future__ import annotations

import pytest

from kimicheck.lint.engine import lint_text
from kimicheck.lint.reporters import REPORTERS, render

KEY = "sk-kimicheckCanary0123456789abcdefghijklmnop"
FIELDS = ["name", "kind", "base_url", "api_key_env", "api_key_file", "timeout", "models", "balance", "intervals",
          "chat", "unknown_field"]
TEMPLATE = {
    "name": "kimi-intl",
    "kind": "moonshot",
    "base_url": "https://api.moonshot.ai/v1",
    "api_key_env": "MOONSHOT_API_KEY",
    "models": "[kimi-k2.6]",
}
PLACES = {
    "base_url": [f"https://api.moonshot.ai/{KEY}/chat/completions", f"https://user:{KEY}@api.moonshot.ai/v1",
                 f"https://api.moonshot.ai/v1?key={KEY}"],
    "models": [f"[{KEY}]", f"[{{id: {KEY}, chat: true}}]", f"[{{id: kimi-k2.6, {KEY}: 1}}]"],
    "balance": [f"{{currency: {KEY}}}", f"{{warn_below: {KEY}}}"],
    "intervals": [f"{{chat: {KEY}}}"],
    "chat": [f"{{max_tokens: {KEY}}}"],
}


def configs() -> list[tuple[str, str]]:
    cases = []
    for field in FIELDS:
        for value in PLACES.get(field, [KEY]):
            provider = dict(TEMPLATE)
            provider.pop("api_key_env") if field == "api_key_file" else None
            provider[field] = value
            body = "\n".join(f"    {k}: {v}" for k, v in provider.items()).replace("    ", "  - ", 1)
            cases.append((f"{field}={value[:30]}", f"version: 1\nproviders:\n{body}\n"))
    cases.append(("comment", f"# {KEY}\n" + cases[0][1]))
    cases.append(("top-level", f"version: 1\n{KEY}: 1\nproviders: []\n"))
    return cases


@pytest.mark.parametrize(("case", "text"), configs(), ids=[c for c, _ in configs()])
@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_a_pasted_key_is_reported_but_never_echoed(case: str, text: str, fmt: str) -> None:
    report = lint_text(text, "kimicheck.yaml")
    assert report.findings, case
    output = render(fmt, [report], color=False)
    assert KEY[8:] not in output
    assert KEY[3:20] not in output
