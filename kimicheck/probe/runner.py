"""Run checks against providers: concurrency, deadlines, keys, and results as data.

Every check of every provider becomes one unit of work (`units`); units run concurrently under a global
limit and a per-account limit (`limits`: 1 by default, so a Tier0 Moonshot account at 1 concurrent
request / 3 RPM is never rate-limited by its own monitor). An account is a key at an origin, so providers
that share a key share its limit. Each check has one prober in `PROBERS`, all with one signature; the
runner owns what they share (the deadline, the timing, the key). A unit never raises: whatever happens
becomes a `ProbeResult` with its detail redacted, so one provider's failure (or a bug in one prober)
never affects another's result.
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
from kimicheck.probe.batch import probe_batch
from kimicheck.probe.chat import probe_chat
from kimicheck.probe.errors import ProbeError
from kimicheck.probe.http import DEFAULT_MAX_BODY_BYTES, build_client
from kimicheck.probe.jsonmode import probe_json
from kimicheck.probe.limits import DEFAULT_CONCURRENCY, DEFAULT_PER_ACCOUNT, AccountLimiter
from kimicheck.probe.models import probe_models
from kimicheck.probe.result import Check, ProbeResult, Reason
from kimicheck.probe.session import DEFAULT_RETRY, Outcome, ProbeSession, RetryPolicy
from kimicheck.probe.stream import probe_stream
from kimicheck.probe.tools import probe_tools
from kimicheck.probe.units import ALL_CHECKS, FREE_CHECKS, Unit, key_failures, result_of, units_of
from kimicheck.secrets import KeyUnavailable, Secret, read_key

#: A management key, why it cannot be read, or None when the provider names none.
ManagementKey = Secret | KeyUnavailable | None

__all__ = [
    "ALL_CHECKS",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_PER_ACCOUNT",
    "FREE_CHECKS",
    "PROBERS",
    "ManagementKey",
    "Prober",
    "build_client",
    "read_management_key",
    "run_check",
    "run_probes",
    "select_providers",
]

log = logging.getLogger("kimicheck.probe")

#: What every prober is: given its session, the config, the provider and the model a chat unit is about
#: (None for the checks of a whole provider), what it found. The runner owns the rest: the deadline,
#: the timing, the key, redaction, and turning a ProbeError (or a bug) into a result.
Prober = Callable[[ProbeSession, Config, Provider, ModelEntry | None], Awaitable[Outcome]]

#: One prober per check.
PROBERS: dict[Check, Prober] = {
    Check.MODELS: probe_models,
    Check.BALANCE: probe_balance,
    Check.CHAT: probe_chat,
    Check.STREAM: probe_stream,
    Check.TOOLS: probe_tools,
    Check.JSON: probe_json,
    Check.BATCH: probe_batch,
}


def read_management_key(provider: Provider, environ: Mapping[str, str] | None,
                        base_dir: Path | None) -> ManagementKey:
    """The provider's management key, why it cannot be read, or None when none is configured."""
    if not provider.has_management_key:
        return None
    try:
        return read_key(provider.management_key_env, provider.management_key_file, environ, base_dir)
    except KeyUnavailable as problem:
        return problem


async def _run_unit(client: httpx.AsyncClient, config: Config, provider: Provider, unit: Unit, key: Secret,
                    timeout: float | None, retry: RetryPolicy, max_body_bytes: int,
                    management_key: ManagementKey = None) -> ProbeResult:
    check, model = unit
    loop = asyncio.get_running_loop()
    started = loop.time()
    session = ProbeSession(
        client=client, key=key, kind=provider.kind,
        deadline=started + (timeout if timeout is not None else config.effective_timeout(provider)),
        retry=retry, max_body_bytes=max_body_bytes,
        management_key=management_key if check is Check.BALANCE else None,
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
    other_secrets = [management_key] if isinstance(management_key, Secret) else []
    return result_of(provider, unit, outcome, loop.time() - started, key, time.time(),
                     ratelimit=session.ratelimits, other_secrets=other_secrets)


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
    management_key: ManagementKey = None,
) -> list[ProbeResult]:
    """Run one check of one provider (a paid check: every model configured for it, one after the other).

    `management_key` (see `read_management_key`) is used by the balance check only."""
    return [
        await _run_unit(client, config, provider, unit, key, timeout, retry, max_body_bytes, management_key)
        for unit in units_of(provider, [check])
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
        async with build_client(max_connections=concurrency, environ=environ) as own_client:
            return await run_probes(
                config, checks=checks, providers=providers, concurrency=concurrency, timeout=timeout,
                environ=environ, base_dir=base_dir, per_account=per_account, retry=retry, client=own_client,
            )
    limiter = AccountLimiter(concurrency=concurrency, per_account=per_account)

    async def limited(provider: Provider, account: AccountId, unit: Unit, key: Secret) -> list[ProbeResult]:
        management_key = read_management_key(provider, environ, base_dir) if unit[0] is Check.BALANCE else None
        async with limiter.slot(account):
            return [await _run_unit(client, config, provider, unit, key, timeout, retry, DEFAULT_MAX_BODY_BYTES,
                                    management_key)]

    async def ready(results: list[ProbeResult]) -> list[ProbeResult]:
        return results

    tasks: list[Awaitable[list[ProbeResult]]] = []
    for provider in selected:
        try:
            key = read_key(provider.api_key_env, provider.api_key_file, environ, base_dir)
        except KeyUnavailable as problem:
            tasks.append(ready(key_failures(provider, checks, problem)))
            continue
        account = account_of(provider.base_url, key)
        tasks.extend(limited(provider, account, unit, key) for unit in units_of(provider, checks))
    batches = await asyncio.gather(*tasks)
    return [result for batch in batches for result in batch]
