"""Every reason, the finer ones included, is a clean label value of the reason-labelled families."""

import dataclasses

from kimicheck.metrics.exposition import render_results, render_snapshot
from kimicheck.metrics.snapshot import snapshot_of
from kimicheck.probe.result import Check, ProbeResult, Reason
from tests.metrics.binaries import promtool_problems
from tests.metrics.samples import CONFIG, RESULTS, SHA

NEW = (Reason.PROVIDER_OVERLOADED, Reason.CONTENT_FILTERED, Reason.ENDPOINT_NOT_FOUND)


def failures() -> list[ProbeResult]:
    chat = next(r for r in RESULTS if r.check is Check.CHAT)
    return [dataclasses.replace(chat, ok=False, reason=reason, data=None, status_code=None) for reason in Reason
            if reason not in (Reason.OK, Reason.UNSUPPORTED, Reason.BALANCE_LOW)]


def test_every_failure_reason_passes_promtool_and_is_counted() -> None:
    exposition = render_results(failures(), CONFIG, config_sha256=SHA)
    assert promtool_problems(exposition) == ""
    text = exposition.decode()
    for reason in NEW:
        assert f'reason="{reason}"' in text


def test_the_serve_snapshot_labels_the_last_reason() -> None:
    for reason in NEW:
        result = dataclasses.replace(next(r for r in RESULTS if r.check is Check.CHAT), ok=False, reason=reason,
                                     data=None)
        exposition = render_snapshot(snapshot_of([result], CONFIG, SHA, now=0.0))
        assert promtool_problems(exposition) == ""
        line = f'kimicheck_probe_last_reason{{check="chat",provider="moonshot-intl",reason="{reason}"}} 1.0'
        assert line in exposition.decode()
