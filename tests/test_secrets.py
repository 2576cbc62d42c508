"""The one redactor: keys, URL passwords, bearer tokens and account ids masked in provider text."""

from __future__ import annotations

import pytest

from kimicheck.secrets import Secret, redact, redact_all

KEY = Secret("plain-gateway-key")


@pytest.mark.parametrize(("text", "shown"), [
    ("kimi-k2.6", "kimi-k2.6"),
    ("plain-gateway-key", "[REDACTED]"),
    ("sk-abcdefghijklmnopqrstuvwxyz", "sk-[REDACTED]"),
    ("see https://u:hunter2@host/v1", "see https://u:[REDACTED]@host/v1"),
    ("BEARER abc.def", "BEARER [REDACTED]"),
    ("org-abcd1234<ak-efgh5678>", "org-[REDACTED]<ak-[REDACTED]>"),
    ("Org-abcd1234 sk-short", "Org-abcd1234 sk-short"),
])
def test_redact(text: str, shown: str) -> None:
    assert redact(text, [KEY]) == shown


def test_redact_all_masks_each_text_as_redact_does() -> None:
    texts = ["kimi-k2.6", "plain-gateway-key", "bearer", "x", "model org-abcd1234", "sk-abcdefghijklmnopqrstuvwxyz"]
    assert redact_all(texts, [KEY]) == tuple(redact(text, [KEY]) for text in texts)
    assert redact_all(["kimi-k2.6", "bearer"], [KEY]) == ("kimi-k2.6", "bearer")
    assert redact_all([], [KEY]) == ()

