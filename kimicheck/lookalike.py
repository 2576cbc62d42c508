"""Look-alike and invisible characters in identifiers, and "did you mean" suggestions.

Model ids copied from web pages and chat apps carry U+2011 (non-breaking hyphen), full-width letters,
Cyrillic or Greek letters drawn like Latin ones, zero-width spaces or control characters: they look right
(or cannot be seen) and give a 404. The linter reports them; the probes normalise with the same table
before comparing a configured id with a provider's list.
"""

from __future__ import annotations

import bisect
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "CONFUSABLES",
    "FULL_SCAN_LIMIT",
    "OutOfTime",
    "Suggester",
    "Suspect",
    "closest",
    "describe_char",
    "find_suspects",
    "normalize_id",
]

_HYPHENS = {chr(c) for c in range(0x2010, 0x2016)} | {"\u2212", "\ufe58", "\ufe63", "\uff0d", "\u00ad"}
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e"}
#: Letters of other scripts drawn like a Latin letter, which NFKC does not fold (a Cyrillic `і` in `kimі`).
CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0445": "x", "\u0443": "y",
    "\u0456": "i", "\u0458": "j", "\u0455": "s", "\u0501": "d", "\u04cf": "l", "\u04bb": "h", "\u051b": "q",
    "\u051d": "w", "\u0410": "A", "\u0412": "B", "\u0415": "E", "\u041a": "K", "\u041c": "M", "\u041d": "H",
    "\u041e": "O", "\u0420": "P", "\u0421": "C", "\u0422": "T", "\u0425": "X", "\u0406": "I", "\u0408": "J",
    "\u0405": "S", "\u051a": "Q", "\u051c": "W", "\u04ae": "Y",
    # Greek
    "\u0391": "A", "\u0392": "B", "\u0395": "E", "\u0396": "Z", "\u0397": "H", "\u0399": "I", "\u039a": "K",
    "\u039c": "M", "\u039d": "N", "\u039f": "O", "\u03a1": "P", "\u03a4": "T", "\u03a5": "Y", "\u03a7": "X",
    "\u03bf": "o", "\u03bd": "v", "\u03b1": "a", "\u03c1": "p", "\u03b9": "i", "\u03c5": "u", "\u03ba": "k",
    # Latin letters outside ASCII that pass for ASCII ones
    "\u0131": "i",
}
#: Names of the C0 controls a YAML double-quoted string can carry (unicodedata has none for them).
_CONTROL_NAMES = {"\t": "CHARACTER TABULATION", "\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\x00": "NULL"}


def describe_char(char: str) -> str:
    """`U+2011 NON-BREAKING HYPHEN` style name of a character (control characters included)."""
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(char, "CONTROL CHARACTER")
    return f"U+{ord(char):04X} {name}"


@dataclass(frozen=True)
class Suspect:
    """One character of an id that is not what it looks like."""

    index: int
    char: str
    replacement: str  # "" when the character should simply be removed

    @property
    def description(self) -> str:
        """`U+2011 NON-BREAKING HYPHEN` style name of the character."""
        return describe_char(self.char)


def _replacement(char: str) -> str | None:
    if char in _HYPHENS:
        return "-"
    if char in _INVISIBLE:
        return ""
    if ord(char) < 128:
        return None if char.isprintable() else ""
    if char in CONFUSABLES:
        return CONFUSABLES[char]
    folded = unicodedata.normalize("NFKC", char)
    if folded != char and folded.isascii():
        return folded
    if unicodedata.category(char) in {"Zs", "Cf", "Cc"}:
        return ""
    return None


def find_suspects(text: str) -> list[Suspect]:
    """Every look-alike or invisible character in `text`, in order."""
    if text.isascii() and text.isprintable():
        return []
    found = []
    for index, char in enumerate(text):
        replacement = _replacement(char)
        if replacement is not None:
            found.append(Suspect(index, char, replacement))
    return found


def normalize_id(text: str) -> str:
    """`text` with look-alikes replaced by their ASCII twin, invisibles and controls removed, spaces stripped."""
    if text.isascii() and text.isprintable():
        return text.strip()
    out = []
    for char in text:
        replacement = _replacement(char)
        out.append(char if replacement is None else replacement)
    return "".join(out).strip()


#: Choice lists up to this long are scored in full; longer ones (a gateway's `/models` lists tens of
#: thousands of ids) are shortlisted first, so the work per lookup stays bounded.
FULL_SCAN_LIMIT = 2_000
#: choices taken on each side of the word in alphabetical order, and again in order of reversed spelling
_NEIGHBOURS = 48
#: how many choices are scored between two looks at the clock
_CLOCK_EVERY = 64


class OutOfTime(Exception):
    """The deadline given to a suggestion lookup passed before it finished."""


class Suggester:
    """Choices prepared once for many "did you mean" lookups.

    Up to `FULL_SCAN_LIMIT` choices, every one is scored. Beyond that, a lookup scores only the
    choices next to the word in alphabetical order (a slip late in the word) and in the order of
    reversed spellings (a slip early in it): a bounded shortlist in place of a pass over every pair.
    """

    def __init__(self, choices: Iterable[str]) -> None:
        self._choices = list(dict.fromkeys(choices))
        self._forward: list[tuple[str, str]] = []
        self._backward: list[tuple[str, str]] = []
        if len(self._choices) > FULL_SCAN_LIMIT:
            self._forward = sorted((choice.casefold(), choice) for choice in self._choices)
            self._backward = sorted((folded[::-1], choice) for folded, choice in self._forward)

    def closest(self, word: str, limit: int = 3, *, deadline: float | None = None) -> list[str]:
        """Up to `limit` choices that `word` is probably a misspelling of, best first.

        `deadline` is a `time.monotonic()` value; past it the lookup raises `OutOfTime`.
        """
        import difflib  # only a mistake needs a suggestion: a clean lint does not pay for this import

        target = normalize_id(word).casefold()
        candidates = self._shortlist(target) if self._forward else self._choices
        matcher = difflib.SequenceMatcher(b=target)
        scored = []
        for count, choice in enumerate(candidates):
            if deadline is not None and count % _CLOCK_EVERY == 0 and time.monotonic() > deadline:
                raise OutOfTime
            folded = choice.casefold()
            matcher.set_seq1(folded)
            # the quick ratios are upper bounds of ratio(): most choices are dismissed without it
            if matcher.real_quick_ratio() < 0.6 or matcher.quick_ratio() < 0.6:
                continue
            score = matcher.ratio()
            if score >= 0.6:
                prefix = next((i for i, (a, b) in enumerate(zip(folded, target, strict=False)) if a != b),
                              min(len(choice), len(target)))
                scored.append((score, prefix, choice))
        # equal scores: the longer common prefix wins ("KC03" -> KC003, not KC603), then the later
        # spelling ("kimi-k2.7" -> kimi-k2.6 before kimi-k2.5)
        scored.sort(key=lambda item: item[2], reverse=True)
        scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
        return [choice for _, _, choice in scored[:limit]]

    def _shortlist(self, target: str) -> list[str]:
        found: dict[str, None] = {}
        for ordered, key in ((self._forward, target), (self._backward, target[::-1])):
            at = bisect.bisect_left(ordered, (key, ""))
            found.update((choice, None) for _, choice in ordered[max(at - _NEIGHBOURS, 0): at + _NEIGHBOURS])
        return list(found)


def closest(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """Up to `limit` choices that `word` is probably a misspelling of, best first."""
    return Suggester(choices).closest(word, limit)
