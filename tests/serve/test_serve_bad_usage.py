"""Usage a provider reports that cannot be true is charged to the daily budget like no usage at all.

Usage below zero once lowered the spend (the provider was exempted from the budget while honest ones were
skipped) and made `kimicheck_chat_tokens_total` go backwards.
"""

import json
from pathlib import Path

import pytest

from kimicheck.sim import Endpoint, Fault, FaultKind, SimState, serve_in_thread
from tests.serve.process import KEY, serve, sim_config, value, wait_until

pytestmark = pytest.mark.slow

CHAT_PATH = "/v1/chat/completions"
#: a call without believable usage counts max_tokens 16 + 32 for the prompt: 48 spent, and 48 more would pass 90
BUDGET = 90


def answer(prompt_tokens: int, completion_tokens: int) -> Fault:
    body = {"id": "cmpl-1", "object": "chat.completion", "created": 1, "model": "kimi-k2.6",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "OK"}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens}}
    return Fault(kind=FaultKind.WRONG_SHAPE, endpoint=Endpoint.CHAT, body=json.dumps(body))


BAD_USAGE = {
    "negative": answer(-1_000_000, 1),
    "beyond any minimal request": answer(9, 10**12),
}


@pytest.mark.parametrize("fault", BAD_USAGE.values(), ids=BAD_USAGE.keys())
def test_implausible_usage_counts_like_missing_usage(tmp_path: Path, fault: Fault) -> None:
    with serve_in_thread(SimState.default(), port=0) as sim:
        sim.state.faults = [fault]
        config = tmp_path / "kimicheck.yaml"
        config.write_text(sim_config(sim.base_url, chat="300ms", timeout="300ms", budget=BUDGET))
        with serve(config) as served:
            skipped = {"provider": "sim", "check": "chat", "reason": "budget_exhausted"}
            wait_until(lambda: value(served.url, "kimicheck_probe_skipped_total", **skipped) == 1,
                       what="a chat run skipped for the budget")
            assert sim.state.count(path=CHAT_PATH, key=KEY) == 1
            assert value(served.url, "kimicheck_probe_success", provider="sim", check="chat") == 0
            for kind in ("prompt", "completion"):
                tokens = {"provider": "sim", "model": "kimi-k2.6", "type": kind}
                assert value(served.url, "kimicheck_chat_tokens_total", **tokens) == 0
