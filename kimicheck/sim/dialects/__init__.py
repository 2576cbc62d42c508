"""Each provider's response shapes, one module per provider, in an explicit registry."""

from __future__ import annotations

from kimicheck.providers import Kind
from kimicheck.sim.dialects.aimlapi import AimlapiDialect
from kimicheck.sim.dialects.base import DEFAULT_ERROR_TYPES, Dialect, money
from kimicheck.sim.dialects.deepseek import DeepseekDialect
from kimicheck.sim.dialects.moonshot import MoonshotDialect
from kimicheck.sim.dialects.openrouter import OpenRouterDialect

__all__ = ["DEFAULT_ERROR_TYPES", "DIALECTS", "Dialect", "money"]

DIALECTS: dict[Kind, Dialect] = {
    Kind.MOONSHOT: MoonshotDialect(),
    Kind.OPENROUTER: OpenRouterDialect(),
    Kind.AIMLAPI: AimlapiDialect(),
    Kind.DEEPSEEK: DeepseekDialect(),
}
