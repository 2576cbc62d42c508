"""Run checks against providers: concurrency, deadlines, keys, and results as data.

Every check of every provider becomes one unit of work; units run concurrently under a global limit and a
per-account limit (1 by default, so a Tier0 Moonshot account at 1 concurrent request / 3 RPM is never
rate-limited by its own monitor). An account is a key at an origin, so providers that share a key share
its limit. A unit never raises: whatever happens becomes a `ProbeResult`, so one
provider's failure (or a bug in one prober) never affects another's result. Every detail is passed
through `secrets.redact` with the provider's key before it leaves this module.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from pathlib import Path

import httpx

from kimicheck.config.models import Config, ModelEntry, Provider
from kimicheck.errors import InputError
from kimicheck.lookalike import closest
from kimicheck.probe.accounts import AccountId, account_of
from kimicheck.probe.balance import probe_balance
from kimicheck.probe.chat import probe_chat
from kimicheck.probe.errors import ProbeError
from kimicheck.probe.http import DEFAULT_MAX_BODY_BYTES, build_client
from kimicheck.probe.models import probe_models
from kimicheck.probe.result import Check, ProbeResult, Reason
from kimicheck.probe.session import DEFAULT_RETRY, Outcome, ProbeSession, RetryPolicy
from kimicheck.secrets import KeyUnavailable, Secret, read_key, redact

__all__ = [
    "ALL_CHECKS",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_PER_ACCOUNT",
    "FREE_CHECKS",
    "build_client",
    "run_check",
    "run_probes",
    "select_providers",
]

log = logging.getLogger("kimicheck.probe")

DEFAULT_CONCURRENCY = 16
DEFAULT_PER_ACCOUNT = 1
ALL_CHECKS: tuple[Check, ...] = (Check.MODELS, Check.BALANCE, Check.CHAT)
#: The checks that cost nothing: the pre-deploy mode.
FREE_CHECKS: tuple[Check, ...] = (Check.MODELS, Check.BALANCE)

Prober = Callable[[ProbeSession, Config, Provider, ModelEntry | None], Awaitable[Outcome]]


async def _models(session: ProbeSession, config: Config, provider: Provider, model: ModelEntry | None) -> Outcome:
    return await probe_models(session, config, provider)


async def _balance(session: ProbeSession, config: Config, provider: Provider, model: ModelEntry | None) -> Outcome:
    return await probe_balance(session, config, provider)


async def _chat(session: ProbeSession, config: Config, provider: Provider, model: ModelEntry | None) -> Outcome:
    assert model is not None, "a chat unit always names its model"
    return await probe_chat(session, config, provider, model)


#: One prober per check.
PROBERS: dict[Check, Prober] = {Check.MODELS: _models, Check.BALANCE: _balance, Check.CHAT: _chat}


def _units(provider: Provider, checks: Iterable[Check]) -> list[tuple[Check, ModelEntry | None]]:
    """The units of work of one provider, in output order (chat: one per model with `chat: true`)."""
    wanted = set(checks)
    units: list[tuple[Check, ModelEntry | None]] = []
    for check in ALL_CHECKS:
        if check not in wanted:
            continue
        if check is Check.CHAT:
            units.extend((check, model) for model in provider.model_entries() if model.chat)
        else:
            units.append((check, None))
    return units


def _result(provider: Provider, check: Check, model: ModelEntry | None, outcome: Outcome,
            duration: float, key: Secret | None) -> ProbeResult:
    return ProbeResult(
        provider=provider.name,
        check=check,
        ok=outcome.ok,
        reason=outcome.reason,
        duration_seconds=duration,
        detail=redact(outcome.detail, [key] if key is not None else []),
        model=model.id if model is not None else None,
        status_code=outcome.status_code,
        data=outcome.data,
        finished_at=time.time(),
    )


async def _run_unit(client: httpx.AsyncClient, config: Config, provider: Provider, check: Check,
                    model: ModelEntry | None, key: Secret, timeout: float | None, retry: RetryPolicy,
                    max_body_bytes: int) -> ProbeResult:
    loop = asyncio.get_running_loop()
    started = loop.time()
    session = ProbeSession(
        client=client, key=key, kind=provider.kind,
        deadline=started + (timeout if timeout is not None else config.effective_timeout(provider)),
        retry=retry, max_body_bytes=max_body_bytes,
    )
    try:
        outcome = await PROBERS[check](session, config, provider, model)
    except ProbeError as exc:
        outcome = Outcome(False, exc.reason, exc.detail, exc.status_code)
    except Exception as exc:  # a bug in one prober must not take other providers down
        log.error("internal error in the %s check of %s: %s", check, provider.name, type(exc).__name__)
        outcome = Outcome(
            False, Reason.INVALID_RESPONSE,
            f"internal error in the {check} check ({type(exc).__name__}); this is a bug in kimicheck",
        )
    return _result(provider, check, model, outcome, loop.time() - started, key)


async def run_check(
    client: httpx.AsyncClient,
    config: Config,
    provider: Provider,
    check: Check,
    key: Secret,
    *,
    timeout: float | None = None,
    retry: RetryPolicy = DEFAULT_RETRY,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> list[ProbeResult]:
    """Run one check of one provider (chat: every model with `chat: true`, one after the other)."""
    return [
        await _run_unit(client, config, provider, unit_check, model, key, timeout, retry, max_body_bytes)
        for unit_check, model in _units(provider, [check])
    ]


def select_providers(config: Config, names: Sequence[str] | None) -> list[Provider]:
    """The providers named (all when `names` is empty/None), in config order; InputError for unknown names."""
    if not names:
        return list(config.providers)
    known = {p.name for p in config.providers}
    for name in names:
        if name not in known:
            hint = closest(name, known, limit=1)
            suggestion = f" (did you mean {hint[0]}?)" if hint else ""
            raise InputError(
                f"no provider named {name!r} in the config{suggestion}; it has: {', '.join(sorted(known))}"
            )
    wanted = set(names)
    return [p for p in config.providers if p.name in wanted]


def _key_failures(provider: Provider, checks: Iterable[Check], problem: KeyUnavailable) -> list[ProbeResult]:
    outcome = Outcome(False, Reason.AUTH_FAILED, f"cannot read the key: {problem}")
    return [_result(provider, check, model, outcome, 0.0, None) for check, model in _units(provider, checks)]


async def run_probes(
    config: Config,
    *,
    checks: Iterable[Check] = FREE_CHECKS,
    providers: Sequence[str] | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    timeout: float | None = None,
    environ: Mapping[str, str] | None = None,
    base_dir: Path | None = None,
    per_account: int = DEFAULT_PER_ACCOUNT,
    retry: RetryPolicy = DEFAULT_RETRY,
    client: httpx.AsyncClient | None = None,
) -> list[ProbeResult]:
    """Run `checks` against the selected providers; results in config order, then check, then model.

    At most `concurrency` checks run at once, and at most `per_account` on one account (one key at one
    origin, whichever providers share it). `timeout` overrides every provider's configured timeout;
    `client` is built (and closed) here when not given.
    """
    if concurrency < 1 or per_account < 1:
        raise InputError("concurrency limits must be at least 1")
    checks = tuple(checks)
    selected = select_providers(config, providers)
    if client is None:
        async with build_client(max_connections=concurrency) as own_client:
            return await run_probes(
                config, checks=checks, providers=providers, concurrency=concurrency, timeout=timeout,
                environ=environ, base_dir=base_dir, per_account=per_account, retry=retry, client=own_client,
            )
    overall = asyncio.Semaphore(concurrency)

    async def unit(provider: Provider, limit: asyncio.Semaphore, check: Check, model: ModelEntry | None,
                   key: Secret) -> list[ProbeResult]:
        async with limit, overall:
            return [await _run_unit(client, config, provider, check, model, key, timeout, retry,
                                    DEFAULT_MAX_BODY_BYTES)]

    async def ready(results: list[ProbeResult]) -> list[ProbeResult]:
        return results

    tasks: list[Awaitable[list[ProbeResult]]] = []
    account_limits: dict[AccountId, asyncio.Semaphore] = {}
    for provider in selected:
        try:
            key = read_key(provider.api_key_env, provider.api_key_file, environ, base_dir)
        except KeyUnavailable as problem:
            tasks.append(ready(_key_failures(provider, checks, problem)))
            continue
        limit = account_limits.setdefault(account_of(provider.base_url, key), asyncio.Semaphore(per_account))
        tasks.extend(unit(provider, limit, check, model, key) for check, model in _units(provider, checks))
    batches = await asyncio.gather(*tasks)
    return [result for batch in batches for result in batch]
