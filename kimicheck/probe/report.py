"""Probe results as a user reads them: the JSON document, the text table and the fix hints.

Pure functions of the results: they return strings and never print. Amounts are exact decimals and go into
JSON as *strings* (`"49.58894"`): a JSON number would be read back as a binary float by most consumers
(JavaScript, jq), which cannot hold every 5-decimal amount exactly.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal

from kimicheck.amounts import format_amount
from kimicheck.config.models import Provider
from kimicheck.probe.batch_result import BatchData
from kimicheck.probe.result import BalanceData, ChatData, ModelsData, ProbeResult, RateLimit, RateLimits, Reason
from kimicheck.providers import Kind, correction_for
from kimicheck.terminal import one_line

__all__ = [
    "FIX_HINTS",
    "WARNING_REASONS",
    "fix_hint",
    "headroom_text",
    "json_text",
    "render_json",
    "render_text",
    "result_to_json",
    "summarize",
]

#: ok results that still ask for attention.
WARNING_REASONS = frozenset({Reason.BALANCE_LOW, Reason.SLOW, Reason.BATCH_EXPIRING, Reason.FILES_NEAR_LIMIT})

#: What to do about each reason (the README's table of reasons says the same).
FIX_HINTS: dict[Reason, str] = {
    Reason.OK: "",
    Reason.TIMEOUT: "no complete answer in time: check the network path, or raise the provider's timeout",
    Reason.CONNECT_ERROR: "cannot reach the host: check base_url's host name, DNS, firewall and proxy",
    Reason.TLS_ERROR: "use an https:// base_url whose certificate verifies (plain http only to loopback)",
    Reason.REDIRECT: "set base_url to the final address: redirects are not followed, so the key stays put",
    Reason.AUTH_FAILED: "the key was refused or unreadable: check api_key_env / api_key_file and the key itself",
    Reason.PERMISSION_DENIED: "the key works but this endpoint or model is not open to the account",
    Reason.QUOTA_EXHAUSTED: "the account is out of money or suspended: top up (waiting will not help)",
    Reason.RATE_LIMITED: "the account's rate limit was hit: lower --concurrency, probe less often, or raise the tier",
    Reason.PROVIDER_OVERLOADED: "the provider is out of capacity, not your rate limit: wait (it is retried) or route "
    "to another provider or model; your tier and --concurrency are not the cause",
    Reason.MODEL_NOT_FOUND: "use an id the provider lists (kimicheck models PROVIDER): each host spells Kimi ids "
    "its own way",
    Reason.ENDPOINT_NOT_FOUND: "the host does not serve this path: base_url is wrong (the official one ends in /v1, "
    "e.g. https://api.moonshot.ai/v1; the SDK appends /models, /chat/completions)",
    Reason.CONTENT_FILTERED: "the provider's content filter refused the completion: the probe's fixed prompt is "
    "harmless, so check a proxy or gateway that rewrites requests, or ask the provider",
    Reason.BAD_REQUEST: "the request was refused: check base_url (the SDK appends /models, /chat/completions) "
    "and the model settings",
    Reason.SERVER_ERROR: "the provider failed (5xx): usually transient; see its status page",
    Reason.INVALID_RESPONSE: "the answer is not what this kind sends: check kind and base_url (a proxy or "
    "another API?)",
    Reason.BALANCE_LOW: "top up soon: the available balance is below warn_below",
    Reason.BALANCE_CRITICAL: "top up now: the available balance is below critical_below or used up",
    Reason.UNSUPPORTED: "",
    Reason.STREAM_BROKEN: "the stream was cut off, malformed or ended without usage: streaming clients break on "
    "this provider; try again later or route to another provider",
    Reason.SLOW: "the first token came after ttft_warn_above: the provider is slow right now (thinking models "
    "take longer), or raise ttft_warn_above",
    Reason.TOOL_CALL_MISSING: "the model answered without calling the offered tool: agents on this provider will "
    "not act; compare with the official API",
    Reason.TOOL_CALL_INVALID: "the tool call is unusable (arguments not JSON, not fitting the schema, or another "
    "function): this vendor breaks agents; route tool use to another provider",
    Reason.JSON_INVALID: "JSON mode answered something that is not a JSON object: callers that parse it will fail; "
    "raise max_tokens for a thinking model, or route to another provider",
    Reason.BATCH_FAILED: "look at the named batches' error files; resubmit the failed requests",
    Reason.BATCH_EXPIRING: "the named batches will expire unfinished: resubmit what is left, or submit smaller ones",
    Reason.FILES_NEAR_LIMIT: "delete files no batch needs any more: the next upload will fail at the limit",
}

_MOONSHOT_AUTH_HINT = (
    "a Moonshot key works only in its own region: a platform.moonshot.cn key needs "
    "https://api.moonshot.cn/v1, a platform.moonshot.ai key https://api.moonshot.ai/v1"
)


def fix_hint(result: ProbeResult, provider: Provider | None = None) -> str:
    """What to do about `result` ("" when nothing is to be done)."""
    if result.reason is Reason.AUTH_FAILED and provider is not None and provider.kind is Kind.MOONSHOT \
            and result.status_code == 401:
        return _MOONSHOT_AUTH_HINT
    if result.reason is Reason.MODEL_NOT_FOUND and isinstance(result.data, ModelsData):
        known = [hint for m in result.data.missing if (hint := _known_wrong_id(m.id, m.suggestions))]
        fixes = [f"{m.id} -> {m.suggestions[0]}" for m in result.data.missing
                 if m.suggestions and correction_for(m.id) is None]
        if fixes:
            known.append(f"fix the id{'s' if len(fixes) > 1 else ''} in the config: {'; '.join(fixes)}")
        if known:
            return "; ".join(known)
    if result.reason is Reason.MODEL_NOT_FOUND and result.model is not None:
        hint = _known_wrong_id(result.model, None)
        if hint:
            return hint
    return FIX_HINTS[result.reason]


def _known_wrong_id(model_id: str, listed: tuple[str, ...] | None) -> str:
    """"there is no X: why; use Y" for an id known not to exist ("use Y" only when Y is listed or no list
    is known); "" for any other id."""
    known = correction_for(model_id)
    if known is None:
        return ""
    right, correction = known
    text = f"there is no {model_id}: {correction.reason}"
    return f"{text}; use {right}" if listed is None or right in listed else text


def _decimal_text(value: Decimal | None) -> str | None:
    """An amount as the JSON output shows it: exact decimal text, null when there is none."""
    return None if value is None else format_amount(value)


def _data_to_json(data: ModelsData | BalanceData | ChatData | BatchData | None) -> dict[str, object] | None:
    if isinstance(data, ModelsData):
        models: dict[str, object] = {
            "listed_count": data.listed_count,
            "present": dict(data.present),
            "missing": [{"id": m.id, "suggestions": list(m.suggestions)} for m in data.missing],
        }
        if data.context_mismatches:  # only where the provider states context lengths the catalog contradicts
            models["context_mismatches"] = [{"id": m.id, "listed": m.listed, "catalog": m.catalog}
                                            for m in data.context_mismatches]
        return models
    if isinstance(data, BalanceData):
        balance: dict[str, object] = {
            "currency": data.currency,
            "level": str(data.level),
            "available": _decimal_text(data.available),
            "voucher": _decimal_text(data.voucher),
            "cash": _decimal_text(data.cash),
            "in_arrears": data.in_arrears,
        }
        if data.account is not None:  # only where account credits were read (OpenRouter, management key)
            balance["account"] = _decimal_text(data.account)
        return balance
    if isinstance(data, BatchData):
        return data.to_json()
    if isinstance(data, ChatData):
        # stream and tools data extend chat's: every field of theirs, chat's two first
        return {field.name: getattr(data, field.name) for field in dataclasses.fields(data)}
    return None


def _ratelimit_to_json(limits: RateLimits) -> dict[str, object]:
    return {
        resource: {"limit": limit.limit, "remaining": limit.remaining, "reset_seconds": limit.reset_seconds,
                   "interval_seconds": limit.interval_seconds}
        for resource, limit in limits.by_resource()
    }


def _resource_text(resource: str, limit: RateLimit) -> str:
    if limit.limit is not None and limit.remaining is not None:
        text = f"{limit.remaining}/{limit.limit} {resource} left"
    elif limit.remaining is not None:
        text = f"{limit.remaining} {resource} left"
    else:
        text = f"at most {limit.limit} {resource}"
        if limit.interval_seconds is not None:
            text += f" per {limit.interval_seconds:g}s"
    return text


def headroom_text(limits: RateLimits | None) -> str:
    """The announced rate-limit headroom as the table shows it ("rate limit: 180/200 requests left"), or ""."""
    if limits is None or not limits.by_resource():
        return ""
    return "rate limit: " + ", ".join(_resource_text(name, limit) for name, limit in limits.by_resource())


def result_to_json(result: ProbeResult) -> dict[str, object]:
    """One result as the JSON output shows it (`ratelimit` only when the provider announced one)."""
    document: dict[str, object] = {
        "provider": result.provider,
        "check": str(result.check),
        "model": result.model,
        "ok": result.ok,
        "reason": str(result.reason),
        "status_code": result.status_code,
        "duration_seconds": round(result.duration_seconds, 6),
        "detail": result.detail,
        "data": _data_to_json(result.data),
    }
    if result.ratelimit is not None:
        document["ratelimit"] = _ratelimit_to_json(result.ratelimit)
    return document


def summarize(results: Sequence[ProbeResult]) -> dict[str, int]:
    """`total`, `ok` (warnings included), `failed` and `warnings` counts."""
    ok = sum(1 for r in results if r.ok)
    return {
        "total": len(results),
        "ok": ok,
        "failed": len(results) - ok,
        "warnings": sum(1 for r in results if r.ok and r.reason in WARNING_REASONS),
    }


def json_text(document: object) -> str:
    """`document` as indented JSON and a newline, text kept as the provider sent it, writable to any UTF-8
    stream: half a surrogate pair (which a provider's JSON may escape) stays a `\\udcff` escape."""
    return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8", "backslashreplace").decode() + "\n"


def render_json(results: Sequence[ProbeResult]) -> str:
    """The JSON document: `{"version": 1, "results": [...], "summary": {...}}` and a newline."""
    document = {"version": 1, "results": [result_to_json(r) for r in results], "summary": summarize(results)}
    return json_text(document)


def _status(result: ProbeResult) -> str:
    if not result.ok:
        return "FAIL"
    if result.reason in WARNING_REASONS:
        return "warn"
    return "n/a" if result.reason is Reason.UNSUPPORTED else "ok"


def render_text(results: Sequence[ProbeResult], providers: Mapping[str, Provider] | None = None) -> str:
    """A compact table, one line per result, with a `fix:` line under each failure or warning."""
    if not results:
        return "no checks to run (chat runs only for models with chat: true)\n"
    rows = [
        (one_line(r.provider), str(r.check), one_line(r.model or "-"), _status(r), str(r.reason),
         str(r.status_code) if r.status_code is not None else "-", f"{r.duration_seconds:.2f}s")
        for r in results
    ]
    header = ("PROVIDER", "CHECK", "MODEL", "RESULT", "REASON", "HTTP", "TIME")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + "  DETAIL"]
    for result, row in zip(results, rows, strict=True):
        detail = "; ".join(part for part in (result.detail, headroom_text(result.ratelimit)) if part)
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + "  " + one_line(detail))
        if _status(result) in {"FAIL", "warn"}:
            hint = fix_hint(result, (providers or {}).get(result.provider))
            if hint:
                lines.append(f"    fix: {one_line(hint)}")
    counts = summarize(results)
    lines.append(
        f"{counts['total']} checks: {counts['ok']} ok ({counts['warnings']} with warnings), {counts['failed']} failed"
    )
    return "\n".join(lines) + "\n"
