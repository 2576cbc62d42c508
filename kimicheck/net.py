"""URL and host helpers: which hosts may be spoken to in plain HTTP, and how an endpoint URL is built."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

__all__ = ["is_loopback_host", "resolve_endpoint"]


def is_loopback_host(host: str) -> bool:
    """True for the exact name `localhost` and literal loopback IPs (127.0.0.0/8, ::1, `[::1]`).

    These are the only hosts kimicheck talks plain HTTP to. Other names under `.localhost` are not
    trusted: the resolver may hand them to DNS (a search domain or a wildcard record), which can answer
    with a remote address, and the key would then cross the network in clear text.
    """
    host = host.lower()
    if host == "localhost":
        return True
    bracketed = host.startswith("[") and host.endswith("]")
    try:
        address = ipaddress.ip_address(host[1:-1] if bracketed else host)
    except ValueError:
        return False
    if bracketed and not isinstance(address, ipaddress.IPv6Address):
        return False  # only IPv6 literals are written in brackets
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def resolve_endpoint(base_url: str, path: str, *, relative_to_origin: bool = False) -> str:
    """The URL the OpenAI SDK (and kimicheck) calls for `path` under `base_url`.

    Like the SDK, a trailing slash is added to the base URL and the path appended to it, so a base URL
    that already ends in an endpoint path gives a doubled path (which the linter reports).
    """
    if relative_to_origin:
        parts = urlsplit(base_url)
        return f"{parts.scheme}://{parts.netloc}/{path.lstrip('/')}"
    base = base_url if base_url.endswith("/") else base_url + "/"
    return base + path.lstrip("/")
