"""Text from a provider made safe for one terminal line.

Error messages and model ids come from the network: an ESC sequence in them could clear the screen,
retitle the terminal or hide what follows. Everything that reaches a terminal from a provider passes here.
"""

from __future__ import annotations

import unicodedata

__all__ = ["one_line"]

_UNSAFE = {"Cc", "Cf", "Zl", "Zp"}


def one_line(text: str) -> str:
    """`text` with line breaks and tabs as spaces and other control or format characters as U+FFFD."""
    if text.isprintable():
        return text
    return "".join(
        " " if char in "\t\n\r" else "\ufffd" if unicodedata.category(char) in _UNSAFE else char for char in text
    )
