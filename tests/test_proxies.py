"""The proxy policy, against a real recording proxy on loopback: no key crosses a proxy in clear text."""

from __future__ import annotations

import asyncio
import base64
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

import kimicheck
from kimicheck.metrics.push import PASSWORD_ENV, USERNAME_ENV, PushError, push_results
from kimicheck.probe.result import Reason
from kimicheck.proxies import ProxyPolicy

from .probe.helpers import KEY, config, only, probe, provider
from .probe.hostile import Hostile, serve_hostile

LISTING = b'{"object": "list", "data": [{"id": "kimi-k2-0905-preview", "object": "model"}]}'
PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy",
                   "NO_PROXY", "no_proxy")


@dataclass
class RecordingProxy:
    """A proxy that records every byte each connection sends it; CONNECT gets a tunnel to nowhere."""

    url: str = ""
    received: list[bytes] = field(default_factory=list)


async def _serve_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, proxy: RecordingProxy) -> None:
    proxy.received.append(b"")
    index = len(proxy.received) - 1
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        proxy.received[index] += head
        if head.startswith(b"CONNECT "):
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await writer.drain()
            # Keep what the client sends into the tunnel (a TLS hello), then end it: no upstream exists.
            proxy.received[index] += await asyncio.wait_for(reader.read(65536), 2)
        else:
            proxy.received[index] += await asyncio.wait_for(reader.read(65536), 0.2)
            writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
    except (OSError, TimeoutError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


@contextmanager
def recording_proxy() -> Iterator[RecordingProxy]:
    """A RecordingProxy on 127.0.0.1, served from its own thread and event loop."""
    proxy = RecordingProxy()
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(
        asyncio.start_server(lambda r, w: _serve_connection(r, w, proxy), "127.0.0.1", 0))
    proxy.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        server.close()
        loop.close()


@pytest.fixture
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No proxy variables from the machine running the tests."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def set_proxy(monkeypatch: pytest.MonkeyPatch, **variables: str) -> dict[str, str]:
    """Set proxy variables in the process environment too: httpx's `trust_env` would read them there."""
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return {"KIMI_KEY": KEY, **variables}


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"])
def test_a_plain_http_loopback_target_is_reached_directly(clean_environ: pytest.MonkeyPatch, variable: str) -> None:
    with recording_proxy() as proxy, serve_hostile(Hostile(lambda: [LISTING])) as target:
        environ = set_proxy(clean_environ, **{variable: proxy.url})
        result = only(probe(config(provider(kind="openai-compatible", base_url=target.base_url)), environ=environ))
    assert proxy.received == []
    assert (result.ok, len(target.requests)) == (True, 1)
    assert target.requests[0].startswith(b"GET /v1/models HTTP/1.1\r\n")


def test_https_goes_through_the_proxy_as_a_connect_tunnel_only(clean_environ: pytest.MonkeyPatch) -> None:
    with recording_proxy() as proxy:
        environ = set_proxy(clean_environ, HTTPS_PROXY=proxy.url, HTTP_PROXY=proxy.url)
        result = only(probe(config(provider()), environ=environ, timeout=3.0))
    assert not result.ok
    assert proxy.received, "the https request did not use the proxy"
    for received in proxy.received:
        head, _, tunnelled = received.partition(b"\r\n\r\n")
        assert re.fullmatch(rb"CONNECT api\.moonshot\.ai:443 HTTP/1\.1\r\n(?s:.*)", head), head
        assert b"authorization" not in head.lower()
        assert KEY.encode() not in tunnelled


def test_no_proxy_is_honoured_for_https(clean_environ: pytest.MonkeyPatch) -> None:
    with recording_proxy() as proxy:
        environ = set_proxy(clean_environ, HTTPS_PROXY=proxy.url, NO_PROXY="localhost, .kimicheck.invalid")
        result = only(probe(config(provider(kind="openai-compatible", base_url="https://api.kimicheck.invalid/v1")),
                            environ=environ, timeout=3.0))
    assert proxy.received == []
    assert result.reason is Reason.CONNECT_ERROR  # the name does not resolve: it was looked up directly


def test_the_pushgateway_password_never_goes_to_a_proxy(clean_environ: pytest.MonkeyPatch) -> None:
    with recording_proxy() as proxy, serve_hostile(Hostile(lambda: [b""])) as gateway:
        environ = set_proxy(clean_environ, HTTP_PROXY=proxy.url, ALL_PROXY=proxy.url)
        environ |= {USERNAME_ENV: "push", PASSWORD_ENV: "push-secret"}
        push_results(gateway.base_url.removesuffix("/v1"), "kimicheck", b"", environ)
    assert proxy.received == []
    [request] = gateway.requests
    assert request.startswith(b"PUT /metrics/job/kimicheck HTTP/1.1\r\n")
    assert base64.b64encode(b"push:push-secret") in request


SOCKS_PROBLEM = ("ALL_PROXY names a 'socks5' proxy; kimicheck supports http:// and https:// proxies (unset it, "
                 "or add the host to no_proxy)")


def test_a_proxy_kimicheck_cannot_use_fails_only_what_needs_it(clean_environ: pytest.MonkeyPatch) -> None:
    environ = set_proxy(clean_environ, ALL_PROXY="socks5://user:hunter2@proxy.example:1080")
    remote = only(probe(config(provider()), environ=environ))
    assert (remote.reason, remote.detail) == (Reason.CONNECT_ERROR, f"cannot connect: {SOCKS_PROBLEM}")
    with serve_hostile(Hostile(lambda: [LISTING])) as target:
        local = only(probe(config(provider(kind="openai-compatible", base_url=target.base_url)), environ=environ))
    assert local.ok
    with pytest.raises(PushError) as error:
        push_results("https://push.example.test", "kimicheck", b"", environ)
    assert str(error.value) == f"cannot reach the Pushgateway at https://push.example.test: {SOCKS_PROBLEM}"


POLICY = ProxyPolicy.from_environ({
    "https_proxy": "proxy.corp.example:3128", "HTTPS_PROXY": "http://ignored.example:1",
    "no_proxy": "internal.example, .svc,*.cluster.local, gw.example:8443, [::2]:443",
})


@pytest.mark.parametrize(("url", "proxied"), [
    ("https://api.moonshot.ai/v1/models", True),
    ("https://API.MOONSHOT.AI/v1/models", True),
    ("http://api.moonshot.ai/v1/models", False),  # plain http is never proxied
    ("http://127.0.0.1:8400/v1/models", False),
    ("https://127.0.0.1:8400/v1/models", False),  # loopback means this machine
    ("https://localhost/v1", False),
    ("https://[::1]:8443/v1", False),
    ("https://internal.example/v1", False),
    ("https://a.b.internal.example/v1", False),
    ("https://notinternal.example/v1", True),
    ("https://push.monitoring.svc/", False),
    ("https://x.cluster.local/", False),
    ("https://gw.example:8443/", False),
    ("https://gw.example/", True),  # the entry names port 8443 only
    ("https://[::2]/", False),
])
def test_which_requests_use_the_proxy(url: str, proxied: bool) -> None:
    expected = "http://proxy.corp.example:3128" if proxied else None
    assert POLICY.proxy_for(httpx.URL(url)) == expected


def test_no_proxy_star_and_no_proxy_at_all() -> None:
    everything_direct = ProxyPolicy.from_environ({"ALL_PROXY": "http://proxy.example:3128", "NO_PROXY": "*"})
    assert everything_direct.proxy_for(httpx.URL("https://api.moonshot.ai/v1")) is None
    assert ProxyPolicy.from_environ({"HTTP_PROXY": "http://proxy.example:3128"}).proxy_for(
        httpx.URL("https://api.moonshot.ai/v1")) is None


def test_every_http_client_in_kimicheck_is_built_by_the_policy() -> None:
    package = Path(kimicheck.__file__).parent
    builders = re.compile(r"httpx\.(Async)?Client\(|\b(Async)?Client\(")
    offenders = [str(path.relative_to(package)) for path in sorted(package.rglob("*.py"))
                 if path.name != "proxies.py" and builders.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
