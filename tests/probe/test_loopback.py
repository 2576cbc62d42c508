"""Which hosts count as loopback: the only ones kimicheck sends a key to over plain http."""

from __future__ import annotations

import pytest
import respx

from kimicheck.net import is_loopback_host
from kimicheck.probe.result import Reason

from .helpers import config, only, probe, provider


@pytest.mark.parametrize("host", [
    "localhost", "LOCALHOST", "127.0.0.1", "127.0.0.53", "127.255.255.254", "::1", "[::1]",
    "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1",
])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize("host", [
    # a name under .localhost may go to DNS (a search domain, a wildcard record) and come back remote
    "sim.localhost", "a.b.localhost", "localhost.", "localhost.example.com", "mylocalhost",
    "127.0.0.1.nip.io", "10.0.0.7", "128.0.0.1", "::2", "[::2]", "::ffff:10.0.0.7", "[127.0.0.1]",
    "[localhost]", "", "[]",
])
def test_other_hosts_are_not_loopback(host: str) -> None:
    assert not is_loopback_host(host)


@respx.mock
def test_plain_http_to_a_localhost_subdomain_is_refused_before_sending() -> None:
    route = respx.get("http://sim.localhost:8080/v1/models").respond(200, json={"data": []})
    result = only(probe(config(provider(kind="openai-compatible", base_url="http://sim.localhost:8080/v1"))))
    assert (result.ok, result.reason) == (False, Reason.TLS_ERROR)
    assert result.detail == ("refused to send the key over plain http to sim.localhost: use an https:// base_url "
                             "(plain http is allowed only to loopback hosts)")
    assert route.call_count == 0
