"""The push has one deadline for connect, upload and answer: a dripping gateway cannot hold the run."""

from __future__ import annotations

import time

import pytest

from kimicheck.metrics import push
from kimicheck.metrics.push import PushError, push_results

from ..probe.hostile import Hostile, serve_hostile


@pytest.mark.slow
def test_a_gateway_that_drips_its_answer_is_a_push_error_at_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(push, "_TIMEOUT", 1.0)
    # Each byte comes well within the per-read timeout; only a total deadline ends this early.
    dripping = Hostile(lambda: (b"x" for _ in range(20)), headers=(("Content-Length", "20"),), pause=0.25)
    with serve_hostile(dripping) as gateway:
        url = gateway.base_url.removesuffix("/v1")
        started = time.monotonic()
        with pytest.raises(PushError) as error:
            push_results(url, "kimicheck", b"kimicheck_build_info 1\n", {})
        elapsed = time.monotonic() - started
    assert str(error.value) == f"the Pushgateway at {url} did not answer within 1s"
    assert elapsed < 2.0


def test_only_the_start_of_a_long_error_answer_is_read() -> None:
    huge = Hostile(lambda: (b"no " * 10_000 for _ in range(1_000)), status="400 Bad Request")
    with serve_hostile(huge) as gateway:
        url = gateway.base_url.removesuffix("/v1")
        with pytest.raises(PushError) as error:
            push_results(url, "kimicheck", b"", {})
    assert str(error.value) == f"the Pushgateway at {url} answered HTTP 400: {'no ' * 66}no"
