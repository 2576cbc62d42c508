"""The proxy policy of every HTTP client kimicheck builds: no key or password crosses a proxy in clear text.

- Plain `http://` is always sent directly, never through a proxy: kimicheck sends keys over plain http
  only to loopback hosts, and an `http_proxy` would receive the key as it is written.
- Loopback hosts are always reached directly: `127.0.0.1` means this machine, not the proxy's.
- `https://` goes through `https_proxy` (or else `all_proxy`; either case, lower case first), tunnelled with
  CONNECT: the proxy sees the host name and port, never the request. Hosts matched by `no_proxy` (a
  comma-separated list of names, domain suffixes, `host:port` entries, or `*`) are reached directly.
- A proxy URL must be `http://` or `https://`; a request that would need a proxy with another scheme (e.g.
  `socks5://`) fails with `UnusableProxyError` (a connect error naming the variable) and is never sent.

httpx would apply `http_proxy` to plain-http loopback targets (`trust_env`); here the environment is read
once, by `ProxyPolicy.from_environ`, and each request is routed by `ProxyPolicy.proxy_for`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from kimicheck.net import is_loopback_host

__all__ = ["ProxyPolicy", "UnusableProxyError", "build_async_client"]

_HTTPS_PROXY_VARIABLES = ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")
_NO_PROXY_VARIABLES = ("no_proxy", "NO_PROXY")
_PROXY_SCHEMES = frozenset({"http", "https"})
#: Pool limits of a client that does not say (the Pushgateway client sends one request).
_DEFAULT_LIMITS = httpx.Limits(max_connections=10, max_keepalive_connections=10)


class UnusableProxyError(httpx.ConnectError):
    """A request would go through a proxy kimicheck cannot use; nothing was sent (the message names the variable)."""


def _first_set(environ: Mapping[str, str], names: tuple[str, ...]) -> tuple[str, str] | None:
    for name in names:
        value = environ.get(name, "").strip()
        if value:
            return name, value
    return None


def _no_proxy_entry(entry: str) -> tuple[str, int | None]:
    entry = entry.strip().lower()
    port: int | None = None
    host = entry
    if entry.startswith("["):  # [v6]:port or [v6]
        host, _, rest = entry[1:].partition("]")
        port_text = rest.removeprefix(":")
        port = int(port_text) if port_text.isdigit() else None
    elif entry.count(":") == 1:
        host, port_text = entry.split(":")
        port = int(port_text) if port_text.isdigit() else None
    return host.lstrip("*").lstrip("."), port


@dataclass(frozen=True)
class ProxyPolicy:
    """Where each request goes: directly, or through the one https proxy."""

    https_proxy: str | None = None
    variable: str = ""
    no_proxy: tuple[tuple[str, int | None], ...] = ()
    bypass_all: bool = False

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> ProxyPolicy:
        """The policy the proxy variables in `environ` ask for."""
        found = _first_set(environ, _HTTPS_PROXY_VARIABLES)
        variable, proxy = found if found else ("", None)
        no_proxy = _first_set(environ, _NO_PROXY_VARIABLES)
        entries = [entry.strip() for entry in (no_proxy[1] if no_proxy else "").split(",") if entry.strip()]
        return cls(
            https_proxy=None if proxy is None else proxy if "://" in proxy else f"http://{proxy}",
            variable=variable,
            no_proxy=tuple(_no_proxy_entry(entry) for entry in entries if entry != "*"),
            bypass_all="*" in entries,
        )

    @property
    def problem(self) -> str | None:
        """Why the configured proxy cannot be used (a scheme kimicheck does not speak), or None."""
        scheme = (self.https_proxy or "http://").split("://", 1)[0].lower()
        if scheme in _PROXY_SCHEMES:
            return None
        return (f"{self.variable} names a {scheme[:20]!r} proxy; kimicheck supports http:// and https:// proxies "
                "(unset it, or add the host to no_proxy)")

    def _exempt(self, host: str, port: int) -> bool:
        return self.bypass_all or any(
            (host == name or host.endswith(f".{name}")) and entry_port in {None, port}
            for name, entry_port in self.no_proxy if name
        )

    def proxy_for(self, url: httpx.URL) -> str | None:
        """The proxy URL that `url` goes through, or None to connect directly."""
        if url.scheme != "https" or self.https_proxy is None:
            return None
        host = url.host.lower()
        if is_loopback_host(host) or self._exempt(host, url.port or 443):
            return None
        return self.https_proxy


class _RoutingTransport(httpx.AsyncBaseTransport):
    """Sends each request directly or through the proxy, as the policy says."""

    def __init__(self, policy: ProxyPolicy, limits: httpx.Limits) -> None:
        self._policy = policy
        self._direct = httpx.AsyncHTTPTransport(limits=limits)
        usable = policy.https_proxy is not None and policy.problem is None
        self._proxied = httpx.AsyncHTTPTransport(limits=limits, proxy=policy.https_proxy) if usable else None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._policy.proxy_for(request.url) is None:
            return await self._direct.handle_async_request(request)
        if self._proxied is None:
            # Only a request that needs the proxy fails: loopback and no_proxy hosts still work.
            raise UnusableProxyError(self._policy.problem or "the proxy cannot be used", request=request)
        return await self._proxied.handle_async_request(request)

    async def aclose(self) -> None:
        await self._direct.aclose()
        if self._proxied is not None:
            await self._proxied.aclose()


def build_async_client(
    environ: Mapping[str, str],
    *,
    limits: httpx.Limits | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    **options: Any,
) -> httpx.AsyncClient:
    """An httpx client that follows the proxy policy for `environ`; `options` go to httpx.AsyncClient.

    `transport` replaces the network entirely (tests).
    """
    routed = transport or _RoutingTransport(ProxyPolicy.from_environ(environ), limits or _DEFAULT_LIMITS)
    return httpx.AsyncClient(transport=routed, trust_env=False, **options)
