"""Time to first token and tool-call accuracy in the status document, its schema and the page."""

import json
from pathlib import Path

import jsonschema
from starlette.testclient import TestClient

from kimicheck.metrics.snapshot import snapshot_of
from kimicheck.probe.result import Check, ProbeResult, Reason, StreamData, ToolCallData
from kimicheck.serve.app import build_app
from kimicheck.serve.history import CellState, History, Mark, mark_of
from kimicheck.serve.page import render_page
from kimicheck.serve.state import ServeState
from kimicheck.serve.status import StatusInputs, status_document
from tests.metrics.samples import CONFIG, RESULTS, SHA
from tests.serve.fakes import loaded

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "configs" / "status.schema.json").read_text())
HOSTILE_MODEL = "<b>kimi</b>&k2"
NOW = 1700000100.0


async def no_reload() -> str | None:
    return None


def stream_result(model: str, ttft: float | None, rate: float | None) -> ProbeResult:
    return ProbeResult("moonshot-intl", Check.STREAM, True, Reason.OK, 1.5, model=model,
                       data=StreamData(19, 48, ttft, ttft, 1.5, rate), finished_at=1700000003.0)


def tools_result(result: str, ok: bool = True) -> ProbeResult:
    return ProbeResult("moonshot-intl", Check.TOOLS, ok, Reason.OK if ok else Reason.TOOL_CALL_INVALID, 0.9,
                       model="kimi-k2.6", data=ToolCallData(20, 12, result), finished_at=1700000004.0)


def timed_out_tools() -> ProbeResult:
    return ProbeResult("moonshot-intl", Check.TOOLS, False, Reason.TIMEOUT, 30.0, model="kimi-k2.6")


STREAM = (stream_result(HOSTILE_MODEL, 0.375, 87.34), stream_result("kimi-k2.5", None, None))


def history_of_tools() -> History:
    """9 valid and 1 invalid judged call, plus a timeout and a skip that count for neither."""
    history = History()
    for i in range(9):
        history.record(("moonshot-intl", Check.TOOLS), mark_of(1700000000.0 + i, [tools_result("valid")]))
    history.record(("moonshot-intl", Check.TOOLS), mark_of(1700000009.0, [timed_out_tools()]))
    history.record(("moonshot-intl", Check.TOOLS), Mark(1700000010.0, CellState.SKIPPED, "budget_exhausted"))
    history.record(("moonshot-intl", Check.TOOLS),
                   mark_of(1700000011.0, [tools_result("schema_mismatch", ok=False)]))
    return history


def inputs(history: History | None) -> StatusInputs:
    results = [*RESULTS, *STREAM, tools_result("valid")]
    return StatusInputs(snapshot=snapshot_of(results, CONFIG, SHA, now=1700000005.0), now=NOW, history=history)


def cells(document: dict[str, object], provider: str) -> dict[str, dict[str, object]]:
    providers = {p["name"]: p for p in document["providers"]}  # type: ignore[attr-defined]
    return {c["check"]: c for c in providers[provider]["checks"]}


def test_a_mark_keeps_the_judged_tool_calls_of_its_run() -> None:
    mark = mark_of(5.0, [tools_result("valid"), tools_result("wrong_function", ok=False), timed_out_tools()])
    assert mark == Mark(5.0, CellState.FAIL, "tool_call_invalid", ("valid", "wrong_function"))
    assert mark_of(6.0, [stream_result("m", 0.1, 10.0)]).tool_calls == ()


def test_the_document_has_the_last_stream_timings_and_the_tool_call_accuracy() -> None:
    document = status_document(inputs(history_of_tools()))
    moonshot = cells(document, "moonshot-intl")
    assert moonshot["stream"]["stream"] == [
        {"model": HOSTILE_MODEL, "time_to_first_token_seconds": 0.375, "output_tokens_per_second": 87.34},
        {"model": "kimi-k2.5", "time_to_first_token_seconds": None, "output_tokens_per_second": None},
    ]
    assert moonshot["tools"]["tool_calls"] == {"valid": 9, "total": 10, "accuracy": 0.9}
    for check in Check:
        if check is not Check.STREAM:
            assert moonshot[str(check)]["stream"] is None
        if check is not Check.TOOLS:
            assert moonshot[str(check)]["tool_calls"] is None
    # a provider whose stream and tools checks have not run yet
    openrouter = cells(document, "openrouter")
    assert openrouter["stream"]["stream"] == []
    assert openrouter["tools"]["tool_calls"] == {"valid": 0, "total": 0, "accuracy": None}
    jsonschema.validate(document, SCHEMA)


def test_one_probe_run_counts_its_own_tool_calls() -> None:
    document = status_document(inputs(None))
    assert cells(document, "moonshot-intl")["tools"]["tool_calls"] == {"valid": 1, "total": 1, "accuracy": 1.0}
    jsonschema.validate(document, SCHEMA)


def test_the_page_shows_the_figures_escaped() -> None:
    page = render_page(status_document(inputs(history_of_tools())))
    assert "&lt;b&gt;kimi&lt;/b&gt;&amp;k2: time to first token 375.0 ms · 87.3 tokens/s" in page
    assert "kimi-k2.5: time to first token — · — tokens/s" in page
    assert "9 of 10 tool calls valid (90%)" in page
    assert "<b>kimi" not in page
    assert page.count('class="tool-calls"') == 1  # none for openrouter, which judged no tool call yet


def test_the_served_api_and_page_carry_them() -> None:
    results = [*RESULTS, *STREAM, tools_result("valid")]
    state = ServeState(loaded=loaded(CONFIG), snapshot=snapshot_of(results, CONFIG, SHA, now=1700000005.0))
    state.history = history_of_tools()
    client = TestClient(build_app(state, no_reload))
    document = client.get("/api/v1/status").json()
    jsonschema.validate(document, SCHEMA)
    assert cells(document, "moonshot-intl")["tools"]["tool_calls"]["accuracy"] == 0.9
    assert "9 of 10 tool calls valid (90%)" in client.get("/").text
