"""Look-alike and invisible characters in identifiers, and "did you mean" suggestions.

Model ids copied from web pages and chat apps carry U+2011 (non-breaking hyphen), full-width letters or
zero-width spaces that look right and give a 404. The linter reports them; the probes normalise with the
same table before comparing a configured id with a provider's list.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Suspect", "closest", "find_suspects", "normalize_id"]

_HYPHENS = {chr(c) for c in range(0x2010, 0x2016)} | {"\u2212", "\ufe58", "\ufe63", "\uff0d", "\u00ad"}
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e"}


@dataclass(frozen=True)
class Suspect:
    """One character of an id that is not what it looks like."""

    index: int
    char: str
    replacement: str  # "" when the character should simply be removed

    @property
    def description(self) -> str:
        """`U+2011 NON-BREAKING HYPHEN` style name of the character."""
        name = unicodedata.name(self.char, "UNNAMED CHARACTER")
        return f"U+{ord(self.char):04X} {name}"


def _replacement(char: str) -> str | None:
    if char in _HYPHENS:
        return "-"
    if char in _INVISIBLE:
        return ""
    if ord(char) < 128:
        return None
    folded = unicodedata.normalize("NFKC", char)
    if folded != char and folded.isascii():
        return folded
    if unicodedata.category(char) in {"Zs", "Cf", "Cc"}:
        return ""
    return None


def find_suspects(text: str) -> list[Suspect]:
    """Every look-alike or invisible character in `text`, in order."""
    if text.isascii():
        return []
    found = []
    for index, char in enumerate(text):
        replacement = _replacement(char)
        if replacement is not None:
            found.append(Suspect(index, char, replacement))
    return found


def normalize_id(text: str) -> str:
    """`text` with look-alikes replaced by their ASCII twin, invisibles removed and spaces stripped."""
    if text.isascii():
        return text.strip()
    out = []
    for char in text:
        replacement = _replacement(char)
        out.append(char if replacement is None else replacement)
    return "".join(out).strip()


def closest(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """Up to `limit` choices that `word` is probably a misspelling of, best first."""
    target = normalize_id(word).casefold()
    matcher = difflib.SequenceMatcher(b=target)
    scored = []
    for choice in dict.fromkeys(choices):
        matcher.set_seq1(choice.casefold())
        score = matcher.ratio()
        if score >= 0.6:
            prefix = next((i for i, (a, b) in enumerate(zip(choice.casefold(), target, strict=False)) if a != b),
                          min(len(choice), len(target)))
            scored.append((score, prefix, choice))
    # equal scores: the longer common prefix wins ("KC03" -> KC003, not KC603), then the later
    # spelling ("kimi-k2.7" -> kimi-k2.6 before kimi-k2.5)
    scored.sort(key=lambda item: item[2], reverse=True)
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [choice for _, _, choice in scored[:limit]]
