"""`kimicheck probe --format html`: one probe run as a static, self-contained page (for CI artifacts, e-mail).

The same template and status document as the page of `kimicheck serve`, with the stylesheet embedded, no
auto-refresh and no links to a running exporter.
"""

from __future__ import annotations

from collections.abc import Sequence

from kimicheck.config.models import Config
from kimicheck.metrics.snapshot import snapshot_of
from kimicheck.probe.result import Check, ProbeResult
from kimicheck.serve.page import render_page
from kimicheck.serve.status import StatusInputs, status_document

__all__ = ["render_report"]


def render_report(results: Sequence[ProbeResult], config: Config, config_sha256: str, now: float) -> str:
    """The HTML report of `results` (each check's history is its one result; unrun checks show as not run)."""
    snapshot = snapshot_of(results, config, config_sha256, now)
    ran: dict[str, tuple[Check, ...]] = {}
    for result in results:
        if result.check not in ran.get(result.provider, ()):
            ran[result.provider] = (*ran.get(result.provider, ()), result.check)
    inputs = StatusInputs(snapshot=snapshot, now=now, scheduled={p.name: ran.get(p.name, ()) for p in config.providers})
    return render_page(status_document(inputs), refresh_seconds=None, embed_css=True, debug_links=False)
