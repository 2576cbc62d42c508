"""The README's table of what each paid check costs per run follows the caps of probe/caps.py and the prompts
the probes send (counted as the simulator counts them)."""

import asyncio
import re
from pathlib import Path

from kimicheck.config.models import Config
from kimicheck.probe.caps import PLAIN_CAP, THINKING_CAP
from kimicheck.probe.result import ChatData, Check
from kimicheck.probe.runner import run_probes
from kimicheck.sim import RunningSimulator

from .helpers import FAST_RETRY

README = Path(__file__).parents[2] / "README.md"


def cost_rows() -> dict[str, tuple[int, str, str]]:
    rows = {}
    for line in README.read_text().splitlines():
        match = re.match(r"^\s*\| `(chat|stream|tools|json)` \| (\d+) \| (.+?) \| (.+?) \|$", line)
        if match:
            rows[match.group(1)] = (int(match.group(2)), match.group(3), match.group(4))
    return rows


def test_every_paid_check_has_its_cost_per_run() -> None:
    assert set(cost_rows()) == {"chat", "stream", "tools", "json"}


def test_quality_checks_cost_their_prompt_plus_the_cap() -> None:
    for check in ("stream", "tools", "json"):
        prompt, cap, most = cost_rows()[check]
        assert cap == f"{THINKING_CAP} / {PLAIN_CAP}", check
        assert most == f"{prompt + THINKING_CAP} / {prompt + PLAIN_CAP}", check


def test_the_prompt_tokens_are_what_the_simulator_counts(sim: RunningSimulator) -> None:
    entry = {"id": "kimi-k2.6", "chat": True, "stream": True, "tools": True, "json": True}
    config = Config.model_validate({"version": 1, "providers": [
        {"name": "sim", "kind": "moonshot", "base_url": sim.base_url, "api_key_env": "SIM_KEY", "models": [entry]},
    ]})
    checks = (Check.CHAT, Check.STREAM, Check.TOOLS, Check.JSON)
    results = asyncio.run(run_probes(config, checks=checks, environ={"SIM_KEY": "sk-sim-cost-0000000000000001"},
                                     timeout=5.0, retry=FAST_RETRY))
    measured = {r.check.value: r.data.prompt_tokens for r in results if isinstance(r.data, ChatData)}
    assert measured == {check: row[0] for check, row in cost_rows().items()}
