"""What every host's spelling of one model id shares: the key model ids are matched by."""

from __future__ import annotations

import re

__all__ = ["model_id_key"]

#: any host's spelling of a Kimi version: k2.6, k2-6 (AIMLAPI), k2p6 (Fireworks); not a date such as k2-0905
_ANY_VERSION = re.compile(r"\bk(\d+)[-p.](\d)(?=$|-)")


def model_id_key(model_id: str) -> str:
    """What every host's spelling of one model shares (`Pro/moonshotai/Kimi-K2.6`, `kimi-k2p6:free` -> `kimi-k2.6`).

    Case is folded, vendor prefixes and a `:variant` suffix dropped, the version written with a dot.
    """
    name = model_id.casefold().rsplit("/", 1)[-1].split(":", 1)[0]
    return _ANY_VERSION.sub(r"k\1.\2", name)
