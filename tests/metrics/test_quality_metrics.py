"""The quality families: runs and latency of every check, time to first token, tokens/s and tool-call results,
accumulated across runs in serve's snapshot, counted once in a one-shot run, and clean for promtool."""

from prometheus_client import CollectorRegistry

from kimicheck.config.models import Config
from kimicheck.metrics.collector import SnapshotCollector
from kimicheck.metrics.contract import TOOL_CALL_RESULTS, TTFT_BUCKETS
from kimicheck.metrics.exposition import render_results, render_snapshot
from kimicheck.metrics.snapshot import Snapshot, record_run, snapshot_of, with_config
from kimicheck.probe.result import Check, ProbeResult, Reason, StreamData, ToolCallData
from tests.metrics.binaries import promtool_problems

SHA = "cd" * 32
MODEL = "kimi-k2.6"
CONFIG = Config.model_validate({
    "version": 1,
    "providers": [{
        "name": "sim", "kind": "moonshot", "base_url": "https://api.moonshot.ai/v1", "api_key_env": "SIM_KEY",
        "models": [{"id": MODEL, "stream": True, "tools": True, "json": True}, "kimi-k2.5"],
    }],
})
LABELS = {"provider": "sim", "model": MODEL}


def stream(ttft: float | None, rate: float | None, ok: bool = True) -> ProbeResult:
    data = StreamData(prompt_tokens=12, completion_tokens=40, time_to_first_token=ttft,
                      total_seconds=2.0, output_tokens_per_second=rate)
    return ProbeResult("sim", Check.STREAM, ok, Reason.OK if ok else Reason.STREAM_BROKEN, 2.0, model=MODEL,
                       data=data, finished_at=1700000000.0)


def tools(result: str) -> ProbeResult:
    ok = result == "valid"
    reason = Reason.OK if ok else Reason.TOOL_CALL_INVALID
    return ProbeResult("sim", Check.TOOLS, ok, reason, 0.7, model=MODEL,
                       data=ToolCallData(prompt_tokens=80, completion_tokens=30, result=result),
                       finished_at=1700000000.0)


def registry_of(snapshot: Snapshot) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SnapshotCollector(lambda: snapshot))
    return registry


def test_tool_call_results_start_at_zero_for_every_model_with_tools() -> None:
    value = registry_of(Snapshot(config=CONFIG, config_sha256=SHA)).get_sample_value
    for result in TOOL_CALL_RESULTS:
        assert value("kimicheck_tool_calls_total", {**LABELS, "result": result}) == 0
    assert value("kimicheck_tool_calls_total", {"provider": "sim", "model": "kimi-k2.5", "result": "valid"}) is None


def test_counters_and_histograms_accumulate_across_serve_runs() -> None:
    snapshot = Snapshot(config=CONFIG, config_sha256=SHA)
    for ttft, result in ((0.3, "valid"), (12.0, "schema_mismatch"), (90.0, "valid")):
        snapshot = record_run(snapshot, ("sim", Check.STREAM), [stream(ttft, 25.0)], now=1.0)
        snapshot = record_run(snapshot, ("sim", Check.TOOLS), [tools(result)], now=1.0)
    value = registry_of(snapshot).get_sample_value
    assert value("kimicheck_tool_calls_total", {**LABELS, "result": "valid"}) == 2
    assert value("kimicheck_tool_calls_total", {**LABELS, "result": "schema_mismatch"}) == 1
    assert value("kimicheck_tool_calls_total", {**LABELS, "result": "missing"}) == 0
    ttft = "kimicheck_stream_time_to_first_token_seconds"
    assert value(f"{ttft}_bucket", {**LABELS, "le": "0.5"}) == 1
    assert value(f"{ttft}_bucket", {**LABELS, "le": "20.0"}) == 2
    assert value(f"{ttft}_bucket", {**LABELS, "le": "60.0"}) == 2
    assert value(f"{ttft}_bucket", {**LABELS, "le": "+Inf"}) == 3
    assert value(f"{ttft}_count", LABELS) == 3 and value(f"{ttft}_sum", LABELS) == 102.3
    assert value("kimicheck_stream_output_tokens_per_second", LABELS) == 25.0
    check = {"provider": "sim", "check": "tools"}
    assert value("kimicheck_probe_runs_total", check) == 3
    assert value("kimicheck_probe_latency_seconds_count", check) == 3
    assert value("kimicheck_probe_latency_seconds_bucket", {**check, "le": "1.0"}) == 3
    assert value("kimicheck_probe_latency_seconds_bucket", {**check, "le": "0.5"}) == 0


def test_ttft_buckets_suit_llms() -> None:
    assert TTFT_BUCKETS[0] == 0.1 and TTFT_BUCKETS[-1] == 60.0
    assert list(TTFT_BUCKETS) == sorted(set(TTFT_BUCKETS))


def test_a_broken_stream_counts_a_run_but_no_first_token() -> None:
    snapshot = snapshot_of([stream(None, None, ok=False)], CONFIG, SHA, now=1.0)
    value = registry_of(snapshot).get_sample_value
    assert value("kimicheck_probe_runs_total", {"provider": "sim", "check": "stream"}) == 1
    assert value("kimicheck_stream_time_to_first_token_seconds_count", LABELS) is None
    assert value("kimicheck_stream_output_tokens_per_second", LABELS) is None


def test_a_reload_drops_the_series_of_a_model_no_longer_checked() -> None:
    snapshot = snapshot_of([stream(0.4, 30.0), tools("valid")], CONFIG, SHA, now=1.0)
    entry = CONFIG.providers[0].model_entries()[0].model_copy(update={"stream": False, "tools": False})
    provider = CONFIG.providers[0].model_copy(update={"models": [entry]})
    reloaded = with_config(snapshot, CONFIG.model_copy(update={"providers": [provider]}), SHA)
    value = registry_of(reloaded).get_sample_value
    assert value("kimicheck_stream_time_to_first_token_seconds_count", LABELS) is None
    assert value("kimicheck_tool_calls_total", {**LABELS, "result": "valid"}) is None
    assert value("kimicheck_probe_runs_total", {"provider": "sim", "check": "tools"}) is None


def test_promtool_accepts_the_quality_families() -> None:
    results = [stream(0.4, 30.0), stream(None, None, ok=False), tools("valid"), tools("missing")]
    assert promtool_problems(render_results(results, CONFIG, config_sha256=SHA)) == ""
    snapshot = record_run(snapshot_of(results, CONFIG, SHA, now=1.0), ("sim", Check.TOOLS), [tools("valid")], 2.0)
    assert promtool_problems(render_snapshot(snapshot)) == ""
    assert promtool_problems(render_snapshot(Snapshot(config=CONFIG, config_sha256=SHA))) == ""
