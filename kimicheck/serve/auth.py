"""HTTP basic auth for every endpoint of `kimicheck serve`, checked against bcrypt hashes.

bcrypt is slow on purpose (tens of milliseconds per check), which would make every scrape slow and let a
client burn CPU; like the exporter-toolkit, outcomes are cached under a SHA-256 of the credentials, so a
scraper pays once and the cache holds no password.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping

import bcrypt
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["BasicAuthMiddleware", "Credentials"]

_CACHE_LIMIT = 1024
#: compared against when the user is unknown, so both cases cost one bcrypt check
_DUMMY_HASH = bcrypt.hashpw(b"kimicheck", bcrypt.gensalt(rounds=4))


class Credentials:
    """The users and bcrypt hashes of a web config, with a cache of checked credentials."""

    def __init__(self, users: Mapping[str, str]) -> None:
        self._users = {user: hashed.encode("utf-8") for user, hashed in users.items()}
        self._cache: dict[bytes, bool] = {}

    def check(self, header: str | None) -> bool:
        """True when an `Authorization: Basic ...` header names a user with a matching password."""
        if not header or not header.lower().startswith("basic "):
            return False
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        user, sep, password = decoded.partition(":")
        if not sep:
            return False
        digest = hashlib.sha256(decoded.encode("utf-8")).digest()
        cached = self._cache.get(digest)
        if cached is not None:
            return cached
        hashed = self._users.get(user)
        matched = bcrypt.checkpw(password.encode("utf-8"), hashed if hashed is not None else _DUMMY_HASH)
        ok = matched and hashed is not None
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[digest] = ok
        return ok


class BasicAuthMiddleware:
    """An ASGI middleware that answers 401 to any HTTP request without valid credentials."""

    def __init__(self, app: ASGIApp, credentials: Credentials) -> None:
        self._app = app
        self._credentials = credentials

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass authorized requests on; refuse the others with a challenge."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        header = headers.get(b"authorization", b"").decode("latin-1") or None
        if self._credentials.check(header):
            await self._app(scope, receive, send)
            return
        body = b"Unauthorized\n"
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"www-authenticate", b'Basic realm="kimicheck"'),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
