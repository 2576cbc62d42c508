"""The one sanitiser: provider text as one terminal or log line."""

from __future__ import annotations

import pytest

from kimicheck.terminal import one_line, visible


@pytest.mark.parametrize(("text", "shown"), [
    ("kimi-k2.6", "kimi-k2.6"),
    ("USD\n\x1b[2J", "USD \ufffd[2J"),
    ("a\r\nb\tc", "a  b c"),
    ("\x1b]0;title\x07", "\ufffd]0;title\ufffd"),
    ("abc\u202edef", "abc\ufffddef"),  # a bidi override would reorder what follows on the line
    ("zero\u200bwidth\ufeff", "zero\ufffdwidth\ufffd"),
    ("line\u2028para\u2029", "line\ufffdpara\ufffd"),
    ("half\udcff", "half\ufffd"),  # no UTF-8 stream can write a lone surrogate
    ("\x85next", "\ufffdnext"),
    ("Kimi\u00a0K2 \u4e2d\u6587 \U0001f600", "Kimi\u00a0K2 \u4e2d\u6587 \U0001f600"),
])
def test_one_line(text: str, shown: str) -> None:
    assert one_line(text) == shown
    assert one_line(shown) == shown


def test_visible_is_one_cell_per_character() -> None:
    assert [visible(c) for c in "a\t\x1b\u200b\n"] == ["a", " ", "\ufffd", "\ufffd", "\ufffd"]
