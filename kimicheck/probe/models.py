"""The `models` check: the key is accepted, and every configured model id is listed.

On kinds whose `/models` answers without a key (OpenRouter), a 200 there proves nothing, so the kind's key
endpoint is asked first. A configured id that is not listed is reported with the closest listed ids,
compared after look-alike characters are normalised (an id pasted with U+2011 gets the real id suggested);
an id known not to exist (`kimi-k2.6-thinking`) gets the right id first, with the reason.

Suggestions are a courtesy bounded by the check's deadline: they are worked out in a worker thread
(a gateway can list 90,000 ids, and serve's event loop must keep answering), and when the deadline
passes first the check answers on time without them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import replace

from kimicheck.config.models import Config, ModelEntry, Provider
from kimicheck.lookalike import OutOfTime, Suggester, normalize_id
from kimicheck.net import resolve_endpoint
from kimicheck.probe.context_lengths import context_mismatches, describe_mismatches, parse_context_lengths
from kimicheck.probe.errors import ProbeEndpoint, ProbeError
from kimicheck.probe.result import MissingModel, ModelsData, Reason
from kimicheck.probe.session import Outcome, ProbeSession
from kimicheck.providers import KIND_PROFILES, correction_for, current_catalog, described_kind

__all__ = ["compare_models", "describe_missing", "parse_model_ids", "probe_models"]


def parse_model_ids(data: object) -> list[str]:
    """The ids of a `/models` answer: `{"data": [{"id": ...}]}` or a bare array of such objects."""
    items = data.get("data") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ProbeError(Reason.INVALID_RESPONSE, "the /models answer has no list of models")
    ids = [item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]
    if items and not ids:
        raise ProbeError(Reason.INVALID_RESPONSE, "the /models answer lists no model with an id")
    return ids


def compare_models(configured: Sequence[str], listed: Sequence[str], *,
                   deadline: float | None = None) -> ModelsData:
    """Which configured ids the provider lists, with suggestions for the missing ones.

    `deadline` (a `time.monotonic()` value) bounds the suggestion work: ids still unanswered when it
    passes get no suggestions, and the presence of every id is reported all the same.
    """
    available = set(listed)
    present = {model_id: model_id in available for model_id in configured}
    unlisted = [model_id for model_id, found in present.items() if not found]
    in_time = deadline is None or time.monotonic() < deadline
    suggester = Suggester(listed) if unlisted and in_time else None
    missing = []
    for model_id in unlisted:
        suggestions: tuple[str, ...] = ()
        if suggester is not None:
            try:
                suggestions = _suggestions(model_id, suggester, available, deadline)
            except OutOfTime:
                suggester = None
        missing.append(MissingModel(model_id, suggestions))
    return ModelsData(listed_count=len(listed), present=present, missing=tuple(missing), listed=tuple(listed))


async def _compare_in_time(configured: Sequence[str], listed: Sequence[str], deadline: float) -> ModelsData:
    """`compare_models` in a worker thread, answered by `deadline` (event-loop time) whatever happens."""
    remaining = max(deadline - asyncio.get_running_loop().time(), 0.0)
    work = asyncio.to_thread(compare_models, configured, listed, deadline=time.monotonic() + remaining)
    try:
        return await asyncio.wait_for(work, timeout=remaining)
    except TimeoutError:  # the thread stops at its next look at the clock
        return compare_models(configured, listed, deadline=0.0)


def _suggestions(model_id: str, suggester: Suggester, available: set[str],
                 deadline: float | None) -> tuple[str, ...]:
    """The closest listed ids; the right id first when `model_id` is known not to exist and it is listed."""
    found = suggester.closest(model_id, deadline=deadline)
    known = correction_for(model_id)
    if known is None or known[0] not in available:
        return tuple(found)
    right = known[0]
    return (right, *(s for s in found if s != right))[: max(len(found), 1)]


def _shown(model_id: str) -> str:
    return model_id if model_id.isascii() else ascii(model_id)


def describe_missing(missing: MissingModel) -> str:
    """One sentence about a missing id: look-alike characters, or "did you mean"."""
    text = f"{_shown(missing.id)} is not listed"
    known = correction_for(missing.id)
    if known is not None:
        right, correction = known
        text += f": there is no such model, {correction.reason}"
        return f"{text} (use {right})" if right in missing.suggestions else text
    normalised = normalize_id(missing.id)
    if normalised != missing.id and normalised in missing.suggestions:
        return f"{text}: it contains look-alike characters; the listed id is {normalised}"
    if missing.suggestions:
        return f"{text} (did you mean {', '.join(missing.suggestions)}?)"
    return text


async def probe_models(
    session: ProbeSession, config: Config, provider: Provider, model: ModelEntry | None
) -> Outcome:
    """Prove the key and compare the configured model ids with the provider's list."""
    profile = KIND_PROFILES[provider.kind]
    if profile.models_public and profile.key_path:
        await session.call("GET", resolve_endpoint(provider.base_url, profile.key_path), endpoint=ProbeEndpoint.KEY)
    reply = await session.call(
        "GET", resolve_endpoint(provider.base_url, profile.models_path), endpoint=ProbeEndpoint.MODELS
    )
    body = reply.json()
    try:
        listed = parse_model_ids(body)
    except ProbeError as exc:
        exc.status_code = reply.status_code
        raise
    configured = [entry.id for entry in provider.model_entries()]
    data = await _compare_in_time(configured, listed, session.deadline)
    catalog, lengths = current_catalog(), parse_context_lengths(body)
    mismatches = context_mismatches(configured, lengths, catalog, described_kind(provider.base_url, provider.kind))
    data = replace(data, context_lengths=lengths, context_mismatches=mismatches)
    note = describe_mismatches(mismatches, catalog)
    if data.missing:
        detail = "; ".join([*(describe_missing(m) for m in data.missing), *([note] if note else [])])
        return Outcome(False, Reason.MODEL_NOT_FOUND, detail, reply.status_code, data)
    count = len(data.present)
    detail = f"{data.listed_count} models listed"
    if count:
        detail += "; the configured id is present" if count == 1 else f"; all {count} configured ids present"
    return Outcome(True, Reason.OK, f"{detail}; {note}" if note else detail, reply.status_code, data)
