"""A config and a set of probe results that exercise every metric family."""

from decimal import Decimal

from kimicheck.config.models import Config
from kimicheck.probe.result import (
    BalanceData,
    BalanceLevel,
    ChatData,
    Check,
    MissingModel,
    ModelsData,
    ProbeResult,
    Reason,
)

SHA = "ab" * 32

CONFIG = Config.model_validate(
    {
        "version": 1,
        "providers": [
            {
                "name": "moonshot-intl",
                "kind": "moonshot",
                "base_url": "https://api.moonshot.ai/v1",
                "api_key_env": "MOONSHOT_API_KEY",
                "models": ["kimi-k2.5", {"id": "kimi-k2.6", "chat": True}],
                "balance": {"warn_below": 10, "critical_below": 2.5},
            },
            {
                "name": "openrouter",
                "kind": "openrouter",
                "base_url": "https://openrouter.ai/api/v1",
                "api_key_env": "OPENROUTER_API_KEY",
                "models": [{"id": "moonshotai/kimi-k2.6", "chat": True}],
            },
        ],
    }
)

RESULTS = (
    ProbeResult(
        "moonshot-intl", Check.MODELS, True, Reason.OK, 0.25, status_code=200,
        detail="3 models listed; all 2 configured ids present",
        data=ModelsData(
            3, {"kimi-k2.5": True, "kimi-k2.6": True}, listed=("kimi-k2.5", "kimi-k2.6", "moonshot-v1-8k")
        ),
        finished_at=1700000000.5,
    ),
    ProbeResult(
        "moonshot-intl", Check.BALANCE, True, Reason.OK, 0.125,
        data=BalanceData("USD", BalanceLevel.OK, Decimal("49.58894"), Decimal("46.58893"), Decimal("3.00001")),
        finished_at=1700000001.0,
    ),
    ProbeResult(
        "moonshot-intl", Check.CHAT, True, Reason.OK, 0.75, model="kimi-k2.6",
        data=ChatData(prompt_tokens=19, completion_tokens=16), finished_at=1700000002.0,
    ),
    ProbeResult(
        "openrouter", Check.MODELS, False, Reason.AUTH_FAILED, 0.5, status_code=401,
        detail="401 invalid key sk-test-0000000000000000000000", finished_at=1700000000.0,
    ),
    ProbeResult(
        "openrouter", Check.BALANCE, True, Reason.OK, 0.0625,
        data=BalanceData("USD", BalanceLevel.OK, None), finished_at=1700000000.0,
    ),
    ProbeResult(
        "openrouter", Check.CHAT, False, Reason.RATE_LIMITED, 1.5, model="moonshotai/kimi-k2.6",
        status_code=429, finished_at=1700000003.0,
    ),
)

#: what the models check of moonshot-intl returns once the provider stops listing kimi-k2.5
MODEL_GONE = ProbeResult(
    "moonshot-intl", Check.MODELS, False, Reason.MODEL_NOT_FOUND, 0.25, status_code=200,
    detail="kimi-k2.5 is not listed (did you mean kimi-k2.6?)",
    data=ModelsData(
        2, {"kimi-k2.5": False, "kimi-k2.6": True}, (MissingModel("kimi-k2.5", ("kimi-k2.6",)),),
        ("kimi-k2.6", "moonshot-v1-8k"),
    ),
    finished_at=1700000000.5,
)
