"""The attributes of the models the simulator serves, read from the model catalog.

Context length, thinking and the request parameters the API fixes come from the catalog in use
(`kimicheck.providers.current_catalog`), so the simulator answers as the catalog says the real API does.
Image and video input are the simulator's own plausible values, not facts to check a real provider against.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from kimicheck.providers import Thinking, current_catalog, official_id_of

__all__ = ["DEFAULT_CONTEXT_LENGTH", "REASONING_TOKENS", "ModelInfo", "model_info"]

#: Tokens a reasoning model spends thinking before it answers: a cap at or below this gives `content: null`.
REASONING_TOKENS = 15

#: The `created` time every simulated model reports.
MODEL_CREATED = 1700000000

#: The context length of a model the catalog gives none for.
DEFAULT_CONTEXT_LENGTH = 131072

#: Models that take image and video input (a simulator value).
_MULTIMODAL = frozenset({"kimi-k2.6", "kimi-k2.5"})


@dataclass(frozen=True)
class ModelInfo:
    """What a model supports."""

    context_length: int = DEFAULT_CONTEXT_LENGTH
    image_in: bool = False
    video_in: bool = False
    reasoning: bool = False
    #: temperature is fixed at 1: other values get 400 `invalid_request_error`.
    fixed_temperature: bool = False
    #: whether the model thinks: always, only unless `thinking: {type: disabled}` (optional), never; None: unknown.
    thinking: Thinking | None = None
    #: request parameters the model fixes (`{"temperature": 1, "n": 1}`): another value gets 400
    fixed_params: Mapping[str, float | int] = field(default_factory=lambda: MappingProxyType({}))


def model_info(model_id: str) -> ModelInfo:
    """The attributes of a model id in any provider's spelling (defaults for ids the catalog lacks)."""
    found = current_catalog().find(model_id)
    if found is None:
        return ModelInfo()
    entry = found[1]
    fixed = MappingProxyType(dict(entry.fixed_params or {}))
    multimodal = official_id_of(model_id) in _MULTIMODAL
    return ModelInfo(
        context_length=entry.context_length or DEFAULT_CONTEXT_LENGTH,
        image_in=multimodal,
        video_in=multimodal,
        reasoning=entry.thinking in (Thinking.ALWAYS, Thinking.OPTIONAL),
        fixed_temperature="temperature" in fixed,
        thinking=entry.thinking,
        fixed_params=fixed,
    )
