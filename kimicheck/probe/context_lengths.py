"""Context lengths a `/models` answer states (Moonshot sends `context_length`), compared with the catalog. Pure.

What a provider sends is untrusted: only a whole number from 1 to `MAX_CONTEXT_LENGTH` is kept (a bool, a
float, text or anything larger is ignored, as if the provider had said nothing). A mismatch informs and never
fails the check: the live list is the authority, the catalog may be behind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kimicheck.probe.result import ContextMismatch
from kimicheck.providers import Catalog, Kind

__all__ = ["MAX_CONTEXT_LENGTH", "context_mismatches", "describe_mismatches", "parse_context_lengths"]

#: the largest context length believed (far beyond any model; keeps a hostile number out of outputs)
MAX_CONTEXT_LENGTH = 100_000_000


def _bounded(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 1 <= value <= MAX_CONTEXT_LENGTH else None


def parse_context_lengths(data: object) -> dict[str, int]:
    """listed id -> the `context_length` its `/models` item states, for the items that state a usable one."""
    items = data.get("data") if isinstance(data, dict) else data
    if not isinstance(items, list):
        return {}
    found: dict[str, int] = {}
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            length = _bounded(item.get("context_length"))
            if length is not None:
                found.setdefault(item["id"], length)
    return found


def context_mismatches(configured: Sequence[str], listed: Mapping[str, int], catalog: Catalog,
                       kind: Kind | None) -> tuple[ContextMismatch, ...]:
    """The configured ids whose listed context length differs from the catalog's (`kind`: `described_kind`)."""
    if kind is None:
        return ()
    found = []
    for model_id in dict.fromkeys(configured):
        entry = catalog.entry(kind, model_id)
        stated = listed.get(model_id)
        if entry is not None and entry.context_length is not None and stated is not None \
                and stated != entry.context_length:
            found.append(ContextMismatch(model_id, listed=stated, catalog=entry.context_length))
    return tuple(found)


def describe_mismatches(mismatches: Sequence[ContextMismatch], catalog: Catalog) -> str:
    """One sentence for the check's detail, or "" when there is no mismatch."""
    if not mismatches:
        return ""
    parts = ", ".join(f"{m.id} lists {m.listed}, the catalog says {m.catalog}" for m in mismatches)
    return f"context length differs from the catalog (as of {catalog.as_of}): {parts}"
