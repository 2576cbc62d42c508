"""Every lint rule, in one explicit list: families are added here, one line each."""

from __future__ import annotations

from kimicheck.lint.rule import Rule
from kimicheck.lint.rules import (
    balance,
    base_url,
    batch,
    credits,
    document,
    keys,
    models,
    providers,
    schedule,
    secrets,
)

__all__ = ["RULES", "RULES_BY_KEY", "find_rule"]

RULES: tuple[Rule, ...] = (
    *document.RULES,
    *base_url.RULES,
    *models.RULES,
    *keys.RULES,
    *secrets.RULES,
    *balance.RULES,
    *credits.RULES,
    *batch.RULES,
    *schedule.RULES,
    *providers.RULES,
)

#: rules by id ("KC003") and by name ("unknown-key")
RULES_BY_KEY: dict[str, Rule] = {**{r.id: r for r in RULES}, **{r.name: r for r in RULES}}


def find_rule(key: str) -> Rule | None:
    """The rule with this id or name (ids are case-insensitive), or None."""
    return RULES_BY_KEY.get(key) or RULES_BY_KEY.get(key.upper())
