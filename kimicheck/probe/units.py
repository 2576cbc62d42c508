"""What a run of checks is made of, and how each piece becomes a `ProbeResult`.

A unit is one check of one provider, and for `chat` one model: the unit the limits count, the deadline
bounds and a result reports. Every text a provider sent (the detail, listed model ids, suggestions, the
currency) is passed through `secrets.redact` (with the provider's key when there is one) here, before a
result exists: a provider that echoes the key, even as a model id, cannot get it into any output.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Sequence

from kimicheck.config.models import ModelEntry, Provider
from kimicheck.probe.batch_result import BatchData
from kimicheck.probe.result import BalanceData, ChatData, Check, ModelsData, ProbeResult, RateLimits, Reason
from kimicheck.probe.session import Outcome
from kimicheck.secrets import KeyUnavailable, Secret, redact, redact_all

__all__ = ["ALL_CHECKS", "FREE_CHECKS", "PAID_CHECKS", "Unit", "key_failures", "result_of", "units_of"]

ALL_CHECKS: tuple[Check, ...] = (
    Check.MODELS, Check.BALANCE, Check.CHAT, Check.STREAM, Check.TOOLS, Check.JSON, Check.BATCH,
)
#: The checks that cost nothing: the pre-deploy mode.
FREE_CHECKS: tuple[Check, ...] = (Check.MODELS, Check.BALANCE, Check.BATCH)
#: The checks that send a completion, one unit per model configured for them (`ModelEntry.wants`).
PAID_CHECKS: tuple[Check, ...] = (Check.CHAT, Check.STREAM, Check.TOOLS, Check.JSON)

#: A check, and the model it is about (chat) or None (the checks of a whole provider).
Unit = tuple[Check, ModelEntry | None]


def units_of(provider: Provider, checks: Iterable[Check]) -> list[Unit]:
    """The units of work of one provider, in output order (a paid check: one per model configured for it)."""
    wanted = set(checks)
    units: list[Unit] = []
    for check in ALL_CHECKS:
        if check not in wanted:
            continue
        if check in PAID_CHECKS:
            units.extend((check, model) for model in provider.model_entries() if model.wants(check))
        elif check is Check.BATCH:  # opt-in per provider
            units.extend([(check, None)] if provider.batch is not False else [])
        else:
            units.append((check, None))
    return units


def _redacted(data: ModelsData | BalanceData | ChatData | BatchData | None,
              secrets: list[Secret]) -> ModelsData | BalanceData | ChatData | BatchData | None:
    """`data` with every text the provider sent redacted (configured ids are the user's and stay)."""
    if isinstance(data, ModelsData):
        missing = tuple(dataclasses.replace(m, suggestions=redact_all(m.suggestions, secrets)) for m in data.missing)
        return dataclasses.replace(data, listed=redact_all(data.listed, secrets), missing=missing)
    if isinstance(data, BalanceData) and data.currency is not None:
        return dataclasses.replace(data, currency=redact(data.currency, secrets))
    if isinstance(data, BatchData):
        return data.redacted(lambda text: redact(text, secrets))
    return data


def result_of(provider: Provider, unit: Unit, outcome: Outcome, duration: float, key: Secret | None,
              finished_at: float, *, ratelimit: RateLimits | None = None,
              other_secrets: Sequence[Secret] = ()) -> ProbeResult:
    """The result of `unit`, its detail and data redacted (of `key` and `other_secrets`, e.g. a
    management key)."""
    check, model = unit
    secrets = [*([key] if key is not None else []), *other_secrets]
    return ProbeResult(
        provider=provider.name,
        check=check,
        ok=outcome.ok,
        reason=outcome.reason,
        duration_seconds=duration,
        detail=redact(outcome.detail, secrets),
        model=model.id if model is not None else None,
        status_code=outcome.status_code,
        data=_redacted(outcome.data, secrets),
        finished_at=finished_at,
        ratelimit=ratelimit,
    )


def key_failures(provider: Provider, checks: Iterable[Check], problem: KeyUnavailable,
                 now: float | None = None) -> list[ProbeResult]:
    """The results of `checks` of a provider whose key cannot be read: `auth_failed`, nothing sent."""
    outcome = Outcome(False, Reason.AUTH_FAILED, f"cannot read the key: {problem}")
    finished_at = time.time() if now is None else now
    return [result_of(provider, unit, outcome, 0.0, None, finished_at) for unit in units_of(provider, checks)]
