"""Basic auth keeps bcrypt off the event loop, bounds it, and remembers only logins that succeeded."""

import asyncio
import threading
from collections.abc import Iterator

import bcrypt
import httpx

from kimicheck.serve.app import build_app
from kimicheck.serve.auth import Credentials
from tests.serve.test_app import make_state, reload_ok

HASH = bcrypt.hashpw(b"s3cret", bcrypt.gensalt(rounds=4))
USERS = {"prometheus": HASH.decode()}
WAIT = 5.0


class GatedVerify:
    """bcrypt that waits for `release`, counting calls and how many run at once."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.entered = threading.Semaphore(0)
        self.calls = 0
        self.running = 0
        self.most_running = 0
        self._lock = threading.Lock()

    def __call__(self, password: bytes, hashed: bytes) -> bool:
        with self._lock:
            self.calls += 1
            self.running += 1
            self.most_running = max(self.most_running, self.running)
        self.entered.release()
        try:
            assert self.release.wait(WAIT), "never released"
            return bcrypt.checkpw(password, hashed)
        finally:
            with self._lock:
                self.running -= 1


def header(user: str, password: str) -> str:
    return httpx.BasicAuth(user, password)._auth_header


def test_a_slow_bcrypt_check_does_not_hold_up_other_requests() -> None:
    verify = GatedVerify()

    async def main() -> None:
        app = build_app(make_state(), reload_ok, Credentials(USERS, verify=verify))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://kimicheck") as client:
            verify.release.set()
            assert (await client.get("/healthz", auth=("prometheus", "s3cret"))).status_code == 200
            verify.release.clear()
            wrong = asyncio.create_task(client.get("/healthz", auth=("prometheus", "guess")))
            assert await asyncio.to_thread(verify.entered.acquire, timeout=WAIT)  # the first login
            assert await asyncio.to_thread(verify.entered.acquire, timeout=WAIT)  # the guess, now in bcrypt
            answer = await client.get("/healthz", auth=("prometheus", "s3cret"))  # remembered: no bcrypt
            assert (answer.status_code, answer.text) == (200, "ok\n")
            assert not wrong.done()
            verify.release.set()
            assert (await wrong).status_code == 401
        assert verify.calls == 2

    asyncio.run(main())


def test_at_most_two_bcrypt_checks_run_at_once_and_failures_are_not_remembered() -> None:
    verify = GatedVerify()

    async def main() -> None:
        credentials = Credentials(USERS, verify=verify)
        guesses = [asyncio.create_task(credentials.check(header("prometheus", "guess"))) for _ in range(6)]
        for _ in range(2):
            assert await asyncio.to_thread(verify.entered.acquire, timeout=WAIT)
        await asyncio.sleep(0.1)  # room for a third check to start, were it allowed to
        assert verify.running == 2
        verify.release.set()
        assert await asyncio.gather(*guesses) == [False] * 6
        assert not await credentials.check(header("prometheus", "guess"))
        assert (verify.calls, verify.most_running) == (7, 2)

    asyncio.run(main())


def test_only_the_most_recent_successful_logins_are_remembered() -> None:
    verify = GatedVerify()
    verify.release.set()
    passwords = {name: f"password-of-{name}-7f3e9c" for name in ("a", "b", "c")}
    users = {name: bcrypt.hashpw(pw.encode(), bcrypt.gensalt(rounds=4)).decode() for name, pw in passwords.items()}

    async def main() -> None:
        credentials = Credentials(users, verify=verify, cache_limit=2)
        for name in ("a", "b", "a", "c"):  # "b" is the least recently used when "c" arrives
            assert await credentials.check(header(name, passwords[name]))
        assert verify.calls == 3
        assert await credentials.check(header("a", passwords["a"]))
        assert await credentials.check(header("c", passwords["c"]))
        assert verify.calls == 3
        assert await credentials.check(header("b", passwords["b"]))
        assert verify.calls == 4
        held = list(reachable(credentials))
        assert held and not any(pw.encode() in value for value in held for pw in passwords.values())

    asyncio.run(main())


def reachable(credentials: Credentials) -> Iterator[bytes]:
    """Every bytes or str value the credentials object keeps, in its attributes and their containers."""
    stack: list[object] = list(vars(credentials).values())
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item.encode()
        elif isinstance(item, bytes):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set):
            stack.extend(item)


def test_close_stops_the_password_threads() -> None:
    import base64

    def pool_threads() -> set[threading.Thread]:
        return {t for t in threading.enumerate() if t.name.startswith("kimicheck-bcrypt")}

    before = pool_threads()  # other tests' credentials may still have theirs

    async def main() -> None:
        credentials = Credentials(USERS, verify=lambda password, hashed: True)
        header = "Basic " + base64.b64encode(b"prometheus:secret").decode()
        assert await credentials.check(header)
        assert pool_threads() - before
        credentials.close()

    asyncio.run(main())
    started = pool_threads() - before
    for thread in started:
        thread.join(timeout=5)
    assert not any(thread.is_alive() for thread in started)
