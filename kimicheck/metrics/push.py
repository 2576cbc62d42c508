"""Pushing the exposition to a Prometheus Pushgateway.

The grouping key is the job alone: no `instance` label, because a batch run is not an instance and the
Pushgateway's own `push_time_seconds` tells when it last ran. A PUT replaces the whole group, so a check that
is no longer configured disappears with the next push.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Mapping
from urllib.parse import quote, urlsplit

import httpx

from kimicheck.errors import KimicheckError
from kimicheck.net import is_loopback_host
from kimicheck.proxies import UnusableProxyError, build_async_client
from kimicheck.secrets import mask_keys

__all__ = ["PASSWORD_ENV", "USERNAME_ENV", "PushError", "push_results", "push_url"]

USERNAME_ENV = "KIMICHECK_PUSHGATEWAY_USERNAME"
PASSWORD_ENV = "KIMICHECK_PUSHGATEWAY_PASSWORD"  # noqa: S105 (a variable name, not a password)
_TIMEOUT = 10.0
_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_ANSWER_BYTES = 4096  # of an error answer, enough for the 200 characters shown


class PushError(KimicheckError):
    """The push did not reach the Pushgateway or was refused; the message says which."""


def _path_segment(label: str, value: str) -> str:
    # The Pushgateway's base64 form carries any value, including "/" and the empty string.
    if value and "/" not in value:
        return f"{label}/{quote(value, safe='')}"
    encoded = base64.urlsafe_b64encode(value.encode("utf-8")).decode("ascii")
    return f"{label}@base64/{encoded or '='}"


def push_url(url: str, job: str, *, with_credentials: bool = False) -> str:
    """The Pushgateway URL of the group `job`; raise PushError for a URL kimicheck will not push to.

    The metrics carry no secret, so plain `http` is fine (an in-cluster Pushgateway rarely has TLS); only
    when basic-auth credentials would be sent (`with_credentials`) must a non-loopback host be `https`,
    or the password would cross the network in clear text.
    """
    shown = mask_keys(url.strip())
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        has_userinfo = bool(parts.username or parts.password)
    except ValueError:
        raise PushError(f"the Pushgateway URL {shown!r} cannot be parsed") from None
    if has_userinfo:
        raise PushError(f"put Pushgateway credentials in {USERNAME_ENV} and {PASSWORD_ENV}, not in the URL")
    if parts.scheme not in {"http", "https"} or not host:
        raise PushError(f"the Pushgateway URL {shown!r} must start with https:// or http://")
    if with_credentials and parts.scheme == "http" and not is_loopback_host(host):
        raise PushError(
            f"the Pushgateway URL {shown!r} uses plain http to a non-loopback host, which would send the "
            f"{USERNAME_ENV} credentials in clear text: use https://"
        )
    base = url.strip().rstrip("/")
    return f"{base}/metrics/{_path_segment('job', job)}"


def push_results(
    url: str,
    job: str,
    data: bytes,
    environ: Mapping[str, str],
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> None:
    """PUT `data` (text exposition) to the Pushgateway at `url` as group `job`; raise PushError on failure.

    Basic auth is used when `KIMICHECK_PUSHGATEWAY_USERNAME` is set (with `KIMICHECK_PUSHGATEWAY_PASSWORD`).
    The whole push (connect, upload, answer) has one deadline, so a gateway that drips its answer cannot
    hold the run; proxies follow `kimicheck.proxies` for the variables in `environ`.
    """
    username = environ.get(USERNAME_ENV, "")
    target = push_url(url, job, with_credentials=bool(username))
    auth = httpx.BasicAuth(username, environ.get(PASSWORD_ENV, "")) if username else None
    status, text = asyncio.run(_put(target, url, data, environ, auth, transport))
    if status in {401, 403}:
        raise PushError(
            f"the Pushgateway at {url} refused the push (HTTP {status}): check {USERNAME_ENV} and {PASSWORD_ENV}"
        )
    if not 200 <= status < 300:
        # The Pushgateway explains a rejected body (e.g. inconsistent HELP) in plain text: show a short piece.
        body = " ".join(text.split())[:200]
        raise PushError(f"the Pushgateway at {url} answered HTTP {status}: {body}")


async def _answer_start(response: httpx.Response) -> str:
    # Only a short piece is shown, and a compressed answer is not inflated at all: nothing to decode here
    # may grow past a few KiB, whatever the gateway sends.
    if response.headers.get("content-encoding", "identity").strip().lower() != "identity":
        return ""
    start = bytearray()
    async for chunk in response.aiter_bytes():
        start += chunk[:_ANSWER_BYTES - len(start)]
        if len(start) >= _ANSWER_BYTES:
            break
    return start.decode("utf-8", "replace")


async def _put(target: str, url: str, data: bytes, environ: Mapping[str, str], auth: httpx.Auth | None,
               transport: httpx.AsyncBaseTransport | None) -> tuple[int, str]:
    """The Pushgateway's status and the start of its answer, before the one deadline."""
    headers = {"Content-Type": _CONTENT_TYPE, "Accept-Encoding": "identity"}
    try:
        async with asyncio.timeout(_TIMEOUT), build_async_client(
            environ, transport=transport, timeout=_TIMEOUT, follow_redirects=False, auth=auth
        ) as client, client.stream("PUT", target, content=data, headers=headers) as response:
            return response.status_code, await _answer_start(response)
    except (TimeoutError, httpx.TimeoutException):
        raise PushError(f"the Pushgateway at {url} did not answer within {_TIMEOUT:g}s") from None
    except UnusableProxyError as exc:
        raise PushError(f"cannot reach the Pushgateway at {url}: {exc}") from None
    except httpx.HTTPError as exc:
        raise PushError(f"cannot reach the Pushgateway at {url} ({type(exc).__name__})") from None
