"""JSON from the other side of the wire (a provider's answer, a client's request body), decoded safely.

The standard decoder recurses once per nesting level, so a body of 100,000 `[` ends in a RecursionError,
which is no `ValueError` and reads as a bug in whoever decoded it. Every decode of such JSON goes through
`decode_json`, which makes it one more malformed body.
"""

from __future__ import annotations

import json
from decimal import Decimal

__all__ = ["NestedTooDeeply", "decode_json"]


class NestedTooDeeply(ValueError):
    """JSON nested deeper than the decoder can follow."""


def decode_json(data: bytes | str, *, exact: bool = False) -> object:
    """`data` decoded; with `exact`, numbers with a fraction or exponent become exact `Decimal`s.

    Raises ValueError for anything that is not JSON: a syntax error, text that is not UTF-8, or
    `NestedTooDeeply`.
    """
    try:
        return json.loads(data, parse_float=Decimal if exact else None)
    except RecursionError:
        raise NestedTooDeeply("the JSON is nested too deeply") from None
