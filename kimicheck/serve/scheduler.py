"""The scheduler of `kimicheck serve`: each (provider, check) on its own interval, never on a scrape.

Every check runs in its own task: a first run at start-up (spread over a second), then every configured
interval with +/-10% jitter, so many providers do not fire in lockstep. A task runs one check at a time
(single-flight), the checks of one account never overlap (a Tier0 account allows one concurrent request;
config entries sharing a key on one host are one account), and a global limit bounds the whole. Chat
runs wait for the provider's first balance and go through the budget guard. A reload restarts only the
checks whose settings changed. The probe itself is an injected callable with the signature of
`kimicheck.probe.runner.run_check`.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import httpx

from kimicheck.config.models import ChatSettings, Config, Provider
from kimicheck.metrics.snapshot import CheckKey, record_run, record_skip, with_config
from kimicheck.probe.accounts import account_of
from kimicheck.probe.exchange import recording
from kimicheck.probe.limits import DEFAULT_CONCURRENCY, AccountLimiter
from kimicheck.probe.result import BalanceData, Check, ProbeResult
from kimicheck.probe.runner import ManagementKey, read_management_key
from kimicheck.probe.units import PAID_CHECKS, key_failures
from kimicheck.secrets import KeyUnavailable, Secret, read_key
from kimicheck.serve.budget import ChatSpend, add_spend, chat_guard, chat_run_cost, unanswered_chat_cost
from kimicheck.serve.history import CellState, Mark, mark_of
from kimicheck.serve.loading import UsableConfig
from kimicheck.serve.state import ServeState

__all__ = ["RunCheck", "Scheduler", "scheduled_checks"]

log = logging.getLogger("kimicheck.serve")

class RunCheck(Protocol):
    """What runs one check: `kimicheck.probe.runner.run_check`'s signature (the management key is passed
    only to a balance check of a provider that names one)."""

    def __call__(self, client: httpx.AsyncClient, config: Config, provider: Provider, check: Check, key: Secret, /,
                 *, management_key: ManagementKey = None) -> Awaitable[list[ProbeResult]]: ...

JITTER = 0.1
FIRST_ROUND_SPREAD_SECONDS = 1.0


def scheduled_checks(provider: Provider) -> list[Check]:
    """The checks `serve` runs for `provider`: models and balance always, a paid one when a model asks for it,
    batch when the provider turns it on."""
    checks = [Check.MODELS, Check.BALANCE]
    checks += [check for check in PAID_CHECKS if any(m.wants(check) for m in provider.model_entries())]
    if provider.batch is not False:
        checks.append(Check.BATCH)
    return checks


@dataclass(frozen=True)
class _Settings:
    """Everything a check's task depends on: a reload restarts the task only when this changed."""

    provider: Provider
    timeout: float
    interval: float
    chat: ChatSettings | None
    base_dir: Path

    @classmethod
    def of(cls, loaded: UsableConfig, provider: Provider, check: Check) -> _Settings:
        config = loaded.config
        chat = config.effective_chat(provider) if check in PAID_CHECKS else None
        return cls(provider, config.effective_timeout(provider), config.effective_interval(provider, check.value),
                   chat, loaded.base_dir)


@dataclass(frozen=True)
class _Running:
    settings: _Settings
    task: asyncio.Task[None]


class Scheduler:
    """Runs the checks of the config in `state.loaded` and records every outcome in `state.snapshot`."""

    def __init__(
        self,
        state: ServeState,
        client: httpx.AsyncClient,
        run_check: RunCheck,
        *,
        environ: Mapping[str, str],
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        first_round_spread: float = FIRST_ROUND_SPREAD_SECONDS,
    ) -> None:
        self._state = state
        self._first_round_spread = first_round_spread
        self._client = client
        self._run_check = run_check
        self._environ = environ
        self._clock = clock
        self._rng = rng or random.Random()  # noqa: S311 (jitter, not secrecy)
        self._limits = AccountLimiter(concurrency=concurrency)
        self._tasks: dict[CheckKey, _Running] = {}
        self._waiting: set[CheckKey] = set()
        self._balance_seen: dict[str, asyncio.Event] = {}
        self._spend: dict[str, ChatSpend] = state.spend
        #: set by `stop`: a reload that finishes after it must not start anything again
        self._stopped = False

    def start(self) -> None:
        """Start a task per scheduled check; a check that already ran waits out the rest of its interval."""
        self._start_missing(self._state.loaded)
        self._mark_ready_if_done()

    async def stop(self) -> None:
        """Cancel every task, in-flight probes included, and wait until they are gone."""
        self._stopped = True
        await self._cancel(list(self._tasks))

    async def reschedule(self, loaded: UsableConfig) -> None:
        """Switch to a newly loaded config, touching only the checks whose settings changed.

        A check whose settings are the same keeps its task: a run in flight goes on and the next one keeps
        its time, so reloading an unchanged config costs the providers nothing. Checks that are new start,
        checks that are gone stop, and changed ones restart (after the rest of their new interval).
        """
        wanted = {
            (provider.name, check): _Settings.of(loaded, provider, check)
            for provider in loaded.config.providers
            for check in scheduled_checks(provider)
        }
        await self._cancel([key for key, task in self._tasks.items() if wanted.get(key) != task.settings])
        self._state.exchanges.keep_only(wanted)
        names = {p.name for p in loaded.config.providers}
        self._waiting &= wanted.keys()
        for gone in [name for name in self._spend if name not in names]:
            del self._spend[gone]
        self._state.loaded = loaded
        self._state.snapshot = with_config(self._state.snapshot, loaded.config, loaded.sha256)
        self._start_missing(loaded)
        self._mark_ready_if_done()

    def _start_missing(self, loaded: UsableConfig) -> None:
        if self._stopped:
            return
        now = self._clock()
        for provider in loaded.config.providers:
            seen = self._balance_seen.setdefault(provider.name, asyncio.Event())
            if (provider.name, Check.BALANCE) in self._state.snapshot.runs:
                seen.set()
            for check in scheduled_checks(provider):
                key = (provider.name, check)
                if key in self._tasks:
                    continue
                last = self._state.snapshot.last_run_at.get(key)
                if last is None:
                    delay = self._rng.uniform(0, self._first_round_spread)
                    if not self._state.ready:
                        self._waiting.add(key)
                else:
                    delay = max(0.0, last + loaded.config.effective_interval(provider, check.value) - now)
                task = asyncio.create_task(
                    self._loop(loaded, provider, check, delay), name=f"kimicheck {provider.name} {check}"
                )
                self._tasks[key] = _Running(_Settings.of(loaded, provider, check), task)

    async def _cancel(self, keys: list[CheckKey]) -> None:
        tasks = [self._tasks.pop(key).task for key in keys]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _mark_ready_if_done(self) -> None:
        if not self._waiting and not self._state.ready:
            self._state.ready = True
            log.info("first round of checks done: ready")

    def _jittered(self, interval: float) -> float:
        return interval * self._rng.uniform(1 - JITTER, 1 + JITTER)

    async def _loop(self, loaded: UsableConfig, provider: Provider, check: Check, delay: float) -> None:
        key = (provider.name, check)
        interval = loaded.config.effective_interval(provider, check.value)
        self._state.next_run_at[key] = self._clock() + delay
        await asyncio.sleep(delay)
        if check in PAID_CHECKS:
            await self._balance_seen[provider.name].wait()
        while True:
            try:
                await self._run_once(loaded, provider, check)
            except Exception as exc:  # run_check never raises by contract; a bug must not stop the schedule
                log.error("internal error in the %s check of %s: %s", check, provider.name, type(exc).__name__)
            self._waiting.discard(key)
            self._mark_ready_if_done()
            pause = self._jittered(interval)
            self._state.next_run_at[key] = self._clock() + pause
            await asyncio.sleep(pause)

    async def _run_once(self, loaded: UsableConfig, provider: Provider, check: Check) -> None:
        key = (provider.name, check)
        try:
            # a key file is a file read: off the event loop, as the config's
            secret: Secret | None = await asyncio.to_thread(read_key, provider.api_key_env, provider.api_key_file,
                                                            self._environ, loaded.base_dir)
        except KeyUnavailable as problem:
            secret, unreadable = None, problem
        async with self._limits.slot(account_of(provider.base_url, secret)):
            if check in PAID_CHECKS:  # one daily budget for every paid check of the provider
                reason = chat_guard(
                    spend=self._spend.get(provider.name),
                    budget=loaded.config.effective_chat(provider).daily_token_budget or 0,
                    balance=self._last_balance(provider.name),
                    now=self._clock(),
                )
                if reason is not None:
                    log.info("%s %s check skipped: %s", provider.name, check, reason, extra={
                        "provider": provider.name, "check": str(check), "reason": str(reason)})
                    self._state.snapshot = record_skip(self._state.snapshot, key, reason)
                    self._state.history.record(key, Mark(self._clock(), CellState.SKIPPED, str(reason)))
                    return
            if secret is None:
                results = key_failures(provider, [check], unreadable, self._clock())
            else:
                try:
                    results = await self._checked(loaded, provider, check, secret)
                except asyncio.CancelledError:
                    if check in PAID_CHECKS:  # sent and maybe billed, with no usage to say how much
                        cost = unanswered_chat_cost(loaded.config, provider, check)
                        self._spend[provider.name] = add_spend(self._spend.get(provider.name), cost, self._clock())
                    raise
        now = self._clock()
        self._state.snapshot = record_run(self._state.snapshot, key, results, now)
        self._state.history.record(key, mark_of(self._state.snapshot.last_run_at[key], results))
        for result in results:
            if not result.ok:
                label = f"{provider.name} {check}" + (f" {result.model}" if result.model else "")
                fields = {"provider": provider.name, "check": str(check), "model": result.model,
                          "reason": str(result.reason)}
                log.warning("%s failed: %s: %s", label, result.reason, result.detail, extra=fields)
        if check in PAID_CHECKS:
            cost = chat_run_cost(loaded.config, provider, results)
            self._spend[provider.name] = add_spend(self._spend.get(provider.name), cost, now)
        if check is Check.BALANCE:
            self._balance_seen[provider.name].set()

    async def _checked(self, loaded: UsableConfig, provider: Provider, check: Check,
                       secret: Secret) -> list[ProbeResult]:
        """One run of the check, its exchanges kept for the debug view; a balance check also gets the
        provider's management key if it names one."""
        with recording(self._state.exchanges.sink((provider.name, check))):
            if check is not Check.BALANCE or not provider.has_management_key:
                return await self._run_check(self._client, loaded.config, provider, check, secret)
            management_key = await asyncio.to_thread(read_management_key, provider, self._environ, loaded.base_dir)
            return await self._run_check(self._client, loaded.config, provider, check, secret,
                                         management_key=management_key)

    def _last_balance(self, provider: str) -> BalanceData | None:
        for result in self._state.snapshot.runs.get((provider, Check.BALANCE), ()):
            if isinstance(result.data, BalanceData):
                return result.data
        return None
