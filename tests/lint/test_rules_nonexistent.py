"""KC207 nonexistent-model-id: one finding per id that exists on no host, and none on real ids.

The spelling rules (KC201, KC202, KC203) would otherwise also report such an id, with a fix that names
the id that does not exist in the host's spelling; KC207 takes precedence and suggests the real id.
"""

from __future__ import annotations

import pytest

from kimicheck.lint.engine import lint_text
from kimicheck.providers import (
    ID_SPELLINGS,
    OFFICIAL_MODEL_IDS,
    IdForm,
    IdSpelling,
    nonexistent_match,
    to_id_form,
)

OFFICIAL = ("moonshot", "https://api.moonshot.ai/v1")
OPENROUTER = ("openrouter", "https://openrouter.ai/api/v1")
AIMLAPI = ("aimlapi", "https://api.aimlapi.com/v1")
HOSTS = {
    "official": OFFICIAL,
    "official-cn": ("moonshot", "https://api.moonshot.cn/v1"),
    "kimi-code": ("moonshot", "https://api.kimi.com/coding/v1"),
    "openrouter": OPENROUTER,
    "aimlapi": AIMLAPI,
    "openrouter-kind-on-loopback": ("openrouter", "http://127.0.0.1:8400/api/v1"),
    "siliconflow": ("openai-compatible", "https://api.siliconflow.cn/v1"),
    "together": ("openai-compatible", "https://api.together.xyz/v1"),
    "fireworks": ("openai-compatible", "https://api.fireworks.ai/inference/v1"),
}
#: the host's spelling of the id to use instead of kimi-k2.6-thinking
RIGHT = {
    "official": "kimi-k2.6",
    "official-cn": "kimi-k2.6",
    "kimi-code": "kimi-k2.6",
    "openrouter": "moonshotai/kimi-k2.6",
    "aimlapi": "moonshot/kimi-k2-6",
    "openrouter-kind-on-loopback": "moonshotai/kimi-k2.6",
    "siliconflow": "Pro/moonshotai/Kimi-K2.6",
    "together": "moonshotai/Kimi-K2.6",
    "fireworks": "accounts/fireworks/models/kimi-k2p6",
}
#: kimi-k2.6-thinking as each host (and a careless hand) writes it
SPELLINGS = (
    "kimi-k2.6-thinking",
    "kimi-k2-6-thinking",
    "moonshotai/kimi-k2.6-thinking",
    "moonshotai/kimi-k2-6-thinking",
    "moonshot/kimi-k2-6-thinking",
    "moonshot/kimi-k2.6-thinking",
    "Pro/moonshotai/Kimi-K2.6-Thinking",
    "moonshotai/Kimi-K2.6-Thinking",
    "accounts/fireworks/models/kimi-k2p6-thinking",
)


def config(host: tuple[str, str], *model_ids: str) -> str:
    kind, url = host
    listed = "".join(f"\n      - {m!r}" for m in model_ids)
    head = f"version: 1\nproviders:\n  - name: p\n    kind: {kind}\n    base_url: {url}\n"
    return f"{head}    api_key_env: TEST_API_KEY\n    models:{listed}\n"


def findings(text: str, **options: object) -> list[tuple[str, str]]:
    report = lint_text(text, "kimicheck.yaml", **options)  # type: ignore[arg-type]
    return [(f.rule, f.hint) for f in report.findings]


@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("written_id", SPELLINGS)
def test_every_spelling_on_every_host_gets_one_finding_with_the_hosts_right_id(host: str, written_id: str) -> None:
    assert findings(config(HOSTS[host], written_id)) == [("KC207", f"write {RIGHT[host]}")]


@pytest.mark.parametrize(
    ("host", "written_id", "right"),
    [
        (OPENROUTER, "moonshotai/kimi-k2.6-thinking:free", "moonshotai/kimi-k2.6:free"),
        (OFFICIAL, "moonshotai/kimi-k2.6-thinking:free", "kimi-k2.6"),
        (AIMLAPI, "kimi-k2.6-thinking:free", "moonshot/kimi-k2-6"),
    ],
)
def test_only_openrouter_keeps_a_variant(host: tuple[str, str], written_id: str, right: str) -> None:
    assert findings(config(host, written_id)) == [("KC207", f"write {right}")]


@pytest.mark.parametrize(
    "host",
    [
        ("openai-compatible", "https://llm.example.com/v1"),
        ("openai-compatible", "http://127.0.0.1:8000/v1"),
        ("deepseek", "https://api.deepseek.com"),
        ("openai-compatible", "https://api.groq.com/openai/v1"),
    ],
)
def test_hosts_whose_kimi_spelling_is_unknown_are_left_to_the_live_list(host: tuple[str, str]) -> None:
    assert findings(config(host, "kimi-k2.6-thinking")) == []


@pytest.mark.parametrize("host", [OFFICIAL, OPENROUTER, AIMLAPI], ids=["official", "openrouter", "aimlapi"])
def test_real_ids_in_the_hosts_spelling_are_never_reported(host: tuple[str, str]) -> None:
    form = {OFFICIAL: IdForm.OFFICIAL, OPENROUTER: IdForm.OPENROUTER, AIMLAPI: IdForm.AIMLAPI}[host]
    # every id, whatever its lifecycle (retired and deprecated ids are the lifecycle rules' business)
    lifecycle = ["retired-model-id", "deprecated-model-id"]
    assert findings(config(host, *(to_id_form(m, form) for m in OFFICIAL_MODEL_IDS)), ignore=lifecycle) == []


@pytest.mark.parametrize("spelling", ID_SPELLINGS, ids=lambda s: s.label)
def test_no_spelling_of_a_real_id_names_a_nonexistent_one(spelling: IdSpelling) -> None:
    assert [m for m in OFFICIAL_MODEL_IDS if nonexistent_match(spelling.spell(m)) is not None] == []
    assert [m for m in OFFICIAL_MODEL_IDS if nonexistent_match(m) is not None] == []


def test_a_real_id_spelled_for_another_host_is_still_the_spelling_rules_finding() -> None:
    assert findings(config(OFFICIAL, "moonshotai/kimi-k2-thinking")) == [("KC201", "write kimi-k2-thinking")]
    assert findings(config(OPENROUTER, "kimi-k2-thinking")) == [("KC203", "write moonshotai/kimi-k2-thinking")]


def test_ignoring_kc207_does_not_bring_back_the_spelling_rules_wrong_fix() -> None:
    text = config(OFFICIAL, "moonshotai/kimi-k2.6-thinking")
    assert findings(text, ignore=["KC207"]) == []
    assert findings(text, select=["KC201", "KC202", "KC203"]) == []


def test_lookalike_characters_and_the_nonexistent_id_get_one_fix() -> None:
    assert findings(config(OPENROUTER, "moonshotai/kimi\u2011k2.6-thinking")) == [
        ("KC204", "retype it as moonshotai/kimi-k2.6"),
        ("KC207", "write moonshotai/kimi-k2.6"),
    ]


def test_the_full_message_names_the_host_spelling_reason_and_fix() -> None:
    report = lint_text(config(OFFICIAL, "moonshotai/kimi-k2.6-thinking"), "kimicheck.yaml")
    [finding] = [f for f in report.findings if f.rule == "KC207"]
    assert (finding.line, finding.column, finding.severity.value) == (8, 9, "error")
    assert finding.message == (
        "model id moonshotai/kimi-k2.6-thinking is OpenRouter's spelling of kimi-k2.6-thinking, which does not "
        "exist on any host: thinking is a request parameter; on Moonshot international (api.moonshot.ai) use "
        "kimi-k2.6"
    )


@pytest.mark.parametrize(
    ("model_id", "match"),
    [
        ("kimi-k2.6-thinking", "kimi-k2.6-thinking"),
        ("KIMI-K2P6-THINKING:free", "kimi-k2.6-thinking"),
        ("Pro/moonshotai/Kimi-K2.6-Thinking", "kimi-k2.6-thinking"),
        ("kimi-k2-thinking", None),
        ("kimi-k2-thinking-turbo", None),
        ("kimi-k2.6", None),
        ("kimi-k2.6-thinking-turbo", None),
    ],
)
def test_nonexistent_match(model_id: str, match: str | None) -> None:
    assert nonexistent_match(model_id) == match
