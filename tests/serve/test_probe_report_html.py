"""`kimicheck probe --format html`: the page's template as one static, self-contained, escaped file."""

import argparse

from kimicheck.commands.probe import configure, format_results
from tests.metrics.samples import CONFIG, SHA
from tests.serve.test_status_page import CANARY, hostile_results


def test_the_report_is_self_contained_and_escaped() -> None:
    html = format_results(hostile_results(), CONFIG, "html", SHA)
    assert html.startswith("<!doctype html>")
    assert "<style>" in html and "prefers-color-scheme: dark" in html
    assert 'rel="stylesheet"' not in html and "http-equiv=\"refresh\"" not in html
    assert "<script" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert CANARY not in html
    assert "openrouter" in html and "state-fail" in html and 'class="history"' in html
    assert SHA[:12] in html


def test_probe_accepts_format_html() -> None:
    parser = argparse.ArgumentParser()
    configure(parser)
    assert parser.parse_args(["cfg.yaml", "--format", "html"]).format == "html"
