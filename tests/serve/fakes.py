"""A fake `run_check` and a config for scheduler and app tests without sockets."""

import asyncio
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import httpx

from kimicheck.config.models import Config, Provider
from kimicheck.metrics.exposition import config_digest
from kimicheck.probe.result import (
    BalanceData,
    BalanceLevel,
    ChatData,
    Check,
    ModelsData,
    ProbeResult,
    Reason,
)
from kimicheck.secrets import Secret
from kimicheck.serve.loading import UsableConfig


def config(budget: int = 2000, interval: str = "1h", providers: int = 1, key_env: str = "SIM_KEY",
           chat: bool = True, base_urls: list[str] | None = None, key_envs: list[str] | None = None) -> Config:
    """`providers` moonshot providers p0, p1, ...: all on one key and one host unless told otherwise."""
    return Config.model_validate(
        {
            "version": 1,
            "defaults": {
                "intervals": {"models": interval, "balance": interval, "chat": interval},
                "chat": {"daily_token_budget": budget},
            },
            "providers": [
                {
                    "name": f"p{i}",
                    "kind": "moonshot",
                    "base_url": base_urls[i] if base_urls else "http://127.0.0.1:9/v1",
                    "api_key_env": key_envs[i] if key_envs else key_env,
                    "models": ["kimi-k2.5", {"id": "kimi-k2.6", "chat": chat}],
                    "balance": {"warn_below": 10, "critical_below": 2},
                }
                for i in range(providers)
            ],
        }
    )


def loaded(cfg: Config) -> UsableConfig:
    return UsableConfig(config=cfg, sha256=config_digest(cfg.model_dump_json()), base_dir=Path())


class FakeProbes:
    """Answers every check at once (or after `delay`), counting calls and the most running at once."""

    def __init__(self, delay: float = 0.0, level: BalanceLevel = BalanceLevel.OK, tokens: int = 10,
                 chat_delay: float | None = None) -> None:
        self.delay = delay
        self.chat_delay = delay if chat_delay is None else chat_delay
        self.level = level
        self.tokens = tokens
        self.calls: Counter[tuple[str, Check]] = Counter()
        self.running: Counter[str] = Counter()
        self.most_running_per_provider = 0
        self.most_running = 0
        self.keys: list[Secret] = []

    async def __call__(
        self, client: httpx.AsyncClient, config: Config, provider: Provider, check: Check, key: Secret
    ) -> list[ProbeResult]:
        self.calls[(provider.name, check)] += 1
        self.keys.append(key)
        self.running[provider.name] += 1
        self.most_running_per_provider = max(self.most_running_per_provider, self.running[provider.name])
        self.most_running = max(self.most_running, sum(self.running.values()))
        try:
            await asyncio.sleep(self.chat_delay if check is Check.CHAT else self.delay)
        finally:
            self.running[provider.name] -= 1
        now = time.time()
        if check is Check.MODELS:
            data: object = ModelsData(2, {"kimi-k2.5": True, "kimi-k2.6": True})
            return [ProbeResult(provider.name, check, True, Reason.OK, self.delay, data=data, finished_at=now)]
        if check is Check.BALANCE:
            ok = self.level is not BalanceLevel.CRITICAL
            balance = BalanceData("USD", self.level, Decimal("40") if ok else Decimal("1"))
            reason = Reason.OK if ok else Reason.BALANCE_CRITICAL
            return [ProbeResult(provider.name, check, ok, reason, self.delay, data=balance, finished_at=now)]
        chat = ChatData(prompt_tokens=self.tokens // 2, completion_tokens=self.tokens - self.tokens // 2)
        return [ProbeResult(provider.name, check, True, Reason.OK, self.delay, model="kimi-k2.6", data=chat,
                            finished_at=now)]
