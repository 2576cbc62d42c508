"""HTTP basic auth for every endpoint of `kimicheck serve`, checked against bcrypt hashes.

bcrypt is slow on purpose (tens to hundreds of milliseconds per check). So that it never stalls the event
loop (and with it every scrape and health check), it runs on a pool of two worker threads; a flood of wrong
passwords queues there. Only logins that succeeded are remembered, as an HMAC-SHA-256 of the credentials
under a key drawn at start-up, so a scraper pays for bcrypt once, the cache holds no password, and wrong
guesses can neither fill it nor skip bcrypt.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import os
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor

import bcrypt
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["BCRYPT_THREADS", "CACHE_LIMIT", "BasicAuthMiddleware", "Credentials"]

#: worker threads for bcrypt: at most this many checks run at once, the rest wait their turn
BCRYPT_THREADS = 2
#: successful logins remembered (least recently used first out)
CACHE_LIMIT = 64
#: bcrypt reads at most 72 bytes; no hash of a longer password can be made, so a longer one never matches
_BCRYPT_MAX_PASSWORD_BYTES = 72
#: compared against when the user is unknown, so both cases cost one bcrypt check
_DUMMY_HASH = bcrypt.hashpw(b"kimicheck", bcrypt.gensalt(rounds=4))

Verify = Callable[[bytes, bytes], bool]


def _bcrypt_matches(password: bytes, hashed: bytes) -> bool:
    try:
        return bcrypt.checkpw(password, hashed)
    except ValueError:  # a malformed hash: nothing matches it
        return False


class Credentials:
    """The users and bcrypt hashes of a web config, with a bounded cache of logins that succeeded."""

    def __init__(
        self,
        users: Mapping[str, str],
        *,
        verify: Verify = _bcrypt_matches,
        threads: int = BCRYPT_THREADS,
        cache_limit: int = CACHE_LIMIT,
    ) -> None:
        self._users = {user: hashed.encode("utf-8") for user, hashed in users.items()}
        self._verify = verify
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="kimicheck-bcrypt")
        self._cache_key = os.urandom(32)
        self._cache_limit = cache_limit
        self._verified: OrderedDict[bytes, None] = OrderedDict()

    def close(self) -> None:
        """Stop the password-check threads (a check still waiting is cancelled)."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    async def check(self, header: str | None) -> bool:
        """True when an `Authorization: Basic ...` header names a user with a matching password."""
        if not header or not header.lower().startswith("basic "):
            return False
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True)
            user, sep, password = decoded.decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        secret = password.encode("utf-8")
        if not sep or len(secret) > _BCRYPT_MAX_PASSWORD_BYTES:
            return False
        digest = hmac.new(self._cache_key, decoded, hashlib.sha256).digest()
        if digest in self._verified:
            self._verified.move_to_end(digest)
            return True
        hashed = self._users.get(user)
        loop = asyncio.get_running_loop()
        matched = await loop.run_in_executor(
            self._pool, self._verify, secret, hashed if hashed is not None else _DUMMY_HASH
        )
        if not matched or hashed is None:
            return False
        self._verified[digest] = None
        while len(self._verified) > self._cache_limit:
            self._verified.popitem(last=False)
        return True


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
        if await self._credentials.check(header):
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
