"""The completion cap of the paid probes for a model that sets none: by the model's thinking nature.

A thinking model spends tokens on its reasoning before it answers, so a cap that suits a plain model would end a
stream before its first answer token, or a tool call before its arguments. The one function here is where the
model catalog's `thinking` field is read (`optional` counts as thinking: such models think unless asked not
to, and the probes do not ask); a short list of id families stands in for a model the catalog does not know.
"""

from __future__ import annotations

from kimicheck.providers.catalog import Thinking, current_catalog

__all__ = ["PLAIN_CAP", "THINKING_CAP", "default_cap", "is_thinking"]

#: room for a short answer or one small tool call
PLAIN_CAP = 64
#: room to think first, then answer or call the tool
THINKING_CAP = 512

#: id families (after any gateway prefix, lower case) that think by default
_THINKING_FAMILIES = ("kimi-k2.5", "kimi-k2-5", "kimi-k2.6", "kimi-k2-6", "kimi-k2-thinking", "deepseek-reasoner")


def is_thinking(model_id: str) -> bool:
    """Whether `model_id` (in any host's spelling) names a model that thinks before it answers by default."""
    found = current_catalog().find(model_id)
    if found is not None and found[1].thinking is not None:
        return found[1].thinking is not Thinking.NEVER
    bare = model_id.rsplit("/", 1)[-1].strip().lower()
    return bare.startswith(_THINKING_FAMILIES) or "thinking" in bare


def default_cap(model_id: str) -> int:
    """The completion cap of the stream, tools and json probes of `model_id` when the config sets none."""
    return THINKING_CAP if is_thinking(model_id) else PLAIN_CAP
