"""JSON text indented as `json.dumps(value, indent=2, ensure_ascii=False)` writes it, in bounded memory.

With `indent`, `json.dumps` runs the pure-Python encoder and keeps every small piece it writes (about
forty per finding) until the end: 450,000 findings took gigabytes for 200 MB of output. Here every
scalar goes through the C encoder and each container is joined as soon as it is complete, so the
pieces alive at once are about the size of the output.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

__all__ = ["dumps"]

_SCALAR = json.JSONEncoder(ensure_ascii=False).encode
_SCALAR_TYPES = (str, int, float, bool, type(None))


def dumps(value: object, level: int = 0) -> str:
    """`value` as indented JSON text, without a final newline.

    Dicts have string keys; lists, tuples and iterators are arrays (an iterator is consumed one item
    at a time, so a long array never exists as objects all at once).
    """
    if isinstance(value, _SCALAR_TYPES):
        return _SCALAR(value)
    pad = "  " * (level + 1)
    if isinstance(value, dict) and value:
        items = ",\n".join(f"{pad}{_SCALAR(str(key))}: {dumps(item, level + 1)}" for key, item in value.items())
        return f"{{\n{items}\n{pad[:-2]}}}"
    if isinstance(value, list | tuple | Iterator):
        # an item is never "" (the shortest are `""`, `[]` and `{}`), so no items means an empty array
        items = ",\n".join(f"{pad}{dumps(item, level + 1)}" for item in value)
        return f"[\n{items}\n{pad[:-2]}]" if items else "[]"
    return _SCALAR(value)
