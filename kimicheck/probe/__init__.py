"""Live checks of a provider: `models`, `balance` and `chat`.

`run_probes` runs checks against a config's providers and returns `ProbeResult`s; `run_check` runs one
check with a client the caller owns (the scheduler of `kimicheck serve`). Reporters in `report` turn
results into the text table and the JSON document.
"""

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
from kimicheck.probe.runner import ALL_CHECKS, FREE_CHECKS, build_client, run_check, run_probes

__all__ = [
    "ALL_CHECKS",
    "FREE_CHECKS",
    "BalanceData",
    "BalanceLevel",
    "ChatData",
    "Check",
    "MissingModel",
    "ModelsData",
    "ProbeResult",
    "Reason",
    "build_client",
    "run_check",
    "run_probes",
]
