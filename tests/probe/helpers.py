"""Shared helpers of the probe tests: configs from dicts, a fast retry policy, one call to the runner."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from typing import Any

from kimicheck.config.models import Config
from kimicheck.probe.result import Check, ProbeResult
from kimicheck.probe.runner import run_probes
from kimicheck.probe.session import RetryPolicy

KEY = "sk-test-FAKEKEY000000000000000000000001"
MOONSHOT = "https://api.moonshot.ai/v1"
FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.001, max_delay=0.002)


def provider(name: str = "kimi", kind: str = "moonshot", base_url: str = MOONSHOT, **extra: Any) -> dict[str, Any]:
    """A provider entry whose key is read from KIMI_KEY."""
    return {"name": name, "kind": kind, "base_url": base_url, "api_key_env": "KIMI_KEY", **extra}


def config(*providers: dict[str, Any], **defaults: Any) -> Config:
    """A valid v1 config with `providers`."""
    return Config.model_validate({"version": 1, "defaults": defaults, "providers": list(providers)})


def probe(cfg: Config, checks: Iterable[Check] = (Check.MODELS,), *, environ: Mapping[str, str] | None = None,
          timeout: float | None = None, **kwargs: Any) -> list[ProbeResult]:
    """Run the runner synchronously with the fake key in the environment."""
    env = {"KIMI_KEY": KEY} if environ is None else environ
    return asyncio.run(run_probes(cfg, checks=checks, environ=env, timeout=timeout,
                                  retry=kwargs.pop("retry", FAST_RETRY), **kwargs))


def only(results: list[ProbeResult]) -> ProbeResult:
    """The single result of a run."""
    assert len(results) == 1, results
    return results[0]
