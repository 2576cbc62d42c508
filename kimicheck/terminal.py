"""Text made safe for one terminal or log line: the one sanitiser every output uses.

Error messages, model ids and currencies come from the network: an ESC sequence in them could clear the
screen, retitle the terminal or hide what follows, and a line break could forge a line of output or a log
record. Everything that reaches a terminal or a log line from a provider passes here (after
`kimicheck.secrets.redact`, which masks keys).
"""

from __future__ import annotations

import unicodedata

__all__ = ["REPLACEMENT", "UNSAFE_CATEGORIES", "one_line", "visible"]

#: What an unsafe character is shown as.
REPLACEMENT = "\ufffd"
#: Control, format (zero-width, bidi overrides), line and paragraph separators, and lone surrogates (which no
#: UTF-8 stream can write).
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
_LINE_BREAKS = "\n\r"


def visible(char: str) -> str:
    """`char` as one terminal cell shows it: a tab as a space, an unsafe character as U+FFFD."""
    if char == "\t":
        return " "
    return REPLACEMENT if unicodedata.category(char) in UNSAFE_CATEGORIES else char


def one_line(text: str) -> str:
    """`text` with line breaks and tabs as spaces and other control or format characters as U+FFFD."""
    if text.isprintable():
        return text
    return "".join(" " if char in _LINE_BREAKS else visible(char) for char in text)
