"""Simulated attributes of the models the simulator serves (context length, modalities, reasoning).

These are plausible values for a simulator's `/models` answer, not facts to check a real provider against.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from kimicheck.providers import official_id_of

__all__ = ["REASONING_TOKENS", "ModelInfo", "model_info"]

#: Tokens a reasoning model spends thinking before it answers: a cap at or below this gives `content: null`.
REASONING_TOKENS = 15

#: The `created` time every simulated model reports.
MODEL_CREATED = 1700000000


@dataclass(frozen=True)
class ModelInfo:
    """What a model supports."""

    context_length: int = 131072
    image_in: bool = False
    video_in: bool = False
    reasoning: bool = False
    #: temperature is fixed at 1: other values get 400 `invalid_request_error`.
    fixed_temperature: bool = False
    #: whether the model thinks: always, only unless `thinking: {type: disabled}` (optional), never; None: unknown.
    thinking: Literal["always", "optional", "never"] | None = None
    #: request parameters the model fixes: another value gets 400 `invalid_request_error`.
    fixed_params: Mapping[str, float | int] = field(default_factory=lambda: MappingProxyType({}))


#: kimi-* thinking models fix these (platform.kimi.ai/docs/api/models-overview, checked 2026-11).
_KIMI_THINKING_FIXED = MappingProxyType(
    {"temperature": 1, "top_p": 0.95, "n": 1, "presence_penalty": 0, "frequency_penalty": 0}
)
_MULTIMODAL_THINKING = ModelInfo(262144, image_in=True, video_in=True, reasoning=True, fixed_temperature=True,
                                 thinking="optional", fixed_params=_KIMI_THINKING_FIXED)
_THINKING = ModelInfo(262144, reasoning=True, thinking="always")
_NON_THINKING_K2 = ModelInfo(262144, thinking="never")

_CATALOG: dict[str, ModelInfo] = {
    "kimi-k2.6": _MULTIMODAL_THINKING,
    "kimi-k2.5": _MULTIMODAL_THINKING,
    "kimi-k2-thinking": _THINKING,
    "kimi-k2-thinking-turbo": _THINKING,
    "kimi-k2-0905-preview": _NON_THINKING_K2,
    "kimi-k2-turbo-preview": _NON_THINKING_K2,
    "moonshot-v1-8k": ModelInfo(8192, thinking="never"),
    "moonshot-v1-32k": ModelInfo(32768, thinking="never"),
    "moonshot-v1-128k": ModelInfo(131072, thinking="never"),
    "deepseek-reasoner": ModelInfo(131072, reasoning=True, thinking="always"),
}


def model_info(model_id: str) -> ModelInfo:
    """The attributes of a model id in any provider's spelling (defaults for unknown ids)."""
    return _CATALOG.get(official_id_of(model_id), ModelInfo())
