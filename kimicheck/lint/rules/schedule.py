"""KC5xx: intervals and timeouts of `kimicheck serve`: paid checks too often, timeouts too long."""

from __future__ import annotations

from collections.abc import Iterator

from kimicheck.config.document import DocPath
from kimicheck.config.models import Config, Provider
from kimicheck.durations import format_duration
from kimicheck.lint.finding import Severity
from kimicheck.lint.rule import LintContext, Problem, Rule
from kimicheck.lint.rules._common import provider_path, written

__all__ = ["MIN_CHAT_INTERVAL", "RULES"]

#: Below this, a chat probe costs real money every day for no better signal.
MIN_CHAT_INTERVAL = 300.0
_DAY = 86400.0
_CHECKS = ("models", "balance", "chat")
#: The checks that send a billed completion, each with its own interval.
_PAID_CHECKS = ("chat", "stream", "tools", "json")

_TEMPLATE = """\
version: 1
defaults:
  timeout: {timeout}
providers:
  - name: kimi-intl
    kind: moonshot
    base_url: https://api.moonshot.ai/v1
    api_key_env: MOONSHOT_API_KEY
    models:
      - {{id: kimi-k2.6, chat: true}}
    intervals: {{chat: {chat}}}
"""


def _config(ctx: LintContext) -> Config:
    """A Config over the validated parts, for its `effective_*` arithmetic (no validation needed)."""
    return Config.model_construct(version=1, defaults=ctx.defaults, providers=[p for _, p in ctx.providers])


def _interval_source(index: int, provider: Provider, check: str) -> DocPath:
    """Where the interval a provider uses for `check` is written."""
    attribute = "json_mode" if check == "json" else check  # `json` is a pydantic model's own name
    if provider.intervals is not None and getattr(provider.intervals, attribute) is not None:
        return provider_path(index, "intervals", check)
    return ("defaults", "intervals", check)


def _per_day(interval: float, models: int = 1) -> str:
    """How many requests per day `models` models make at `interval`: "1440", "about 12342"."""
    count = _DAY / interval * models
    return f"{count:.0f}" if count.is_integer() else f"about {int(count)}"


def check_chat_interval(ctx: LintContext) -> Iterator[Problem]:
    """A paid check (chat, stream, tools, json) more often than every 5 minutes, with the requests per day it makes."""
    config = _config(ctx)
    for check in _PAID_CHECKS:
        paid_models: dict[DocPath, int] = {}
        intervals: dict[DocPath, float] = {}
        for index, provider in ctx.providers:
            models = sum(1 for entry in provider.model_entries() if entry.wants(check))
            interval = config.effective_interval(provider, check)
            if models and interval < MIN_CHAT_INTERVAL:
                source = _interval_source(index, provider, check)
                paid_models[source] = paid_models.get(source, 0) + models
                intervals[source] = interval
        for source, models in paid_models.items():
            interval = intervals[source]
            each = f" ({_per_day(interval)} for each of {models} {check} models)" if models > 1 else ""
            yield Problem(
                f"{check} interval {format_duration(interval)} makes {_per_day(interval, models)} paid {check} "
                f"requests per day{each}",
                where=source,
                hint=f"use {format_duration(MIN_CHAT_INTERVAL)} or more ({_per_day(MIN_CHAT_INTERVAL)} requests "
                "per model per day); the free models check already runs often",
            )


def check_timeout_vs_interval(ctx: LintContext) -> Iterator[Problem]:
    """A timeout as long as an interval: a slow check would still run when the next one is due."""
    config = _config(ctx)
    worst: dict[DocPath, tuple[float, float, str]] = {}
    for index, provider in ctx.providers:
        timeout = config.effective_timeout(provider)
        for check in _CHECKS:
            interval = config.effective_interval(provider, check)
            if timeout < interval:
                continue
            if provider.timeout is not None:
                where = provider_path(index, "timeout")
            elif written(ctx.document.data, ("defaults", "timeout")):
                where = ("defaults", "timeout")
            else:
                where = _interval_source(index, provider, check)
            if where not in worst or interval < worst[where][1]:
                worst[where] = (timeout, interval, check)
    for where, (timeout, interval, check) in worst.items():
        yield Problem(
            f"timeout {format_duration(timeout)} is not shorter than the {check} interval "
            f"{format_duration(interval)}: a slow check would still be waiting when the next one is due",
            where=where,
            hint="make the timeout shorter than every interval (10s is the default), or the interval longer",
        )


CHAT_INTERVAL = Rule(
    id="KC501",
    name="chat-interval-too-short",
    severity=Severity.WARNING,
    summary="a paid check (chat, stream, tools, json) more often than every 5 minutes",
    doc="A model with `chat: true` gets a real, billed chat completion at every chat interval, and so does one "
    "with `stream`, `tools` or `json` at that check's interval. Every "
    "minute is 1440 requests per model per day, each paid and each counted against the account's rate "
    "limit, while the free `models` and `balance` checks already catch most outages. The message says "
    "how many paid requests per day the interval makes. Fix: 5 minutes or more (the default is 1h).",
    fail_example=_TEMPLATE.format(timeout="10s", chat="1m"),
    pass_example=_TEMPLATE.format(timeout="10s", chat="1h"),
    check=check_chat_interval,
)
TIMEOUT_VS_INTERVAL = Rule(
    id="KC502",
    name="timeout-not-below-interval",
    severity=Severity.WARNING,
    summary="a timeout as long as or longer than a check interval",
    doc="`kimicheck serve` starts each check every interval; a request may take up to the timeout. A "
    "timeout that is not shorter than the interval lets slow checks pile up on a struggling provider. "
    "Fix: make the timeout shorter than every interval that applies to the provider.",
    fail_example=_TEMPLATE.format(timeout="10m", chat="1h"),
    pass_example=_TEMPLATE.format(timeout="10s", chat="1h"),
    check=check_timeout_vs_interval,
)

RULES: tuple[Rule, ...] = (CHAT_INTERVAL, TIMEOUT_VS_INTERVAL)
