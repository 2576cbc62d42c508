"""Numbers and JSON a provider sends cannot make parsing, arithmetic or formatting unbounded.

Every kind's balance amounts are plain ASCII decimals of bounded size, token usage is a plausible count,
and JSON of any depth is `invalid_response`, not a bug in kimicheck. The exact bodies are here.
"""

import time
from decimal import Decimal

import httpx
import pytest
import respx

from kimicheck.commands.balance import render_balances
from kimicheck.probe.errors import parse_retry_after
from kimicheck.probe.report import render_text, result_to_json
from kimicheck.probe.result import BalanceData, BalanceLevel, Check, ProbeResult, Reason

from .helpers import MOONSHOT, config, only, probe, provider

TIMEOUT = 2.0
OUT_OF_RANGE = "out-of-range {field} (more than 20 digits before the point or 18 after it)"

#: kind, base URL, balance URL, body with `{amount}` in the place of the field named last
BALANCE_BODIES = {
    "moonshot available": ("moonshot", MOONSHOT, f"{MOONSHOT}/users/me/balance",
                           '{{"code": 0, "status": true, "data": {{"available_balance": {amount}, '
                           '"voucher_balance": 1, "cash_balance": 1}}}}', "available_balance"),
    "moonshot voucher": ("moonshot", MOONSHOT, f"{MOONSHOT}/users/me/balance",
                         '{{"code": 0, "status": true, "data": {{"available_balance": 1, '
                         '"voucher_balance": {amount}, "cash_balance": 1}}}}', "voucher_balance"),
    "moonshot cash": ("moonshot", MOONSHOT, f"{MOONSHOT}/users/me/balance",
                      '{{"code": 0, "status": true, "data": {{"available_balance": 1, '
                      '"voucher_balance": 1, "cash_balance": {amount}}}}}', "cash_balance"),
    "openrouter": ("openrouter", "https://openrouter.ai/api/v1", "https://openrouter.ai/api/v1/key",
                   '{{"data": {{"limit_remaining": {amount}}}}}', "limit_remaining"),
    "aimlapi": ("aimlapi", "https://api.aimlapi.com/v1", "https://api.aimlapi.com/v2/billing",
                '{{"current_balance": {amount}, "currency": "USD"}}', "current_balance"),
    "deepseek": ("deepseek", "https://api.deepseek.com", "https://api.deepseek.com/user/balance",
                 '{{"balance_infos": [{{"currency": "CNY", "total_balance": {amount}, '
                 '"granted_balance": "0", "topped_up_balance": "1"}}]}}', "total_balance"),
}

HUGE = ["1e999999999", '"1e999999999"', "-1e999999999", '"-1e999999999"', "1e-999999999", '"1E-999999999"',
        "0e-999999999", "100000000000000000000", '"100000000000000000000"', "1" * 4000, "1." + "1" * 100_000,
        "0.0000000000000000001"]
LOOSE = ['"١٢"', '"1_000"', '" 12 "', '"12\\n"', '"１２"', '"NaN"', '"Infinity"', '"0x1A"']


def balance_result(case: str, amount: str) -> tuple[ProbeResult, float]:
    kind, base_url, url, body, _ = BALANCE_BODIES[case]
    with respx.mock:
        respx.get(url).respond(200, content=body.format(amount=amount).encode())
        started = time.monotonic()
        result = only(probe(config(provider(kind=kind, base_url=base_url)), [Check.BALANCE], timeout=TIMEOUT))
    return result, time.monotonic() - started


@pytest.mark.parametrize("amount", HUGE)
@pytest.mark.parametrize("case", BALANCE_BODIES)
def test_an_amount_out_of_range_is_invalid_within_the_timeout(case: str, amount: str) -> None:
    result, took = balance_result(case, amount)
    field = BALANCE_BODIES[case][4]
    assert (result.ok, result.reason, result.status_code, result.detail) == (
        False, Reason.INVALID_RESPONSE, 200, "the balance answer has an " + OUT_OF_RANGE.format(field=field))
    assert took < TIMEOUT


@pytest.mark.parametrize("amount", LOOSE)
@pytest.mark.parametrize("case", BALANCE_BODIES)
def test_an_amount_that_is_not_plain_ascii_decimal_is_invalid(case: str, amount: str) -> None:
    result, _ = balance_result(case, amount)
    field = BALANCE_BODIES[case][4]
    assert (result.ok, result.reason, result.detail) == (
        False, Reason.INVALID_RESPONSE, f"the balance answer has a non-numeric {field}")


@pytest.mark.parametrize(("case", "amount", "shown"), [
    ("moonshot available", "-12.50", "available -12.50 USD (voucher 1, cash 1): nothing left, inference calls are "
                                     "refused"),
    ("deepseek", '"99999999999999999999.999999999999999999"',
     "available 99999999999999999999.999999999999999999 CNY (voucher 0, cash 1)"),
    ("aimlapi", "1E+2", "available 100 USD"),
])
def test_amounts_within_the_bounds_are_still_read_exactly(case: str, amount: str, shown: str) -> None:
    result, _ = balance_result(case, amount)
    assert result.detail == shown


CHAT_URL = f"{MOONSHOT}/chat/completions"


def chat_with_usage(usage: str) -> ProbeResult:
    body = ('{"choices": [{"index": 0, "message": {"role": "assistant", "content": "OK"}, "finish_reason": "stop"}], '
            f'"usage": {usage}}}')
    with respx.mock:
        respx.post(CHAT_URL).respond(200, content=body.encode())
        return only(probe(config(provider(models=[{"id": "kimi-k2.6", "chat": True}])), [Check.CHAT]))


@pytest.mark.parametrize(("usage", "detail"), [
    ('{"prompt_tokens": -1000000, "completion_tokens": 16}', "the chat answer has a negative token count in usage"),
    ('{"prompt_tokens": 9, "completion_tokens": -1}', "the chat answer has a negative token count in usage"),
    ('{"prompt_tokens": 10000001, "completion_tokens": 16}',
     "the chat answer has a token count in usage above 10000000, far more than one minimal request"),
    ('{"prompt_tokens": 9, "completion_tokens": ' + "9" * 4000 + "}",
     "the chat answer has a token count in usage above 10000000, far more than one minimal request"),
    ('{"prompt_tokens": 9.5, "completion_tokens": 16}',
     "the chat answer has no integer prompt_tokens/completion_tokens in usage"),
    ('{"prompt_tokens": 1e999999999, "completion_tokens": 16}',
     "the chat answer has no integer prompt_tokens/completion_tokens in usage"),
    ('{"prompt_tokens": "9", "completion_tokens": 16}',
     "the chat answer has no integer prompt_tokens/completion_tokens in usage"),
])
def test_usage_that_is_not_a_plausible_count_is_invalid(usage: str, detail: str) -> None:
    result = chat_with_usage(usage)
    assert (result.ok, result.reason, result.status_code, result.data, result.detail) == (
        False, Reason.INVALID_RESPONSE, 200, None, detail)


def test_usage_at_the_bound_is_believed() -> None:
    result = chat_with_usage('{"prompt_tokens": 0, "completion_tokens": 10000000}')
    assert (result.ok, result.reason) == (True, Reason.OK)


DEEP = b"[" * 100_000
DEEP_DETAIL = "HTTP 200 answer is JSON nested too deeply (100000 bytes)"


@pytest.mark.parametrize(("checks", "method", "url", "model"), [
    ([Check.MODELS], "GET", f"{MOONSHOT}/models", None),
    ([Check.BALANCE], "GET", f"{MOONSHOT}/users/me/balance", None),
    ([Check.CHAT], "POST", CHAT_URL, "kimi-k2.6"),
])
@pytest.mark.parametrize("body", [DEEP, b'{"data":' * 100_000], ids=["arrays", "objects"])
def test_deeply_nested_json_is_invalid_not_a_bug(checks: list[Check], method: str, url: str, model: str | None,
                                                 body: bytes) -> None:
    with respx.mock:
        respx.route(method=method, url=url).respond(200, content=body)
        result = only(probe(config(provider(models=[{"id": "kimi-k2.6", "chat": True}])), checks))
    assert (result.ok, result.reason, result.status_code, result.model) == (False, Reason.INVALID_RESPONSE, 200, model)
    assert result.detail == f"HTTP 200 answer is JSON nested too deeply ({len(body)} bytes)"


@pytest.mark.parametrize(("status", "reason"), [(429, Reason.RATE_LIMITED), (401, Reason.AUTH_FAILED),
                                                (500, Reason.SERVER_ERROR)])
@respx.mock
def test_a_deeply_nested_error_body_is_read_as_an_error_without_a_message(status: int, reason: Reason) -> None:
    respx.get(f"{MOONSHOT}/models").respond(status, content=DEEP)
    result = only(probe(config(provider()), [Check.MODELS]))
    assert (result.ok, result.reason, result.status_code) == (False, reason, status)
    assert result.detail.startswith(f"HTTP {status}")
    assert "internal error" not in result.detail


@pytest.mark.parametrize("value", ["١٢", "1_0", " 1 0 ", "nan", "inf", "-inf", "1e999999999", "٣٠", "0x10"])
def test_retry_after_seconds_are_plain_decimal_only(value: str) -> None:
    assert parse_retry_after(value) is None


def test_retry_after_within_the_bounds_is_read() -> None:
    assert (parse_retry_after("0.05"), parse_retry_after(" 2 "), parse_retry_after("-3")) == (0.05, 2.0, 0.0)


def test_no_formatter_writes_out_an_unbounded_amount() -> None:
    # amounts are bounded when read; the formatters stay short even for a Decimal that was not
    data = BalanceData(currency="USD", level=BalanceLevel.OK, available=Decimal("1e999999999"),
                       voucher=Decimal("-1e999999999"), cash=Decimal("1e-999999999"))
    result = ProbeResult("kimi", Check.BALANCE, True, Reason.OK, 0.1, detail="", data=data)
    started = time.monotonic()
    assert result_to_json(result)["data"] == {"currency": "USD", "level": "ok", "available": "1E+999999999",
                                              "voucher": "-1E+999999999", "cash": "1E-999999999", "in_arrears": False}
    table = render_balances([result], {})
    assert table.splitlines()[1].split() == ["kimi", "1E+999999999", "-1E+999999999", "1E-999999999", "USD", "ok"]
    assert len(render_text([result])) < 400
    assert time.monotonic() - started < 0.5


@respx.mock
def test_huge_amounts_in_every_field_against_thresholds_end_within_the_timeout() -> None:
    # the whole run, not only the parse, ends well within the timeout: nothing is formatted after it
    respx.get(f"{MOONSHOT}/users/me/balance").mock(return_value=httpx.Response(
        200, content=b'{"code": 0, "status": true, "data": {"available_balance": 1e999999999, '
                     b'"voucher_balance": "1e999999999", "cash_balance": 1e999999999}}'))
    started = time.monotonic()
    result = only(probe(config(provider(balance={"warn_below": 10})), [Check.BALANCE], timeout=TIMEOUT))
    assert result.reason is Reason.INVALID_RESPONSE
    assert time.monotonic() - started < TIMEOUT


@pytest.mark.parametrize(("code", "shown"), [
    ('"' + "x" * 1_000_000 + '"', "x" * 39 + "…"),
    ("[" * 900 + "]" * 900, "[…]"),
    ('{"a": 1}', "{…}"),
    ("1e999999999", "1E+999999999"),
])
@respx.mock
def test_a_failure_code_of_any_size_or_depth_is_shown_briefly(code: str, shown: str) -> None:
    respx.get(f"{MOONSHOT}/users/me/balance").respond(200, content=f'{{"code": {code}, "status": true}}'.encode())
    result = only(probe(config(provider()), [Check.BALANCE]))
    assert (result.reason, result.detail) == (
        Reason.INVALID_RESPONSE, f"the balance answer reports a failure (code={shown}, status=True)")
