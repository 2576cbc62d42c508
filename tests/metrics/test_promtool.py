"""`promtool check metrics` reports nothing on any exposition kimicheck produces."""

import dataclasses

from kimicheck.metrics.contract import SkipReason
from kimicheck.metrics.exposition import render_results, render_snapshot
from kimicheck.metrics.snapshot import Snapshot, record_reload, record_skip, snapshot_of
from kimicheck.probe.result import Check
from tests.metrics.binaries import promtool_problems
from tests.metrics.samples import CONFIG, RESULTS, SHA


def test_one_shot_results() -> None:
    assert promtool_problems(render_results(RESULTS, CONFIG, config_sha256=SHA)) == ""


def test_serve_snapshot_with_every_family() -> None:
    snapshot = snapshot_of(RESULTS, CONFIG, SHA, now=0.0)
    snapshot = record_skip(snapshot, ("openrouter", Check.CHAT), SkipReason.BALANCE_CRITICAL)
    snapshot = record_reload(snapshot, successful=False, now=5.0)
    assert promtool_problems(render_snapshot(snapshot)) == ""


def test_no_results_yet() -> None:
    assert promtool_problems(render_snapshot(Snapshot(config=CONFIG, config_sha256=SHA))) == ""


def test_only_failures() -> None:
    failed = [dataclasses.replace(r, ok=False, data=None) for r in RESULTS]
    assert promtool_problems(render_results(failed, CONFIG, config_sha256=SHA)) == ""
