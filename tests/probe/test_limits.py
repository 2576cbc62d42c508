"""The one limiter of probe and serve: per account and overall, and no account kept once unused."""

import asyncio

import pytest

from kimicheck.probe.accounts import account_of, origin_of
from kimicheck.probe.limits import AccountLimiter
from kimicheck.secrets import Secret

A = ("https://a.example:443", "aaaa")
B = ("https://b.example:443", "bbbb")


def most_at_once(limiter: AccountLimiter, accounts: list[tuple[str, str]]) -> tuple[dict[tuple[str, str], int], int]:
    """The most holders seen at once on each account and overall, with every account asked for at once."""
    running: dict[tuple[str, str], int] = {}
    most: dict[tuple[str, str], int] = {}
    overall = [0, 0]

    async def hold(account: tuple[str, str]) -> None:
        async with limiter.slot(account):
            running[account] = running.get(account, 0) + 1
            most[account] = max(most.get(account, 0), running[account])
            overall[0] += 1
            overall[1] = max(overall[1], overall[0])
            await asyncio.sleep(0.005)
            running[account] -= 1
            overall[0] -= 1

    async def main() -> None:
        await asyncio.gather(*(hold(account) for account in accounts))

    asyncio.run(main())
    return most, overall[1]


def test_one_at_a_time_per_account_by_default() -> None:
    most, overall = most_at_once(AccountLimiter(), [A, A, A, B, B, B])
    assert most == {A: 1, B: 1}
    assert overall == 2


def test_per_account_and_overall_limits() -> None:
    accounts = [A, B] * 8
    most, overall = most_at_once(AccountLimiter(concurrency=3, per_account=2), accounts)
    assert max(most.values()) == 2
    assert overall == 3


def test_an_account_nobody_holds_is_forgotten() -> None:
    limiter = AccountLimiter()

    async def main() -> None:
        async with limiter.slot(A):
            assert list(limiter._accounts) == [A]
        assert list(limiter._accounts) == []

    asyncio.run(main())


def test_limits_below_one_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        AccountLimiter(per_account=0)


def test_without_a_key_the_account_is_the_origin_s_own() -> None:
    assert account_of("https://API.example/v1", None) == (origin_of("https://api.example/v1"), "")
    assert account_of("https://api.example/v1", Secret("sk-x"))[1] != ""
