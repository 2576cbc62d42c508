"""The metric contract: every family kimicheck exports, its type, labels and HELP text, as data.

Alert rules and dashboards depend on these names and labels exactly; the README's metric table is checked
against this tuple by a test. Every label value comes from the config or from a fixed set below, never
from error text, URLs or keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kimicheck.probe.toolcalls import ToolCallResult

__all__ = [
    "BALANCE_TYPES",
    "BATCH_REQUEST_RESULTS",
    "CONTRACT",
    "FILE_LIMIT_RESOURCES",
    "PROBE_LATENCY_BUCKETS",
    "RATELIMIT_RESOURCES",
    "THRESHOLD_LEVELS",
    "TOKEN_TYPES",
    "TOOL_CALL_RESULTS",
    "TTFT_BUCKETS",
    "MetricSpec",
    "SkipReason",
    "spec",
]

_CACHED = "Cached result of the scheduled probe, never collected on scrape."


class SkipReason(StrEnum):
    """Why a scheduled check did not run (the `reason` of `kimicheck_probe_skipped_total`)."""

    BUDGET_EXHAUSTED = "budget_exhausted"
    BALANCE_CRITICAL = "balance_critical"


TOKEN_TYPES = ("prompt", "completion")
#: `account`: the account's own credits where the key's balance is only its cap (OpenRouter, management key)
BALANCE_TYPES = ("available", "voucher", "cash", "account")
RATELIMIT_RESOURCES = ("requests", "tokens")
BATCH_REQUEST_RESULTS = ("completed", "failed")
FILE_LIMIT_RESOURCES = ("count", "bytes")
THRESHOLD_LEVELS = ("warning", "critical")
TOOL_CALL_RESULTS = tuple(r.value for r in ToolCallResult)
#: seconds: a first token is fast under 1 s, slow past 10 s; a thinking model may take a minute
TTFT_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0)
#: seconds: free checks take tens of milliseconds, paid ones up to a probe's timeout
PROBE_LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


@dataclass(frozen=True)
class MetricSpec:
    """One metric family: its full sample name, Prometheus type, labels and HELP text."""

    name: str
    type: str
    labels: tuple[str, ...]
    help: str

    @property
    def family_name(self) -> str:
        """The name prometheus_client wants for the family (counters and infos without their suffix)."""
        if self.type == "counter":
            return self.name.removesuffix("_total")
        if self.type == "info":
            return self.name.removesuffix("_info")
        return self.name


CONTRACT: tuple[MetricSpec, ...] = (
    MetricSpec("kimicheck_probe_success", "gauge", ("provider", "check"),
               f"1 if the last run of the check succeeded, else 0. {_CACHED}"),
    MetricSpec("kimicheck_probe_last_reason", "gauge", ("provider", "check", "reason"),
               "1 for the reason of the last run of the check (ok when it succeeded); one series per check, "
               f"the same from serve, a textfile or a push. {_CACHED}"),
    MetricSpec("kimicheck_probe_duration_seconds", "gauge", ("provider", "check"),
               f"Wall-clock seconds the last run of the check took. {_CACHED}"),
    MetricSpec("kimicheck_probe_last_run_timestamp_seconds", "gauge", ("provider", "check"),
               f"Unix time the last run of the check finished. {_CACHED}"),
    MetricSpec("kimicheck_probe_last_success_timestamp_seconds", "gauge", ("provider", "check"),
               f"Unix time the check last succeeded. {_CACHED}"),
    MetricSpec("kimicheck_probe_failures_total", "counter", ("provider", "check", "reason"),
               f"Failed probe results by reason. {_CACHED}"),
    MetricSpec("kimicheck_probe_skipped_total", "counter", ("provider", "check", "reason"),
               "Scheduled runs of the check that were skipped (daily token budget spent, balance critical)."),
    MetricSpec("kimicheck_probe_runs_total", "counter", ("provider", "check"),
               "Probe results of the check (one a model for the paid checks), for failures_total / runs_total. "
               f"{_CACHED}"),
    MetricSpec("kimicheck_probe_latency_seconds", "histogram", ("provider", "check"),
               f"Wall-clock seconds of every probe result of the check, for latency SLOs. {_CACHED}"),
    MetricSpec("kimicheck_model_listed", "gauge", ("provider", "model"),
               f"1 if the provider lists the configured model id, else 0. {_CACHED}"),
    MetricSpec("kimicheck_model_retirement_timestamp_seconds", "gauge", ("provider", "model"),
               "Unix time the model catalog in use says the configured model retires, for models with a known "
               "date. From the config and the catalog, not a probe."),
    MetricSpec("kimicheck_model_info", "info", ("provider", "model", "replacement"),
               "The catalog's replacement of a configured model with a known retirement date (empty when it "
               "names none), always 1; join on (provider, model) to name it in an alert."),
    MetricSpec("kimicheck_chat_success", "gauge", ("provider", "model"),
               f"1 if the last chat probe of the model succeeded, else 0. {_CACHED}"),
    MetricSpec("kimicheck_chat_tokens_total", "counter", ("provider", "model", "type"),
               f"Tokens the chat probes themselves consumed, by type (prompt, completion). {_CACHED}"),
    MetricSpec("kimicheck_stream_time_to_first_token_seconds", "histogram", ("provider", "model"),
               "Seconds from sending the stream probe to its first content or reasoning token. "
               f"{_CACHED}"),
    MetricSpec("kimicheck_stream_output_tokens_per_second", "gauge", ("provider", "model"),
               f"Output tokens per second of the last stream probe, from its usage. {_CACHED}"),
    MetricSpec("kimicheck_tool_calls_total", "counter", ("provider", "model", "result"),
               "Tool calls of the tools probe by result (valid, invalid_json, schema_mismatch, wrong_function, "
               f"missing). {_CACHED}"),
    MetricSpec("kimicheck_balance", "gauge", ("provider", "type", "currency"),
               f"Account balance by type (available, voucher, cash); +Inf for an unlimited key. {_CACHED}"),
    MetricSpec("kimicheck_balance_threshold", "gauge", ("provider", "level", "currency"),
               "Balance threshold from the config by level (warning, critical), for alert rules to compare."),
    MetricSpec("kimicheck_ratelimit_limit", "gauge", ("provider", "resource"),
               "Rate limit the provider last announced, by resource (requests, tokens), from X-RateLimit-Limit "
               f"headers or OpenRouter's key rate_limit; absent when never announced. {_CACHED}"),
    MetricSpec("kimicheck_ratelimit_remaining", "gauge", ("provider", "resource"),
               "What the provider last announced is left of its rate limit, by resource (requests, tokens), "
               f"from X-RateLimit-Remaining headers; absent when never announced. {_CACHED}"),
    MetricSpec("kimicheck_batches", "gauge", ("provider", "status"),
               "Batches created within the batch check's window, by status (as far as its bounded paging read). "
               f"{_CACHED}"),
    MetricSpec("kimicheck_batch_requests", "gauge", ("provider", "result"),
               "Requests of the batches created within the window, by result (completed, failed), summed. "
               f"{_CACHED}"),
    MetricSpec("kimicheck_batch_oldest_in_progress_seconds", "gauge", ("provider",),
               f"Age of the oldest batch still validating or in progress; 0 when none is. {_CACHED}"),
    MetricSpec("kimicheck_files", "gauge", ("provider",),
               f"Files the account holds (the batch check). {_CACHED}"),
    MetricSpec("kimicheck_files_bytes", "gauge", ("provider",),
               f"Bytes of the files the account holds (the batch check). {_CACHED}"),
    MetricSpec("kimicheck_files_limit", "gauge", ("provider", "resource"),
               "The provider's file limits by resource (count, bytes), for alert rules to compare."),
    MetricSpec("kimicheck_build_info", "info", ("version",), "The running kimicheck version, always 1."),
    MetricSpec("kimicheck_config_info", "info", ("sha256",), "SHA-256 of the config file in use, always 1."),
    MetricSpec("kimicheck_config_last_reload_successful", "gauge", (),
               "1 if the last config load or reload succeeded, else 0 (kimicheck serve only)."),
    MetricSpec("kimicheck_config_last_reload_success_timestamp_seconds", "gauge", (),
               "Unix time of the last successful config load or reload (kimicheck serve only)."),
)

_BY_NAME = {m.name: m for m in CONTRACT}


def spec(name: str) -> MetricSpec:
    """The contract entry of the metric `name` (its full sample name)."""
    return _BY_NAME[name]
