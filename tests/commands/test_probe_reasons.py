"""`kimicheck probe` against the simulator gives every finer failure reason, with its exact detail."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from kimicheck.probe.report import FIX_HINTS
from kimicheck.probe.result import Reason
from kimicheck.providers import Kind
from kimicheck.sim import Account, Fault, RunningSimulator

from .clirun import kimicheck

#: provider name -> (kind, the account's settings, faults, base URL path after the kind's default one)
PROVIDERS: dict[str, tuple[Kind, dict[str, Any], list[dict[str, Any]], str]] = {
    "busy": (Kind.MOONSHOT, {}, [{"kind": "overloaded", "endpoint": "models", "retry_after": 0}], ""),
    "or-busy": (Kind.OPENROUTER, {}, [{"kind": "overloaded", "endpoint": "chat"}], ""),
    "filtered": (Kind.MOONSHOT, {}, [{"kind": "content_filter"}], ""),
    "or-filtered": (Kind.OPENROUTER, {}, [{"kind": "content_filter"}], ""),
    "wrong-path": (Kind.MOONSHOT, {}, [], "/kimi"),
    "aiml-empty": (Kind.AIMLAPI, {"cash": Decimal(0)}, [], ""),
    "ds-off": (Kind.DEEPSEEK, {"is_available": False}, [], ""),
}
MODEL = {Kind.MOONSHOT: "kimi-k2.6", Kind.OPENROUTER: "moonshotai/kimi-k2.6", Kind.AIMLAPI: "moonshot/kimi-k2-6",
         Kind.DEEPSEEK: "deepseek-chat"}


def key_of(name: str) -> str:
    return f"sk-sim-reasons-{name}-000000000000000"


def env_of(name: str) -> str:
    return f"{name.upper().replace('-', '_')}_KEY"


def setup(tmp_path: Path, sim: RunningSimulator) -> tuple[str, dict[str, str]]:
    entries = []
    for name, (kind, settings, faults, prefix) in PROVIDERS.items():
        sim.state.add(Account(key=key_of(name), name=name, kind=kind, **settings,
                              faults=[Fault.model_validate(f) for f in faults]))
        base_url = sim.root_url + prefix + sim.base_url_for(kind).removeprefix(sim.root_url)
        entries.append(f"  - {{name: {name}, kind: {kind}, base_url: '{base_url}', api_key_env: {env_of(name)},"
                       f" models: [{{id: {MODEL[kind]}, chat: true}}]}}\n")
    path = tmp_path / "reasons.yaml"
    path.write_text("version: 1\ndefaults: {timeout: 5s}\nproviders:\n" + "".join(entries))
    return str(path), {env_of(name): key_of(name) for name in PROVIDERS}


def test_every_new_reason_with_its_detail(tmp_path: Path, sim: RunningSimulator) -> None:
    path, environ = setup(tmp_path, sim)
    result = kimicheck("probe", path, "--format", "json", environ=environ)
    assert result.code == 1, result.err
    found = {(r["provider"], r["check"]): r for r in json.loads(result.out)["results"]}
    filtered_chat = found["or-filtered", "chat"]
    tokens = filtered_chat["data"]
    expected = {
        ("busy", "models"): ("provider_overloaded", 429,
                             "HTTP 429 engine_overloaded_error: The engine is currently overloaded, please try "
                             "again later"),
        ("or-busy", "chat"): ("provider_overloaded", 503,
                              "HTTP 503: No available model provider that meets your routing requirements"),
        ("filtered", "chat"): ("content_filtered", 400,
                               "HTTP 400 content_filter: The request was rejected because it was considered high "
                               "risk"),
        ("or-filtered", "chat"): ("content_filtered", 200,
                                  f"{tokens['prompt_tokens']} prompt + {tokens['completion_tokens']} completion "
                                  "tokens, finish_reason content_filter: the provider's content filter stopped the "
                                  "answer"),
        ("wrong-path", "models"): ("endpoint_not_found", 404,
                                   "HTTP 404 url.not_found: 没找到对象 (the models endpoint is not at this address: "
                                   "check base_url)"),
        ("wrong-path", "chat"): ("endpoint_not_found", 404,
                                 "HTTP 404 url.not_found: 没找到对象 (the chat endpoint is not at this address: "
                                 "check base_url)"),
        ("aiml-empty", "chat"): ("quota_exhausted", 403,
                                 "HTTP 403: You've run out of credits. Please top up your balance or update your "
                                 "payment method"),
        ("ds-off", "balance"): ("balance_critical", 200,
                                "available 50.00 CNY (voucher 0.00, cash 50.00): the provider reports that the "
                                "account cannot make calls (is_available: false)"),
    }
    got = {where: (found[where]["reason"], found[where]["status_code"], found[where]["detail"]) for where in expected}
    assert got == expected
    assert all(not found[where]["ok"] for where in expected)


def test_the_text_table_gives_each_new_reason_its_fix(tmp_path: Path, sim: RunningSimulator) -> None:
    path, environ = setup(tmp_path, sim)
    out = kimicheck("probe", path, environ=environ).out
    for reason in (Reason.PROVIDER_OVERLOADED, Reason.CONTENT_FILTERED, Reason.ENDPOINT_NOT_FOUND):
        assert f"    fix: {FIX_HINTS[reason]}\n" in out
